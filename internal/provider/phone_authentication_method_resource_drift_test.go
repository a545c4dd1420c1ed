package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// TestAccPhoneAuthenticationMethod_drift changes the tenant behind
// Terraform's back and checks each gives the right planned action, and that
// an unchanged tenant (or a respelled number) gives an empty plan.
func TestAccPhoneAuthenticationMethod_drift(t *testing.T) {
	t.Parallel()
	e := newAccEnv(t)
	mobile := phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555551234", SMS: boolPtr(true)}
	addr := mobile.address()
	restored := e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555551234", "ready")

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkGraphNoPhone(accAdeleUPN),
		Steps: []resource.TestStep{
			{Config: e.config(mobile), Check: restored},
			{
				PreConfig: func() { e.must(e.mock.DeletePhoneMethodOutOfBand(e.tenant, accAdeleUPN, mobileMethodID)) },
				Config:    e.config(mobile),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: restored,
			},
			{
				PreConfig: func() {
					e.must(e.mock.SetPhoneNumberOutOfBand(e.tenant, accAdeleUPN, mobileMethodID, "+1 5555550000"))
				},
				Config: e.config(mobile),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("phone_number"), knownvalue.StringExact("+1 5555551234")),
				}},
				Check: restored,
			},
			{
				PreConfig: func() { e.must(e.mock.SetSMSSignInOutOfBand(e.tenant, accAdeleUPN, mobileMethodID, false)) },
				Config:    e.config(mobile),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("sms_sign_in_enabled"), knownvalue.Bool(true)),
				}},
				Check: restored,
			},
			{
				// The portal's spelling of the same number is not drift.
				PreConfig: func() {
					e.must(e.mock.SetPhoneNumberOutOfBand(e.tenant, accAdeleUPN, mobileMethodID, "+1 (555) 555-1234"))
				},
				Config: e.config(mobile),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("phone_number"), knownvalue.StringExact("+1 5555551234")),
				},
			},
			{
				Config: e.config(mobile),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})
}

// TestAccPhoneAuthenticationMethod_importRespelledNumber: a number Graph
// spells with separators imports in the canonical form, so the
// configuration written for it shows no difference.
func TestAccPhoneAuthenticationMethod_importRespelledNumber(t *testing.T) {
	t.Parallel()
	e := newAccEnv(t)
	e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accAdeleUPN, "office", "+1 4255550100x12", false))
	e.must(e.mock.SetPhoneNumberOutOfBand(e.tenant, accAdeleUPN, officeMethodID, "+1 425-555-0100x12"))
	office := phoneConfig{Name: "office", UserID: accAdeleUPN, PhoneType: "office", PhoneNumber: "+1 4255550100x12"}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config:          e.config(office),
			ResourceName:    office.address(),
			ImportState:     true,
			ImportStateKind: resource.ImportBlockWithID,
			ImportStateId:   accAdeleUPN + "/office",
		}},
	})
}
