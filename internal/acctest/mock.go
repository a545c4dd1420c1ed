package acctest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph/identity"
)

// Default seeded identities of a Mock.
const (
	TenantDomain = "contoso.onmicrosoft.com"
	// OIDCSubject is the federated subject the app trusts, GitHub-style.
	OIDCSubject = "repo:entraauth/infra:ref:refs/heads/main"
)

// DefaultRoles are the application permissions of the seeded app: the
// phone methods, the SMS policy, and reading users and group members (the
// list resource). Tests of a missing permission pass Options.Roles.
var DefaultRoles = []string{"UserAuthenticationMethod.ReadWrite.All", "Policy.ReadWrite.AuthenticationMethod", "User.Read.All", "GroupMember.Read.All"}

// Options shape a Mock; the zero value seeds one tenant, one app with a
// secret and DefaultRoles, and three users without phones.
type Options struct {
	// Roles replace DefaultRoles (e.g. read-only tests).
	Roles []string
	// Users replace the default users.
	Users []mockgraph.SeedUser
	// SMSPolicy replaces EnabledSMSPolicy, the harness default (the mock's
	// own default, like a fresh tenant, has SMS disabled).
	SMSPolicy *mockgraph.SMSPolicy
	// Certificates are PEM certificates the app accepts (see NewClientCertificate).
	Certificates []string
	// Faults are installed at start.
	Faults []mockgraph.Fault
	// Groups are seeded security groups (members by user id or UPN).
	Groups []mockgraph.Group
}

// Mock is a running mock Graph with a seeded tenant and app.
type Mock struct {
	Server       *mockgraph.Server
	TenantID     string
	ClientID     string
	ClientSecret string
	// Users are the seeded users (ids filled in).
	Users []mockgraph.User
}

// NewMock starts a mock for one test on an OS-chosen loopback port, signed
// by the process CA, and closes it when the test ends.
func NewMock(t testing.TB, opts Options) *Mock {
	t.Helper()
	m := &Mock{TenantID: randomGUID(t), ClientID: randomGUID(t), ClientSecret: "secret-" + randomHex(t, 16)}
	roles := opts.Roles
	if roles == nil {
		roles = DefaultRoles
	}
	users := opts.Users
	if users == nil {
		users = []mockgraph.SeedUser{
			{User: mockgraph.User{ID: randomGUID(t), UserPrincipalName: "adele@" + TenantDomain, DisplayName: "Adele Vance"}},
			{User: mockgraph.User{ID: randomGUID(t), UserPrincipalName: "bianca@" + TenantDomain, DisplayName: "Bianca Pisani"}},
			{User: mockgraph.User{ID: randomGUID(t), UserPrincipalName: "carlos@" + TenantDomain, DisplayName: "Carlos Slattery"}},
		}
	}
	policy := opts.SMSPolicy
	if policy == nil {
		p := EnabledSMSPolicy()
		policy = &p
	}
	srv, err := mockgraph.Start(mockgraph.Options{CA: CA(t), Faults: opts.Faults})
	if err != nil {
		t.Fatalf("acctest: start mock: %v", err)
	}
	t.Cleanup(srv.Close)
	m.Server = srv
	seed := &mockgraph.Seed{Tenants: []mockgraph.SeedTenant{{
		ID: m.TenantID, Domain: TenantDomain,
		Apps: []identity.App{{
			ClientID: m.ClientID, DisplayName: "terraform-provider-entraauth tests",
			Secrets: []string{m.ClientSecret}, ExpiredSecrets: []string{m.ExpiredClientSecret()}, Certificates: opts.Certificates, Roles: roles,
			FederatedCredentials: []identity.FederatedCredential{{
				Issuer: srv.Authority().FederatedIssuer(), Subject: OIDCSubject,
			}},
		}},
		Users: users, Groups: opts.Groups, SMSPolicy: policy,
	}}}
	if err := srv.ApplySeed(seed); err != nil {
		t.Fatalf("acctest: seed mock: %v", err)
	}
	for _, u := range users {
		m.Users = append(m.Users, u.User)
	}
	return m
}

// ExpiredClientSecret is a secret of the seeded app that has expired: the
// authority refuses it with AADSTS7000222.
func (m *Mock) ExpiredClientSecret() string { return "expired-" + m.ClientSecret }

// EnabledSMSPolicy enables SMS for all users, usable for sign-in.
func EnabledSMSPolicy() mockgraph.SMSPolicy {
	return mockgraph.SMSPolicy{
		State:          "enabled",
		IncludeTargets: []mockgraph.SMSIncludeTarget{{ID: mockgraph.AllUsers, TargetType: "group", IsUsableForSignIn: true}},
		ExcludeTargets: []mockgraph.SMSExcludeTarget{},
	}
}

// GraphEndpoint is the mock's Graph endpoint (without /v1.0).
func (m *Mock) GraphEndpoint() string { return m.Server.GraphEndpoint() }

// AuthorityHost is the mock's authority host, without a trailing slash.
func (m *Mock) AuthorityHost() string { return strings.TrimRight(m.Server.AuthorityHost(), "/") }

// ProviderConfig is a provider block authenticating with the app's client
// secret against this mock; extra lines (HCL attributes) are appended.
func (m *Mock) ProviderConfig(extra ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "provider \"entraauth\" {\n")
	fmt.Fprintf(&b, "  tenant_id        = %q\n", m.TenantID)
	fmt.Fprintf(&b, "  client_id        = %q\n", m.ClientID)
	fmt.Fprintf(&b, "  client_secret    = %q\n", m.ClientSecret)
	fmt.Fprintf(&b, "  msgraph_endpoint = %q\n", m.GraphEndpoint())
	fmt.Fprintf(&b, "  authority_host   = %q\n", m.AuthorityHost())
	fmt.Fprintf(&b, "  use_cli          = false\n")
	for _, e := range extra {
		fmt.Fprintf(&b, "  %s\n", e)
	}
	b.WriteString("}\n")
	return b.String()
}

// Env is the ARM_* environment selecting this mock with the client secret,
// for tests that configure the provider through variables.
func (m *Mock) Env() map[string]string {
	env := map[string]string{}
	for _, v := range mockgraph.ProviderEnv(m.GraphEndpoint(), m.AuthorityHost(),
		&mockgraph.ClientSecretApp{TenantID: m.TenantID, ClientID: m.ClientID, ClientSecret: m.ClientSecret}) {
		env[v.Name] = v.Value
	}
	return env
}

// EnvKeys returns Env's keys sorted, e.g. for clearing them.
func (m *Mock) EnvKeys() []string {
	var keys []string
	for k := range m.Env() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// User returns the seeded user with the given UPN prefix (e.g. "adele").
func (m *Mock) User(t testing.TB, prefix string) mockgraph.User {
	t.Helper()
	for _, u := range m.Users {
		if strings.HasPrefix(u.UserPrincipalName, prefix+"@") {
			return u
		}
	}
	t.Fatalf("acctest: no seeded user %q", prefix)
	return mockgraph.User{}
}

func randomHex(t testing.TB, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func randomGUID(t testing.TB) string {
	h := randomHex(t, 16)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
