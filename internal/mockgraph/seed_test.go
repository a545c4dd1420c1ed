package mockgraph

import (
	"path/filepath"
	"testing"
	"time"
)

func TestExampleSeed(t *testing.T) {
	s := startTest(t, Options{Seed: &Seed{}})
	if err := s.LoadSeed(filepath.Join("..", "..", "examples", "mockgraph", "seed.json")); err != nil {
		t.Fatal(err)
	}
	ts := s.Tenants()
	if len(ts) != 1 || ts[0].Domain != "contoso.onmicrosoft.com" || ts[0].Users != 4 || ts[0].Groups != 3 || ts[0].PhoneMethods != 3 {
		t.Fatalf("tenants %+v", ts)
	}
	for _, c := range []struct{ user, want string }{
		{"adele@contoso.onmicrosoft.com", "ready"},       // in the pilot group, registered
		{"carlos@contoso.onmicrosoft.com", "notEnabled"}, // in the group, not registered
	} {
		ms, err := s.PhoneMethods("contoso.onmicrosoft.com", c.user)
		if err != nil || len(ms) == 0 || ms[0].SMSSignInState != c.want {
			t.Errorf("%s: %+v %v", c.user, ms, err)
		}
	}
	// Dana is excluded by group: a mobile added for her is notAllowedByPolicy.
	if err := s.SetPhoneMethodOutOfBand("contoso.onmicrosoft.com", "dana@contoso.onmicrosoft.com", "mobile", "+1 5555550104", true); err != nil {
		t.Fatal(err)
	}
	if ms, _ := s.PhoneMethods("contoso.onmicrosoft.com", "dana@contoso.onmicrosoft.com"); ms[0].SMSSignInState != "notAllowedByPolicy" {
		t.Fatalf("dana %+v", ms)
	}
}

func TestSeedErrors(t *testing.T) {
	s := startTest(t, Options{Seed: &Seed{}})
	// These fail validation, before any state changes.
	for _, f := range []string{"bad_phone.json", "unknown_field.json", "bad_policy.json", "bad_fault.json", "missing.json"} {
		if err := s.LoadSeed(filepath.Join("testdata", f)); err == nil {
			t.Errorf("%s: accepted", f)
		} else {
			t.Logf("%s: %v", f, err)
		}
		if ts := s.Tenants(); len(ts) != 0 {
			t.Fatalf("%s left partial state: %+v", f, ts)
		}
	}
	// A dangling group member is only found while applying.
	if err := s.LoadSeed(filepath.Join("testdata", "bad_member.json")); err == nil {
		t.Error("bad_member.json: accepted")
	} else {
		t.Logf("bad_member.json: %v", err)
	}
}

func TestSeedGoAPI(t *testing.T) {
	s := startTest(t, Options{Seed: &Seed{
		Tenants:     []SeedTenant{{ID: "t-go", Domain: "go.example"}},
		Faults:      []Fault{{Kind: FaultLatency, Latency: Duration(time.Millisecond)}},
		WriteBudget: &WriteBudget{Capacity: 10, Window: Duration(time.Second)},
		ReadBudget:  &ReadBudget{Capacity: 20, Window: Duration(time.Second)},
	}})
	u, err := s.AddUser("go.example", User{UserPrincipalName: "Gina@go.example", DisplayName: "Gina"})
	if err != nil || u.ID == "" {
		t.Fatalf("AddUser: %+v %v", u, err)
	}
	// Same UPN, any case: an update, not a duplicate.
	if u2, err := s.AddUser("t-go", User{UserPrincipalName: "gina@GO.example", DisplayName: "G"}); err != nil || u2.ID != u.ID {
		t.Fatalf("re-add: %+v %v", u2, err)
	}
	if _, err := s.AddUser("nope", User{UserPrincipalName: "x@y"}); err == nil {
		t.Fatal("AddUser in unknown tenant")
	}
	if err := s.AddGroup("t-go", Group{ID: "g", Members: []string{u.ID}}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSMSPolicy("t-go", SMSPolicy{State: "enabled", IncludeTargets: []SMSIncludeTarget{{ID: "g", TargetType: "group", IsUsableForSignIn: true}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPhoneMethodOutOfBand("t-go", u.ID, "mobile", "+49 15112345678", true); err != nil {
		t.Fatal(err)
	}
	if ms, _ := s.PhoneMethods("t-go", "gina@go.example"); len(ms) != 1 || ms[0].SMSSignInState != "ready" {
		t.Fatalf("methods %+v", ms)
	}
	if err := s.SetPhoneMethodOutOfBand("t-go", u.ID, "pager", "+49 15112345678", false); err == nil {
		t.Fatal("bad phoneType accepted")
	}
	if err := s.DeletePhoneMethodOutOfBand("t-go", u.ID, "not-a-method"); err == nil {
		t.Fatal("bad method id accepted")
	}
	if len(s.Faults()) != 1 || s.WriteBudget().Capacity != 10 || s.ReadBudget().Capacity != 20 {
		t.Fatalf("seed faults/budgets: %+v %+v %+v", s.Faults(), s.WriteBudget(), s.ReadBudget())
	}
	// The default policy of a tenant seeded without one.
	if err := s.AddTenant(identityTenant("t-default")); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.SMSPolicy("t-default"); p.State != "disabled" || len(p.IncludeTargets) != 1 || p.IncludeTargets[0].ID != AllUsers {
		t.Fatalf("default policy %+v", p)
	}
}

// TestSeedUserMethods: a seed sets up the email method, passes, read-only
// methods and the replace rule, as the control API would.
func TestSeedUserMethods(t *testing.T) {
	sd, err := ParseSeed([]byte(`{"tenants":[{"id":"t1","domain":"t1.example","temporaryAccessPassReplaces":false,
		"users":[{"id":"u1","userPrincipalName":"kim@t1.example",
			"emailMethod":{"emailAddress":"kim@home.example"},
			"temporaryAccessPasses":[{"id":"tap-1","temporaryAccessPass":"abcdefgh","startDateTime":"2026-01-01T00:00:00Z","lifetimeInMinutes":60,"methodUsabilityReason":"OneTimeUsed"}],
			"authenticationMethods":[{"@odata.type":"#microsoft.graph.fido2AuthenticationMethod","id":"fido-1","model":"YubiKey 5"}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	s := startTest(t, Options{Seed: sd})
	if m, err := s.EmailMethod("t1", "kim@t1.example"); err != nil || m == nil || m.EmailAddress != "kim@home.example" {
		t.Fatalf("email: %+v, %v", m, err)
	}
	taps, err := s.TemporaryAccessPasses("t1", "u1")
	if err != nil || len(taps) != 1 || taps[0].Pass != "abcdefgh" || taps[0].MethodUsabilityReason != TAPOneTimeUsed || taps[0].IsUsable ||
		!taps[0].StartDateTime.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("passes: %+v, %v", taps, err)
	}
	all, err := s.AuthenticationMethods("t1", "u1")
	if err != nil || len(all) != 4 || all[3]["id"] != "fido-1" || all[3]["model"] != "YubiKey 5" {
		t.Fatalf("methods: %v, %v", all, err)
	}
	s.store.tenant("t1").mu.RLock()
	replaces := s.store.tenant("t1").tapReplaces
	s.store.tenant("t1").mu.RUnlock()
	if replaces {
		t.Fatal("temporaryAccessPassReplaces false was not applied")
	}
}
