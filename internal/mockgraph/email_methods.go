package mockgraph

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
)

// EmailMethodID is the id of every user's email method (documented: "The
// ID is always 3ddfcfc8-9383-446f-83cc-3ab9be4be18f").
const EmailMethodID = "3ddfcfc8-9383-446f-83cc-3ab9be4be18f"

// emailMethod is a user's stored email method (one per user).
type emailMethod struct{ Address string }

// EmailMethod is an email method as Graph returns it.
type EmailMethod struct {
	ID           string `json:"id"`
	EmailAddress string `json:"emailAddress"`
}

// emailAddressPattern is the accepted address: something, one @, a domain
// with a dot, no spaces (a choice: Graph's own check is not documented).
var emailAddressPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

// ValidEmailAddress reports whether the mock accepts a as an emailAddress.
func ValidEmailAddress(a string) bool { return emailAddressPattern.MatchString(a) }

func emailContext(u *user, entity bool) string {
	c := "https://graph.microsoft.com/v1.0/$metadata#users('" + u.ID + "')/authentication/emailMethods"
	if entity {
		c += "/$entity"
	}
	return c
}

func emailJSON(v EmailMethod, context string) map[string]any {
	m := map[string]any{"@odata.type": "#microsoft.graph.emailAuthenticationMethod", "id": v.ID, "emailAddress": v.EmailAddress}
	if context != "" {
		m["@odata.context"] = context
	}
	return m
}

// emailView is the user's email method, nil when none. Caller holds t.mu.
func (u *user) emailView() *EmailMethod {
	if u.email == nil {
		return nil
	}
	return &EmailMethod{ID: EmailMethodID, EmailAddress: u.email.Address}
}

// laggedEmail is what a read of the email method shows while a lag fault
// is armed: nothing (not_found) or the value before the write (stale).
func (t *tenant) laggedEmail(u *user, cur *EmailMethod) *EmailMethod {
	e := t.lagState(u, lagKeyEmail)
	if e == nil {
		return cur
	}
	if e.stale {
		prev, _ := e.prev.(*EmailMethod)
		return prev
	}
	return nil
}

// handleEmail serves .../authentication/emailMethods[/{id}] once the user
// and the caller's access are settled.
func (s *Server) handleEmail(w http.ResponseWriter, r *http.Request, t *tenant, u *user, rt route, op string) {
	if rt.methodID != "" && !strings.EqualFold(rt.methodID, EmailMethodID) {
		writeRule(w, r, ruleEmailMethodNotFound, "")
		return
	}
	switch op {
	case OpEmailList:
		t.mu.RLock()
		cur := u.emailView()
		t.mu.RUnlock()
		items := []map[string]any{}
		if v := t.laggedEmail(u, cur); v != nil {
			items = append(items, emailJSON(*v, ""))
		}
		writeJSON(w, http.StatusOK, map[string]any{"@odata.context": emailContext(u, false), "value": items})
	case OpEmailGet:
		t.mu.RLock()
		cur := u.emailView()
		t.mu.RUnlock()
		v := t.laggedEmail(u, cur)
		if v == nil {
			writeRule(w, r, ruleEmailMethodNotFound, "")
			return
		}
		writeJSON(w, http.StatusOK, emailJSON(*v, emailContext(u, true)))
	case OpEmailCreate, OpEmailUpdate:
		s.writeEmail(w, r, t, u, op == OpEmailCreate)
	case OpEmailDelete:
		t.mu.Lock()
		prev := u.emailView()
		if prev == nil {
			t.mu.Unlock()
			writeRule(w, r, ruleEmailMethodNotFound, "")
			return
		}
		u.email = nil
		s.recordMethodWrite(r, t, u, lagKeyEmail, prev, "")
		t.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	default:
		writeRule(w, r, ruleMethodNotAllowed, "")
	}
}

// writeEmail is POST (create) and PATCH (update) of the email method.
func (s *Server) writeEmail(w http.ResponseWriter, r *http.Request, t *tenant, u *user, create bool) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	addr, rl, msg := parseEmailBody(body, !create)
	if rl != "" {
		writeRule(w, r, rl, msg)
		return
	}
	if addr == nil {
		writeRule(w, r, ruleMissingProperty, "The property 'emailAddress' is required.")
		return
	}
	if !ValidEmailAddress(*addr) {
		writeRule(w, r, ruleInvalidEmailAddress, "")
		return
	}
	t.mu.Lock()
	prev := u.emailView()
	switch {
	case create && prev != nil:
		rl = ruleEmailMethodExists
	case !create && prev == nil:
		rl = ruleEmailMethodNotFound
	}
	if rl != "" {
		t.mu.Unlock()
		writeRule(w, r, rl, "")
		return
	}
	u.email = &emailMethod{Address: *addr}
	v := *u.emailView()
	s.recordMethodWrite(r, t, u, lagKeyEmail, prev, "")
	t.mu.Unlock()
	if create {
		writeJSON(w, http.StatusCreated, emailJSON(v, emailContext(u, true)))
		return
	}
	// The v1.0 update page: 204 No Content (the beta page says 200 with
	// the object).
	w.WriteHeader(http.StatusNoContent)
}

// parseEmailBody reads {emailAddress}. @odata.type is accepted on create
// (the SDKs send it) and refused on update, as real Graph was observed to
// refuse it (msgraph-sdk-dotnet issues 1616, 1901); id is read-only and
// anything else unknown.
func parseEmailBody(body []byte, update bool) (*string, rule, string) {
	var raw map[string]json.RawMessage
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, ruleInvalidBody, "A request body is required."
	}
	if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
		return nil, ruleInvalidBody, "The request body is not a JSON object."
	}
	var addr *string
	for k, v := range raw {
		switch k {
		case "@odata.type":
			if update {
				return nil, ruleEmailODataTypeRefused, ""
			}
			var s string
			if json.Unmarshal(v, &s) != nil || !strings.EqualFold(strings.TrimPrefix(s, "#"), "microsoft.graph.emailAuthenticationMethod") {
				return nil, ruleInvalidBody, "Unexpected @odata.type " + string(v) + "; expected '#microsoft.graph.emailAuthenticationMethod'."
			}
		case "emailAddress":
			if string(v) == "null" {
				continue
			}
			var s string
			if json.Unmarshal(v, &s) != nil {
				return nil, ruleInvalidBody, "emailAddress must be a string."
			}
			addr = &s
		case "id":
			return nil, ruleReadOnlyProperty, "The property 'id' is read-only and cannot be set."
		default:
			return nil, ruleUnknownProperty, "The property '" + k + "' does not exist on type 'microsoft.graph.emailAuthenticationMethod'. Make sure to only use property names that are defined by the type."
		}
	}
	return addr, "", ""
}

// EmailMethod returns the user's email method as Graph would (nil, nil
// when the user has none), without faults or lag.
func (s *Server) EmailMethod(tenantKey, userKey string) (*EmailMethod, error) {
	var out *EmailMethod
	err := s.readUser(tenantKey, userKey, func(_ *tenant, u *user) { out = u.emailView() })
	return out, err
}

// SetEmailMethodOutOfBand creates or changes the user's email method as an
// administrator in the portal would (drift tests); the address must be
// valid.
func (s *Server) SetEmailMethodOutOfBand(tenantKey, userKey, address string) error {
	if !ValidEmailAddress(address) {
		return errInvalidEmail(address)
	}
	return s.withUser(tenantKey, userKey, func(_ *tenant, u *user) error {
		u.email = &emailMethod{Address: address}
		return nil
	})
}

// DeleteEmailMethodOutOfBand deletes the user's email method (drift tests);
// ErrAuthenticationMethodNotFound when there is none.
func (s *Server) DeleteEmailMethodOutOfBand(tenantKey, userKey string) error {
	return s.withUser(tenantKey, userKey, func(_ *tenant, u *user) error {
		if u.email == nil {
			return errMethodMissing("email method")
		}
		u.email = nil
		return nil
	})
}
