package graph

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	pkcs12 "software.sslmate.com/src/go-pkcs12"
)

// CredentialKind names how the provider authenticates.
type CredentialKind string

// The credential kinds, one per azidentity credential used.
const (
	CredentialClientSecret      CredentialKind = "client_secret"
	CredentialClientCertificate CredentialKind = "client_certificate"
	CredentialOIDC              CredentialKind = "oidc"
	CredentialManagedIdentity   CredentialKind = "managed_identity"
	CredentialAzureCLI          CredentialKind = "azure_cli"
)

// OIDCAudience is the audience Entra expects on federated tokens.
const OIDCAudience = "api://AzureADTokenExchange"

// Credentials are the resolved authentication settings (files already read
// by the provider, except the OIDC token file, which is re-read on each
// token request because CI systems rotate it).
type Credentials struct {
	Kind     CredentialKind
	TenantID string
	ClientID string

	ClientSecret string

	// ClientCertificate is a PKCS#12 archive (raw bytes, not base64).
	ClientCertificate         []byte
	ClientCertificatePassword string

	OIDCToken         string
	OIDCTokenFilePath string
	OIDCRequestToken  string
	OIDCRequestURL    string
}

// secrets lists the values that must never appear in a log.
func (c Credentials) secrets() []string {
	return []string{c.ClientSecret, c.ClientCertificatePassword, c.OIDCToken, c.OIDCRequestToken}
}

// ErrCertificatePasswordRequired means the PKCS#12 archive is encrypted and
// no password, or a wrong one, was given.
var ErrCertificatePasswordRequired = errors.New("the client certificate is password protected and the password is missing or wrong")

// ParseClientCertificate decodes a PKCS#12 archive into the key and chain
// azidentity needs (go-pkcs12 reads modern AES-encrypted archives too).
func ParseClientCertificate(data []byte, password string) (crypto.PrivateKey, []*x509.Certificate, error) {
	key, cert, chain, err := pkcs12.DecodeChain(data, password)
	if err != nil {
		if errors.Is(err, pkcs12.ErrIncorrectPassword) {
			return nil, nil, ErrCertificatePasswordRequired
		}
		return nil, nil, fmt.Errorf("the client certificate is not a valid PKCS#12 archive: %w", err)
	}
	if cert == nil || key == nil {
		return nil, nil, errors.New("the client certificate archive lacks a certificate or its private key")
	}
	return key, append([]*x509.Certificate{cert}, chain...), nil
}

// newCredential builds the azidentity credential for c, pointed at the
// endpoints' authority and sending its requests through transport.
func newCredential(c Credentials, e Endpoints, transport *http.Client) (azcore.TokenCredential, error) {
	opts := azcore.ClientOptions{
		Cloud:     cloud.Configuration{ActiveDirectoryAuthorityHost: e.AuthorityHost + "/"},
		Transport: transport,
	}
	switch c.Kind {
	case CredentialClientSecret:
		return azidentity.NewClientSecretCredential(c.TenantID, c.ClientID, c.ClientSecret, &azidentity.ClientSecretCredentialOptions{
			ClientOptions: opts, DisableInstanceDiscovery: e.CustomAuthority,
		})
	case CredentialClientCertificate:
		key, certs, err := ParseClientCertificate(c.ClientCertificate, c.ClientCertificatePassword)
		if err != nil {
			return nil, err
		}
		return azidentity.NewClientCertificateCredential(c.TenantID, c.ClientID, certs, key, &azidentity.ClientCertificateCredentialOptions{
			ClientOptions: opts, DisableInstanceDiscovery: e.CustomAuthority,
		})
	case CredentialOIDC:
		src := oidcTokenSource{token: c.OIDCToken, filePath: c.OIDCTokenFilePath, requestToken: c.OIDCRequestToken, requestURL: c.OIDCRequestURL, client: transport}
		if err := src.validate(); err != nil {
			return nil, err
		}
		return azidentity.NewClientAssertionCredential(c.TenantID, c.ClientID, src.assertion, &azidentity.ClientAssertionCredentialOptions{
			ClientOptions: opts, DisableInstanceDiscovery: e.CustomAuthority,
		})
	case CredentialManagedIdentity:
		// The identity endpoint is the host's (IMDS or App Service), not the
		// authority; only a user-assigned identity's client id is passed.
		mi := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: azcore.ClientOptions{Transport: transport}}
		if c.ClientID != "" {
			mi.ID = azidentity.ClientID(c.ClientID)
		}
		return azidentity.NewManagedIdentityCredential(mi)
	case CredentialAzureCLI:
		// The CLI talks to its own signed-in cloud; the tenant narrows it.
		return azidentity.NewAzureCLICredential(&azidentity.AzureCLICredentialOptions{TenantID: c.TenantID})
	default:
		return nil, fmt.Errorf("unknown credential kind %q", c.Kind)
	}
}

// oidcTokenSource yields the federated token used as client assertion: a
// fixed token, a file re-read on each call, or a GitHub-Actions-style
// request endpoint.
type oidcTokenSource struct {
	token, filePath, requestToken, requestURL string
	client                                    *http.Client
}

func (s oidcTokenSource) validate() error {
	switch {
	case s.token != "", s.filePath != "":
		return nil
	case s.requestURL != "" && s.requestToken != "":
		u, err := url.Parse(s.requestURL)
		if err != nil || u.Host == "" {
			return fmt.Errorf("the OIDC request URL is not a valid URL")
		}
		secure := strings.EqualFold(u.Scheme, "https") || (strings.EqualFold(u.Scheme, "http") && IsLoopbackHost(u.Hostname()))
		if !secure {
			return fmt.Errorf("the OIDC request URL must use https (plain http only for loopback hosts)")
		}
		return nil
	default:
		return errors.New("OIDC needs a token, a token file, or a request URL with its request token")
	}
}

// assertion is the federated token; a failure is noted for the sign-in
// error (see signInRecord), since azidentity keeps only its text.
func (s oidcTokenSource) assertion(ctx context.Context) (string, error) {
	t, err := s.fetch(ctx)
	if err != nil {
		recordOIDCFailure(ctx, err)
	}
	return t, err
}

func (s oidcTokenSource) fetch(ctx context.Context) (string, error) {
	switch {
	case s.token != "":
		return s.token, nil
	case s.filePath != "":
		b, err := os.ReadFile(s.filePath)
		if err != nil {
			return "", fmt.Errorf("reading the OIDC token file: %w", err)
		}
		t := strings.TrimSpace(string(b))
		if t == "" {
			return "", fmt.Errorf("the OIDC token file %s is empty", s.filePath)
		}
		return t, nil
	default:
		return s.request(ctx)
	}
}

// request fetches a token the way GitHub Actions documents it: GET the
// request URL with audience appended, bearer request token, JSON {"value"}.
func (s oidcTokenSource) request(ctx context.Context) (string, error) {
	u, err := url.Parse(s.requestURL)
	if err != nil {
		return "", errors.New("the OIDC request URL is not a valid URL")
	}
	q := u.Query()
	q.Set("audience", OIDCAudience)
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+s.requestToken)
	req.Header.Set("Accept", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		return "", fmt.Errorf("requesting the OIDC token: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", fmt.Errorf("reading the OIDC token response: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		// The body is not echoed: it could hold a token.
		return "", fmt.Errorf("requesting the OIDC token: HTTP %d from %s://%s%s", resp.StatusCode, u.Scheme, u.Host, u.Path)
	}
	var out struct {
		Value string `json:"value"`
	}
	if err := json.Unmarshal(body, &out); err != nil || out.Value == "" {
		return "", errors.New("the OIDC token response has no \"value\"")
	}
	return out.Value, nil
}
