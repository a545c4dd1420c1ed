package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

var (
	// authenticatorModes are an include target's authenticationMode.
	authenticatorModes = []string{"any", "push", "deviceBasedPush"}
	// featureStates are an Authenticator feature's state: default lets
	// Microsoft decide (today: enabled).
	featureStates = []string{"default", "enabled", "disabled"}
	// featureTargetTypes are a feature's include and exclude target types.
	featureTargetTypes = []string{"group", "role", "administrativeUnit"}
)

// authenticatorPolicy is entraauth_microsoft_authenticator_authentication_method_policy.
var authenticatorPolicy = &methodPolicyType{
	typeName: "microsoft_authenticator_authentication_method_policy",
	part:     graph.MethodConfiguration("MicrosoftAuthenticator", "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration"),
	id:       "MicrosoftAuthenticator",
	title:    "Microsoft Authenticator authentication method policy",
	noun:     "Microsoft Authenticator",
	one:      "Microsoft Authenticator configuration",
	description: configurationDescription("Microsoft Authenticator", "microsoftAuthenticatorAuthenticationMethodConfiguration", "microsoftAuthenticator",
		"whether the Authenticator app may be used, for which groups and in which mode (push notifications, passwordless phone sign-in or both), "+
			"whether its one-time codes may be used, and whether push notifications show the application and the location of the sign-in. "+
			"Number matching is always on and cannot be configured (Graph refuses `numberMatchingRequiredState`)"),
	dataSourceDescription: "Reads the Microsoft Authenticator configuration of the tenant's authentication methods policy: whether the app may be used, for whom, in which mode, and which push notification features are on.",
	fields: []policyField{
		methodStateField("Microsoft Authenticator"),
		{name: "is_software_oath_enabled", graph: "isSoftwareOathEnabled", kind: boolField,
			description: "Whether the app's one-time codes (software OATH tokens) may be used. " + unmanagedWhenOmitted},
		{name: "feature_settings", graph: "featureSettings", kind: objectField,
			description: "What push notifications show. " + unmanagedWhenOmitted + " Each feature inside is managed only when set, so one can be left to the Microsoft Entra admin center.",
			fields: []policyField{
				authenticatorFeature("display_app_information_required_state", "displayAppInformationRequiredState", "Whether push notifications show the name of the application the user signs in to."),
				authenticatorFeature("display_location_information_required_state", "displayLocationInformationRequiredState", "Whether push notifications show the location the sign-in comes from (from its IP address)."),
			}},
		includeTargetsField("Who may use Microsoft Authenticator.", "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodTarget",
			policyField{name: "authentication_mode", graph: "authenticationMode", kind: stringField, defaultValue: "any", oneOf: authenticatorModes,
				description: fmt.Sprintf("How the targets may use the app: one of %s. `push` is approving notifications, `deviceBasedPush` is passwordless phone sign-in, `any` is both. Defaults to `any`.", quoteList(authenticatorModes))}),
		excludeTargetsField("Who may not use Microsoft Authenticator, even when an include target covers them."),
	},
	offForEveryone: `To turn Microsoft Authenticator off for everyone, set state = "disabled".`,
	destroyDetail:  destroyDetail("entraauth_microsoft_authenticator_authentication_method_policy", "Microsoft Authenticator configuration", "signs in with Microsoft Authenticator"),
}

// authenticatorFeature is one feature of feature_settings: its state and
// who it applies to (one include and one exclude target).
func authenticatorFeature(name, graphName, what string) policyField {
	target := func(role string) []policyField {
		return []policyField{
			{name: "id", graph: "id", kind: stringField, required: true, caseFree: true, validators: []validator.String{targetIDValidator},
				description: "The object id (a GUID) of a group, role or administrative unit, or `all_users`" + role + ". Compared case-insensitively."},
			{name: "target_type", graph: "targetType", kind: stringField, required: true, oneOf: featureTargetTypes,
				description: fmt.Sprintf("One of %s.", quoteList(featureTargetTypes))},
		}
	}
	return policyField{name: name, graph: graphName, kind: objectField,
		description: what + " " + keptWhenOmitted,
		fields: []policyField{
			{name: "state", graph: "state", kind: stringField, required: true, oneOf: featureStates,
				description: fmt.Sprintf("One of %s; `default` lets Microsoft decide (Microsoft has turned both features on for `default`).", quoteList(featureStates))},
			{name: "include_target", graph: "includeTarget", kind: objectField, fields: target(" (every user)"),
				defaultValue: map[string]any{"id": graphAllUsers, "target_type": "group"},
				description:  "Who the feature applies to. Defaults to every user: `{ id = \"all_users\", target_type = \"group\" }`."},
			{name: "exclude_target", graph: "excludeTarget", kind: objectField, fields: target(""),
				defaultValue: map[string]any{"id": noFeatureTarget, "target_type": "group"},
				description:  "Who is excluded from the feature. Defaults to nobody, which Graph writes as `{ id = \"" + noFeatureTarget + "\", target_type = \"group\" }`."},
		}}
}

// noFeatureTarget is the id Graph gives a feature's exclude target that
// excludes nobody.
const noFeatureTarget = "00000000-0000-0000-0000-000000000000"
