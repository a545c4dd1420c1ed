package provider

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// Every part of the authentication methods policy runs the same acceptance
// suite (methodPolicyAcc): adopt, change every attribute, out-of-band drift,
// a PATCH Graph answers and does not apply (once, then always), import,
// destroy, bad input. Each type's test file gives the configurations and
// what Graph must hold after them.

// methodPolicyAcc is one type's acceptance suite.
type methodPolicyAcc struct {
	// resourceType is the resource's type; graphID its configuration id
	// ("" for the registration campaign).
	resourceType, graphID string
	// adopt and change are the resource block's bodies: change sets every
	// managed attribute to another value than adopt.
	adopt, change string
	// adoptGraph and changeGraph are what Graph must then hold (a subset
	// of Graph's JSON, compared as policyHolds does).
	adoptGraph, changeGraph map[string]any
	// drift is an out-of-band change to a managed attribute.
	drift map[string]any
	// unmanaged is an out-of-band change to an attribute adopt leaves
	// out, which must not plan anything; unmanagedAfterChange is one to an
	// attribute change leaves out (nil: none).
	unmanaged, unmanagedAfterChange map[string]any
	// badInputs are configurations refused at plan time.
	badInputs []policyBadInput
}

// policyBadInput is a body refused with exactly this diagnostic.
type policyBadInput struct {
	name, body, summary, detail string
}

func (a methodPolicyAcc) address() string { return a.resourceType + ".this" }

func (a methodPolicyAcc) block(body string) rawHCL {
	return rawHCL(fmt.Sprintf("resource %q \"this\" {\n%s\n}\n", a.resourceType, body))
}

// notApplied is the not-applied switch's id for the type.
func (a methodPolicyAcc) notAppliedID() string {
	if a.graphID == "" {
		return "authenticationMethodsPolicy"
	}
	return a.graphID
}

// graphPart is the part as the mock holds it.
func (e *accEnv) graphPart(a methodPolicyAcc) (map[string]any, error) {
	if a.graphID == "" {
		return e.mock.RegistrationCampaign(e.tenant)
	}
	return e.mock.MethodConfiguration(e.tenant, a.graphID)
}

// checkPolicyHolds asserts Graph holds want.
func (e *accEnv) checkPolicyHolds(a methodPolicyAcc, want map[string]any) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, err := e.graphPart(a)
		if err != nil {
			return err
		}
		if where := policyHolds(got, want, ""); where != "" {
			g, _ := json.Marshal(got)
			return fmt.Errorf("Graph does not hold what was configured (%s); it holds %s", where, g)
		}
		return nil
	}
}

// policyHolds is "" when got holds every property of want (collections in
// any order, strings in any case), else where it differs.
func policyHolds(got, want any, at string) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return at + " is not an object"
		}
		for k, v := range w {
			if where := policyHolds(g[k], v, at+"."+k); where != "" {
				return where
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return fmt.Sprintf("%s has %d elements, want %d", at, len(g), len(w))
		}
		used := make([]bool, len(g))
	next:
		for _, x := range w {
			for i, y := range g {
				if !used[i] && policyHolds(y, x, at) == "" {
					used[i] = true
					continue next
				}
			}
			return fmt.Sprintf("%s lacks %v", at, x)
		}
	default:
		if !strings.EqualFold(fmt.Sprint(got), fmt.Sprint(want)) {
			return fmt.Sprintf("%s is %v, want %v", at, got, want)
		}
	}
	return ""
}

// otherParts is every other part of the policy as JSON, to prove a write
// of one part leaves the others byte for byte as they were.
func (e *accEnv) otherParts(a methodPolicyAcc) (string, error) {
	root, err := e.mock.AuthenticationMethodsPolicy(e.tenant)
	if err != nil {
		return "", err
	}
	var parts []string
	list, _ := root["authenticationMethodConfigurations"].([]any)
	for _, c := range list {
		cfg, _ := c.(map[string]any)
		if id, _ := cfg["id"].(string); a.graphID != "" && strings.EqualFold(id, a.graphID) {
			continue
		}
		b, err := json.Marshal(cfg)
		if err != nil {
			return "", err
		}
		parts = append(parts, string(b))
	}
	if a.graphID != "" {
		b, err := json.Marshal(root["registrationEnforcement"])
		if err != nil {
			return "", err
		}
		parts = append(parts, string(b))
	}
	return strings.Join(parts, "\n"), nil
}

// checkOthersUnchanged asserts the other parts are still before.
func (e *accEnv) checkOthersUnchanged(a methodPolicyAcc, before string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		now, err := e.otherParts(a)
		if err != nil {
			return err
		}
		if now != before {
			return fmt.Errorf("another part of the policy changed:\nbefore\n%s\nnow\n%s", before, now)
		}
		return nil
	}
}

// checkPatches asserts how many PATCHes of the part Graph answered since
// the step began (*since).
func (e *accEnv) checkPatches(a methodPolicyAcc, since *time.Time, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		n := 0
		for _, r := range e.mock.RequestLog(mockgraph.RequestLogFilter{Method: "PATCH", Since: *since}) {
			if r.Status < 300 && policyPathIs(r.Path, a) {
				n++
			}
		}
		if n != want {
			return fmt.Errorf("%d PATCH requests of %s were answered; want %d", n, a.notAppliedID(), want)
		}
		return nil
	}
}

func policyPathIs(path string, a methodPolicyAcc) bool {
	path = strings.ToLower(strings.TrimSuffix(path, "/"))
	if a.graphID == "" {
		return strings.HasSuffix(path, "/policies/authenticationmethodspolicy")
	}
	return strings.HasSuffix(path, "/authenticationmethodconfigurations/"+strings.ToLower(a.graphID))
}

// run is the type's lifecycle: adopt, change, drift (plan not empty, then
// restored), not applied once (re-sent, applied), not applied ever (an
// error, and a state that does not claim the change), import by the id in
// lower case, and a destroy that leaves Graph as the last apply set it.
func (a methodPolicyAcc) run(t *testing.T) {
	e := newPolicyAccEnv(t, nil, nil)
	before, err := e.otherParts(a)
	e.must(err)
	var stepStart time.Time
	mark := func() { stepStart = time.Now() }
	adopt, change := e.config(a.block(a.adopt)), e.config(a.block(a.change))
	empty := resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
	steps := []resource.TestStep{
		{Config: adopt, ConfigPlanChecks: empty,
			Check: resource.ComposeAggregateTestCheckFunc(e.checkPolicyHolds(a, a.adoptGraph), e.checkOthersUnchanged(a, before))},
		// An attribute the configuration leaves out is not managed.
		{PreConfig: func() { e.must(e.setPart(a, a.unmanaged)) }, Config: adopt, PlanOnly: true},
		{Config: change, ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(a.address(), plancheck.ResourceActionUpdate)},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			Check: resource.ComposeAggregateTestCheckFunc(e.checkPolicyHolds(a, a.changeGraph), e.checkOthersUnchanged(a, before))},
		// Drift in a managed attribute plans an update (exit 2 in CI).
		{PreConfig: func() { e.must(e.setPart(a, a.drift)) }, Config: change, PlanOnly: true, ExpectNonEmptyPlan: true},
		{Config: change, Check: e.checkPolicyHolds(a, a.changeGraph)},
		// Graph spelling ids and GUIDs in another case plans nothing.
		{PreConfig: func() { e.must(e.upperCaseGUIDs(a)) }, Config: change, PlanOnly: true},
	}
	if a.unmanagedAfterChange != nil {
		steps = append(steps, resource.TestStep{PreConfig: func() { e.must(e.setPart(a, a.unmanagedAfterChange)) }, Config: change, PlanOnly: true})
	}
	steps = append(steps,
		// Answered and not applied once: the write is sent again.
		resource.TestStep{PreConfig: func() { e.must(e.mock.SetPatchNotApplied(e.tenant, a.notAppliedID(), 1)); mark() }, Config: adopt, ConfigPlanChecks: empty,
			Check: resource.ComposeAggregateTestCheckFunc(e.checkPolicyHolds(a, a.adoptGraph), e.checkPatches(a, &stepStart, 2), e.checkOthersUnchanged(a, before))},
		// Never applied: the apply fails saying so, and the state keeps
		// what Graph holds, so the next plan still shows the change.
		resource.TestStep{PreConfig: func() { e.must(e.mock.SetPatchNotApplied(e.tenant, a.notAppliedID(), -1)) }, Config: change,
			ExpectError: regexp.MustCompile(`Microsoft Graph did not apply the`)},
		resource.TestStep{PreConfig: func() {
			e.must(e.mock.SetPatchNotApplied(e.tenant, a.notAppliedID(), 0))
			e.must(e.checkPolicyHolds(a, a.adoptGraph)(nil)) // the failed apply changed nothing
		}, Config: change, PlanOnly: true, ExpectNonEmptyPlan: true},
		resource.TestStep{Config: change, ConfigPlanChecks: empty, Check: e.checkPolicyHolds(a, a.changeGraph)},
		resource.TestStep{ResourceName: a.address(), ImportState: true, ImportStateId: strings.ToLower(policyImportID(a)), ImportStateVerify: true,
			ImportStateVerifyIdentifierAttribute: "id", ImportStateVerifyIgnore: []string{"timeouts"}},
	)
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps:                    steps,
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(e.checkPolicyHolds(a, a.changeGraph),
			e.checkOthersUnchanged(a, before)),
	})
}

// upperCaseGUIDs spells every GUID of the part in upper case, out of band.
func (e *accEnv) upperCaseGUIDs(a methodPolicyAcc) error {
	got, err := e.graphPart(a)
	if err != nil {
		return err
	}
	var upper func(v any) any
	upper = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				x[k] = upper(e)
			}
		case []any:
			for i, e := range x {
				x[i] = upper(e)
			}
		case string:
			if guidPattern.MatchString(x) {
				return strings.ToUpper(x)
			}
		}
		return v
	}
	change := map[string]any{}
	for _, k := range []string{"includeTargets", "excludeTargets", "keyRestrictions", "featureSettings"} {
		if v, ok := got[k]; ok && v != nil {
			change[k] = upper(v)
		}
	}
	if fs, ok := change["featureSettings"].(map[string]any); ok {
		delete(fs, "numberMatchingRequiredState") // the out-of-band setter takes it, but keep the change to ids
	}
	return e.setPart(a, change)
}

// setPart changes the part out of band.
func (e *accEnv) setPart(a methodPolicyAcc, change map[string]any) error {
	if a.graphID == "" {
		return e.mock.SetRegistrationCampaign(e.tenant, change)
	}
	return e.mock.SetMethodConfiguration(e.tenant, a.graphID, change)
}

func policyImportID(a methodPolicyAcc) string {
	if a.graphID == "" {
		return registrationCampaign.id
	}
	return a.graphID
}

// runBadInputs refuses each bad body at plan time with exactly one
// diagnostic and no request reaching Graph or the token endpoint.
func (a methodPolicyAcc) runBadInputs(t *testing.T) {
	for _, c := range a.badInputs {
		t.Run(c.name, func(t *testing.T) {
			e := newAccEnv(t)
			e.test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps: []resource.TestStep{{
					Config: e.config(a.block(c.body), leakProbe), PlanOnly: true, ExpectError: exactDiagnostic(c.summary, c.detail),
				}},
			})
			e.requireNoRequests(t, c.name)
		})
	}
}

// runIdentity: the part's identity is its id, and an import block naming
// the identity adopts it (Terraform 1.12+).
func (a methodPolicyAcc) runIdentity(t *testing.T) {
	e := newPolicyAccEnv(t, nil, nil)
	cfg := e.config(a.block(a.adopt))
	e.test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectIdentity(a.address(), map[string]knownvalue.Check{"id": knownvalue.StringExact(policyImportID(a))}),
			}},
			{Config: cfg, ResourceName: a.address(), ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
		},
	})
}

// TestAccMethodPolicies_identity runs runIdentity for every type but SMS
// (TestAccSMSPolicy_identity).
func TestAccMethodPolicies_identity(t *testing.T) {
	for _, a := range []methodPolicyAcc{fido2Acc, authenticatorAcc, tapAcc, emailPolicyAcc, voicePolicyAcc, softwareOathAcc, x509Acc, campaignAcc} {
		t.Run(strings.TrimPrefix(a.resourceType, "entraauth_"), a.runIdentity)
	}
}

// runBadImport refuses an import id other than the configuration's, with
// the valid form, and writes nothing.
func (a methodPolicyAcc) runBadImport(t *testing.T) {
	e := newAccEnv(t)
	id := "Sms"
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(a.block(a.adopt)), ResourceName: a.address(), ImportState: true, ImportStateKind: resource.ImportBlockWithID, ImportStateId: id,
			ExpectError: errorRE("Invalid import id", fmt.Sprintf("The import id %q is not valid: the tenant has one %s", id, typeOf(a).one), fmt.Sprintf("whose id is %q", policyImportID(a))),
		}},
	})
	for _, r := range e.mock.RequestLog(mockgraph.RequestLogFilter{Method: "PATCH"}) {
		t.Errorf("import %s: a PATCH reached the mock: %s", id, r.Path)
	}
}

// typeOf is the declaration of a's resource type.
func typeOf(a methodPolicyAcc) *methodPolicyType {
	for _, t := range methodPolicyTypes {
		if t.address() == a.resourceType {
			return t
		}
	}
	panic("no method policy type " + a.resourceType)
}

// pilot and breakGlass are the target literals the suites use.
var (
	pilotTarget      = target(accPilotGroupID, "group")
	breakGlassTarget = target(accBreakGlassGroupID, "group")
)

// graphTarget is a target as Graph holds it.
func graphTarget(id string, extra ...any) map[string]any {
	t := map[string]any{"id": id, "targetType": "group"}
	for i := 0; i+1 < len(extra); i += 2 {
		name, _ := extra[i].(string)
		t[name] = extra[i+1]
	}
	return t
}
