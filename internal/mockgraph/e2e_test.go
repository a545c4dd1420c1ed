package mockgraph

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph/identity"
)

const (
	e2eRW     = "c0000000-0000-4000-8000-0000000000c1"
	e2eRO     = "c0000000-0000-4000-8000-0000000000c2"
	e2eSecret = "s3cret-value"
)

// clock is a movable time source for the authority (token expiry tests).
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func e2eSeed() *Seed {
	sd := testSeed()
	sd.Tenants[0].Apps = []identity.App{
		{ClientID: e2eRW, Secrets: []string{e2eSecret}, Roles: []string{"UserAuthenticationMethod.ReadWrite.All", "Policy.ReadWrite.AuthenticationMethod"}},
		{ClientID: e2eRO, Secrets: []string{e2eSecret}, Roles: []string{"UserAuthenticationMethod.Read.All"}},
	}
	return sd
}

// tokenFor runs the client_credentials flow with a client secret over TLS.
func tokenFor(t *testing.T, s *Server, tenant, clientID, secret string) (string, int) {
	t.Helper()
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {clientID},
		"client_secret": {secret},
		"scope":         {s.GraphEndpoint() + "/.default"},
	}
	resp, err := testClient(s).PostForm(s.AuthorityHost()+tenant+"/oauth2/v2.0/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return body.AccessToken, resp.StatusCode
}

// TestEndToEndClientSecret uses the real token endpoint and validation.
func TestEndToEndClientSecret(t *testing.T) {
	clk := &clock{t: time.Now()}
	s, err := Start(Options{CA: sharedCA(t), Seed: e2eSeed(), Identity: identity.Options{Now: clk.now, TokenLifetime: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)

	// Discovery document is served for azidentity.
	resp, err := testClient(s).Get(s.AuthorityHost() + tenantID + "/v2.0/.well-known/openid-configuration")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("discovery: %v %v", resp, err)
	}
	resp.Body.Close()

	tok, st := tokenFor(t, s, tenantID, e2eRW, e2eSecret)
	if st != 200 || tok == "" {
		t.Fatalf("token: %d", st)
	}
	r := call(t, s, tok, "POST", phonesPath(aliceUPN), map[string]string{"phoneNumber": "+1 5555550001", "phoneType": "mobile"})
	mustStatus(t, r, 201)
	// A new mobile reads notConfigured, as real tenants answer, until SMS
	// sign-in is enabled or disabled.
	if r.json(t)["smsSignInState"] != "notConfigured" {
		t.Fatalf("create: %s", r.Body)
	}
	mustStatus(t, call(t, s, tok, "POST", phonePath(aliceID, MobileMethodID)+"/disableSmsSignIn", nil), 204)
	mustStatus(t, call(t, s, tok, "POST", phonePath(aliceID, MobileMethodID)+"/enableSmsSignIn", nil), 204)
	mustStatus(t, call(t, s, tok, "GET", "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/sms", nil), 200)

	// Read-only app: reads pass, writes are 403.
	ro, st := tokenFor(t, s, "one.example", e2eRO, e2eSecret)
	if st != 200 {
		t.Fatalf("ro token: %d", st)
	}
	mustStatus(t, call(t, s, ro, "GET", phonePath(aliceID, MobileMethodID), nil), 200)
	if r := call(t, s, ro, "DELETE", phonePath(aliceID, MobileMethodID), nil); r.Status != 403 || r.errorCode(t) != "accessDenied" {
		t.Fatalf("ro delete: %d %s", r.Status, r.Body)
	}

	// Wrong secret: no token.
	if _, st := tokenFor(t, s, tenantID, e2eRW, "wrong"); st < 400 {
		t.Fatalf("wrong secret: %d", st)
	}
	// Tampered token: 401.
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token is not a JWT")
	}
	bad := parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2]))
	if r := call(t, s, bad, "GET", phonesPath(aliceID), nil); r.Status != http.StatusUnauthorized || r.errorCode(t) != "InvalidAuthenticationToken" {
		t.Fatalf("tampered: %d %s", r.Status, r.Body)
	}
	// Expired: move the clock past the lifetime.
	clk.add(2 * time.Hour)
	if r := call(t, s, tok, "GET", phonesPath(aliceID), nil); r.Status != http.StatusUnauthorized || r.errorCode(t) != "InvalidAuthenticationToken" {
		t.Fatalf("expired: %d %s", r.Status, r.Body)
	}
}

// TestSharedCA: two mocks in one process share one trust root.
func TestSharedCA(t *testing.T) {
	a := startTest(t, Options{})
	b := startTest(t, Options{})
	if a.CA() != b.CA() {
		t.Fatal("CA not shared")
	}
	mustStatus(t, call(t, b, appRW, "GET", phonesPath(aliceID), nil), 200)
	// a's client trusts b's certificate because the root is the same.
	req, _ := http.NewRequest("GET", b.GraphEndpoint()+phonesPath(aliceID), nil)
	req.Header.Set("Authorization", "Bearer "+appRW)
	resp, err := a.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

func TestStartOptions(t *testing.T) {
	if _, err := Start(Options{Addr: "0.0.0.0:0"}); err == nil {
		t.Fatal("non-loopback address accepted")
	}
	if _, err := Start(Options{Addr: "192.0.2.1:0"}); err == nil {
		t.Fatal("non-loopback address accepted")
	}
	s, err := Start(Options{PlainHTTP: true, Authenticate: fakeAuth, Seed: testSeed()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	if !strings.HasPrefix(s.GraphEndpoint(), "http://127.0.0.1:") || s.CA() != nil {
		t.Fatalf("plain endpoint %s", s.GraphEndpoint())
	}
	mustStatus(t, call(t, s, appRW, "GET", phonesPath(aliceID), nil), 200)
	if s.AdminURL() != s.GraphEndpoint()+"/_mock" || s.AuthorityHost() != s.GraphEndpoint()+"/" || s.Authority() == nil {
		t.Fatal("endpoints")
	}
	s.Close() // twice is fine
}

// TestAuthorityMounted: the authority's endpoints, including its external
// OIDC issuer under /_mock/oidc/, are reachable beside Graph and the admin API.
func TestAuthorityMounted(t *testing.T) {
	s := startTest(t, Options{})
	for _, p := range []string{
		"/" + tenantID + "/v2.0/.well-known/openid-configuration",
		"/" + tenantID + "/discovery/v2.0/keys",
		"/_mock/oidc/.well-known/openid-configuration",
	} {
		resp, err := testClient(s).Get(s.GraphEndpoint() + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("GET %s: %d", p, resp.StatusCode)
		}
	}
}
