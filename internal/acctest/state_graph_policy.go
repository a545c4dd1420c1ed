package acctest

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// The method configurations and the registration campaign are compared by
// one rule, written independently of the provider's mapping: each state
// attribute is the Graph property of the same name in camelCase
// (is_usable_for_sign_in is isUsableForSignIn), collections compare as
// sets, strings compare case-insensitively (ids and GUIDs), and null,
// absent and empty are the same. Graph properties the resources do not
// model are left out of Graph's side (unmodelledProperties).

// unmodelledProperties are the Graph properties no policy resource has
// (besides annotations and the configuration's own id): a target's isRegistrationRequired (deprecated by the
// registration campaign), Authenticator's numberMatchingRequiredState
// (Graph refuses it in a PATCH) and X.509's CRL validation settings.
var unmodelledProperties = map[string]bool{
	"isRegistrationRequired": true, "numberMatchingRequiredState": true, "crlValidationConfiguration": true,
}

// MethodConfigurationComparison compares a configuration resource (its
// Graph id, such as "Fido2") with the mock.
func MethodConfigurationComparison(id string) Comparison {
	return policyPartComparison("policy/"+strings.ToLower(id), "the "+id+" authentication method configuration",
		func(m *Mock) (map[string]any, error) { return m.Server.MethodConfiguration(m.TenantID, id) })
}

// RegistrationCampaignComparison compares the registration campaign.
var RegistrationCampaignComparison = policyPartComparison("policy/registrationCampaign", "the registration campaign",
	func(m *Mock) (map[string]any, error) { return m.Server.RegistrationCampaign(m.TenantID) })

func policyPartComparison(key, name string, read func(m *Mock) (map[string]any, error)) Comparison {
	return Comparison{
		TenantOwned: true,
		FromState: func(_ *Mock, a map[string]string) (GraphObject, error) {
			tree := flatmapTree(a)
			delete(tree, "id")
			delete(tree, "timeouts")
			return GraphObject{Key: key, Name: name, Fields: []Field{{"configuration", canonical(tree, true)}}}, nil
		},
		InGraph: func(m *Mock) ([]GraphObject, error) {
			g, err := read(m)
			if err != nil {
				return nil, err
			}
			top := make(map[string]any, len(g))
			for k, v := range g {
				if k != "id" { // the state's id is the resource's, compared by import
					top[k] = v
				}
			}
			return []GraphObject{{Key: key, Name: name, Fields: []Field{{"configuration", canonical(top, false)}}}}, nil
		},
	}
}

// flatmapTree turns Terraform's flat state attributes ("a.0.b", "a.#")
// into nested maps and lists.
func flatmapTree(a map[string]string) map[string]any {
	root := map[string]any{}
	for k, v := range a {
		parts := strings.Split(k, ".")
		last := parts[len(parts)-1]
		if last == "#" || last == "%" {
			continue
		}
		node := root
		for _, p := range parts[:len(parts)-1] {
			child, ok := node[p].(map[string]any)
			if !ok {
				child = map[string]any{}
				node[p] = child
			}
			node = child
		}
		node[last] = v
	}
	return root
}

// canonical renders a tree as one line: object keys sorted (state keys
// turned into Graph's camelCase), a collection as its sorted elements,
// strings in lower case; null, absent and empty are left out. fromState
// says the tree is a flatmap tree, whose numeric keys are collection
// indexes (sets are lists there).
func canonical(v any, fromState bool) string {
	switch x := v.(type) {
	case map[string]any:
		if fromState && isIndexed(x) {
			items := make([]any, 0, len(x))
			for _, e := range x {
				items = append(items, e)
			}
			return canonical(items, true)
		}
		var parts []string
		for k, e := range x {
			name := k
			if fromState {
				name = camelCase(k)
			} else if strings.HasPrefix(k, "@") || unmodelledProperties[k] {
				continue
			}
			if s := canonical(e, fromState); s != "" {
				parts = append(parts, name+"="+s)
			}
		}
		if len(parts) == 0 {
			return ""
		}
		sort.Strings(parts)
		return "{" + strings.Join(parts, " ") + "}"
	case []any:
		var parts []string
		for _, e := range x {
			if s := canonical(e, fromState); s != "" {
				parts = append(parts, s)
			}
		}
		if len(parts) == 0 {
			return ""
		}
		sort.Strings(parts)
		return "[" + strings.Join(parts, ", ") + "]"
	case nil:
		return ""
	case string:
		return fmt.Sprintf("%q", strings.ToLower(x))
	default:
		return fmt.Sprintf("%q", strings.ToLower(fmt.Sprint(x)))
	}
}

// isIndexed reports a flatmap node whose keys are all indexes.
func isIndexed(m map[string]any) bool {
	if len(m) == 0 {
		return false
	}
	for k := range m {
		for _, r := range k {
			if !unicode.IsDigit(r) {
				return false
			}
		}
	}
	return true
}

// camelCase is Graph's name for a state attribute: aa_guids is aaGuids.
func camelCase(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}
