package acctest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	pkcs12 "software.sslmate.com/src/go-pkcs12"
)

// NewClientCertificate returns an app credential: a self-signed certificate
// and key as a PKCS#12 archive protected by password ("" for none), and the
// certificate in PEM for Options.Certificates.
func NewClientCertificate(t testing.TB, password string) (pfx []byte, certPEM string) {
	t.Helper()
	// RSA: azidentity's certificate credential accepts only RSA keys.
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "terraform-provider-entraauth test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	enc := pkcs12.Modern
	if password == "" {
		enc = pkcs12.Passwordless
	}
	pfx, err = enc.Encode(key, cert, nil, password)
	if err != nil {
		t.Fatal(err)
	}
	return pfx, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}
