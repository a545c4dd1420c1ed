package graph

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// mockClient returns a Client for the mock with the given credentials
// (tenant and client id filled in) over TLS with real token requests.
func mockClient(t *testing.T, m *acctest.Mock, creds Credentials) *Client {
	t.Helper()
	e, err := ResolveEndpoints("", m.GraphEndpoint(), m.AuthorityHost())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(e.GraphEndpoint, "https://127.0.0.1:") || !e.CustomAuthority {
		t.Fatalf("unexpected endpoints %+v", e)
	}
	creds.TenantID, creds.ClientID = m.TenantID, m.ClientID
	c, err := NewClient(Config{Endpoints: e, Credentials: creds, Version: "test", RetryBaseDelay: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// exercisePhoneMethods runs the phone method lifecycle and checks it
// against the mock's own state.
func exercisePhoneMethods(t *testing.T, m *acctest.Mock, c *Client) {
	t.Helper()
	ctx := testContext(t)
	user := m.User(t, "adele")
	created, err := c.CreatePhoneMethod(ctx, user.UserPrincipalName, PhoneTypeMobile, "+1 5555550100")
	if err != nil {
		t.Fatal(err)
	}
	if created.ID != PhoneTypeMobile.MethodID() || created.How != Created || created.PhoneType != PhoneTypeMobile || created.PhoneNumber != "+1 5555550100" {
		t.Fatalf("created %+v", created)
	}
	change, err := c.SetSMSSignIn(ctx, user.ID, PhoneTypeMobile, true, created.PhoneMethod)
	if err != nil || change.How != SMSSignInApplied || !change.Read {
		t.Fatalf("enable: %+v %v; want applied and read back", change, err)
	}
	got, err := c.GetPhoneMethod(ctx, user.ID, PhoneTypeMobile)
	if err != nil {
		t.Fatal(err)
	}
	if got.SMSSignInState != SMSSignInStateReady || change.Phone != *got {
		t.Errorf("after enable: %+v (SetSMSSignIn returned %+v)", got, change.Phone)
	}
	up, err := c.UpdatePhoneMethod(ctx, user.ID, PhoneTypeMobile, "+1 5555550100", "+1 5555550111")
	if err != nil || up.How != Updated || !up.Read || up.Phone.PhoneNumber != "+1 5555550111" {
		t.Fatalf("update: %+v %v; want Updated and read back", up, err)
	}
	list, err := c.ListPhoneMethods(ctx, user.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].PhoneNumber != "+1 5555550111" {
		t.Errorf("list after update: %+v", list)
	}
	state, err := m.Server.PhoneMethods(m.TenantID, user.ID)
	if err != nil || len(state) != 1 || state[0].PhoneNumber != "+1 5555550111" {
		t.Errorf("mock state: %+v %v", state, err)
	}
	if change, err := c.SetSMSSignIn(ctx, user.ID, PhoneTypeMobile, false, up.Phone); err != nil || change.How != SMSSignInApplied || change.Phone.SMSSignInState != SMSSignInStateNotEnabled {
		t.Fatalf("disable: %+v %v; want applied, notEnabled", change, err)
	}
	if del, err := c.DeletePhoneMethod(ctx, user.ID, PhoneTypeMobile); err != nil || del.How != Deleted {
		t.Fatalf("delete: %+v %v; want Deleted", del, err)
	}
	_, err = c.GetPhoneMethod(ctx, user.ID, PhoneTypeMobile)
	if !IsNotFound(err) {
		t.Fatalf("after delete: %v", err)
	}
	if del, err := c.DeletePhoneMethod(ctx, user.ID, PhoneTypeMobile); err != nil || del.How != AlreadyGone {
		t.Fatalf("second delete: %+v %v; want AlreadyGone", del, err)
	}
	if !strings.Contains(err.Error(), "request-id: ") {
		t.Errorf("error lacks the request-id: %v", err)
	}
}

func TestMockClientSecret(t *testing.T) {
	t.Parallel()
	m := acctest.NewMock(t, acctest.Options{})
	exercisePhoneMethods(t, m, mockClient(t, m, Credentials{Kind: CredentialClientSecret, ClientSecret: m.ClientSecret}))
}

func TestMockWrongClientSecret(t *testing.T) {
	t.Parallel()
	m := acctest.NewMock(t, acctest.Options{})
	c := mockClient(t, m, Credentials{Kind: CredentialClientSecret, ClientSecret: "not-the-secret"})
	_, err := c.ListPhoneMethods(testContext(t), m.User(t, "adele").ID)
	if err == nil || !strings.Contains(err.Error(), "list phone methods") {
		t.Fatalf("err = %v", err)
	}
	if n := len(m.Server.RequestLog()); n != 0 {
		t.Errorf("%d Graph requests sent without a token", n)
	}
}

func TestMockClientCertificate(t *testing.T) {
	t.Parallel()
	pfx, certPEM := acctest.NewClientCertificate(t, "pfx-password")
	m := acctest.NewMock(t, acctest.Options{Certificates: []string{certPEM}})
	exercisePhoneMethods(t, m, mockClient(t, m, Credentials{
		Kind: CredentialClientCertificate, ClientCertificate: pfx, ClientCertificatePassword: "pfx-password",
	}))
}

func TestParseClientCertificatePassword(t *testing.T) {
	t.Parallel()
	pfx, _ := acctest.NewClientCertificate(t, "right")
	if _, _, err := ParseClientCertificate(pfx, ""); err != ErrCertificatePasswordRequired {
		t.Errorf("missing password: %v", err)
	}
	if _, _, err := ParseClientCertificate(pfx, "wrong"); err != ErrCertificatePasswordRequired {
		t.Errorf("wrong password: %v", err)
	}
	if _, certs, err := ParseClientCertificate(pfx, "right"); err != nil || len(certs) != 1 {
		t.Errorf("right password: %v", err)
	}
	open, _ := acctest.NewClientCertificate(t, "")
	if _, _, err := ParseClientCertificate(open, ""); err != nil {
		t.Errorf("passwordless: %v", err)
	}
	if _, _, err := ParseClientCertificate([]byte("not a pfx"), ""); err == nil || err == ErrCertificatePasswordRequired {
		t.Errorf("garbage: %v", err)
	}
}

func TestMockOIDCTokenFile(t *testing.T) {
	t.Parallel()
	m := acctest.NewMock(t, acctest.Options{})
	token, err := m.Server.Authority().MintFederatedToken(acctest.OIDCSubject, OIDCAudience, 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "oidc-token")
	if err := os.WriteFile(file, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	exercisePhoneMethods(t, m, mockClient(t, m, Credentials{Kind: CredentialOIDC, OIDCTokenFilePath: file}))
}

func TestMockOIDCRequestURL(t *testing.T) {
	t.Parallel()
	m := acctest.NewMock(t, acctest.Options{})
	a := m.Server.Authority()
	exercisePhoneMethods(t, m, mockClient(t, m, Credentials{
		Kind: CredentialOIDC, OIDCRequestURL: a.GitHubTokenRequestURL(), OIDCRequestToken: a.IssueOIDCRequestToken(acctest.OIDCSubject),
	}))
}

func TestMockOIDCRequestRefused(t *testing.T) {
	t.Parallel()
	m := acctest.NewMock(t, acctest.Options{})
	c := mockClient(t, m, Credentials{Kind: CredentialOIDC, OIDCRequestURL: m.Server.Authority().GitHubTokenRequestURL(), OIDCRequestToken: "forged"})
	_, err := c.ListPhoneMethods(testContext(t), m.User(t, "adele").ID)
	if err == nil || !strings.Contains(err.Error(), "OIDC token") || strings.Contains(err.Error(), "forged") {
		t.Fatalf("err = %v", err)
	}
}

func TestMockRetriedCreateReachesMockIntact(t *testing.T) {
	t.Parallel()
	m := acctest.NewMock(t, acctest.Options{Faults: []mockgraph.Fault{
		{Kind: mockgraph.FaultThrottle, Method: "POST", Match: "create", Count: 2},
	}})
	c := mockClient(t, m, Credentials{Kind: CredentialClientSecret, ClientSecret: m.ClientSecret})
	user := m.User(t, "bianca")
	pm, err := c.CreatePhoneMethod(testContext(t), user.ID, PhoneTypeOffice, "+44 2071234567x89")
	if err != nil {
		t.Fatal(err)
	}
	var statuses []int
	for _, e := range m.Server.RequestLog(mockgraph.RequestLogFilter{Method: "POST"}) {
		statuses = append(statuses, e.Status)
	}
	if len(statuses) != 3 || statuses[0] != 429 || statuses[1] != 429 || statuses[2] != 201 {
		t.Fatalf("POST statuses %v, want [429 429 201]", statuses)
	}
	state, err := m.Server.PhoneMethods(m.TenantID, user.ID)
	if err != nil || len(state) != 1 {
		t.Fatalf("mock state %+v %v", state, err)
	}
	if state[0].PhoneType != string(PhoneTypeOffice) || state[0].PhoneNumber != "+44 2071234567x89" || state[0].ID != pm.ID {
		t.Errorf("stored %+v, returned %+v", state[0], pm)
	}
}

func TestMockRetryStopsAtDeadline(t *testing.T) {
	t.Parallel()
	m := acctest.NewMock(t, acctest.Options{Faults: []mockgraph.Fault{
		{Kind: mockgraph.FaultThrottle, Match: "list", RetryAfterSeconds: 120},
	}})
	c := mockClient(t, m, Credentials{Kind: CredentialClientSecret, ClientSecret: m.ClientSecret})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err := c.ListPhoneMethods(ctx, m.User(t, "adele").ID)
	if StatusCode(err) != 429 || !strings.Contains(err.Error(), "deadline") {
		t.Fatalf("err = %v", err)
	}
	if ctx.Err() != nil {
		t.Error("the client slept until the deadline instead of giving up")
	}
	if n := len(m.Server.RequestLog(mockgraph.RequestLogFilter{Operation: "list"})); n != 1 {
		t.Errorf("%d list requests, want 1", n)
	}
}

func TestMockThrottleHTTPDateRetried(t *testing.T) {
	t.Parallel()
	m := acctest.NewMock(t, acctest.Options{Faults: []mockgraph.Fault{
		{Kind: mockgraph.FaultUnavailable, Match: "list", Count: 1, RetryAfterSeconds: 1, RetryAfterHTTPDate: true},
	}})
	c := mockClient(t, m, Credentials{Kind: CredentialClientSecret, ClientSecret: m.ClientSecret})
	if _, err := c.ListPhoneMethods(testContext(t), m.User(t, "adele").ID); err != nil {
		t.Fatal(err)
	}
	if n := len(m.Server.RequestLog(mockgraph.RequestLogFilter{Operation: "list"})); n != 2 {
		t.Errorf("%d list requests, want 2", n)
	}
}

func TestMockNotFoundRetriesAfterWrite(t *testing.T) {
	t.Parallel()
	m := acctest.NewMock(t, acctest.Options{Faults: []mockgraph.Fault{
		{Kind: mockgraph.FaultLag, Match: "create", LagReads: 2},
	}})
	c := mockClient(t, m, Credentials{Kind: CredentialClientSecret, ClientSecret: m.ClientSecret})
	ctx := testContext(t)
	user := m.User(t, "carlos")
	pm, err := c.CreatePhoneMethod(ctx, user.ID, PhoneTypeMobile, "+1 5555550142")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetPhoneMethod(ctx, user.ID, pm.PhoneType); !IsNotFound(err) {
		t.Fatalf("first read should lag (404): %v", err)
	}
	got, err := c.GetPhoneMethod(ctx, user.ID, pm.PhoneType, WithNotFoundRetries(5))
	if err != nil || got.PhoneNumber != "+1 5555550142" {
		t.Fatalf("with retries: %+v %v", got, err)
	}
}

func TestMockMalformedErrorBodies(t *testing.T) {
	t.Parallel()
	cases := []mockgraph.Fault{
		{Kind: mockgraph.FaultRaw, Match: "get", Count: 1, Status: 500, Headers: map[string]string{"Content-Type": "application/json"}, Body: `{"oops":1}`},
		{Kind: mockgraph.FaultRaw, Match: "get", Count: 1, Status: 403},
		{Kind: mockgraph.FaultRaw, Match: "get", Count: 1, Status: 502, Headers: map[string]string{"Content-Type": "text/html"}, Body: "<h1>proxy</h1>"},
		{Kind: mockgraph.FaultRaw, Match: "get", Count: 1, Status: 400, Headers: map[string]string{"Content-Type": "application/json"}, Body: `{"error":`},
	}
	m := acctest.NewMock(t, acctest.Options{})
	c := mockClient(t, m, Credentials{Kind: CredentialClientSecret, ClientSecret: m.ClientSecret})
	for _, f := range cases {
		if _, err := m.Server.SetFaults(f); err != nil {
			t.Fatal(err)
		}
		var err error
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("%d %q panicked: %v", f.Status, f.Body, r)
				}
			}()
			_, err = c.GetPhoneMethod(testContext(t), m.User(t, "adele").ID, PhoneTypeMobile)
		}()
		if StatusCode(err) != f.Status || !strings.HasPrefix(err.Error(), "get phone method: HTTP ") {
			t.Errorf("%d %q: %v", f.Status, f.Body, err)
		}
	}
}

func TestMockForbiddenWithoutPermission(t *testing.T) {
	t.Parallel()
	m := acctest.NewMock(t, acctest.Options{Roles: []string{"UserAuthenticationMethod.Read.All"}})
	c := mockClient(t, m, Credentials{Kind: CredentialClientSecret, ClientSecret: m.ClientSecret})
	_, err := c.CreatePhoneMethod(testContext(t), m.User(t, "adele").ID, PhoneTypeMobile, "+1 5555550100")
	var ge *Error
	if !IsForbidden(err) || !errors.As(err, &ge) || ge.Code == "" || !strings.Contains(err.Error(), "request-id: ") {
		t.Fatalf("err = %v", err)
	}
	t.Log(err)
}

// TestMockTraceLogHasNoSecrets captures TRACE logs of whole runs: the
// requests must be logged, the secrets and bearer tokens must not.
func TestMockTraceLogHasNoSecrets(t *testing.T) {
	t.Parallel()
	pfx, certPEM := acctest.NewClientCertificate(t, "cert-password-42")
	m := acctest.NewMock(t, acctest.Options{Certificates: []string{certPEM}})
	oidcToken, err := m.Server.Authority().MintFederatedToken(acctest.OIDCSubject, OIDCAudience, 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for name, creds := range map[string]Credentials{
		"secret":      {Kind: CredentialClientSecret, ClientSecret: m.ClientSecret},
		"oidc":        {Kind: CredentialOIDC, OIDCToken: oidcToken},
		"certificate": {Kind: CredentialClientCertificate, ClientCertificate: pfx, ClientCertificatePassword: "cert-password-42"},
	} {
		var buf bytes.Buffer
		ctx := tflogtest.RootLogger(testContext(t), &buf)
		c := mockClient(t, m, creds)
		user := m.User(t, "adele")
		if _, err := c.CreatePhoneMethod(ctx, user.ID, PhoneTypeMobile, "+1 5555550100"); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := c.ListPhoneMethods(ctx, user.ID); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := c.DeletePhoneMethod(ctx, user.ID, PhoneTypeMobile); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		logs := buf.String()
		if os.Getenv("PEEK_LOGS") != "" {
			t.Log(logs)
		}
		for _, want := range []string{`"@level":"trace"`, "Graph request", "Graph response body", `"Authorization":"***"`, "authentication request", `\"phoneNumber\":\"***\"`} {
			if !strings.Contains(logs, want) {
				t.Errorf("%s: log lacks %q, so the capture proves nothing", name, want)
			}
		}
		for _, secret := range []string{m.ClientSecret, oidcToken, "cert-password-42", "eyJ", "Bearer ey", "5555550100"} {
			if strings.Contains(logs, secret) {
				t.Errorf("%s: log contains a secret or token (%.12s...)", name, secret)
			}
		}
	}
}

func TestMockCreateSurvivesDroppedConnection(t *testing.T) {
	t.Parallel()
	m := acctest.NewMock(t, acctest.Options{Faults: []mockgraph.Fault{
		{Kind: mockgraph.FaultDrop, Method: "POST", Match: "create", Count: 1},
	}})
	c := mockClient(t, m, Credentials{Kind: CredentialClientSecret, ClientSecret: m.ClientSecret})
	user := m.User(t, "adele")
	pm, err := c.CreatePhoneMethod(testContext(t), user.ID, PhoneTypeMobile, "+1 5555550100")
	if err != nil || pm.PhoneType != PhoneTypeMobile {
		t.Fatalf("pm=%+v err=%v", pm, err)
	}
	var statuses []int
	for _, e := range m.Server.RequestLog(mockgraph.RequestLogFilter{Method: "POST"}) {
		statuses = append(statuses, e.Status)
	}
	if len(statuses) != 2 || statuses[0] != 0 || statuses[1] < 400 {
		t.Errorf("POST statuses %v, want a dropped one then a refusal", statuses)
	}
	state, err := m.Server.PhoneMethods(m.TenantID, user.ID)
	if err != nil || len(state) != 1 || state[0].PhoneNumber != "+1 5555550100" {
		t.Errorf("mock state %+v %v", state, err)
	}
}

func TestMockDeleteSurvivesDroppedConnection(t *testing.T) {
	t.Parallel()
	m := acctest.NewMock(t, acctest.Options{Faults: []mockgraph.Fault{
		{Kind: mockgraph.FaultDrop, Method: "DELETE", Match: "delete", Count: 1},
	}})
	c := mockClient(t, m, Credentials{Kind: CredentialClientSecret, ClientSecret: m.ClientSecret})
	ctx := testContext(t)
	user := m.User(t, "adele")
	pm, err := c.CreatePhoneMethod(ctx, user.ID, PhoneTypeOffice, "+1 5555550100")
	if err != nil {
		t.Fatal(err)
	}
	// The first DELETE is applied but its response lost; the retry finds
	// nothing: the phone is gone.
	if del, err := c.DeletePhoneMethod(ctx, user.ID, pm.PhoneType); err != nil || del.How.Applied() != WriteApplied {
		t.Fatalf("%+v %v; want the phone gone", del, err)
	}
	if n := len(m.Server.RequestLog(mockgraph.RequestLogFilter{Method: "DELETE"})); n != 2 {
		t.Errorf("%d DELETE requests, want 2", n)
	}
	if state, _ := m.Server.PhoneMethods(m.TenantID, user.ID); len(state) != 0 {
		t.Errorf("mock state %+v", state)
	}
}

// TestMockUntrustedCARefused proves TLS is verified: a mock whose CA is not
// in SSL_CERT_FILE is refused before any token or Graph request succeeds.
func TestMockUntrustedCARefused(t *testing.T) {
	t.Parallel()
	srv, err := mockgraph.Start(mockgraph.Options{}) // its own, untrusted CA
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	e, err := ResolveEndpoints("", srv.GraphEndpoint(), srv.AuthorityHost())
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewClient(Config{Endpoints: e, Credentials: Credentials{Kind: CredentialClientSecret, TenantID: "t", ClientID: "c", ClientSecret: "s"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListPhoneMethods(testContext(t), "adele")
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("err = %v, want a certificate verification failure", err)
	}
	if n := len(srv.RequestLog()); n != 0 {
		t.Errorf("%d Graph requests got through", n)
	}
}
