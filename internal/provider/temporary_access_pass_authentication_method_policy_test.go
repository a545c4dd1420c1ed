package provider

import "testing"

// The Temporary Access Pass configuration's suite (methodPolicyAcc).
var tapAcc = methodPolicyAcc{
	resourceType: "entraauth_temporary_access_pass_authentication_method_policy", graphID: "TemporaryAccessPass",
	adopt: `  state = "enabled"
  include_targets = [` + pilotTarget + `]`,
	adoptGraph: map[string]any{"state": "enabled", "includeTargets": []any{graphTarget(accPilotGroupID)}, "excludeTargets": []any{}},
	change: `  state                       = "disabled"
  default_length              = 12
  minimum_lifetime_in_minutes = 30
  default_lifetime_in_minutes = 120
  maximum_lifetime_in_minutes = 1440
  is_usable_once              = true
  include_targets = [{ id = "all_users", target_type = "group" }]
  exclude_targets = [` + breakGlassTarget + `]`,
	changeGraph: map[string]any{"state": "disabled", "defaultLength": 12, "minimumLifetimeInMinutes": 30, "defaultLifetimeInMinutes": 120,
		"maximumLifetimeInMinutes": 1440, "isUsableOnce": true,
		"includeTargets": []any{graphTarget("all_users")}, "excludeTargets": []any{graphTarget(accBreakGlassGroupID)}},
	unmanaged: map[string]any{"defaultLength": 10, "isUsableOnce": true},
	drift:     map[string]any{"defaultLifetimeInMinutes": 90},
	badInputs: []policyBadInput{
		{"length_short", `  state = "enabled"
  include_targets = [` + pilotTarget + `]
  default_length = 7`,
			"Invalid Attribute Value", `Attribute default_length value must be between 8 and 48, got: 7`},
		{"lifetime_short", `  state = "enabled"
  include_targets = [` + pilotTarget + `]
  minimum_lifetime_in_minutes = 5`,
			"Invalid Attribute Value", `Attribute minimum_lifetime_in_minutes value must be between 10 and 43200, got: 5`},
		{"lifetimes_out_of_order", `  state = "enabled"
  include_targets = [` + pilotTarget + `]
  default_lifetime_in_minutes = 600
  maximum_lifetime_in_minutes = 480`,
			"Temporary Access Pass lifetimes out of order", `default_lifetime_in_minutes (600) is larger than maximum_lifetime_in_minutes (480): the lifetimes must satisfy minimum <= default <= maximum, each from 10 to 43200 minutes, for example minimum_lifetime_in_minutes = 60, default_lifetime_in_minutes = 60, maximum_lifetime_in_minutes = 480.`},
		{"all_users_excluded", `  state = "enabled"
  include_targets = [` + pilotTarget + `]
  exclude_targets = [{ id = "all_users", target_type = "group" }]`,
			"all_users cannot be excluded", `exclude_targets may not contain all_users: that would exclude every user. To stop Temporary Access Passes for everyone, set state = "disabled".`},
	},
}

// TestAccTAPPolicy_lifecycle: adopt, change, drift, not applied, import, destroy.
func TestAccTAPPolicy_lifecycle(t *testing.T) { tapAcc.run(t) }

// TestAccBadInput_tapPolicy: bad configurations and import ids.
func TestAccBadInput_tapPolicy(t *testing.T) {
	tapAcc.runBadInputs(t)
	t.Run("import", tapAcc.runBadImport)
}
