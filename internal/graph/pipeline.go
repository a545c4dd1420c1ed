package graph

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"time"

	khttp "github.com/microsoft/kiota-http-go"
	core "github.com/microsoftgraph/msgraph-sdk-go-core"
)

// newBaseTransport is a fresh transport (never http.DefaultTransport itself)
// whose TLS trust is the system pool, so SSL_CERT_FILE reaches private CAs
// and the mock.
func newBaseTransport() *http.Transport {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   32, // parallel resources share one Graph host
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: 1 * time.Second,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
	}
}

// newGraphHTTPClient builds the Graph HTTP client with an explicit middleware
// order, outermost first. kiota's default list comes from a Go map (random
// order, kiota-http-go issue 183; UPSTREAM.md), so it is never used. Left out on purpose:
// the retry handler (retries are the operation loop's, see retry.go) and the
// redirect handler (the phone method endpoints do not redirect, and a
// followed redirect would carry the bearer token elsewhere).
func newGraphHTTPClient(base http.RoundTripper, userAgent string, logger *requestLogger) *http.Client {
	name, version := splitUserAgent(userAgent)
	middlewares := []khttp.Middleware{
		observeHandler{},
		khttp.NewUserAgentHandlerWithOptions(&khttp.UserAgentHandlerOptions{Enabled: true, ProductName: name, ProductVersion: version}),
		// SdkVersion and a fresh client-request-id per attempt, as Graph
		// support expects.
		core.NewGraphTelemetryHandler(&core.GraphClientOptions{}),
		// Logging sits before compression so it sees the JSON body.
		logger,
		khttp.NewCompressionHandler(),
	}
	return &http.Client{
		Transport: khttp.NewCustomTransportWithParentTransport(base, middlewares...),
		// Never follow redirects (see above).
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// observation is what the pipeline saw of an attempt's final response; the
// retry loop and the error translation read it when the SDK error lacks it.
type observation struct {
	status       int
	header       http.Header
	transportErr error
}

type observationKey struct{}

func withObservation(ctx context.Context, o *observation) context.Context {
	return context.WithValue(ctx, observationKey{}, o)
}

// observeHandler records the final response's status and headers (after the
// compression handler's own 415 fallback).
type observeHandler struct{}

// Intercept implements khttp.Middleware.
func (observeHandler) Intercept(p khttp.Pipeline, i int, req *http.Request) (*http.Response, error) {
	resp, err := p.Next(req, i)
	if o, ok := req.Context().Value(observationKey{}).(*observation); ok {
		if err != nil {
			o.transportErr = err
		} else if resp != nil {
			o.status = resp.StatusCode
			o.header = resp.Header.Clone()
		}
	}
	return resp, err
}

// userAgentRoundTripper sets the provider's user agent on requests that do
// not go through the kiota pipeline (token and OIDC requests).
type userAgentRoundTripper struct {
	next      http.RoundTripper
	userAgent string
}

// RoundTrip implements http.RoundTripper.
func (u userAgentRoundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("User-Agent", u.userAgent)
	return u.next.RoundTrip(req)
}

func splitUserAgent(ua string) (string, string) {
	for i := len(ua) - 1; i >= 0; i-- {
		if ua[i] == '/' {
			return ua[:i], ua[i+1:]
		}
	}
	return ua, ""
}
