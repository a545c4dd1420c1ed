// Package identity is the mock's Microsoft Entra authority: tenants, app
// registrations and their credentials, the OpenID discovery and token
// endpoints, signed access tokens, and the validation of bearer tokens that
// the mock Graph API performs on every call.
//
// CONTRACT NOTE (lead engineer): the exported names and signatures in this
// file are what internal/mockgraph compiles against. Implement them; do not
// rename them. Add whatever else you need.
package identity

import (
	"errors"
	"net/http"
	"time"
)

// Tenant is one Entra tenant known to the mock.
type Tenant struct {
	ID     string `json:"id"`
	Domain string `json:"domain,omitempty"` // e.g. contoso.onmicrosoft.com
}

// App is an app registration (service principal) in a tenant.
type App struct {
	TenantID    string `json:"tenant_id,omitempty"`
	ClientID    string `json:"client_id"`
	DisplayName string `json:"display_name,omitempty"`
	// Secrets are accepted client_secret values.
	Secrets []string `json:"secrets,omitempty"`
	// Certificates are PEM X.509 certificates whose private keys may sign
	// client assertions (matched by x5t / x5t#S256 thumbprint or by trying each).
	Certificates []string `json:"certificates,omitempty"`
	// FederatedCredentials are trusted external OIDC identities (workload
	// identity federation).
	FederatedCredentials []FederatedCredential `json:"federated_credentials,omitempty"`
	// Roles are the application permissions granted (the "roles" claim), e.g.
	// "UserAuthenticationMethod.ReadWrite.All".
	Roles []string `json:"roles,omitempty"`
}

// FederatedCredential trusts tokens from Issuer whose sub is Subject.
type FederatedCredential struct {
	Issuer    string   `json:"issuer"`
	Subject   string   `json:"subject"`
	Audiences []string `json:"audiences,omitempty"` // default api://AzureADTokenExchange
}

// Principal is who a validated access token speaks for.
type Principal struct {
	TenantID string
	AppID    string
	// UserID is set for delegated (user) tokens only; /me resolves to it.
	UserID string
	// Roles are application permissions (app-only tokens).
	Roles []string
	// Scopes are delegated permissions (the scp claim).
	Scopes []string
	// DirectoryRoles are the signed-in user's Entra roles for delegated
	// tokens, e.g. "Authentication Administrator".
	DirectoryRoles []string
}

// Delegated reports whether the token was issued to a signed-in user.
func (p *Principal) Delegated() bool { return p.UserID != "" }

// AuthError is a refused bearer token; the Graph side renders it in Graph's
// error envelope with Status and Code.
type AuthError struct {
	Status  int    // 401
	Code    string // InvalidAuthenticationToken
	Message string
}

func (e *AuthError) Error() string { return e.Code + ": " + e.Message }

// Options tune the authority.
type Options struct {
	TokenLifetime time.Duration    // default 1h
	Now           func() time.Time // default time.Now; tests move the clock
}

// Authority issues and validates tokens.
type Authority struct {
	// filled in by the implementation
}

// New returns an authority with a fresh RSA signing key.
func New(opts Options) *Authority { return &Authority{} }

// SetBaseURL tells the authority its own externally visible base URL (for
// example https://127.0.0.1:41234), known only once the listener is open; it
// is used for issuer, endpoints in discovery documents, and audiences.
func (a *Authority) SetBaseURL(baseURL string) {}

// AddTenant registers a tenant (idempotent).
func (a *Authority) AddTenant(t Tenant) error { return errors.New("identity: not implemented yet") }

// AddApp registers an app in its tenant (App.TenantID must exist).
func (a *Authority) AddApp(app App) error { return errors.New("identity: not implemented yet") }

// Handler serves the authority endpoints under the root path:
//
//	GET  /{tenant}/v2.0/.well-known/openid-configuration
//	GET  /{tenant}/discovery/v2.0/keys
//	POST /{tenant}/oauth2/v2.0/token   (client_credentials with client_secret,
//	     or client_assertion: certificate-signed JWT or federated OIDC token)
//
// and the mock's own external OIDC issuer (standing in for GitHub Actions or
// Azure DevOps) under /_mock/oidc/ (discovery, keys, and a GitHub-style
// request endpoint). Errors use the AAD OAuth error shape
// ({"error","error_description","error_codes",...}).
func (a *Authority) Handler() http.Handler { return http.NotFoundHandler() }

// Authenticate validates the request's bearer token (signature, expiry,
// audience of the Graph resource, tenant) and returns its principal, or an
// *AuthError (401 InvalidAuthenticationToken).
func (a *Authority) Authenticate(r *http.Request) (*Principal, error) {
	return nil, &AuthError{Status: 401, Code: "InvalidAuthenticationToken", Message: "not implemented yet"}
}

// MintDelegatedToken returns a signed delegated access token for a user, so
// tests can call /me endpoints (the mock offers no interactive sign-in).
func (a *Authority) MintDelegatedToken(tenantID, userID string, scopes, directoryRoles []string, ttl time.Duration) (string, error) {
	return "", errors.New("identity: not implemented yet")
}

// MintFederatedToken returns a token from the mock's own external OIDC issuer
// with the given subject and audience, as a CI system would hand out.
func (a *Authority) MintFederatedToken(subject, audience string, ttl time.Duration) (string, error) {
	return "", errors.New("identity: not implemented yet")
}

// FederatedIssuer is the issuer URL of the mock's external OIDC issuer
// (base URL + "/_mock/oidc"); use it in FederatedCredential.Issuer.
func (a *Authority) FederatedIssuer() string { return "" }
