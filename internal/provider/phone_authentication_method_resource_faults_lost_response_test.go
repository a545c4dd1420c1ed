package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Lost responses: creates Graph applied but whose answer never arrived,
// adopted by the retry or the next apply, and a create that meets another
// number.

// A create whose write Graph applied but whose response never arrived must
// end with the phone managed exactly once: adopted by the provider's own
// retry, or by the next apply when this one failed, never created twice
// and never refused with "already exists". A different number already
// there is someone else's phone: a clear error pointing at import.

// createsPath is the path a user's phone creates are POSTed to (the user
// as the configuration gives it; the mock logs the decoded path).
func createsPath(user string) string { return "/v1.0/users/" + user + "/authentication/phoneMethods" }

// dropCreateOf drops the response of the next create for one user.
func dropCreateOf(user string) mockgraph.Fault {
	return mockgraph.Fault{ID: "drop-" + user, Method: "POST", Match: createsPath(user), Kind: mockgraph.FaultDrop, Count: 1}
}

// createOutcomes counts one user's create calls (POST to the phones
// collection, not enable/disable) by how they ended.
type createOutcomes struct{ created, dropped, refused, unavailable, other int }

func (e *accEnv) createOutcomes(user string) createOutcomes {
	var c createOutcomes
	for _, r := range e.mock.RequestLog(mockgraph.RequestLogFilter{Method: "POST", Operation: mockgraph.OpCreate}) {
		if !strings.EqualFold(r.Path, createsPath(user)) {
			continue
		}
		switch {
		case r.Status == 201:
			c.created++
		case r.Status == 0 && r.Fault == mockgraph.FaultDrop:
			c.dropped++
		case r.Status == 400:
			c.refused++
		case r.Status == 503:
			c.unavailable++
		default:
			c.other++
		}
	}
	return c
}

// checkCreates asserts one user's create calls ended exactly as wanted.
func (e *accEnv) checkCreates(user string, want createOutcomes) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := e.createOutcomes(user); got != want {
			return fmt.Errorf("creates for %s: %+v; want %+v (request log: %+v)", user, got, want, e.mock.RequestLog(mockgraph.RequestLogFilter{Method: "POST"}))
		}
		return nil
	}
}

// TestAccPhoneAuthenticationMethod_lostCreateAdoptedByRetry: the responses
// to a mobile (with SMS sign-in), an alternateMobile and an office create
// are lost after Graph applied them; the provider's retry, refused because
// the phone now exists, recognises its own phone and the apply succeeds.
// Each phone was written exactly once (the dropped call), no create
// succeeded a second time, and state equals Graph.
func TestAccPhoneAuthenticationMethod_lostCreateAdoptedByRetry(t *testing.T) {
	e := newAccEnv(t)
	carlosMobile := phoneConfig{Name: "carlos_mobile", UserID: accCarlosUPN, PhoneType: "mobile", PhoneNumber: "+1 5555550301"}
	adeleMobile := phoneConfig{Name: "adele_mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555550101", SMS: boolPtr(true)}
	biancaOffice := phoneConfig{Name: "bianca_office", UserID: accBiancaUPN, PhoneType: "office", PhoneNumber: "+1 5555550201x42"}
	carlosAlt := phoneConfig{Name: "carlos_alt", UserID: accCarlosUPN, PhoneType: "alternateMobile", PhoneNumber: "+44 2079460302"}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkTenantWithoutPhones(),
		Steps: []resource.TestStep{
			{
				// carlos's mobile first, so the dropped create below is his
				// alternateMobile's and not the mobile it needs.
				Config: e.config(carlosMobile),
			},
			{
				PreConfig: func() {
					e.mock.ResetRequestLog()
					_, err := e.mock.AddFaults(dropCreateOf(accAdeleUPN), dropCreateOf(accBiancaUPN), dropCreateOf(accCarlosUPN))
					e.must(err)
				},
				Config:           e.config(carlosMobile, adeleMobile, biancaOffice, carlosAlt),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(adeleMobile.address(), tfjsonpath.New("sms_sign_in_enabled"), knownvalue.Bool(true)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550101", "ready"),
					e.checkGraphPhone(accBiancaUPN, "office", "+1 5555550201x42", "notSupported"),
					e.checkGraphPhone(accCarlosUPN, "alternateMobile", "+44 2079460302", "notSupported"),
					// Written once (dropped), retried once (refused: it exists),
					// never created again.
					e.checkCreates(accAdeleUPN, createOutcomes{dropped: 1, refused: 1}),
					e.checkCreates(accBiancaUPN, createOutcomes{dropped: 1, refused: 1}),
					e.checkCreates(accCarlosUPN, createOutcomes{dropped: 1, refused: 1}),
					e.checkNoWrites(mockgraph.OpUpdate, mockgraph.OpDelete),
				),
			},
		},
	})
}

// TestAccPhoneAuthenticationMethod_lostCreateAdoptedByNextApply: the
// response to a mobile create is lost and Graph then stays unavailable
// until timeouts.create runs out, so the apply fails without the phone in
// state. The next apply recognises the phone (same user, type and number)
// and adopts it: no second create succeeds, no "already exists" error,
// state equals Graph and the plan is empty.
func TestAccPhoneAuthenticationMethod_lostCreateAdoptedByNextApply(t *testing.T) {
	e := newAccEnv(t)
	mobile := phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555550101", SMS: boolPtr(true),
		Timeouts: map[string]string{"create": opTimeout}}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkTenantWithoutPhones(),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					_, err := e.mock.AddFaults(dropCreateOf(accAdeleUPN),
						mockgraph.Fault{ID: "outage", Match: "phone", Kind: mockgraph.FaultUnavailable})
					e.must(err)
				},
				Config:      e.config(mobile),
				ExpectError: errorRE("Timed out creating phone method", withinLimit("create"), "could not be checked", "adopts it instead of creating it twice", "create = \"10m\""),
			},
			{
				// The failed apply left nothing in state, but Graph has the phone,
				// notConfigured as a new mobile reads in real tenants: the
				// enableSmsSignIn after the create was never reached.
				PreConfig:          func() { e.mock.ClearFaults() },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				RefreshPlanChecks: resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(mobile.address(), plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkNoPhoneResources(),
					e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550101", "notConfigured"),
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
					// The dropped call is the only create Graph applied; the
					// next apply's create was refused and the phone adopted,
					// then enabled (it read notConfigured).
					e.checkCalls(mockgraph.OpEnableSmsSignIn, map[int]int{204: 1}),
					func(*terraform.State) error {
						got := e.createOutcomes(accAdeleUPN)
						if got.created != 0 || got.dropped != 1 || got.refused != 1 || got.unavailable < 1 || got.other != 0 {
							return fmt.Errorf("creates for %s: %+v; want none created, 1 dropped, 1 refused, the rest refused as unavailable", accAdeleUPN, got)
						}
						return nil
					},
					e.checkNoWrites(mockgraph.OpUpdate, mockgraph.OpDelete),
				),
			},
		},
	}, acctest.UnmanagedPhone(accAdeleUPN, "mobile")) // the lost create's phone is outside state until the next apply adopts it
}

// TestAccPhoneAuthenticationMethod_createMeetsOtherNumber: the user already
// has a mobile with another number (added outside Terraform). The apply
// fails with an error naming the user, the type and the existing number
// and giving the exact import id; Graph is unchanged and the state empty.
// Importing with that id then brings the phone under management.
func TestAccPhoneAuthenticationMethod_createMeetsOtherNumber(t *testing.T) {
	e := newAccEnv(t)
	mobile := phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555550101", SMS: boolPtr(true)}
	const outOfBand = "+1 5555550999"
	id := importID(accAdeleUPN, "mobile")
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkTenantWithoutPhones(),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accAdeleUPN, "mobile", outOfBand, true))
					e.mock.ResetRequestLog()
				},
				Config: e.config(mobile),
				ExpectError: errorRE("Phone method already exists",
					fmt.Sprintf("User %q already has a mobile phone, with number %q, not %q", accAdeleUPN, outOfBand, "+1 5555550101"),
					fmt.Sprintf("terraform import <resource address> %q", id), fmt.Sprintf("import block with id = %q", id)),
			},
			{
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				RefreshPlanChecks: resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(mobile.address(), plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkNoPhoneResources(),
					e.checkGraphPhone(accAdeleUPN, "mobile", outOfBand, "ready"),
					// One refused create and nothing else written.
					e.checkCreates(accAdeleUPN, createOutcomes{refused: 1}),
					e.checkNoWrites(mockgraph.OpUpdate, mockgraph.OpDelete, mockgraph.OpEnableSmsSignIn, mockgraph.OpDisableSmsSignIn),
				),
			},
			{
				// The suggested import id works; the number is then changed in place.
				Config: e.config(mobile, rawHCL(fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", mobile.address(), id))),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(mobile.address(), plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550101", "ready"),
					e.checkCreates(accAdeleUPN, createOutcomes{refused: 1}),
				),
			},
		},
	}, acctest.UnmanagedPhone(accAdeleUPN, "mobile")) // added outside Terraform until the import step
}
