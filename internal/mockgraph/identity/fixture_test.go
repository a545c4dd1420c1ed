package identity

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" // #nosec G505 -- x5t
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph/tlsca"
	"github.com/golang-jwt/jwt/v5"
)

const (
	tenantID     = "7a3e2b4c-1111-4c2d-9e8f-0a1b2c3d4e5f"
	tenantDomain = "contoso.onmicrosoft.com"
	otherTenant  = "9b8c7d6e-2222-4f3e-8a9b-1c2d3e4f5a6b"

	secretApp  = "11111111-aaaa-4bbb-8ccc-000000000001"
	certApp    = "11111111-aaaa-4bbb-8ccc-000000000002"
	fedApp     = "11111111-aaaa-4bbb-8ccc-000000000003"
	readerApp  = "11111111-aaaa-4bbb-8ccc-000000000004"
	appSecret  = "s3cr3t~Value.For-Tests_only"
	fedSubject = "repo:entraauth/terraform-provider-entraauth:ref:refs/heads/main"
	roleWrite  = "UserAuthenticationMethod.ReadWrite.All"
)

// clock is a settable Options.Now, starting at real time so that tokens
// from real MSAL (which uses time.Now) are in range.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Now()} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// testCert is an RSA key with a self-signed certificate, as an app owner
// would upload to an app registration.
type testCert struct {
	key  *rsa.PrivateKey
	cert *x509.Certificate
	pem  string
}

// RSA key generation is slow under -race, so the few keys tests need are
// made once.
var (
	certsOnce sync.Once
	certs     [3]*testCert // 0 registered, 1 unregistered, 2 registered but expired
)

func testCerts(t *testing.T) [3]*testCert {
	t.Helper()
	certsOnce.Do(func() {
		now := time.Now()
		certs[0] = makeCert(t, now.Add(-time.Hour), now.Add(24*time.Hour))
		certs[1] = makeCert(t, now.Add(-time.Hour), now.Add(24*time.Hour))
		certs[2] = makeCert(t, now.Add(-48*time.Hour), now.Add(-24*time.Hour))
	})
	return certs
}

func makeCert(t *testing.T, notBefore, notAfter time.Time) *testCert {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(notBefore.UnixNano()),
		Subject:      pkix.Name{CommonName: "terraform-provider-entraauth test"},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
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
	return &testCert{key: key, cert: cert, pem: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))}
}

// fixture is an authority served over TLS on 127.0.0.1 with one tenant and
// an app per credential type.
type fixture struct {
	a      *Authority
	clock  *clock
	ca     *tlsca.CA
	srv    *httptest.Server
	client *http.Client
	base   string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ca, err := tlsca.New()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ca.ServerTLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	clk := newClock()
	a := New(Options{Now: clk.Now, TokenLifetime: time.Hour})
	srv := httptest.NewUnstartedServer(a.Handler())
	srv.TLS = cfg
	srv.StartTLS()
	t.Cleanup(srv.Close)
	a.SetBaseURL(srv.URL)

	f := &fixture{a: a, clock: clk, ca: ca, srv: srv, base: srv.URL,
		client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
			TLSClientConfig:     &tls.Config{RootCAs: ca.Pool(), MinVersion: tls.VersionTLS12},
			MaxIdleConnsPerHost: 64,
		}}}
	c := testCerts(t)
	must(t, a.AddTenant(Tenant{ID: tenantID, Domain: tenantDomain}))
	must(t, a.AddTenant(Tenant{ID: otherTenant}))
	must(t, a.AddApp(App{TenantID: tenantID, ClientID: secretApp, Secrets: []string{"old-secret", appSecret}, ExpiredSecrets: []string{"expired-secret"}, Roles: []string{roleWrite}}))
	must(t, a.AddApp(App{TenantID: tenantDomain, ClientID: certApp, Certificates: []string{c[0].pem, c[2].pem}, Roles: []string{roleWrite}}))
	must(t, a.AddApp(App{TenantID: tenantID, ClientID: fedApp, Roles: []string{roleWrite}, FederatedCredentials: []FederatedCredential{
		{Issuer: a.FederatedIssuer(), Subject: fedSubject},
		{Issuer: a.FederatedIssuer(), Subject: "system:serviceaccount:ci:runner", Audiences: []string{"api://custom-audience"}},
		{Issuer: "https://token.actions.githubusercontent.com", Subject: "repo:elsewhere/repo:ref:refs/heads/main"},
	}}))
	must(t, a.AddApp(App{TenantID: otherTenant, ClientID: readerApp, Secrets: []string{appSecret}, Roles: []string{"UserAuthenticationMethod.Read.All"}}))
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) tokenURL(seg string) string { return f.base + "/" + seg + "/oauth2/v2.0/token" }

func (f *fixture) scope() string { return f.base + "/.default" }

// post sends a token request and decodes the JSON answer.
func (f *fixture) post(t *testing.T, seg string, form url.Values, basic *[2]string) (int, map[string]any, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.tokenURL(seg), strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic != nil {
		req.SetBasicAuth(url.QueryEscape(basic[0]), url.QueryEscape(basic[1]))
	}
	return f.do(t, req)
}

func (f *fixture) do(t *testing.T, req *http.Request) (int, map[string]any, string) {
	t.Helper()
	resp, err := f.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatalf("status %d, body is not JSON: %q", resp.StatusCode, raw)
	}
	return resp.StatusCode, body, string(raw)
}

func (f *fixture) getJSON(t *testing.T, u string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, body, _ := f.do(t, req)
	return st, body
}

// graphRequest is a request to the mock's Graph side carrying token.
func (f *fixture) graphRequest(token string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, f.base+"/v1.0/users", nil)
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	return r
}

// assertionOpts shape a certificate-signed client assertion.
type assertionOpts struct {
	signer  *rsa.PrivateKey
	cert    *x509.Certificate // for the thumbprint header
	method  jwt.SigningMethod // default PS256, as MSAL
	header  string            // "x5t#S256" (default), "x5t", or "none"
	claims  jwt.MapClaims     // overrides; a nil value deletes the claim
	x5cCert bool
}

func (f *fixture) certAssertion(t *testing.T, o assertionOpts) string {
	t.Helper()
	now := f.clock.Now()
	c := jwt.MapClaims{
		"aud": f.tokenURL(tenantID),
		"iss": certApp,
		"sub": certApp,
		"jti": newGUID(),
		"nbf": now.Unix(),
		"exp": now.Add(10 * time.Minute).Unix(),
	}
	for k, v := range o.claims {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	m := o.method
	if m == nil {
		m = jwt.SigningMethodPS256
	}
	tok := jwt.NewWithClaims(m, c)
	switch o.header {
	case "", "x5t#S256":
		s := sha256.Sum256(o.cert.Raw)
		tok.Header["x5t#S256"] = base64.StdEncoding.EncodeToString(s[:])
	case "x5t":
		s := sha1.Sum(o.cert.Raw) // #nosec G401 -- thumbprint
		tok.Header["x5t"] = base64.RawURLEncoding.EncodeToString(s[:])
	}
	if o.x5cCert {
		tok.Header["x5c"] = []string{base64.StdEncoding.EncodeToString(o.cert.Raw)}
	}
	s, err := tok.SignedString(o.signer)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
