package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// Graph slower than an operation's timeout, in the two ways that matter:
// before the write is applied (the mock waits, the provider gives up,
// nothing changes) and after (Graph applied the write, its response comes
// too late). Either way the error says which operation ran out of which
// limit and how to raise it, and state matches Graph: checked after a
// refresh, which cannot repair an orphan (a phone only Graph knows about)
// but does converge a state Terraform kept from before a failed write.

// graphHolds is a mock delay far longer than any timeout below; the
// provider gives up long before it ends, and the mock lets go as soon as
// the provider hangs up.
const graphHolds = mockgraph.Duration(5 * time.Minute)

// slowFault delays one operation's next call: "latency" before the mock
// serves it, "slow_response" after it applied it.
func slowFault(kind, op string) mockgraph.Fault {
	return mockgraph.Fault{ID: kind + "-" + op, Match: op, Kind: kind, Latency: graphHolds, Count: 1}
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

// TestAccPhoneAuthenticationMethod_createTimeout: a create slower than
// timeouts.create fails with a timeout error. Held before the write,
// nothing exists and nothing is saved; held after it, Graph has the phone
// and so does the state (tainted, so the next apply replaces it). Either
// way the next apply converges with state equal to Graph.
func TestAccPhoneAuthenticationMethod_createTimeout(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		kind    string
		outcome string
		// after the failed apply
		stateHasIt bool
		nextAction plancheck.ResourceActionType
		// create calls by status once the next apply is done
		creates map[int]int
	}{
		{mockgraph.FaultLatency, "Microsoft Graph does not have the phone, so nothing was created", false, plancheck.ResourceActionCreate, map[int]int{0: 1, 201: 1}},
		{mockgraph.FaultSlowResponse, "Microsoft Graph did apply the create: the user now has this phone. It is saved in the state", true, plancheck.ResourceActionDestroyBeforeCreate, map[int]int{201: 2}},
	} {
		t.Run(c.kind, func(t *testing.T) {
			t.Parallel()
			e := newAccEnv(t)
			mobile := phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555550101", SMS: boolPtr(true),
				Timeouts: map[string]string{"create": "3s"}}
			afterFailure := []resource.TestCheckFunc{e.checkStateMatchesGraph()}
			if c.stateHasIt {
				afterFailure = append(afterFailure, checkTainted(mobile.address()), e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550101", "ready"))
			} else {
				afterFailure = append(afterFailure, checkNoPhoneResources(), e.checkGraphNoPhone(accAdeleUPN))
			}
			// Only the one held call: the provider did not retry a create it
			// gave up on (status 201 when Graph applied it, 0 when not).
			held := map[int]int{0: 1}
			if c.stateHasIt {
				held = map[int]int{201: 1}
			}
			afterFailure = append(afterFailure, e.checkCalls(mockgraph.OpCreate, held))
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				CheckDestroy:             e.checkTenantWithoutPhones(),
				Steps: []resource.TestStep{
					{
						PreConfig: func() {
							_, err := e.mock.AddFaults(slowFault(c.kind, mockgraph.OpCreate))
							e.must(err)
						},
						Config: e.config(mobile),
						ExpectError: errorRE("Timed out creating phone method", fmt.Sprintf("Creating the mobile phone %q for user %q", "+1 5555550101", accAdeleUPN),
							"did not finish within 3s (timeouts.create)", c.outcome, "raise the limit in the resource's timeouts block", `create = "10m"`, "Last Graph error:"),
					},
					{
						RefreshState:       true,
						ExpectNonEmptyPlan: true,
						RefreshPlanChecks: resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(mobile.address(), c.nextAction),
						}},
						Check: resource.ComposeAggregateTestCheckFunc(afterFailure...),
					},
					{
						Config:           e.config(mobile),
						ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
						Check: resource.ComposeAggregateTestCheckFunc(
							e.checkStateMatchesGraph(),
							e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550101", "ready"),
							e.checkCalls(mockgraph.OpCreate, c.creates),
						),
					},
				},
			})
		})
	}
}

// TestAccPhoneAuthenticationMethod_updateTimeout: a number change slower
// than timeouts.update fails with a timeout error, and the state holds the
// number Graph really has: the new one when Graph applied the PATCH (the
// plan is then empty), the old one when it did not (the plan still shows
// the change, which the next apply makes).
func TestAccPhoneAuthenticationMethod_updateTimeout(t *testing.T) {
	t.Parallel()
	const before, after = "+1 5555550201", "+1 5555550202"
	for _, c := range []struct {
		kind      string
		outcome   string
		inGraph   string
		patches   map[int]int // after the failed apply
		converged bool
	}{
		{mockgraph.FaultLatency, fmt.Sprintf("Microsoft Graph still has the number %q; the state keeps it", before), before, map[int]int{0: 1}, false},
		{mockgraph.FaultSlowResponse, "Microsoft Graph did apply the new number, and the state now holds it", after, map[int]int{204: 1}, true},
	} {
		t.Run(c.kind, func(t *testing.T) {
			t.Parallel()
			e := newAccEnv(t)
			office := phoneConfig{Name: "office", UserID: accBiancaUPN, PhoneType: "office", PhoneNumber: before, Timeouts: map[string]string{"update": "3s"}}
			changed := office
			changed.PhoneNumber = after
			refresh := resource.TestStep{
				RefreshState: true,
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkStateMatchesGraph(),
					e.checkGraphPhone(accBiancaUPN, "office", c.inGraph, "notSupported"),
					resource.TestCheckResourceAttr(office.address(), "phone_number", c.inGraph),
					e.checkCalls(mockgraph.OpUpdate, c.patches),
				),
			}
			if !c.converged {
				refresh.ExpectNonEmptyPlan = true
				refresh.RefreshPlanChecks.PostRefresh = []plancheck.PlanCheck{plancheck.ExpectResourceAction(office.address(), plancheck.ResourceActionUpdate)}
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				CheckDestroy:             e.checkTenantWithoutPhones(),
				Steps: []resource.TestStep{
					{Config: e.config(office), Check: e.checkStateMatchesGraph()},
					{
						PreConfig: func() {
							_, err := e.mock.AddFaults(slowFault(c.kind, mockgraph.OpUpdate))
							e.must(err)
						},
						Config: e.config(changed),
						ExpectError: errorRE("Timed out updating phone number", fmt.Sprintf("Changing the number of user %q's office phone to %q", accBiancaUPN, after),
							"did not finish within 3s (timeouts.update)", c.outcome, `update = "10m"`, "Last Graph error:"),
					},
					refresh,
					{
						Config:           e.config(changed),
						ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
						Check: resource.ComposeAggregateTestCheckFunc(
							e.checkStateMatchesGraph(),
							e.checkGraphPhone(accBiancaUPN, "office", after, "notSupported"),
						),
					},
				},
			})
		})
	}
}

// TestAccPhoneAuthenticationMethod_deleteTimeout: a delete slower than
// timeouts.delete fails with a timeout error that says whether Graph
// applied it. Terraform keeps the resource in state after a failed delete;
// the next refresh drops it when Graph did apply it (no ghost), and the
// next destroy deletes it when Graph did not (no orphan).
func TestAccPhoneAuthenticationMethod_deleteTimeout(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		kind    string
		outcome string
		gone    bool
		deletes map[int]int // after the failed destroy
	}{
		{mockgraph.FaultLatency, "Microsoft Graph still has the phone. Run terraform apply (or destroy) again to delete it", false, map[int]int{0: 1}},
		{mockgraph.FaultSlowResponse, "Microsoft Graph did apply the delete: the phone is gone", true, map[int]int{204: 1}},
	} {
		t.Run(c.kind, func(t *testing.T) {
			t.Parallel()
			e := newAccEnv(t)
			office := phoneConfig{Name: "office", UserID: accBiancaUPN, PhoneType: "office", PhoneNumber: "+1 5555550201", Timeouts: map[string]string{"delete": "3s"}}
			afterFailure := []resource.TestCheckFunc{e.checkStateMatchesGraph(), e.checkCalls(mockgraph.OpDelete, c.deletes)}
			if c.gone {
				afterFailure = append(afterFailure, checkNoPhoneResources(), e.checkGraphNoPhone(accBiancaUPN))
			} else {
				afterFailure = append(afterFailure, e.checkGraphPhone(accBiancaUPN, "office", "+1 5555550201", "notSupported"))
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				CheckDestroy:             e.checkTenantWithoutPhones(),
				Steps: []resource.TestStep{
					{Config: e.config(office), Check: e.checkStateMatchesGraph()},
					{
						PreConfig: func() {
							_, err := e.mock.AddFaults(slowFault(c.kind, mockgraph.OpDelete))
							e.must(err)
						},
						Config: e.providerConfig(),
						ExpectError: errorRE("Timed out deleting phone method", fmt.Sprintf("Deleting the office phone of user %q", accBiancaUPN),
							"did not finish within 3s (timeouts.delete)", c.outcome, `delete = "10m"`, "Last Graph error:"),
					},
					{
						// Not gone: the refreshed state still has it and the
						// plan still deletes it; gone: both are empty.
						RefreshState:       true,
						ExpectNonEmptyPlan: !c.gone,
						Check:              resource.ComposeAggregateTestCheckFunc(afterFailure...),
					},
				},
			})
		})
	}
}

// TestAccPhoneAuthenticationMethod_smsSignInTimeout: the create itself is
// quick but the disableSmsSignIn after it is answered after timeouts.create
// ran out (Graph applied it). The error names the call and the limit and
// reports the smsSignInState Graph holds afterwards (read under the grace
// period, so it shows the applied call), the phone is saved tainted, and
// state matches Graph.
func TestAccPhoneAuthenticationMethod_smsSignInTimeout(t *testing.T) {
	t.Parallel()
	e := newAccEnv(t)
	mobile := phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555550101", SMS: boolPtr(false),
		Timeouts: map[string]string{"create": "3s"}}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkTenantWithoutPhones(),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					_, err := e.mock.AddFaults(slowFault(mockgraph.FaultSlowResponse, mockgraph.OpDisableSmsSignIn))
					e.must(err)
				},
				Config: e.config(mobile),
				ExpectError: errorRE("Timed out changing SMS sign-in", fmt.Sprintf("did not answer disableSmsSignIn for user %q's mobile phone", accAdeleUPN),
					"timeouts.create or timeouts.update", `Graph now reports smsSignInState "notEnabled"`, `create = "10m"`, "Last Graph error:",
					"was created and is saved in the state"),
			},
			{
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				RefreshPlanChecks: resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(mobile.address(), plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkStateMatchesGraph(),
					checkTainted(mobile.address()),
					e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550101", "notEnabled"),
					e.checkCalls(mockgraph.OpCreate, map[int]int{201: 1}),
					e.checkCalls(mockgraph.OpDisableSmsSignIn, map[int]int{204: 1}),
				),
			},
			{
				Config:           e.config(mobile),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkStateMatchesGraph(),
					e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550101", "notEnabled"),
					resource.TestCheckResourceAttr(mobile.address(), "sms_sign_in_enabled", "false"),
				),
			},
		},
	})
}
