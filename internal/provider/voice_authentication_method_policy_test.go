package provider

import "testing"

// The voice call configuration's suite (methodPolicyAcc).
var voicePolicyAcc = methodPolicyAcc{
	resourceType: "entraauth_voice_authentication_method_policy", graphID: "Voice",
	adopt: `  state = "enabled"
  include_targets = [` + pilotTarget + `]`,
	adoptGraph: map[string]any{"state": "enabled", "includeTargets": []any{graphTarget(accPilotGroupID)}, "excludeTargets": []any{}},
	change: `  state                   = "disabled"
  is_office_phone_allowed = true
  include_targets = [{ id = "all_users", target_type = "group" }]
  exclude_targets = [` + breakGlassTarget + `]`,
	changeGraph: map[string]any{"state": "disabled", "isOfficePhoneAllowed": true,
		"includeTargets": []any{graphTarget("all_users")}, "excludeTargets": []any{graphTarget(accBreakGlassGroupID)}},
	unmanaged: map[string]any{"isOfficePhoneAllowed": true},
	drift:     map[string]any{"isOfficePhoneAllowed": false},
	badInputs: []policyBadInput{
		{"state_unknown", `  state = "on"
  include_targets = [` + pilotTarget + `]`,
			"Invalid Attribute Value Match", `Attribute state value must be one of: ["enabled" "disabled"], got: "on"`},
	},
}

// TestAccVoicePolicy_lifecycle: adopt, change, drift, not applied, import, destroy.
func TestAccVoicePolicy_lifecycle(t *testing.T) { voicePolicyAcc.run(t) }

// TestAccBadInput_voicePolicy: bad configurations and import ids.
func TestAccBadInput_voicePolicy(t *testing.T) {
	voicePolicyAcc.runBadInputs(t)
	t.Run("import", voicePolicyAcc.runBadImport)
}
