// Package graph is the only code in the provider that talks to Microsoft
// Graph. It owns credentials, national clouds, the ordered HTTP pipeline,
// retries, eventual-consistency reads and error translation, and exposes
// typed operations; msgraph-sdk-go types never leave it.
package graph

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoft/kiota-abstractions-go/serialization"
	kiotaazure "github.com/microsoft/kiota-authentication-azure-go"
	jsonserialization "github.com/microsoft/kiota-serialization-json-go"
	textserialization "github.com/microsoft/kiota-serialization-text-go"
	core "github.com/microsoftgraph/msgraph-sdk-go-core"
)

// Config is everything NewClient needs.
type Config struct {
	Endpoints   Endpoints
	Credentials Credentials
	// Version is the provider version, sent in the user agent.
	Version string
	// RetryBaseDelay is the first back-off when Graph sends no Retry-After
	// (default 1s); tests shorten it.
	RetryBaseDelay time.Duration
	// AttemptTimeout bounds one HTTP attempt so a hung connection does not
	// consume the whole operation deadline (default 2 minutes).
	AttemptTimeout time.Duration
	// ExplainSignIn words sign-in failures (see SignInError); nil gives a
	// short default.
	ExplainSignIn SignInExplainer
	// CredentialWhy says why Credentials.Kind was chosen (for example
	// "ARM_CLIENT_SECRET is set"), for messages about refusals.
	CredentialWhy string
}

// Client performs typed Graph operations. It is safe for concurrent use.
type Client struct {
	endpoints      Endpoints
	adapter        abstractions.RequestAdapter
	retryBaseDelay time.Duration
	attemptTimeout time.Duration
	// signIn is the credential every token comes through; CheckSignIn
	// uses it (nil for clients built around a test credential).
	signIn *signInCredential
	// credentialKind and credentialWhy name the credential in messages.
	credentialKind CredentialKind
	credentialWhy  string
}

// Credential says which kind of credential the client signs in with and
// why it was chosen, for messages about refusals.
func (c *Client) Credential() (CredentialKind, string) { return c.credentialKind, c.credentialWhy }

// UserAgent returns the user agent for a provider version.
func UserAgent(version string) string {
	if version == "" {
		version = "dev"
	}
	return "terraform-provider-entraauth/" + version
}

// NewClient builds the credential and the Graph request pipeline. It sends
// no request: the first token is fetched by the first operation or by
// CheckSignIn (signin.go), whichever comes first.
func NewClient(cfg Config) (*Client, error) {
	e := cfg.Endpoints
	if e.GraphEndpoint == "" || e.AuthorityHost == "" || e.Scope == "" {
		return nil, errors.New("graph: endpoints are not resolved (use ResolveEndpoints)")
	}
	host := e.GraphHost()
	if host == "" {
		return nil, fmt.Errorf("graph: endpoint %q has no host", e.GraphEndpoint)
	}
	ua := UserAgent(cfg.Version)
	m := newMasker(cfg.Credentials.secrets()...)

	base := newBaseTransport()
	authHTTP := &http.Client{
		Transport: userAgentRoundTripper{next: authLoggingRoundTripper{next: signInRecordingRoundTripper{next: base}, masker: m}, userAgent: ua},
		// Token endpoints do not redirect; a redirect must not carry a
		// client assertion elsewhere.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	cred, err := newCredential(cfg.Credentials, e, authHTTP)
	if err != nil {
		return nil, err
	}
	signIn := newSignInCredential(cred, cfg.Credentials, cfg.ExplainSignIn, m)
	c, err := newClientWithCredential(cfg, signIn, base, m)
	if err != nil {
		return nil, err
	}
	c.signIn = signIn
	return c, nil
}

// newClientWithCredential assembles the request adapter around a credential
// (tests pass a static one).
func newClientWithCredential(cfg Config, cred azcore.TokenCredential, base http.RoundTripper, m *masker) (*Client, error) {
	e := cfg.Endpoints
	host := e.GraphHost()
	ua := UserAgent(cfg.Version)
	// The token goes only to the configured Graph host (compared with
	// URL.Hostname(), so no port); any other host would get no token.
	auth, err := kiotaazure.NewAzureIdentityAuthenticationProviderWithScopesAndValidHostsAndObservabilityOptionsAndIsCaeEnabled(
		cred, []string{e.Scope}, []string{host}, kiotaazure.ObservabilityOptions{}, graphTokenCAE)
	if err != nil {
		return nil, fmt.Errorf("graph: token provider: %w", err)
	}

	parse := serialization.NewParseNodeFactoryRegistry()
	parse.ContentTypeAssociatedFactories["application/json"] = jsonserialization.NewJsonParseNodeFactory()
	parse.ContentTypeAssociatedFactories["text/plain"] = textserialization.NewTextParseNodeFactory()
	write := serialization.NewSerializationWriterFactoryRegistry()
	write.ContentTypeAssociatedFactories["application/json"] = jsonserialization.NewJsonSerializationWriterFactory()

	httpClient := newGraphHTTPClient(base, ua, newRequestLogger(m, os.Getenv))
	adapter, err := core.NewGraphRequestAdapterBaseWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(auth, core.GraphClientOptions{}, parse, write, httpClient)
	if err != nil {
		return nil, fmt.Errorf("graph: request adapter: %w", err)
	}
	adapter.SetBaseUrl(e.GraphBaseURL())

	c := &Client{
		endpoints: e, adapter: adapter,
		retryBaseDelay: cfg.RetryBaseDelay, attemptTimeout: cfg.AttemptTimeout,
		credentialKind: cfg.Credentials.Kind, credentialWhy: cfg.CredentialWhy,
	}
	if c.retryBaseDelay <= 0 {
		c.retryBaseDelay = time.Second
	}
	if c.attemptTimeout <= 0 {
		c.attemptTimeout = 2 * time.Minute
	}
	return c, nil
}

// Endpoints returns the endpoints the client talks to.
func (c *Client) Endpoints() Endpoints { return c.endpoints }

// SMSSignInAvailable reports whether the cloud offers enable/disableSmsSignIn.
func (c *Client) SMSSignInAvailable() bool { return c.endpoints.Cloud.SMSSignInAvailable }
