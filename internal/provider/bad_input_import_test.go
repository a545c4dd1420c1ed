package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// importIDDetail is the import id refusal, written out here (not taken from
// the code) so a change of wording fails the table.
func importIDDetail(id, problem string) string {
	return fmt.Sprintf(`The import id %q is not valid: %s. The import id must be "{user_id}/{phone_type}" or "{user_id}/{method_id}", `+
		`where user_id is the user's object id (e.g. "00000000-0000-0000-0000-000000000001") or user principal name (e.g. "adele@contoso.com"), `+
		`phone_type is one of mobile, alternateMobile, office (in any case), and method_id is Graph's phone method id `+
		`(mobile = 3179e48a-750b-4051-897c-87b9720928f7, alternateMobile = b6332ec1-7057-4abe-9331-3d72feddfe41, office = e37fc753-ff3b-4958-9484-eaa9425c82bc); `+
		`for example "adele@contoso.com/mobile" or "00000000-0000-0000-0000-000000000001/3179e48a-750b-4051-897c-87b9720928f7".`, id, problem)
}

// TestAccBadInput_importID: a bad import id is refused, both by `terraform
// import` and by an import block, with exactly one "Invalid import id"
// diagnostic saying what is wrong, before any request reaches Graph or the
// token endpoint; each case and each way has its own mock.
func TestAccBadInput_importID(t *testing.T) {
	t.Parallel()
	office := phoneConfig{Name: "test", UserID: accAdeleUPN, PhoneType: "office", PhoneNumber: "+1 5555551234"}
	cases := []struct{ name, id, problem string }{
		{"no_slash", accAdeleUPN, `it has no "/" between the user id and the phone type`},
		{"empty_user", "/mobile", `the user id "" before "/" is not valid: it is empty`},
		{"user_leading_space", " " + accAdeleUPN + "/mobile", fmt.Sprintf(`the user id %q before "/" is not valid: it has leading or trailing spaces`, " "+accAdeleUPN)},
		{"user_dot_dot", "../mobile", `the user id ".." before "/" is not valid: "." and ".." are URL path segments, not users`},
		{"too_many_segments", "a/b/office", `it has more than one "/" (a user id never contains "/")`},
		{"trailing_slash", accAdeleUPN + "/mobile/", `it has more than one "/" (a user id never contains "/")`},
		{"empty_phone_type", accAdeleUPN + "/", `nothing follows "/": give the phone type or the phone method id`},
		{"phone_type_trailing_space", accAdeleUPN + "/mobile ", `the phone type "mobile " after "/" has leading or trailing spaces`},
		{"unknown_phone_type", accAdeleUPN + "/pager", `"pager" after "/" is neither a phone type nor a phone method id`},
		{"unknown_method_id", accAdeleUPN + "/00000000-0000-0000-0000-000000000000",
			`"00000000-0000-0000-0000-000000000000" after "/" is neither a phone type nor a phone method id`},
	}
	kinds := map[string]resource.ImportStateKind{"cli": resource.ImportCommandWithID, "import_block": resource.ImportBlockWithID}
	for _, c := range cases {
		for kindName, kind := range kinds {
			name := c.name + "/" + kindName
			t.Run(name, func(t *testing.T) {
				e := newAccEnv(t)
				e.test(t, resource.TestCase{
					ProtoV6ProviderFactories: e.factories(),
					Steps: []resource.TestStep{{
						Config: e.config(office), ResourceName: office.address(), ImportState: true, ImportStateKind: kind, ImportStateId: c.id,
						ExpectError: exactDiagnostic("Invalid import id", importIDDetail(c.id, c.problem)),
					}},
				})
				e.requireNoRequests(t, name)
			})
		}
	}
}

// TestAccPhoneAuthenticationMethod_importMissingPhone: a well-formed id of
// a phone the user does not have fails the import (this one has to ask
// Graph, so it is not part of the no-request table above).
func TestAccPhoneAuthenticationMethod_importMissingPhone(t *testing.T) {
	e := newAccEnv(t)
	office := phoneConfig{Name: "test", UserID: accAdeleUPN, PhoneType: "office", PhoneNumber: "+1 5555551234"}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(office), ResourceName: office.address(), ImportState: true, ImportStateId: accAdeleUPN + "/office",
			ExpectError: errorRE("Cannot import non-existent remote object"),
		}},
	})
}
