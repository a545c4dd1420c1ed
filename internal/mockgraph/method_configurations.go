package mockgraph

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// ErrConfigurationNotFound: no authentication method configuration has
// that id (Go and admin API; the admin API answers 404).
var ErrConfigurationNotFound = errors.New("mockgraph: authentication method configuration not found")

// ExternalAuthMethodID is the id of the external authentication method
// every tenant starts with: Graph keys external methods by a GUID, so a
// reader of the policy must cope with an id that is not a method name.
const ExternalAuthMethodID = "7f5e7c2a-3b1d-4c8e-9a6f-2d4b8e1c0a51"

// smsConfigID is the SMS configuration's id, served by policy.go's typed store.
const smsConfigID = "Sms"

// methodDef is one configuration type: its id, @odata.type, schema and the
// value a new tenant has (Graph JSON, without @odata.context).
type methodDef struct {
	id       string
	spec     *objSpec
	defaults string // JSON
	// check runs after a PATCH is merged, for rules across properties.
	check func(cfg map[string]any) *schemaError
}

func (d *methodDef) odataType() string { return "#" + d.spec.typeName }

// featureTargetSpec is microsoft.graph.featureTarget: a group, a
// directory role or an administrative unit (documented featureTargetType).
var featureTargetSpec = &objSpec{
	typeName: "microsoft.graph.featureTarget",
	props:    map[string]*propSpec{"id": stringProp, "targetType": enumProp("group", "role", "administrativeUnit")},
}

// featureConfigSpec is microsoft.graph.authenticationMethodFeatureConfiguration.
var featureConfigSpec = &objSpec{
	typeName: "microsoft.graph.authenticationMethodFeatureConfiguration",
	props: map[string]*propSpec{
		"state":         enumProp("default", "enabled", "disabled"),
		"includeTarget": objectProp(featureTargetSpec),
		"excludeTarget": objectProp(featureTargetSpec),
	},
}

// numberMatchingRefused is Graph's observed answer to a PATCH that sends
// numberMatchingRequiredState (Microsoft365DSC issue 3406).
const numberMatchingRefused = "Microsoft Authenticator's number matching feature can no longer be toggled as part of featureSettings"

// authenticatorTargetSpec is microsoft.graph.microsoftAuthenticatorAuthenticationMethodTarget.
var authenticatorTargetSpec = &objSpec{
	typeName:   "microsoft.graph.microsoftAuthenticatorAuthenticationMethodTarget",
	renderType: true,
	props: map[string]*propSpec{
		"id": stringProp, "targetType": targetTypeProp, "isRegistrationRequired": boolProp,
		"authenticationMode": enumProp("any", "push", "deviceBasedPush"),
	},
	required: []string{"id", "targetType"},
	defaults: map[string]any{"isRegistrationRequired": false, "authenticationMode": "any"},
}

var (
	lifetimeProp = &propSpec{kind: propInt, min: 10, max: 43200}
	x509ModeProp = enumProp("x509CertificateSingleFactor", "x509CertificateMultiFactor")
	// x509AffinityProp is an x509CertificateAffinityLevel (msgraph-sdk-go's
	// v1.0 models carry it on bindings, rules and the default mode).
	x509AffinityProp = enumProp("low", "high")
)

// methodDefs lists every configuration other than SMS, in the order the
// policy root lists them (SMS goes after MicrosoftAuthenticator, as in the
// docs example). Property sets: the v1.0 resource pages under
// api-reference/v1.0/resources/ of microsoft-graph-docs-contrib.
var methodDefs = []*methodDef{
	{
		id: "Fido2",
		spec: configSpec("microsoft.graph.fido2AuthenticationMethodConfiguration", includeTargetSpec, map[string]*propSpec{
			"isAttestationEnforced":            boolProp,
			"isSelfServiceRegistrationAllowed": boolProp,
			"keyRestrictions": objectProp(&objSpec{
				typeName: "microsoft.graph.fido2KeyRestrictions",
				props: map[string]*propSpec{
					"isEnforced":      boolProp,
					"enforcementType": enumProp("allow", "block"),
					"aaGuids":         {kind: propArray, elem: &propSpec{kind: propGUID}},
				},
			}),
		}),
		defaults: `{"@odata.type":"#microsoft.graph.fido2AuthenticationMethodConfiguration","id":"Fido2","state":"disabled",
			"isSelfServiceRegistrationAllowed":true,"isAttestationEnforced":true,
			"keyRestrictions":{"isEnforced":false,"enforcementType":"block","aaGuids":[]},
			"includeTargets":[{"targetType":"group","id":"all_users","isRegistrationRequired":false}],"excludeTargets":[]}`,
	},
	{
		id: "MicrosoftAuthenticator",
		spec: configSpec("microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration", authenticatorTargetSpec, map[string]*propSpec{
			"isSoftwareOathEnabled": boolProp,
			"featureSettings": objectProp(&objSpec{
				typeName: "microsoft.graph.microsoftAuthenticatorFeatureSettings",
				props: map[string]*propSpec{
					"displayAppInformationRequiredState":      objectProp(featureConfigSpec),
					"displayLocationInformationRequiredState": objectProp(featureConfigSpec),
					"numberMatchingRequiredState":             {kind: propObject, obj: featureConfigSpec, refused: numberMatchingRefused},
				},
			}),
		}),
		defaults: `{"@odata.type":"#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration","id":"MicrosoftAuthenticator","state":"disabled",
			"isSoftwareOathEnabled":false,
			"featureSettings":{
				"displayAppInformationRequiredState":{"state":"default","includeTarget":{"targetType":"group","id":"all_users"},"excludeTarget":{"targetType":"group","id":"00000000-0000-0000-0000-000000000000"}},
				"displayLocationInformationRequiredState":{"state":"default","includeTarget":{"targetType":"group","id":"all_users"},"excludeTarget":{"targetType":"group","id":"00000000-0000-0000-0000-000000000000"}},
				"numberMatchingRequiredState":{"state":"default","includeTarget":{"targetType":"group","id":"all_users"},"excludeTarget":{"targetType":"group","id":"00000000-0000-0000-0000-000000000000"}}},
			"includeTargets":[{"@odata.type":"#microsoft.graph.microsoftAuthenticatorAuthenticationMethodTarget","targetType":"group","id":"all_users","isRegistrationRequired":false,"authenticationMode":"any"}],
			"excludeTargets":[]}`,
	},
	{
		id: "TemporaryAccessPass",
		spec: configSpec("microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration", includeTargetSpec, map[string]*propSpec{
			"defaultLength":            {kind: propInt, min: 8, max: 48},
			"defaultLifetimeInMinutes": lifetimeProp,
			"minimumLifetimeInMinutes": lifetimeProp,
			"maximumLifetimeInMinutes": lifetimeProp,
			"isUsableOnce":             boolProp,
		}),
		defaults: `{"@odata.type":"#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration","id":"TemporaryAccessPass","state":"disabled",
			"defaultLifetimeInMinutes":60,"defaultLength":8,"minimumLifetimeInMinutes":60,"maximumLifetimeInMinutes":480,"isUsableOnce":false,
			"includeTargets":[{"targetType":"group","id":"all_users","isRegistrationRequired":false}],"excludeTargets":[]}`,
		check: checkTAPLifetimes,
	},
	{
		id: "Email",
		spec: configSpec("microsoft.graph.emailAuthenticationMethodConfiguration", includeTargetSpec, map[string]*propSpec{
			"allowExternalIdToUseEmailOtp": enumProp("default", "enabled", "disabled"),
		}),
		defaults: `{"@odata.type":"#microsoft.graph.emailAuthenticationMethodConfiguration","id":"Email","state":"enabled",
			"allowExternalIdToUseEmailOtp":"default","includeTargets":[],"excludeTargets":[]}`,
	},
	{
		id: "Voice",
		spec: configSpec("microsoft.graph.voiceAuthenticationMethodConfiguration", includeTargetSpec, map[string]*propSpec{
			"isOfficePhoneAllowed": boolProp,
		}),
		defaults: `{"@odata.type":"#microsoft.graph.voiceAuthenticationMethodConfiguration","id":"Voice","state":"disabled",
			"isOfficePhoneAllowed":false,
			"includeTargets":[{"targetType":"group","id":"all_users","isRegistrationRequired":false}],"excludeTargets":[]}`,
	},
	{
		id:   "SoftwareOath",
		spec: configSpec("microsoft.graph.softwareOathAuthenticationMethodConfiguration", includeTargetSpec, nil),
		defaults: `{"@odata.type":"#microsoft.graph.softwareOathAuthenticationMethodConfiguration","id":"SoftwareOath","state":"disabled",
			"includeTargets":[{"targetType":"group","id":"all_users","isRegistrationRequired":false}],"excludeTargets":[]}`,
	},
	{
		id: "X509Certificate",
		spec: configSpec("microsoft.graph.x509CertificateAuthenticationMethodConfiguration", includeTargetSpec, map[string]*propSpec{
			"certificateUserBindings": arrayOf(&objSpec{
				typeName: "microsoft.graph.x509CertificateUserBinding",
				props: map[string]*propSpec{
					"priority":     {kind: propInt, min: 0, max: math32},
					"userProperty": enumProp("userPrincipalName", "onPremisesUserPrincipalName", "certificateUserIds"),
					// The v1.0 page lists the first four; the certificate-based
					// authentication docs add the issuer and subject fields.
					"x509CertificateField": enumProp("PrincipalName", "RFC822Name", "SubjectKeyIdentifier", "SHA1PublicKey", "IssuerAndSubject", "Subject", "IssuerAndSerialNumber"),
					"trustAffinityLevel":   x509AffinityProp,
				},
				required: []string{"priority", "userProperty", "x509CertificateField"},
			}),
			"authenticationModeConfiguration": objectProp(&objSpec{
				typeName: "microsoft.graph.x509CertificateAuthenticationModeConfiguration",
				props: map[string]*propSpec{
					"x509CertificateAuthenticationDefaultMode":    x509ModeProp,
					"x509CertificateDefaultRequiredAffinityLevel": x509AffinityProp,
					"rules": arrayOf(&objSpec{
						typeName: "microsoft.graph.x509CertificateRule",
						props: map[string]*propSpec{
							"identifier":                           stringProp,
							"issuerSubjectIdentifier":              stringProp,
							"policyOidIdentifier":                  stringProp,
							"x509CertificateAuthenticationMode":    x509ModeProp,
							"x509CertificateRequiredAffinityLevel": x509AffinityProp,
							"x509CertificateRuleType":              enumProp("issuerSubject", "policyOID", "issuerSubjectAndPolicyOID"),
						},
						required: []string{"x509CertificateAuthenticationMode", "x509CertificateRuleType"},
					}),
				},
			}),
		}),
		defaults: `{"@odata.type":"#microsoft.graph.x509CertificateAuthenticationMethodConfiguration","id":"X509Certificate","state":"disabled",
			"certificateUserBindings":[
				{"x509CertificateField":"PrincipalName","userProperty":"onPremisesUserPrincipalName","priority":1,"trustAffinityLevel":"low"},
				{"x509CertificateField":"RFC822Name","userProperty":"userPrincipalName","priority":2,"trustAffinityLevel":"low"}],
			"authenticationModeConfiguration":{"x509CertificateAuthenticationDefaultMode":"x509CertificateSingleFactor","rules":[]},
			"includeTargets":[{"targetType":"group","id":"all_users","isRegistrationRequired":false}],"excludeTargets":[]}`,
		check: checkX509Priorities,
	},
	// Configurations the provider does not model: readers must tolerate them.
	{
		id:   "HardwareOath",
		spec: configSpec("microsoft.graph.hardwareOathAuthenticationMethodConfiguration", includeTargetSpec, nil),
		defaults: `{"@odata.type":"#microsoft.graph.hardwareOathAuthenticationMethodConfiguration","id":"HardwareOath","state":"disabled",
			"includeTargets":[],"excludeTargets":[]}`,
	},
	{
		id: ExternalAuthMethodID,
		spec: configSpec("microsoft.graph.externalAuthenticationMethodConfiguration", includeTargetSpec, map[string]*propSpec{
			"displayName": stringProp,
			"appId":       stringProp,
			"openIdConnectSetting": objectProp(&objSpec{
				typeName: "microsoft.graph.openIdConnectSetting",
				props:    map[string]*propSpec{"clientId": stringProp, "discoveryUrl": stringProp},
			}),
		}),
		defaults: `{"@odata.type":"#microsoft.graph.externalAuthenticationMethodConfiguration","id":"` + ExternalAuthMethodID + `","state":"disabled",
			"displayName":"Contoso external MFA","appId":"0c9a4b5e-1f2d-4e3a-8b7c-6d5e4f3a2b10",
			"openIdConnectSetting":{"clientId":"5d2e8f1a-9c3b-4a7e-b6d5-1e0f2a3b4c5d","discoveryUrl":"https://mfa.contoso.example/.well-known/openid-configuration"},
			"includeTargets":[{"targetType":"group","id":"all_users","isRegistrationRequired":false}],"excludeTargets":[]}`,
	},
}

// math32 bounds x509CertificateUserBinding.priority (an Int32).
const math32 = 1<<31 - 1

// methodDefByID finds a configuration type by id, case-insensitively as
// Graph matches ids in the path.
func methodDefByID(id string) *methodDef {
	for _, d := range methodDefs {
		if strings.EqualFold(d.id, id) {
			return d
		}
	}
	return nil
}

func num(cfg map[string]any, k string) float64 {
	f, _ := cfg[k].(float64)
	return f
}

// checkTAPLifetimes: minimum <= default <= maximum, on the merged value
// (documented ranges; the message is a choice).
func checkTAPLifetimes(cfg map[string]any) *schemaError {
	lo, def, hi := num(cfg, "minimumLifetimeInMinutes"), num(cfg, "defaultLifetimeInMinutes"), num(cfg, "maximumLifetimeInMinutes")
	if lo > def || def > hi {
		return &schemaError{ruleInvalidPolicy, fmt.Sprintf("The lifetimes must satisfy minimumLifetimeInMinutes <= defaultLifetimeInMinutes <= maximumLifetimeInMinutes (%v <= %v <= %v).", lo, def, hi)}
	}
	return nil
}

// checkX509Priorities: binding priorities are unique (documented on
// x509CertificateUserBinding).
func checkX509Priorities(cfg map[string]any) *schemaError {
	seen := map[float64]bool{}
	bs, _ := cfg["certificateUserBindings"].([]any)
	for _, b := range bs {
		binding, _ := b.(map[string]any)
		p := num(binding, "priority")
		if seen[p] {
			return &schemaError{ruleInvalidPolicy, fmt.Sprintf("certificateUserBindings: priority %v is used twice; priorities must be unique.", p)}
		}
		seen[p] = true
	}
	return nil
}

// methodsPolicy is a tenant's authentication methods policy beyond SMS
// (the SMS configuration stays typed in tenant.policy).
type methodsPolicy struct {
	configs        map[string]map[string]any // lower-case id -> Graph JSON without @odata.context
	campaign       map[string]any            // registrationEnforcement.authenticationMethodsRegistrationCampaign
	migrationState string
	modifiedAt     time.Time
	// notApplied counts PATCHes (lower-case configuration id, or
	// "authenticationmethodspolicy" for the root) to answer as success
	// without applying them; negative: every one.
	notApplied map[string]int
}

func newMethodsPolicy() methodsPolicy {
	mp := methodsPolicy{
		configs:        map[string]map[string]any{},
		migrationState: defaultMigrationState,
		modifiedAt:     time.Now().UTC(),
		notApplied:     map[string]int{},
	}
	for _, d := range methodDefs {
		var cfg map[string]any
		if err := json.Unmarshal([]byte(d.defaults), &cfg); err != nil {
			panic("mockgraph: defaults of " + d.id + ": " + err.Error())
		}
		mp.configs[strings.ToLower(d.id)] = cfg
	}
	if err := json.Unmarshal([]byte(defaultCampaign), &mp.campaign); err != nil {
		panic("mockgraph: default campaign: " + err.Error())
	}
	return mp
}

// takeNotApplied reports whether the next PATCH of id must be answered and
// not applied, consuming one of its count. Caller holds t.mu for writing.
func (t *tenant) takeNotApplied(id string) bool {
	k := strings.ToLower(id)
	n := t.amp.notApplied[k]
	switch {
	case n < 0:
		return true
	case n == 0:
		return false
	}
	if n == 1 {
		delete(t.amp.notApplied, k)
	} else {
		t.amp.notApplied[k] = n - 1
	}
	return true
}

// unknownTargetIn returns the first target of a collection whose user or
// group the tenant does not have (as the SMS handler's unknownTarget).
// Caller holds t.mu.
func (t *tenant) unknownTargetIn(list any) string {
	ts, _ := list.([]any)
	for _, x := range ts {
		m, _ := x.(map[string]any)
		id, _ := m["id"].(string)
		typ, _ := m["targetType"].(string)
		k := strings.ToLower(id)
		switch typ {
		case "group":
			if k == AllUsers {
				continue
			}
			if _, ok := t.groups[k]; !ok {
				return id
			}
		case "user":
			if _, ok := t.users[k]; !ok {
				return id
			}
		}
	}
	return ""
}

// applyConfigPatch merges patch into configuration d of t and checks the
// result; it does not store it. Caller holds t.mu.
func (t *tenant) applyConfigPatch(d *methodDef, patch map[string]any, oob bool) (map[string]any, *schemaError) {
	cur := t.amp.configs[strings.ToLower(d.id)]
	next, err := d.spec.merge(cur, patch, "", oob)
	if err != nil {
		return nil, err
	}
	if d.check != nil {
		if err := d.check(next); err != nil {
			return nil, err
		}
	}
	for _, k := range []string{"includeTargets", "excludeTargets"} {
		if id := t.unknownTargetIn(next[k]); id != "" {
			return nil, &schemaError{ruleInvalidPolicy, fmt.Sprintf("The target %q is not a user or group of this tenant.", id)}
		}
	}
	return next, nil
}

// configJSON renders a non-SMS configuration as its GET answers.
func configJSON(cfg map[string]any) map[string]any {
	out := cloneJSON(cfg)
	out["@odata.context"] = policyConfigContext
	return out
}

const policyConfigContext = "https://graph.microsoft.com/v1.0/$metadata#policies/authenticationMethodsPolicy/authenticationMethodConfigurations/$entity"

// handleMethodConfiguration serves GET and PATCH of a configuration other
// than SMS.
func (s *Server) handleMethodConfiguration(w http.ResponseWriter, r *http.Request, rc *reqCtx, id string) {
	t := rc.tenant
	switch r.Method {
	case http.MethodGet:
		if !rc.hasAny(policyReadRoles) {
			writeRule(w, r, ruleForbidden, "")
			return
		}
		d := methodDefByID(id)
		if d == nil {
			writeRule(w, r, ruleConfigurationNotFound, "")
			return
		}
		t.mu.RLock()
		out := configJSON(t.amp.configs[strings.ToLower(d.id)])
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
		d := methodDefByID(id)
		if d == nil {
			writeRule(w, r, ruleConfigurationNotFound, "")
			return
		}
		var patch map[string]any
		if err := json.Unmarshal(body, &patch); err != nil || patch == nil {
			writeRule(w, r, ruleInvalidBody, "")
			return
		}
		// Graph needs the derived type to bind the body (the TAP update
		// page says the PATCH must carry it).
		typ, has := patch["@odata.type"]
		if !has {
			writeRule(w, r, ruleInvalidPolicy, fmt.Sprintf("The request body must name its type: \"@odata.type\": %q.", d.odataType()))
			return
		}
		if !sameType(typ, d.spec.typeName) {
			writeRule(w, r, ruleInvalidBody, fmt.Sprintf("Unexpected @odata.type %s; this configuration is %q.", jsonText(typ), d.odataType()))
			return
		}
		t.mu.Lock()
		next, err := t.applyConfigPatch(d, patch, false)
		if err == nil && !t.takeNotApplied(d.id) {
			t.amp.configs[strings.ToLower(d.id)] = next
			t.amp.modifiedAt = time.Now().UTC()
		}
		t.mu.Unlock()
		if err != nil {
			writeRule(w, r, err.rule, err.msg)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		writeRule(w, r, ruleMethodNotAllowed, "")
	}
}

// MethodConfiguration returns a configuration (any id, "sms" too) as its
// GET answers, without @odata.context; out of band (no token, faults or lag).
func (s *Server) MethodConfiguration(tenantKey, id string) (map[string]any, error) {
	t, err := s.tenantOf(tenantKey)
	if err != nil {
		return nil, err
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.configView(id)
}

// configView is a configuration without @odata.context. Caller holds t.mu.
func (t *tenant) configView(id string) (map[string]any, error) {
	if strings.EqualFold(id, smsConfigID) {
		out := policyJSON(t.policy)
		delete(out, "@odata.context")
		return cloneJSON(out), nil
	}
	d := methodDefByID(id)
	if d == nil {
		return nil, fmt.Errorf("%w: %q", ErrConfigurationNotFound, id)
	}
	return cloneJSON(t.amp.configs[strings.ToLower(d.id)]), nil
}

// SetMethodConfiguration changes a configuration other than SMS out of
// band (as an administrator in the portal would, for drift tests). cfg is
// applied like a PATCH over the current value: given properties replace,
// omitted ones stay, so a whole configuration (as MethodConfiguration
// returns it) replaces everything. @odata.type is optional but must match;
// id must stay; numberMatchingRequiredState is accepted. Use SetSMSPolicy
// for SMS.
func (s *Server) SetMethodConfiguration(tenantKey, id string, cfg map[string]any) error {
	t, err := s.tenantOf(tenantKey)
	if err != nil {
		return err
	}
	if strings.EqualFold(id, smsConfigID) {
		return errors.New("mockgraph: the SMS configuration is typed: use SetSMSPolicy")
	}
	d := methodDefByID(id)
	if d == nil {
		return fmt.Errorf("%w: %q", ErrConfigurationNotFound, id)
	}
	patch := cloneJSON(cfg) // numbers as float64, as a decoded body
	t.mu.Lock()
	defer t.mu.Unlock()
	next, serr := t.applyConfigPatch(d, patch, true)
	if serr != nil {
		return fmt.Errorf("mockgraph: %s: %s", d.id, serr.msg)
	}
	t.amp.configs[strings.ToLower(d.id)] = next
	t.amp.modifiedAt = time.Now().UTC()
	return nil
}

// SetPatchNotApplied makes the next n PATCHes of a configuration (id
// case-insensitive, "sms" included; "authenticationMethodsPolicy" for the
// policy root) answer success (204, or 200 with the unchanged root) and
// change nothing, as Graph was observed to do for FIDO2 (Microsoft365DSC
// issues 6391, 7292). A PATCH Graph would refuse is still refused. n < 0:
// every PATCH from now on; n = 0 switches it off.
func (s *Server) SetPatchNotApplied(tenantKey, configurationID string, n int) error {
	t, err := s.tenantOf(tenantKey)
	if err != nil {
		return err
	}
	if !knownConfigurationID(configurationID) {
		return fmt.Errorf("%w: %q", ErrConfigurationNotFound, configurationID)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.setNotApplied(configurationID, n)
	return nil
}

// knownConfigurationID: a configuration id, "sms", or the root's id.
func knownConfigurationID(id string) bool {
	return strings.EqualFold(id, policyRootID) || strings.EqualFold(id, smsConfigID) || methodDefByID(id) != nil
}

// setNotApplied sets the not-applied count of id. Caller holds t.mu for writing.
func (t *tenant) setNotApplied(id string, n int) {
	if n == 0 {
		delete(t.amp.notApplied, strings.ToLower(id))
	} else {
		t.amp.notApplied[strings.ToLower(id)] = n
	}
}
