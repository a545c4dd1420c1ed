package provider

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// Groups of the SMS policy tests: the pilot holds adele and bianca, the
// break-glass group holds dave.
const (
	accPilotGroupID      = "99999999-0000-4000-8000-00000000a001"
	accBreakGlassGroupID = "99999999-0000-4000-8000-00000000b002"
	smsPolicyAddress     = "entraauth_sms_authentication_method_policy.this"
)

// newPolicyAccEnv is newAccEnv with the two groups and the given starting
// policy (nil: a fresh tenant's, SMS disabled) and app permissions (nil:
// acctest.DefaultRoles).
func newPolicyAccEnv(t *testing.T, policy *mockgraph.SMSPolicy, roles []string) *accEnv {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (runs terraform against a local mock Graph)")
	}
	if _, err := acctest.SetupCA(); err != nil {
		t.Fatalf("test CA: %v", err)
	}
	if policy == nil {
		p := mockgraph.DefaultSMSPolicy()
		policy = &p
	}
	m := acctest.NewMock(t, acctest.Options{
		Roles: roles,
		Users: []mockgraph.SeedUser{
			{User: mockgraph.User{ID: accAdeleID, UserPrincipalName: accAdeleUPN, DisplayName: "Adele"}},
			{User: mockgraph.User{UserPrincipalName: accBiancaUPN, DisplayName: "Bianca"}},
			{User: mockgraph.User{UserPrincipalName: accCarlosUPN, DisplayName: "Carlos"}},
			{User: mockgraph.User{ID: accDaveID, UserPrincipalName: accDaveUPN, DisplayName: "Dave"}},
		},
		Groups: []mockgraph.Group{
			{ID: accPilotGroupID, DisplayName: "SMS pilot", Members: []string{accAdeleUPN, accBiancaUPN}},
			{ID: accBreakGlassGroupID, DisplayName: "Break glass", Members: []string{accDaveUPN}},
		},
		SMSPolicy: policy,
	})
	return &accEnv{t: t, m: m, mock: m.Server, tenant: m.TenantID}
}

// smsPolicyConfig is the resource's HCL; targets are HCL object literals.
type smsPolicyConfig struct {
	State    string
	Include  []string
	Exclude  []string // nil: attribute left out
	Timeouts map[string]string
}

func (c smsPolicyConfig) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "resource \"entraauth_sms_authentication_method_policy\" \"this\" {\n  state = %q\n", c.State)
	fmt.Fprintf(&b, "  include_targets = [\n    %s,\n  ]\n", strings.Join(c.Include, ",\n    "))
	if c.Exclude != nil {
		fmt.Fprintf(&b, "  exclude_targets = [%s]\n", strings.Join(c.Exclude, ", "))
	}
	if len(c.Timeouts) > 0 {
		b.WriteString("  timeouts {\n")
		for k, v := range c.Timeouts {
			fmt.Fprintf(&b, "    %s = %q\n", k, v)
		}
		b.WriteString("  }\n")
	}
	b.WriteString("}\n")
	return b.String()
}

func target(id, targetType string, extra ...string) string {
	parts := append([]string{fmt.Sprintf("id = %q", id), fmt.Sprintf("target_type = %q", targetType)}, extra...)
	return "{ " + strings.Join(parts, ", ") + " }"
}

// policyKey renders a policy as sorted lines, ids in lower case, to
// compare Graph with the state or an expectation.
func policyKey(state string, include []mockgraph.SMSIncludeTarget, exclude []mockgraph.SMSExcludeTarget) string {
	lines := []string{"state " + state}
	for _, t := range include {
		lines = append(lines, fmt.Sprintf("include %s %s usable=%v", strings.ToLower(t.ID), t.TargetType, t.IsUsableForSignIn))
	}
	for _, t := range exclude {
		lines = append(lines, fmt.Sprintf("exclude %s %s", strings.ToLower(t.ID), t.TargetType))
	}
	sort.Strings(lines[1:])
	return strings.Join(lines, "\n")
}

// checkPolicyInGraph asserts the mock holds exactly this policy.
func (e *accEnv) checkPolicyInGraph(want mockgraph.SMSPolicy) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, err := e.mock.SMSPolicy(e.tenant)
		if err != nil {
			return err
		}
		if g, w := policyKey(got.State, got.IncludeTargets, got.ExcludeTargets), policyKey(want.State, want.IncludeTargets, want.ExcludeTargets); g != w {
			return fmt.Errorf("Graph holds\n%s\nwant\n%s", g, w)
		}
		return nil
	}
}

// pilotPolicy is the policy the lifecycle's first step configures.
func pilotPolicy() mockgraph.SMSPolicy {
	return mockgraph.SMSPolicy{State: "enabled",
		IncludeTargets: []mockgraph.SMSIncludeTarget{{ID: accPilotGroupID, TargetType: "group", IsUsableForSignIn: true}},
		ExcludeTargets: []mockgraph.SMSExcludeTarget{{ID: accBreakGlassGroupID, TargetType: "group"}}}
}

// TestAccSMSPolicy_lifecycle: create adopts the fresh tenant's policy and
// sets it; each attribute updates in place; Graph spelling ids in another
// case plans nothing; an out-of-band change is drift (plan exit
// 2 in CI); destroy leaves the tenant's policy as it was.
func TestAccSMSPolicy_lifecycle(t *testing.T) {
	e := newPolicyAccEnv(t, nil, nil)
	pilot := smsPolicyConfig{State: "enabled",
		Include: []string{target(accPilotGroupID, "group")},
		Exclude: []string{target(accBreakGlassGroupID, "group")}}
	widened := smsPolicyConfig{State: "enabled",
		Include: []string{target("all_users", "group", "is_usable_for_sign_in = false"), target(accPilotGroupID, "group")}}
	widenedPolicy := mockgraph.SMSPolicy{State: "enabled", IncludeTargets: []mockgraph.SMSIncludeTarget{
		{ID: mockgraph.AllUsers, TargetType: "group"}, {ID: accPilotGroupID, TargetType: "group", IsUsableForSignIn: true}}}
	disabled := widened
	disabled.State = "disabled"
	disabledPolicy := widenedPolicy
	disabledPolicy.State = "disabled"

	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		// Destroy removes the resource from the state only.
		CheckDestroy: e.checkPolicyInGraph(disabledPolicy),
		Steps: []resource.TestStep{
			{
				Config: e.config(pilot),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(smsPolicyAddress, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(smsPolicyAddress, tfjsonpath.New("id"), knownvalue.StringExact("Sms")),
					statecheck.ExpectKnownValue(smsPolicyAddress, tfjsonpath.New("include_targets"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{"id": knownvalue.StringExact(accPilotGroupID),
							"target_type": knownvalue.StringExact("group"), "is_usable_for_sign_in": knownvalue.Bool(true)}),
					})),
				},
				Check: resource.ComposeAggregateTestCheckFunc(e.checkPolicyInGraph(pilotPolicy()), e.checkPolicyWrites(1)),
			},
			{
				// Graph answers with the same policy, ids in upper case: not drift.
				PreConfig: func() {
					p := pilotPolicy()
					p.IncludeTargets[0].ID, p.ExcludeTargets[0].ID = strings.ToUpper(accPilotGroupID), strings.ToUpper(accBreakGlassGroupID)
					e.must(e.mock.SetSMSPolicy(e.tenant, p))
				},
				Config:   e.config(pilot),
				PlanOnly: true,
			},
			{
				Config: e.config(widened),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(smsPolicyAddress, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(e.checkPolicyInGraph(widenedPolicy), e.checkPolicyWrites(2)),
			},
			{
				// Someone re-enables the break-glass exclusion and drops the
				// pilot in the admin center: the plan shows the update.
				PreConfig: func() {
					e.must(e.mock.SetSMSPolicy(e.tenant, mockgraph.SMSPolicy{State: "enabled",
						IncludeTargets: []mockgraph.SMSIncludeTarget{{ID: mockgraph.AllUsers, TargetType: "group"}},
						ExcludeTargets: []mockgraph.SMSExcludeTarget{{ID: accBreakGlassGroupID, TargetType: "group"}}}))
				},
				Config:             e.config(widened),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(smsPolicyAddress, plancheck.ResourceActionUpdate),
				}},
			},
			{
				Config: e.config(disabled),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(smsPolicyAddress, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(e.checkPolicyInGraph(disabledPolicy), e.checkPolicyWrites(3)),
			},
		},
	})
}

// checkPolicyWrites asserts how many PATCHes of the policy Graph applied.
func (e *accEnv) checkPolicyWrites(want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		n := 0
		for _, r := range e.mock.RequestLog() {
			if r.Method == "PATCH" && strings.HasPrefix(r.Path, "/v1.0/policies/") && r.Status == 204 {
				n++
			}
		}
		if n != want {
			return fmt.Errorf("%d policy PATCHes applied; want %d", n, want)
		}
		return nil
	}
}

// TestAccSMSPolicy_import: the configuration is imported with id "Sms" in
// any case, by terraform import and by an import block, and matches the
// configuration that describes it.
func TestAccSMSPolicy_import(t *testing.T) {
	t.Parallel()
	policy := pilotPolicy()
	cfg := smsPolicyConfig{State: "enabled", Include: []string{target(accPilotGroupID, "group")}, Exclude: []string{target(accBreakGlassGroupID, "group")}}
	for name, kind := range map[string]resource.ImportStateKind{"command": resource.ImportCommandWithID, "block": resource.ImportBlockWithID} {
		t.Run(name, func(t *testing.T) {
			e := newPolicyAccEnv(t, &policy, nil)
			e.test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config:          e.config(cfg),
					ResourceName:    smsPolicyAddress,
					ImportState:     true,
					ImportStateKind: kind,
					ImportStateId:   "sMS",
					ImportStateCheck: func(states []*terraform.InstanceState) error {
						if len(states) != 1 {
							return fmt.Errorf("imported %d resources; want 1", len(states))
						}
						a := states[0].Attributes
						if a["id"] != "Sms" || a["state"] != "enabled" || a["include_targets.#"] != "1" || a["exclude_targets.#"] != "1" {
							return fmt.Errorf("imported %v", a)
						}
						return nil
					},
				}},
			})
			e.requireNoPolicyWrites(t)
		})
	}
}

// requireNoPolicyWrites fails if any PATCH reached the policy.
func (e *accEnv) requireNoPolicyWrites(t *testing.T) {
	t.Helper()
	for _, r := range e.mock.RequestLog() {
		if r.Method == "PATCH" {
			t.Errorf("a PATCH reached Graph: %s (%d)", r.Path, r.Status)
		}
	}
}

// TestAccSMSPolicy_faults: a lost PATCH response is retried and applied
// once; throttled reads and writes are waited out; state matches Graph.
func TestAccSMSPolicy_faults(t *testing.T) {
	e := newPolicyAccEnv(t, nil, nil)
	cfg := smsPolicyConfig{State: "enabled", Include: []string{target(accPilotGroupID, "group")}, Exclude: []string{target(accBreakGlassGroupID, "group")}}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			PreConfig: func() {
				_, err := e.mock.AddFaults(
					mockgraph.Fault{Method: "PATCH", Match: "/v1.0/policies/*", Kind: mockgraph.FaultDrop, Count: 1},
					mockgraph.Fault{Method: "GET", Match: "/v1.0/policies/*", Kind: mockgraph.FaultThrottle, Count: 2, RetryAfterSeconds: 1},
				)
				e.must(err)
			},
			Config:           e.config(cfg),
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			Check: resource.ComposeAggregateTestCheckFunc(e.checkPolicyInGraph(pilotPolicy()), // The dropped PATCH was applied; its retry applied the same body.
				e.checkPolicyWrites(1), e.checkFaultsFired(3)),
		}},
	})
}

// checkFaultsFired asserts how many faulted responses the mock sent.
func (e *accEnv) checkFaultsFired(want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		n := 0
		for _, r := range e.mock.RequestLog() {
			if r.Fault != "" {
				n++
			}
		}
		if n != want {
			return fmt.Errorf("%d faulted responses; want %d", n, want)
		}
		return nil
	}
}

// TestAccSMSPolicy_readOnlyApp: an app that may read the policy plans, but
// its apply is refused with the missing permission named.
func TestAccSMSPolicy_readOnlyApp(t *testing.T) {
	e := newPolicyAccEnv(t, nil, []string{"UserAuthenticationMethod.ReadWrite.All", "Policy.Read.All"})
	cfg := smsPolicyConfig{State: "enabled", Include: []string{target(accPilotGroupID, "group")}}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(cfg),
			ExpectError: errorRE("Cannot update the SMS authentication method policy", "HTTP 403",
				"applying needs the application permission Policy.ReadWrite.AuthenticationMethod"),
		}},
	})
	e.checkPolicyUnchanged(t)
}

// checkPolicyUnchanged fails unless the mock still has a fresh tenant's policy.
func (e *accEnv) checkPolicyUnchanged(t *testing.T) {
	t.Helper()
	if err := e.checkPolicyInGraph(mockgraph.DefaultSMSPolicy())(nil); err != nil {
		t.Error(err)
	}
}

// TestAccBadInput_smsPolicyConfig: every bad configuration is refused at
// validation with exactly one diagnostic and no request reaching Graph or
// the token endpoint (the leak probe beside it stays unread).
func TestAccBadInput_smsPolicyConfig(t *testing.T) {
	t.Parallel()
	const example = `for example { id = "00000000-0000-0000-0000-000000000001", target_type = "group" } or { id = "all_users", target_type = "group" }.`
	pilot := target(accPilotGroupID, "group")
	cases := []struct {
		name            string
		config          smsPolicyConfig
		summary, detail string
	}{
		{"state_unknown", smsPolicyConfig{State: "on", Include: []string{pilot}},
			"Invalid Attribute Value Match", `Attribute state value must be one of: ["enabled" "disabled"], got: "on"`},
		{"target_type_unknown", smsPolicyConfig{State: "enabled", Include: []string{target(accPilotGroupID, "device")}},
			"Invalid Attribute Value Match", `Attribute include_targets[Value({"id":"` + accPilotGroupID + `","is_usable_for_sign_in":<null>,"target_type":"device"})].target_type value must be one of: ["group" "user"], got: "device"`},
		{"id_not_guid", smsPolicyConfig{State: "enabled", Include: []string{target("sms-pilot", "group")}},
			"Invalid SMS policy target", `The target id "sms-pilot" in include_targets is not a group's object id: it must be a GUID such as "00000000-0000-0000-0000-000000000001", or all_users; ` + example},
		{"all_users_as_user", smsPolicyConfig{State: "enabled", Include: []string{target("all_users", "user")}},
			"Invalid SMS policy target", `The target all_users must have target_type = "group", not "user"; ` + example},
		{"all_users_excluded", smsPolicyConfig{State: "enabled", Include: []string{pilot}, Exclude: []string{target("all_users", "group")}},
			"all_users cannot be excluded", `exclude_targets may not contain all_users: that would exclude every user. To turn text messages off for everyone, set state = "disabled".`},
		{"duplicate_include", smsPolicyConfig{State: "enabled", Include: []string{pilot, target(strings.ToUpper(accPilotGroupID), "group")}},
			"Duplicate SMS policy target", `The target "` + accPilotGroupID + `" appears more than once in include_targets (ids compare case-insensitively). List each group once.`},
		{"included_and_excluded", smsPolicyConfig{State: "enabled", Include: []string{pilot}, Exclude: []string{target(accPilotGroupID, "group")}},
			"SMS policy target both included and excluded", `The target "` + accPilotGroupID + `" is in both include_targets and exclude_targets; an exclusion always wins in Graph, so this is almost certainly a mistake. Remove it from one of them.`},
		{"timeout_zero", smsPolicyConfig{State: "enabled", Include: []string{pilot}, Timeouts: map[string]string{"update": "0s"}},
			"Invalid timeout", `"0s" is not a usable time limit: it must be longer than zero, or the operation fails before it starts. Use a duration such as "30s" or "10m", or leave the attribute out to use the default.`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newAccEnv(t)
			e.test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config: e.config(c.config, leakProbe), PlanOnly: true, ExpectError: exactDiagnostic(c.summary, c.detail),
				}},
			})
			e.requireNoRequests(t, c.name)
		})
	}
}

// TestAccBadInput_smsPolicyImport: an import id other than "Sms" is refused
// with the valid form, before any request.
func TestAccBadInput_smsPolicyImport(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"Email", " Sms", "policies/sms"} {
		t.Run(strings.TrimSpace(strings.ReplaceAll(id, "/", "_")), func(t *testing.T) {
			e := newAccEnv(t)
			cfg := smsPolicyConfig{State: "enabled", Include: []string{target("all_users", "group")}}
			e.test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config: e.config(cfg), ResourceName: smsPolicyAddress, ImportState: true, ImportStateKind: resource.ImportBlockWithID, ImportStateId: id,
					ExpectError: errorRE("Invalid import id", fmt.Sprintf("The import id %q is not valid", id), `whose id is "Sms"`),
				}},
			})
			e.requireNoPolicyWrites(t)
		})
	}
}

// TestAccSMSPolicyDataSource: the data source reads the configuration with
// read permission only; without it the error names the permission.
func TestAccSMSPolicyDataSource(t *testing.T) {
	t.Parallel()
	policy := pilotPolicy()
	const address = "data.entraauth_sms_authentication_method_policy.current"
	read := rawHCL("data \"entraauth_sms_authentication_method_policy\" \"current\" {}\n")
	t.Run("read_only_app", func(t *testing.T) {
		e := newPolicyAccEnv(t, &policy, []string{"Policy.Read.All"})
		e.test(t, resource.TestCase{
			ProtoV6ProviderFactories: e.factories(),
			Steps: []resource.TestStep{{
				Config: e.config(read),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(address, tfjsonpath.New("id"), knownvalue.StringExact("Sms")),
					statecheck.ExpectKnownValue(address, tfjsonpath.New("state"), knownvalue.StringExact("enabled")),
					statecheck.ExpectKnownValue(address, tfjsonpath.New("include_targets"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{"id": knownvalue.StringExact(accPilotGroupID),
							"target_type": knownvalue.StringExact("group"), "is_usable_for_sign_in": knownvalue.Bool(true)}),
					})),
					statecheck.ExpectKnownValue(address, tfjsonpath.New("exclude_targets"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{"id": knownvalue.StringExact(accBreakGlassGroupID),
							"target_type": knownvalue.StringExact("group")}),
					})),
				},
			}},
		})
		e.requireNoPolicyWrites(t)
	})
	t.Run("no_policy_permission", func(t *testing.T) {
		e := newPolicyAccEnv(t, &policy, []string{"UserAuthenticationMethod.ReadWrite.All"})
		e.test(t, resource.TestCase{
			ProtoV6ProviderFactories: e.factories(),
			Steps: []resource.TestStep{{
				Config:      e.config(read),
				ExpectError: errorRE("Cannot read the SMS authentication method policy", "HTTP 403", "plans need Policy.Read.All"),
			}},
		})
	})
}
