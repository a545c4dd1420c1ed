package provider

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Every part of the authentication methods policy says who it applies to
// with include_targets and exclude_targets, validated by one rule set.

// guidPattern is an object id as Graph writes it.
var guidPattern = regexp.MustCompile(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$`)

// targetIDValidator checks a target id that no custom rule set checks
// (an Authenticator feature's targets).
var targetIDValidator = stringvalidator.RegexMatches(
	regexp.MustCompile(`^(all_users|[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})$`),
	`must be all_users or an object id (a GUID such as "00000000-0000-0000-0000-000000000001")`)

// graphAllUsers is the target id Graph uses for every user.
const graphAllUsers = "all_users"

// policyTargetTypes are the target types of include and exclude targets.
var policyTargetTypes = []string{"group", "user"}

// policyTargetExample is the valid target every refusal shows.
const policyTargetExample = `for example { id = "00000000-0000-0000-0000-000000000001", target_type = "group" } or { id = "all_users", target_type = "group" }`

// includeTargetsField is include_targets: who the method is on for, with
// the type's own target attributes (extra) and the @odata.type Graph
// names its targets with (empty for none).
func includeTargetsField(who string, odataType string, extra ...policyField) policyField {
	return policyField{
		name: "include_targets", graph: "includeTargets", kind: objectSetField, required: true, odataType: odataType,
		description: who + " " + setSentWhole + " Order never matters.",
		fields: append([]policyField{
			{name: "id", graph: "id", kind: stringField, required: true, caseFree: true,
				description: "The object id (a GUID) of a Microsoft Entra group (or of a user, with `target_type = \"user\"`), or `all_users` (with `target_type = \"group\"`) for every user. Compared case-insensitively."},
			{name: "target_type", graph: "targetType", kind: stringField, required: true, oneOf: policyTargetTypes,
				description: fmt.Sprintf("One of %s. Microsoft no longer recommends `user` targets (since December 2022): put the users in a group.", quoteList(policyTargetTypes))},
		}, extra...),
	}
}

// excludeTargetsField is exclude_targets, always managed (none by default).
func excludeTargetsField(who string) policyField {
	return policyField{
		name: "exclude_targets", graph: "excludeTargets", kind: objectSetField, defaultValue: emptySet,
		description: who + " Defaults to none.",
		fields: []policyField{
			{name: "id", graph: "id", kind: stringField, required: true, caseFree: true,
				description: "The object id (a GUID) of a Microsoft Entra group (or of a user, with `target_type = \"user\"`). Compared case-insensitively."},
			{name: "target_type", graph: "targetType", kind: stringField, required: true, oneOf: policyTargetTypes,
				description: fmt.Sprintf("One of %s.", quoteList(policyTargetTypes))},
		},
	}
}

// setSentWhole says a set attribute replaces Graph's collection.
const setSentWhole = "The set is sent whole: elements not listed here are removed from the configuration."

// policyTarget is one configured target, for validation.
type policyTarget struct {
	list           string // include_targets or exclude_targets
	id, targetType types.String
}

// configuredTargets reads both target lists of a configuration (unknown
// sets and elements give nothing).
func configuredTargets(attrs map[string]attr.Value) []policyTarget {
	var out []policyTarget
	for _, list := range []string{"include_targets", "exclude_targets"} {
		set, ok := attrs[list].(types.Set)
		if !ok || set.IsNull() || set.IsUnknown() {
			continue
		}
		for _, e := range set.Elements() {
			o, ok := e.(types.Object)
			if !ok || o.IsNull() || o.IsUnknown() {
				continue
			}
			a := o.Attributes()
			id, _ := a["id"].(types.String)
			tt, _ := a["target_type"].(types.String)
			out = append(out, policyTarget{list: list, id: id, targetType: tt})
		}
	}
	return out
}

// validatePolicyTargets is the plan-time rule set for the two target
// lists. noun names the policy in summaries ("SMS" gives "Invalid SMS
// policy target"); offForEveryone says how to switch the method off for
// every user, which is what excluding all_users would mean.
func validatePolicyTargets(targets []policyTarget, noun, offForEveryone string) diag.Diagnostics {
	var diags diag.Diagnostics
	seen := map[string]string{} // lower id -> list it was first seen in
	for _, t := range targets {
		if t.id.IsUnknown() || t.id.IsNull() {
			continue
		}
		id := t.id.ValueString()
		at := path.Root(t.list)
		switch {
		case strings.EqualFold(id, graphAllUsers) && t.list == "exclude_targets":
			diags.AddAttributeError(at, "all_users cannot be excluded",
				"exclude_targets may not contain all_users: that would exclude every user. "+offForEveryone)
			continue
		case strings.EqualFold(id, graphAllUsers):
			if !t.targetType.IsUnknown() && !t.targetType.IsNull() && t.targetType.ValueString() != "group" {
				diags.AddAttributeError(at, "Invalid "+noun+" policy target",
					fmt.Sprintf("The target all_users must have target_type = \"group\", not %q; %s.", t.targetType.ValueString(), policyTargetExample))
			}
		case !guidPattern.MatchString(id) && t.list == "exclude_targets":
			diags.AddAttributeError(at, "Invalid "+noun+" policy target",
				fmt.Sprintf("The target id %q in %s is not a group's object id: it must be a GUID such as \"00000000-0000-0000-0000-000000000001\"; for example { id = \"00000000-0000-0000-0000-000000000001\", target_type = \"group\" }.", id, t.list))
			continue
		case !guidPattern.MatchString(id):
			diags.AddAttributeError(at, "Invalid "+noun+" policy target",
				fmt.Sprintf("The target id %q in %s is not a group's object id: it must be a GUID such as \"00000000-0000-0000-0000-000000000001\", or all_users; %s.", id, t.list, policyTargetExample))
			continue
		}
		key := strings.ToLower(id)
		switch first, dup := seen[key]; {
		case dup && first == t.list:
			diags.AddAttributeError(at, "Duplicate "+noun+" policy target",
				fmt.Sprintf("The target %q appears more than once in %s (ids compare case-insensitively). List each group once.", key, t.list))
		case dup:
			diags.AddAttributeError(at, noun+" policy target both included and excluded",
				fmt.Sprintf("The target %q is in both include_targets and exclude_targets; an exclusion always wins in Graph, so this is almost certainly a mistake. Remove it from one of them.", id))
		default:
			seen[key] = t.list
		}
		if !t.targetType.IsUnknown() && t.targetType.ValueString() == "user" {
			diags.AddAttributeWarning(at, "User target in the "+noun+" policy",
				fmt.Sprintf("The target %q in %s has target_type = \"user\". Microsoft no longer recommends targeting individual users (since December 2022); put them in a group and target the group.", id, t.list))
		}
	}
	return diags
}
