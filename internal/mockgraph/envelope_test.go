package mockgraph

import (
	"regexp"
	"testing"
)

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestErrorEnvelope(t *testing.T) {
	s := startTest(t, Options{})
	r := call(t, s, appRW, "GET", phonePath(aliceID, MobileMethodID), nil, withHeader("client-request-id", "my-correlation-id"))
	mustStatus(t, r, 404)
	e, ok := r.json(t)["error"].(map[string]any)
	if !ok {
		t.Fatalf("no error object: %s", r.Body)
	}
	inner, _ := e["innerError"].(map[string]any)
	if e["code"] == "" || e["message"] == "" || inner == nil {
		t.Fatalf("envelope: %s", r.Body)
	}
	requestID, _ := inner["request-id"].(string)
	if !uuidRE.MatchString(requestID) || requestID != r.Header.Get("request-id") {
		t.Fatalf("request-id %v vs header %q", inner["request-id"], r.Header.Get("request-id"))
	}
	if inner["client-request-id"] != "my-correlation-id" || r.Header.Get("client-request-id") != "my-correlation-id" {
		t.Fatalf("client-request-id not echoed: %s / %q", r.Body, r.Header.Get("client-request-id"))
	}
	date, _ := inner["date"].(string)
	if !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$`).MatchString(date) {
		t.Fatalf("date %v", inner["date"])
	}
	if r.Header.Get("Date") == "" {
		t.Fatal("no Date header")
	}
	// Without a client-request-id Graph echoes its own request-id.
	r = call(t, s, appRW, "GET", phonesPath(aliceID), nil)
	if r.Header.Get("request-id") == "" || r.Header.Get("client-request-id") != r.Header.Get("request-id") {
		t.Fatalf("headers on success: %v", r.Header)
	}
}

func TestRoutingErrors(t *testing.T) {
	s := startTest(t, Options{})
	for _, c := range []struct {
		method, path string
		status       int
	}{
		{"GET", "/v1.0/users/" + aliceID + "/manager", 404},
		{"GET", "/v1.0/groups/" + groupSMS + "/transitiveMembers", 404},
		{"POST", "/v1.0/users", 405},
		{"GET", "/v1.0/users/" + aliceID + "/authentication/fido2Methods", 404},
		{"GET", "/v1.0/users/" + aliceID + "/authentication/emailMethods/" + EmailMethodID + "/nonsense", 404},
		{"PATCH", "/v1.0/users/" + aliceID + "/authentication/temporaryAccessPassMethods/x", 405},
		{"POST", "/v1.0/users/" + aliceID + "/authentication/methods", 405},
		{"GET", "/v1.0/USERS/" + aliceID + "/Authentication/EmailMethods", 200},
		{"GET", "/v1.0/users/" + aliceID + "/authentication/phoneMethods/" + MobileMethodID + "/nonsense", 404},
		{"GET", "/v1.0/me", 404},
		{"GET", "/v1.0/", 404},
		{"PUT", phonesPath(aliceID), 405},
		{"DELETE", phonesPath(aliceID), 405},
		{"PUT", phonePath(aliceID, MobileMethodID), 405},
		{"POST", phonePath(aliceID, MobileMethodID), 405},
		{"GET", phonePath(aliceID, MobileMethodID) + "/enableSmsSignIn", 405},
		{"GET", "/v1.0/USERS/" + aliceID + "/Authentication/PhoneMethods", 200},
	} {
		r := call(t, s, appRW, c.method, c.path, nil)
		if r.Status != c.status {
			t.Errorf("%s %s: %d, want %d: %s", c.method, c.path, r.Status, c.status, r.Body)
			continue
		}
		if c.status >= 400 && r.errorCode(t) == "" {
			t.Errorf("%s %s: no Graph error envelope: %s", c.method, c.path, r.Body)
		}
		if c.status == 405 && r.Header.Get("Allow") == "" {
			t.Errorf("%s %s: 405 without Allow", c.method, c.path)
		}
	}
}

func TestGzipBodies(t *testing.T) {
	s := startTest(t, Options{})
	body := `{"phoneNumber":"+1 5555550001","phoneType":"mobile"}`
	r := call(t, s, appRW, "POST", phonesPath(aliceID), gzipped(t, body), withHeader("Content-Encoding", "gzip"))
	mustStatus(t, r, 201)
	r = call(t, s, appRW, "PATCH", phonePath(aliceID, MobileMethodID), gzipped(t, `{"phoneNumber":"+1 5555550002"}`), withHeader("Content-Encoding", "gzip"))
	mustStatus(t, r, 204)
	// Plain JSON labelled gzip (the kiota retry/compression bug) is refused.
	r = call(t, s, appRW, "PATCH", phonePath(aliceID, MobileMethodID), `{"phoneNumber":"+1 5555550003"}`, withHeader("Content-Encoding", "gzip"))
	mustStatus(t, r, 400)
	if r.errorCode(t) != "BadRequest" {
		t.Fatalf("code: %s", r.Body)
	}
	r = call(t, s, appRW, "PATCH", phonePath(aliceID, MobileMethodID), `{"phoneNumber":"+1 5555550003"}`, withHeader("Content-Encoding", "br"))
	mustStatus(t, r, 415)
	if got := call(t, s, appRW, "GET", phonePath(aliceID, MobileMethodID), nil).json(t)["phoneNumber"]; got != "+1 5555550002" {
		t.Fatalf("number %v", got)
	}
}
