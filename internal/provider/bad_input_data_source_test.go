package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// TestAccBadInput_dataSourceArguments: bad arguments of the user data sources
// are refused at plan time with exactly one diagnostic, before any request
// reaches Graph or the token endpoint; each case has its own mock.
func TestAccBadInput_dataSourceArguments(t *testing.T) {
	t.Parallel()
	const (
		exactlyOne = "Exactly one of these attributes must be configured: [phone_type,method_id]"
		methodIDs  = "Graph's phone method ids are fixed per phone type: mobile = " + mobileMethodID +
			", alternateMobile = " + alternateMobileMethodID + ", office = " + officeMethodID + "."
	)
	cases := []struct {
		name            string
		config          rawHCL
		summary, detail string
	}{
		{"both_phone_type_and_method_id", dataPhone("x", accAdeleUPN, `phone_type = "mobile"`+"\n  method_id = \""+mobileMethodID+`"`),
			"Invalid Attribute Combination", exactlyOne},
		{"neither_phone_type_nor_method_id", dataPhone("x", accAdeleUPN, ""), "Missing Attribute Configuration", exactlyOne},
		{"method_id_unknown", dataPhone("x", accAdeleUPN, `method_id = "00000000-0000-0000-0000-000000000000"`),
			"Unknown phone method id", `"00000000-0000-0000-0000-000000000000" is not a phone method id. ` + methodIDs},
		{"method_id_phone_type_name", dataPhone("x", accAdeleUPN, `method_id = "mobile"`),
			"Unknown phone method id", `"mobile" is not a phone method id. ` + methodIDs},
		{"method_id_empty", dataPhone("x", accAdeleUPN, `method_id = ""`), "Unknown phone method id", `"" is not a phone method id. ` + methodIDs},
		{"phone_type_unknown", dataPhone("x", accAdeleUPN, `phone_type = "pager"`), "Invalid Attribute Value Match", phoneTypeOneOf + `"pager"`},
		{"phone_type_miscased", dataPhone("x", accAdeleUPN, `phone_type = "Office"`), "Invalid Attribute Value Match", phoneTypeOneOf + `"Office"`},
		{"phone_type_method_id", dataPhone("x", accAdeleUPN, `phone_type = "`+mobileMethodID+`"`),
			"Invalid Attribute Value Match", phoneTypeOneOf + `"` + mobileMethodID + `"`},
		{"user_empty", dataPhone("x", "", `phone_type = "mobile"`), "Invalid user id", userIDDetail("", "it is empty")},
		{"user_with_slash", dataPhone("x", "a/b", `phone_type = "mobile"`), "Invalid user id", userIDDetail("a/b", `it contains "/"`)},
		{"user_trailing_space", dataPhone("x", accAdeleUPN+" ", `phone_type = "mobile"`), "Invalid user id",
			userIDDetail(accAdeleUPN+" ", "it has leading or trailing spaces")},
		{"user_dot_dot", dataPhone("x", "..", `phone_type = "mobile"`), "Invalid user id", userIDDetail("..", `"." and ".." are URL path segments, not users`)},
		{"list_user_empty", dataPhones("x", ""), "Invalid user id", userIDDetail("", "it is empty")},
		{"list_user_with_slash", dataPhones("x", accAdeleUPN+"/mobile"), "Invalid user id", userIDDetail(accAdeleUPN+"/mobile", `it contains "/"`)},
		{"list_user_leading_space", dataPhones("x", " "+accAdeleUPN), "Invalid user id",
			userIDDetail(" "+accAdeleUPN, "it has leading or trailing spaces")},
		{"list_user_dot", dataPhones("x", "."), "Invalid user id", userIDDetail(".", `"." and ".." are URL path segments, not users`)},
		{"methods_user_empty", dataUserMethods("x", ""), "Invalid user id", userIDDetail("", "it is empty")},
		{"methods_user_with_slash", dataUserMethods("x", accAdeleUPN+"/methods"), "Invalid user id", userIDDetail(accAdeleUPN+"/methods", `it contains "/"`)},
		{"methods_user_trailing_space", dataUserMethods("x", accAdeleUPN+" "), "Invalid user id",
			userIDDetail(accAdeleUPN+" ", "it has leading or trailing spaces")},
		{"methods_user_dot_dot", dataUserMethods("x", ".."), "Invalid user id", userIDDetail("..", `"." and ".." are URL path segments, not users`)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newAccEnv(t)
			e.test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps:                    []resource.TestStep{{Config: e.config(c.config), PlanOnly: true, ExpectError: exactDiagnostic(c.summary, c.detail)}},
			})
			e.requireNoRequests(t, c.name)
		})
	}
}
