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

// TestDefaultMethodDelete: the default method cannot be deleted while the
// user has other methods (another phone, or one the API does not show), as
// real Graph answers; once it is the last one, it can.
func TestDefaultMethodDelete(t *testing.T) {
	s := startTest(t, Options{})
	if err := s.SetPhoneMethodOutOfBand(tenantID, aliceID, "mobile", "+1 5555550100", false); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPhoneMethodOutOfBand(tenantID, aliceID, "office", "+1 5555550101", false); err != nil {
		t.Fatal(err)
	}
	if err := s.SetDefaultMethod(tenantID, aliceID, "mobile", 0); err != nil {
		t.Fatal(err)
	}
	r := call(t, s, appRW, "DELETE", phonePath(aliceID, MobileMethodID), nil)
	mustStatus(t, r, 400)
	e, _ := r.json(t)["error"].(map[string]any)
	inner, _ := e["innerError"].(map[string]any)
	if e["code"] != "badRequest" || inner["message"] != e["message"] {
		t.Fatalf("default method delete: %s", r.Body)
	}
	mustStatus(t, call(t, s, appRW, "DELETE", phonePath(aliceID, OfficeMethodID), nil), 204)
	mustStatus(t, call(t, s, appRW, "DELETE", phonePath(aliceID, MobileMethodID), nil), 204)

	// A method the phone API does not show keeps the default in place.
	if err := s.SetPhoneMethodOutOfBand(tenantID, aliceID, "mobile", "+1 5555550100", false); err != nil {
		t.Fatal(err)
	}
	if err := s.SetDefaultMethod(tenantID, aliceID, "mobile", 1); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, call(t, s, appRW, "DELETE", phonePath(aliceID, MobileMethodID), nil), 400)
}

// TestNewMobilesNotConfigured: by default (no switch, no seed field), a
// new mobile of a user the policy allows reads notConfigured, as in real
// tenants, on create, get and list, until SMS sign-in is enabled (ready)
// or disabled (notEnabled).
func TestNewMobilesNotConfigured(t *testing.T) {
	s := startTest(t, Options{})
	r := call(t, s, appRW, "POST", phonesPath(aliceID), map[string]string{"phoneNumber": "+1 5555550001", "phoneType": "mobile"})
	mustStatus(t, r, 201)
	if got := r.json(t)["smsSignInState"]; got != "notConfigured" {
		t.Fatalf("create: %v", got)
	}
	if got := call(t, s, appRW, "GET", phonePath(aliceID, MobileMethodID), nil).json(t)["smsSignInState"]; got != "notConfigured" {
		t.Fatalf("get: %v", got)
	}
	if got := smsState(t, s, aliceID); got != "notConfigured" {
		t.Fatalf("list: %s", got)
	}
	mustStatus(t, call(t, s, appRW, "POST", phonePath(aliceID, MobileMethodID)+"/disableSmsSignIn", nil), 204)
	if got := smsState(t, s, aliceID); got != "notEnabled" {
		t.Fatalf("after disable: %s", got)
	}
	mustStatus(t, call(t, s, appRW, "POST", phonePath(aliceID, MobileMethodID)+"/enableSmsSignIn", nil), 204)
	if got := smsState(t, s, aliceID); got != "ready" {
		t.Fatalf("after enable: %s", got)
	}
}

// TestNewMobilesNotConfiguredOff: the switch turned off through Go, the
// admin API or the seed (false, which is not the same as unset) registers
// a new mobile of a user the policy allows at once, as the create docs
// say; a seed that leaves the field out keeps the tenant's setting.
func TestNewMobilesNotConfiguredOff(t *testing.T) {
	seedOff := func(field string) func(*testing.T, *Server) {
		return func(t *testing.T, s *Server) {
			seed, err := ParseSeed([]byte(`{"tenants": [{"id": "` + tenantID + `"` + field + `}]}`))
			if err != nil {
				t.Fatal(err)
			}
			if err := s.ApplySeed(seed); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, c := range []struct {
		name string
		set  func(*testing.T, *Server)
		want string
	}{
		{"go", func(t *testing.T, s *Server) {
			if err := s.SetNewMobilesNotConfigured(tenantID, false); err != nil {
				t.Fatal(err)
			}
		}, "ready"},
		{"admin", func(t *testing.T, s *Server) {
			if st := admin(t, s, "PUT", "/tenants/"+tenantID+"/newMobilesNotConfigured", `{"on": false}`, nil); st != 204 {
				t.Fatalf("admin PUT: %d", st)
			}
		}, "ready"},
		{"seed false", seedOff(`, "newMobilesNotConfigured": false`), "ready"},
		{"seed true", seedOff(`, "newMobilesNotConfigured": true`), "notConfigured"},
		{"seed unset keeps on", seedOff(``), "notConfigured"},
		{"seed unset keeps off", func(t *testing.T, s *Server) {
			if err := s.SetNewMobilesNotConfigured(tenantID, false); err != nil {
				t.Fatal(err)
			}
			seedOff(``)(t, s)
		}, "ready"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := startTest(t, Options{})
			c.set(t, s)
			r := call(t, s, appRW, "POST", phonesPath(aliceID), map[string]string{"phoneNumber": "+1 5555550001", "phoneType": "mobile"})
			mustStatus(t, r, 201)
			if got := r.json(t)["smsSignInState"]; got != c.want {
				t.Fatalf("create: %v, want %s", got, c.want)
			}
			if got := smsState(t, s, aliceID); got != c.want {
				t.Fatalf("list: %s, want %s", got, c.want)
			}
		})
	}
}

// TestSeedRealTenantSwitches: the seed sets the default method, methods the
// API does not show, a user's replication delay, the policy lag and
// notConfigured mobiles.
func TestSeedRealTenantSwitches(t *testing.T) {
	seed, err := ParseSeed([]byte(`{"tenants": [{"id": "` + tenantID + `", "domain": "seeded.example",
		"smsPolicyLag": "2s", "newMobilesNotConfigured": false,
		"users": [{"userPrincipalName": "dora@seeded.example", "defaultMethod": "mobile", "otherMethods": 1, "replicationDelay": "1h",
			"phoneMethods": [{"phoneType": "mobile", "phoneNumber": "+1 5555550100"}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	s := startTest(t, Options{Seed: seed})
	tn := s.store.tenant(tenantID)
	tn.mu.RLock()
	u := tn.user("dora@seeded.example")
	got := []any{tn.policyLag, tn.newMobilesNotConfigured, u.defaultPhone, u.otherMethods, time.Until(u.visibleAt) > 50*time.Minute}
	tn.mu.RUnlock()
	want := []any{2 * time.Second, false, typeMobile, 1, true}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("seeded %v, want %v", got, want)
			break
		}
	}
}

// TestAdminRealTenantSwitches: the same switches through the admin API.
func TestAdminRealTenantSwitches(t *testing.T) {
	s := startTest(t, Options{})
	for _, c := range []struct{ path, body string }{
		{"/tenants/" + tenantID + "/smsPolicyLag", `{"lag": "3s"}`},
		{"/tenants/" + tenantID + "/newMobilesNotConfigured", `{"on": false}`},
		{"/tenants/" + tenantID + "/users/" + aliceID + "/defaultMethod", `{"phoneType": "office", "otherMethods": 2}`},
		{"/tenants/" + tenantID + "/users/" + aliceID + "/replicationDelay", `{"delay": "1h"}`},
	} {
		if st := admin(t, s, "PUT", c.path, c.body, nil); st != 204 && st != 200 {
			t.Fatalf("PUT %s: %d", c.path, st)
		}
	}
	tn := s.store.tenant(tenantID)
	tn.mu.RLock()
	defer tn.mu.RUnlock()
	u := tn.user(aliceID)
	if tn.policyLag != 3*time.Second || tn.newMobilesNotConfigured || u.defaultPhone != typeOffice || u.otherMethods != 2 || time.Until(u.visibleAt) < 50*time.Minute {
		t.Errorf("lag %v, notConfigured %v, default %d, others %d, visible in %v", tn.policyLag, tn.newMobilesNotConfigured, u.defaultPhone, u.otherMethods, time.Until(u.visibleAt))
	}
	if st := admin(t, s, "PUT", "/tenants/"+tenantID+"/users/"+aliceID+"/defaultMethod", `{"phoneType": "pager"}`, nil); st != 400 {
		t.Errorf("unknown phone type: %d, want 400", st)
	}
}
