package graph

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// Sign-in: every token the client uses comes through signInCredential,
// which (1) turns a failure into a *SignInError that says in plain words
// what went wrong (classified in signin_classify.go, worded by
// Config.ExplainSignIn) and (2) remembers whether a sign-in was already
// attempted, so that Client.CheckSignIn, the plan-time check, costs no
// request when a Graph call already signed in and at most one per Client
// (one Client per configured provider, i.e. per provider process).

// SignInProblem is what kind of sign-in failure happened.
type SignInProblem int

// The sign-in problems the provider tells apart.
const (
	// SignInFailed is any failure not recognised below.
	SignInFailed SignInProblem = iota
	// SignInCLINotFound: the Azure CLI (az) is not on the PATH.
	SignInCLINotFound
	// SignInCLINotLoggedIn: az has no signed-in account.
	SignInCLINotLoggedIn
	// SignInCLILoginExpired: az's sign-in expired or needs to be renewed.
	SignInCLILoginExpired
	// SignInCLIOtherTenant: az is signed in, but its account cannot get a
	// token for the configured tenant.
	SignInCLIOtherTenant
	// SignInRefused: the authority answered and refused the credential
	// (Failure.Code holds its AADSTS code).
	SignInRefused
	// SignInOIDCTokenUnavailable: the OIDC token could not be read or
	// requested, so nothing was sent to the authority.
	SignInOIDCTokenUnavailable
	// SignInUnreachable: the authority, the managed identity endpoint or the
	// OIDC request URL could not be reached.
	SignInUnreachable
)

// SignInFailure is a classified failure to obtain a token. It holds no
// secret: Says is masked like the log, Endpoint has no query.
type SignInFailure struct {
	Kind    CredentialKind
	Problem SignInProblem
	// Endpoint is the URL (without its query) of the request that failed
	// or was refused: the authority's token endpoint, the managed identity
	// endpoint or the OIDC request URL; empty for the Azure CLI.
	Endpoint string
	// EndpointSource names where a managed identity endpoint comes from,
	// e.g. "App Service, from IDENTITY_ENDPOINT"; empty otherwise.
	EndpointSource string
	// Code is the authority's error code, e.g. "AADSTS7000215", when it
	// sent one (the Azure CLI passes them on too).
	Code string
	// Says is the answer in the words of whoever refused: the authority's
	// error description or the Azure CLI's message, first line only.
	Says string
	// Cause is a short technical reason when there is no answer, e.g.
	// "connect: connection refused" or the OIDC token file's read error.
	Cause string
	// CLITenant is the tenant the Azure CLI is signed in to, when known
	// (SignInCLIOtherTenant).
	CLITenant string
	// TenantID is the configured tenant (may be empty for the CLI and
	// managed identity).
	TenantID string
	// Err is the credential's own error.
	Err error
}

// SignInExplainer words a failure for users: a diagnostic summary and
// detail. The provider supplies it, because only it knows which setting
// chose the credential and what to set instead.
type SignInExplainer func(SignInFailure) (summary, detail string)

// SignInError is the error of a failed sign-in: Graph operations return
// it (inside an *Error) and CheckSignIn returns it as is.
type SignInError struct {
	Failure SignInFailure
	Summary string
	Detail  string
}

// Error is the detail, so a Graph operation's error reads as the
// explanation.
func (e *SignInError) Error() string { return e.Detail }

// Unwrap is the credential's own error.
func (e *SignInError) Unwrap() error { return e.Failure.Err }

// defaultExplainSignIn is used when the Config has no explainer.
func defaultExplainSignIn(f SignInFailure) (string, string) {
	msg := "signing in failed"
	switch {
	case f.Code != "" && f.Says != "":
		msg += ": " + f.Code + ": " + f.Says
	case f.Says != "":
		msg += ": " + f.Says
	case f.Cause != "":
		msg += ": " + f.Cause
	}
	return "Sign-in failed", msg
}

// signInCredential wraps the configured credential (see the file comment).
type signInCredential struct {
	cred    azcore.TokenCredential
	creds   Credentials
	explain SignInExplainer
	masker  *masker

	// mu is held by every token request until one has succeeded, so the
	// first attempt is never made twice at once; after a success,
	// requests go straight to the credential (which caches the token).
	mu        sync.Mutex
	attempted bool // a token request finished (ok or not) under mu
	succeeded atomic.Bool

	// cliTenant is the Azure CLI's tenant, asked once (see classifyCLI).
	cliTenantOnce sync.Once
	cliTenant     string

	// tokens holds the last token of each kind of request. azidentity
	// caches tokens too, but its lookup goes through MSAL's cache on every
	// Graph call, a visible share of a refresh (BENCHMARKS.md).
	tokensMu sync.Mutex
	tokens   map[tokenKey]azcore.AccessToken
}

// tokenKey is a token request's shape; requests carrying a claims
// challenge are never cached.
type tokenKey struct {
	scopes, tenant string
	cae            bool
}

// tokenReuseMargin: a cached token is used while it is valid for longer
// than this, the margin azidentity itself refreshes within.
const tokenReuseMargin = 5 * time.Minute

// cachedToken returns a token from an earlier request of the same shape
// that is neither expiring nor due for refresh.
func (s *signInCredential) cachedToken(opts policy.TokenRequestOptions) (azcore.AccessToken, bool) {
	if opts.Claims != "" {
		return azcore.AccessToken{}, false
	}
	s.tokensMu.Lock()
	tok, ok := s.tokens[keyOf(opts)]
	s.tokensMu.Unlock()
	now := time.Now()
	if !ok || now.Add(tokenReuseMargin).After(tok.ExpiresOn) || (!tok.RefreshOn.IsZero() && !now.Before(tok.RefreshOn)) {
		return azcore.AccessToken{}, false
	}
	return tok, true
}

func (s *signInCredential) rememberToken(opts policy.TokenRequestOptions, tok azcore.AccessToken) {
	if opts.Claims != "" {
		return
	}
	s.tokensMu.Lock()
	defer s.tokensMu.Unlock()
	if s.tokens == nil {
		s.tokens = map[tokenKey]azcore.AccessToken{}
	}
	s.tokens[keyOf(opts)] = tok
}

func keyOf(opts policy.TokenRequestOptions) tokenKey {
	return tokenKey{scopes: strings.Join(opts.Scopes, " "), tenant: opts.TenantID, cae: opts.EnableCAE}
}

// azureCLITenant asks the Azure CLI for its tenant once per client, so a
// failing refresh of many resources does not run "az account show" for
// each.
func (s *signInCredential) azureCLITenant(ctx context.Context, azPath string) string {
	s.cliTenantOnce.Do(func() { s.cliTenant = cliTenant(ctx, azPath) })
	return s.cliTenant
}

func newSignInCredential(cred azcore.TokenCredential, c Credentials, explain SignInExplainer, m *masker) *signInCredential {
	if explain == nil {
		explain = defaultExplainSignIn
	}
	return &signInCredential{cred: cred, creds: c, explain: explain, masker: m}
}

// GetToken implements azcore.TokenCredential.
func (s *signInCredential) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if s.succeeded.Load() {
		if tok, ok := s.cachedToken(opts); ok {
			return tok, nil
		}
		tok, err := s.get(ctx, opts)
		if err == nil {
			s.rememberToken(opts, tok)
		}
		return tok, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.getLocked(ctx, opts)
}

// getLocked requests a token and records the outcome, except when the
// caller's context ended (an interrupt says nothing about the credential).
func (s *signInCredential) getLocked(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	tok, err := s.get(ctx, opts)
	if err != nil && ctx.Err() != nil {
		return tok, err
	}
	s.attempted = true
	if err == nil {
		s.rememberToken(opts, tok)
		s.succeeded.Store(true)
	}
	return tok, err
}

// get asks the credential, with a record of the requests it makes, and
// explains a failure.
func (s *signInCredential) get(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	rec := &signInRecord{}
	tok, err := s.cred.GetToken(withSignInRecord(ctx, rec), opts)
	if err == nil {
		return tok, nil
	}
	if ctx.Err() != nil {
		return tok, err
	}
	f := classifySignIn(ctx, s.creds, err, rec, s.masker, s.azureCLITenant)
	summary, detail := s.explain(f)
	return tok, &SignInError{Failure: f, Summary: summary, Detail: detail}
}

// check is CheckSignIn's work: one token request, unless one was already
// made (see CheckSignIn).
func (s *signInCredential) check(ctx context.Context, scope string) error {
	if s.succeeded.Load() {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.attempted {
		return nil
	}
	_, err := s.getLocked(ctx, graphTokenRequest(scope))
	return err
}

// graphTokenCAE is whether Graph calls ask for CAE tokens (kiota's
// default, set explicitly in newClientWithCredential).
const graphTokenCAE = true

// graphTokenRequest is the token request of a Graph call, which the check
// repeats exactly: azidentity caches CAE and non-CAE tokens apart, so a
// check asking differently would cost the apply a second token request.
func graphTokenRequest(scope string) policy.TokenRequestOptions {
	return policy.TokenRequestOptions{Scopes: []string{scope}, EnableCAE: graphTokenCAE}
}

// CheckSignIn makes sure the client can obtain a token, for the plan-time
// check of a plan that will need Graph at apply. It sends a token request
// only when no request was made yet by this client: when a Graph call (a
// refresh, a data source) or an earlier check already signed in, or tried
// to, it returns nil at once, so a plan that calls Graph anyway gains no
// request, and a provider process makes at most one check. A failure is
// returned to the one call that made the attempt, as a *SignInError; the
// other calls return nil, so a plan of many resources shows the error once
// (the plan fails either way). Concurrent calls wait for the first.
func (c *Client) CheckSignIn(ctx context.Context) error {
	if c.signIn == nil {
		return nil
	}
	return c.signIn.check(ctx, c.endpoints.Scope)
}

// signInRecord collects, for one token request, what the credential's
// HTTP requests and the OIDC token source ran into, so a failure can be
// told apart without parsing the SDK's messages.
type signInRecord struct {
	mu sync.Mutex
	// transportErr and transportURL: the last request that got no answer.
	transportErr error
	transportURL string
	// refusedURL: the last request answered with an HTTP error status.
	refusedURL    string
	refusedStatus int
	// oidcErr: the OIDC token could not be obtained.
	oidcErr error
}

type signInRecordKey struct{}

func withSignInRecord(ctx context.Context, r *signInRecord) context.Context {
	return context.WithValue(ctx, signInRecordKey{}, r)
}

func signInRecordFrom(ctx context.Context) *signInRecord {
	r, _ := ctx.Value(signInRecordKey{}).(*signInRecord)
	return r
}

// recordOIDCFailure notes that the OIDC token source failed.
func recordOIDCFailure(ctx context.Context, err error) {
	if r := signInRecordFrom(ctx); r != nil && err != nil {
		r.mu.Lock()
		r.oidcErr = err
		r.mu.Unlock()
	}
}

// signInRecordingRoundTripper notes the outcome of every authentication
// request (token, discovery, managed identity, OIDC) in the request's
// signInRecord, if it has one.
type signInRecordingRoundTripper struct {
	next http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t signInRecordingRoundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	r := signInRecordFrom(req.Context())
	if r == nil {
		return resp, err
	}
	u := *req.URL
	u.RawQuery, u.Fragment, u.User = "", "", nil
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case err != nil && !errors.Is(err, context.Canceled):
		r.transportErr, r.transportURL = err, u.String()
	case err == nil && resp.StatusCode >= 400:
		r.refusedURL, r.refusedStatus = u.String(), resp.StatusCode
	}
	return resp, err
}
