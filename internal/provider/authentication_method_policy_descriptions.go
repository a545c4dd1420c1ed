package provider

import "fmt"

// The sentences every method configuration's docs share, so the pages say
// the same thing the same way.

// unmanagedWhenOmitted ends the description of an optional attribute that
// has no default.
const unmanagedWhenOmitted = "Left out, it is not managed: the provider neither sends it nor shows a difference, and the state shows Graph's value."

// keptWhenOmitted ends the description of an optional attribute inside an
// object Graph may replace whole (a nested object, the campaign).
const keptWhenOmitted = "Left out, it is not managed: it keeps the value Graph holds (a write sends it back as read, since Graph may replace the enclosing object whole) and never shows a difference."

// methodStates are the states of a method configuration.
var methodStates = []string{"enabled", "disabled"}

// methodStateField is a configuration's state.
func methodStateField(method string) policyField {
	return policyField{name: "state", graph: "state", kind: stringField, required: true, oneOf: methodStates,
		description: fmt.Sprintf("Whether %s authentication is on for the targets: one of %s.", method, quoteList(methodStates))}
}

// configurationDescription is a configuration resource page's summary.
func configurationDescription(method, graphType, id, what string) string {
	return fmt.Sprintf("Manages the %s configuration of the tenant's authentication methods policy "+
		"(Microsoft Graph `%s`, `/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/%s`): %s. "+
		"Only this configuration is read and written; no other authentication method is touched.\n\n"+
		"It is a tenant singleton: create adopts the existing configuration and sets it to the configured values. "+
		"**Destroy leaves the tenant's configuration as it is** (so removing the resource can never lock users out) and only removes it from the state.",
		method, graphType, id, what)
}

// destroyDetail is the destroy warning of a configuration.
func destroyDetail(resourceType, configuration, signsInWith string) string {
	return fmt.Sprintf("%s was removed from the Terraform state only. The tenant's %s keeps its current state and targets, "+
		"so no user who %s is locked out. To turn it off, set state = \"disabled\" and apply before removing the resource, or change it in the Microsoft Entra admin center.",
		resourceType, configuration, signsInWith)
}
