package provider

import (
	"fmt"
	"net/http"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// readThrottleUsers is the size of the refreshed state: each user has a
// mobile and an alternateMobile, so every refresh reads 2 x 50 phones.
const readThrottleUsers = 50

// readThrottleBudget binds every refresh of the state, however busy the
// machine: a bucket of 20 refilled at 4 reads a second lets 100 reads
// through only if they take at least 20 seconds, so the tenant answers 429
// on GET unless the machine is slower than 5 reads a second, and the
// refresh then lasts about 20 seconds. (A bucket of 20 refilled at 20 a
// second did not bind at all on a machine loaded to 30 on 2 cores.) Graph's
// identity limits count reads too; the mock's default is GraphReadBudget.
var readThrottleBudget = mockgraph.ReadBudget{Capacity: 20, Window: mockgraph.Duration(5 * time.Second)}

func readThrottleUPN(i int) string { return fmt.Sprintf("read%03d@%s", i, acctest.TenantDomain) }

// newReadThrottleAccEnv is a mock with readThrottleUsers users, SMS sign-in
// allowed for all, Graph's default budgets.
func newReadThrottleAccEnv(t *testing.T) *accEnv {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (runs terraform against a local mock Graph)")
	}
	if _, err := acctest.SetupCA(); err != nil {
		t.Fatalf("test CA: %v", err)
	}
	users := make([]mockgraph.SeedUser, readThrottleUsers)
	for i := range users {
		users[i] = mockgraph.SeedUser{User: mockgraph.User{UserPrincipalName: readThrottleUPN(i), DisplayName: fmt.Sprintf("Read %03d", i)}}
	}
	m := acctest.NewMock(t, acctest.Options{Users: users})
	return &accEnv{t: t, m: m, mock: m.Server, tenant: m.TenantID}
}

// readThrottleConfig manages every user's mobile and alternateMobile (the
// alternateMobile takes user_id from the mobile, so Terraform orders them
// as Graph requires). count, not for_each: see bulkConfig.
func readThrottleConfig(e *accEnv) string {
	return e.config(rawHCL(fmt.Sprintf(`
resource "entraauth_phone_authentication_method" "mobile" {
  count        = %d
  user_id      = format("read%%03d@%s", count.index)
  phone_type   = "mobile"
  phone_number = format("+1 4257%%06d", count.index)
}

resource "entraauth_phone_authentication_method" "alternate" {
  count        = %d
  user_id      = entraauth_phone_authentication_method.mobile[count.index].user_id
  phone_type   = "alternateMobile"
  phone_number = format("+1 4258%%06d", count.index)
}
`, readThrottleUsers, acctest.TenantDomain, readThrottleUsers)))
}

// checkReadsThrottled asserts, from the mock's request log since *since,
// that the read budget really refused reads (so the test can fail: a
// budget that never binds proves nothing), that every refused read was
// retried until Graph answered it, that no read failed otherwise and that
// the refresh wrote nothing.
func (e *accEnv) checkReadsThrottled(phase string, since *time.Time) resource.TestCheckFunc {
	return func(*terraform.State) error {
		var refused, ok int
		answered := map[string]bool{} // GET paths answered 200
		var lastRefused = map[string]time.Time{}
		var problems []string
		for _, r := range e.mock.RequestLog(mockgraph.RequestLogFilter{Since: *since}) {
			if r.Method != http.MethodGet {
				problems = append(problems, fmt.Sprintf("%s %s answered %d: a refresh must not write", r.Method, r.Path, r.Status))
				continue
			}
			switch {
			case r.Status == http.StatusOK:
				ok++
				answered[r.Path] = true
			case r.Status == http.StatusTooManyRequests && r.Fault == mockgraph.FaultReadBudget:
				refused++
				if r.Time.After(lastRefused[r.Path]) {
					lastRefused[r.Path] = r.Time
				}
			default:
				problems = append(problems, fmt.Sprintf("GET %s answered %d (fault %q)", r.Path, r.Status, r.Fault))
			}
		}
		if refused == 0 {
			problems = append(problems, fmt.Sprintf("no GET was refused by the read budget (%d answered): the budget %+v did not bind", ok, readThrottleBudget))
		}
		var unanswered []string
		for path := range lastRefused {
			if !answered[path] {
				unanswered = append(unanswered, path)
			}
		}
		sort.Strings(unanswered)
		if len(unanswered) > 0 {
			problems = append(problems, fmt.Sprintf("%d refused reads were never answered: %s", len(unanswered), strings.Join(unanswered, ", ")))
		}
		if ok < 2*readThrottleUsers {
			problems = append(problems, fmt.Sprintf("%d reads answered; a refresh of %d phones needs at least %d", ok, 2*readThrottleUsers, 2*readThrottleUsers))
		}
		e.t.Logf("%s: %d reads answered, %d refused by the read budget (429 with Retry-After) and retried", phase, ok, refused)
		if len(problems) > 0 {
			return fmt.Errorf("%s under the read budget:\n  %s", phase, strings.Join(problems, "\n  "))
		}
		return nil
	}
}

// TestAccPhoneAuthenticationMethod_refreshUnderReadThrottle: a state of 100
// phones (50 users' mobile and alternateMobile) refreshed through
// `terraform refresh` under a tenant read budget that binds, with no
// failure, the state equal to Graph and an empty plan afterwards (the
// framework's plan after the refresh runs under the budget too, and so does
// the destroy's refresh), while the request log shows the 429s on GET that
// the provider waited out.
func TestAccPhoneAuthenticationMethod_refreshUnderReadThrottle(t *testing.T) {
	e := newReadThrottleAccEnv(t)
	var refreshStart time.Time
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkTenantWithoutPhones(),
		Steps: []resource.TestStep{
			{
				// Created under Graph's default budgets.
				Config:           readThrottleConfig(e),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				PreConfig: func() {
					e.mock.SetReadBudget(readThrottleBudget)
					refreshStart = time.Now()
				},
				// terraform refresh, then the framework's plan, which must be
				// empty: both read every phone under the budget.
				RefreshState: true,
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkReadsThrottled("refresh", &refreshStart),
				),
			},
		},
	})
}
