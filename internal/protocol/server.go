// Package protocol serves the provider over Terraform's plugin protocol 6:
// terraform-plugin-framework's server, with each request's context let go
// once the request has returned.
//
// terraform-plugin-framework v1.19.0 (internal/proto6server/serve.go,
// registerContext) derives a cancellable context from every request and
// keeps its cancel function until StopProvider, which a plan never calls.
// Each kept function holds its request's whole context: the request's
// loggers and fields, the gRPC stream and, through them, everything the
// request allocated. A refresh of N resources makes about 4N requests, so
// the provider's memory grew with N (135 MB at N=1,000, 238 MB at 2,000).
// The server here hands the framework a context that drops its parent when
// the request returns, so what the framework keeps is a few dozen bytes
// per request.
package protocol

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
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

// NewServer returns the provider's protocol 6 server factory, for
// tf6server.Serve and for terraform-plugin-testing's in-process factories.
func NewServer(newProvider func() provider.Provider) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		inner := providerserver.NewProtocol6(newProvider())()
		if fw, ok := inner.(frameworkServer); ok {
			return &server{frameworkServer: fw}
		}
		// A framework version without those services: serve it as it is.
		return inner
	}
}

// server passes every request to the framework; the requests made once per
// resource instance (validate, upgrade, read, plan, apply, import, move,
// data source reads, function calls) get a releasing context. The few
// requests made once per process, and ListResource, whose results are
// streamed after it returns, are passed through unchanged.
type server struct {
	frameworkServer
}

// tf6server v0.31 still finds these services through these (deprecated)
// interfaces.
var (
	_ tfprotov6.ProviderServerWithListResource = (*server)(nil) //nolint:staticcheck // see above
	_ tfprotov6.ProviderServerWithActions      = (*server)(nil) //nolint:staticcheck // see above
	_ tfprotov6.ProviderServerWithStateStores  = (*server)(nil) //nolint:staticcheck // see above
)

// serve runs one request with a context released when it returns.
func serve[Req, Resp any](ctx context.Context, req Req, call func(context.Context, Req) (Resp, error)) (Resp, error) {
	rc := newReleasingContext(ctx)
	defer rc.release()
	return call(rc, req)
}

func (s *server) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return serve(ctx, req, s.frameworkServer.ValidateResourceConfig)
}

func (s *server) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return serve(ctx, req, s.frameworkServer.UpgradeResourceState)
}

func (s *server) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return serve(ctx, req, s.frameworkServer.UpgradeResourceIdentity)
}

func (s *server) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return serve(ctx, req, s.frameworkServer.ReadResource)
}

func (s *server) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return serve(ctx, req, s.frameworkServer.PlanResourceChange)
}

func (s *server) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return serve(ctx, req, s.frameworkServer.ApplyResourceChange)
}

func (s *server) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return serve(ctx, req, s.frameworkServer.ImportResourceState)
}

func (s *server) MoveResourceState(ctx context.Context, req *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return serve(ctx, req, s.frameworkServer.MoveResourceState)
}

func (s *server) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return serve(ctx, req, s.frameworkServer.ValidateDataResourceConfig)
}

func (s *server) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return serve(ctx, req, s.frameworkServer.ReadDataSource)
}

func (s *server) CallFunction(ctx context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	return serve(ctx, req, s.frameworkServer.CallFunction)
}

// releasingContext is a request's context until release, and afterwards a
// cancelled context with no values and no parent, so nothing that outlives
// the request through it (a registered cancel function) keeps the request's
// context alive. The framework's derived context registers with the
// request's own cancellation (Value finds it), so it is cancelled with the
// request as before.
type releasingContext struct {
	parent atomic.Pointer[context.Context]
	done   <-chan struct{}
}

func newReleasingContext(parent context.Context) *releasingContext {
	c := &releasingContext{done: parent.Done()}
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

func (c *releasingContext) Done() <-chan struct{} { return c.done }

func (c *releasingContext) Err() error {
	if p := c.parent.Load(); p != nil {
		return (*p).Err()
	}
	select {
	case <-c.done:
		return context.Canceled
	default:
		return nil
	}
}

func (c *releasingContext) Value(key any) any {
	if p := c.parent.Load(); p != nil {
		return (*p).Value(key)
	}
	return nil
}
