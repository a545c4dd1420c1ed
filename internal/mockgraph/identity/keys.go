package identity

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" // #nosec G505 -- x5t is defined as a SHA-1 thumbprint (RFC 7517 §4.8)
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"math/big"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// signingKey is an RSA key with a self-signed certificate, published the way
// Entra publishes its keys: kid equals x5t, and x5c carries the certificate.
type signingKey struct {
	key  *rsa.PrivateKey
	cert *x509.Certificate
	kid  string
}

func newSigningKey(cn string) (*signingKey, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(now.UnixNano()),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(5 * 365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	sum := sha1.Sum(der) // #nosec G401 -- thumbprint, not a security hash
	return &signingKey{key: key, cert: cert, kid: base64.RawURLEncoding.EncodeToString(sum[:])}, nil
}

// sign returns an RS256 JWT carrying kid and x5t, as Entra's tokens do.
func (k *signingKey) sign(claims jwt.MapClaims) (string, error) {
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	t.Header["kid"] = k.kid
	t.Header["x5t"] = k.kid
	s, err := t.SignedString(k.key)
	if err != nil {
		return "", fmt.Errorf("identity: signing token: %w", err)
	}
	return s, nil
}

// jwk is one entry of a JSON Web Key Set.
type jwk struct {
	Kty    string   `json:"kty"`
	Use    string   `json:"use"`
	Kid    string   `json:"kid"`
	X5t    string   `json:"x5t"`
	N      string   `json:"n"`
	E      string   `json:"e"`
	X5c    []string `json:"x5c"`
	Issuer string   `json:"issuer,omitempty"`
}

func (k *signingKey) jwks(issuer string) map[string][]jwk {
	pub := k.key.PublicKey
	return map[string][]jwk{"keys": {{
		Kty:    "RSA",
		Use:    "sig",
		Kid:    k.kid,
		X5t:    k.kid,
		N:      base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		E:      base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
		X5c:    []string{base64.StdEncoding.EncodeToString(k.cert.Raw)},
		Issuer: issuer,
	}}}
}

// keyFunc resolves only this key: a token naming another kid (or none) is
// refused, as a relying party with a fixed JWKS would.
func (k *signingKey) keyFunc(t *jwt.Token) (any, error) {
	if kid, _ := t.Header["kid"].(string); kid != k.kid {
		return nil, fmt.Errorf("unknown signing key %q", kid)
	}
	return &k.key.PublicKey, nil
}
