package mockgraph

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// admin sends an admin API request (no token) and decodes JSON into out.
func admin(t *testing.T, s *Server, method, path, body string, out any) int {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, s.AdminURL()+path, rd)
	resp, err := testClient(s).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
	return resp.StatusCode
}

func TestAdminAPI(t *testing.T) {
	s := startTest(t, Options{})
	expect := func(name string, got, want int) {
		t.Helper()
		if got != want {
			t.Fatalf("%s: status %d, want %d", name, got, want)
		}
	}
	var health map[string]string
	expect("health", admin(t, s, "GET", "/health", "", &health), 200)
	var info Info
	expect("info", admin(t, s, "GET", "/info", "", &info), 200)
	if info.GraphEndpoint != s.GraphEndpoint() || len(info.Tenants) != 2 {
		t.Fatalf("info %+v", info)
	}
	var idx map[string]any
	expect("index", admin(t, s, "GET", "/", "", &idx), 200)

	// Seed more state.
	seed := `{"tenants":[{"id":"` + tenantID + `","users":[{"id":"ffffffff-0000-4000-8000-000000000006","userPrincipalName":"frank@one.example","phoneMethods":[{"phoneType":"mobile","phoneNumber":"+1 5555550066","smsSignInEnabled":true}]}]}]}`
	expect("seed", admin(t, s, "POST", "/seed", seed, nil), 200)
	expect("bad seed", admin(t, s, "POST", "/seed", `{"tenants":[{"id":"x","bogus":1}]}`, nil), 400)
	var tenants []TenantInfo
	expect("tenants", admin(t, s, "GET", "/tenants", "", &tenants), 200)
	if tenants[0].Users != 5 || tenants[0].PhoneMethods != 1 {
		t.Fatalf("tenants %+v", tenants)
	}
	var users []UserView
	expect("users", admin(t, s, "GET", "/tenants/one.example/users", "", &users), 200)
	if len(users) != 5 || users[0].UserPrincipalName != aliceUPN {
		t.Fatalf("users %+v", users)
	}
	var frank UserView
	expect("user by UPN", admin(t, s, "GET", "/tenants/"+tenantID+"/users/FRANK@one.example", "", &frank), 200)
	if len(frank.PhoneMethods) != 1 || frank.PhoneMethods[0].SMSSignInState != "ready" {
		t.Fatalf("frank %+v", frank)
	}
	expect("unknown tenant", admin(t, s, "GET", "/tenants/nope/users", "", nil), 404)
	expect("unknown user", admin(t, s, "GET", "/tenants/"+tenantID+"/users/nope", "", nil), 404)

	// Out-of-band changes.
	base := "/tenants/" + tenantID + "/users/" + aliceID + "/phoneMethods/"
	expect("put phone", admin(t, s, "PUT", base+MobileMethodID, `{"phoneNumber":"+1 5555550001","smsSignInEnabled":true}`, nil), 204)
	expect("patch number", admin(t, s, "PATCH", base+MobileMethodID, `{"phoneNumber":"+1 5555550011"}`, nil), 204)
	expect("disable sms", admin(t, s, "PATCH", base+MobileMethodID, `{"smsSignInEnabled":false}`, nil), 204)
	var list struct{ Value []PhoneMethod }
	expect("list phones", admin(t, s, "GET", "/tenants/"+tenantID+"/users/"+aliceID+"/phoneMethods", "", &list), 200)
	if len(list.Value) != 1 || list.Value[0].PhoneNumber != "+1 5555550011" || list.Value[0].SMSSignInState != "notEnabled" {
		t.Fatalf("after out-of-band changes: %+v", list)
	}
	// The Graph side sees the drift.
	if got := call(t, s, appRW, "GET", phonePath(aliceID, MobileMethodID), nil).json(t)["phoneNumber"]; got != "+1 5555550011" {
		t.Fatalf("graph sees %v", got)
	}
	expect("delete phone", admin(t, s, "DELETE", base+MobileMethodID, "", nil), 204)
	expect("delete again", admin(t, s, "DELETE", base+MobileMethodID, "", nil), 404)
	mustStatus(t, call(t, s, appRW, "GET", phonePath(aliceID, MobileMethodID), nil), 404)

	// Policy.
	var p SMSPolicy
	expect("get policy", admin(t, s, "GET", "/tenants/"+tenantID+"/smsPolicy", "", &p), 200)
	expect("put policy", admin(t, s, "PUT", "/tenants/"+tenantID+"/smsPolicy", `{"state":"disabled","includeTargets":[],"excludeTargets":[]}`, nil), 204)
	expect("bad policy", admin(t, s, "PUT", "/tenants/"+tenantID+"/smsPolicy", `{"state":"maybe"}`, nil), 400)
	if frank, _ := s.User(tenantID, "frank@one.example"); frank.PhoneMethods[0].SMSSignInState != "notAllowedByPolicy" {
		t.Fatalf("policy change not re-derived: %+v", frank)
	}

	// Faults.
	var faults []Fault
	expect("add fault", admin(t, s, "POST", "/faults", `{"kind":"throttle","match":"list","count":1,"retry_after_seconds":3}`, &faults), 200)
	expect("replace faults", admin(t, s, "PUT", "/faults", `[{"id":"slow","kind":"latency","latency":"1ms"},{"kind":"unavailable","match":"get","count":1}]`, &faults), 200)
	expect("bad fault", admin(t, s, "POST", "/faults", `{"kind":"nope"}`, nil), 400)
	expect("list faults", admin(t, s, "GET", "/faults", "", &faults), 200)
	if len(faults) != 2 || faults[0].ID != "slow" || faults[1].Remaining != 1 {
		t.Fatalf("faults %+v", faults)
	}
	mustStatus(t, call(t, s, appRW, "GET", phonePath(aliceID, MobileMethodID), nil), 503)
	expect("remove fault", admin(t, s, "DELETE", "/faults/slow", "", nil), 204)
	expect("remove missing fault", admin(t, s, "DELETE", "/faults/slow", "", nil), 404)
	expect("clear faults", admin(t, s, "DELETE", "/faults", "", nil), 204)

	// Write budget.
	var wb WriteBudget
	expect("set budget", admin(t, s, "PUT", "/writeBudget", `{"capacity":5,"window":"1s"}`, &wb), 200)
	if wb.Capacity != 5 || wb.Window != Duration(1e9) {
		t.Fatalf("budget %+v", wb)
	}
	var rb ReadBudget
	expect("read budget", admin(t, s, "GET", "/readBudget", "", &rb), 200)
	if rb != GraphReadBudget {
		t.Fatalf("default read budget %+v", rb)
	}
	expect("set read budget", admin(t, s, "PUT", "/readBudget", `{"capacity":7,"window":"2s"}`, &rb), 200)
	if rb.Capacity != 7 || rb.Window != Duration(2e9) || s.ReadBudget() != rb || s.WriteBudget() != wb {
		t.Fatalf("read budget %+v (server %+v), write budget %+v", rb, s.ReadBudget(), s.WriteBudget())
	}

	// Request log.
	var log []RequestLogEntry
	expect("log", admin(t, s, "GET", "/requests?method=GET&status=503", "", &log), 200)
	if len(log) != 1 || log[0].Operation != OpGet || log[0].Fault != FaultUnavailable || log[0].RequestID == "" || log[0].Time.IsZero() {
		t.Fatalf("log %+v", log)
	}
	expect("log by prefix", admin(t, s, "GET", "/requests?path_prefix=/v1.0/users/"+aliceID, "", &log), 200)
	if len(log) != 3 {
		t.Fatalf("log by prefix: %d entries", len(log))
	}
	expect("bad since", admin(t, s, "GET", "/requests?since=yesterday", "", nil), 400)
	expect("reset log", admin(t, s, "DELETE", "/requests", "", nil), 204)
	expect("log after reset", admin(t, s, "GET", "/requests", "", &log), 200)
	if len(log) != 0 {
		t.Fatalf("log not reset: %d", len(log))
	}

	expect("unknown route", admin(t, s, "GET", "/nope", "", nil), 404)
}

// TestAdminMintDelegatedToken uses the real authority: the token it mints
// must pass Authenticate and resolve /me.
func TestAdminMintDelegatedToken(t *testing.T) {
	s, err := Start(Options{CA: sharedCA(t), Seed: testSeed()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	if err := s.SetPhoneMethodOutOfBand(tenantID, aliceID, "mobile", "+1 5555550001", false); err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
	}
	if st := admin(t, s, "POST", "/tokens/delegated", `{"tenant":"one.example","user":"alice@one.example","scopes":["UserAuthenticationMethod.ReadWrite"],"ttl":"10m"}`, &tok); st != 200 || tok.AccessToken == "" {
		t.Fatalf("mint: %d %+v", st, tok)
	}
	r := call(t, s, tok.AccessToken, "GET", "/v1.0/me/authentication/phoneMethods", nil)
	mustStatus(t, r, 200)
	if !strings.Contains(string(r.Body), "+1 5555550001") {
		t.Fatalf("/me list: %s", r.Body)
	}
	mustStatus(t, call(t, s, tok.AccessToken, "POST", "/v1.0/me/authentication/phoneMethods/"+MobileMethodID+"/enableSmsSignIn", nil), 204)
	if st := admin(t, s, "POST", "/tokens/delegated", `{"tenant":"one.example","user":"ghost"}`, nil); st != 404 {
		t.Fatalf("mint for unknown user: %d", st)
	}
}

// TestAdminUserMethods drives the email, pass and all-methods admin routes.
func TestAdminUserMethods(t *testing.T) {
	s := startTest(t, Options{})
	u := "/tenants/one.example/users/" + aliceUPN
	if st := admin(t, s, "GET", u+"/emailMethod", "", nil); st != 204 {
		t.Fatalf("email of a user without one: %d", st)
	}
	if st := admin(t, s, "PUT", u+"/emailMethod", `{"emailAddress":"alice@home.example"}`, nil); st != 204 {
		t.Fatalf("put email: %d", st)
	}
	if st := admin(t, s, "PUT", u+"/emailMethod", `{"emailAddress":"bad"}`, nil); st != 400 {
		t.Fatalf("put bad email: %d", st)
	}
	var em EmailMethod
	if st := admin(t, s, "GET", u+"/emailMethod", "", &em); st != 200 || em.EmailAddress != "alice@home.example" || em.ID != EmailMethodID {
		t.Fatalf("get email: %d %+v", st, em)
	}
	if st := admin(t, s, "DELETE", u+"/emailMethod", "", nil); st != 204 {
		t.Fatalf("delete email: %d", st)
	}
	if st := admin(t, s, "DELETE", u+"/emailMethod", "", nil); st != 404 {
		t.Fatalf("delete missing email: %d", st)
	}
	var tap TemporaryAccessPass
	if st := admin(t, s, "POST", u+"/temporaryAccessPasses", `{"id":"tap-1","lifetimeInMinutes":60}`, &tap); st != 200 || tap.ID != "tap-1" || len(tap.Pass) != 8 {
		t.Fatalf("post pass: %d %+v", st, tap)
	}
	if st := admin(t, s, "PUT", u+"/temporaryAccessPasses/tap-1/usability", `{"reason":"Expired"}`, nil); st != 204 {
		t.Fatalf("usability: %d", st)
	}
	var taps []TemporaryAccessPass
	if st := admin(t, s, "GET", u+"/temporaryAccessPasses", "", &taps); st != 200 || len(taps) != 1 || taps[0].MethodUsabilityReason != TAPExpired || taps[0].Pass != tap.Pass {
		t.Fatalf("get passes: %d %+v", st, taps)
	}
	if st := admin(t, s, "DELETE", u+"/temporaryAccessPasses/tap-1", "", nil); st != 204 {
		t.Fatalf("delete pass: %d", st)
	}
	if st := admin(t, s, "DELETE", u+"/temporaryAccessPasses/tap-1", "", nil); st != 404 {
		t.Fatalf("delete missing pass: %d", st)
	}
	if st := admin(t, s, "PUT", "/tenants/one.example/temporaryAccessPassReplaces", `{"on":false}`, nil); st != 204 {
		t.Fatalf("replaces: %d", st)
	}
	var id struct{ ID string }
	if st := admin(t, s, "POST", u+"/authenticationMethods", `{"@odata.type":"#microsoft.graph.fido2AuthenticationMethod","model":"YubiKey"}`, &id); st != 200 || id.ID == "" {
		t.Fatalf("post method: %d %+v", st, id)
	}
	if st := admin(t, s, "POST", u+"/authenticationMethods", `{"model":"no type"}`, nil); st != 400 {
		t.Fatalf("post method without type: %d", st)
	}
	var list struct{ Value []map[string]any }
	if st := admin(t, s, "GET", u+"/authenticationMethods", "", &list); st != 200 || len(list.Value) != 2 || list.Value[1]["id"] != id.ID {
		t.Fatalf("get methods: %d %+v", st, list)
	}
}
