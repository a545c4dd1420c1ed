package provider

import "testing"

// The registration campaign's suite (methodPolicyAcc): its writes are
// PATCHes of the policy root with registrationEnforcement alone.
var campaignAcc = methodPolicyAcc{
	resourceType: "entraauth_authentication_methods_registration_campaign",
	adopt: `  state = "enabled"
  include_targets = [` + pilotTarget + `]`,
	adoptGraph: map[string]any{"state": "enabled",
		"includeTargets": []any{graphTarget(accPilotGroupID, "targetedAuthenticationMethod", "microsoftAuthenticator")}, "excludeTargets": []any{}},
	change: `  state                                      = "disabled"
  snooze_duration_in_days                    = 7
  enforce_registration_after_allowed_snoozes = false
  include_targets = [{ id = "all_users", target_type = "group" }]
  exclude_targets = [` + breakGlassTarget + `]`,
	changeGraph: map[string]any{"state": "disabled", "snoozeDurationInDays": 7, "enforceRegistrationAfterAllowedSnoozes": false,
		"includeTargets": []any{graphTarget("all_users", "targetedAuthenticationMethod", "microsoftAuthenticator")},
		"excludeTargets": []any{graphTarget(accBreakGlassGroupID)}},
	unmanaged: map[string]any{"snoozeDurationInDays": 4, "enforceRegistrationAfterAllowedSnoozes": false},
	drift:     map[string]any{"snoozeDurationInDays": 3},
	badInputs: []policyBadInput{
		{"snooze_too_long", `  state = "enabled"
  include_targets = [` + pilotTarget + `]
  snooze_duration_in_days = 15`,
			"Invalid Attribute Value", `Attribute snooze_duration_in_days value must be between 0 and 14, got: 15`},
		{"state_unknown", `  state = "on"
  include_targets = [` + pilotTarget + `]`,
			"Invalid Attribute Value Match", `Attribute state value must be one of: ["default" "enabled" "disabled"], got: "on"`},
	},
}

// TestAccRegistrationCampaign_lifecycle: adopt, change, drift, not applied, import, destroy.
func TestAccRegistrationCampaign_lifecycle(t *testing.T) { campaignAcc.run(t) }

// TestAccBadInput_registrationCampaign: bad configurations and import ids.
func TestAccBadInput_registrationCampaign(t *testing.T) {
	campaignAcc.runBadInputs(t)
	t.Run("import", campaignAcc.runBadImport)
}
