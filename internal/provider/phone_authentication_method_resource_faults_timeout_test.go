package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Timeouts: each operation slower than its limit in the resource's
// timeouts block, and what state and Graph hold afterwards.

// Graph slower than an operation's timeout, in the two ways that matter:
// before the write is applied (the mock waits, the provider gives up,
// nothing changes) and after (Graph applied the write, its response comes
// too late). Either way the error says which operation ran out of which
// limit and how to raise it, and state matches Graph: checked after a
// refresh, which cannot repair an orphan (a phone only Graph knows about)
// but does converge a state Terraform kept from before a failed write.

// opTimeout is the timeouts block value of the operation under test. It is
// long enough for the token, the user's lock and the request to start on a
// loaded CI machine running many acceptance tests at once, so the held
// request is always the one that runs out of time.
const opTimeout = "15s"

// graphHolds is a mock delay far longer than opTimeout plus the provider's
// grace read after it (timeoutGracePeriod, 10s): the provider gives up long
// before it ends, so no timing coincidence decides a case, and the mock
// lets go as soon as the provider hangs up.
const graphHolds = mockgraph.Duration(5 * time.Minute)

// withinLimit is the error text naming the limit that ran out.
func withinLimit(key string) string {
	return fmt.Sprintf("did not finish within %s (timeouts.%s)", opTimeout, key)
}

// slowFault delays one operation's next call: "latency" before the mock
// serves it, "slow_response" after it applied it.
func slowFault(kind, op string) mockgraph.Fault {
	return mockgraph.Fault{ID: kind + "-" + op, Match: op, Kind: kind, Latency: graphHolds, Count: 1}
}

// TestAccPhoneAuthenticationMethod_createTimeout: a create slower than
// timeouts.create fails with a timeout error. Held before the write,
// nothing exists and nothing is saved; held after it, Graph has the phone
// and so does the state (tainted, so the next apply replaces it). Either
// way the next apply converges with state equal to Graph.
//
// A created mobile reads notConfigured, as in real tenants: with
// sms_sign_in_enabled = true the applied create is not yet as configured
// (the enableSmsSignIn after it was never reached), and the message says
// untaint leaves only SMS sign-in to change; with it unset Graph holds
// exactly what was configured.
func TestAccPhoneAuthenticationMethod_createTimeout(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, kind string
		sms        *bool
		outcome    string
		// after the failed apply
		stateHasIt bool
		nextAction plancheck.ResourceActionType
		// create calls by status once the next apply is done
		creates map[int]int
		// Graph's smsSignInState once the next apply is done
		finalState string
	}{
		{mockgraph.FaultLatency, mockgraph.FaultLatency, boolPtr(true), "Microsoft Graph does not have the phone, so nothing was created", false, plancheck.ResourceActionCreate, map[int]int{0: 1, 201: 1}, "ready"},
		{mockgraph.FaultSlowResponse, mockgraph.FaultSlowResponse, boolPtr(true), `Microsoft Graph did apply the create: the user now has this phone, but SMS sign-in is not as configured yet (smsSignInState "notConfigured"). ` +
			"It is saved in the state, so it is not lost; Terraform marks it tainted, so the next apply deletes and re-creates the user's phone. " +
			"To keep the phone instead, run terraform untaint on this resource (terraform untaint <resource address>); the next apply then only changes SMS sign-in.",
			true, plancheck.ResourceActionDestroyBeforeCreate, map[int]int{201: 2}, "ready"},
		{mockgraph.FaultSlowResponse + "_sms_unset", mockgraph.FaultSlowResponse, nil, "Microsoft Graph did apply the create and holds exactly what was configured: the user now has this phone. It is saved in the state, so it is not lost; " +
			"Terraform marks it tainted, so the next apply deletes and re-creates the user's phone. To keep it as it is instead, run terraform untaint on this resource",
			true, plancheck.ResourceActionDestroyBeforeCreate, map[int]int{201: 2}, "notConfigured"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newAccEnv(t)
			mobile := phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555550101", SMS: c.sms,
				Timeouts: map[string]string{"create": opTimeout}}
			var afterFailure []resource.TestCheckFunc
			if c.stateHasIt {
				afterFailure = append(afterFailure, checkTainted(mobile.address()), e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550101", "notConfigured"))
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
			e.test(t, resource.TestCase{
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
							withinLimit("create"), c.outcome, "raise the limit in the resource's timeouts block", `create = "10m"`, "Last Graph error:"),
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
							e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550101", c.finalState),
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
			e := newAccEnv(t)
			office := phoneConfig{Name: "office", UserID: accBiancaUPN, PhoneType: "office", PhoneNumber: before, Timeouts: map[string]string{"update": opTimeout}}
			changed := office
			changed.PhoneNumber = after
			refresh := resource.TestStep{
				RefreshState: true,
				Check: resource.ComposeAggregateTestCheckFunc(
					// statecheck cannot run on a RefreshState step.
					resource.TestCheckResourceAttr(office.address(), "phone_number", c.inGraph),
					e.checkGraphPhone(accBiancaUPN, "office", c.inGraph, "notSupported"),
					e.checkCalls(mockgraph.OpUpdate, c.patches),
				),
			}
			if !c.converged {
				refresh.ExpectNonEmptyPlan = true
				refresh.RefreshPlanChecks.PostRefresh = []plancheck.PlanCheck{plancheck.ExpectResourceAction(office.address(), plancheck.ResourceActionUpdate)}
			}
			e.test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				CheckDestroy:             e.checkTenantWithoutPhones(),
				Steps: []resource.TestStep{
					{Config: e.config(office)},
					{
						PreConfig: func() {
							_, err := e.mock.AddFaults(slowFault(c.kind, mockgraph.OpUpdate))
							e.must(err)
						},
						Config: e.config(changed),
						ExpectError: errorRE("Timed out updating phone number", fmt.Sprintf("Changing the number of user %q's office phone to %q", accBiancaUPN, after),
							withinLimit("update"), c.outcome, `update = "10m"`, "Last Graph error:"),
					},
					refresh,
					{
						Config:           e.config(changed),
						ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
						Check: resource.ComposeAggregateTestCheckFunc(
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
			e := newAccEnv(t)
			office := phoneConfig{Name: "office", UserID: accBiancaUPN, PhoneType: "office", PhoneNumber: "+1 5555550201", Timeouts: map[string]string{"delete": opTimeout}}
			afterFailure := []resource.TestCheckFunc{e.checkCalls(mockgraph.OpDelete, c.deletes)}
			if c.gone {
				afterFailure = append(afterFailure, checkNoPhoneResources(), e.checkGraphNoPhone(accBiancaUPN))
			} else {
				afterFailure = append(afterFailure, e.checkGraphPhone(accBiancaUPN, "office", "+1 5555550201", "notSupported"))
			}
			e.test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				CheckDestroy:             e.checkTenantWithoutPhones(),
				Steps: []resource.TestStep{
					{Config: e.config(office)},
					{
						PreConfig: func() {
							_, err := e.mock.AddFaults(slowFault(c.kind, mockgraph.OpDelete))
							e.must(err)
						},
						Config: e.providerConfig(),
						ExpectError: errorRE("Timed out deleting phone method", fmt.Sprintf("Deleting the office phone of user %q", accBiancaUPN),
							withinLimit("delete"), c.outcome, `delete = "10m"`, "Last Graph error:"),
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
// quick but the enableSmsSignIn after it (a new mobile reads notConfigured,
// as in real tenants, so sms_sign_in_enabled = true needs it) is answered
// after timeouts.create ran out (Graph applied it). The error names the
// call and the limit and reports the smsSignInState Graph holds afterwards
// (read under the grace period, so it shows the applied call); as Graph
// then holds exactly what was configured, it says terraform untaint keeps
// the phone. The phone is saved tainted, and state matches Graph.
func TestAccPhoneAuthenticationMethod_smsSignInTimeout(t *testing.T) {
	e := newAccEnv(t)
	mobile := phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555550101", SMS: boolPtr(true),
		Timeouts: map[string]string{"create": opTimeout}}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkTenantWithoutPhones(),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					_, err := e.mock.AddFaults(slowFault(mockgraph.FaultSlowResponse, mockgraph.OpEnableSmsSignIn))
					e.must(err)
				},
				Config: e.config(mobile),
				ExpectError: errorRE("Timed out changing SMS sign-in", fmt.Sprintf("did not answer enableSmsSignIn for user %q's mobile phone", accAdeleUPN),
					"timeouts.create or timeouts.update", `Graph now reports smsSignInState "ready" (read afterwards)`, `create = "10m"`, "Last Graph error:",
					"was created and is saved in the state", "Microsoft Graph holds exactly what was configured", "run terraform untaint on this resource"),
			},
			{
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				RefreshPlanChecks: resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(mobile.address(), plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkTainted(mobile.address()),
					e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550101", "ready"),
					e.checkCalls(mockgraph.OpCreate, map[int]int{201: 1}),
					e.checkCalls(mockgraph.OpEnableSmsSignIn, map[int]int{204: 1}),
				),
			},
			{
				Config:           e.config(mobile),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(mobile.address(), tfjsonpath.New("sms_sign_in_enabled"), knownvalue.Bool(true)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550101", "ready"),
				),
			},
		},
	})
}

// TestAccPhoneAuthenticationMethod_smsSignInTimeoutUnread: the
// enableSmsSignIn after a create (the new mobile reads notConfigured, as in
// real tenants) is held until timeouts.create runs out (not applied), and
// the read after it is held too, past the grace period. The error must not
// claim to know Graph's smsSignInState: it says the read failed and the
// state keeps the value from before the call. The phone is saved tainted,
// and once Graph answers again state matches Graph.
func TestAccPhoneAuthenticationMethod_smsSignInTimeoutUnread(t *testing.T) {
	e := newAccEnv(t)
	mobile := phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555550101", SMS: boolPtr(true),
		Timeouts: map[string]string{"create": opTimeout}}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkTenantWithoutPhones(),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					// Nothing is in state, so the plan reads nothing: the only
					// read held is the one after the timed-out call.
					_, err := e.mock.AddFaults(slowFault(mockgraph.FaultLatency, mockgraph.OpEnableSmsSignIn),
						mockgraph.Fault{ID: "held-reads", Match: mockgraph.OpGet, Kind: mockgraph.FaultLatency, Latency: graphHolds})
					e.must(err)
				},
				Config: e.config(mobile),
				ExpectError: errorRE("Timed out changing SMS sign-in", fmt.Sprintf("did not answer enableSmsSignIn for user %q's mobile phone", accAdeleUPN),
					"Whether Graph applied it is not known: reading the phone afterwards failed too", `so the state keeps smsSignInState "notConfigured" from before the call`,
					`create = "10m"`, "Last Graph error:", "was created and is saved in the state"),
			},
			{
				PreConfig:          func() { e.mock.ClearFaults() },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				RefreshPlanChecks: resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(mobile.address(), plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					// statecheck cannot run on a RefreshState step.
					resource.TestCheckResourceAttr(mobile.address(), "sms_sign_in_enabled", "false"),
					checkTainted(mobile.address()),
					e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550101", "notConfigured"),
					e.checkCalls(mockgraph.OpEnableSmsSignIn, map[int]int{0: 1}),
				),
			},
			{
				Config:           e.config(mobile),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(mobile.address(), tfjsonpath.New("sms_sign_in_enabled"), knownvalue.Bool(true)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550101", "ready"),
				),
			},
		},
	})
}

// TestAccPhoneAuthenticationMethod_enableSmsSignInTimeout: turning SMS
// sign-in on for an existing mobile phone, Graph applies enableSmsSignIn
// but answers after timeouts.update ran out. The error names the call and
// the limit and reports the state read afterwards; the state holds it, so
// the next plan is empty.
func TestAccPhoneAuthenticationMethod_enableSmsSignInTimeout(t *testing.T) {
	e := newAccEnv(t)
	off := phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555550101", SMS: boolPtr(false),
		Timeouts: map[string]string{"update": opTimeout}}
	on := off
	on.SMS = boolPtr(true)
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkTenantWithoutPhones(),
		Steps: []resource.TestStep{
			// A new mobile reads notConfigured (real tenants); false needs no call.
			{Config: e.config(off), Check: resource.ComposeAggregateTestCheckFunc(e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550101", "notConfigured"), e.checkCalls(mockgraph.OpDisableSmsSignIn, map[int]int{}))},
			{
				PreConfig: func() {
					e.mock.ResetRequestLog()
					_, err := e.mock.AddFaults(slowFault(mockgraph.FaultSlowResponse, mockgraph.OpEnableSmsSignIn))
					e.must(err)
				},
				Config: e.config(on),
				ExpectError: errorRE("Timed out changing SMS sign-in", fmt.Sprintf("did not answer enableSmsSignIn for user %q's mobile phone", accAdeleUPN),
					"timeouts.create or timeouts.update", `Graph now reports smsSignInState "ready" (read afterwards), which is what the state holds`,
					`update = "10m"`, "Last Graph error:"),
			},
			{
				RefreshState: true,
				Check: resource.ComposeAggregateTestCheckFunc(
					// statecheck cannot run on a RefreshState step.
					resource.TestCheckResourceAttr(on.address(), "sms_sign_in_enabled", "true"),
					e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550101", "ready"),
					e.checkCalls(mockgraph.OpEnableSmsSignIn, map[int]int{204: 1}),
				),
			},
			{
				Config:           e.config(on),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            e.checkCalls(mockgraph.OpEnableSmsSignIn, map[int]int{204: 1}),
			},
		},
	})
}

// TestAccPhoneAuthenticationMethod_readTimeout: a refresh whose read is
// slower than timeouts.read fails with an error naming timeouts.read, the
// limit and how to raise it (not a bare "context deadline exceeded"), and
// leaves Graph and the state as they were.
func TestAccPhoneAuthenticationMethod_readTimeout(t *testing.T) {
	e := newAccEnv(t)
	office := phoneConfig{Name: "office", UserID: accBiancaUPN, PhoneType: "office", PhoneNumber: "+1 5555550201", Timeouts: map[string]string{"read": opTimeout}}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkTenantWithoutPhones(),
		Steps: []resource.TestStep{
			{Config: e.config(office)},
			{
				PreConfig: func() {
					e.mock.ResetRequestLog()
					_, err := e.mock.AddFaults(mockgraph.Fault{ID: "held-reads", Match: mockgraph.OpGet, Kind: mockgraph.FaultLatency, Latency: graphHolds})
					e.must(err)
				},
				Config: e.config(office),
				ExpectError: errorRE("Timed out reading phone method", fmt.Sprintf("Reading the office phone of user %q", accBiancaUPN),
					withinLimit("read"), "Nothing was changed in Microsoft Graph", `read = "10m"`, "Last Graph error:"),
			},
			{
				PreConfig:    func() { e.mock.ClearFaults() },
				RefreshState: true,
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkGraphPhone(accBiancaUPN, "office", "+1 5555550201", "notSupported"),
					e.checkNoWrites(mockgraph.OpCreate, mockgraph.OpUpdate, mockgraph.OpDelete),
				),
			},
		},
	})
}
