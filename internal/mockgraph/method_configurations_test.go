package mockgraph

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph/identity"
)

const configsPath = "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/"

const rootPath = "/v1.0/policies/authenticationMethodsPolicy"

var appPolicyRead = fakeToken(identity.Principal{TenantID: tenantID, AppID: "app-pol-ro", Roles: []string{"Policy.Read.AuthenticationMethod"}})

// configIDs are every configuration of a new tenant, as the root lists them.
var configIDs = []string{"Fido2", "MicrosoftAuthenticator", "Sms", "TemporaryAccessPass", "Email", "Voice", "SoftwareOath", "X509Certificate", "HardwareOath", ExternalAuthMethodID}

func mustConfig(t *testing.T, s *Server, id string) map[string]any {
	t.Helper()
	c, err := s.MethodConfiguration(tenantID, id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestMethodConfigurationDefaults: every configuration exists with the
// docs example's values, GET answers what the Go API returns, ids are
// case-insensitive.
func TestMethodConfigurationDefaults(t *testing.T) {
	s := startTest(t, Options{})
	types := map[string]string{
		"Fido2":                  "#microsoft.graph.fido2AuthenticationMethodConfiguration",
		"MicrosoftAuthenticator": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
		"Sms":                    "#microsoft.graph.smsAuthenticationMethodConfiguration",
		"TemporaryAccessPass":    "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration",
		"Email":                  "#microsoft.graph.emailAuthenticationMethodConfiguration",
		"Voice":                  "#microsoft.graph.voiceAuthenticationMethodConfiguration",
		"SoftwareOath":           "#microsoft.graph.softwareOathAuthenticationMethodConfiguration",
		"X509Certificate":        "#microsoft.graph.x509CertificateAuthenticationMethodConfiguration",
		"HardwareOath":           "#microsoft.graph.hardwareOathAuthenticationMethodConfiguration",
		ExternalAuthMethodID:     "#microsoft.graph.externalAuthenticationMethodConfiguration",
	}
	for _, id := range configIDs {
		for _, spelled := range []string{id, strings.ToLower(id), strings.ToUpper(id)} {
			r := call(t, s, appRO, "GET", configsPath+spelled, nil)
			mustStatus(t, r, 200)
			got := r.json(t)
			if got["@odata.context"] == nil || got["@odata.type"] != types[id] || got["id"] != id {
				t.Fatalf("%s: %v", spelled, got)
			}
			delete(got, "@odata.context")
			if jsonOf(t, got) != jsonOf(t, mustConfig(t, s, spelled)) {
				t.Fatalf("%s: GET and MethodConfiguration differ:\n%s\n%s", spelled, jsonOf(t, got), jsonOf(t, mustConfig(t, s, id)))
			}
		}
		c := mustConfig(t, s, id)
		for _, it := range arr(c["includeTargets"]) {
			if _, ok := obj(it)["isRegistrationRequired"]; !ok {
				t.Errorf("%s: include target without isRegistrationRequired: %v", id, it)
			}
		}
	}
	fido := mustConfig(t, s, "Fido2")
	if fido["state"] != "disabled" || fido["isAttestationEnforced"] != true || fido["isSelfServiceRegistrationAllowed"] != true ||
		jsonOf(t, fido["keyRestrictions"]) != `{"aaGuids":[],"enforcementType":"block","isEnforced":false}` {
		t.Errorf("fido2 defaults: %v", fido)
	}
	tap := mustConfig(t, s, "TemporaryAccessPass")
	if tap["defaultLength"] != 8.0 || tap["defaultLifetimeInMinutes"] != 60.0 || tap["minimumLifetimeInMinutes"] != 60.0 || tap["maximumLifetimeInMinutes"] != 480.0 || tap["isUsableOnce"] != false {
		t.Errorf("tap defaults: %v", tap)
	}
	if e := mustConfig(t, s, "Email"); e["state"] != "enabled" || e["allowExternalIdToUseEmailOtp"] != "default" || len(arr(e["includeTargets"])) != 0 {
		t.Errorf("email defaults: %v", e)
	}
	ma := mustConfig(t, s, "MicrosoftAuthenticator")
	fs := obj(ma["featureSettings"])
	for _, f := range []string{"displayAppInformationRequiredState", "displayLocationInformationRequiredState", "numberMatchingRequiredState"} {
		if obj(fs[f])["state"] != "default" {
			t.Errorf("authenticator %s: %v", f, fs[f])
		}
	}
	it := obj(arr(ma["includeTargets"])[0])
	if it["@odata.type"] != "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodTarget" || it["authenticationMode"] != "any" {
		t.Errorf("authenticator target: %v", it)
	}
	ext := mustConfig(t, s, ExternalAuthMethodID)
	if ext["displayName"] == nil || ext["appId"] == nil || ext["openIdConnectSetting"] == nil {
		t.Errorf("external: %v", ext)
	}
	mustStatus(t, call(t, s, appRO, "GET", configsPath+"NoSuchMethod", nil), 404)
	if _, err := s.MethodConfiguration(tenantID, "NoSuchMethod"); err == nil {
		t.Error("unknown id: no error")
	}
}

// TestPolicyRootListsEveryConfiguration: the root carries every
// configuration, SMS and the unmodelled ones included, each as its own GET
// renders it.
func TestPolicyRootListsEveryConfiguration(t *testing.T) {
	s := startTest(t, Options{})
	r := call(t, s, appPolicyRead, "GET", rootPath, nil)
	mustStatus(t, r, 200)
	root := r.json(t)
	for k, want := range map[string]any{"id": "authenticationMethodsPolicy", "displayName": "Authentication Methods Policy", "policyVersion": "1.4", "policyMigrationState": "migrationComplete"} {
		if root[k] != want {
			t.Errorf("root %s = %v, want %v", k, root[k], want)
		}
	}
	if root["description"] == nil || root["lastModifiedDateTime"] == nil {
		t.Errorf("root: %v", root)
	}
	camp := obj(obj(root["registrationEnforcement"])["authenticationMethodsRegistrationCampaign"])
	if camp["state"] != "default" || camp["snoozeDurationInDays"] != 1.0 || jsonOf(t, camp["includeTargets"]) != `[{"id":"all_users","targetType":"group","targetedAuthenticationMethod":"microsoftAuthenticator"}]` {
		t.Errorf("campaign: %v", camp)
	}
	cfgs := arr(root["authenticationMethodConfigurations"])
	if len(cfgs) != len(configIDs) {
		t.Fatalf("%d configurations, want %d", len(cfgs), len(configIDs))
	}
	for i, c := range cfgs {
		m := obj(c)
		if m["id"] != configIDs[i] {
			t.Errorf("configuration %d: %v, want %s", i, m["id"], configIDs[i])
		}
		g := call(t, s, appRO, "GET", configsPath+configIDs[i], nil).json(t)
		delete(g, "@odata.context")
		if jsonOf(t, g) != jsonOf(t, m) {
			t.Errorf("%s: the root renders\n%s\nits GET\n%s", configIDs[i], jsonOf(t, m), jsonOf(t, g))
		}
	}
	viaAPI, err := s.AuthenticationMethodsPolicy(tenantID)
	if err != nil || jsonOf(t, viaAPI) != jsonOf(t, root) {
		t.Errorf("AuthenticationMethodsPolicy differs from GET (%v)", err)
	}
}

// TestMethodConfigurationPatch: omitted properties stay, collections are
// replaced whole, nested objects merge, other configurations are untouched
// byte for byte.
func TestMethodConfigurationPatch(t *testing.T) {
	s := startTest(t, Options{})
	before := map[string]string{}
	raw := map[string][]byte{} // GET bodies, compared byte for byte
	for _, id := range configIDs {
		before[id] = jsonOf(t, mustConfig(t, s, id))
		raw[id] = call(t, s, appRO, "GET", configsPath+id, nil).Body
	}
	guid := "cb69481e-8ff7-4039-93ec-0a2729a154a8"
	r := call(t, s, appRW, "PATCH", configsPath+"fido2", map[string]any{
		"@odata.type":     "#microsoft.graph.fido2AuthenticationMethodConfiguration",
		"@odata.context":  "ignored",
		"id":              "Fido2",
		"state":           "enabled",
		"keyRestrictions": map[string]any{"isEnforced": true, "aaGuids": []string{guid}},
		"includeTargets":  []any{map[string]any{"id": groupSMS, "targetType": "group"}},
	})
	mustStatus(t, r, 204)
	if len(r.Body) != 0 {
		t.Errorf("204 with a body: %s", r.Body)
	}
	got := mustConfig(t, s, "Fido2")
	if got["state"] != "enabled" || got["isAttestationEnforced"] != true {
		t.Errorf("fido2 after patch: %v", got)
	}
	if jsonOf(t, got["keyRestrictions"]) != `{"aaGuids":["`+guid+`"],"enforcementType":"block","isEnforced":true}` {
		t.Errorf("keyRestrictions merge: %s", jsonOf(t, got["keyRestrictions"]))
	}
	if jsonOf(t, got["includeTargets"]) != `[{"id":"`+groupSMS+`","isRegistrationRequired":false,"targetType":"group"}]` {
		t.Errorf("includeTargets replace: %s", jsonOf(t, got["includeTargets"]))
	}
	for _, id := range configIDs {
		if id == "Fido2" {
			continue
		}
		if jsonOf(t, mustConfig(t, s, id)) != before[id] || !bytes.Equal(call(t, s, appRO, "GET", configsPath+id, nil).Body, raw[id]) {
			t.Errorf("%s changed by a FIDO2 PATCH", id)
		}
	}

	// Nested feature settings: a given feature's state replaces the state
	// only; the other features stay.
	mustStatus(t, call(t, s, appRW, "PATCH", configsPath+"MicrosoftAuthenticator", map[string]any{
		"@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
		"featureSettings": map[string]any{"displayAppInformationRequiredState": map[string]any{
			"state": "enabled", "includeTarget": map[string]any{"id": groupSMS, "targetType": "group"}}},
		"includeTargets": []any{map[string]any{"id": AllUsers, "targetType": "group", "authenticationMode": "push"}},
	}), 204)
	ma := mustConfig(t, s, "MicrosoftAuthenticator")
	fs := obj(ma["featureSettings"])
	app := obj(fs["displayAppInformationRequiredState"])
	if app["state"] != "enabled" || obj(app["includeTarget"])["id"] != groupSMS || obj(app["excludeTarget"])["id"] != "00000000-0000-0000-0000-000000000000" {
		t.Errorf("feature merge: %v", app)
	}
	if obj(fs["displayLocationInformationRequiredState"])["state"] != "default" || fs["numberMatchingRequiredState"] == nil {
		t.Errorf("other features: %v", fs)
	}
	it := obj(arr(ma["includeTargets"])[0])
	if it["authenticationMode"] != "push" || it["@odata.type"] != "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodTarget" || it["isRegistrationRequired"] != false {
		t.Errorf("authenticator target: %v", it)
	}

	// TAP: the lifetimes are checked on the merged value.
	mustStatus(t, call(t, s, appRW, "PATCH", configsPath+"TemporaryAccessPass", map[string]any{
		"@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration", "maximumLifetimeInMinutes": 1440, "defaultLifetimeInMinutes": 600}), 204)
	if tap := mustConfig(t, s, "TemporaryAccessPass"); tap["maximumLifetimeInMinutes"] != 1440.0 || tap["defaultLifetimeInMinutes"] != 600.0 || tap["minimumLifetimeInMinutes"] != 60.0 {
		t.Errorf("tap: %v", tap)
	}
}

// TestMethodConfigurationPatchRefused: each documented rule, the type
// requirement, unknown and read-only properties, number matching.
func TestMethodConfigurationPatchRefused(t *testing.T) {
	s := startTest(t, Options{})
	const (
		fido  = "#microsoft.graph.fido2AuthenticationMethodConfiguration"
		ma    = "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration"
		tap   = "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration"
		email = "#microsoft.graph.emailAuthenticationMethodConfiguration"
		x509  = "#microsoft.graph.x509CertificateAuthenticationMethodConfiguration"
	)
	before := map[string]string{}
	for _, id := range configIDs {
		before[id] = jsonOf(t, mustConfig(t, s, id))
	}
	for _, c := range []struct {
		name, id string
		body     map[string]any
		want     int
		msg      string
	}{
		{"no type", "Fido2", map[string]any{"state": "enabled"}, 400, "@odata.type"},
		{"other type", "Fido2", map[string]any{"@odata.type": email, "state": "enabled"}, 400, "Unexpected @odata.type"},
		{"state", "Fido2", map[string]any{"@odata.type": fido, "state": "on"}, 400, "state"},
		{"unknown property", "Fido2", map[string]any{"@odata.type": fido, "colour": "red"}, 400, "colour"},
		{"id changed", "Fido2", map[string]any{"@odata.type": fido, "id": "Email"}, 400, "read-only"},
		{"targetType", "Fido2", map[string]any{"@odata.type": fido, "includeTargets": []any{map[string]any{"id": AllUsers, "targetType": "role"}}}, 400, "targetType"},
		{"target id missing", "Fido2", map[string]any{"@odata.type": fido, "includeTargets": []any{map[string]any{"targetType": "group"}}}, 400, "id"},
		{"unknown group", "Fido2", map[string]any{"@odata.type": fido, "excludeTargets": []any{map[string]any{"id": "11111111-0000-4000-8000-000000000009", "targetType": "group"}}}, 400, "not a user or group"},
		{"enforcementType", "Fido2", map[string]any{"@odata.type": fido, "keyRestrictions": map[string]any{"enforcementType": "deny"}}, 400, "enforcementType"},
		{"aaGuid", "Fido2", map[string]any{"@odata.type": fido, "keyRestrictions": map[string]any{"aaGuids": []string{"not-a-guid"}}}, 400, "GUID"},
		{"null", "Fido2", map[string]any{"@odata.type": fido, "isAttestationEnforced": nil}, 400, "null"},
		{"number matching", "MicrosoftAuthenticator", map[string]any{"@odata.type": ma, "featureSettings": map[string]any{"numberMatchingRequiredState": map[string]any{"state": "enabled"}}}, 400, numberMatchingRefused},
		{"authenticationMode", "MicrosoftAuthenticator", map[string]any{"@odata.type": ma, "includeTargets": []any{map[string]any{"id": AllUsers, "targetType": "group", "authenticationMode": "sms"}}}, 400, "authenticationMode"},
		{"feature state", "MicrosoftAuthenticator", map[string]any{"@odata.type": ma, "featureSettings": map[string]any{"displayAppInformationRequiredState": map[string]any{"state": "on"}}}, 400, "state"},
		{"feature targetType", "MicrosoftAuthenticator", map[string]any{"@odata.type": ma, "featureSettings": map[string]any{"displayAppInformationRequiredState": map[string]any{"includeTarget": map[string]any{"id": "x", "targetType": "user"}}}}, 400, "targetType"},
		{"tap length low", "TemporaryAccessPass", map[string]any{"@odata.type": tap, "defaultLength": 7}, 400, "defaultLength"},
		{"tap length high", "TemporaryAccessPass", map[string]any{"@odata.type": tap, "defaultLength": 49}, 400, "defaultLength"},
		{"tap lifetime low", "TemporaryAccessPass", map[string]any{"@odata.type": tap, "minimumLifetimeInMinutes": 9}, 400, "minimumLifetimeInMinutes"},
		{"tap lifetime high", "TemporaryAccessPass", map[string]any{"@odata.type": tap, "maximumLifetimeInMinutes": 43201}, 400, "maximumLifetimeInMinutes"},
		{"tap fraction", "TemporaryAccessPass", map[string]any{"@odata.type": tap, "defaultLength": 8.5}, 400, "whole number"},
		{"tap default above max", "TemporaryAccessPass", map[string]any{"@odata.type": tap, "defaultLifetimeInMinutes": 481}, 400, "minimumLifetimeInMinutes <="},
		{"tap min above default", "TemporaryAccessPass", map[string]any{"@odata.type": tap, "minimumLifetimeInMinutes": 120}, 400, "minimumLifetimeInMinutes <="},
		{"email otp", "Email", map[string]any{"@odata.type": email, "allowExternalIdToUseEmailOtp": "yes"}, 400, "allowExternalIdToUseEmailOtp"},
		{"x509 field", "X509Certificate", map[string]any{"@odata.type": x509, "certificateUserBindings": []any{map[string]any{"x509CertificateField": "CN", "userProperty": "userPrincipalName", "priority": 1}}}, 400, "x509CertificateField"},
		{"x509 priority twice", "X509Certificate", map[string]any{"@odata.type": x509, "certificateUserBindings": []any{
			map[string]any{"x509CertificateField": "PrincipalName", "userProperty": "userPrincipalName", "priority": 1},
			map[string]any{"x509CertificateField": "RFC822Name", "userProperty": "userPrincipalName", "priority": 1}}}, 400, "priority"},
		{"x509 mode", "X509Certificate", map[string]any{"@odata.type": x509, "authenticationModeConfiguration": map[string]any{"x509CertificateAuthenticationDefaultMode": "single"}}, 400, "x509CertificateAuthenticationDefaultMode"},
		{"x509 rule type", "X509Certificate", map[string]any{"@odata.type": x509, "authenticationModeConfiguration": map[string]any{"rules": []any{map[string]any{"identifier": "1.2.3", "x509CertificateAuthenticationMode": "x509CertificateMultiFactor", "x509CertificateRuleType": "oid"}}}}, 400, "x509CertificateRuleType"},
		{"unknown configuration", "Passkey", map[string]any{"@odata.type": fido}, 404, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := call(t, s, appRW, "PATCH", configsPath+c.id, c.body)
			mustStatus(t, r, c.want)
			e := obj(r.json(t)["error"])
			if msg, _ := e["message"].(string); !strings.Contains(msg, c.msg) {
				t.Errorf("message %q does not mention %q", msg, c.msg)
			}
		})
	}
	for _, id := range configIDs {
		if jsonOf(t, mustConfig(t, s, id)) != before[id] {
			t.Errorf("%s changed by refused PATCHes", id)
		}
	}
	// A valid X509 rule set is accepted.
	mustStatus(t, call(t, s, appRW, "PATCH", configsPath+"x509certificate", map[string]any{"@odata.type": x509,
		"authenticationModeConfiguration": map[string]any{"rules": []any{map[string]any{"identifier": "1.2.3", "x509CertificateAuthenticationMode": "x509CertificateMultiFactor", "x509CertificateRuleType": "policyOID"}}}}), 204)
	if m := obj(mustConfig(t, s, "X509Certificate")["authenticationModeConfiguration"]); m["x509CertificateAuthenticationDefaultMode"] != "x509CertificateSingleFactor" || len(arr(m["rules"])) != 1 {
		t.Errorf("x509 mode configuration: %v", m)
	}
}

// TestMethodConfigurationPermissions: reads need a policy read or write
// role, writes the write role.
func TestMethodConfigurationPermissions(t *testing.T) {
	s := startTest(t, Options{})
	body := map[string]any{"@odata.type": "#microsoft.graph.voiceAuthenticationMethodConfiguration", "state": "enabled"}
	for _, c := range []struct {
		tok, method, path string
		body              any
		want              int
	}{
		{appNone, "GET", configsPath + "Voice", nil, 403},
		{appGran, "GET", rootPath, nil, 403},
		{appPolicyRead, "GET", configsPath + "Voice", nil, 200},
		{appRO, "GET", rootPath, nil, 200},
		{appRO, "PATCH", configsPath + "Voice", body, 403},
		{appPolicyRead, "PATCH", rootPath, map[string]any{"policyMigrationState": "preMigration"}, 403},
		{appRW, "PATCH", configsPath + "Voice", body, 204},
		{appRW, "DELETE", configsPath + "Voice", nil, 405},
	} {
		r := call(t, s, c.tok, c.method, c.path, c.body)
		if r.Status != c.want {
			t.Errorf("%s %s: %d, want %d (%s)", c.method, c.path, r.Status, c.want, r.Body)
		}
		if c.want == 403 && r.errorCode(t) != "Authorization_RequestDenied" {
			t.Errorf("%s %s: code %s", c.method, c.path, r.errorCode(t))
		}
	}
}

// TestPolicyRootPatch: the campaign and policyMigrationState are written,
// the answer is 200 with the root, read-only and unknown properties are 400.
func TestPolicyRootPatch(t *testing.T) {
	s := startTest(t, Options{})
	r := call(t, s, appRW, "PATCH", rootPath, map[string]any{
		"registrationEnforcement": map[string]any{"authenticationMethodsRegistrationCampaign": map[string]any{
			"state": "enabled", "snoozeDurationInDays": 3,
			"includeTargets": []any{map[string]any{"id": groupSMS, "targetType": "group"}},
		}},
		"policyMigrationState": "migrationInProgress",
	})
	mustStatus(t, r, 200)
	root := r.json(t)
	if root["policyMigrationState"] != "migrationInProgress" || root["authenticationMethodConfigurations"] == nil {
		t.Errorf("answer: %v", root)
	}
	c, err := s.RegistrationCampaign(tenantID)
	if err != nil {
		t.Fatal(err)
	}
	if c["state"] != "enabled" || c["snoozeDurationInDays"] != 3.0 || c["enforceRegistrationAfterAllowedSnoozes"] != true ||
		jsonOf(t, c["includeTargets"]) != `[{"id":"`+groupSMS+`","targetType":"group","targetedAuthenticationMethod":"microsoftAuthenticator"}]` {
		t.Errorf("campaign: %v", c)
	}
	camp := func(m map[string]any) map[string]any {
		return map[string]any{"registrationEnforcement": map[string]any{"authenticationMethodsRegistrationCampaign": m}}
	}
	for _, c := range []struct {
		name string
		body map[string]any
		msg  string
	}{
		{"displayName", map[string]any{"displayName": "x"}, "read-only"},
		{"policyVersion", map[string]any{"policyVersion": "2"}, "read-only"},
		{"configurations", map[string]any{"authenticationMethodConfigurations": []any{}}, "read-only"},
		{"unknown", map[string]any{"systemCredentialPreferences": map[string]any{}}, "does not exist"},
		{"migration", map[string]any{"policyMigrationState": "done"}, "policyMigrationState"},
		{"campaign state", camp(map[string]any{"state": "on"}), "state"},
		{"snooze", camp(map[string]any{"snoozeDurationInDays": 15}), "snoozeDurationInDays"},
		{"snooze negative", camp(map[string]any{"snoozeDurationInDays": -1}), "snoozeDurationInDays"},
		{"method", camp(map[string]any{"includeTargets": []any{map[string]any{"id": AllUsers, "targetType": "group", "targetedAuthenticationMethod": "sms"}}}), "targetedAuthenticationMethod"},
		{"unknown user", camp(map[string]any{"excludeTargets": []any{map[string]any{"id": "11111111-0000-4000-8000-000000000009", "targetType": "user"}}}), "not a user or group"},
	} {
		r := call(t, s, appRW, "PATCH", rootPath, c.body)
		if r.Status != 400 || !strings.Contains(string(r.Body), c.msg) {
			t.Errorf("%s: %d %s", c.name, r.Status, r.Body)
		}
	}
	if got, _ := s.RegistrationCampaign(tenantID); got["snoozeDurationInDays"] != 3.0 {
		t.Errorf("refused PATCHes changed the campaign: %v", got)
	}
}

// TestPatchNotApplied: the switch answers success and changes nothing,
// for a configuration, SMS and the root, n times or always.
func TestPatchNotApplied(t *testing.T) {
	s := startTest(t, Options{})
	fido := map[string]any{"@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration", "state": "enabled"}
	if err := s.SetPatchNotApplied(tenantID, "FIDO2", 1); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, call(t, s, appRW, "PATCH", configsPath+"Fido2", fido), 204)
	if mustConfig(t, s, "Fido2")["state"] != "disabled" {
		t.Fatal("the first PATCH was applied")
	}
	mustStatus(t, call(t, s, appRW, "PATCH", configsPath+"Fido2", fido), 204)
	if mustConfig(t, s, "Fido2")["state"] != "enabled" {
		t.Fatal("the second PATCH was not applied")
	}
	// A PATCH Graph refuses is still refused (and does not use up the count).
	if err := s.SetPatchNotApplied(tenantID, "sms", -1); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, call(t, s, appRW, "PATCH", configsPath+"sms", map[string]any{"@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration", "state": "off"}), 400)
	for range 2 {
		mustStatus(t, call(t, s, appRW, "PATCH", configsPath+"sms", map[string]any{"@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration", "state": "disabled"}), 204)
	}
	if p, _ := s.SMSPolicy(tenantID); p.State != "enabled" {
		t.Fatalf("sms PATCH applied: %v", p.State)
	}
	// The root: 200 with the unchanged root, through the admin route.
	if st := admin(t, s, "PUT", "/tenants/"+tenantID+"/methodConfigurations/authenticationMethodsPolicy/patchNotApplied", `{"count": 1}`, nil); st != 204 {
		t.Fatalf("admin patchNotApplied: %d", st)
	}
	r := call(t, s, appRW, "PATCH", rootPath, map[string]any{"policyMigrationState": "preMigration"})
	mustStatus(t, r, 200)
	if r.json(t)["policyMigrationState"] != "migrationComplete" {
		t.Errorf("root answer shows a change: %s", r.Body)
	}
	mustStatus(t, call(t, s, appRW, "PATCH", rootPath, map[string]any{"policyMigrationState": "preMigration"}), 200)
	if root, _ := s.AuthenticationMethodsPolicy(tenantID); root["policyMigrationState"] != "preMigration" {
		t.Errorf("second root PATCH not applied: %v", root["policyMigrationState"])
	}
	if err := s.SetPatchNotApplied(tenantID, "Passkey", 1); err == nil {
		t.Error("unknown configuration accepted")
	}
}

// TestMethodConfigurationOutOfBand: the Go and admin API change and read
// configurations and the campaign without a token.
func TestMethodConfigurationOutOfBand(t *testing.T) {
	s := startTest(t, Options{})
	cfg := mustConfig(t, s, "MicrosoftAuthenticator")
	cfg["state"] = "enabled"
	cfg["isSoftwareOathEnabled"] = true
	// What was read (numberMatchingRequiredState included) can be written back out of band.
	if err := s.SetMethodConfiguration(tenantID, "microsoftauthenticator", cfg); err != nil {
		t.Fatal(err)
	}
	if got := mustConfig(t, s, "MicrosoftAuthenticator"); jsonOf(t, got) != jsonOf(t, cfg) {
		t.Errorf("round trip:\n%s\n%s", jsonOf(t, got), jsonOf(t, cfg))
	}
	if err := s.SetMethodConfiguration(tenantID, "Email", map[string]any{"allowExternalIdToUseEmailOtp": "maybe"}); err == nil {
		t.Error("invalid out-of-band value accepted")
	}
	if err := s.SetMethodConfiguration(tenantID, "Sms", map[string]any{"state": "enabled"}); err == nil {
		t.Error("SMS accepted by SetMethodConfiguration")
	}
	if err := s.SetRegistrationCampaign(tenantID, map[string]any{"state": "disabled"}); err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if st := admin(t, s, "GET", "/tenants/"+tenantID+"/registrationCampaign", "", &c); st != 200 || c["state"] != "disabled" {
		t.Errorf("admin campaign: %d %v", st, c)
	}
	if st := admin(t, s, "PUT", "/tenants/"+tenantID+"/registrationCampaign", `{"snoozeDurationInDays": 30}`, nil); st != 400 {
		t.Errorf("admin campaign invalid: %d", st)
	}
	if st := admin(t, s, "PUT", "/tenants/"+tenantID+"/methodConfigurations/Voice", `{"isOfficePhoneAllowed": true}`, nil); st != 204 {
		t.Errorf("admin put: %d", st)
	}
	var v map[string]any
	if st := admin(t, s, "GET", "/tenants/"+tenantID+"/methodConfigurations/voice", "", &v); st != 200 || v["isOfficePhoneAllowed"] != true {
		t.Errorf("admin get: %d %v", st, v)
	}
	if st := admin(t, s, "GET", "/tenants/"+tenantID+"/methodConfigurations/Passkey", "", nil); st != 404 {
		t.Errorf("admin unknown: %d", st)
	}
	var root map[string]any
	if st := admin(t, s, "GET", "/tenants/"+tenantID+"/authenticationMethodsPolicy", "", &root); st != 200 || root["id"] != "authenticationMethodsPolicy" {
		t.Errorf("admin root: %d", st)
	}
}

// TestMethodConfigurationOpsAndFaults: the new operations are logged, the
// "policy" fault group matches them, writes count as writes.
func TestMethodConfigurationOpsAndFaults(t *testing.T) {
	s := startTest(t, Options{})
	if _, err := s.AddFaults(Fault{Kind: FaultThrottle, Match: "policy", Count: 4, RetryAfterSeconds: 1}); err != nil {
		t.Fatal(err)
	}
	body := map[string]any{"@odata.type": "#microsoft.graph.emailAuthenticationMethodConfiguration", "state": "disabled"}
	for _, c := range []struct{ method, path, op string }{
		{"GET", configsPath + "Email", OpMethodConfigurationGet},
		{"PATCH", configsPath + "Email", OpMethodConfigurationUpdate},
		{"GET", rootPath, OpPolicyRootGet},
		{"PATCH", rootPath, OpPolicyRootUpdate},
	} {
		var b any
		if c.method == "PATCH" {
			b = body
			if c.path == rootPath {
				b = map[string]any{"policyMigrationState": "preMigration"}
			}
		}
		mustStatus(t, call(t, s, appRW, c.method, c.path, b), 429)
		if n := len(s.RequestLog(RequestLogFilter{Operation: c.op, Status: 429})); n != 1 {
			t.Errorf("%s: %d log entries", c.op, n)
		}
	}
	if !isWrite(OpMethodConfigurationUpdate) || !isWrite(OpPolicyRootUpdate) || isWrite(OpMethodConfigurationGet) {
		t.Error("isWrite")
	}
	if _, err := s.SetFaults(Fault{Kind: FaultThrottle, Match: "phone"}); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, call(t, s, appRW, "GET", configsPath+"Email", nil), 200)
	// A lost response: the PATCH is applied, the client sees nothing.
	if _, err := s.SetFaults(Fault{Kind: FaultDrop, Match: OpMethodConfigurationUpdate, Count: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := tryCall(s, appRW, "PATCH", configsPath+"Email", body); err == nil {
		t.Error("drop: the client got a response")
	}
	if mustConfig(t, s, "Email")["state"] != "disabled" {
		t.Error("drop: not applied")
	}
}

// TestSeedPatchNotApplied: the seed sets the not-applied switch and
// refuses an id that is no configuration.
func TestSeedPatchNotApplied(t *testing.T) {
	s := startTest(t, Options{})
	sd, err := ParseSeed([]byte(`{"tenants": [{"id": "` + tenantID + `", "patchNotApplied": {"fido2": 1}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ApplySeed(sd); err != nil {
		t.Fatal(err)
	}
	fido := map[string]any{"@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration", "state": "enabled"}
	mustStatus(t, call(t, s, appRW, "PATCH", configsPath+"Fido2", fido), 204)
	if mustConfig(t, s, "Fido2")["state"] != "disabled" {
		t.Fatal("seeded switch: the PATCH was applied")
	}
	sd, err = ParseSeed([]byte(`{"tenants": [{"id": "` + tenantID + `", "patchNotApplied": {"Passkey": 1}}]}`))
	if err == nil {
		err = sd.Validate()
	}
	if err == nil || !strings.Contains(err.Error(), "patchNotApplied") {
		t.Fatalf("unknown id: %v", err)
	}
}

// obj and arr read a JSON value of the expected shape (nothing for
// another shape, which the assertions then report).
func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func arr(v any) []any {
	a, _ := v.([]any)
	return a
}
