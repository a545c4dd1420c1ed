package provider

import (
	"fmt"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

var (
	// campaignStates are the campaign's state: default lets Microsoft
	// decide (Microsoft enables it for tenants that leave it so).
	campaignStates = []string{"default", "enabled", "disabled"}
	// campaignMethods are what a campaign may ask users to register.
	campaignMethods = []string{"microsoftAuthenticator"}
)

// registrationCampaign is entraauth_authentication_methods_registration_campaign:
// the policy's registrationEnforcement.authenticationMethodsRegistrationCampaign,
// which prompts users at sign-in to set up Microsoft Authenticator.
var registrationCampaign = &methodPolicyType{
	typeName: "authentication_methods_registration_campaign",
	part:     graph.RegistrationCampaign,
	// Graph keeps the campaign inside registrationEnforcement, which a
	// PATCH might replace whole.
	storedInside: true,
	id:           "authenticationMethodsRegistrationCampaign",
	idDescription: "The provider's id of the campaign, always `authenticationMethodsRegistrationCampaign` (the name of its Graph property: " +
		"Graph gives the campaign no id of its own).",
	title: "authentication methods registration campaign",
	noun:  "registration campaign",
	one:   "registration campaign",
	description: "Manages the registration campaign of the tenant's authentication methods policy (Microsoft Graph " +
		"`registrationEnforcement.authenticationMethodsRegistrationCampaign` of `/policies/authenticationMethodsPolicy`): " +
		"whether users who sign in with a weaker method are prompted to set up Microsoft Authenticator, who is prompted, and how often they may snooze the prompt. " +
		"Only `registrationEnforcement` is written (a PATCH of the policy with that property alone); no method configuration is touched.\n\n" +
		"It is a tenant singleton: create adopts the existing campaign and sets it to the configured values. " +
		"**Destroy leaves the campaign as it is** and only removes it from the state.",
	dataSourceDescription: "Reads the registration campaign of the tenant's authentication methods policy.",
	fields: []policyField{
		{name: "state", graph: "state", kind: stringField, required: true, oneOf: campaignStates,
			description: fmt.Sprintf("Whether the campaign prompts users: one of %s; `default` lets Microsoft decide (Microsoft enables it for such tenants).", quoteList(campaignStates))},
		{name: "snooze_duration_in_days", graph: "snoozeDurationInDays", kind: int64Field, between: [2]int64{0, 14},
			description: "How many days a user who selects \"Not now\" is left alone, 0 to 14; 0 prompts at every sign-in. " + keptWhenOmitted},
		{name: "enforce_registration_after_allowed_snoozes", graph: "enforceRegistrationAfterAllowedSnoozes", kind: boolField,
			description: "Whether users must register after snoozing three times; when `false` they may snooze forever. " + keptWhenOmitted},
		includeTargetsField("Who is prompted.", "",
			policyField{name: "targeted_authentication_method", graph: "targetedAuthenticationMethod", kind: stringField, defaultValue: "microsoftAuthenticator", oneOf: campaignMethods,
				description: fmt.Sprintf("What the targets are prompted to register: %s (the only value Graph accepts). Defaults to `microsoftAuthenticator`.", quoteList(campaignMethods))}),
		excludeTargetsField("Who is never prompted, even when an include target covers them."),
	},
	offForEveryone: `To stop the campaign for everyone, set state = "disabled".`,
	destroyDetail: "entraauth_authentication_methods_registration_campaign was removed from the Terraform state only. The tenant's registration campaign keeps its current state and targets. " +
		"To stop it, set state = \"disabled\" and apply before removing the resource, or change it in the Microsoft Entra admin center.",
}
