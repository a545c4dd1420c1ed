package provider

import (
	"fmt"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

// externalIDEmailOTPStates are allowExternalIdToUseEmailOtp's values.
var externalIDEmailOTPStates = []string{"default", "enabled", "disabled"}

// emailPolicy is entraauth_email_authentication_method_policy: email
// one-time passcodes, used by guests (B2B) and for password reset.
var emailPolicy = &methodPolicyType{
	typeName: "email_authentication_method_policy",
	part:     graph.MethodConfiguration("Email", "#microsoft.graph.emailAuthenticationMethodConfiguration"),
	id:       "Email",
	title:    "email OTP authentication method policy",
	noun:     "email OTP",
	one:      "email OTP configuration",
	description: configurationDescription("email one-time passcode (OTP)", "emailAuthenticationMethodConfiguration", "email",
		"whether users may receive one-time passcodes by email (for self-service password reset, and guests for sign-in), for which groups, "+
			"and whether external users may use them to sign in"),
	dataSourceDescription: "Reads the email one-time passcode configuration of the tenant's authentication methods policy.",
	fields: []policyField{
		methodStateField("email one-time passcode"),
		{name: "allow_external_id_to_use_email_otp", graph: "allowExternalIdToUseEmailOtp", kind: stringField, oneOf: externalIDEmailOTPStates,
			description: fmt.Sprintf("Whether external (B2B guest) users may sign in with email one-time passcodes: one of %s; `default` lets Microsoft decide. %s",
				quoteList(externalIDEmailOTPStates), unmanagedWhenOmitted)},
		includeTargetsField("Who may use email one-time passcodes.", ""),
		excludeTargetsField("Who may not use email one-time passcodes, even when an include target covers them."),
	},
	offForEveryone: `To turn email one-time passcodes off for everyone, set state = "disabled".`,
	destroyDetail:  destroyDetail("entraauth_email_authentication_method_policy", "email OTP configuration", "resets a password with an email code"),
}
