package acctest

import (
	"errors"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// Option changes what Test does for one test.
type Option func(*testOptions)

type testOptions struct {
	serial    string
	unmanaged []func(m *Mock) (typ, key string, err error)
	compare   resource.TestCheckFunc
	// preexisting: the objects in the mock when Test starts are not Terraform's.
	preexisting bool
}

// PreexistingUnmanaged declares every object the mock holds when Test
// starts (seeded for data sources, queries or import) as the tenant's
// own, not an orphan while state lacks it; once in state, it is compared.
func PreexistingUnmanaged() Option {
	return func(o *testOptions) { o.preexisting = true }
}

// Serial keeps the test out of t.Parallel: why says what it shares with
// the rest of the process (t.Setenv, for one, panics in a parallel test).
func Serial(why string) Option {
	return func(o *testOptions) { o.serial = why }
}

// CompareStateWith replaces the state == Graph check of every step with
// check, for a test whose state legitimately differs from Graph's letters
// (a phone number kept in the configured spelling); check must still
// compare the whole state with the mock.
func CompareStateWith(check resource.TestCheckFunc) Option {
	return func(o *testOptions) { o.compare = check }
}

// UnmanagedPhone declares a phone the test puts in Graph outside
// Terraform (seeded, or added out of band), so the state == Graph check
// does not call it an orphan; userKey is an object id or UPN.
func UnmanagedPhone(userKey, phoneType string) Option {
	return func(o *testOptions) {
		o.unmanaged = append(o.unmanaged, func(m *Mock) (string, string, error) {
			u, err := m.Server.User(m.TenantID, userKey)
			if err != nil {
				return "", "", err
			}
			return "entraauth_phone_authentication_method", PhoneKey(u.ID, phoneType), nil
		})
	}
}

// Test is the one way acceptance tests run terraform (resource.Test, so
// they skip without TF_ACC). With a mock (m not nil) it adds to every
// step that saves state the check that the state equals the mock's
// contents (StateMatchesGraph), to destroy steps and to the case's
// CheckDestroy the check that destroy left Graph as promised
// (GraphAfterDestroy), after the test's own checks. It runs the test in
// parallel with others unless Serial is given: each test has its own mock.
func Test(t *testing.T, m *Mock, tc resource.TestCase, opts ...Option) {
	t.Helper()
	var o testOptions
	for _, opt := range opts {
		opt(&o)
	}
	if o.serial == "" {
		t.Parallel()
	}
	if m != nil {
		if o.preexisting {
			o.unmanaged = append(o.unmanaged, graphSnapshot(t, m)...)
		}
		addGraphChecks(m, &tc, o)
	}
	resource.Test(t, tc)
}

// graphSnapshot declares the mock's current objects unmanaged.
func graphSnapshot(t *testing.T, m *Mock) []func(*Mock) (string, string, error) {
	t.Helper()
	var out []func(*Mock) (string, string, error)
	for typ, c := range Comparisons {
		if c.TenantOwned {
			continue
		}
		objs, err := c.InGraph(m)
		if err != nil {
			t.Fatalf("acctest: reading the mock's %s objects: %v", typ, err)
		}
		for _, obj := range objs {
			out = append(out, func(*Mock) (string, string, error) { return typ, obj.Key, nil })
		}
	}
	return out
}

// addGraphChecks adds the state == Graph checks to tc's steps and its
// CheckDestroy.
func addGraphChecks(m *Mock, tc *resource.TestCase, o testOptions) {
	matches := func(s *terraform.State) error {
		unmanaged := map[string]map[string]bool{}
		for _, u := range o.unmanaged {
			typ, key, err := u(m)
			if err != nil {
				return err
			}
			if unmanaged[typ] == nil {
				unmanaged[typ] = map[string]bool{}
			}
			unmanaged[typ][key] = true
		}
		return StateMatchesGraph(m, s, unmanaged)
	}
	if o.compare != nil {
		matches = o.compare
	}
	destroyed := func(s *terraform.State) error { return GraphAfterDestroy(m, s) }
	for i := range tc.Steps {
		st := &tc.Steps[i]
		switch {
		case st.ImportState:
			// Check is not run on import steps; ImportStateCheck sees only
			// the imported objects, in a state of their own.
		case st.Query:
			// terraform query saves no state.
		case st.PlanOnly:
			// terraform-plugin-testing runs no Check on plan-only steps:
			// nothing was applied.
		case st.ExpectError != nil:
			// A failed command runs no Check; the next step (a refresh
			// step in the fault tests) compares what it saved.
		case st.Destroy:
			// A destroy step's Check gets the state before the destroy.
			st.Check = compose(st.Check, destroyed)
		default:
			st.Check = compose(st.Check, matches)
		}
	}
	tc.CheckDestroy = compose(tc.CheckDestroy, destroyed)
}

// compose runs the test's own check, then the harness's, and reports both
// failures.
func compose(own, harness resource.TestCheckFunc) resource.TestCheckFunc {
	if own == nil {
		return harness
	}
	return func(s *terraform.State) error {
		return errors.Join(own(s), harness(s))
	}
}
