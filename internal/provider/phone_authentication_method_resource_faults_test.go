package provider

import (
	"fmt"
	"testing"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Faults of several classes in one lifecycle, a delete Graph answers 404,
// and the assertions the ..._faults_*_test.go files share. Each fault class
// has its own file: throttling, lost_response, lag, timeout, interrupt.

// TestAccPhoneAuthenticationMethod_graphFaults: reads that do not see a
// fresh write yet (404), a create whose response is lost, and throttling
// all end in the right state with an empty plan afterwards.
func TestAccPhoneAuthenticationMethod_graphFaults(t *testing.T) {
	e := newAccEnv(t)
	mobile := phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555551234", SMS: boolPtr(true)}
	office := phoneConfig{Name: "office", UserID: accBiancaUPN, PhoneType: "office", PhoneNumber: "+1 5555551235"}
	e.test(t, resource.TestCase{
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
				Check: resource.ComposeTestCheckFunc(e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555551234", "ready")),
			},
			{
				// Graph applies the create but the response never arrives.
				PreConfig: func() {
					e.mock.ClearFaults()
					_, err := e.mock.AddFaults(mockgraph.Fault{ID: "drop", Match: "create", Kind: mockgraph.FaultDrop, Count: 1})
					e.must(err)
				},
				Config: e.config(mobile, office),
				Check:  resource.ComposeTestCheckFunc(e.checkGraphPhone(accBiancaUPN, "office", "+1 5555551235", "")),
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
	e := newAccEnv(t)
	office := phoneConfig{Name: "office", UserID: accAdeleUPN, PhoneType: "office", PhoneNumber: "+1 5555551234"}
	e.test(t, resource.TestCase{
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

// checkNoWrites asserts no update or delete reached Graph.
func (e *accEnv) checkNoWrites(ops ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, op := range ops {
			if n := len(e.mock.RequestLog(mockgraph.RequestLogFilter{Operation: op})); n != 0 {
				return fmt.Errorf("%d %s calls reached Graph; want none", n, op)
			}
		}
		return nil
	}
}

// checkNoPhoneResources asserts the state holds no phone method.
func checkNoPhoneResources() resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for addr, rs := range s.RootModule().Resources {
			if rs.Type == "entraauth_phone_authentication_method" {
				return fmt.Errorf("state holds %s (%s)", addr, rs.Primary.ID)
			}
		}
		return nil
	}
}

// checkCalls asserts how one operation's calls ended: status → count.
func (e *accEnv) checkCalls(op string, want map[int]int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got := map[int]int{}
		for _, r := range e.mock.RequestLog(mockgraph.RequestLogFilter{Operation: op}) {
			got[r.Status]++
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("%s calls by status: %v; want %v", op, got, want)
		}
		return nil
	}
}

// checkTainted asserts the resource is in state and marked tainted.
func checkTainted(address string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[address]
		if !ok || rs.Primary == nil {
			return fmt.Errorf("%s is not in the state", address)
		}
		if !rs.Primary.Tainted {
			return fmt.Errorf("%s is in the state but not tainted", address)
		}
		return nil
	}
}
