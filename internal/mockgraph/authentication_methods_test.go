package mockgraph

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph/identity"
)

func methodsPath(user string) string { return "/v1.0/users/" + user + "/authentication/methods" }

// seedEveryMethod gives alice one method of every kind.
func seedEveryMethod(t *testing.T, s *Server) map[string]string {
	t.Helper()
	if err := s.SetPhoneMethodOutOfBand(tenantID, aliceID, "mobile", "+1 5555550100", false); err != nil {
		t.Fatal(err)
	}
	if err := s.SetEmailMethodOutOfBand(tenantID, aliceID, "alice@home.example"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddTemporaryAccessPassOutOfBand(tenantID, aliceID, TemporaryAccessPass{ID: "tap-1"}); err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, m := range []map[string]any{
		{"@odata.type": "#microsoft.graph.fido2AuthenticationMethod", "id": "fido-1", "displayName": "YubiKey 5", "aaGuid": "cb69481e-8ff7-4039-93ec-0a2729a154a8", "model": "YubiKey 5 NFC", "attestationLevel": "attested"},
		{"@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod", "displayName": "Pixel", "deviceTag": "SoftwareTokenActivated", "phoneAppVersion": "6.2401.0119"},
		{"@odata.type": "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod", "displayName": "LAPTOP-1", "keyStrength": "normal"},
		{"@odata.type": "#microsoft.graph.softwareOathAuthenticationMethod", "secretKey": "must-not-show"},
		{"@odata.type": "#microsoft.graph.platformCredentialAuthenticationMethod", "displayName": "Mac", "platform": "macOS"},
		{"@odata.type": "#microsoft.graph.hardwareOathAuthenticationMethod", "serialNumber": "123456"},
	} {
		id, err := s.AddAuthenticationMethod(tenantID, aliceUPN, m)
		if err != nil {
			t.Fatal(err)
		}
		typ, _ := m["@odata.type"].(string)
		ids[typ] = id
	}
	return ids
}

func TestAuthenticationMethodsListsEveryType(t *testing.T) {
	s := startTest(t, Options{})
	ids := seedEveryMethod(t, s)
	if ids["#microsoft.graph.fido2AuthenticationMethod"] != "fido-1" || ids["#microsoft.graph.hardwareOathAuthenticationMethod"] == "" {
		t.Fatalf("ids: %v", ids)
	}
	r := call(t, s, appRW, "GET", methodsPath(aliceUPN), nil)
	mustStatus(t, r, 200)
	vals, _ := r.json(t)["value"].([]any)
	var types []string
	byType := map[string]map[string]any{}
	for _, m := range r.items(t) {
		typ, _ := m["@odata.type"].(string)
		types = append(types, typ)
		byType[typ] = m
	}
	want := []string{"#microsoft.graph.passwordAuthenticationMethod", "#microsoft.graph.phoneAuthenticationMethod",
		"#microsoft.graph.emailAuthenticationMethod", "#microsoft.graph.temporaryAccessPassAuthenticationMethod",
		"#microsoft.graph.fido2AuthenticationMethod", "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
		"#microsoft.graph.windowsHelloForBusinessAuthenticationMethod", "#microsoft.graph.softwareOathAuthenticationMethod",
		"#microsoft.graph.platformCredentialAuthenticationMethod", "#microsoft.graph.hardwareOathAuthenticationMethod"}
	if !reflect.DeepEqual(types, want) {
		t.Fatalf("types %v, want %v", types, want)
	}
	pw := byType[want[0]]
	if pw["id"] != PasswordMethodID || pw["password"] != nil || pw["createdDateTime"] == nil {
		t.Fatalf("password: %v", pw)
	}
	if p := byType[want[1]]; p["phoneNumber"] != "+1 5555550100" || p["phoneType"] != "mobile" || p["smsSignInState"] == nil {
		t.Fatalf("phone: %v", p)
	}
	if e := byType[want[2]]; e["id"] != EmailMethodID || e["emailAddress"] != "alice@home.example" {
		t.Fatalf("email: %v", e)
	}
	if tp, ok := byType[want[3]]["temporaryAccessPass"]; !ok || tp != nil {
		t.Fatalf("pass shown: %v", byType[want[3]])
	}
	if f := byType[want[4]]; f["model"] != "YubiKey 5 NFC" || f["createdDateTime"] == nil || !reflect.DeepEqual(f["attestationCertificates"], []any{}) {
		t.Fatalf("fido2: %v", f)
	}
	if o, ok := byType[want[7]]["secretKey"]; !ok || o != nil {
		t.Fatalf("software OATH secretKey: %v", byType[want[7]])
	}
	if h := byType[want[9]]; h["serialNumber"] != "123456" || len(h) != 3 {
		t.Fatalf("unknown type not listed as given: %v", h)
	}
	// The control API returns what GET returns, in the same order.
	got, err := s.AuthenticationMethods(tenantID, aliceID)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(got)
	var norm []any
	_ = json.Unmarshal(b, &norm)
	if !reflect.DeepEqual(norm, vals) {
		t.Fatalf("AuthenticationMethods differs from GET:\n%s\n%s", b, r.Body)
	}
	g := call(t, s, appRW, "GET", methodsPath(aliceID)+"/FIDO-1", nil)
	mustStatus(t, g, 200)
	if g.json(t)["displayName"] != "YubiKey 5" || g.json(t)["@odata.context"] == nil {
		t.Fatalf("get: %s", g.Body)
	}
	mustStatus(t, call(t, s, appRW, "GET", methodsPath(aliceID)+"/"+PasswordMethodID, nil), 200)
	mustStatus(t, call(t, s, appRW, "GET", methodsPath(aliceID)+"/"+MobileMethodID, nil), 200)
	mustRefuse(t, call(t, s, appRW, "GET", methodsPath(aliceID)+"/nope", nil), 404, "itemNotFound", "")
	// Every user has a password.
	b2 := call(t, s, appRW, "GET", methodsPath(bobID), nil).items(t)
	if len(b2) != 1 || b2[0]["id"] != PasswordMethodID {
		t.Fatalf("bob: %v", b2)
	}
}

func TestAuthenticationMethodsMaskingMeAndFaults(t *testing.T) {
	s := startTest(t, Options{})
	seedEveryMethod(t, s)
	authAdmin := fakeToken(identity.Principal{TenantID: tenantID, UserID: bobID, Scopes: []string{"UserAuthenticationMethod.Read.All"}, DirectoryRoles: []string{roleAuthAdmin}})
	vals := call(t, s, authAdmin, "GET", methodsPath(aliceID), nil).items(t)
	if p := vals[1]; p["phoneNumber"] != "+1 XXXXXXXX00" {
		t.Fatalf("an Authentication Administrator sees %v", p["phoneNumber"])
	}
	me := fakeToken(identity.Principal{TenantID: tenantID, UserID: aliceID, Scopes: []string{"UserAuthenticationMethod.Read"}})
	mine := call(t, s, me, "GET", "/v1.0/me/authentication/methods", nil)
	mustStatus(t, mine, 200)
	if p := mine.items(t)[1]; p["phoneNumber"] != "+1 5555550100" {
		t.Fatalf("own number masked: %v", p)
	}
	mustStatus(t, call(t, s, me, "GET", "/v1.0/me/authentication/methods/fido-1", nil), 200)
	mustStatus(t, call(t, s, appGran, "GET", methodsPath(aliceID), nil), 403)
	mustStatus(t, call(t, s, appRO, "GET", methodsPath(aliceID), nil), 200)
	for _, op := range []string{OpMethodList, OpMethodGet} {
		if _, err := s.AddFaults(Fault{Kind: FaultGatewayTimeout, Match: op, Count: 1}); err != nil {
			t.Fatal(err)
		}
	}
	mustStatus(t, call(t, s, appRW, "GET", methodsPath(aliceID), nil), 504)
	mustStatus(t, call(t, s, appRW, "GET", methodsPath(aliceID)+"/fido-1", nil), 504)
	for _, op := range []string{OpMethodList, OpMethodGet} {
		if log := s.RequestLog(RequestLogFilter{Operation: op, Status: 504}); len(log) != 1 || log[0].Fault != FaultGatewayTimeout {
			t.Fatalf("request log of %s: %+v", op, log)
		}
	}
}

func TestAddAuthenticationMethodRefusals(t *testing.T) {
	s := startTest(t, Options{})
	for _, m := range []map[string]any{
		{"displayName": "no type"},
		{"@odata.type": ""},
		{"@odata.type": "#microsoft.graph.phoneAuthenticationMethod"},
		{"@odata.type": "microsoft.graph.passwordAuthenticationMethod"},
		{"@odata.type": "#microsoft.graph.fido2AuthenticationMethod", "id": PasswordMethodID},
	} {
		if _, err := s.AddAuthenticationMethod(tenantID, aliceID, m); err == nil {
			t.Errorf("accepted %v", m)
		}
	}
	if _, err := s.AddAuthenticationMethod(tenantID, "nobody", map[string]any{"@odata.type": "#x"}); err == nil {
		t.Error("unknown user accepted")
	}
}
