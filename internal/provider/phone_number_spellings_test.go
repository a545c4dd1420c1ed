package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/phonenumber"
)

// spelledPhone is a resource whose number is written one way, and the
// canonical form Graph must receive for it.
type spelledPhone struct {
	phoneConfig
	canonical string
}

// TestAccPhoneNumberSpellings: every spelling of one number is accepted at
// plan time; Graph receives the canonical "+{country code} {number}x{extension}"
// (E.164 without the space split by the ITU country-code table, separators
// and parentheses dropped, "X" and "ext." extensions as "x"); the state keeps
// the configured spelling; and the next plan is empty. Respelling the same
// number changes only the state (no write reaches Graph); a new number in
// any spelling is one PATCH of its canonical form. Import stores the
// canonical form.
func TestAccPhoneNumberSpellings(t *testing.T) {
	e := newAccEnv(t)
	phone := func(name, user, phoneType, number, canonical string) spelledPhone {
		return spelledPhone{phoneConfig{Name: name, UserID: user, PhoneType: phoneType, PhoneNumber: number}, canonical}
	}
	first := []spelledPhone{
		phone("adele_mobile", accAdeleUPN, "mobile", "+15555551234", "+1 5555551234"),
		phone("adele_alternate", accAdeleUPN, "alternateMobile", "+44 20 7946 0958", "+44 2079460958"),
		phone("adele_office", accAdeleUPN, "office", "+1 (555) 555-1200 X12", "+1 5555551200x12"),
		phone("bianca_mobile", accBiancaUPN, "mobile", "+442079460959", "+44 2079460959"),
		phone("bianca_office", accBiancaUPN, "office", "+1-555-555-1201 ext. 9", "+1 5555551201x9"),
		phone("carlos_mobile", accCarlosUPN, "mobile", "+1 555.555.1202", "+1 5555551202"),
		phone("carlos_office", accCarlosUPN, "office", "+3531234567 EXT 77", "+353 1234567x77"),
	}
	// The same numbers, spelled another way.
	respelled := []spelledPhone{
		phone("adele_mobile", accAdeleUPN, "mobile", "+1 555-555-1234", "+1 5555551234"),
		phone("adele_alternate", accAdeleUPN, "alternateMobile", "+442079460958", "+44 2079460958"),
		phone("adele_office", accAdeleUPN, "office", "+1 5555551200x12", "+1 5555551200x12"),
		phone("bianca_mobile", accBiancaUPN, "mobile", "+44 (20) 7946-0959", "+44 2079460959"),
		phone("bianca_office", accBiancaUPN, "office", "+15555551201 x 9", "+1 5555551201x9"),
		phone("carlos_mobile", accCarlosUPN, "mobile", "+1 (555) 555 1202", "+1 5555551202"),
		phone("carlos_office", accCarlosUPN, "office", "+353 1 234 567 ext77", "+353 1234567x77"),
	}
	// Another number for Adele's mobile, spelled yet another way.
	renumbered := append([]spelledPhone{phone("adele_mobile", accAdeleUPN, "mobile", "+1 (555) 555-9999", "+1 5555559999")}, respelled[1:]...)

	step := func(phones []spelledPhone) (string, []statecheck.StateCheck, resource.TestCheckFunc) {
		blocks := make([]fmt.Stringer, len(phones))
		var states []statecheck.StateCheck
		var checks []resource.TestCheckFunc
		for i, p := range phones {
			blocks[i] = p.phoneConfig
			states = append(states, statecheck.ExpectKnownValue(p.address(), tfjsonpath.New("phone_number"), knownvalue.StringExact(p.PhoneNumber)))
			checks = append(checks, e.checkGraphPhone(p.UserID, p.PhoneType, p.canonical, ""))
		}
		return e.config(blocks...), states, resource.ComposeAggregateTestCheckFunc(checks...)
	}
	emptyAfter := resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}

	firstConfig, firstStates, firstChecks := step(first)
	respelledConfig, respelledStates, respelledChecks := step(respelled)
	renumberedConfig, renumberedStates, renumberedChecks := step(renumbered)
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkTenantWithoutPhones(),
		Steps: []resource.TestStep{
			{
				Config:            firstConfig,
				ConfigPlanChecks:  emptyAfter,
				ConfigStateChecks: firstStates,
				Check: resource.ComposeAggregateTestCheckFunc(firstChecks, e.checkWrites(accAdeleUPN, map[string]int{"create": 3}),
					e.checkWrites(accBiancaUPN, map[string]int{"create": 2}), e.checkWrites(accCarlosUPN, map[string]int{"create": 2})),
			},
			{
				// Planned again, nothing differs: Graph's canonical form is
				// the configured number.
				Config: firstConfig,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
			{
				// Respelled: Terraform updates the state to the new
				// spelling, and no write reaches Graph.
				PreConfig:         e.mock.ResetRequestLog,
				Config:            respelledConfig,
				ConfigPlanChecks:  emptyAfter,
				ConfigStateChecks: respelledStates,
				Check:             resource.ComposeAggregateTestCheckFunc(respelledChecks, e.checkOnlyReads()),
			},
			{
				// A new number, spelled with brackets and a dash: one PATCH
				// of its canonical form.
				PreConfig:         e.mock.ResetRequestLog,
				Config:            renumberedConfig,
				ConfigPlanChecks:  emptyAfter,
				ConfigStateChecks: renumberedStates,
				Check: resource.ComposeAggregateTestCheckFunc(renumberedChecks,
					e.checkWrites(accAdeleUPN, map[string]int{"update": 1}), e.checkWrites(accBiancaUPN, map[string]int{})),
			},
			{
				// Import stores Graph's canonical form.
				ResourceName:            renumbered[0].address(),
				ImportState:             true,
				ImportStateId:           accAdeleUPN + "/mobile",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"phone_number"},
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 || states[0].Attributes["phone_number"] != "+1 5555559999" {
						return fmt.Errorf("imported %v; want phone_number %q", states, "+1 5555559999")
					}
					return nil
				},
			},
		},
	}, acctest.CompareStateWith(e.checkStateMatchesGraphByNumber()))
}

// TestAccPhoneNumberStoredWithoutSpace: real Graph accepts E.164 without
// the space and keeps it (the mock returns it as written), so a phone the
// provider created may later read "+15555550181" from Graph, for example
// after someone re-entered it elsewhere. The provider compares by number:
// the refresh keeps the configured spelling, the plan is empty and nothing
// is written; import stores the canonical form.
func TestAccPhoneNumberStoredWithoutSpace(t *testing.T) {
	e := newAccEnv(t)
	mobile := phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555550181"}
	keepsSpelling := []statecheck.StateCheck{statecheck.ExpectKnownValue(mobile.address(), tfjsonpath.New("phone_number"), knownvalue.StringExact("+1 5555550181"))}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkTenantWithoutPhones(),
		Steps: []resource.TestStep{
			{
				Config: e.config(mobile),
				Check:  resource.ComposeAggregateTestCheckFunc(e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550181", "")),
			},
			{
				PreConfig: func() {
					e.must(e.mock.SetPhoneNumberOutOfBand(e.tenant, accAdeleUPN, mobileMethodID, "+15555550181"))
					e.mock.ResetRequestLog()
				},
				Config:            e.config(mobile),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: keepsSpelling,
				Check: resource.ComposeAggregateTestCheckFunc(e.checkOnlyReads(),
					e.checkGraphPhone(accAdeleUPN, "mobile", "+15555550181", "")),
			},
			{
				ResourceName:            mobile.address(),
				ImportState:             true,
				ImportStateId:           accAdeleUPN + "/mobile",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"phone_number"},
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 || states[0].Attributes["phone_number"] != "+1 5555550181" {
						return fmt.Errorf("imported %v; want phone_number %q", states, "+1 5555550181")
					}
					return nil
				},
			},
		},
	}, acctest.CompareStateWith(e.checkStateMatchesGraphByNumber()))
}

// checkStateMatchesGraphByNumber is the harness's state == Graph check with each
// phone_number compared by number: the state keeps the configured spelling
// while Graph holds the canonical form (or, written by someone else, E.164
// without the space), so each state number that names the same phone as
// Graph's (phonenumber.Equal) is replaced by Graph's spelling for the exact
// comparison and put back afterwards.
func (e *accEnv) checkStateMatchesGraphByNumber() resource.TestCheckFunc {
	return func(s *terraform.State) error {
		spelled := map[*terraform.InstanceState]string{}
		defer func() {
			for is, number := range spelled {
				is.Attributes["phone_number"] = number
			}
		}()
		for addr, rs := range s.RootModule().Resources {
			if rs.Type != "entraauth_phone_authentication_method" || rs.Primary == nil || strings.HasPrefix(addr, "data.") {
				continue
			}
			a := rs.Primary.Attributes
			number := a["phone_number"]
			list, err := e.mock.PhoneMethods(e.tenant, a["user_id"])
			if err != nil {
				continue // stateMatchesGraph reports the unknown user
			}
			for _, pm := range list {
				if pm.PhoneType == a["phone_type"] && pm.PhoneNumber != number && phonenumber.Equal(number, pm.PhoneNumber) {
					spelled[rs.Primary] = number
					a["phone_number"] = pm.PhoneNumber
				}
			}
		}
		return e.stateMatchesGraph(s)
	}
}

// checkOnlyReads asserts no request but reads reached Graph.
func (e *accEnv) checkOnlyReads() resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, r := range e.mock.RequestLog() {
			if r.Method != "GET" {
				return fmt.Errorf("a write reached Graph: %s %s (%d)", r.Method, r.Path, r.Status)
			}
		}
		return nil
	}
}
