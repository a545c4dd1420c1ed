package provider

import (
	"fmt"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

// smsPolicyStates are the states of a method configuration, used by the
// validators and the descriptions.
var smsPolicyStates = methodStates

// smsPolicy is entraauth_sms_authentication_method_policy: the SMS
// configuration (smsAuthenticationMethodConfiguration), whose include
// targets also say whether text messages may be used to sign in.
var smsPolicy = &methodPolicyType{
	typeName: "sms_authentication_method_policy",
	part:     graph.MethodConfiguration("Sms", "#microsoft.graph.smsAuthenticationMethodConfiguration"),
	id:       "Sms",
	title:    "SMS authentication method policy",
	noun:     "SMS",
	one:      "SMS configuration",
	description: "Manages the SMS configuration of the tenant's authentication methods policy " +
		"(Microsoft Graph `smsAuthenticationMethodConfiguration`, `/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/sms`): " +
		"whether text messages are enabled, for which groups, whether they may be used for sign-in, and who is excluded. " +
		"Only this configuration is read and written; no other authentication method is touched.\n\n" +
		"It is a tenant singleton: create adopts the existing configuration and sets it to the configured values. " +
		"**Destroy leaves the tenant's configuration as it is** (so removing the resource can never lock users out) and only removes it from the state.",
	dataSourceDescription: "Reads the SMS configuration of the tenant's authentication methods policy: whether text messages are on, " +
		"for whom, and whether they may be used for sign-in.",
	fields: []policyField{
		{name: "state", graph: "state", kind: stringField, required: true, oneOf: smsPolicyStates,
			description: fmt.Sprintf("Whether text message (SMS) authentication is on for the targets: one of %s.", quoteList(smsPolicyStates))},
		includeTargetsField("Who may use text messages.", "#microsoft.graph.smsAuthenticationMethodTarget",
			policyField{name: "is_usable_for_sign_in", graph: "isUsableForSignIn", kind: boolField, defaultValue: true,
				description: "Whether the targets may use their mobile number to sign in (SMS sign-in), not only as a second factor or for password reset. " +
					"Defaults to `true`, which is what a new tenant's `all_users` target holds; Graph does not document a default for a target that omits it, " +
					"so the provider always sends the value."}),
		excludeTargetsField("Who may not use text messages, even when an include target covers them (for example break-glass accounts)."),
	},
	offForEveryone: `To turn text messages off for everyone, set state = "disabled".`,
	destroyDetail: "entraauth_sms_authentication_method_policy was removed from the Terraform state only. The tenant's SMS configuration keeps its current state and targets, " +
		"so no user who signs in with a text message is locked out. To turn SMS off, set state = \"disabled\" and apply before removing the resource, or change it in the Microsoft Entra admin center.",
	phonesWait: true,
}
