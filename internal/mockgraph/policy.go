package mockgraph

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// SMSPolicy is the tenant's SMS authentication method configuration
// (smsAuthenticationMethodConfiguration), in Graph's JSON shape.
type SMSPolicy struct {
	State          string             `json:"state"` // enabled | disabled
	IncludeTargets []SMSIncludeTarget `json:"includeTargets"`
	ExcludeTargets []SMSExcludeTarget `json:"excludeTargets"`
}

// SMSIncludeTarget is an smsAuthenticationMethodTarget. ID is a user id, a
// group id or "all_users" (with TargetType "group").
type SMSIncludeTarget struct {
	ID                     string `json:"id"`
	TargetType             string `json:"targetType"` // user | group
	IsRegistrationRequired bool   `json:"isRegistrationRequired"`
	IsUsableForSignIn      bool   `json:"isUsableForSignIn"`
}

// SMSExcludeTarget is an excludeTarget.
type SMSExcludeTarget struct {
	ID         string `json:"id"`
	TargetType string `json:"targetType"` // user | group
}

// AllUsers is the include/exclude target id meaning every user.
const AllUsers = "all_users"

// DefaultSMSPolicy is the policy of a tenant that was not given one. It
// mirrors a fresh Entra tenant (a choice: the docs do not list defaults):
// SMS disabled, all_users included and usable for sign-in once enabled.
func DefaultSMSPolicy() SMSPolicy {
	return SMSPolicy{
		State:          "disabled",
		IncludeTargets: []SMSIncludeTarget{{ID: AllUsers, TargetType: "group", IsUsableForSignIn: true}},
		ExcludeTargets: []SMSExcludeTarget{},
	}
}

// validate checks a whole policy.
func (p SMSPolicy) validate() error {
	if p.State != "enabled" && p.State != "disabled" {
		return fmt.Errorf("state must be 'enabled' or 'disabled', not %q", p.State)
	}
	for _, t := range p.IncludeTargets {
		if err := validTarget(t.ID, t.TargetType); err != nil {
			return fmt.Errorf("includeTargets: %w", err)
		}
	}
	for _, t := range p.ExcludeTargets {
		if err := validTarget(t.ID, t.TargetType); err != nil {
			return fmt.Errorf("excludeTargets: %w", err)
		}
	}
	return nil
}

func validTarget(id, typ string) error {
	if id == "" {
		return fmt.Errorf("target id is required")
	}
	if typ != "user" && typ != "group" {
		return fmt.Errorf("targetType must be 'user' or 'group', not %q", typ)
	}
	return nil
}

// targets reports whether a target (id, type) covers u. Caller holds t.mu.
func (t *tenant) targets(u *user, id, typ string) bool {
	if strings.EqualFold(id, AllUsers) {
		return true
	}
	k := strings.ToLower(id)
	if typ == "user" {
		return k == strings.ToLower(u.ID)
	}
	_, ok := u.groups[k]
	return ok
}

// effectivePolicy is the policy sign-in sees at now: a change made through
// Graph takes policyLag to propagate. Caller holds t.mu.
func (t *tenant) effectivePolicy(now time.Time) *SMSPolicy {
	if t.policyLag > 0 && now.Before(t.policyChangedAt.Add(t.policyLag)) {
		return &t.prevPolicy
	}
	return &t.policy
}

// policyAllows is the SMS sign-in policy evaluation: the policy is enabled,
// u is covered by an include target usable for sign-in, and by no exclude
// target. Caller holds t.mu.
func (t *tenant) policyAllows(u *user) bool {
	p := t.effectivePolicy(time.Now())
	if p.State != "enabled" {
		return false
	}
	for _, x := range p.ExcludeTargets {
		if t.targets(u, x.ID, x.TargetType) {
			return false
		}
	}
	for _, in := range p.IncludeTargets {
		if in.IsUsableForSignIn && t.targets(u, in.ID, in.TargetType) {
			return true
		}
	}
	return false
}

// policyJSON renders the policy as Graph does.
func policyJSON(p SMSPolicy) map[string]any {
	inc := make([]map[string]any, 0, len(p.IncludeTargets))
	for _, t := range p.IncludeTargets {
		inc = append(inc, map[string]any{
			"@odata.type":            "#microsoft.graph.smsAuthenticationMethodTarget",
			"id":                     t.ID,
			"targetType":             t.TargetType,
			"isRegistrationRequired": t.IsRegistrationRequired,
			"isUsableForSignIn":      t.IsUsableForSignIn,
		})
	}
	exc := make([]map[string]any, 0, len(p.ExcludeTargets))
	for _, t := range p.ExcludeTargets {
		exc = append(exc, map[string]any{"id": t.ID, "targetType": t.TargetType})
	}
	return map[string]any{
		"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/authenticationMethodsPolicy/authenticationMethodConfigurations/$entity",
		"@odata.type":    "#microsoft.graph.smsAuthenticationMethodConfiguration",
		"id":             "Sms",
		"state":          p.State,
		"includeTargets": inc,
		"excludeTargets": exc,
	}
}

// parsePolicyPatch applies a PATCH body to p. It enforces the same
// strictness as phone methods: unknown properties and read-only ones are 400.
func parsePolicyPatch(body []byte, p SMSPolicy) (SMSPolicy, rule, string) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return p, ruleInvalidBody, ""
	}
	// Graph needs the derived type to know which configuration this is.
	if _, ok := raw["@odata.type"]; !ok {
		return p, ruleInvalidPolicy, "The request body must name its type: \"@odata.type\": \"#microsoft.graph.smsAuthenticationMethodConfiguration\"."
	}
	for k, v := range raw {
		if isAnnotation(k) {
			continue // e.g. @odata.context, echoed back by clients that GET then PATCH
		}
		switch k {
		case "@odata.type":
			var s string
			if json.Unmarshal(v, &s) != nil || !strings.EqualFold(strings.TrimPrefix(s, "#"), "microsoft.graph.smsAuthenticationMethodConfiguration") {
				return p, ruleInvalidBody, "Unexpected @odata.type " + string(v)
			}
		case "id":
			var s string
			// Echoing the key back unchanged is harmless; changing it is not.
			if json.Unmarshal(v, &s) != nil || !strings.EqualFold(s, "Sms") {
				return p, ruleReadOnlyProperty, "The property 'id' is read-only."
			}
		case "state":
			if json.Unmarshal(v, &p.State) != nil {
				return p, ruleInvalidPolicy, "state must be a string"
			}
		case "includeTargets":
			var ts []map[string]json.RawMessage
			if json.Unmarshal(v, &ts) != nil {
				return p, ruleInvalidPolicy, "includeTargets must be an array of objects"
			}
			p.IncludeTargets = make([]SMSIncludeTarget, 0, len(ts))
			for _, t := range ts {
				var it SMSIncludeTarget
				for tk, tv := range t {
					if isAnnotation(tk) {
						continue
					}
					var err error
					switch tk {
					case "@odata.type":
					case "id":
						err = json.Unmarshal(tv, &it.ID)
					case "targetType":
						err = json.Unmarshal(tv, &it.TargetType)
					case "isRegistrationRequired":
						err = json.Unmarshal(tv, &it.IsRegistrationRequired)
					case "isUsableForSignIn":
						err = json.Unmarshal(tv, &it.IsUsableForSignIn)
					default:
						return p, ruleUnknownProperty, fmt.Sprintf("The property '%s' does not exist on type 'microsoft.graph.smsAuthenticationMethodTarget'.", tk)
					}
					if err != nil {
						return p, ruleInvalidPolicy, fmt.Sprintf("includeTargets.%s has the wrong type", tk)
					}
				}
				p.IncludeTargets = append(p.IncludeTargets, it)
			}
		case "excludeTargets":
			var ts []map[string]json.RawMessage
			if json.Unmarshal(v, &ts) != nil {
				return p, ruleInvalidPolicy, "excludeTargets must be an array of objects"
			}
			p.ExcludeTargets = make([]SMSExcludeTarget, 0, len(ts))
			for _, t := range ts {
				var et SMSExcludeTarget
				for tk, tv := range t {
					if isAnnotation(tk) {
						continue
					}
					var err error
					switch tk {
					case "@odata.type":
					case "id":
						err = json.Unmarshal(tv, &et.ID)
					case "targetType":
						err = json.Unmarshal(tv, &et.TargetType)
					default:
						return p, ruleUnknownProperty, fmt.Sprintf("The property '%s' does not exist on type 'microsoft.graph.excludeTarget'.", tk)
					}
					if err != nil {
						return p, ruleInvalidPolicy, fmt.Sprintf("excludeTargets.%s has the wrong type", tk)
					}
				}
				p.ExcludeTargets = append(p.ExcludeTargets, et)
			}
		default:
			return p, ruleUnknownProperty, fmt.Sprintf("The property '%s' does not exist on type 'microsoft.graph.smsAuthenticationMethodConfiguration'.", k)
		}
	}
	if err := p.validate(); err != nil {
		return p, ruleInvalidPolicy, err.Error()
	}
	return p, "", ""
}

// isAnnotation reports an OData instance annotation ("@odata.context",
// "includeTargets@odata.context"), which Graph ignores in request bodies;
// "@odata.type" is not one: it names the type.
func isAnnotation(key string) bool {
	return key != "@odata.type" && strings.Contains(key, "@")
}

// unknownTarget names a target that is not in the directory: Graph refuses
// a group or user id it cannot resolve. Caller holds t.mu.
func (t *tenant) unknownTarget(p SMSPolicy) string {
	known := func(id, typ string) bool {
		k := strings.ToLower(id)
		if typ == "group" {
			if k == AllUsers {
				return true
			}
			_, ok := t.groups[k]
			return ok
		}
		_, ok := t.users[k]
		return ok
	}
	for _, in := range p.IncludeTargets {
		if !known(in.ID, in.TargetType) {
			return in.ID
		}
	}
	for _, x := range p.ExcludeTargets {
		if !known(x.ID, x.TargetType) {
			return x.ID
		}
	}
	return ""
}

// policyRoles gate the policy endpoint (Graph: Policy.ReadWrite.AuthenticationMethod
// to write; that or Policy.Read.All / Policy.Read.AuthenticationMethod to read).
var (
	policyWriteRoles = []string{"Policy.ReadWrite.AuthenticationMethod"}
	policyReadRoles  = []string{"Policy.ReadWrite.AuthenticationMethod", "Policy.Read.All", "Policy.Read.AuthenticationMethod"}
)

// handlePolicy serves GET and PATCH of the SMS configuration.
func (s *Server) handlePolicy(w http.ResponseWriter, r *http.Request, rc *reqCtx) {
	t := rc.tenant
	switch r.Method {
	case http.MethodGet:
		if !rc.hasAny(policyReadRoles) {
			writeRule(w, r, ruleForbidden, "")
			return
		}
		t.mu.RLock()
		p := t.policy
		t.mu.RUnlock()
		writeJSON(w, http.StatusOK, policyJSON(p))
	case http.MethodPatch:
		if !rc.hasAny(policyWriteRoles) {
			writeRule(w, r, ruleForbidden, "")
			return
		}
		body, ok := readBody(w, r)
		if !ok {
			return
		}
		t.mu.Lock()
		np, rl, msg := parsePolicyPatch(body, t.policy)
		if rl == "" {
			if id := t.unknownTarget(np); id != "" {
				rl, msg = ruleInvalidPolicy, fmt.Sprintf("The target %q is not a user or group of this tenant.", id)
			}
		}
		if rl == "" && t.takeNotApplied(smsConfigID) {
			// SetPatchNotApplied: answered as success, changed nothing.
			t.mu.Unlock()
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if rl == "" {
			now := time.Now()
			// What sign-in sees until the change propagates.
			t.prevPolicy = *t.effectivePolicy(now)
			t.policy, t.policyChangedAt = np, now
		}
		t.mu.Unlock()
		if rl != "" {
			writeRule(w, r, rl, msg)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		writeRule(w, r, ruleMethodNotAllowed, "")
	}
}
