package protocol

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"weak"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entraauth/terraform-provider-entraauth/internal/provider"
)

type requestKey struct{}

// validateRequest is a valid ValidateResourceConfig request for a phone.
func validateRequest(t *testing.T, srv tfprotov6.ProviderServer) *tfprotov6.ValidateResourceConfigRequest {
	t.Helper()
	const typeName = "entraauth_phone_authentication_method"
	sch, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ, ok := sch.ResourceSchemas[typeName].ValueType().(tftypes.Object)
	if !ok {
		t.Fatalf("%s's schema is not an object", typeName)
	}
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	vals["user_id"] = tftypes.NewValue(tftypes.String, "adele@contoso.com")
	vals["phone_type"] = tftypes.NewValue(tftypes.String, "mobile")
	vals["phone_number"] = tftypes.NewValue(tftypes.String, "+1 5555551234")
	config, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		t.Fatal(err)
	}
	return &tfprotov6.ValidateResourceConfigRequest{TypeName: typeName, Config: &config}
}

// keptAfterRequest reports whether srv still holds a value of a request's
// context once the request has returned and its context is cancelled.
func keptAfterRequest(t *testing.T, srv tfprotov6.ProviderServer) bool {
	t.Helper()
	req := validateRequest(t, srv)
	value := new([64 << 10]byte)
	kept := weak.Make(value)
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), requestKey{}, value))
	resp, err := srv.ValidateResourceConfig(ctx, req)
	cancel()
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("ValidateResourceConfig: %v %v", err, resp.Diagnostics)
	}
	value, ctx = nil, nil //nolint:ineffassign,wastedassign // drop the test's own references
	_ = ctx
	runtime.GC()
	runtime.GC()
	runtime.KeepAlive(srv)
	return kept.Value() != nil
}

func TestServerLetsGoOfRequestContexts(t *testing.T) {
	srv := NewServer(provider.New("test"))()
	if _, ok := srv.(*server); !ok {
		t.Fatalf("NewServer returned %T, not the releasing server: the framework server no longer offers the services it wraps", srv)
	}
	if keptAfterRequest(t, srv) {
		t.Fatal("the server still holds a request's context after the request returned: a refresh's memory grows with the number of resources")
	}
}

// TestFrameworkKeepsRequestContexts is why this package exists; when it
// fails, terraform-plugin-framework no longer keeps request contexts and
// NewServer can go back to providerserver.NewProtocol6.
func TestFrameworkKeepsRequestContexts(t *testing.T) {
	if !keptAfterRequest(t, providerserver.NewProtocol6(provider.New("test")())()) {
		t.Fatal("terraform-plugin-framework's server no longer keeps request contexts: the releasing server in internal/protocol is not needed any more")
	}
}

// TestServerMemoryStaysFlat runs three batches of requests through the
// server: trims must happen during each batch, and after one what stays
// alive (the framework's list of cancel functions) must not grow with the
// number of requests. Without the trims each request kept about 200 bytes.
func TestServerMemoryStaysFlat(t *testing.T) {
	srv := NewServer(provider.New("test"))()
	s, ok := srv.(*server)
	if !ok {
		t.Fatalf("NewServer returned %T", srv)
	}
	req := validateRequest(t, srv)
	const batch = 2 * trimEvery
	var heap []uint64
	for b := 1; b <= 3; b++ {
		before := s.trims.Load()
		for range batch {
			ctx, cancel := context.WithCancel(context.Background())
			if _, err := srv.ValidateResourceConfig(ctx, req); err != nil {
				t.Fatal(err)
			}
			cancel()
		}
		waitFor(t, "the batch's trim to end", func() bool { return !s.trimming.Load() })
		if s.trims.Load() == before {
			t.Fatalf("no trim during %d requests (one every %d is due)", batch, trimEvery)
		}
		// One more trim, so each measure starts from an empty list.
		waitFor(t, "a trim to start", func() bool { return s.trimming.CompareAndSwap(false, true) })
		s.trim()
		runtime.GC()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap = append(heap, ms.HeapAlloc)
	}
	grew := int64(heap[2]) - int64(heap[0])
	t.Logf("live heap after each batch of %d requests: %d, %d, %d bytes; %d trims", batch, heap[0], heap[1], heap[2], s.trims.Load())
	if grew > 256<<10 {
		t.Fatalf("the live heap grew by %d bytes over %d requests (%d bytes a request): something per request outlives it again", grew, 2*batch, grew/(2*batch))
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 30 s for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// fakeFramework stands in for the framework server where a test needs a
// request to block or to wait for another; it records StopProvider calls
// and how many of its requests were in flight at each.
type fakeFramework struct {
	frameworkServer
	inflight      atomic.Int64
	stops         atomic.Int64
	stopsInFlight atomic.Int64
	// readWaits, when set, is what ReadResource waits for.
	readWaits chan struct{}
	// applied is closed by the first ApplyResourceChange.
	applied     chan struct{}
	appliedOnce sync.Once
	results     []tfprotov6.ListResourceResult
	plans       atomic.Int64
	upgrades    atomic.Int64
	// schemas, when set, is GetProviderSchema's answer.
	schemas *tfprotov6.GetProviderSchemaResponse
}

func newFake() *fakeFramework {
	fw, _ := providerserver.NewProtocol6(provider.New("test")())().(frameworkServer)
	return &fakeFramework{frameworkServer: fw, applied: make(chan struct{})}
}

func (f *fakeFramework) ReadResource(context.Context, *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	f.inflight.Add(1)
	defer f.inflight.Add(-1)
	if f.readWaits != nil {
		select {
		case <-f.readWaits:
		case <-time.After(30 * time.Second):
			return nil, errors.New("waited 30 s")
		}
	}
	return &tfprotov6.ReadResourceResponse{}, nil
}

func (f *fakeFramework) ApplyResourceChange(context.Context, *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	f.inflight.Add(1)
	defer f.inflight.Add(-1)
	f.appliedOnce.Do(func() { close(f.applied) })
	return &tfprotov6.ApplyResourceChangeResponse{}, nil
}

func (f *fakeFramework) ListResource(context.Context, *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	return &tfprotov6.ListResourceServerStream{Results: slices.Values(f.results)}, nil
}

func (f *fakeFramework) StopProvider(context.Context, *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	f.stops.Add(1)
	if f.inflight.Load() > 0 {
		f.stopsInFlight.Add(1)
	}
	return &tfprotov6.StopProviderResponse{}, nil
}

// readInFlight serves f with a trim after every request and maxPause, and
// starts a read that waits for f.readWaits; readDone gets its result.
func readInFlight(t *testing.T, f *fakeFramework, maxPause time.Duration) (s *server, readDone chan error) {
	t.Helper()
	s = newServer(f, 1)
	s.maxPause = maxPause
	readDone = make(chan error)
	go func() {
		_, err := s.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{})
		readDone <- err
	}()
	waitFor(t, "the read to be in flight", func() bool { return f.inflight.Load() == 1 })
	return s, readDone
}

// TestTrimWaitsForRequestsInFlight: a trim never cancels a request in
// flight; it gives up after maxPause and happens once the request is done.
func TestTrimWaitsForRequestsInFlight(t *testing.T) {
	f := newFake()
	f.readWaits = make(chan struct{})
	s, readDone := readInFlight(t, f, 20*time.Millisecond)
	ctx := context.Background()
	if _, err := s.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the trim to give up", func() bool { return !s.trimming.Load() })
	if f.stops.Load() != 0 {
		t.Fatalf("StopProvider was called %d times while a read was in flight", f.stops.Load())
	}
	close(f.readWaits)
	if err := <-readDone; err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the trim after the read", func() bool { return f.stops.Load() == 1 && !s.trimming.Load() })
	if n := f.stopsInFlight.Load(); n != 0 {
		t.Fatalf("StopProvider was called %d times with a request in flight", n)
	}
}

// TestTrimDoesNotHoldARequestAnotherWaitsFor: a request in flight waiting
// for one that has not started (an alternateMobile create waiting for its
// mobile) gets it within maxPause, not at its timeout.
func TestTrimDoesNotHoldARequestAnotherWaitsFor(t *testing.T) {
	f := newFake()
	f.readWaits = f.applied
	s, readDone := readInFlight(t, f, 50*time.Millisecond)
	ctx := context.Background()
	// A finished request starts a trim, which holds new requests back.
	if _, err := s.GetMetadata(ctx, &tfprotov6.GetMetadataRequest{}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the trim to hold requests back", func() bool {
		s.gate.mu.Lock()
		defer s.gate.mu.Unlock()
		return s.gate.draining
	})
	if _, err := s.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{}); err != nil {
		t.Fatal(err)
	}
	if err := <-readDone; err != nil {
		t.Fatalf("the read waiting for the apply: %v", err)
	}
	if n := f.stopsInFlight.Load(); n != 0 {
		t.Fatalf("StopProvider was called %d times with a request in flight", n)
	}
}

// TestTrimWaitsForStreams: list results streamed after ListResource
// returned hold trims off until they are drained.
func TestTrimWaitsForStreams(t *testing.T) {
	f := newFake()
	f.results = []tfprotov6.ListResourceResult{{DisplayName: "a"}, {DisplayName: "b"}}
	s := newServer(f, 1)
	ctx := context.Background()
	stream, err := s.ListResource(ctx, &tfprotov6.ListResourceRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := s.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{}); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the trim to end", func() bool { return !s.trimming.Load() })
	}
	if n := f.stops.Load(); n != 0 {
		t.Fatalf("StopProvider was called %d times while list results were still streaming", n)
	}
	var names []string
	for r := range stream.Results {
		names = append(names, r.DisplayName)
	}
	if len(names) != 2 {
		t.Fatalf("streamed %v", names)
	}
	if _, err := s.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a trim once the stream is drained", func() bool { return f.stops.Load() == 1 && !s.trimming.Load() })
}

func (f *fakeFramework) PlanResourceChange(context.Context, *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	f.plans.Add(1)
	return &tfprotov6.PlanResourceChangeResponse{}, nil
}

// TestPlanUnchangedShortcut: an unchanged plan of a listed type is
// answered without the framework (prior state, private, identity); a
// changed one, an unlisted type, a create and a destroy reach it.
func TestPlanUnchangedShortcut(t *testing.T) {
	f := newFake()
	s := newServer(f, trimEvery)
	s.unchangedIsPrior = map[string]bool{"entraauth_phone_authentication_method": true}
	ctx := context.Background()
	state := &tfprotov6.DynamicValue{MsgPack: []byte{0x81, 0xa1, 'a', 0x01}}
	other := &tfprotov6.DynamicValue{MsgPack: []byte{0x81, 0xa1, 'a', 0x02}}
	null := &tfprotov6.DynamicValue{MsgPack: []byte{0xc0}}
	identity := &tfprotov6.ResourceIdentityData{IdentityData: &tfprotov6.DynamicValue{MsgPack: []byte{0x80}}}
	private := []byte(`{"recent_write":"e30="}`)

	resp, err := s.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: "entraauth_phone_authentication_method",
		PriorState: state, ProposedNewState: &tfprotov6.DynamicValue{MsgPack: slices.Clone(state.MsgPack)}, PriorPrivate: private, PriorIdentity: identity})
	if err != nil {
		t.Fatal(err)
	}
	if f.plans.Load() != 0 || !slices.Equal(resp.PlannedState.MsgPack, state.MsgPack) || string(resp.PlannedPrivate) != string(private) || resp.PlannedIdentity != identity {
		t.Fatalf("unchanged plan: framework called %d times, answer %+v", f.plans.Load(), resp)
	}
	for _, req := range []*tfprotov6.PlanResourceChangeRequest{
		{TypeName: "entraauth_phone_authentication_method", PriorState: state, ProposedNewState: other, PriorIdentity: identity},
		{TypeName: "entraauth_sms_authentication_method_policy", PriorState: state, ProposedNewState: state, PriorIdentity: identity},
		{TypeName: "entraauth_phone_authentication_method", PriorState: null, ProposedNewState: null, PriorIdentity: identity},
		{TypeName: "entraauth_phone_authentication_method", PriorState: state, ProposedNewState: null, PriorIdentity: identity},
	} {
		before := f.plans.Load()
		if _, err := s.PlanResourceChange(ctx, req); err != nil {
			t.Fatal(err)
		}
		if f.plans.Load() != before+1 {
			t.Errorf("%s prior %x proposed %x did not reach the framework", req.TypeName, req.PriorState.MsgPack, req.ProposedNewState.MsgPack)
		}
	}

	// Without a prior identity (Terraform below 1.12) the answer carries
	// the null identity the framework would plan; the phone method's
	// identity schema comes from the real provider.
	withProvider, ok := NewServer(provider.New("test"))().(*server)
	if !ok || !withProvider.unchangedIsPrior["entraauth_phone_authentication_method"] {
		t.Fatal("NewServer did not take the provider's UnchangedPlanIsPrior")
	}
	id, ok := withProvider.nullIdentityOf(ctx, "entraauth_phone_authentication_method")
	if !ok || id.IdentityData == nil || len(id.IdentityData.MsgPack) == 0 {
		t.Fatalf("no null identity for the phone method: %+v", id)
	}
}

func (f *fakeFramework) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	f.upgrades.Add(1)
	return f.frameworkServer.UpgradeResourceState(ctx, req)
}

func (f *fakeFramework) GetProviderSchema(ctx context.Context, req *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	if f.schemas != nil {
		return f.schemas, nil
	}
	return f.frameworkServer.GetProviderSchema(ctx, req)
}

// TestUpgradeCurrentShortcut: state saved at the current schema version is
// upgraded without the framework, to the same msgpack the framework
// sends; other versions, flatmap state, state the schema cannot read and
// types with list or set blocks reach it.
func TestUpgradeCurrentShortcut(t *testing.T) {
	ctx := context.Background()
	const phone = "entraauth_phone_authentication_method"
	saved := []byte(`{"id":"adele@contoso.com/mobile","user_id":"adele@contoso.com","phone_type":"mobile","phone_number":"+1 4255550100","retired_attribute":1}`)
	f := newFake()
	s := newServer(f, trimEvery)
	schemas, err := f.frameworkServer.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	current := schemas.ResourceSchemas[phone].Version

	resp, err := s.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{TypeName: phone, Version: current, RawState: &tfprotov6.RawState{JSON: saved}})
	if err != nil {
		t.Fatal(err)
	}
	want, err := f.frameworkServer.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{TypeName: phone, Version: current, RawState: &tfprotov6.RawState{JSON: saved}})
	if err != nil {
		t.Fatal(err)
	}
	if f.upgrades.Load() != 0 || resp.UpgradedState == nil || want.UpgradedState == nil || !slices.Equal(resp.UpgradedState.MsgPack, want.UpgradedState.MsgPack) {
		t.Fatalf("current version: framework called %d times, answer %+v, framework's %+v", f.upgrades.Load(), resp, want)
	}

	for _, tc := range []struct {
		name string
		req  *tfprotov6.UpgradeResourceStateRequest
	}{
		{"an older version", &tfprotov6.UpgradeResourceStateRequest{TypeName: phone, Version: current - 1, RawState: &tfprotov6.RawState{JSON: saved}}},
		{"flatmap state", &tfprotov6.UpgradeResourceStateRequest{TypeName: phone, Version: current, RawState: &tfprotov6.RawState{Flatmap: map[string]string{"id": "x"}}}},
		{"state the schema cannot read", &tfprotov6.UpgradeResourceStateRequest{TypeName: phone, Version: current, RawState: &tfprotov6.RawState{JSON: []byte(`{"id":{"not":"a string"}}`)}}},
		{"an unknown type", &tfprotov6.UpgradeResourceStateRequest{TypeName: "entraauth_nothing", Version: 0, RawState: &tfprotov6.RawState{JSON: saved}}},
	} {
		before := f.upgrades.Load()
		if _, err := s.UpgradeResourceState(ctx, tc.req); err != nil {
			t.Fatal(err)
		}
		if f.upgrades.Load() != before+1 {
			t.Errorf("%s did not reach the framework", tc.name)
		}
	}

	// A type with a list block: the framework turns a null block into an
	// empty list, so it answers.
	withList := newFake()
	withList.schemas = &tfprotov6.GetProviderSchemaResponse{ResourceSchemas: map[string]*tfprotov6.Schema{phone: {
		Version: current,
		Block: &tfprotov6.SchemaBlock{
			Attributes: []*tfprotov6.SchemaAttribute{{Name: "id", Type: tftypes.String, Computed: true}},
			BlockTypes: []*tfprotov6.SchemaNestedBlock{{TypeName: "timeouts", Nesting: tfprotov6.SchemaNestedBlockNestingModeSingle, Block: &tfprotov6.SchemaBlock{
				BlockTypes: []*tfprotov6.SchemaNestedBlock{{TypeName: "rule", Nesting: tfprotov6.SchemaNestedBlockNestingModeList, Block: &tfprotov6.SchemaBlock{}}},
			}}},
		},
	}}}
	ls := newServer(withList, trimEvery)
	if _, err := ls.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{TypeName: phone, Version: current, RawState: &tfprotov6.RawState{JSON: saved}}); err != nil {
		t.Fatal(err)
	}
	if withList.upgrades.Load() != 1 {
		t.Error("a type with a list block nested in a single block did not reach the framework")
	}
}
