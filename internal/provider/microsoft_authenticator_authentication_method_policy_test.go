package provider

import "testing"

// The Microsoft Authenticator configuration's suite (methodPolicyAcc). The
// mock returns numberMatchingRequiredState and refuses it in a PATCH, so
// every write here also proves it is never sent back.
var authenticatorAcc = methodPolicyAcc{
	resourceType: "entraauth_microsoft_authenticator_authentication_method_policy", graphID: "MicrosoftAuthenticator",
	adopt: `  state = "enabled"
  include_targets = [{ id = "` + accPilotGroupID + `", target_type = "group", authentication_mode = "push" }]`,
	adoptGraph: map[string]any{"state": "enabled", "includeTargets": []any{graphTarget(accPilotGroupID, "authenticationMode", "push")}, "excludeTargets": []any{}},
	change: `  state                    = "disabled"
  is_software_oath_enabled = true
  feature_settings = {
    display_location_information_required_state = {
      state          = "enabled"
      exclude_target = { id = "` + accBreakGlassGroupID + `", target_type = "group" }
    }
  }
  include_targets = [{ id = "all_users", target_type = "group" }]
  exclude_targets = [` + breakGlassTarget + `]`,
	changeGraph: map[string]any{"state": "disabled", "isSoftwareOathEnabled": true,
		"featureSettings": map[string]any{"displayLocationInformationRequiredState": map[string]any{"state": "enabled",
			"includeTarget": map[string]any{"id": "all_users", "targetType": "group"},
			"excludeTarget": map[string]any{"id": accBreakGlassGroupID, "targetType": "group"}}},
		"includeTargets": []any{graphTarget("all_users", "authenticationMode", "any")}, "excludeTargets": []any{graphTarget(accBreakGlassGroupID)}},
	drift:     map[string]any{"featureSettings": map[string]any{"displayLocationInformationRequiredState": map[string]any{"state": "disabled"}}},
	unmanaged: map[string]any{"isSoftwareOathEnabled": true},
	// The app information feature is left to the admin center.
	unmanagedAfterChange: map[string]any{"featureSettings": map[string]any{"displayAppInformationRequiredState": map[string]any{"state": "enabled"}}},
	badInputs: []policyBadInput{
		{"mode_unknown", `  state = "enabled"
  include_targets = [{ id = "all_users", target_type = "group", authentication_mode = "sms" }]`,
			"Invalid Attribute Value Match", `Attribute include_targets[Value({"authentication_mode":"sms","id":"all_users","target_type":"group"})].authentication_mode value must be one of: ["any" "push" "deviceBasedPush"], got: "sms"`},
		{"feature_state_unknown", `  state = "enabled"
  include_targets = [` + pilotTarget + `]
  feature_settings = { display_app_information_required_state = { state = "on" } }`,
			"Invalid Attribute Value Match", `Attribute feature_settings.display_app_information_required_state.state value must be one of: ["default" "enabled" "disabled"], got: "on"`},
		{"feature_target_not_guid", `  state = "enabled"
  include_targets = [` + pilotTarget + `]
  feature_settings = { display_app_information_required_state = { state = "enabled", include_target = { id = "pilot", target_type = "group" } } }`,
			"Invalid Attribute Value Match", `Attribute feature_settings.display_app_information_required_state.include_target.id must be all_users or an object id (a GUID such as "00000000-0000-0000-0000-000000000001"), got: pilot`},
	},
}

// TestAccAuthenticatorPolicy_lifecycle: adopt, change, drift, an unmanaged
// feature left alone, not applied, import, destroy.
func TestAccAuthenticatorPolicy_lifecycle(t *testing.T) { authenticatorAcc.run(t) }

// TestAccBadInput_authenticatorPolicy: bad configurations and import ids.
func TestAccBadInput_authenticatorPolicy(t *testing.T) {
	authenticatorAcc.runBadInputs(t)
	t.Run("import", authenticatorAcc.runBadImport)
}
