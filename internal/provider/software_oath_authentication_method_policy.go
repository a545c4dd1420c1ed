package provider

import "github.com/entraauth/terraform-provider-entraauth/internal/graph"

// softwareOathPolicy is entraauth_software_oath_authentication_method_policy:
// one-time codes from third-party authenticator apps.
var softwareOathPolicy = &methodPolicyType{
	typeName: "software_oath_authentication_method_policy",
	part:     graph.MethodConfiguration("SoftwareOath", "#microsoft.graph.softwareOathAuthenticationMethodConfiguration"),
	id:       "SoftwareOath",
	title:    "software OATH token authentication method policy",
	noun:     "software OATH",
	one:      "software OATH token configuration",
	description: configurationDescription("software OATH token", "softwareOathAuthenticationMethodConfiguration", "softwareOath",
		"whether users may sign in with one-time codes from a third-party authenticator app, and for which groups"),
	dataSourceDescription: "Reads the software OATH token configuration of the tenant's authentication methods policy.",
	fields: []policyField{
		methodStateField("software OATH token"),
		includeTargetsField("Who may use software OATH tokens.", ""),
		excludeTargetsField("Who may not use software OATH tokens, even when an include target covers them."),
	},
	offForEveryone: `To turn software OATH tokens off for everyone, set state = "disabled".`,
	destroyDetail:  destroyDetail("entraauth_software_oath_authentication_method_policy", "software OATH token configuration", "signs in with an authenticator app's code"),
}
