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
	d := fmt.Sprintf(`%q is not a phone number Microsoft Graph accepts: %s. The format is "+{country code} {number}" with an optional "x{extension}": `+
		`a plus sign, a 1-3 digit country code not starting with 0, one space, the number as digits only (country code and number together at most 15 digits), `+
		`and optionally "x" followed by up to 10 digits, for example "+1 5555551234" or "+1 5555551234x123".`, value, problem)
	if suggestion != "" {
		d += fmt.Sprintf(" Did you mean %q?", suggestion)
	}
	return d
}

const (
	onlyDigits     = "may contain only the digits 0-9 (no spaces, dashes, dots, brackets or other characters)"
	onlyDigitsAndX = `may contain only the digits 0-9 and one "x" before the extension (no spaces, dashes, dots, brackets or other characters)`
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
		// phone_number, one case per class of mistake.
		{"number_empty", number(""), badNumber, numberDetail("", "the value is empty", "")},
		{"number_without_plus", number("5555551234"), badNumber, numberDetail("5555551234", `it must start with "+" and the country code`, "")},
		{"number_plus_only", number("+"), badNumber, numberDetail("+", "the country code and the number are missing", "")},
		{"number_e164_without_space", number("+15555551234"), badNumber,
			numberDetail("+15555551234", "there must be one space between the country code and the number", "+1 5555551234")},
		{"number_e164_with_extension", number("+442079460958x12"), badNumber,
			numberDetail("+442079460958x12", "there must be one space between the country code and the number", "+44 2079460958x12")},
		{"number_dashes", number("+1 555-555-1234"), badNumber, numberDetail("+1 555-555-1234", `the number "555-555-1234" `+onlyDigits, "+1 5555551234")},
		{"number_parentheses", number("+1 (555) 555-1234"), badNumber, numberDetail("+1 (555) 555-1234", `the number "(555) 555-1234" `+onlyDigits, "+1 5555551234")},
		{"number_dots", number("+1 555.555.1234"), badNumber, numberDetail("+1 555.555.1234", `the number "555.555.1234" `+onlyDigits, "+1 5555551234")},
		{"number_two_spaces", number("+1  5555551234"), badNumber, numberDetail("+1  5555551234", `the number " 5555551234" `+onlyDigits, "+1 5555551234")},
		{"number_extension_ext", number("+1 5555551234 ext. 12"), badNumber,
			numberDetail("+1 5555551234 ext. 12", `the number and extension "5555551234 ext. 12" `+onlyDigitsAndX, "+1 5555551234x12")},
		{"number_extension_space_before_x", number("+1 5555551234 x12"), badNumber,
			numberDetail("+1 5555551234 x12", `the number and extension "5555551234 x12" `+onlyDigitsAndX, "+1 5555551234x12")},
		{"number_extension_missing", number("+1 5555551234x"), badNumber, numberDetail("+1 5555551234x", `the extension after "x" is missing`, "")},
		{"number_extension_letters", number("+1 5555551234xab"), badNumber,
			numberDetail("+1 5555551234xab", `the extension "ab" after "x" may contain only the digits 0-9`, "")},
		{"number_extension_too_long", number("+1 5555551234x12345678901"), badNumber,
			numberDetail("+1 5555551234x12345678901", `the extension "12345678901" has more than 10 digits`, "")},
		{"number_country_code_zero", number("+0 5555551234"), badNumber, numberDetail("+0 5555551234", "the country code cannot start with 0", "")},
		{"number_country_code_leading_zeros", number("+001 5555551234"), badNumber, numberDetail("+001 5555551234", "the country code cannot start with 0", "")},
		{"number_country_code_too_long", number("+1234 5555551234"), badNumber,
			numberDetail("+1234 5555551234", `the country code "1234" has more than 3 digits`, "")},
		{"number_country_code_letter", number("+a1 5555551234"), badNumber,
			numberDetail("+a1 5555551234", "the country code must be the digits 0-9 right after the plus sign", "")},
		{"number_too_long", number("+1 555555123456789"), badNumber,
			numberDetail("+1 555555123456789", "country code and number have 16 digits, more than the 15 E.164 allows", "")},
		{"number_very_long", number(long), badNumber, numberDetail(long, "country code and number have 101 digits, more than the 15 E.164 allows", "")},
		{"number_too_short", number("+1 123"), badNumber, numberDetail("+1 123", `the number "123" is shorter than 4 digits`, "")},
		{"number_missing", number("+1 "), badNumber, numberDetail("+1 ", "the number after the country code is missing", "")},
		{"number_masked", number("+1 XXXXXXX234"), badNumber, numberDetail("+1 XXXXXXX234", `the number "XXXXXXX234" `+onlyDigits, "")},
		{"number_fullwidth_digits", number("+1 ５５５５５５１２３４"), badNumber,
			numberDetail("+1 ５５５５５５１２３４", `the number "５５５５５５１２３４" `+onlyDigits, "")},
		{"number_leading_space", number(" +1 5555551234"), badNumber,
			numberDetail(" +1 5555551234", "it has leading or trailing whitespace", "+1 5555551234")},
		{"number_trailing_newline", number("+1 5555551234\n"), badNumber,
			numberDetail("+1 5555551234\n", "it has leading or trailing whitespace", "+1 5555551234")},
		{"number_tab_separator", number("+1\t5555551234"), badNumber,
			numberDetail("+1\t5555551234", "there must be one space between the country code and the number", "")},

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
			t.Parallel()
			e := newAccEnv(t)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config: e.resourceCaseConfig(c.config), PlanOnly: true, ExpectError: exactDiagnostic(c.summary, c.detail),
				}},
			})
			e.requireNoRequests(t, c.name)
		})
	}
}
