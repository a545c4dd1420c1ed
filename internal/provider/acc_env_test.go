package provider

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// accEnv: one acceptance test's mock Graph, the provider configured for
// it, configuration builders and the Graph assertions the tests share.

// The phone method tests use the shared harness (internal/acctest): each
// test gets its own mock Graph over TLS, signed by the process-wide CA, with
// a real client-secret token flow. This file only adds the users and SMS
// policy these tests rely on and a few Graph assertions.

const (
	accAdeleID   = "aaaaaaaa-0000-4000-8000-000000000001"
	accAdeleUPN  = "adele@" + acctest.TenantDomain
	accBiancaUPN = "bianca@" + acctest.TenantDomain
	accCarlosUPN = "carlos@" + acctest.TenantDomain
	// accDaveUPN is excluded from SMS sign-in by the policy.
	accDaveID  = "dddddddd-0000-4000-8000-000000000004"
	accDaveUPN = "dave@" + acctest.TenantDomain

	mobileMethodID          = mockgraph.MobileMethodID
	alternateMobileMethodID = mockgraph.AlternateMobileMethodID
	officeMethodID          = mockgraph.OfficeMethodID
)

// accEnv is one test's mock Graph and the provider configured for it.
type accEnv struct {
	t      *testing.T
	m      *acctest.Mock
	mock   *mockgraph.Server
	tenant string
}

// newAccEnv starts a mock for this test only (it stops with the test):
// four users without phones, SMS sign-in allowed for all but dave.
func newAccEnv(t *testing.T) *accEnv {
	t.Helper()
	return newAccEnvWithRoles(t, nil)
}

// newAccEnvWithRoles is newAccEnv with the app's permissions replaced
// (nil: acctest.DefaultRoles).
func newAccEnvWithRoles(t *testing.T, roles []string) *accEnv {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (runs terraform against a local mock Graph)")
	}
	// Idempotent; also works when the package has no TestMain calling acctest.Main.
	if _, err := acctest.SetupCA(); err != nil {
		t.Fatalf("test CA: %v", err)
	}
	policy := acctest.EnabledSMSPolicy()
	policy.ExcludeTargets = []mockgraph.SMSExcludeTarget{{ID: accDaveID, TargetType: "user"}}
	m := acctest.NewMock(t, acctest.Options{
		Roles: roles,
		Users: []mockgraph.SeedUser{
			{User: mockgraph.User{ID: accAdeleID, UserPrincipalName: accAdeleUPN, DisplayName: "Adele"}},
			{User: mockgraph.User{UserPrincipalName: accBiancaUPN, DisplayName: "Bianca"}},
			{User: mockgraph.User{UserPrincipalName: accCarlosUPN, DisplayName: "Carlos"}},
			{User: mockgraph.User{ID: accDaveID, UserPrincipalName: accDaveUPN, DisplayName: "Dave"}},
		},
		SMSPolicy: &policy,
	})
	return &accEnv{t: t, m: m, mock: m.Server, tenant: m.TenantID}
}

// providerConfig is the provider block pointing at this test's mock.
func (e *accEnv) providerConfig() string { return e.m.ProviderConfig() }

func (e *accEnv) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return acctest.ProtoV6ProviderFactories(New("test"))
}

// must fails the test on a mock control error (for PreConfig funcs).
func (e *accEnv) must(err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatalf("mock control: %v", err)
	}
}

// errorRE matches parts of an error in order; Terraform wraps long
// messages, so any run of spaces in a part matches any whitespace.
func errorRE(parts ...string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, p := range parts {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		quoted[i] = strings.Join(words, `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, `.*`))
}

// checkGraphPhone asserts Graph holds the phone with this number and, when
// smsState is not empty, this smsSignInState.
func (e *accEnv) checkGraphPhone(user, phoneType, number, smsState string) func(*terraform.State) error {
	return func(*terraform.State) error {
		list, err := e.mock.PhoneMethods(e.tenant, user)
		if err != nil {
			return err
		}
		for _, pm := range list {
			if pm.PhoneType != phoneType {
				continue
			}
			if pm.PhoneNumber != number {
				return fmt.Errorf("Graph has %s's %s number %q; want %q", user, phoneType, pm.PhoneNumber, number)
			}
			if smsState != "" && pm.SMSSignInState != smsState {
				return fmt.Errorf("Graph has %s's %s smsSignInState %q; want %q", user, phoneType, pm.SMSSignInState, smsState)
			}
			return nil
		}
		return fmt.Errorf("Graph has no %s phone for %s (has %v)", phoneType, user, list)
	}
}

// checkGraphNoPhone asserts Graph holds no phone of the type for the user
// (every type when phoneTypes is empty).
func (e *accEnv) checkGraphNoPhone(user string, phoneTypes ...string) func(*terraform.State) error {
	return func(*terraform.State) error {
		list, err := e.mock.PhoneMethods(e.tenant, user)
		if err != nil {
			return err
		}
		for _, pm := range list {
			if len(phoneTypes) == 0 {
				return fmt.Errorf("Graph still has %s's %s phone %q", user, pm.PhoneType, pm.PhoneNumber)
			}
			for _, t := range phoneTypes {
				if pm.PhoneType == t {
					return fmt.Errorf("Graph still has %s's %s phone %q", user, pm.PhoneType, pm.PhoneNumber)
				}
			}
		}
		return nil
	}
}

func TestErrorRE(t *testing.T) {
	t.Parallel()
	re := errorRE("is not a phone number", `Did you mean "+1 5555551234"?`)
	if !re.MatchString("\"+15555551234\" is not a\nphone number Microsoft Graph accepts ... Did you mean\n\"+1 5555551234\"?") {
		t.Error("errorRE does not match wrapped text")
	}
	if re.MatchString("Did you mean \"+1 5555551234\"? is not a phone number") {
		t.Error("errorRE matched parts out of order")
	}
}

// stateMatchesGraph is the harness's state == Graph check
// (acctest.StateMatchesGraph), for tests that run terraform themselves
// rather than through acctest.Test.
func (e *accEnv) stateMatchesGraph(s *terraform.State) error {
	return acctest.StateMatchesGraph(e.m, s, nil)
}

// test runs tc through the one acceptance harness (acctest.Test) against
// this env's mock.
func (e *accEnv) test(t *testing.T, tc resource.TestCase, opts ...acctest.Option) {
	t.Helper()
	acctest.Test(t, e.m, tc, opts...)
}

// checkTenantWithoutPhones asserts no user of the tenant has a phone left
// (CheckDestroy of the fault suites).
func (e *accEnv) checkTenantWithoutPhones() func(*terraform.State) error {
	return func(*terraform.State) error {
		users, err := e.mock.Users(e.tenant)
		if err != nil {
			return err
		}
		for _, u := range users {
			if len(u.PhoneMethods) > 0 {
				return fmt.Errorf("Graph still has %s's phones %+v", u.UserPrincipalName, u.PhoneMethods)
			}
		}
		return nil
	}
}

// phoneConfig renders one entraauth_phone_authentication_method block.
type phoneConfig struct {
	Name        string
	UserID      string
	PhoneType   string
	PhoneNumber string
	SMS         *bool
	Timeouts    map[string]string
	Extra       string // raw lines, e.g. depends_on
}

func (c phoneConfig) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "resource \"entraauth_phone_authentication_method\" %q {\n", c.Name)
	fmt.Fprintf(&b, "  user_id      = %q\n  phone_type   = %q\n  phone_number = %q\n", c.UserID, c.PhoneType, c.PhoneNumber)
	if c.SMS != nil {
		fmt.Fprintf(&b, "  sms_sign_in_enabled = %t\n", *c.SMS)
	}
	if len(c.Timeouts) > 0 {
		b.WriteString("  timeouts {\n")
		for k, v := range c.Timeouts {
			fmt.Fprintf(&b, "    %s = %q\n", k, v)
		}
		b.WriteString("  }\n")
	}
	b.WriteString(c.Extra)
	b.WriteString("}\n")
	return b.String()
}

func (c phoneConfig) address() string { return "entraauth_phone_authentication_method." + c.Name }

func boolPtr(b bool) *bool { return &b }

// config joins the provider block and the given blocks.
func (e *accEnv) config(blocks ...fmt.Stringer) string {
	parts := []string{e.providerConfig()}
	for _, b := range blocks {
		parts = append(parts, b.String())
	}
	return strings.Join(parts, "\n")
}

// rawHCL is a literal block.
type rawHCL string

func (r rawHCL) String() string { return string(r) }
