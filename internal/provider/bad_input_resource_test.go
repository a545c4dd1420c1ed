package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// numberDetail is the phone_number refusal, written out here (not taken
// from the code) so a change of wording fails the table.
func numberDetail(value, problem, suggestion string) string {
	d := fmt.Sprintf(`%q is not a phone number: %s. A phone number is "+", the country code and the number, optionally followed by an extension: `+
		`spaces, hyphens, dots and parentheses may separate the digits; the country code (1-3 digits, not starting with 0) ends at the first separator, `+
		`or without one is read from the ITU-T E.164 list of assigned country codes; the number has at least 4 digits (country code and number together at most 15); `+
		`an extension of up to 10 digits follows "x", "X", "ext" or "ext."; for example "+1 5555551234" or "+1 5555551234x123".`, value, problem)
	if suggestion != "" {
		d += fmt.Sprintf(" Did you mean %q?", suggestion)
	}
	return d
}

const (
	noPlus         = `it does not start with "+", so the country code is unknown: write "+" and the country code first`
	notSeparator   = `which is not a digit, a space, "-", ".", "(" or ")"`
	phoneTypeOneOf = `Attribute phone_type value must be one of: ["mobile" "alternateMobile" "office"], got: `
	userIDExamples = `Use the user's object id (e.g. "00000000-0000-0000-0000-000000000001") or user principal name (e.g. "adele@contoso.com").`
)

func userIDDetail(value, problem string) string {
	return fmt.Sprintf("%q is not a user id: %s. %s", value, problem, userIDExamples)
}

func smsDetail(phoneType string) string {
	return fmt.Sprintf(`sms_sign_in_enabled can only be set when phone_type is "mobile": Microsoft Graph supports SMS sign-in only on the mobile phone, `+
		`and phone_type is %q (voice only). Remove sms_sign_in_enabled from this resource.`, phoneType)
}

// validPhone is the good resource every resource case changes in one
// value; TestAccBadInput_requestLogControl plans it unchanged.
var validPhone = phoneConfig{Name: "test", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555551234"}

// resourceCaseConfig is a resource case's configuration: the mock's
// provider block, the resource, and leakProbe, which Terraform would read
// (token request, Graph GET) if the resource were not refused before the
// provider is configured.
func (e *accEnv) resourceCaseConfig(phone phoneConfig) string { return e.config(phone, leakProbe) }

// TestAccBadInput_resourceConfig: every bad entraauth_phone_authentication_method
// configuration is refused when Terraform validates the configuration, with
// exactly one diagnostic, whose summary and detail are the ones below,
// before any request reaches Graph or the token endpoint: the leak probe
// beside the resource stays unread. Each case has its own mock, so its logs
// are its own.
func TestAccBadInput_resourceConfig(t *testing.T) {
	t.Parallel()
	valid := validPhone
	number := func(v string) phoneConfig { c := valid; c.PhoneNumber = v; return c }
	phoneType := func(v string, sms *bool) phoneConfig { c := valid; c.PhoneType, c.SMS = v, sms; return c }
	user := func(v string) phoneConfig { c := valid; c.UserID = v; return c }
	timeout := func(op, v string) phoneConfig { c := valid; c.Timeouts = map[string]string{op: v}; return c }
	long := "+1 " + strings.Repeat("5", 100)
	type badCase struct {
		name            string
		config          phoneConfig
		summary, detail string
	}
	const badNumber = "Invalid phone number"
	cases := []badCase{
		// phone_number, one case per class of what cannot be one number.
		// Every spelling of one number is accepted (TestAccPhoneNumberSpellings).
		{"number_empty", number(""), badNumber, numberDetail("", "the value is empty", "")},
		{"number_whitespace_only", number(" \t"), badNumber, numberDetail(" \t", "the value is empty", "")},
		{"number_without_plus", number("5555551234"), badNumber, numberDetail("5555551234", noPlus, "")},
		{"number_without_plus_country_code", number("1 555-555-1234"), badNumber, numberDetail("1 555-555-1234", noPlus, "")},
		{"number_international_prefix", number("0044 20 7946 0958"), badNumber, numberDetail("0044 20 7946 0958", noPlus, "+44 2079460958")},
		{"number_plus_only", number("+"), badNumber, numberDetail("+", "the country code and the number are missing", "")},
		{"number_space_after_plus", number("+ 5555551234"), badNumber, numberDetail("+ 5555551234", `the country code must come right after "+"`, "")},
		{"number_two_plus_signs", number("++1 5555551234"), badNumber, numberDetail("++1 5555551234", `"+" may appear only once, at the start`, "+1 5555551234")},
		{"number_country_code_zero", number("+0 5555551234"), badNumber,
			numberDetail("+0 5555551234", `the country code cannot start with 0 ("00" and "011" are dialling prefixes, not part of the number)`, "")},
		{"number_country_code_leading_zeros", number("+001 5555551234"), badNumber,
			numberDetail("+001 5555551234", `the country code cannot start with 0 ("00" and "011" are dialling prefixes, not part of the number)`, "+1 5555551234")},
		{"number_unassigned_country_code", number("+9991234567"), badNumber,
			numberDetail("+9991234567", `"+9991234567" does not start with an assigned country code (ITU-T E.164), so where the country code ends is unknown: write a space after the country code`, "")},
		{"number_letters", number("+1 555-CALL-NOW"), badNumber, numberDetail("+1 555-CALL-NOW", `it contains the letter "C": write the number with the digits 0-9 only`, "")},
		{"number_country_code_letter", number("+a1 5555551234"), badNumber, numberDetail("+a1 5555551234", `it contains the letter "a": write the number with the digits 0-9 only`, "")},
		{"number_masked", number("+1 XXXXXXX234"), badNumber, numberDetail("+1 XXXXXXX234",
			"it is masked (Graph shows only the last digits to callers holding only the Authentication Administrator role): write the whole number", "")},
		{"number_two_extensions", number("+1 5555551234x12 ext. 3"), badNumber,
			numberDetail("+1 5555551234x12 ext. 3", `it has two extensions ("x" and "ext."): a number has at most one`, "")},
		{"number_extension_missing", number("+1 5555551234 ext."), badNumber, numberDetail("+1 5555551234 ext.", `the extension after "ext." is missing`, "")},
		{"number_extension_separators", number("+1 5555551234x12-34"), badNumber,
			numberDetail("+1 5555551234x12-34", `the extension "12-34" after "x" may contain only the digits 0-9`, "")},
		{"number_extension_too_long", number("+1 5555551234x12345678901"), badNumber,
			numberDetail("+1 5555551234x12345678901", `the extension "12345678901" has more than 10 digits`, "")},
		{"number_missing", number("+1 "), badNumber, numberDetail("+1 ", `the number after the country code "1" is missing`, "")},
		{"number_too_short", number("+1 123"), badNumber, numberDetail("+1 123", `the number "123" after the country code "1" has 3 digits, fewer than 4`, "")},
		{"number_too_long", number("+1 555555123456789"), badNumber,
			numberDetail("+1 555555123456789", "country code and number have 16 digits, more than the 15 E.164 allows", "")},
		{"number_e164_too_long", number("+4420794609581234"), badNumber,
			numberDetail("+4420794609581234", "country code and number have 16 digits, more than the 15 E.164 allows", "")},
		{"number_very_long", number(long), badNumber, numberDetail(long, "country code and number have 101 digits, more than the 15 E.164 allows", "")},
		{"number_unpaired_parenthesis", number("+1 (555 555-1234"), badNumber, numberDetail("+1 (555 555-1234", "its parentheses do not pair up", "+1 5555551234")},
		{"number_trunk_prefix", number("+44 (0)20 7946 0958"), badNumber,
			numberDetail("+44 (0)20 7946 0958", `"(0)" is a national trunk prefix, which is not dialled after the country code`, "+44 2079460958")},
		{"number_fullwidth_digits", number("+1 ５５５５５５１２３４"), badNumber,
			numberDetail("+1 ５５５５５５１２３４", `it contains "５", which is not one of the digits 0-9`, "")},
		{"number_tab_separator", number("+1\t5555551234"), badNumber, numberDetail("+1\t5555551234", `it contains "\t", `+notSeparator, "+1 5555551234")},
		{"number_slashes", number("+1 555/555/1234"), badNumber, numberDetail("+1 555/555/1234", `it contains "/", `+notSeparator, "")},

		// phone_type: Graph's names, exactly (Graph rejects other casings).
		{"phone_type_unknown", phoneType("pager", nil), "Invalid Attribute Value Match", phoneTypeOneOf + `"pager"`},
		{"phone_type_miscased", phoneType("Mobile", nil), "Invalid Attribute Value Match", phoneTypeOneOf + `"Mobile"`},
		{"phone_type_lowercase", phoneType("alternatemobile", nil), "Invalid Attribute Value Match", phoneTypeOneOf + `"alternatemobile"`},
		{"phone_type_empty", phoneType("", nil), "Invalid Attribute Value Match", phoneTypeOneOf + `""`},

		// sms_sign_in_enabled exists only on the mobile phone, either value.
		{"sms_on_office", phoneType("office", boolPtr(true)), "sms_sign_in_enabled needs a mobile phone", smsDetail("office")},
		{"sms_on_alternate_mobile", phoneType("alternateMobile", boolPtr(false)), "sms_sign_in_enabled needs a mobile phone", smsDetail("alternateMobile")},

		// user_id goes into the URL path as given.
		{"user_empty", user(""), "Invalid user id", userIDDetail("", "it is empty")},
		{"user_with_slash", user("adele@contoso.example/mobile"), "Invalid user id", userIDDetail("adele@contoso.example/mobile", `it contains "/"`)},
		{"user_leading_space", user(" adele@contoso.example"), "Invalid user id", userIDDetail(" adele@contoso.example", "it has leading or trailing spaces")},
		{"user_trailing_space", user("adele@contoso.example "), "Invalid user id", userIDDetail("adele@contoso.example ", "it has leading or trailing spaces")},
		{"user_dot_dot", user(".."), "Invalid user id", userIDDetail("..", `"." and ".." are URL path segments, not users`)},
		{"user_dot", user("."), "Invalid user id", userIDDetail(".", `"." and ".." are URL path segments, not users`)},

		// timeouts: a Go duration longer than zero.
		{"timeout_negative", timeout("create", "-1m"), "Invalid timeout",
			`"-1m" is not a usable time limit: it must be longer than zero, or the operation fails before it starts. Use a duration such as "30s" or "10m", or leave the attribute out to use the default.`},
		{"timeout_zero", timeout("delete", "0s"), "Invalid timeout",
			`"0s" is not a usable time limit: it must be longer than zero, or the operation fails before it starts. Use a duration such as "30s" or "10m", or leave the attribute out to use the default.`},
		{"timeout_words", timeout("read", "5 minutes"), "Invalid timeout",
			`"5 minutes" is not a duration: write a number with a unit, such as "30s", "10m" or "1h30m" (units: "h", "m", "s", "ms", "us", "ns"), or leave the attribute out to use the default.`},
		{"timeout_without_unit", timeout("update", "10"), "Invalid timeout",
			`"10" is not a duration: write a number with a unit, such as "30s", "10m" or "1h30m" (units: "h", "m", "s", "ms", "us", "ns"), or leave the attribute out to use the default.`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newAccEnv(t)
			e.test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config: e.resourceCaseConfig(c.config), PlanOnly: true, ExpectError: exactDiagnostic(c.summary, c.detail),
				}},
			})
			e.requireNoRequests(t, c.name)
		})
	}
}
