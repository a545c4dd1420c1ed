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
	"net/http"
	"sync"
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
	// ExpiredSecrets are client_secret values that were valid and have
	// expired: refused with AADSTS7000222, as Entra does.
	ExpiredSecrets []string `json:"expired_secrets,omitempty"`
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
	lifetime time.Duration
	now      func() time.Time

	// The signing keys never change after New, so they need no lock.
	signer    *signingKey // access tokens (the Entra side)
	fedSigner *signingKey // the mock's external OIDC issuer (the CI side)

	handlerOnce sync.Once
	handler     http.Handler

	mu            sync.RWMutex
	baseURL       string
	tenants       map[string]*Tenant // lower-case tenant id
	domains       map[string]string  // lower-case domain -> tenant id
	apps          map[appKey]*appState
	requestTokens map[string]string // OIDC request token -> subject

	issued issuedTokens
	// verified are tokens whose signature Authenticate has checked.
	verified verifiedTokens
}

// New returns an authority with a fresh RSA signing key.
func New(opts Options) *Authority {
	a := &Authority{
		lifetime:      opts.TokenLifetime,
		now:           opts.Now,
		tenants:       map[string]*Tenant{},
		domains:       map[string]string{},
		apps:          map[appKey]*appState{},
		requestTokens: map[string]string{},
	}
	if a.lifetime <= 0 {
		a.lifetime = time.Hour
	}
	if a.now == nil {
		a.now = time.Now
	}
	// Key generation reads crypto/rand, which does not fail on supported
	// platforms; New has no error in its contract, so a failure is fatal.
	var err error
	if a.signer, err = newSigningKey("entraauth mock token signing"); err != nil {
		panic("identity: generating signing key: " + err.Error())
	}
	if a.fedSigner, err = newSigningKey("entraauth mock external OIDC issuer"); err != nil {
		panic("identity: generating issuer key: " + err.Error())
	}
	return a
}
