package acctest

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// The proof that nothing was lost: after every step, each object Terraform
// holds in state and each object the mock holds must agree. An object Graph
// has that state lacks is an orphan; one state has that Graph lacks is a
// ghost; both fail the step.

// GraphObject is one object as both sides must describe it.
type GraphObject struct {
	// Key is the object's identity in Graph, independent of how the
	// configuration names it (a user's object id, not their UPN).
	Key string
	// Name says which object it is in messages ("adele@...'s mobile phone").
	Name string
	// Fields are what state and Graph must agree on, in the order compared.
	Fields []Field
}

// Field is one compared value; Name is the state attribute.
type Field struct{ Name, Value string }

// Comparison is how one resource type's state is compared with the mock.
type Comparison struct {
	// FromState is the object a resource instance in state stands for.
	FromState func(m *Mock, attrs map[string]string) (GraphObject, error)
	// InGraph lists every object of this kind the mock holds.
	InGraph func(m *Mock) ([]GraphObject, error)
	// TenantOwned objects exist in every tenant whether Terraform manages
	// them or not (a policy): Graph holding one that state lacks is no
	// orphan, and destroy leaves it as it was.
	TenantOwned bool
}

// Comparisons is the one table of state == Graph comparisons, keyed by
// resource type: a new resource adds its entry here and every acceptance
// step compares it.
var Comparisons = map[string]Comparison{
	"entraauth_phone_authentication_method":                          phoneComparison,
	"entraauth_sms_authentication_method_policy":                     smsPolicyComparison,
	"entraauth_fido2_authentication_method_policy":                   MethodConfigurationComparison("Fido2"),
	"entraauth_microsoft_authenticator_authentication_method_policy": MethodConfigurationComparison("MicrosoftAuthenticator"),
	"entraauth_temporary_access_pass_authentication_method_policy":   MethodConfigurationComparison("TemporaryAccessPass"),
	"entraauth_email_authentication_method_policy":                   MethodConfigurationComparison("Email"),
	"entraauth_voice_authentication_method_policy":                   MethodConfigurationComparison("Voice"),
	"entraauth_software_oath_authentication_method_policy":           MethodConfigurationComparison("SoftwareOath"),
	"entraauth_x509_certificate_authentication_method_policy":        MethodConfigurationComparison("X509Certificate"),
	"entraauth_authentication_methods_registration_campaign":         RegistrationCampaignComparison,
}

var phoneComparison = Comparison{
	FromState: func(m *Mock, a map[string]string) (GraphObject, error) {
		u, err := m.Server.User(m.TenantID, a["user_id"])
		if err != nil {
			return GraphObject{}, fmt.Errorf("user %q is not in the tenant: %w", a["user_id"], err)
		}
		return phoneObject(u.ID, u.UserPrincipalName, a["phone_type"], a["phone_number"], a["method_id"], a["sms_sign_in_state"]), nil
	},
	InGraph: func(m *Mock) ([]GraphObject, error) {
		users, err := m.Server.Users(m.TenantID)
		if err != nil {
			return nil, err
		}
		var out []GraphObject
		for _, u := range users {
			for _, pm := range u.PhoneMethods {
				out = append(out, phoneObject(u.ID, u.UserPrincipalName, pm.PhoneType, pm.PhoneNumber, pm.ID, pm.SMSSignInState))
			}
		}
		return out, nil
	},
}

// PhoneKey is the GraphObject key of a user's phone (userID: object id).
func PhoneKey(userID, phoneType string) string { return userID + "/" + phoneType }

func phoneObject(userID, upn, phoneType, number, methodID, smsState string) GraphObject {
	return GraphObject{
		Key:  PhoneKey(userID, phoneType),
		Name: fmt.Sprintf("%s's %s phone %q", upn, phoneType, number),
		Fields: []Field{
			{"phone_number", number}, {"method_id", methodID}, {"sms_sign_in_state", smsState},
		},
	}
}

var smsPolicyComparison = Comparison{
	TenantOwned: true,
	FromState: func(_ *Mock, a map[string]string) (GraphObject, error) {
		var include []mockgraph.SMSIncludeTarget
		for i := 0; ; i++ {
			id, ok := a[fmt.Sprintf("include_targets.%d.id", i)]
			if !ok {
				break
			}
			include = append(include, mockgraph.SMSIncludeTarget{ID: id, TargetType: a[fmt.Sprintf("include_targets.%d.target_type", i)],
				IsUsableForSignIn: a[fmt.Sprintf("include_targets.%d.is_usable_for_sign_in", i)] == "true"})
		}
		var exclude []mockgraph.SMSExcludeTarget
		for i := 0; ; i++ {
			id, ok := a[fmt.Sprintf("exclude_targets.%d.id", i)]
			if !ok {
				break
			}
			exclude = append(exclude, mockgraph.SMSExcludeTarget{ID: id, TargetType: a[fmt.Sprintf("exclude_targets.%d.target_type", i)]})
		}
		return smsPolicyObject(mockgraph.SMSPolicy{State: a["state"], IncludeTargets: include, ExcludeTargets: exclude}), nil
	},
	InGraph: func(m *Mock) ([]GraphObject, error) {
		p, err := m.Server.SMSPolicy(m.TenantID)
		if err != nil {
			return nil, err
		}
		return []GraphObject{smsPolicyObject(p)}, nil
	},
}

// smsPolicyObject renders the SMS configuration with its targets sorted
// and ids in lower case: Graph compares ids case-insensitively and the
// targets are sets.
func smsPolicyObject(p mockgraph.SMSPolicy) GraphObject {
	var include, exclude []string
	for _, t := range p.IncludeTargets {
		include = append(include, fmt.Sprintf("%s %s usable=%v", strings.ToLower(t.ID), t.TargetType, t.IsUsableForSignIn))
	}
	for _, t := range p.ExcludeTargets {
		exclude = append(exclude, fmt.Sprintf("%s %s", strings.ToLower(t.ID), t.TargetType))
	}
	sort.Strings(include)
	sort.Strings(exclude)
	return GraphObject{
		Key:  "sms",
		Name: "the SMS authentication method configuration",
		Fields: []Field{
			{"state", p.State}, {"include_targets", strings.Join(include, "; ")}, {"exclude_targets", strings.Join(exclude, "; ")},
		},
	}
}

// stateObject is an object of state with the address that holds it.
type stateObject struct {
	GraphObject
	address string
}

// stateObjects reads the managed resources of every compared type from s,
// keyed by type and Graph key.
func stateObjects(m *Mock, s *terraform.State) (map[string]map[string]stateObject, []string) {
	out := map[string]map[string]stateObject{}
	var problems []string
	if s == nil || s.RootModule() == nil {
		return out, nil
	}
	for addr, rs := range s.RootModule().Resources {
		c, ok := Comparisons[rs.Type]
		// Managed resources only: a data source reads an object, it does not hold one.
		if !ok || rs.Primary == nil || strings.HasPrefix(addr, "data.") {
			continue
		}
		o, err := c.FromState(m, rs.Primary.Attributes)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", addr, err))
			continue
		}
		if out[rs.Type] == nil {
			out[rs.Type] = map[string]stateObject{}
		}
		if prev, dup := out[rs.Type][o.Key]; dup {
			problems = append(problems, fmt.Sprintf("%s and %s both hold %s", prev.address, addr, o.Name))
		}
		out[rs.Type][o.Key] = stateObject{o, addr}
	}
	return out, problems
}

// graphObjects lists the mock's objects of type typ by key.
func graphObjects(m *Mock, typ string) (map[string]GraphObject, error) {
	list, err := Comparisons[typ].InGraph(m)
	if err != nil {
		return nil, err
	}
	out := make(map[string]GraphObject, len(list))
	for _, o := range list {
		out[o.Key] = o
	}
	return out, nil
}

// firstDifference names the first field where state and Graph disagree.
func firstDifference(st stateObject, g GraphObject) string {
	for i, f := range st.Fields {
		if i >= len(g.Fields) || g.Fields[i].Value != f.Value {
			want := ""
			if i < len(g.Fields) {
				want = g.Fields[i].Value
			}
			return fmt.Sprintf("%s: state %s %q, Graph %q", st.address, f.Name, f.Value, want)
		}
	}
	return ""
}

// StateMatchesGraph compares every resource of s whose type has a
// Comparison with the mock's objects of that type; unmanaged keys (by
// type) are Graph objects the test put there outside Terraform.
func StateMatchesGraph(m *Mock, s *terraform.State, unmanaged map[string]map[string]bool) error {
	inState, problems := stateObjects(m, s)
	types := make([]string, 0, len(Comparisons))
	for typ := range Comparisons {
		types = append(types, typ)
	}
	sort.Strings(types)
	for _, typ := range types {
		c := Comparisons[typ]
		inGraph, err := graphObjects(m, typ)
		if err != nil {
			return fmt.Errorf("reading the mock's %s objects: %w", typ, err)
		}
		for k, g := range inGraph {
			st, ok := inState[typ][k]
			switch {
			case !ok && !c.TenantOwned && !unmanaged[typ][k]:
				problems = append(problems, fmt.Sprintf("orphan: Graph has %s, state does not", g.Name))
			case ok:
				if d := firstDifference(st, g); d != "" {
					problems = append(problems, d)
				}
			}
		}
		for k, st := range inState[typ] {
			if _, ok := inGraph[k]; !ok {
				problems = append(problems, fmt.Sprintf("ghost: state has %s (%s), Graph does not", st.address, st.Name))
			}
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("state and Graph differ:\n  %s", strings.Join(problems, "\n  "))
	}
	return nil
}

// GraphAfterDestroy checks the mock after a destroy of s (the state before
// it): no object s held is left in Graph, and a tenant-owned object (a
// policy) is left as s held it.
func GraphAfterDestroy(m *Mock, s *terraform.State) error {
	inState, problems := stateObjects(m, s)
	for typ, objs := range inState {
		inGraph, err := graphObjects(m, typ)
		if err != nil {
			return fmt.Errorf("reading the mock's %s objects: %w", typ, err)
		}
		for k, st := range objs {
			g, ok := inGraph[k]
			switch {
			case Comparisons[typ].TenantOwned && !ok:
				problems = append(problems, fmt.Sprintf("destroy of %s removed %s from Graph; it must leave the tenant as it was", st.address, st.Name))
			case Comparisons[typ].TenantOwned:
				if d := firstDifference(st, g); d != "" {
					problems = append(problems, "destroy changed Graph: "+d)
				}
			case ok:
				problems = append(problems, fmt.Sprintf("destroyed %s, but Graph still has %s", st.address, g.Name))
			}
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("after destroy, Graph differs from what the state promised:\n  %s", strings.Join(problems, "\n  "))
	}
	return nil
}
