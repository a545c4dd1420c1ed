// Package protocol serves the provider over Terraform's plugin protocol 6:
// terraform-plugin-framework's server, with what the framework keeps of
// each request let go once the request has returned.
//
// terraform-plugin-framework v1.19.0 (internal/proto6server/serve.go,
// registerContext) derives a cancellable context from every request and
// appends its cancel function to a list that only StopProvider empties,
// and Terraform calls StopProvider only to interrupt. A refresh of N
// resources makes about 4N requests, so the provider's memory grew with N
// (each kept function held its request's whole context, loggers, gRPC
// stream and all; UPSTREAM.md and BENCHMARKS.md have the details). Two
// things here keep it flat:
//
//   - each request's context is handed to the framework through a
//     releasingContext, which drops the request's context when the request
//     returns, so what the list holds is a few small objects per request;
//   - every trimEvery requests the server waits for the requests in flight
//     to return, holding new ones back, and then calls the framework's
//     StopProvider, which then cancels only finished requests' contexts and
//     empties the list. The pause is as long as the slowest request in
//     flight (one Graph call, typically), at most maxPause, once every
//     trimEvery requests (see gate for why it is bounded).
//
// With tuning on (TuningEnv, the default) the server also answers two
// requests itself, the same as the framework would: UpgradeResourceState
// of state at the current schema version (upgradeCurrent) and an
// unchanged PlanResourceChange (planUnchanged).
package protocol

import (
	"context"
	"iter"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// trimEvery is how many requests may finish between two emptyings of the
// framework's list: it bounds what the list keeps, and on a refresh (four
// requests per resource) it makes one pause per 1,024 resources. A trim that could
// not find a moment without requests in flight within maxPause is tried
// again after trimEvery/retryTrimDivisor more requests.
const (
	trimEvery        = 4096
	maxPause         = 250 * time.Millisecond
	retryTrimDivisor = 8
)

// frameworkServer is what providerserver.NewProtocol6 returns: protocol 6
// with the optional list resource, action and state store services, which
// tf6server finds by type assertion, so the wrapper keeps them.
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

// UnchangedPlanner is implemented by a provider whose resource types
// listed by UnchangedPlanIsPrior plan an unchanged resource as exactly its
// prior state: no attribute defaults, and plan modifiers (the schema's and
// the resource's ModifyPlan) that change nothing when the proposed new
// state equals the prior state. For those types the server answers such a
// PlanResourceChange itself (see planUnchanged).
type UnchangedPlanner interface {
	UnchangedPlanIsPrior() []string
}

// NewServer returns the provider's protocol 6 server factory, for
// tf6server.Serve and for terraform-plugin-testing's in-process factories,
// with the tuning TuningEnv sets (TuningFromEnv).
func NewServer(newProvider func() provider.Provider) func() tfprotov6.ProviderServer {
	tuning, _ := TuningFromEnv()
	return NewServerWithTuning(newProvider, tuning)
}

// NewServerWithTuning is NewServer with the tuning given rather than read
// from the environment: with TuningOff every request reaches the
// framework (the release of request contexts stays).
func NewServerWithTuning(newProvider func() provider.Provider, tuning Tuning) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		p := newProvider()
		inner := providerserver.NewProtocol6(p)()
		if fw, ok := inner.(frameworkServer); ok {
			s := newServer(fw, trimEvery)
			s.tuning = tuning
			if up, ok := p.(UnchangedPlanner); ok {
				s.unchangedIsPrior = map[string]bool{}
				for _, t := range up.UnchangedPlanIsPrior() {
					s.unchangedIsPrior[t] = true
				}
			}
			return s
		}
		// A framework version without those services: serve it as it is.
		return inner
	}
}

// server passes every request to the framework with a releasing context,
// counts it in flight (gate) and finished (finished), and empties the
// framework's list of cancel functions every trimEvery finished requests
// while none is in flight. StopProvider, Terraform's interrupt, goes
// straight through: it must reach the requests in flight.
type server struct {
	frameworkServer

	// gate counts requests in flight and holds them back during a trim.
	gate gate
	// finished counts requests returned since the list was last emptied.
	finished atomic.Int64
	// trimming is set while a trim is pending or running (one at a time).
	trimming atomic.Bool
	// streams counts responses still streaming after their request
	// returned (list results, action events, state chunks): their contexts
	// are in use, so no trim happens until they are drained.
	streams atomic.Int64
	// trimEvery and maxPause are the constants; tests lower them.
	trimEvery int64
	maxPause  time.Duration
	// trims counts the emptyings, for tests.
	trims atomic.Int64

	// tuning switches upgradeCurrent and planUnchanged (TuningEnv).
	tuning Tuning
	// unchangedIsPrior names the resource types planUnchanged answers for.
	unchangedIsPrior map[string]bool
	// nullIdentity caches each type's null identity, as the framework
	// plans it when Terraform (below 1.12) sends none.
	nullIdentity sync.Map // type name -> *tfprotov6.ResourceIdentityData
	// current holds the resource types upgradeCurrent answers for, read
	// from the framework's schemas once (currentOnce).
	currentOnce sync.Once
	current     map[string]currentSchema
}

func newServer(fw frameworkServer, every int64) *server {
	return &server{frameworkServer: fw, trimEvery: every, maxPause: maxPause, tuning: TuningOn}
}

// tf6server v0.31 still finds these services through these (deprecated)
// interfaces.
var (
	_ tfprotov6.ProviderServerWithListResource = (*server)(nil) //nolint:staticcheck // see above
	_ tfprotov6.ProviderServerWithActions      = (*server)(nil) //nolint:staticcheck // see above
	_ tfprotov6.ProviderServerWithStateStores  = (*server)(nil) //nolint:staticcheck // see above
)

// serve runs one request with a releasing context, counted in flight.
func serve[Req, Resp any](s *server, ctx context.Context, req Req, call func(context.Context, Req) (Resp, error)) (Resp, error) {
	s.gate.enter()
	rc := newReleasingContext(ctx)
	defer s.leave(rc)
	return call(rc, req)
}

// leave ends a request: its context is released, it no longer counts in
// flight, and every trimEvery requests a trim starts beside the requests
// (this one returns at once).
func (s *server) leave(rc *releasingContext) {
	rc.release()
	s.gate.leave()
	if s.finished.Add(1) >= s.trimEvery && s.trimming.CompareAndSwap(false, true) {
		go s.trim()
	}
}

// trim waits until no request is in flight, holding new ones back, and
// calls the framework's StopProvider, which then cancels only contexts of
// requests that have returned and empties its list. When that moment does
// not come within maxPause, or a response is still streaming, the next
// try is trimEvery/retryTrimDivisor requests later.
func (s *server) trim() {
	defer s.trimming.Store(false)
	trimmed := false
	if s.streams.Load() == 0 {
		s.gate.whenIdle(s.maxPause, func() {
			if s.streams.Load() > 0 {
				return
			}
			//nolint:staticcheck // the framework's own StopProvider, named so, whatever server wraps later
			_, _ = s.frameworkServer.StopProvider(context.Background(), &tfprotov6.StopProviderRequest{})
			s.trims.Add(1)
			trimmed = true
		})
	}
	if trimmed {
		s.finished.Store(0)
	} else {
		s.finished.Store(s.trimEvery - max(1, s.trimEvery/retryTrimDivisor))
	}
}

// serveStream runs a request whose response streams after it returns; the
// stream counts until drained (drained wraps it) and holds off trims.
func serveStream[Req, Resp any](s *server, ctx context.Context, req Req, call func(context.Context, Req) (Resp, error), drained func(Resp, func()) bool) (Resp, error) {
	s.streams.Add(1)
	resp, err := serve(s, ctx, req, call)
	once := sync.OnceFunc(func() { s.streams.Add(-1) })
	if err != nil || !drained(resp, once) {
		once()
	}
	return resp, err
}

// untilDrained returns seq, which calls done when its iteration ends
// (drained or stopped early).
func untilDrained[T any](seq iter.Seq[T], done func()) iter.Seq[T] {
	return func(yield func(T) bool) {
		defer done()
		seq(yield)
	}
}

func (s *server) GetMetadata(ctx context.Context, req *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.GetMetadata)
}

func (s *server) GetProviderSchema(ctx context.Context, req *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.GetProviderSchema)
}

func (s *server) GetResourceIdentitySchemas(ctx context.Context, req *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.GetResourceIdentitySchemas)
}

func (s *server) ValidateProviderConfig(ctx context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.ValidateProviderConfig)
}

func (s *server) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.ConfigureProvider)
}

func (s *server) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.ValidateResourceConfig)
}

func (s *server) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	if s.tuning {
		if resp, ok := s.upgradeCurrent(ctx, req); ok {
			return resp, nil
		}
	}
	return serve(s, ctx, req, s.frameworkServer.UpgradeResourceState)
}

func (s *server) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.UpgradeResourceIdentity)
}

func (s *server) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.ReadResource)
}

func (s *server) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	if s.tuning {
		if resp, ok := s.planUnchanged(ctx, req); ok {
			return resp, nil
		}
	}
	return serve(s, ctx, req, s.frameworkServer.PlanResourceChange)
}

func (s *server) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.ApplyResourceChange)
}

func (s *server) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.ImportResourceState)
}

func (s *server) MoveResourceState(ctx context.Context, req *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.MoveResourceState)
}

func (s *server) GenerateResourceConfig(ctx context.Context, req *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.GenerateResourceConfig)
}

func (s *server) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.ValidateDataResourceConfig)
}

func (s *server) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.ReadDataSource)
}

func (s *server) CallFunction(ctx context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.CallFunction)
}

func (s *server) GetFunctions(ctx context.Context, req *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.GetFunctions)
}

func (s *server) ValidateEphemeralResourceConfig(ctx context.Context, req *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.ValidateEphemeralResourceConfig)
}

func (s *server) OpenEphemeralResource(ctx context.Context, req *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.OpenEphemeralResource)
}

func (s *server) RenewEphemeralResource(ctx context.Context, req *tfprotov6.RenewEphemeralResourceRequest) (*tfprotov6.RenewEphemeralResourceResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.RenewEphemeralResource)
}

func (s *server) CloseEphemeralResource(ctx context.Context, req *tfprotov6.CloseEphemeralResourceRequest) (*tfprotov6.CloseEphemeralResourceResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.CloseEphemeralResource)
}

func (s *server) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.ValidateListResourceConfig)
}

func (s *server) ListResource(ctx context.Context, req *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	return serveStream(s, ctx, req, s.frameworkServer.ListResource, func(resp *tfprotov6.ListResourceServerStream, done func()) bool {
		if resp == nil || resp.Results == nil {
			return false
		}
		resp.Results = untilDrained(resp.Results, done)
		return true
	})
}

func (s *server) ValidateActionConfig(ctx context.Context, req *tfprotov6.ValidateActionConfigRequest) (*tfprotov6.ValidateActionConfigResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.ValidateActionConfig)
}

func (s *server) PlanAction(ctx context.Context, req *tfprotov6.PlanActionRequest) (*tfprotov6.PlanActionResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.PlanAction)
}

func (s *server) InvokeAction(ctx context.Context, req *tfprotov6.InvokeActionRequest) (*tfprotov6.InvokeActionServerStream, error) {
	return serveStream(s, ctx, req, s.frameworkServer.InvokeAction, func(resp *tfprotov6.InvokeActionServerStream, done func()) bool {
		if resp == nil || resp.Events == nil {
			return false
		}
		resp.Events = untilDrained(resp.Events, done)
		return true
	})
}

func (s *server) ValidateStateStoreConfig(ctx context.Context, req *tfprotov6.ValidateStateStoreConfigRequest) (*tfprotov6.ValidateStateStoreConfigResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.ValidateStateStoreConfig)
}

func (s *server) ConfigureStateStore(ctx context.Context, req *tfprotov6.ConfigureStateStoreRequest) (*tfprotov6.ConfigureStateStoreResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.ConfigureStateStore)
}

func (s *server) ReadStateBytes(ctx context.Context, req *tfprotov6.ReadStateBytesRequest) (*tfprotov6.ReadStateBytesStream, error) {
	return serveStream(s, ctx, req, s.frameworkServer.ReadStateBytes, func(resp *tfprotov6.ReadStateBytesStream, done func()) bool {
		if resp == nil || resp.Chunks == nil {
			return false
		}
		resp.Chunks = untilDrained(resp.Chunks, done)
		return true
	})
}

func (s *server) WriteStateBytes(ctx context.Context, req *tfprotov6.WriteStateBytesStream) (*tfprotov6.WriteStateBytesResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.WriteStateBytes)
}

func (s *server) GetStates(ctx context.Context, req *tfprotov6.GetStatesRequest) (*tfprotov6.GetStatesResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.GetStates)
}

func (s *server) DeleteState(ctx context.Context, req *tfprotov6.DeleteStateRequest) (*tfprotov6.DeleteStateResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.DeleteState)
}

func (s *server) LockState(ctx context.Context, req *tfprotov6.LockStateRequest) (*tfprotov6.LockStateResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.LockState)
}

func (s *server) UnlockState(ctx context.Context, req *tfprotov6.UnlockStateRequest) (*tfprotov6.UnlockStateResponse, error) {
	return serve(s, ctx, req, s.frameworkServer.UnlockState)
}

// closedDone is what a released context's Done returns.
var closedDone = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// releasingContext is a request's context until release, and afterwards a
// cancelled context with no values and no parent, so nothing that outlives
// the request through it (a registered cancel function) keeps the
// request's context, or its Done channel, alive. The framework's derived
// context registers with the request's own cancellation (Value finds it),
// so it is cancelled with the request as before.
type releasingContext struct {
	parent atomic.Pointer[context.Context]
}

func newReleasingContext(parent context.Context) *releasingContext {
	c := &releasingContext{}
	c.parent.Store(&parent)
	return c
}

// release lets go of the parent; the request has returned.
func (c *releasingContext) release() { c.parent.Store(nil) }

func (c *releasingContext) Deadline() (time.Time, bool) {
	if p := c.parent.Load(); p != nil {
		return (*p).Deadline()
	}
	return time.Time{}, false
}

// Done is the request's Done until release, then a closed channel: the
// request is over either way.
func (c *releasingContext) Done() <-chan struct{} {
	if p := c.parent.Load(); p != nil {
		return (*p).Done()
	}
	return closedDone
}

func (c *releasingContext) Err() error {
	if p := c.parent.Load(); p != nil {
		return (*p).Err()
	}
	return context.Canceled
}

func (c *releasingContext) Value(key any) any {
	if p := c.parent.Load(); p != nil {
		return (*p).Value(key)
	}
	return nil
}
