package mockgraph

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph/identity"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph/tlsca"
)

// One CA for the whole test binary, as a real harness would share one.
var (
	caOnce sync.Once
	testCA *tlsca.CA
	caErr  error
)

func sharedCA(t testing.TB) *tlsca.CA {
	caOnce.Do(func() { testCA, caErr = tlsca.New() })
	if caErr != nil {
		t.Fatalf("tlsca.New: %v", caErr)
	}
	return testCA
}

const (
	tenantID = "00000000-0000-4000-8000-0000000000a1"
	otherTID = "00000000-0000-4000-8000-0000000000b2"
	aliceID  = "aaaaaaaa-0000-4000-8000-000000000001"
	bobID    = "bbbbbbbb-0000-4000-8000-000000000002"
	carolID  = "cccccccc-0000-4000-8000-000000000003"
	daveID   = "dddddddd-0000-4000-8000-000000000004"
	groupSMS = "99999999-0000-4000-8000-000000000001"
	groupBlk = "99999999-0000-4000-8000-000000000002"
	aliceUPN = "alice@one.example"
)

// fakeAuth stands in for token validation in tests of the Graph surface:
// the bearer token is "fake:" followed by a JSON Principal.
func fakeAuth(r *http.Request) (*identity.Principal, error) {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer fake:")
	if !ok {
		return nil, &identity.AuthError{Status: 401, Code: "InvalidAuthenticationToken", Message: "Access token is empty."}
	}
	var p identity.Principal
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		return nil, &identity.AuthError{Status: 401, Code: "InvalidAuthenticationToken", Message: "IDX14100: JWT is not well formed."}
	}
	return &p, nil
}

func fakeToken(p identity.Principal) string {
	b, _ := json.Marshal(p)
	return "fake:" + string(b)
}

var (
	appRW   = fakeToken(identity.Principal{TenantID: tenantID, AppID: "app-rw", Roles: []string{"UserAuthenticationMethod.ReadWrite.All", "Policy.ReadWrite.AuthenticationMethod"}})
	appRO   = fakeToken(identity.Principal{TenantID: tenantID, AppID: "app-ro", Roles: []string{"UserAuthenticationMethod.Read.All", "Policy.Read.All"}})
	appNone = fakeToken(identity.Principal{TenantID: tenantID, AppID: "app-none"})
	appGran = fakeToken(identity.Principal{TenantID: tenantID, AppID: "app-granular", Roles: []string{"UserAuthMethod-Phone.ReadWrite.All"}})
)

func testSeed() *Seed {
	return &Seed{Tenants: []SeedTenant{{
		ID: tenantID, Domain: "one.example",
		Users: []SeedUser{
			{User: User{ID: aliceID, UserPrincipalName: aliceUPN, DisplayName: "Alice"}},
			{User: User{ID: bobID, UserPrincipalName: "bob@one.example", DisplayName: "Bob"}},
			{User: User{ID: carolID, UserPrincipalName: "carol@one.example", DisplayName: "Carol"}},
			{User: User{ID: daveID, UserPrincipalName: "dave@one.example", DisplayName: "Dave"}},
		},
		Groups: []Group{
			{ID: groupSMS, DisplayName: "sms", Members: []string{aliceID, "BOB@one.example"}},
			{ID: groupBlk, DisplayName: "blocked", Members: []string{daveID}},
		},
		SMSPolicy: &SMSPolicy{State: "enabled", IncludeTargets: []SMSIncludeTarget{{ID: AllUsers, TargetType: "group", IsUsableForSignIn: true}}},
	}, {ID: otherTID, Domain: "two.example", Users: []SeedUser{{User: User{ID: "eeeeeeee-0000-4000-8000-000000000005", UserPrincipalName: "erin@two.example"}}}}}}
}

// startTest starts a TLS mock with the test seed and fake authentication.
func startTest(t testing.TB, opts Options) *Server {
	t.Helper()
	opts.CA = sharedCA(t)
	if opts.Authenticate == nil {
		opts.Authenticate = fakeAuth
	}
	if opts.Seed == nil {
		opts.Seed = testSeed()
	}
	s, err := Start(opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("response body is not JSON (%d): %q", r.Status, r.Body)
	}
	return m
}

// errorCode returns error.code of a Graph error body.
func (r response) errorCode(t testing.TB) string {
	t.Helper()
	e, _ := r.json(t)["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

type reqOpt func(*http.Request)

func withHeader(k, v string) reqOpt { return func(r *http.Request) { r.Header.Set(k, v) } }

// call sends a Graph request with a token and an optional JSON body
// (a string is sent verbatim); transport errors fail the test.
func call(t testing.TB, s *Server, token, method, path string, body any, opts ...reqOpt) response {
	t.Helper()
	r, err := tryCall(s, token, method, path, body, opts...)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return r
}

// tryCall is call for goroutines, which must not call t.Fatal.
func tryCall(s *Server, token, method, path string, body any, opts ...reqOpt) (response, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, s.GraphEndpoint()+path, rd)
	if err != nil {
		return response{}, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, o := range opts {
		o(req)
	}
	resp, err := testClient(s).Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return response{Status: resp.StatusCode, Header: resp.Header, Body: b}, err
}

var (
	clientsMu sync.Mutex
	clients   = map[*Server]*http.Client{}
)

func testClient(s *Server) *http.Client {
	clientsMu.Lock()
	defer clientsMu.Unlock()
	c := clients[s]
	if c == nil {
		c = s.Client()
		if tr, ok := c.Transport.(*http.Transport); ok {
			tr.MaxIdleConnsPerHost = 64
		}
		clients[s] = c
	}
	return c
}

func gzipped(t testing.TB, body string) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write([]byte(body))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func phonesPath(user string) string { return "/v1.0/users/" + user + "/authentication/phoneMethods" }

func phonePath(user, id string) string { return phonesPath(user) + "/" + id }

// mustOK fails unless the response has the wanted status.
func mustStatus(t testing.TB, r response, want int) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("status %d, want %d; body %s", r.Status, want, r.Body)
	}
}

func stringsReader(s string) io.Reader { return strings.NewReader(s) }

func identityTenant(id string) identity.Tenant { return identity.Tenant{ID: id} }
