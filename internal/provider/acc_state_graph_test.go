package provider

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// The fault suite's proof that nothing was lost: after an apply, the phone
// methods in Terraform state and the phone methods in (mock) Graph must be
// the same set, with the same numbers and the same smsSignInState. A method
// Graph has that state lacks is an orphan; a method in state that Graph
// lacks is a ghost; both fail the check.

// graphPhoneKey names one phone method independently of how the user was
// written (object id or UPN).
type graphPhoneKey struct{ userID, phoneType string }

// phoneRecord is what both sides must agree on.
type phoneRecord struct {
	number, smsState, methodID, address string
}

// checkStateMatchesGraph compares every entraauth_phone_authentication_method
// in state with every phone method of every user in the mock tenant.
func (e *accEnv) checkStateMatchesGraph() func(*terraform.State) error {
	return func(s *terraform.State) error { return e.stateMatchesGraph(s) }
}

func (e *accEnv) stateMatchesGraph(s *terraform.State) error {
	inState := map[graphPhoneKey]phoneRecord{}
	var problems []string
	for addr, rs := range s.RootModule().Resources {
		// Managed resources only: a data source reads a phone, it does not hold one.
		if rs.Type != "entraauth_phone_authentication_method" || rs.Primary == nil || strings.HasPrefix(addr, "data.") {
			continue
		}
		a := rs.Primary.Attributes
		u, err := e.mock.User(e.tenant, a["user_id"])
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: user %q is not in the tenant: %v", addr, a["user_id"], err))
			continue
		}
		k := graphPhoneKey{u.ID, a["phone_type"]}
		if prev, dup := inState[k]; dup {
			problems = append(problems, fmt.Sprintf("%s and %s both hold %s's %s phone", prev.address, addr, a["user_id"], k.phoneType))
		}
		inState[k] = phoneRecord{number: a["phone_number"], smsState: a["sms_sign_in_state"], methodID: a["method_id"], address: addr}
	}
	users, err := e.mock.Users(e.tenant)
	if err != nil {
		return err
	}
	inGraph := map[graphPhoneKey]phoneRecord{}
	upn := map[string]string{}
	for _, u := range users {
		upn[u.ID] = u.UserPrincipalName
		for _, pm := range u.PhoneMethods {
			inGraph[graphPhoneKey{u.ID, pm.PhoneType}] = phoneRecord{number: pm.PhoneNumber, smsState: pm.SMSSignInState, methodID: pm.ID}
		}
	}
	for k, g := range inGraph {
		st, ok := inState[k]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("orphan: Graph has %s's %s phone %q, state does not", upn[k.userID], k.phoneType, g.number))
		case st.number != g.number:
			problems = append(problems, fmt.Sprintf("%s: state number %q, Graph %q", st.address, st.number, g.number))
		case st.methodID != g.methodID:
			problems = append(problems, fmt.Sprintf("%s: state method_id %q, Graph %q", st.address, st.methodID, g.methodID))
		case st.smsState != g.smsState:
			problems = append(problems, fmt.Sprintf("%s: state sms_sign_in_state %q, Graph %q", st.address, st.smsState, g.smsState))
		}
	}
	for k, st := range inState {
		if _, ok := inGraph[k]; !ok {
			problems = append(problems, fmt.Sprintf("ghost: state has %s (%s's %s phone %q), Graph does not", st.address, upn[k.userID], k.phoneType, st.number))
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("state and Graph differ:\n  %s", strings.Join(problems, "\n  "))
	}
	return nil
}

// checkTenantWithoutPhones asserts no user of the tenant has a phone left
// (CheckDestroy of the fault suites).
func (e *accEnv) checkTenantWithoutPhones() func(*terraform.State) error {
	return func(*terraform.State) error {
		users, err := e.mock.Users(e.tenant)
		if err != nil {
			return err
		}
		for _, u := range users {
			if len(u.PhoneMethods) > 0 {
				return fmt.Errorf("Graph still has %s's phones %+v", u.UserPrincipalName, u.PhoneMethods)
			}
		}
		return nil
	}
}
