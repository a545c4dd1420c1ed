package mockgraph

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
)

// policyRootID is the root's id, and the configurationID SetPatchNotApplied
// takes for the root's PATCH.
const policyRootID = "authenticationMethodsPolicy"

// defaultMigrationState: the docs' example shows no policyMigrationState;
// a tenant created after the legacy MFA and SSPR policies were retired
// (September 2025) has migrated, so the mock starts there (a choice).
const defaultMigrationState = "migrationComplete"

// defaultCampaign is the registration campaign of the docs' GET example
// (api-reference/v1.0/api/authenticationmethodspolicy-get.md), plus
// enforceRegistrationAfterAllowedSnoozes, which the example lacks (true,
// a choice).
const defaultCampaign = `{"snoozeDurationInDays":1,"enforceRegistrationAfterAllowedSnoozes":true,"state":"default","excludeTargets":[],
	"includeTargets":[{"id":"all_users","targetType":"group","targetedAuthenticationMethod":"microsoftAuthenticator"}]}`

// campaignSpec is microsoft.graph.authenticationMethodsRegistrationCampaign
// (documented: state default|enabled|disabled, snooze 0-14 days; v1.0
// says targetedAuthenticationMethod "must be microsoftAuthenticator").
var campaignSpec = &objSpec{
	typeName: "microsoft.graph.authenticationMethodsRegistrationCampaign",
	props: map[string]*propSpec{
		"state":                                  enumProp("default", "enabled", "disabled"),
		"snoozeDurationInDays":                   {kind: propInt, min: 0, max: 14},
		"enforceRegistrationAfterAllowedSnoozes": boolProp,
		"excludeTargets":                         arrayOf(excludeTargetSpec),
		"includeTargets": arrayOf(&objSpec{
			typeName: "microsoft.graph.authenticationMethodsRegistrationCampaignIncludeTarget",
			props: map[string]*propSpec{
				"id": stringProp, "targetType": targetTypeProp,
				"targetedAuthenticationMethod": enumProp("microsoftAuthenticator"),
			},
			required: []string{"id", "targetType"},
			defaults: map[string]any{"targetedAuthenticationMethod": "microsoftAuthenticator"},
		}),
	},
}

// policyMigrationStates are documented (authenticationMethodsPolicy resource).
var policyMigrationStates = []string{"preMigration", "migrationInProgress", "migrationComplete"}

// rootReadOnly are the root's read-only properties: a PATCH naming them is 400.
var rootReadOnly = []string{"displayName", "description", "lastModifiedDateTime", "policyVersion", "authenticationMethodConfigurations"}

// rootJSON renders the root as GET answers it, every configuration
// included (SMS as its own GET renders it). Caller holds t.mu.
func (t *tenant) rootJSON() map[string]any {
	cfgs := make([]any, 0, len(methodDefs)+1)
	for _, d := range methodDefs {
		cfgs = append(cfgs, cloneJSON(t.amp.configs[strings.ToLower(d.id)]))
		if d.id == "MicrosoftAuthenticator" {
			sms := policyJSON(t.policy)
			delete(sms, "@odata.context")
			cfgs = append(cfgs, cloneJSON(sms))
		}
	}
	return map[string]any{
		"@odata.context":       "https://graph.microsoft.com/v1.0/$metadata#authenticationMethodsPolicy",
		"id":                   policyRootID,
		"displayName":          "Authentication Methods Policy",
		"description":          "The tenant-wide policy that controls which authentication methods are allowed in the tenant, authentication method registration requirements, and self-service password reset settings",
		"lastModifiedDateTime": t.amp.modifiedAt.Format("2006-01-02T15:04:05.0000000Z"),
		"policyVersion":        "1.4",
		"policyMigrationState": t.amp.migrationState,
		"registrationEnforcement": map[string]any{
			"authenticationMethodsRegistrationCampaign": cloneJSON(t.amp.campaign),
		},
		"authenticationMethodConfigurations": cfgs,
	}
}

// rootPatch is what a root PATCH changes.
type rootPatch struct {
	campaign       map[string]any // nil: unchanged
	migrationState string         // "": unchanged
}

// parseRootPatch checks a root PATCH body against t. Caller holds t.mu.
func (t *tenant) parseRootPatch(body map[string]any, oob bool) (rootPatch, *schemaError) {
	var p rootPatch
	keys := make([]string, 0, len(body))
	for k := range body {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := body[k]
		switch {
		case isAnnotation(k):
		case k == "@odata.type":
			if !sameType(v, "microsoft.graph.authenticationMethodsPolicy") {
				return p, &schemaError{ruleInvalidBody, "Unexpected @odata.type " + jsonText(v)}
			}
		case k == "id":
			if s, ok := v.(string); !ok || !strings.EqualFold(s, policyRootID) {
				return p, &schemaError{ruleReadOnlyProperty, "The property 'id' is read-only."}
			}
		case containsString(rootReadOnly, k):
			return p, &schemaError{ruleReadOnlyProperty, fmt.Sprintf("The property '%s' is read-only.", k)}
		case k == "policyMigrationState":
			s, ok := v.(string)
			if !ok || !containsString(policyMigrationStates, s) {
				return p, badValue(k, "%s is not one of: %s.", jsonText(v), strings.Join(policyMigrationStates, ", "))
			}
			p.migrationState = s
		case k == "registrationEnforcement":
			re, ok := v.(map[string]any)
			if !ok {
				return p, badValue(k, "an object is expected, not %s.", jsonText(v))
			}
			for rk, rv := range re {
				switch {
				case isAnnotation(rk) || rk == "@odata.type":
				case rk == "authenticationMethodsRegistrationCampaign":
					m, ok := rv.(map[string]any)
					if !ok {
						return p, badValue(k+"."+rk, "an object is expected, not %s.", jsonText(rv))
					}
					c, err := t.mergeCampaign(m, oob)
					if err != nil {
						return p, err
					}
					p.campaign = c
				default:
					return p, &schemaError{ruleUnknownProperty, fmt.Sprintf("The property '%s' does not exist on type 'microsoft.graph.registrationEnforcement'.", rk)}
				}
			}
		default:
			return p, &schemaError{ruleUnknownProperty, fmt.Sprintf("The property '%s' does not exist on type 'microsoft.graph.authenticationMethodsPolicy'.", k)}
		}
	}
	return p, nil
}

// mergeCampaign merges m into the campaign (given properties replace,
// collections whole) and checks its targets. Caller holds t.mu.
func (t *tenant) mergeCampaign(m map[string]any, oob bool) (map[string]any, *schemaError) {
	c, err := campaignSpec.merge(t.amp.campaign, m, "registrationEnforcement.authenticationMethodsRegistrationCampaign", oob)
	if err != nil {
		return nil, err
	}
	for _, k := range []string{"includeTargets", "excludeTargets"} {
		if id := t.unknownTargetIn(c[k]); id != "" {
			return nil, &schemaError{ruleInvalidPolicy, fmt.Sprintf("The target %q is not a user or group of this tenant.", id)}
		}
	}
	return c, nil
}

// handlePolicyRoot serves GET and PATCH of /policies/authenticationMethodsPolicy.
func (s *Server) handlePolicyRoot(w http.ResponseWriter, r *http.Request, rc *reqCtx) {
	t := rc.tenant
	switch r.Method {
	case http.MethodGet:
		if !rc.hasAny(policyReadRoles) {
			writeRule(w, r, ruleForbidden, "")
			return
		}
		t.mu.RLock()
		out := t.rootJSON()
		t.mu.RUnlock()
		writeJSON(w, http.StatusOK, out)
	case http.MethodPatch:
		if !rc.hasAny(policyWriteRoles) {
			writeRule(w, r, ruleForbidden, "")
			return
		}
		body, ok := readBody(w, r)
		if !ok {
			return
		}
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil || m == nil {
			writeRule(w, r, ruleInvalidBody, "")
			return
		}
		t.mu.Lock()
		p, err := t.parseRootPatch(m, false)
		if err == nil && !t.takeNotApplied(policyRootID) {
			t.applyRootPatch(p)
		}
		var out map[string]any
		if err == nil {
			out = t.rootJSON()
		}
		t.mu.Unlock()
		if err != nil {
			writeRule(w, r, err.rule, err.msg)
			return
		}
		// Documented: 200 with the policy (update page).
		writeJSON(w, http.StatusOK, out)
	default:
		writeRule(w, r, ruleMethodNotAllowed, "")
	}
}

// applyRootPatch stores a checked root PATCH. Caller holds t.mu for writing.
func (t *tenant) applyRootPatch(p rootPatch) {
	if p.campaign != nil {
		t.amp.campaign = p.campaign
	}
	if p.migrationState != "" {
		t.amp.migrationState = p.migrationState
	}
	t.amp.modifiedAt = time.Now().UTC()
}

// AuthenticationMethodsPolicy returns the policy root as GET answers it
// (every configuration included); out of band.
func (s *Server) AuthenticationMethodsPolicy(tenantKey string) (map[string]any, error) {
	t, err := s.tenantOf(tenantKey)
	if err != nil {
		return nil, err
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	return cloneJSON(t.rootJSON()), nil
}

// RegistrationCampaign returns registrationEnforcement.authenticationMethodsRegistrationCampaign.
func (s *Server) RegistrationCampaign(tenantKey string) (map[string]any, error) {
	t, err := s.tenantOf(tenantKey)
	if err != nil {
		return nil, err
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	return cloneJSON(t.amp.campaign), nil
}

// SetRegistrationCampaign changes the registration campaign out of band,
// applied like a PATCH over the current value (a whole campaign replaces
// everything) and checked the same way.
func (s *Server) SetRegistrationCampaign(tenantKey string, campaign map[string]any) error {
	t, err := s.tenantOf(tenantKey)
	if err != nil {
		return err
	}
	patch := cloneJSON(campaign)
	t.mu.Lock()
	defer t.mu.Unlock()
	c, serr := t.mergeCampaign(patch, true)
	if serr != nil {
		return fmt.Errorf("mockgraph: registration campaign: %s", serr.msg)
	}
	t.amp.campaign = c
	t.amp.modifiedAt = time.Now().UTC()
	return nil
}
