package tlsca

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// startTLS serves "ok" over TLS on 127.0.0.1 with a leaf from ca.
func startTLS(t *testing.T, ca *CA) *httptest.Server {
	t.Helper()
	cfg, err := ca.ServerTLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "ok")
	}))
	srv.TLS = cfg
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

func clientTrusting(pool *x509.CertPool) *http.Client {
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
}

func get(c *http.Client, url string) error {
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.ReadAll(resp.Body)
	return err
}

func TestServerTLSConfig(t *testing.T) {
	ca, err := New()
	if err != nil {
		t.Fatal(err)
	}
	other, err := New()
	if err != nil {
		t.Fatal(err)
	}
	srv := startTLS(t, ca)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "https://"))

	tests := []struct {
		name    string
		pool    *x509.CertPool
		url     string
		wantErr bool
	}{
		{"trusted by its CA on 127.0.0.1", ca.Pool(), srv.URL, false},
		{"trusted by its CA as localhost", ca.Pool(), "https://localhost:" + port, false},
		{"refused by another CA", other.Pool(), srv.URL, true},
		{"refused by an empty pool", x509.NewCertPool(), srv.URL, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := get(clientTrusting(tc.pool), tc.url)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
		})
	}
}

func TestServerTLSConfigHosts(t *testing.T) {
	ca, err := New()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ca.ServerTLSConfig("mock.example.test", "10.1.2.3", "")
	if err != nil {
		t.Fatal(err)
	}
	leaf := cfg.Certificates[0].Leaf
	for _, host := range []string{"127.0.0.1", "::1", "localhost", "mock.example.test", "10.1.2.3"} {
		if err := leaf.VerifyHostname(host); err != nil {
			t.Errorf("leaf does not cover %s: %v", host, err)
		}
	}
	if err := leaf.VerifyHostname("graph.microsoft.com"); err == nil {
		t.Error("leaf covers a host it was not asked for")
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: ca.Pool(), DNSName: "localhost"}); err != nil {
		t.Errorf("leaf does not chain to the root: %v", err)
	}
	if !slices.Contains(leaf.ExtKeyUsage, x509.ExtKeyUsageServerAuth) {
		t.Error("leaf lacks serverAuth")
	}
}

func TestWriteFilesLoadRoundTrip(t *testing.T) {
	ca, err := New()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "ca.pem"), filepath.Join(dir, "ca-key.pem")
	if err := ca.WriteFiles(certFile, keyFile); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{certFile: 0o644, keyFile: 0o600} {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s mode = %v, want %v", filepath.Base(path), st.Mode().Perm(), want)
		}
	}
	loaded, err := Load(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(loaded.CertPEM(), ca.CertPEM()) {
		t.Fatal("loaded root differs from the written one")
	}
	// A leaf issued by the loaded CA must be trusted through the original
	// root: that is what sharing one trust root between mocks relies on.
	srv := startTLS(t, loaded)
	if err := get(clientTrusting(ca.Pool()), srv.URL); err != nil {
		t.Fatalf("leaf from the loaded CA is not trusted by the original root: %v", err)
	}
}

func TestWriteCertFile(t *testing.T) {
	ca, err := New()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := ca.WriteCertFile(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		t.Fatal("written file is not a PEM certificate")
	}
	if strings.Contains(string(data), "PRIVATE KEY") {
		t.Fatal("certificate file leaks the private key")
	}
}

func TestLoadRefuses(t *testing.T) {
	a, err := New()
	if err != nil {
		t.Fatal(err)
	}
	b, err := New()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	aCert, aKey := filepath.Join(dir, "a.pem"), filepath.Join(dir, "a-key.pem")
	bCert, bKey := filepath.Join(dir, "b.pem"), filepath.Join(dir, "b-key.pem")
	if err := a.WriteFiles(aCert, aKey); err != nil {
		t.Fatal(err)
	}
	if err := b.WriteFiles(bCert, bKey); err != nil {
		t.Fatal(err)
	}
	garbage := filepath.Join(dir, "garbage.pem")
	if err := os.WriteFile(garbage, []byte("not pem"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, cert, key string
	}{
		{"missing cert file", filepath.Join(dir, "nope.pem"), aKey},
		{"missing key file", aCert, filepath.Join(dir, "nope.pem")},
		{"key of another CA", aCert, bKey},
		{"garbage cert", garbage, aKey},
		{"garbage key", aCert, garbage},
		{"key file given as cert", aKey, aKey},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Load(tc.cert, tc.key); err == nil {
				t.Fatal("Load succeeded")
			}
		})
	}
}

func TestCertPEMIsACopy(t *testing.T) {
	ca, err := New()
	if err != nil {
		t.Fatal(err)
	}
	p := ca.CertPEM()
	p[0] = 'X'
	if ca.CertPEM()[0] == 'X' {
		t.Fatal("CertPEM exposes internal state")
	}
}
