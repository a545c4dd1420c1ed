package mockgraph

import (
	"errors"
	"net/http"
	"testing"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph/identity"
)

func emailsPath(user string) string { return "/v1.0/users/" + user + "/authentication/emailMethods" }

func emailPath(user string) string { return emailsPath(user) + "/" + EmailMethodID }

// errorMessage returns error.message of a Graph error body.
func (r response) errorMessage(t testing.TB) string {
	t.Helper()
	e, _ := r.json(t)["error"].(map[string]any)
	m, _ := e["message"].(string)
	return m
}

func mustRefuse(t testing.TB, r response, status int, code, msg string) {
	t.Helper()
	mustStatus(t, r, status)
	if got := r.errorCode(t); got != code {
		t.Fatalf("code %q, want %q: %s", got, code, r.Body)
	}
	if msg != "" && r.errorMessage(t) != msg {
		t.Fatalf("message %q, want %q", r.errorMessage(t), msg)
	}
}

func TestEmailMethodLifecycle(t *testing.T) {
	s := startTest(t, Options{})
	mustStatus(t, call(t, s, appRW, "GET", emailPath(aliceID), nil), 404)
	r := call(t, s, appRW, "POST", emailsPath(aliceUPN), map[string]any{"emailAddress": "alice@home.example"})
	mustStatus(t, r, 201)
	if m := r.json(t); m["id"] != EmailMethodID || m["emailAddress"] != "alice@home.example" {
		t.Fatalf("create answered %v", m)
	}
	// One per user: a second create is refused (chosen answer).
	mustRefuse(t, call(t, s, appRW, "POST", emailsPath(aliceID), map[string]any{"emailAddress": "x@y.example"}), 400, "badRequest", ruleTable[ruleEmailMethodExists].Message)
	list := call(t, s, appRW, "GET", emailsPath(aliceID), nil)
	mustStatus(t, list, 200)
	if v, _ := list.json(t)["value"].([]any); len(v) != 1 {
		t.Fatalf("list: %s", list.Body)
	}
	// PATCH answers 204 (v1.0 update page); @odata.type in its body is refused as observed.
	mustStatus(t, call(t, s, appRW, "PATCH", emailPath(aliceID), map[string]any{"emailAddress": "alice@new.example"}), 204)
	mustRefuse(t, call(t, s, appRW, "PATCH", emailPath(aliceID), map[string]any{"@odata.type": "#microsoft.graph.emailAuthenticationMethod", "emailAddress": "a@b.example"}),
		400, "badRequest", "Unable to parse request body as an authentication method.")
	g := call(t, s, appRW, "GET", "/v1.0/users/ALICE@one.example/authentication/EMAILMETHODS/"+EmailMethodID, nil)
	mustStatus(t, g, 200)
	if g.json(t)["emailAddress"] != "alice@new.example" {
		t.Fatalf("get after update: %s", g.Body)
	}
	mustRefuse(t, call(t, s, appRW, "PATCH", emailPath(aliceID), map[string]any{"emailAddress": "not an address"}), 400, "badRequest", "Invalid email address.")
	mustStatus(t, call(t, s, appRW, "PATCH", emailPath(aliceID), map[string]any{"id": "x", "emailAddress": "a@b.example"}), 400)
	mustStatus(t, call(t, s, appRW, "GET", emailsPath(aliceID)+"/00000000-0000-0000-0000-000000000000", nil), 404)
	mustStatus(t, call(t, s, appRW, "DELETE", emailPath(aliceID), nil), 204)
	mustStatus(t, call(t, s, appRW, "DELETE", emailPath(aliceID), nil), 404)
	mustStatus(t, call(t, s, appRW, "PATCH", emailPath(aliceID), map[string]any{"emailAddress": "a@b.example"}), 404)
	// POST as documented, with the @odata.type the SDKs send.
	mustStatus(t, call(t, s, appRW, "POST", emailsPath(bobID), map[string]any{"@odata.type": "#microsoft.graph.emailAuthenticationMethod", "emailAddress": "bob@home.example"}), 201)
	mustRefuse(t, call(t, s, appRW, "POST", emailsPath(carolID), map[string]any{"emailAddress": "carol"}), 400, "badRequest", "Invalid email address.")
	mustStatus(t, call(t, s, appRW, "POST", emailsPath(carolID), map[string]any{}), 400)
}

func TestEmailMethodMeAndPermissions(t *testing.T) {
	s := startTest(t, Options{})
	if err := s.SetEmailMethodOutOfBand(tenantID, aliceID, "alice@home.example"); err != nil {
		t.Fatal(err)
	}
	me := fakeToken(identity.Principal{TenantID: tenantID, UserID: aliceID, Scopes: []string{"UserAuthenticationMethod.ReadWrite"}})
	mustStatus(t, call(t, s, me, "GET", "/v1.0/me/authentication/emailMethods", nil), 200)
	mustStatus(t, call(t, s, me, "GET", "/v1.0/me/authentication/emailMethods/"+EmailMethodID, nil), 200)
	// /me has no create or update, as the phone routes.
	for _, m := range []string{"POST", "PATCH"} {
		p := "/v1.0/me/authentication/emailMethods"
		if m == "PATCH" {
			p += "/" + EmailMethodID
		}
		mustStatus(t, call(t, s, me, m, p, map[string]any{"emailAddress": "a@b.example"}), 405)
	}
	// Updating one's own email method is not self-service.
	mustStatus(t, call(t, s, me, "PATCH", emailPath(aliceID), map[string]any{"emailAddress": "a@b.example"}), 403)
	mustStatus(t, call(t, s, me, "DELETE", "/v1.0/me/authentication/emailMethods/"+EmailMethodID, nil), 204)
	mustStatus(t, call(t, s, appRW, "GET", "/v1.0/me/authentication/emailMethods", nil), 400)
	// The phone-granular permission does not cover email; the email one does.
	mustRefuse(t, call(t, s, appGran, "GET", emailsPath(bobID), nil), 403, "accessDenied", "")
	appEmail := fakeToken(identity.Principal{TenantID: tenantID, AppID: "app-email", Roles: []string{"UserAuthMethod-Email.ReadWrite.All"}})
	mustStatus(t, call(t, s, appEmail, "POST", emailsPath(bobID), map[string]any{"emailAddress": "bob@home.example"}), 201)
	mustStatus(t, call(t, s, appRO, "POST", emailsPath(carolID), map[string]any{"emailAddress": "c@home.example"}), 403)
	mustStatus(t, call(t, s, appRO, "GET", emailsPath(bobID), nil), 200)
	mustStatus(t, call(t, s, appRW, "GET", emailsPath("nobody@one.example"), nil), 404)
}

func TestEmailMethodControlAPI(t *testing.T) {
	s := startTest(t, Options{})
	if m, err := s.EmailMethod(tenantID, aliceID); m != nil || err != nil {
		t.Fatalf("EmailMethod of a user without one: %v, %v", m, err)
	}
	if err := s.SetEmailMethodOutOfBand(tenantID, aliceUPN, "bad"); err == nil {
		t.Fatal("an invalid address was accepted")
	}
	for _, a := range []string{"one@home.example", "two@home.example"} {
		if err := s.SetEmailMethodOutOfBand(tenantID, aliceUPN, a); err != nil {
			t.Fatal(err)
		}
		m, err := s.EmailMethod(tenantID, aliceID)
		if err != nil || m == nil || m.ID != EmailMethodID || m.EmailAddress != a {
			t.Fatalf("EmailMethod: %+v, %v", m, err)
		}
	}
	if err := s.DeleteEmailMethodOutOfBand(tenantID, aliceID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteEmailMethodOutOfBand(tenantID, aliceID); !errors.Is(err, ErrAuthenticationMethodNotFound) {
		t.Fatalf("second delete: %v", err)
	}
	if _, err := s.EmailMethod(tenantID, "nobody"); !errors.Is(err, ErrUserNotFound) {
		t.Fatalf("unknown user: %v", err)
	}
}

func TestEmailMethodFaultsLogAndLag(t *testing.T) {
	s := startTest(t, Options{})
	if _, err := s.AddFaults(Fault{Kind: FaultThrottle, Match: OpEmailCreate, Count: 1, RetryAfterSeconds: 2}); err != nil {
		t.Fatal(err)
	}
	body := map[string]any{"emailAddress": "alice@home.example"}
	r := call(t, s, appRW, "POST", emailsPath(aliceID), body)
	mustStatus(t, r, http.StatusTooManyRequests)
	if r.Header.Get("Retry-After") != "2" {
		t.Fatalf("Retry-After %q", r.Header.Get("Retry-After"))
	}
	mustStatus(t, call(t, s, appRW, "POST", emailsPath(aliceID), body), 201)
	for _, op := range []string{OpEmailCreate, OpEmailList, OpEmailGet, OpEmailUpdate, OpEmailDelete} {
		f := Fault{Kind: FaultUnavailable, Match: op, Count: 1}
		if _, err := s.AddFaults(f); err != nil {
			t.Fatal(err)
		}
	}
	mustStatus(t, call(t, s, appRW, "GET", emailsPath(aliceID), nil), 503)
	mustStatus(t, call(t, s, appRW, "GET", emailPath(aliceID), nil), 503)
	mustStatus(t, call(t, s, appRW, "PATCH", emailPath(aliceID), body), 503)
	mustStatus(t, call(t, s, appRW, "DELETE", emailPath(aliceID), nil), 503)
	log := s.RequestLog(RequestLogFilter{Operation: OpEmailCreate})
	if len(log) != 2 || log[0].Status != 429 || log[1].Status != 201 || log[1].Fault != "" {
		t.Fatalf("request log of emailMethod.create: %+v", log)
	}
	// The write budget counts email writes; the fault groups match them.
	if _, err := s.SetFaults(Fault{Kind: FaultUnavailable, Match: "authenticationMethods", Count: 1}); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, call(t, s, appRW, "GET", emailPath(aliceID), nil), 503)
	if _, err := s.SetFaults(Fault{Kind: FaultUnavailable, Match: "phone"}); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, call(t, s, appRW, "GET", emailPath(aliceID), nil), 200)
	// Read-after-write lag: a stale read shows the address before the update.
	if _, err := s.SetFaults(Fault{Kind: FaultLag, Match: OpEmailUpdate, LagMode: "stale", LagReads: 1}); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, call(t, s, appRW, "PATCH", emailPath(aliceID), map[string]any{"emailAddress": "new@home.example"}), 204)
	if got := call(t, s, appRW, "GET", emailPath(aliceID), nil).json(t)["emailAddress"]; got != "alice@home.example" {
		t.Fatalf("lagged read: %v", got)
	}
	if got := call(t, s, appRW, "GET", emailPath(aliceID), nil).json(t)["emailAddress"]; got != "new@home.example" {
		t.Fatalf("read after the lag: %v", got)
	}
	s.SetWriteBudget(WriteBudget{Capacity: 1, Window: Duration(60e9)})
	s.ClearFaults()
	mustStatus(t, call(t, s, appRW, "DELETE", emailPath(aliceID), nil), 204)
	r = call(t, s, appRW, "POST", emailsPath(aliceID), body)
	mustStatus(t, r, 429)
}
