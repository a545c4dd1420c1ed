package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

// fido2EnforcementTypes are keyRestrictions.enforcementType's values.
var fido2EnforcementTypes = []string{"allow", "block"}

// fido2Policy is entraauth_fido2_authentication_method_policy: passkeys
// (FIDO2), with the list of security key and passkey models allowed.
var fido2Policy = &methodPolicyType{
	typeName: "fido2_authentication_method_policy",
	part:     graph.MethodConfiguration("Fido2", "#microsoft.graph.fido2AuthenticationMethodConfiguration"),
	id:       "Fido2",
	title:    "passkey (FIDO2) authentication method policy",
	noun:     "passkey (FIDO2)",
	one:      "passkey (FIDO2) configuration",
	description: configurationDescription("passkey (FIDO2)", "fido2AuthenticationMethodConfiguration", "fido2",
		"whether passkeys (FIDO2 security keys and passkeys in Microsoft Authenticator) are enabled, for which groups, whether attestation is enforced, "+
			"whether users may register them themselves, and which models (AAGUIDs) are allowed or blocked"),
	dataSourceDescription: "Reads the passkey (FIDO2) configuration of the tenant's authentication methods policy: whether passkeys are on, for whom, and which models (AAGUIDs) are allowed or blocked.",
	fields: []policyField{
		methodStateField("passkey (FIDO2)"),
		{name: "is_attestation_enforced", graph: "isAttestationEnforced", kind: boolField,
			description: "Whether a passkey must present a valid attestation (proving its make and model) to be registered. " + unmanagedWhenOmitted},
		{name: "is_self_service_registration_allowed", graph: "isSelfServiceRegistrationAllowed", kind: boolField,
			description: "Whether users may register passkeys themselves (at https://aka.ms/mysecurityinfo). " + unmanagedWhenOmitted},
		{name: "key_restrictions", graph: "keyRestrictions", kind: objectField,
			description: "Which passkey models may be registered, by their AAGUID (the model id the vendor publishes). " + unmanagedWhenOmitted,
			fields: []policyField{
				{name: "is_enforced", graph: "isEnforced", kind: boolField, required: true,
					description: "Whether the list is enforced. When `false`, any model may be registered."},
				{name: "enforcement_type", graph: "enforcementType", kind: stringField, required: true, oneOf: fido2EnforcementTypes,
					description: fmt.Sprintf("One of %s: `allow` lets only the listed models register, `block` refuses them.", quoteList(fido2EnforcementTypes))},
				{name: "aa_guids", graph: "aaGuids", kind: stringSetField, required: true, guids: true,
					description: "The AAGUIDs of the models, such as `90a3ccdf-635c-4729-a248-9b709135078f` (Microsoft Authenticator on iOS) and `de1e552d-db1d-4423-a619-566b625cdc84` (Authenticator on Android). Compared case-insensitively."},
			}},
		includeTargetsField("Who may use passkeys.", ""),
		excludeTargetsField("Who may not use passkeys, even when an include target covers them."),
	},
	validate:       validateFido2Policy,
	offForEveryone: `To turn passkeys off for everyone, set state = "disabled".`,
	destroyDetail:  destroyDetail("entraauth_fido2_authentication_method_policy", "passkey (FIDO2) configuration", "signs in with a passkey"),
	badRequestHint: "Graph refuses targets it cannot resolve and AAGUIDs that are not GUIDs: check every include_targets and exclude_targets id, and key_restrictions.aa_guids.",
}

// validateFido2Policy refuses an enforced allow list that allows nothing:
// no passkey could be registered, and those registered stop working.
func validateFido2Policy(cfg map[string]attr.Value) diag.Diagnostics {
	var diags diag.Diagnostics
	kr, ok := cfg["key_restrictions"].(types.Object)
	if !ok || kr.IsNull() || kr.IsUnknown() {
		return nil
	}
	a := kr.Attributes()
	enforced, _ := a["is_enforced"].(types.Bool)
	kind, _ := a["enforcement_type"].(types.String)
	guids, _ := a["aa_guids"].(types.Set)
	if enforced.ValueBool() && !enforced.IsUnknown() && kind.ValueString() == "allow" && !kind.IsUnknown() && !guids.IsUnknown() && len(guids.Elements()) == 0 {
		diags.AddAttributeError(path.Root("key_restrictions"), "Passkey allow list is empty",
			"key_restrictions enforces an allow list (is_enforced = true, enforcement_type = \"allow\") with no aa_guids, so no passkey model could be registered. "+
				"List the AAGUIDs of the allowed models, for example aa_guids = [\"90a3ccdf-635c-4729-a248-9b709135078f\"], or set is_enforced = false.")
	}
	return diags
}
