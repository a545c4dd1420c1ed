package protocol

import (
	"context"
	"os"
	"os/exec"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/entraauth/terraform-provider-entraauth/internal/provider"
)

func TestParseTuning(t *testing.T) {
	for _, tc := range []struct {
		value   string
		want    Tuning
		wantErr bool
	}{
		{"", defaultTuning, false},
		{"on", TuningOn, false},
		{"off", TuningOff, false},
		{" OFF ", TuningOff, false},
		{"On", TuningOn, false},
		{"false", defaultTuning, true},
		{"0", defaultTuning, true},
	} {
		got, err := ParseTuning(tc.value)
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("ParseTuning(%q) = %v, %v; want %v, error %v", tc.value, got, err, tc.want, tc.wantErr)
		}
	}
}

// shortcutRequests sends f's server an unchanged plan of a listed type
// and an upgrade of state saved at the current version, and returns how
// many of the two reached the framework.
func shortcutRequests(t *testing.T, s *server, f *fakeFramework) int64 {
	t.Helper()
	ctx := context.Background()
	const phone = "entraauth_phone_authentication_method"
	schemas, err := f.frameworkServer.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	state := &tfprotov6.DynamicValue{MsgPack: []byte{0x81, 0xa1, 'a', 0x01}}
	identity := &tfprotov6.ResourceIdentityData{IdentityData: &tfprotov6.DynamicValue{MsgPack: []byte{0x80}}}
	before := f.plans.Load() + f.upgrades.Load()
	if _, err := s.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: phone,
		PriorState: state, ProposedNewState: &tfprotov6.DynamicValue{MsgPack: slices.Clone(state.MsgPack)}, PriorIdentity: identity}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{TypeName: phone, Version: schemas.ResourceSchemas[phone].Version,
		RawState: &tfprotov6.RawState{JSON: []byte(`{"id":"adele@contoso.com/mobile"}`)}}); err != nil {
		t.Fatal(err)
	}
	return f.plans.Load() + f.upgrades.Load() - before
}

// TestTuningSwitchesTheShortcuts: with tuning off, an unchanged plan and
// a current-version upgrade reach the framework; with it on, neither does.
func TestTuningSwitchesTheShortcuts(t *testing.T) {
	for _, tc := range []struct {
		tuning      Tuning
		toFramework int64
	}{
		{TuningOff, 2},
		{TuningOn, 0},
	} {
		t.Run(tc.tuning.String(), func(t *testing.T) {
			f := newFake()
			s := newServer(f, trimEvery)
			s.tuning = tc.tuning
			s.unchangedIsPrior = map[string]bool{"entraauth_phone_authentication_method": true}
			if n := shortcutRequests(t, s, f); n != tc.toFramework {
				t.Fatalf("tuning %s: %d of the two requests reached the framework, want %d", tc.tuning, n, tc.toFramework)
			}
		})
	}
}

// TestNewServerTakesTheTuning: the constructors hand the tuning to the
// server, NewServer the one ENTRAAUTH_TUNING sets (checked in a child
// process, since the variable is read once per process).
func TestNewServerTakesTheTuning(t *testing.T) {
	for _, tuning := range []Tuning{TuningOn, TuningOff} {
		s, ok := NewServerWithTuning(provider.New("test"), tuning)().(*server)
		if !ok || s.tuning != tuning {
			t.Fatalf("NewServerWithTuning(%s) served %T with tuning %v", tuning, s, s.tuning)
		}
	}
	if want := os.Getenv("ENTRAAUTH_TEST_WANT_TUNING"); want != "" {
		s, ok := NewServer(provider.New("test"))().(*server)
		if !ok || s.tuning.String() != want {
			t.Fatalf("%s=%q: NewServer served tuning %v, want %s", TuningEnv, os.Getenv(TuningEnv), s.tuning, want)
		}
		return
	}
	for _, tc := range []struct{ value, want string }{{"off", "off"}, {"on", "on"}, {"", defaultTuning.String()}} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestNewServerTakesTheTuning$", "-test.count=1")
		cmd.Env = append(os.Environ(), TuningEnv+"="+tc.value, "ENTRAAUTH_TEST_WANT_TUNING="+tc.want)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s=%q: %v\n%s", TuningEnv, tc.value, err, out)
		}
	}
}
