package mockgraph

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func smsState(t *testing.T, s *Server, user string) string {
	t.Helper()
	ms, err := s.PhoneMethods(tenantID, user)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.ID == MobileMethodID {
			return m.SMSSignInState
		}
	}
	t.Fatalf("%s has no mobile", user)
	return ""
}

// TestSmsSignInStateDerivation walks the states and shows each is
// re-derived when the policy, the number or the registration changes.
func TestSmsSignInStateDerivation(t *testing.T) {
	s := startTest(t, Options{})
	on := func(p SMSPolicy) {
		t.Helper()
		if err := s.SetSMSPolicy(tenantID, p); err != nil {
			t.Fatal(err)
		}
	}
	groupPolicy := SMSPolicy{State: "enabled", IncludeTargets: []SMSIncludeTarget{{ID: groupSMS, TargetType: "group", IsUsableForSignIn: true}}}
	on(groupPolicy)

	// Carol is not in the SMS group: creating her mobile does not register it.
	mustStatus(t, call(t, s, appRW, "POST", phonesPath(carolID), map[string]string{"phoneNumber": "+1 5555550100", "phoneType": "mobile"}), 201)
	if got := smsState(t, s, carolID); got != "notAllowedByPolicy" {
		t.Fatalf("carol: %s", got)
	}
	// Alice is: her new mobile reads notConfigured, as in real tenants,
	// until SMS sign-in is enabled or disabled.
	r := call(t, s, appRW, "POST", phonesPath(aliceID), map[string]string{"phoneNumber": "+1 5555550001", "phoneType": "mobile"})
	mustStatus(t, r, 201)
	if got := r.json(t)["smsSignInState"]; got != "notConfigured" {
		t.Fatalf("alice create: %v", got)
	}
	// Office phones are never SMS-capable.
	mustStatus(t, call(t, s, appRW, "POST", phonesPath(aliceID), map[string]string{"phoneNumber": "+1 5555550003", "phoneType": "office"}), 201)
	if got := call(t, s, appRW, "GET", phonePath(aliceID, OfficeMethodID), nil).json(t)["smsSignInState"]; got != "notSupported" {
		t.Fatalf("office: %v", got)
	}
	// Disable -> notEnabled; enable -> ready.
	mustStatus(t, call(t, s, appRW, "POST", phonePath(aliceID, MobileMethodID)+"/disableSmsSignIn", nil), 204)
	if got := smsState(t, s, aliceID); got != "notEnabled" {
		t.Fatalf("after disable: %s", got)
	}
	mustStatus(t, call(t, s, appRW, "POST", phonePath(aliceID, MobileMethodID)+"/enableSmsSignIn", nil), 204)
	// Idempotent.
	mustStatus(t, call(t, s, appRW, "POST", phonePath(aliceID, MobileMethodID)+"/enableSmsSignIn", nil), 204)
	if got := smsState(t, s, aliceID); got != "ready" {
		t.Fatalf("after enable: %s", got)
	}

	// Policy changes re-derive: excluded group, isUsableForSignIn false, disabled.
	for _, c := range []struct {
		name string
		p    SMSPolicy
		want string
	}{
		{"excluded user", SMSPolicy{State: "enabled", IncludeTargets: groupPolicy.IncludeTargets, ExcludeTargets: []SMSExcludeTarget{{ID: aliceID, TargetType: "user"}}}, "notAllowedByPolicy"},
		{"excluded group", SMSPolicy{State: "enabled", IncludeTargets: []SMSIncludeTarget{{ID: AllUsers, TargetType: "group", IsUsableForSignIn: true}}, ExcludeTargets: []SMSExcludeTarget{{ID: groupSMS, TargetType: "group"}}}, "notAllowedByPolicy"},
		{"not usable for sign-in", SMSPolicy{State: "enabled", IncludeTargets: []SMSIncludeTarget{{ID: groupSMS, TargetType: "group", IsUsableForSignIn: false}}}, "notAllowedByPolicy"},
		{"policy disabled", SMSPolicy{State: "disabled", IncludeTargets: groupPolicy.IncludeTargets}, "notAllowedByPolicy"},
		{"user target", SMSPolicy{State: "enabled", IncludeTargets: []SMSIncludeTarget{{ID: aliceID, TargetType: "user", IsUsableForSignIn: true}}}, "ready"},
		{"all_users", SMSPolicy{State: "enabled", IncludeTargets: []SMSIncludeTarget{{ID: AllUsers, TargetType: "group", IsUsableForSignIn: true}}}, "ready"},
		{"back to group", groupPolicy, "ready"},
	} {
		on(c.p)
		if got := smsState(t, s, aliceID); got != c.want {
			t.Fatalf("%s: %s, want %s", c.name, got, c.want)
		}
	}

	// Number conflicts: Bob (allowed) takes Alice's number; his registration
	// comes second, so he reads phoneNumberNotUnique while Alice stays ready.
	// As real Graph does, the create is applied and still answered 409.
	r = call(t, s, appRW, "POST", phonesPath(bobID), map[string]string{"phoneNumber": "+1 5555550001x9", "phoneType": "mobile"})
	mustStatus(t, r, 409)
	if e, _ := r.json(t)["error"].(map[string]any); e["code"] != "phoneNumberNotUnique" {
		t.Fatalf("bob create with taken number: %s", r.Body)
	}
	if got := smsState(t, s, bobID); got != "phoneNumberNotUnique" {
		t.Fatalf("bob after the applied 409: %v", got)
	}
	if got := smsState(t, s, aliceID); got != "ready" {
		t.Fatalf("alice: %s", got)
	}
	// Bob changes his number: re-derived to notConfigured (his SMS sign-in
	// was never enabled), and enabling it makes it ready.
	mustStatus(t, call(t, s, appRW, "PATCH", phonePath(bobID, MobileMethodID), map[string]string{"phoneNumber": "+1 5555550002"}), 204)
	if got := smsState(t, s, bobID); got != "notConfigured" {
		t.Fatalf("bob after number change: %s", got)
	}
	mustStatus(t, call(t, s, appRW, "POST", phonePath(bobID, MobileMethodID)+"/enableSmsSignIn", nil), 204)
	if got := smsState(t, s, bobID); got != "ready" {
		t.Fatalf("bob after enable: %s", got)
	}
	// Alice changes hers to Bob's: she is now the later holder (applied,
	// answered 409 as by real Graph).
	mustStatus(t, call(t, s, appRW, "PATCH", phonePath(aliceID, MobileMethodID), map[string]string{"phoneNumber": "+1 5555550002"}), 409)
	if got := smsState(t, s, aliceID); got != "phoneNumberNotUnique" {
		t.Fatalf("alice after taking bob's number: %s", got)
	}
	// Bob deletes his mobile: Alice's number is unique again.
	mustStatus(t, call(t, s, appRW, "DELETE", phonePath(bobID, MobileMethodID), nil), 204)
	if got := smsState(t, s, aliceID); got != "ready" {
		t.Fatalf("alice after bob's delete: %s", got)
	}
	// Out-of-band drift re-derives too.
	if err := s.SetSMSSignInOutOfBand(tenantID, aliceID, MobileMethodID, false); err != nil {
		t.Fatal(err)
	}
	if got := smsState(t, s, aliceID); got != "notEnabled" {
		t.Fatalf("after out-of-band disable: %s", got)
	}
}

func TestPolicyEndpoint(t *testing.T) {
	s := startTest(t, Options{})
	const path = "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/sms"
	g := call(t, s, appRO, "GET", path, nil)
	mustStatus(t, g, 200)
	m := g.json(t)
	if m["@odata.type"] != "#microsoft.graph.smsAuthenticationMethodConfiguration" || m["id"] != "Sms" || m["state"] != "enabled" {
		t.Fatalf("policy: %s", g.Body)
	}
	inc, _ := m["includeTargets"].([]any)
	if len(inc) != 1 {
		t.Fatalf("includeTargets: %s", g.Body)
	}
	if first, _ := inc[0].(map[string]any); first["isUsableForSignIn"] != true {
		t.Fatalf("includeTargets: %s", g.Body)
	}
	for _, c := range []struct {
		name   string
		token  string
		body   any
		status int
	}{
		{"read-only app", appRO, typed(map[string]any{"state": "disabled"}), 403},
		{"no permission get", appNone, nil, 403},
		{"no @odata.type", appRW, map[string]any{"state": "enabled"}, 400},
		{"unknown property", appRW, typed(map[string]any{"foo": 1}), 400},
		{"bad state", appRW, typed(map[string]any{"state": "on"}), 400},
		{"bad targetType", appRW, typed(map[string]any{"includeTargets": []any{map[string]any{"id": "x", "targetType": "device"}}}), 400},
		{"unknown target property", appRW, typed(map[string]any{"includeTargets": []any{map[string]any{"id": "x", "targetType": "user", "color": "red"}}}), 400},
		{"unknown group", appRW, typed(map[string]any{"includeTargets": []any{map[string]any{"id": "00000000-0000-0000-0000-0000000000ff", "targetType": "group", "isUsableForSignIn": true}}}), 400},
		{"id changed", appRW, typed(map[string]any{"id": "Email"}), 400},
		// Clients that GET and PATCH back send annotations; Graph ignores them.
		{"annotations ignored", appRW, typed(map[string]any{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#x", "includeTargets@odata.context": "y", "state": "enabled"}), 204},
		{"full update", appRW, map[string]any{
			"@odata.type":    "#microsoft.graph.smsAuthenticationMethodConfiguration",
			"id":             "Sms",
			"state":          "enabled",
			"includeTargets": []any{map[string]any{"@odata.type": "#microsoft.graph.smsAuthenticationMethodTarget", "id": groupSMS, "targetType": "group", "isUsableForSignIn": true, "isRegistrationRequired": false}},
			"excludeTargets": []any{map[string]any{"id": groupBlk, "targetType": "group"}},
		}, 204},
	} {
		method := "PATCH"
		if c.body == nil {
			method = "GET"
		}
		r := call(t, s, c.token, method, path, c.body)
		if r.Status != c.status {
			t.Fatalf("%s: status %d want %d: %s", c.name, r.Status, c.status, r.Body)
		}
	}
	p, _ := s.SMSPolicy(tenantID)
	if len(p.IncludeTargets) != 1 || p.IncludeTargets[0].ID != groupSMS || len(p.ExcludeTargets) != 1 {
		t.Fatalf("policy after PATCH: %+v", p)
	}
	// PATCH re-derives: carol (not in group) becomes notAllowedByPolicy.
	if err := s.SetPhoneMethodOutOfBand(tenantID, carolID, "mobile", "+1 5555550100", true); err != nil {
		t.Fatal(err)
	}
	if got := smsState(t, s, carolID); got != "notAllowedByPolicy" {
		t.Fatalf("carol: %s", got)
	}
	mustStatus(t, call(t, s, appRW, "PATCH", path, typed(map[string]any{"includeTargets": []any{map[string]any{"id": AllUsers, "targetType": "group", "isUsableForSignIn": true}}})), 204)
	if got := smsState(t, s, carolID); got != "ready" {
		t.Fatalf("carol after PATCH to all_users: %s", got)
	}
	// Delete (405) on the policy.
	mustStatus(t, call(t, s, appRW, "DELETE", path, nil), 405)
}

// typed adds the @odata.type Graph needs in an SMS policy PATCH.
func typed(body map[string]any) map[string]any {
	body["@odata.type"] = "#microsoft.graph.smsAuthenticationMethodConfiguration"
	return body
}

// TestPolicyPropagationLag: a policy changed through Graph shows at once in
// GET but reaches sign-in (smsSignInState, enableSmsSignIn) only after the
// configured lag; an out-of-band change applies at once.
func TestPolicyPropagationLag(t *testing.T) {
	s := startTest(t, Options{})
	const path = "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/sms"
	if err := s.SetPhoneMethodOutOfBand(tenantID, carolID, "mobile", "+1 5555550100", true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPolicyLag(tenantID, 400*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	// Out of band: carol (not in the group) is refused at once.
	if err := s.SetSMSPolicy(tenantID, SMSPolicy{State: "enabled", IncludeTargets: []SMSIncludeTarget{{ID: groupSMS, TargetType: "group", IsUsableForSignIn: true}}}); err != nil {
		t.Fatal(err)
	}
	if got := smsState(t, s, carolID); got != "notAllowedByPolicy" {
		t.Fatalf("carol after out-of-band policy: %s", got)
	}
	changed := time.Now()
	mustStatus(t, call(t, s, appRW, "PATCH", path, typed(map[string]any{"includeTargets": []any{map[string]any{"id": AllUsers, "targetType": "group", "isUsableForSignIn": true}}})), 204)
	if m := call(t, s, appRO, "GET", path, nil).json(t); fmt.Sprint(m["includeTargets"]) == "" || !strings.Contains(fmt.Sprint(m["includeTargets"]), AllUsers) {
		t.Fatalf("GET does not show the change at once: %v", m)
	}
	got := smsState(t, s, carolID)
	if time.Since(changed) < 400*time.Millisecond && got != "notAllowedByPolicy" {
		t.Fatalf("carol within the lag: %s", got)
	}
	for deadline := time.Now().Add(10 * time.Second); smsState(t, s, carolID) != "ready"; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("carol never became ready after the lag")
		}
	}
	if time.Since(changed) < 400*time.Millisecond {
		t.Fatalf("carol ready after %s, before the lag ended", time.Since(changed))
	}
}
