package identity

import (
	"bytes"
	"encoding/base64"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// assertionSkew is the clock skew Entra tolerates on client assertions.
const assertionSkew = 5 * time.Minute

// Algorithms accepted on certificate-signed assertions: MSAL signs PS256
// (RS256 for ADFS), other clients RS256.
var certAssertionAlgs = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}

// verifyClientAssertion checks a client_assertion. An assertion issued by
// the app itself (iss = client id) is a certificate credential; any other
// issuer makes it a federated token, as Entra decides.
func (a *Authority) verifyClientAssertion(assertion, base, seg string, t *Tenant, app *appState) (aadError, bool) {
	claims := jwt.MapClaims{}
	tok, _, err := jwt.NewParser().ParseUnverified(assertion, claims)
	if err != nil {
		return errMalformedAssertion(), true
	}
	iss, _ := claims.GetIssuer()
	if strings.EqualFold(iss, app.app.ClientID) {
		return a.verifyCertificateAssertion(assertion, tok, claims, base, seg, t, app)
	}
	return a.verifyFederatedAssertion(assertion, claims, base, app)
}

func (a *Authority) verifyCertificateAssertion(assertion string, unverified *jwt.Token, claims jwt.MapClaims, base, seg string, t *Tenant, app *appState) (aadError, bool) {
	if sub, _ := claims.GetSubject(); !strings.EqualFold(sub, app.app.ClientID) {
		return errAssertionClientMismatch(), true
	}
	candidates := matchingCerts(unverified.Header, app.certs)
	if len(candidates) == 0 {
		return errCertNotRegistered(), true
	}
	now := a.now()
	var verified *registeredCert
	for i := range candidates {
		c := candidates[i]
		_, err := jwt.NewParser(jwt.WithValidMethods(certAssertionAlgs), jwt.WithoutClaimsValidation()).
			Parse(assertion, func(*jwt.Token) (any, error) { return c.cert.PublicKey, nil })
		if err == nil {
			verified = &c
			break
		}
	}
	if verified == nil {
		return errAssertionSignature("The signature does not verify with any registered certificate."), true
	}
	// Entra's key credential ends when the certificate does, by default.
	if now.After(verified.cert.NotAfter) || now.Before(verified.cert.NotBefore) {
		return errAssertionSignature("The key used is expired."), true
	}
	if !audienceOK(claims, tokenEndpoints(base, seg, t)) {
		return errAssertionAudience(), true
	}
	return checkAssertionTime(claims, now)
}

// matchingCerts narrows the app's certificates by the x5t#S256 or x5t header
// when present; without either, every certificate is a candidate.
func matchingCerts(h map[string]any, certs []registeredCert) []registeredCert {
	s256, has256 := thumbprintHeader(h, "x5t#S256")
	s1, has1 := thumbprintHeader(h, "x5t")
	if !has256 && !has1 {
		return certs
	}
	var out []registeredCert
	for _, c := range certs {
		if (has256 && bytes.Equal(s256, c.sha256)) || (has1 && bytes.Equal(s1, c.sha1)) {
			out = append(out, c)
		}
	}
	return out
}

// thumbprintHeader decodes a thumbprint header. RFC 7515 says base64url, but
// MSAL sends standard base64, so both are accepted.
func thumbprintHeader(h map[string]any, name string) ([]byte, bool) {
	s, ok := h[name].(string)
	if !ok || s == "" {
		return nil, false
	}
	for _, enc := range []*base64.Encoding{base64.RawURLEncoding, base64.URLEncoding, base64.StdEncoding, base64.RawStdEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, true
		}
	}
	return []byte{}, true // present but undecodable: matches nothing
}

// tokenEndpoints are the audiences Entra accepts on a client assertion: the
// token endpoint (v2.0 or v1) naming the tenant by id, by domain, or as the
// client addressed it.
func tokenEndpoints(base, seg string, t *Tenant) []string {
	var out []string
	for _, name := range []string{seg, t.ID, t.Domain} {
		if name == "" {
			continue
		}
		out = append(out, base+"/"+name+"/oauth2/v2.0/token", base+"/"+name+"/oauth2/token")
	}
	return out
}

func audienceOK(claims jwt.MapClaims, allowed []string) bool {
	auds, err := claims.GetAudience()
	if err != nil {
		return false
	}
	for _, got := range auds {
		for _, want := range allowed {
			if strings.EqualFold(strings.TrimRight(got, "/"), want) {
				return true
			}
		}
	}
	return false
}

// checkAssertionTime requires exp and honours nbf, with Entra's skew.
func checkAssertionTime(claims jwt.MapClaims, now time.Time) (aadError, bool) {
	var expT, nbfT *time.Time
	if e, err := claims.GetExpirationTime(); err == nil && e != nil {
		expT = &e.Time
	}
	if n, err := claims.GetNotBefore(); err == nil && n != nil {
		nbfT = &n.Time
	}
	if expT == nil || now.After(expT.Add(assertionSkew)) || (nbfT != nil && now.Add(assertionSkew).Before(*nbfT)) {
		return errAssertionTime(now, nbfT, expT), true
	}
	return aadError{}, false
}
