package acctest

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The state == Graph comparisons of a user's email method and Temporary
// Access Passes, registered in Comparisons.
func init() {
	Comparisons["entraauth_email_authentication_method"] = emailComparison
	Comparisons["entraauth_temporary_access_pass"] = tapComparison
}

// EmailKey is the GraphObject key of a user's email method.
func EmailKey(userID string) string { return userID + "/email" }

var emailComparison = Comparison{
	FromState: func(m *Mock, a map[string]string) (GraphObject, error) {
		u, err := m.Server.User(m.TenantID, a["user_id"])
		if err != nil {
			return GraphObject{}, fmt.Errorf("user %q is not in the tenant: %w", a["user_id"], err)
		}
		return emailObject(u.ID, u.UserPrincipalName, a["email_address"], a["method_id"]), nil
	},
	InGraph: func(m *Mock) ([]GraphObject, error) {
		users, err := m.Server.Users(m.TenantID)
		if err != nil {
			return nil, err
		}
		var out []GraphObject
		for _, u := range users {
			em, err := m.Server.EmailMethod(m.TenantID, u.ID)
			if err != nil {
				return nil, err
			}
			if em != nil {
				out = append(out, emailObject(u.ID, u.UserPrincipalName, em.EmailAddress, em.ID))
			}
		}
		return out, nil
	},
}

// emailObject compares addresses in lower case: Entra compares them
// case-insensitively, and the state keeps the configured spelling of the
// address Graph holds.
func emailObject(userID, upn, address, methodID string) GraphObject {
	return GraphObject{
		Key:    EmailKey(userID),
		Name:   fmt.Sprintf("%s's email method %q", upn, address),
		Fields: []Field{{"email_address", strings.ToLower(address)}, {"method_id", methodID}},
	}
}

// TAPKey is the GraphObject key of a user's Temporary Access Pass.
func TAPKey(userID, id string) string { return userID + "/tap/" + id }

var tapComparison = Comparison{
	FromState: func(m *Mock, a map[string]string) (GraphObject, error) {
		u, err := m.Server.User(m.TenantID, a["user_id"])
		if err != nil {
			return GraphObject{}, fmt.Errorf("user %q is not in the tenant: %w", a["user_id"], err)
		}
		return tapObject(u.ID, u.UserPrincipalName, a["method_id"], a["lifetime_in_minutes"], a["is_usable_once"], a["is_usable"],
			a["method_usability_reason"], instant(a["start_date_time"])), nil
	},
	InGraph: func(m *Mock) ([]GraphObject, error) {
		users, err := m.Server.Users(m.TenantID)
		if err != nil {
			return nil, err
		}
		var out []GraphObject
		for _, u := range users {
			taps, err := m.Server.TemporaryAccessPasses(m.TenantID, u.ID)
			if err != nil {
				return nil, err
			}
			for _, t := range taps {
				out = append(out, tapObject(u.ID, u.UserPrincipalName, t.ID, strconv.Itoa(t.LifetimeInMinutes), strconv.FormatBool(t.IsUsableOnce),
					strconv.FormatBool(t.IsUsable), t.MethodUsabilityReason, t.StartDateTime.UTC().Truncate(time.Second).Format(time.RFC3339)))
			}
		}
		return out, nil
	},
}

// tapObject leaves the pass itself out: Graph never returns it after the
// create, and an imported pass has none in state; the TAP tests compare
// it with what the create answered.
func tapObject(userID, upn, id, lifetime, once, usable, reason, start string) GraphObject {
	return GraphObject{
		Key:  TAPKey(userID, id),
		Name: fmt.Sprintf("%s's Temporary Access Pass %s", upn, id),
		Fields: []Field{
			{"method_id", id}, {"lifetime_in_minutes", lifetime}, {"is_usable_once", once}, {"is_usable", usable},
			{"method_usability_reason", reason}, {"start_date_time", start},
		},
	}
}

// instant is an RFC 3339 time in UTC at second precision, or s as given.
func instant(s string) string {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return s
	}
	return t.UTC().Truncate(time.Second).Format(time.RFC3339)
}

// UnmanagedEmail declares an email method the test puts in Graph outside
// Terraform, so the state == Graph check does not call it an orphan.
func UnmanagedEmail(userKey string) Option {
	return func(o *testOptions) {
		o.unmanaged = append(o.unmanaged, func(m *Mock) (string, string, error) {
			u, err := m.Server.User(m.TenantID, userKey)
			if err != nil {
				return "", "", err
			}
			return "entraauth_email_authentication_method", EmailKey(u.ID), nil
		})
	}
}
