// Package tlsca is the mock's private certificate authority: it signs the
// loopback server certificate so clients can trust the mock through
// SSL_CERT_FILE instead of disabling verification.
package tlsca

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
)

// CA is a self-signed root that issues leaf certificates for loopback hosts.
type CA struct {
	// filled in by the implementation
}

// New creates a fresh root CA (ECDSA P-256).
func New() (*CA, error) { return nil, errors.New("tlsca: not implemented yet") }

// Load reads a CA previously written with WriteFiles, so several mock
// processes (or several mocks in one test binary) can share one trust root.
func Load(certFile, keyFile string) (*CA, error) {
	return nil, errors.New("tlsca: not implemented yet")
}

// CertPEM returns the root certificate in PEM form.
func (c *CA) CertPEM() []byte { return nil }

// WriteCertFile writes the root certificate (PEM) to path, mode 0644.
func (c *CA) WriteCertFile(path string) error { return errors.New("tlsca: not implemented yet") }

// WriteFiles writes the root certificate and its private key (PEM, key 0600).
func (c *CA) WriteFiles(certFile, keyFile string) error {
	return errors.New("tlsca: not implemented yet")
}

// Pool returns a cert pool holding only this root.
func (c *CA) Pool() *x509.CertPool { return nil }

// ServerTLSConfig returns a TLS config whose leaf certificate covers
// 127.0.0.1, ::1 and localhost plus any extra hosts given.
func (c *CA) ServerTLSConfig(extraHosts ...string) (*tls.Config, error) {
	return nil, errors.New("tlsca: not implemented yet")
}
