package identity

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	// federatedIssuerPath is where the mock's external OIDC issuer lives,
	// standing in for GitHub Actions or Azure DevOps.
	federatedIssuerPath = "/_mock/oidc"
	// federatedTokenLifetime approximates a CI id token's short life.
	federatedTokenLifetime = 10 * time.Minute
	// githubDefaultAudience mimics GitHub's default audience (the owner's
	// URL), which no federated credential trusts: a client that forgets
	// ?audience= fails here as it would against GitHub and Entra.
	githubDefaultAudience = "https://github.com/mock-owner"
)

// FederatedIssuer is the issuer URL of the mock's external OIDC issuer
// (base URL + "/_mock/oidc"); use it in FederatedCredential.Issuer.
func (a *Authority) FederatedIssuer() string {
	b := a.BaseURL()
	if b == "" {
		return ""
	}
	return b + federatedIssuerPath
}

// GitHubTokenRequestURL is the value to give a client as
// ACTIONS_ID_TOKEN_REQUEST_URL. Like GitHub's, it already carries a query,
// so clients append "&audience=...".
func (a *Authority) GitHubTokenRequestURL() string {
	b := a.BaseURL()
	if b == "" {
		return ""
	}
	return b + federatedIssuerPath + "/github-token?api-version=2.0"
}

// MintFederatedToken returns a token from the mock's own external OIDC issuer
// with the given subject and audience, as a CI system would hand out.
func (a *Authority) MintFederatedToken(subject, audience string, ttl time.Duration) (string, error) {
	base := a.BaseURL()
	if base == "" {
		return "", errors.New("identity: SetBaseURL must be called before minting tokens")
	}
	return a.mintFederated(base, subject, audience, ttl)
}

func (a *Authority) mintFederated(base, subject, audience string, ttl time.Duration) (string, error) {
	if subject == "" || audience == "" {
		return "", errors.New("identity: federated token needs a subject and an audience")
	}
	if ttl <= 0 {
		ttl = federatedTokenLifetime
	}
	now := a.now()
	tok, err := a.fedSigner.sign(jwt.MapClaims{
		"jti": newGUID(),
		"iss": base + federatedIssuerPath,
		"sub": subject,
		"aud": audience,
		"iat": now.Unix(),
		"nbf": now.Unix(),
		"exp": now.Add(ttl).Unix(),
	})
	if err == nil {
		a.issued.add(IssuedFederatedToken, tok)
	}
	return tok, err
}

// IssueOIDCRequestToken registers and returns a new request token (the
// ACTIONS_ID_TOKEN_REQUEST_TOKEN of GitHub Actions); the github-token
// endpoint exchanges it for an id token whose sub is subject.
func (a *Authority) IssueOIDCRequestToken(subject string) string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	tok := base64.RawURLEncoding.EncodeToString(b[:])
	a.mu.Lock()
	a.requestTokens[tok] = subject
	a.mu.Unlock()
	a.issued.add(IssuedOIDCRequestToken, tok)
	return tok
}

func (a *Authority) serveFederatedDiscovery(w http.ResponseWriter, r *http.Request) {
	iss := a.base(r) + federatedIssuerPath
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                iss,
		"jwks_uri":                              iss + "/keys",
		"subject_types_supported":               []string{"public", "pairwise"},
		"response_types_supported":              []string{"id_token"},
		"claims_supported":                      []string{"sub", "aud", "exp", "iat", "iss", "jti", "nbf"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"scopes_supported":                      []string{"openid"},
	})
}

func (a *Authority) serveFederatedKeys(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, a.fedSigner.jwks(""))
}

// serveGitHubToken answers like ACTIONS_ID_TOKEN_REQUEST_URL: a bearer
// request token in, {"value":"<id token>"} out.
func (a *Authority) serveGitHubToken(w http.ResponseWriter, r *http.Request) {
	subject, ok := a.requestTokenSubject(r.Header.Get("Authorization"))
	if !ok {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Bad credentials"})
		return
	}
	aud := r.URL.Query().Get("audience")
	if aud == "" {
		aud = githubDefaultAudience
	}
	tok, err := a.mintFederated(a.base(r), subject, aud, 0)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "could not mint token"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"value": tok})
}

func (a *Authority) requestTokenSubject(header string) (string, bool) {
	scheme, tok, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return "", false
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	// A map lookup is fine: tokens are 256 random bits, not guessable
	// byte by byte.
	subject, found := a.requestTokens[tok]
	return subject, found
}
