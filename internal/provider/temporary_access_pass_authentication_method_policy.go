package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

// tapLifetimeRange is the range Graph documents for every lifetime, in
// minutes (10 minutes to 30 days).
var tapLifetimeRange = [2]int64{10, 43200}

// tapPolicy is entraauth_temporary_access_pass_authentication_method_policy.
var tapPolicy = &methodPolicyType{
	typeName: "temporary_access_pass_authentication_method_policy",
	part:     graph.MethodConfiguration("TemporaryAccessPass", "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration"),
	id:       "TemporaryAccessPass",
	title:    "Temporary Access Pass authentication method policy",
	noun:     "Temporary Access Pass",
	one:      "Temporary Access Pass configuration",
	description: configurationDescription("Temporary Access Pass", "temporaryAccessPassAuthenticationMethodConfiguration", "temporaryAccessPass",
		"whether administrators may issue Temporary Access Passes (time-limited passcodes for onboarding and recovery), to whom, "+
			"how long passes may live and how long they are, and whether a pass may be used once only"),
	dataSourceDescription: "Reads the Temporary Access Pass configuration of the tenant's authentication methods policy: whether passes may be issued, to whom, and their lifetimes and length.",
	fields: []policyField{
		methodStateField("Temporary Access Pass"),
		{name: "default_length", graph: "defaultLength", kind: int64Field, between: [2]int64{8, 48},
			description: "The number of characters of a pass, 8 to 48 (a new tenant has 8). " + unmanagedWhenOmitted},
		tapLifetime("default_lifetime_in_minutes", "defaultLifetimeInMinutes", "How long a pass lives when the administrator issuing it gives no lifetime", "60"),
		tapLifetime("minimum_lifetime_in_minutes", "minimumLifetimeInMinutes", "The shortest lifetime a pass may be given", "60"),
		tapLifetime("maximum_lifetime_in_minutes", "maximumLifetimeInMinutes", "The longest lifetime a pass may be given", "480"),
		{name: "is_usable_once", graph: "isUsableOnce", kind: boolField,
			description: "Whether every pass may be used for one sign-in only; when `false`, an administrator may still issue a one-time pass. " + unmanagedWhenOmitted},
		includeTargetsField("Who may be issued a Temporary Access Pass.", ""),
		excludeTargetsField("Who may not be issued a Temporary Access Pass, even when an include target covers them."),
	},
	validate:       validateTAPPolicy,
	offForEveryone: `To stop Temporary Access Passes for everyone, set state = "disabled".`,
	destroyDetail:  destroyDetail("entraauth_temporary_access_pass_authentication_method_policy", "Temporary Access Pass configuration", "is being onboarded with a Temporary Access Pass"),
	badRequestHint: "Graph refuses lifetimes outside 10 to 43200 minutes or out of order (minimum <= default <= maximum, evaluated with the values the tenant holds for any lifetime not set here), and targets it cannot resolve.",
}

func tapLifetime(name, graphName, what, fresh string) policyField {
	return policyField{name: name, graph: graphName, kind: int64Field, between: tapLifetimeRange,
		description: fmt.Sprintf("%s, in minutes: %d to %d (30 days), with minimum <= default <= maximum (a new tenant has %s). %s",
			what, tapLifetimeRange[0], tapLifetimeRange[1], fresh, unmanagedWhenOmitted)}
}

// validateTAPPolicy checks the order of the lifetimes that are set; one
// left out keeps the tenant's value, which only Graph can check.
func validateTAPPolicy(cfg map[string]attr.Value) diag.Diagnostics {
	var diags diag.Diagnostics
	value := func(name string) (int64, bool) {
		v, ok := cfg[name].(types.Int64)
		return v.ValueInt64(), ok && !v.IsNull() && !v.IsUnknown()
	}
	order := []string{"minimum_lifetime_in_minutes", "default_lifetime_in_minutes", "maximum_lifetime_in_minutes"}
	for i, lower := range order {
		for _, upper := range order[i+1:] {
			lo, okLo := value(lower)
			hi, okHi := value(upper)
			if okLo && okHi && lo > hi {
				diags.AddAttributeError(path.Root(upper), "Temporary Access Pass lifetimes out of order",
					fmt.Sprintf("%s (%d) is larger than %s (%d): the lifetimes must satisfy minimum <= default <= maximum, each from 10 to 43200 minutes, "+
						"for example minimum_lifetime_in_minutes = 60, default_lifetime_in_minutes = 60, maximum_lifetime_in_minutes = 480.", lower, lo, upper, hi))
			}
		}
	}
	return diags
}
