package provider

import "github.com/entraauth/terraform-provider-entraauth/internal/graph"

// voicePolicy is entraauth_voice_authentication_method_policy: voice calls
// to a user's phone.
var voicePolicy = &methodPolicyType{
	typeName: "voice_authentication_method_policy",
	part:     graph.MethodConfiguration("Voice", "#microsoft.graph.voiceAuthenticationMethodConfiguration"),
	id:       "Voice",
	title:    "voice call authentication method policy",
	noun:     "voice call",
	one:      "voice call configuration",
	description: configurationDescription("voice call", "voiceAuthenticationMethodConfiguration", "voice",
		"whether users may be called on their phone to approve a sign-in, for which groups, and whether office phones may be called"),
	dataSourceDescription: "Reads the voice call configuration of the tenant's authentication methods policy.",
	fields: []policyField{
		methodStateField("voice call"),
		{name: "is_office_phone_allowed", graph: "isOfficePhoneAllowed", kind: boolField,
			description: "Whether an office phone (an `office` phone method) may be called, not only mobile phones. " + unmanagedWhenOmitted},
		includeTargetsField("Who may use voice calls.", ""),
		excludeTargetsField("Who may not use voice calls, even when an include target covers them."),
	},
	offForEveryone: `To turn voice calls off for everyone, set state = "disabled".`,
	destroyDetail:  destroyDetail("entraauth_voice_authentication_method_policy", "voice call configuration", "signs in with a voice call"),
}
