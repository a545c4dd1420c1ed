package provider

import "testing"

// The email OTP configuration's suite (methodPolicyAcc).
var emailPolicyAcc = methodPolicyAcc{
	resourceType: "entraauth_email_authentication_method_policy", graphID: "Email",
	adopt: `  state = "enabled"
  include_targets = [` + pilotTarget + `]`,
	adoptGraph: map[string]any{"state": "enabled", "includeTargets": []any{graphTarget(accPilotGroupID)}, "excludeTargets": []any{}},
	change: `  state                              = "disabled"
  allow_external_id_to_use_email_otp = "disabled"
  include_targets = [{ id = "all_users", target_type = "group" }]
  exclude_targets = [` + breakGlassTarget + `]`,
	changeGraph: map[string]any{"state": "disabled", "allowExternalIdToUseEmailOtp": "disabled",
		"includeTargets": []any{graphTarget("all_users")}, "excludeTargets": []any{graphTarget(accBreakGlassGroupID)}},
	unmanaged: map[string]any{"allowExternalIdToUseEmailOtp": "enabled"},
	drift:     map[string]any{"allowExternalIdToUseEmailOtp": "enabled"},
	badInputs: []policyBadInput{
		{"external_id_unknown", `  state = "enabled"
  include_targets = [` + pilotTarget + `]
  allow_external_id_to_use_email_otp = "yes"`,
			"Invalid Attribute Value Match", `Attribute allow_external_id_to_use_email_otp value must be one of: ["default" "enabled" "disabled"], got: "yes"`},
	},
}

// TestAccEmailPolicy_lifecycle: adopt, change, drift, not applied, import, destroy.
func TestAccEmailPolicy_lifecycle(t *testing.T) { emailPolicyAcc.run(t) }

// TestAccBadInput_emailPolicy: bad configurations and import ids.
func TestAccBadInput_emailPolicy(t *testing.T) {
	emailPolicyAcc.runBadInputs(t)
	t.Run("import", emailPolicyAcc.runBadImport)
}
