package provider

import "testing"

// The software OATH configuration's suite (methodPolicyAcc).
var softwareOathAcc = methodPolicyAcc{
	resourceType: "entraauth_software_oath_authentication_method_policy", graphID: "SoftwareOath",
	adopt: `  state = "enabled"
  include_targets = [` + pilotTarget + `]`,
	adoptGraph: map[string]any{"state": "enabled", "includeTargets": []any{graphTarget(accPilotGroupID)}, "excludeTargets": []any{}},
	change: `  state = "disabled"
  include_targets = [{ id = "all_users", target_type = "group" }]
  exclude_targets = [` + breakGlassTarget + `]`,
	changeGraph: map[string]any{"state": "disabled",
		"includeTargets": []any{graphTarget("all_users")}, "excludeTargets": []any{graphTarget(accBreakGlassGroupID)}},
	unmanaged: map[string]any{},
	drift:     map[string]any{"excludeTargets": []any{}},
	badInputs: []policyBadInput{
		{"duplicate_include", `  state = "enabled"
  include_targets = [` + pilotTarget + `, { id = "99999999-0000-4000-8000-00000000A001", target_type = "group" }]`,
			"Duplicate software OATH policy target", `The target "` + accPilotGroupID + `" appears more than once in include_targets (ids compare case-insensitively). List each group once.`},
	},
}

// TestAccSoftwareOathPolicy_lifecycle: adopt, change, drift, not applied, import, destroy.
func TestAccSoftwareOathPolicy_lifecycle(t *testing.T) { softwareOathAcc.run(t) }

// TestAccBadInput_softwareOathPolicy: bad configurations and import ids.
func TestAccBadInput_softwareOathPolicy(t *testing.T) {
	softwareOathAcc.runBadInputs(t)
	t.Run("import", softwareOathAcc.runBadImport)
}
