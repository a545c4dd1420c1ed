package mockgraph

import (
	"testing"
	"time"
)

// TestUserReplicationDelay: a user created moments ago is 404
// Request_ResourceNotFound on the phone methods routes until it has
// replicated, then works; an unknown method of a visible user stays
// itemNotFound.
func TestUserReplicationDelay(t *testing.T) {
	s := startTest(t, Options{})
	if err := s.SetUserReplicationDelay(tenantID, aliceID, 300*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	body := map[string]string{"phoneNumber": "+1 5555550100", "phoneType": "mobile"}
	r := call(t, s, appRW, "POST", phonesPath(aliceID), body)
	mustStatus(t, r, 404)
	if e, _ := r.json(t)["error"].(map[string]any); e["code"] != "Request_ResourceNotFound" {
		t.Fatalf("not yet replicated: %s", r.Body)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		r = call(t, s, appRW, "POST", phonesPath(aliceID), body)
		if r.Status != 404 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the user never became visible")
		}
	}
	mustStatus(t, r, 201)
	r = call(t, s, appRW, "GET", phonePath(aliceID, OfficeMethodID), nil)
	mustStatus(t, r, 404)
	if e, _ := r.json(t)["error"].(map[string]any); e["code"] != "itemNotFound" {
		t.Fatalf("missing method of a visible user: %s", r.Body)
	}
}
