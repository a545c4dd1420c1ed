package provider

import "testing"

// The passkey (FIDO2) configuration's suite (methodPolicyAcc).
var fido2Acc = methodPolicyAcc{
	resourceType: "entraauth_fido2_authentication_method_policy", graphID: "Fido2",
	adopt: `  state = "enabled"
  include_targets = [` + pilotTarget + `]`,
	adoptGraph: map[string]any{"state": "enabled", "includeTargets": []any{graphTarget(accPilotGroupID)}, "excludeTargets": []any{}},
	change: `  state                                = "disabled"
  is_attestation_enforced              = false
  is_self_service_registration_allowed = false
  key_restrictions = {
    is_enforced      = true
    enforcement_type = "allow"
    aa_guids         = ["90A3CCDF-635C-4729-A248-9B709135078F", "de1e552d-db1d-4423-a619-566b625cdc84"]
  }
  include_targets = [{ id = "all_users", target_type = "group" }]
  exclude_targets = [` + breakGlassTarget + `]`,
	changeGraph: map[string]any{"state": "disabled", "isAttestationEnforced": false, "isSelfServiceRegistrationAllowed": false,
		"keyRestrictions": map[string]any{"isEnforced": true, "enforcementType": "allow",
			"aaGuids": []any{"90a3ccdf-635c-4729-a248-9b709135078f", "de1e552d-db1d-4423-a619-566b625cdc84"}},
		"includeTargets": []any{graphTarget("all_users")}, "excludeTargets": []any{graphTarget(accBreakGlassGroupID)}},
	unmanaged: map[string]any{"isSelfServiceRegistrationAllowed": false, "keyRestrictions": map[string]any{"aaGuids": []any{"de1e552d-db1d-4423-a619-566b625cdc84"}}},
	drift:     map[string]any{"keyRestrictions": map[string]any{"isEnforced": true, "enforcementType": "allow", "aaGuids": []any{"90a3ccdf-635c-4729-a248-9b709135078f"}}},
	badInputs: []policyBadInput{
		{"aaguid_not_guid", `  state = "enabled"
  include_targets = [` + pilotTarget + `]
  key_restrictions = { is_enforced = true, enforcement_type = "block", aa_guids = ["yubikey-5"] }`,
			"Invalid Attribute Value Match", `Attribute key_restrictions.aa_guids[Value("yubikey-5")] must be a GUID such as "cb69481e-8ff7-4039-93ec-0a2729a154a8", got: yubikey-5`},
		{"aaguid_twice", `  state = "enabled"
  include_targets = [` + pilotTarget + `]
  key_restrictions = { is_enforced = true, enforcement_type = "block", aa_guids = ["90A3CCDF-635C-4729-A248-9B709135078F", "90a3ccdf-635c-4729-a248-9b709135078f"] }`,
			"Duplicate GUID", `key_restrictions.aa_guids lists "90A3CCDF-635C-4729-A248-9B709135078F" and "90a3ccdf-635c-4729-a248-9b709135078f", the same GUID in two spellings (GUIDs compare case-insensitively). List it once.`},
		{"enforcement_type_unknown", `  state = "enabled"
  include_targets = [` + pilotTarget + `]
  key_restrictions = { is_enforced = true, enforcement_type = "deny", aa_guids = [] }`,
			"Invalid Attribute Value Match", `Attribute key_restrictions.enforcement_type value must be one of: ["allow" "block"], got: "deny"`},
		{"empty_allow_list", `  state = "enabled"
  include_targets = [` + pilotTarget + `]
  key_restrictions = { is_enforced = true, enforcement_type = "allow", aa_guids = [] }`,
			"Passkey allow list is empty", `key_restrictions enforces an allow list (is_enforced = true, enforcement_type = "allow") with no aa_guids, so no passkey model could be registered. List the AAGUIDs of the allowed models, for example aa_guids = ["90a3ccdf-635c-4729-a248-9b709135078f"], or set is_enforced = false.`},
		{"target_not_guid", `  state = "enabled"
  include_targets = [{ id = "passkey-pilot", target_type = "group" }]`,
			"Invalid passkey (FIDO2) policy target", `The target id "passkey-pilot" in include_targets is not a group's object id: it must be a GUID such as "00000000-0000-0000-0000-000000000001", or all_users; ` + policyTargetExample + `.`},
	},
}

// TestAccFido2Policy_lifecycle: adopt, change, drift, not applied, import, destroy.
func TestAccFido2Policy_lifecycle(t *testing.T) { fido2Acc.run(t) }

// TestAccBadInput_fido2Policy: bad configurations and import ids.
func TestAccBadInput_fido2Policy(t *testing.T) {

	fido2Acc.runBadInputs(t)
	t.Run("import", fido2Acc.runBadImport)
}
