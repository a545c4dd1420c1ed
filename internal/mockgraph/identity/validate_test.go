package identity

import (
	"encoding/base64"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestAuthenticate(t *testing.T) {
	f := newFixture(t)
	other := New(Options{})
	other.SetBaseURL(f.base)
	must(t, other.AddTenant(Tenant{ID: tenantID}))
	must(t, other.AddApp(App{TenantID: tenantID, ClientID: secretApp}))

	appToken := func(a *Authority) string {
		tok, err := a.MintAppToken(tenantID, secretApp, 0)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	internal := func(base, tenant string) string {
		tok, _, err := f.a.mintAccessToken(accessTokenRequest{base: base, tenantID: tenant, clientID: secretApp, oid: newGUID(), acr: "1"})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	good := appToken(f.a)
	parts := strings.Split(good, ".")
	// Grant the token a role it was not issued, keeping the signature.
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	payload = []byte(strings.Replace(string(payload), `"roles":[`, `"roles":["Directory.ReadWrite.All",`, 1))
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString(payload) + "." + parts[2]
	fedTok, err := f.a.MintFederatedToken(fedSubject, DefaultFederatedAudience, 0)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name    string
		header  string
		advance time.Duration // moves the clock for this case only
		wantMsg string        // empty: accepted
	}{
		{name: "valid app token", header: "Bearer " + good},
		{name: "scheme is case-insensitive", header: "bearer " + good},
		{name: "missing header", header: "", wantMsg: "Access token is empty."},
		{name: "empty bearer", header: "Bearer ", wantMsg: "Access token is empty."},
		{name: "basic scheme", header: "Basic dXNlcjpwYXNz", wantMsg: "Access token is empty."},
		{name: "malformed", header: "Bearer not-a-jwt", wantMsg: "IDX14100: JWT is not well formed."},
		{name: "expired via the clock", header: "Bearer " + good, advance: 61 * time.Minute, wantMsg: "Access token has expired or is not yet valid."},
		{name: "not yet valid via the clock", header: "Bearer " + good, advance: -10 * time.Minute, wantMsg: "Access token has expired or is not yet valid."},
		{name: "signed by another authority", header: "Bearer " + appToken(other), wantMsg: "Invalid signature."},
		{name: "tampered payload", header: "Bearer " + tampered, wantMsg: "Invalid signature."},
		{name: "alg none", header: "Bearer " + noneToken(t, map[string]any{"aud": f.base, "tid": tenantID, "exp": time.Now().Add(time.Hour).Unix()}), wantMsg: "Invalid signature."},
		{name: "federated CI token is not a Graph token", header: "Bearer " + fedTok, wantMsg: "Invalid signature."},
		{name: "audience of global Graph", header: "Bearer " + internal("https://graph.microsoft.com", tenantID), wantMsg: "Access token validation failure. Invalid audience."},
		{name: "unknown tenant", header: "Bearer " + internal(f.base, "00000000-0000-0000-0000-000000000bad"), wantMsg: "Access token validation failure. Invalid issuer."},
		{name: "tenant named by domain in tid", header: "Bearer " + internal(f.base, tenantDomain), wantMsg: "Access token validation failure. Invalid issuer."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f.clock.Advance(tc.advance)
			defer f.clock.Advance(-tc.advance)
			r := f.graphRequest("")
			if tc.header != "" {
				r.Header.Set("Authorization", tc.header)
			}
			p, err := f.a.Authenticate(r)
			if tc.wantMsg == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if p.AppID != secretApp || p.TenantID != tenantID || !slices.Equal(p.Roles, []string{roleWrite}) {
					t.Fatalf("principal = %+v", p)
				}
				return
			}
			var ae *AuthError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v, want *AuthError", err)
			}
			if ae.Status != http.StatusUnauthorized || ae.Code != "InvalidAuthenticationToken" || ae.Message != tc.wantMsg {
				t.Fatalf("got %d %s %q, want 401 InvalidAuthenticationToken %q", ae.Status, ae.Code, ae.Message, tc.wantMsg)
			}
			if p != nil {
				t.Fatal("refusal returned a principal")
			}
		})
	}
}

func TestDelegatedToken(t *testing.T) {
	f := newFixture(t)
	const user = "44444444-5555-4666-8777-888888888888"
	tok, err := f.a.MintDelegatedToken(tenantDomain, user,
		[]string{"UserAuthenticationMethod.ReadWrite.All", "User.Read"},
		[]string{RoleAuthenticationAdministrator, "Custom Phone Role"}, 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.a.Authenticate(f.graphRequest(tok))
	if err != nil {
		t.Fatal(err)
	}
	if !p.Delegated() || p.UserID != user || p.TenantID != tenantID || p.AppID != DelegatedClientID {
		t.Fatalf("principal = %+v", p)
	}
	if !slices.Equal(p.Scopes, []string{"UserAuthenticationMethod.ReadWrite.All", "User.Read"}) {
		t.Errorf("scopes = %v", p.Scopes)
	}
	if !slices.Equal(p.DirectoryRoles, []string{RoleAuthenticationAdministrator, "Custom Phone Role"}) {
		t.Errorf("directory roles = %v", p.DirectoryRoles)
	}
	if len(p.Roles) != 0 {
		t.Errorf("delegated token carries app roles %v", p.Roles)
	}
	// The ttl argument wins over Options.TokenLifetime.
	f.clock.Advance(11 * time.Minute)
	if _, err := f.a.Authenticate(f.graphRequest(tok)); err == nil {
		t.Fatal("delegated token outlived its ttl")
	}
}

func TestMintRefusals(t *testing.T) {
	f := newFixture(t)
	unset := New(Options{})
	must(t, unset.AddTenant(Tenant{ID: tenantID}))
	tests := []struct {
		name string
		mint func() (string, error)
	}{
		{"delegated, unknown tenant", func() (string, error) { return f.a.MintDelegatedToken("nope", "u", nil, nil, 0) }},
		{"delegated, no user", func() (string, error) { return f.a.MintDelegatedToken(tenantID, "", nil, nil, 0) }},
		{"delegated, base URL unset", func() (string, error) { return unset.MintDelegatedToken(tenantID, "u", nil, nil, 0) }},
		{"app, unknown app", func() (string, error) { return f.a.MintAppToken(tenantID, "nope", 0) }},
		{"app, unknown tenant", func() (string, error) { return f.a.MintAppToken("nope", secretApp, 0) }},
		{"federated, no audience", func() (string, error) { return f.a.MintFederatedToken(fedSubject, "", 0) }},
		{"federated, base URL unset", func() (string, error) { return unset.MintFederatedToken(fedSubject, "aud", 0) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tok, err := tc.mint(); err == nil || tok != "" {
				t.Fatalf("minted %q, err %v", tok, err)
			}
		})
	}
}
