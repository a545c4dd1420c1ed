package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// TestAccPhoneAuthenticationMethod_lifecycle covers, for each phone type:
// create, import (both id forms and an import block), update in place
// keeping the id, replacement on a type change, and destroy.
func TestAccPhoneAuthenticationMethod_lifecycle(t *testing.T) {
	t.Parallel()
	tests := []struct {
		phoneType, methodID, replacementType string
		needsMobile                          bool
	}{
		{"mobile", mobileMethodID, "office", false},
		{"alternateMobile", alternateMobileMethodID, "office", true},
		{"office", officeMethodID, "mobile", false},
	}
	for _, tt := range tests {
		t.Run(tt.phoneType, func(t *testing.T) {
			t.Parallel()
			e := newAccEnv(t)
			if tt.needsMobile {
				// Graph needs a mobile before an alternateMobile; it is not part of this test.
				e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accAdeleUPN, "mobile", "+1 5555550000", false))
			}
			first := phoneConfig{Name: "test", UserID: accAdeleUPN, PhoneType: tt.phoneType, PhoneNumber: "+1 5555551234"}
			updated := first
			updated.PhoneNumber = "+44 2079460958x42"
			replaced := updated
			replaced.PhoneType = tt.replacementType
			id := accAdeleUPN + "/" + tt.phoneType
			sameID := statecheck.CompareValue(compare.ValuesSame())

			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				CheckDestroy:             e.checkGraphNoPhone(accAdeleUPN, tt.phoneType, tt.replacementType),
				Steps: []resource.TestStep{
					{
						Config: e.config(first),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(first.address(), plancheck.ResourceActionCreate),
							plancheck.ExpectKnownValue(first.address(), tfjsonpath.New("id"), knownvalue.StringExact(id)),
							plancheck.ExpectKnownValue(first.address(), tfjsonpath.New("method_id"), knownvalue.StringExact(tt.methodID)),
						}},
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(first.address(), tfjsonpath.New("id"), knownvalue.StringExact(id)),
							statecheck.ExpectKnownValue(first.address(), tfjsonpath.New("method_id"), knownvalue.StringExact(tt.methodID)),
							statecheck.ExpectKnownValue(first.address(), tfjsonpath.New("phone_number"), knownvalue.StringExact("+1 5555551234")),
							statecheck.ExpectKnownValue(first.address(), tfjsonpath.New("sms_sign_in_state"), knownvalue.NotNull()),
							sameID.AddStateValue(first.address(), tfjsonpath.New("id")),
						},
						Check: e.checkGraphPhone(accAdeleUPN, tt.phoneType, "+1 5555551234", ""),
					},
					{
						ResourceName:      first.address(),
						ImportState:       true,
						ImportStateVerify: true,
					},
					{
						ResourceName:      first.address(),
						ImportState:       true,
						ImportStateId:     accAdeleID + "/" + tt.methodID,
						ImportStateVerify: true,
						// Imported by object id, so user_id and id name the user that way.
						ImportStateVerifyIdentifierAttribute: "method_id",
						ImportStateVerifyIgnore:              []string{"id", "user_id"},
						ImportStateCheck: func(states []*terraform.InstanceState) error {
							if len(states) != 1 {
								return fmt.Errorf("imported %d resources; want 1", len(states))
							}
							a := states[0].Attributes
							if a["user_id"] != accAdeleID || a["id"] != accAdeleID+"/"+tt.phoneType || a["phone_type"] != tt.phoneType {
								return fmt.Errorf("imported user_id %q, id %q, phone_type %q", a["user_id"], a["id"], a["phone_type"])
							}
							return nil
						},
					},
					{
						Config:          e.config(first),
						ResourceName:    first.address(),
						ImportState:     true,
						ImportStateKind: resource.ImportBlockWithID,
						ImportStateId:   id,
					},
					{
						Config: e.config(updated),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(updated.address(), plancheck.ResourceActionUpdate),
						}},
						ConfigStateChecks: []statecheck.StateCheck{
							sameID.AddStateValue(updated.address(), tfjsonpath.New("id")),
							statecheck.ExpectKnownValue(updated.address(), tfjsonpath.New("phone_number"), knownvalue.StringExact("+44 2079460958x42")),
						},
						Check: e.checkGraphPhone(accAdeleUPN, tt.phoneType, "+44 2079460958x42", ""),
					},
					{
						Config: e.config(replaced),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(replaced.address(), plancheck.ResourceActionDestroyBeforeCreate),
						}},
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(replaced.address(), tfjsonpath.New("id"), knownvalue.StringExact(accAdeleUPN+"/"+tt.replacementType)),
						},
						Check: resource.ComposeTestCheckFunc(
							e.checkGraphPhone(accAdeleUPN, tt.replacementType, "+44 2079460958x42", ""),
							e.checkGraphNoPhone(accAdeleUPN, tt.phoneType),
						),
					},
				},
			})
		})
	}
}
