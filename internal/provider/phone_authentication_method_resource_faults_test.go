package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// TestAccPhoneAuthenticationMethod_graphFaults: reads that do not see a
// fresh write yet (404), a create whose response is lost, and throttling
// all end in the right state with an empty plan afterwards.
func TestAccPhoneAuthenticationMethod_graphFaults(t *testing.T) {
	t.Parallel()
	e := newAccEnv(t)
	mobile := phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555551234", SMS: boolPtr(true)}
	office := phoneConfig{Name: "office", UserID: accBiancaUPN, PhoneType: "office", PhoneNumber: "+1 5555551235"}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             resource.ComposeTestCheckFunc(e.checkGraphNoPhone(accAdeleUPN), e.checkGraphNoPhone(accBiancaUPN)),
		Steps: []resource.TestStep{
			{
				// The next two reads after each create answer 404.
				PreConfig: func() {
					_, err := e.mock.AddFaults(mockgraph.Fault{ID: "lag", Match: "create", Kind: mockgraph.FaultLag, LagReads: 2, Count: 2})
					e.must(err)
				},
				Config: e.config(mobile),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(mobile.address(), tfjsonpath.New("sms_sign_in_enabled"), knownvalue.Bool(true)),
				},
				Check: resource.ComposeTestCheckFunc(e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555551234", "ready"), e.checkStateMatchesGraph()),
			},
			{
				// Graph applies the create but the response never arrives.
				PreConfig: func() {
					e.mock.ClearFaults()
					_, err := e.mock.AddFaults(mockgraph.Fault{ID: "drop", Match: "create", Kind: mockgraph.FaultDrop, Count: 1})
					e.must(err)
				},
				Config: e.config(mobile, office),
				Check:  resource.ComposeTestCheckFunc(e.checkGraphPhone(accBiancaUPN, "office", "+1 5555551235", ""), e.checkStateMatchesGraph()),
			},
			{
				// Throttled writes are retried after Retry-After.
				PreConfig: func() {
					e.mock.ClearFaults()
					_, err := e.mock.AddFaults(mockgraph.Fault{ID: "throttle", Match: "write", Kind: mockgraph.FaultThrottle, Count: 2, RetryAfterSeconds: 1})
					e.must(err)
				},
				Config: e.config(phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555559999", SMS: boolPtr(true)}, office),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				Check: e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555559999", "ready"),
			},
		},
	})
}

// TestAccPhoneAuthenticationMethod_deleteAlreadyGone: a phone that is gone
// by the time it is deleted (Graph answers 404) counts as deleted.
func TestAccPhoneAuthenticationMethod_deleteAlreadyGone(t *testing.T) {
	t.Parallel()
	e := newAccEnv(t)
	office := phoneConfig{Name: "office", UserID: accAdeleUPN, PhoneType: "office", PhoneNumber: "+1 5555551234"}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkGraphNoPhone(accAdeleUPN),
		Steps: []resource.TestStep{
			{Config: e.config(office)},
			{
				// Someone deletes it between the refresh and the delete: the
				// refresh is made to still see it, so the DELETE gets the 404.
				PreConfig: func() {
					e.must(e.mock.DeletePhoneMethodOutOfBand(e.tenant, accAdeleUPN, officeMethodID))
					_, err := e.mock.AddFaults(mockgraph.Fault{ID: "stale-get", Method: "GET", Match: "get", Kind: mockgraph.FaultRaw, Status: 200,
						Headers: map[string]string{"Content-Type": "application/json"},
						Body:    `{"id":"` + officeMethodID + `","phoneNumber":"+1 5555551234","phoneType":"office","smsSignInState":"notSupported"}`})
					e.must(err)
				},
				Config: e.providerConfig(),
				Check: func(*terraform.State) error {
					if n := len(e.mock.RequestLog(mockgraph.RequestLogFilter{Method: "DELETE", Status: 404})); n != 1 {
						return fmt.Errorf("%d DELETEs answered 404; want 1", n)
					}
					return nil
				},
			},
		},
	})
}
