package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// tapConfig renders one entraauth_temporary_access_pass block.
type tapConfig struct {
	Name, UserID string
	Lifetime     int
	UsableOnce   *bool
	Start        string
	Reissue      *bool
	Extra        string
}

func (c tapConfig) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "resource \"entraauth_temporary_access_pass\" %q {\n  user_id = %q\n", c.Name, c.UserID)
	if c.Lifetime != 0 {
		fmt.Fprintf(&b, "  lifetime_in_minutes = %d\n", c.Lifetime)
	}
	if c.UsableOnce != nil {
		fmt.Fprintf(&b, "  is_usable_once = %t\n", *c.UsableOnce)
	}
	if c.Start != "" {
		fmt.Fprintf(&b, "  start_date_time = %q\n", c.Start)
	}
	if c.Reissue != nil {
		fmt.Fprintf(&b, "  reissue_when_expired = %t\n", *c.Reissue)
	}
	b.WriteString(c.Extra)
	b.WriteString("}\n")
	return b.String()
}

func (c tapConfig) address() string { return "entraauth_temporary_access_pass." + c.Name }

// tapPolicyConfig is the TAP policy resource the passes depend on.
func tapPolicyConfig(state, extra string) rawHCL {
	return rawHCL(fmt.Sprintf(`resource "entraauth_temporary_access_pass_authentication_method_policy" "tap" {
  state           = %q
  include_targets = [{ id = "all_users", target_type = "group" }]
%s}
`, state, extra))
}

const tapDependsOnPolicy = "  depends_on = [entraauth_temporary_access_pass_authentication_method_policy.tap]\n"

// enableTAPPolicy turns the mock's TAP configuration on for everyone, out
// of band (for tests whose subject is not the policy).
func (e *accEnv) enableTAPPolicy(change map[string]any) {
	e.t.Helper()
	cfg, err := e.mock.MethodConfiguration(e.tenant, "TemporaryAccessPass")
	e.must(err)
	cfg["state"] = "enabled"
	cfg["includeTargets"] = []any{map[string]any{"id": "all_users", "targetType": "group", "isRegistrationRequired": false}}
	for k, v := range change {
		cfg[k] = v
	}
	e.must(e.mock.SetMethodConfiguration(e.tenant, "TemporaryAccessPass", cfg))
}

// passes is the user's passes as the mock holds them.
func (e *accEnv) passes(user string) []mockgraph.TemporaryAccessPass {
	e.t.Helper()
	list, err := e.mock.TemporaryAccessPasses(e.tenant, user)
	e.must(err)
	return list
}

// checkTAPIsGraphs asserts the user holds exactly one pass, the one in the
// state, and that the state's pass is the one Graph issued; *id, when not
// nil, receives its id.
func (e *accEnv) checkTAPIsGraphs(address, user string, id *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[address]
		if !ok {
			return fmt.Errorf("%s is not in the state", address)
		}
		list, err := e.mock.TemporaryAccessPasses(e.tenant, user)
		if err != nil {
			return err
		}
		if len(list) != 1 {
			return fmt.Errorf("Graph holds %d passes for %s; want 1", len(list), user)
		}
		a := rs.Primary.Attributes
		if a["method_id"] != list[0].ID {
			return fmt.Errorf("state method_id %q, Graph's pass %q", a["method_id"], list[0].ID)
		}
		if a["temporary_access_pass"] == "" || a["temporary_access_pass"] != list[0].Pass {
			return fmt.Errorf("the state's pass is not the one Graph issued (state %d characters, Graph %d)", len(a["temporary_access_pass"]), len(list[0].Pass))
		}
		if id != nil {
			*id = list[0].ID
		}
		return nil
	}
}

func (e *accEnv) checkNoTAP(user string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if list := e.passes(user); len(list) != 0 {
			return fmt.Errorf("Graph still holds %d passes for %s", len(list), user)
		}
		return nil
	}
}

// TestAccTemporaryAccessPass_lifecycle issues a pass with the TAP policy
// resource, checks the state holds the pass Graph returned (sensitive in
// the plan) and the policy's defaults, that the next plan is empty although
// Graph reads the pass as null, import, that an expired or used pass plans
// nothing, that reissue_when_expired replaces an expired pass (the second
// apply after expiry issues a new one), that a pass deleted outside
// Terraform is issued again, and that a lifetime change replaces it.
func TestAccTemporaryAccessPass_lifecycle(t *testing.T) {
	e := newAccEnv(t)
	policy := tapPolicyConfig("enabled", "  default_lifetime_in_minutes = 120\n  maximum_lifetime_in_minutes = 480\n")
	pass := tapConfig{Name: "onboarding", UserID: accAdeleUPN, Extra: tapDependsOnPolicy}
	reissue := pass
	reissue.Reissue = boolPtr(true)
	longer := reissue
	longer.Lifetime = 240
	var first, second, third string
	differs := func(prev *string, cur *string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if *prev == *cur {
				return fmt.Errorf("the pass was not replaced: id %s", *cur)
			}
			return nil
		}
	}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkNoTAP(accAdeleUPN),
		Steps: []resource.TestStep{
			{
				Config: e.config(policy, pass),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(pass.address(), plancheck.ResourceActionCreate),
					plancheck.ExpectSensitiveValue(pass.address(), tfjsonpath.New("temporary_access_pass")),
					plancheck.ExpectUnknownValue(pass.address(), tfjsonpath.New("temporary_access_pass")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(pass.address(), tfjsonpath.New("lifetime_in_minutes"), knownvalue.Int64Exact(120)),
					statecheck.ExpectKnownValue(pass.address(), tfjsonpath.New("is_usable_once"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(pass.address(), tfjsonpath.New("is_usable"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(pass.address(), tfjsonpath.New("method_usability_reason"), knownvalue.StringExact("EnabledByPolicy")),
					statecheck.ExpectKnownValue(pass.address(), tfjsonpath.New("reissue_when_expired"), knownvalue.Bool(false)),
					statecheck.ExpectSensitiveValue(pass.address(), tfjsonpath.New("temporary_access_pass")),
				},
				Check: e.checkTAPIsGraphs(pass.address(), accAdeleUPN, &first),
			},
			{
				// Graph reads the pass as null: nothing to plan, and the state
				// keeps the pass.
				Config:   e.config(policy, pass),
				PlanOnly: true,
			},
			{
				ResourceName: pass.address(), ImportState: true, ImportStateVerify: true,
				ImportStateIdFunc:       func(*terraform.State) (string, error) { return accAdeleUPN + "/" + first, nil },
				ImportStateVerifyIgnore: []string{"temporary_access_pass"},
			},
			{
				// Expired, reissue_when_expired left out: it stays, nothing planned.
				PreConfig: func() { e.must(e.mock.SetTemporaryAccessPassUsability(e.tenant, accAdeleUPN, first, "Expired")) },
				Config:    e.config(policy, pass),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(pass.address(), tfjsonpath.New("is_usable"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(pass.address(), tfjsonpath.New("method_usability_reason"), knownvalue.StringExact("Expired")),
				},
				Check: e.checkTAPIsGraphs(pass.address(), accAdeleUPN, nil),
			},
			{
				// reissue_when_expired: the expired pass is replaced.
				Config: e.config(policy, reissue),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(pass.address(), plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(pass.address(), tfjsonpath.New("is_usable"), knownvalue.Bool(true)),
				},
				Check: resource.ComposeTestCheckFunc(e.checkTAPIsGraphs(pass.address(), accAdeleUPN, &second), differs(&first, &second)),
			},
			{
				// Used up: left as it is even with reissue_when_expired.
				PreConfig: func() { e.must(e.mock.SetTemporaryAccessPassUsability(e.tenant, accAdeleUPN, second, "OneTimeUsed")) },
				Config:    e.config(policy, reissue),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				Check: e.checkTAPIsGraphs(pass.address(), accAdeleUPN, nil),
			},
			{
				// Deleted outside Terraform: issued again.
				PreConfig: func() { e.must(e.mock.DeleteTemporaryAccessPassOutOfBand(e.tenant, accAdeleUPN, second)) },
				Config:    e.config(policy, reissue),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(pass.address(), plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeTestCheckFunc(e.checkTAPIsGraphs(pass.address(), accAdeleUPN, &third), differs(&second, &third)),
			},
			{
				// Graph has no update: a new lifetime is a new pass.
				Config: e.config(policy, longer),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(pass.address(), plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(pass.address(), tfjsonpath.New("lifetime_in_minutes"), knownvalue.Int64Exact(240)),
				},
				Check: resource.ComposeTestCheckFunc(e.checkTAPIsGraphs(pass.address(), accAdeleUPN, &first), differs(&third, &first)),
			},
			{
				// reissue_when_expired changes only the state.
				Config: e.config(policy, func() tapConfig { c := longer; c.Reissue = boolPtr(false); return c }()),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(pass.address(), plancheck.ResourceActionUpdate),
				}},
				Check: e.checkTAPIsGraphs(pass.address(), accAdeleUPN, &second),
			},
		},
	})
}

// TestAccTemporaryAccessPass_startDateTime: a pass for a later start is
// not yet usable, and Graph's spelling of the time plans nothing.
func TestAccTemporaryAccessPass_startDateTime(t *testing.T) {
	e := newAccEnv(t)
	e.enableTAPPolicy(nil)
	start := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Hour)
	// An offset spelling of the same instant.
	c := tapConfig{Name: "monday", UserID: accBiancaUPN, Start: start.In(time.FixedZone("", 3600)).Format(time.RFC3339), Lifetime: 480, UsableOnce: boolPtr(true)}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config: e.config(c),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(c.address(), tfjsonpath.New("start_date_time"), knownvalue.StringExact(c.Start)),
					statecheck.ExpectKnownValue(c.address(), tfjsonpath.New("is_usable"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(c.address(), tfjsonpath.New("method_usability_reason"), knownvalue.StringExact("NotYetValid")),
					statecheck.ExpectKnownValue(c.address(), tfjsonpath.New("is_usable_once"), knownvalue.Bool(true)),
				},
				Check: e.checkTAPIsGraphs(c.address(), accBiancaUPN, nil),
			},
		},
	})
}

// TestAccTemporaryAccessPass_importRespelledStart: a pass imported with an
// import block whose configuration spells start_date_time another way than
// Graph (the same instant) is adopted with an update of the state only,
// never replaced by a new pass.
func TestAccTemporaryAccessPass_importRespelledStart(t *testing.T) {
	e := newAccEnv(t)
	e.enableTAPPolicy(nil)
	start := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Hour)
	const id = "7a5ae7c5-0000-4000-8000-00000000a001"
	_, err := e.mock.AddTemporaryAccessPassOutOfBand(e.tenant, accBiancaUPN, mockgraph.TemporaryAccessPass{ID: id, StartDateTime: start, LifetimeInMinutes: 480, IsUsableOnce: true})
	e.must(err)
	c := tapConfig{Name: "monday", UserID: accBiancaUPN, Start: start.In(time.FixedZone("", 3600)).Format(time.RFC3339), Lifetime: 480, UsableOnce: boolPtr(true)}
	importBlock := rawHCL(fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", c.address(), accBiancaUPN+"/"+id))
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(c, importBlock),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(c.address(), plancheck.ResourceActionUpdate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(c.address(), tfjsonpath.New("start_date_time"), knownvalue.StringExact(c.Start)),
				statecheck.ExpectKnownValue(c.address(), tfjsonpath.New("method_id"), knownvalue.StringExact(id)),
				statecheck.ExpectKnownValue(c.address(), tfjsonpath.New("temporary_access_pass"), knownvalue.Null()),
			},
			Check: func(*terraform.State) error {
				if list := e.passes(accBiancaUPN); len(list) != 1 || list[0].ID != id {
					return fmt.Errorf("the pass was replaced: %+v", list)
				}
				return nil
			},
		}},
	}, acctest.PreexistingUnmanaged())
}

// TestAccTemporaryAccessPass_newUser: a pass for a user Graph does not know
// yet (created moments ago, still replicating) waits for the user.
func TestAccTemporaryAccessPass_newUser(t *testing.T) {
	e := newAccEnv(t)
	e.enableTAPPolicy(nil)
	c := tapConfig{Name: "p", UserID: accCarlosUPN}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			PreConfig: func() { e.must(e.mock.SetUserReplicationDelay(e.tenant, accCarlosUPN, 5*time.Second)) },
			Config:    e.config(c),
			Check:     e.checkTAPIsGraphs(c.address(), accCarlosUPN, nil),
		}},
	})
}

// TestAccTemporaryAccessPass_refusals: each policy refusal is explained
// (the TAP policy off, a lifetime outside its range, a multi-use pass it
// forbids, a user it does not target) and leaves nothing in Graph or the
// state; a user the policy does not target keeps the pass they had, even
// where Graph refuses a second pass. (Self-issue: _forSelf; an existing
// pass replaced: _existingPass.)
func TestAccTemporaryAccessPass_refusals(t *testing.T) {
	e := newAccEnv(t)
	const newHires = "99999999-0000-4000-8000-00000000b001"
	e.must(e.mock.AddGroup(e.tenant, mockgraph.Group{ID: newHires, DisplayName: "New hires", Members: []string{accBiancaUPN}}))
	c := tapConfig{Name: "p", UserID: accAdeleUPN}
	// Checked before the next step: a step that expects an error runs no
	// checks of its own.
	nothingLeft := func(next func()) func() {
		return func() {
			if err := e.checkNoTAP(accAdeleUPN)(nil); err != nil {
				t.Fatal(err)
			}
			if next != nil {
				next()
			}
		}
	}
	var kept mockgraph.TemporaryAccessPass
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				// The mock's policy is the v1.0 default: disabled.
				Config:      e.config(c),
				ExpectError: errorRE("Microsoft Graph refused the Temporary Access Pass", "Converged UserCredentialPolicy", `policy is "disabled"`, "entraauth_temporary_access_pass_authentication_method_policy", "Nothing was created"),
			},
			{
				PreConfig:   nothingLeft(func() { e.enableTAPPolicy(nil) }),
				Config:      e.config(func() tapConfig { x := c; x.Lifetime = 600; return x }()),
				ExpectError: errorRE("Invalid LifetimeInMinutes specified", "lifetime_in_minutes = 600 is outside the range", "60 to 480 minutes"),
			},
			{
				PreConfig:   nothingLeft(func() { e.enableTAPPolicy(map[string]any{"isUsableOnce": true}) }),
				Config:      e.config(func() tapConfig { x := c; x.UsableOnce = boolPtr(false); return x }()),
				ExpectError: errorRE("is_usable_once = false", "requires one-time passes"),
			},
			{
				// Not targeted, with a pass of her own from before (issued while
				// she was): the refusal is reported and her pass kept, in the
				// tenant that refuses a second pass too.
				PreConfig: nothingLeft(func() {
					e.enableTAPPolicy(map[string]any{"includeTargets": []any{map[string]any{"id": newHires, "targetType": "group", "isRegistrationRequired": false}}})
					e.must(e.mock.SetTemporaryAccessPassReplaces(e.tenant, false))
					var err error
					kept, err = e.mock.AddTemporaryAccessPassOutOfBand(e.tenant, accAdeleUPN, mockgraph.TemporaryAccessPass{})
					e.must(err)
				}),
				Config:      e.config(c),
				ExpectError: errorRE("Converged UserCredentialPolicy", "enabled but does not target this user", "include_targets", "existing pass, if any, is unchanged"),
			},
			{
				// bianca is in the targeted group: issued.
				PreConfig: func() {
					if list := e.passes(accAdeleUPN); len(list) != 1 || list[0].ID != kept.ID {
						t.Fatalf("adele's own pass was not kept: %+v", list)
					}
					e.must(e.mock.DeleteTemporaryAccessPassOutOfBand(e.tenant, accAdeleUPN, kept.ID))
				},
				Config: e.config(tapConfig{Name: "p", UserID: accBiancaUPN}),
				Check:  e.checkTAPIsGraphs("entraauth_temporary_access_pass.p", accBiancaUPN, nil),
			},
			{
				Config: e.providerConfig(),
				Check:  resource.ComposeTestCheckFunc(e.checkNoTAP(accAdeleUPN), e.checkNoTAP(accBiancaUPN)),
			},
		},
	})
}

// TestAccTemporaryAccessPass_existingPass: a pass the user already has is
// replaced, with a warning naming it, whether Graph replaces it itself
// (the documented behaviour) or refuses the second pass (reported).
func TestAccTemporaryAccessPass_existingPass(t *testing.T) {
	for _, replaces := range []bool{true, false} {
		t.Run(fmt.Sprintf("graph_replaces_%t", replaces), func(t *testing.T) {
			e := newAccEnv(t)
			e.enableTAPPolicy(nil)
			e.must(e.mock.SetTemporaryAccessPassReplaces(e.tenant, replaces))
			old, err := e.mock.AddTemporaryAccessPassOutOfBand(e.tenant, accAdeleUPN, mockgraph.TemporaryAccessPass{})
			e.must(err)
			c := tapConfig{Name: "p", UserID: accAdeleUPN}
			var since time.Time
			e.test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				CheckDestroy:             e.checkNoTAP(accAdeleUPN),
				Steps: []resource.TestStep{{
					PreConfig: func() { since = time.Now() },
					Config:    e.config(c),
					Check: resource.ComposeTestCheckFunc(e.checkTAPIsGraphs(c.address(), accAdeleUPN, nil),
						func(*terraform.State) error {
							if list := e.passes(accAdeleUPN); list[0].ID == old.ID {
								return fmt.Errorf("the old pass %s is still the user's", old.ID)
							}
							want := 0
							if !replaces {
								want = 1 // refused once, the old pass deleted, sent again
							}
							if got := len(e.mock.RequestLog(mockgraph.RequestLogFilter{Operation: "temporaryAccessPass.delete", Since: since})); got != want {
								return fmt.Errorf("%d deletes; want %d", got, want)
							}
							return nil
						}),
				}},
			}, acctest.PreexistingUnmanaged())
		})
	}
}

// TestAccTemporaryAccessPass_faults: a create whose answer is lost leaves
// one pass, the one in the state, whether Graph's retry replaces the lost
// pass or is refused because of it; 429s on create and delete are waited
// out; a create that runs out of its timeout leaves nothing behind.
func TestAccTemporaryAccessPass_faults(t *testing.T) {
	for _, replaces := range []bool{true, false} {
		t.Run(fmt.Sprintf("graph_replaces_%t", replaces), func(t *testing.T) {
			e := newAccEnv(t)
			e.enableTAPPolicy(nil)
			e.must(e.mock.SetTemporaryAccessPassReplaces(e.tenant, replaces))
			c := tapConfig{Name: "p", UserID: accAdeleUPN}
			slow := tapConfig{Name: "p", UserID: accBiancaUPN, Extra: "  timeouts {\n    create = \"2s\"\n  }\n"}
			faults := func(f ...mockgraph.Fault) func() {
				return func() {
					_, err := e.mock.SetFaults(f...)
					e.must(err)
				}
			}
			e.test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				CheckDestroy:             resource.ComposeTestCheckFunc(e.checkNoTAP(accAdeleUPN), e.checkNoTAP(accBiancaUPN)),
				Steps: []resource.TestStep{
					{
						PreConfig: faults(mockgraph.Fault{Match: "temporaryAccessPass.create", Kind: mockgraph.FaultDrop, Count: 1}),
						Config:    e.config(c),
						Check:     e.checkTAPIsGraphs(c.address(), accAdeleUPN, nil),
					},
					{
						PreConfig: faults(mockgraph.Fault{Match: "temporaryAccessPass.create", Kind: mockgraph.FaultThrottle, Count: 2, RetryAfterSeconds: 1},
							mockgraph.Fault{Match: "temporaryAccessPass.delete", Kind: mockgraph.FaultThrottle, Count: 1, RetryAfterSeconds: 1}),
						Config: e.config(func() tapConfig { x := c; x.Lifetime = 90; return x }()),
						Check:  e.checkTAPIsGraphs(c.address(), accAdeleUPN, nil),
					},
					{
						PreConfig:   faults(mockgraph.Fault{Match: "temporaryAccessPass.create", Kind: mockgraph.FaultSlowResponse, Count: 1, Latency: mockgraph.Duration(5 * time.Second)}),
						Config:      e.config(slow),
						ExpectError: errorRE("Timed out creating Temporary Access Pass", "was deleted (nobody has seen it)", "nothing is saved in the state"),
						Check:       e.checkNoTAP(accBiancaUPN),
					},
					{
						// Graph not showing the new pass for the next reads plans nothing.
						PreConfig: faults(mockgraph.Fault{Match: "temporaryAccessPass.create", Kind: mockgraph.FaultLag, LagReads: 2}),
						Config:    e.config(func() tapConfig { x := c; x.Lifetime = 120; return x }()),
						Check:     e.checkTAPIsGraphs(c.address(), accAdeleUPN, nil),
					},
					{
						// A delete whose answer is lost: retried, found gone.
						PreConfig: faults(mockgraph.Fault{Match: "temporaryAccessPass.delete", Kind: mockgraph.FaultDrop, Count: 1}),
						Config:    e.providerConfig(),
						Check:     e.checkNoTAP(accAdeleUPN),
					},
				},
			})
		})
	}
}

// TestAccTemporaryAccessPass_forSelf: an administrator signed in as the
// user (here through the Azure CLI) is refused a pass for themselves, told
// so, and nothing is left behind.
func TestAccTemporaryAccessPass_forSelf(t *testing.T) {
	e := newAccEnv(t)
	e.enableTAPPolicy(nil)
	adele, err := e.mock.User(e.tenant, accAdeleUPN)
	e.must(err)
	token, err := e.mock.MintDelegatedToken(e.tenant, adele.ID, []string{"UserAuthenticationMethod.ReadWrite.All"}, []string{"Authentication Administrator"}, 30*time.Minute)
	e.must(err)
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		tf, err := exec.LookPath("terraform")
		if err != nil {
			t.Fatal(err)
		}
		t.Setenv("TF_ACC_TERRAFORM_PATH", tf)
	}
	t.Setenv("PATH", acctest.WriteFakeAzureCLI(t, acctest.FakeAzureCLI{Tenant: e.tenant, AccessToken: token}))
	c := tapConfig{Name: "self", UserID: accAdeleUPN}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: hermeticFactories(nil, nil),
		Steps: []resource.TestStep{{
			Config:      e.providerBlock([]string{attrTenantID, attrClientID, attrClientSecret, attrUseCLI}, map[string]string{attrTenantID: fmt.Sprintf("%q", e.tenant)}) + "\n" + c.String(),
			ExpectError: errorRE("Cannot create Temporary Access Pass", "403", "Graph also refuses an administrator issuing a pass to themselves"),
		}},
	}, acctest.Serial("t.Setenv: PATH holds the fake az"))
	if list := e.passes(accAdeleUPN); len(list) != 0 {
		t.Errorf("passes after the refused create: %+v", list)
	}
}

// TestAccTemporaryAccessPass_passNotInOutput runs the real CLI: the pass is
// in the state and in a sensitive output read with `terraform output -raw`,
// and nowhere in plan or apply output or in a TRACE log of Terraform and
// the provider.
func TestAccTemporaryAccessPass_passNotInOutput(t *testing.T) {
	e := newAccEnv(t)
	e.enableTAPPolicy(nil)
	logDir := t.TempDir()
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH_MASK", filepath.Join(logDir, "provider-%s.log"))
	r := newTFCLIRun(t)
	r.env = append(r.env, "TF_LOG=TRACE", "TF_LOG_PATH="+filepath.Join(logDir, "terraform.log"))
	r.write("main.tf", "terraform {\n  required_providers {\n    entraauth = {\n      source = \"entraauth/entraauth\"\n    }\n  }\n}\n\n"+e.providerConfig()+
		tapConfig{Name: "p", UserID: accAdeleUPN}.String()+
		"output \"pass\" {\n  value     = entraauth_temporary_access_pass.p.temporary_access_pass\n  sensitive = true\n}\n")
	r.must("init")
	out := r.must("plan")
	out += r.must("apply", "-auto-approve")
	out += r.must("plan", "-detailed-exitcode")
	list := e.passes(accAdeleUPN)
	if len(list) != 1 || list[0].Pass == "" {
		t.Fatalf("Graph holds %+v", list)
	}
	pass := list[0].Pass
	if got := strings.TrimSpace(r.must("output", "-raw", "pass")); got != pass {
		t.Errorf("terraform output -raw pass is %d characters, not the pass Graph issued", len(got))
	}
	if strings.Contains(out, pass) {
		t.Errorf("plan or apply output holds the pass:\n%s", out)
	}
	if !strings.Contains(out, "(sensitive value)") {
		t.Errorf("the plan does not show the pass as a sensitive value:\n%s", out)
	}
	logs, err := filepath.Glob(filepath.Join(logDir, "*.log"))
	if err != nil || len(logs) < 2 {
		t.Fatalf("logs %v: %v; want Terraform's and the provider's", logs, err)
	}
	lines := 0
	for _, path := range logs {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lines += strings.Count(string(b), "\n")
		escaped, _ := json.Marshal(pass) // as a JSON log line writes it ("&" as \u0026)
		if strings.Contains(string(b), pass) || strings.Contains(string(b), strings.Trim(string(escaped), `"`)) {
			t.Errorf("%s holds the pass", filepath.Base(path))
		}
	}
	if lines < 100 {
		t.Errorf("the TRACE logs hold %d lines; too few to show anything", lines)
	}
	// A drift check: an expired pass plans nothing (exit 0), a pass deleted
	// outside Terraform plans a new one (exit 2).
	e.must(e.mock.SetTemporaryAccessPassUsability(e.tenant, accAdeleUPN, list[0].ID, "Expired"))
	if code := r.run("plan", "-detailed-exitcode"); code != 0 {
		t.Errorf("plan -detailed-exitcode after the pass expired exited %d; want 0:\n%s", code, r.lastOut)
	}
	e.must(e.mock.DeleteTemporaryAccessPassOutOfBand(e.tenant, accAdeleUPN, list[0].ID))
	if code := r.run("plan", "-detailed-exitcode"); code != 2 {
		t.Errorf("plan -detailed-exitcode after the pass was deleted exited %d; want 2:\n%s", code, r.lastOut)
	}
	r.must("destroy", "-auto-approve")
	if len(e.passes(accAdeleUPN)) != 0 {
		t.Error("destroy left the pass")
	}
	t.Logf("scanned %d TRACE log lines in %d files", lines, len(logs))
}
