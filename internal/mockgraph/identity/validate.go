package identity

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/golang-jwt/jwt/v5"
)

// Messages of Graph's 401 InvalidAuthenticationToken responses.
const (
	msgTokenEmpty     = "Access token is empty."
	msgTokenMalformed = "IDX14100: JWT is not well formed."
	msgTokenExpired   = "Access token has expired or is not yet valid."
	msgBadSignature   = "Invalid signature."
	msgBadAudience    = "Access token validation failure. Invalid audience."
	msgBadIssuer      = "Access token validation failure. Invalid issuer."
)

func authError(msg string) *AuthError {
	return &AuthError{Status: http.StatusUnauthorized, Code: "InvalidAuthenticationToken", Message: msg}
}

// Authenticate validates the request's bearer token (signature, expiry,
// audience of the Graph resource, tenant) and returns its principal, or an
// *AuthError (401 InvalidAuthenticationToken).
func (a *Authority) Authenticate(r *http.Request) (*Principal, error) {
	scheme, raw, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	raw = strings.TrimSpace(raw)
	if !strings.EqualFold(scheme, "Bearer") || raw == "" {
		return nil, authError(msgTokenEmpty)
	}
	claims, err := a.verify(raw)
	switch {
	case err == nil:
	case errors.Is(err, jwt.ErrTokenMalformed):
		return nil, authError(msgTokenMalformed)
	case errors.Is(err, jwt.ErrTokenExpired), errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		// jwt checks the signature before the times, so this token is ours.
		return nil, authError(msgTokenExpired)
	default:
		return nil, authError(msgBadSignature)
	}

	base := a.base(r)
	if !audienceOK(claims, []string{base}) {
		return nil, authError(msgBadAudience)
	}
	tid, _ := claims["tid"].(string)
	iss, _ := claims.GetIssuer()
	t, ok := a.LookupTenant(tid)
	if !ok || tid != t.ID || iss != a.issuerFor(base, t.ID) {
		return nil, authError(msgBadIssuer)
	}
	return principalFrom(claims, t.ID), nil
}

// maxVerifiedTokens bounds verifiedTokens: a client keeps its token for
// an hour, so a few thousand covers any test run; past it the set starts
// over.
const maxVerifiedTokens = 4096

// verifiedTokens are access tokens whose RS256 signature this authority
// has checked (its signing key never changes), with their claims: a
// client sends the same token with every call, and checking an RSA
// signature each time was most of the mock's CPU per call, which shares
// the machine with the provider under test. The times (exp, nbf, iat)
// are still checked on every call, against the mock's clock.
type verifiedTokens struct {
	m sync.Map // raw token -> jwt.MapClaims (read only once stored)
	n atomic.Int64
}

// verify parses raw and checks its signature (once per token) and its
// times (every call).
func (a *Authority) verify(raw string) (jwt.MapClaims, error) {
	times := []jwt.ParserOption{jwt.WithTimeFunc(a.now), jwt.WithExpirationRequired()}
	if c, ok := a.verified.m.Load(raw); ok {
		claims, _ := c.(jwt.MapClaims)
		return claims, jwt.NewValidator(times...).Validate(claims)
	}
	claims := jwt.MapClaims{}
	_, err := jwt.NewParser(append(times, jwt.WithValidMethods([]string{"RS256"}))...).ParseWithClaims(raw, claims, a.signer.keyFunc)
	if err == nil {
		if a.verified.n.Add(1) > maxVerifiedTokens {
			a.verified.m.Clear()
			a.verified.n.Store(1)
		}
		a.verified.m.Store(raw, claims)
	}
	return claims, err
}

func principalFrom(c jwt.MapClaims, tenantID string) *Principal {
	p := &Principal{TenantID: tenantID}
	p.AppID, _ = c["appid"].(string)
	if p.AppID == "" {
		p.AppID, _ = c["azp"].(string)
	}
	p.Roles = stringList(c["roles"])
	if typ, _ := c["idtyp"].(string); typ == "user" {
		p.UserID, _ = c["oid"].(string)
		if scp, _ := c["scp"].(string); scp != "" {
			p.Scopes = strings.Fields(scp)
		}
		for _, w := range stringList(c["wids"]) {
			if name, ok := roleNames[w]; ok {
				w = name
			}
			if !slices.Contains(p.DirectoryRoles, w) {
				p.DirectoryRoles = append(p.DirectoryRoles, w)
			}
		}
	}
	return p
}

func stringList(v any) []string {
	arr, _ := v.([]any)
	out := make([]string, 0, len(arr))
	for _, x := range arr {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
