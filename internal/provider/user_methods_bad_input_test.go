package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// TestAccBadInput_userMethods: bad arguments of the email method and
// Temporary Access Pass resources fail at plan time with exactly one
// diagnostic saying what is wrong and what a valid value looks like, and
// bad import ids are refused; no request reaches Graph or the token
// endpoint in any case.
func TestAccBadInput_userMethods(t *testing.T) {
	t.Parallel()
	emailDetail := func(v, problem string) string {
		return fmt.Sprintf(`%q is not an email address: %s. Use a plain address such as "adele.vance@contoso.com".`, v, problem)
	}
	cases := []struct {
		name            string
		block           fmt.Stringer
		summary, detail string
	}{
		{"email_no_at", emailConfig{Name: "x", UserID: accAdeleUPN, Address: "adele.vance"}, "Invalid email address", emailDetail("adele.vance", `it must contain exactly one "@"`)},
		{"email_display_name", emailConfig{Name: "x", UserID: accAdeleUPN, Address: "Adele <adele@contoso.com>"}, "Invalid email address",
			emailDetail("Adele <adele@contoso.com>", `it contains a space or one of < > " ( ) , ; : [ ] \: give the address alone, without a display name`)},
		{"email_domain_without_dot", emailConfig{Name: "x", UserID: accAdeleUPN, Address: "adele@contoso"}, "Invalid email address",
			emailDetail("adele@contoso", `the domain "contoso" has no dot`)},
		{"email_user_slash", emailConfig{Name: "x", UserID: "a/b", Address: "adele@contoso.com"}, "Invalid user id",
			`"a/b" is not a user id: it contains "/". Use the user's object id (e.g. "00000000-0000-0000-0000-000000000001") or user principal name (e.g. "adele@contoso.com").`},
		{"tap_lifetime_short", tapConfig{Name: "x", UserID: accAdeleUPN, Lifetime: 5}, "Invalid Attribute Value",
			"Attribute lifetime_in_minutes value must be between 10 and 43200, got: 5"},
		{"tap_lifetime_long", tapConfig{Name: "x", UserID: accAdeleUPN, Lifetime: 50000}, "Invalid Attribute Value",
			"Attribute lifetime_in_minutes value must be between 10 and 43200, got: 50000"},
		{"tap_start_not_rfc3339", tapConfig{Name: "x", UserID: accAdeleUPN, Start: "2026-12-07 08:00"}, "Invalid time",
			`"2026-12-07 08:00" is not an RFC 3339 time: use a date, time and offset such as "2026-12-07T08:00:00Z" or "2026-12-07T09:00:00+01:00".`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newAccEnv(t)
			e.test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config: e.config(c.block, leakProbe), PlanOnly: true, ExpectError: exactDiagnostic(c.summary, c.detail),
				}},
			})
			e.requireNoRequests(t, c.name)
		})
	}
	imports := []struct {
		name   string
		block  interface{ address() string }
		config fmt.Stringer
		id     string
		detail string
	}{
		{"email_slash", emailConfig{Name: "x", UserID: accAdeleUPN, Address: "adele@contoso.com"}, emailConfig{Name: "x", UserID: accAdeleUPN, Address: "adele@contoso.com"},
			accAdeleUPN + "/email",
			fmt.Sprintf(`%q is not a user id: it contains "/". The import id of an email method is the user's id: the user's object id (e.g. "00000000-0000-0000-0000-000000000001") or user principal name (e.g. "adele@contoso.com"), for example terraform import <resource address> adele@contoso.com.`, accAdeleUPN+"/email")},
		{"tap_no_method_id", tapConfig{Name: "x", UserID: accAdeleUPN}, tapConfig{Name: "x", UserID: accAdeleUPN}, accAdeleUPN,
			fmt.Sprintf(`%q is not {user_id}/{method_id}. The import id of a Temporary Access Pass is {user_id}/{method_id}, for example adele@contoso.com/00000000-0000-0000-0000-0000000000aa; the method id is in the output of the entraauth_user_authentication_methods data source or `+"`terraform query`.", accAdeleUPN)},
		{"tap_method_id_not_guid", tapConfig{Name: "x", UserID: accAdeleUPN}, tapConfig{Name: "x", UserID: accAdeleUPN}, accAdeleUPN + "/pass",
			`method_id "pass" is not a GUID. The import id of a Temporary Access Pass is {user_id}/{method_id}, for example adele@contoso.com/00000000-0000-0000-0000-0000000000aa; the method id is in the output of the entraauth_user_authentication_methods data source or ` + "`terraform query`."},
	}
	for _, c := range imports {
		t.Run("import_"+c.name, func(t *testing.T) {
			e := newAccEnv(t)
			e.test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config: e.config(c.config), ResourceName: c.block.address(), ImportState: true, ImportStateKind: resource.ImportBlockWithID, ImportStateId: c.id,
					ExpectError: exactDiagnostic("Invalid import id", c.detail),
				}},
			})
			e.requireNoRequests(t, c.name)
		})
	}
}
