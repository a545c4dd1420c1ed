package provider

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// bulkUsers is the size of the bulk apply: each user gets a mobile with SMS
// sign-in and an alternateMobile, so 400 phones.
const bulkUsers = 200

// bulkWriteBudget is far below Graph's 60 writes/s so that the tenant's
// write throttle really binds with Terraform's default parallelism of 10.
var bulkWriteBudget = mockgraph.WriteBudget{Capacity: 20, Window: mockgraph.Duration(time.Second)}

func bulkUPN(i int) string { return fmt.Sprintf("bulk%03d@%s", i, acctest.TenantDomain) }

// newBulkAccEnv is a mock with bulkUsers users, SMS sign-in allowed for all.
func newBulkAccEnv(t *testing.T) *accEnv {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (runs terraform against a local mock Graph)")
	}
	if _, err := acctest.SetupCA(); err != nil {
		t.Fatalf("test CA: %v", err)
	}
	users := make([]mockgraph.SeedUser, bulkUsers)
	for i := range users {
		users[i] = mockgraph.SeedUser{User: mockgraph.User{UserPrincipalName: bulkUPN(i), DisplayName: fmt.Sprintf("Bulk %03d", i)}}
	}
	m := acctest.NewMock(t, acctest.Options{Users: users})
	return &accEnv{t: t, m: m, mock: m.Server, tenant: m.TenantID}
}

// bulkConfig manages every bulk user's mobile (SMS sign-in enabled) and
// alternateMobile. The alternateMobile takes user_id from the mobile, so
// Terraform orders them as Graph requires (mobile first, deleted last)
// without the provider having to wait. count rather than for_each: the
// legacy state that Check functions (checkStateMatchesGraph) receive cannot
// represent for_each keys (terraform-plugin-testing: "for_each is not
// supported").
func bulkConfig(e *accEnv) string {
	return e.config(rawHCL(fmt.Sprintf(`
resource "entraauth_phone_authentication_method" "mobile" {
  count               = %d
  user_id             = format("bulk%%03d@%s", count.index)
  phone_type          = "mobile"
  phone_number        = format("+1 4255%%06d", count.index)
  sms_sign_in_enabled = true
}

resource "entraauth_phone_authentication_method" "alternate" {
  count        = %d
  user_id      = entraauth_phone_authentication_method.mobile[count.index].user_id
  phone_type   = "alternateMobile"
  phone_number = format("+1 4256%%06d", count.index)
}
`, bulkUsers, acctest.TenantDomain, bulkUsers)))
}

// writeOutcomes counts write calls by operation and status since a time.
func (e *accEnv) writeOutcomes(since time.Time) (byOp map[string]map[int]int, budget429 int) {
	byOp = map[string]map[int]int{}
	for _, r := range e.mock.RequestLog(mockgraph.RequestLogFilter{Since: since}) {
		if r.Method == "GET" {
			continue
		}
		if byOp[r.Operation] == nil {
			byOp[r.Operation] = map[int]int{}
		}
		byOp[r.Operation][r.Status]++
		if r.Status == 429 && r.Fault == "write_budget" {
			budget429++
		}
	}
	return byOp, budget429
}

// checkBulkWrites asserts that every phone was written exactly once with
// status want (201 create, 204 delete), that the only other answers were
// the write budget's 429s, that there was at least one (the throttle
// bound), and reports how many.
func (e *accEnv) checkBulkWrites(phase string, since *time.Time, op string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		byOp, throttled := e.writeOutcomes(*since)
		okStatus := map[string]int{mockgraph.OpCreate: 201, mockgraph.OpDelete: 204}[op]
		for o, statuses := range byOp {
			for status, n := range statuses {
				switch {
				case o == op && status == okStatus:
				case status == 429:
				default:
					return fmt.Errorf("%s: %d %s calls answered %d; want only %s %d and 429 (all writes: %v)", phase, n, o, status, op, okStatus, byOp)
				}
			}
		}
		if got := byOp[op][okStatus]; got != want {
			return fmt.Errorf("%s: %d %s calls answered %d; want exactly %d, one per phone (all writes: %v)", phase, got, op, okStatus, want, byOp)
		}
		if throttled == 0 {
			return fmt.Errorf("%s: no write was throttled by the write budget (%+v); the test does not exercise throttling", phase, bulkWriteBudget)
		}
		e.t.Logf("%s: %d phones written in %s, %d answers 429 from the write budget (%d writes per %s)",
			phase, want, time.Since(*since).Round(time.Millisecond), throttled, bulkWriteBudget.Capacity, time.Duration(bulkWriteBudget.Window))
		return nil
	}
}

// checkBulkGraph asserts Graph holds both phones of every bulk user, the
// mobile ready for SMS sign-in.
func (e *accEnv) checkBulkGraph() resource.TestCheckFunc {
	return func(*terraform.State) error {
		users, err := e.mock.Users(e.tenant)
		if err != nil {
			return err
		}
		phones := 0
		for _, u := range users {
			for _, pm := range u.PhoneMethods {
				phones++
				if pm.PhoneType == "mobile" && pm.SMSSignInState != "ready" {
					return fmt.Errorf("%s's mobile has smsSignInState %q; want ready", u.UserPrincipalName, pm.SMSSignInState)
				}
			}
			if len(u.PhoneMethods) != 2 {
				return fmt.Errorf("%s has %d phones; want a mobile and an alternateMobile", u.UserPrincipalName, len(u.PhoneMethods))
			}
		}
		if phones != 2*bulkUsers {
			return fmt.Errorf("Graph has %d phones; want %d", phones, 2*bulkUsers)
		}
		return nil
	}
}

// TestAccPhoneAuthenticationMethod_bulkUnderWriteThrottle: 200 users' mobile
// (SMS sign-in) and alternateMobile in one apply, under a tenant write
// budget that throttles it: no failure, every phone created exactly once,
// state equal to Graph, an empty plan, and a destroy that empties Graph.
func TestAccPhoneAuthenticationMethod_bulkUnderWriteThrottle(t *testing.T) {
	t.Parallel()
	e := newBulkAccEnv(t)
	var applyStart, destroyStart time.Time
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			e.checkTenantWithoutPhones(),
			e.checkBulkWrites("post-apply plans and destroy", &destroyStart, mockgraph.OpDelete, 2*bulkUsers),
		),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					e.mock.SetWriteBudget(bulkWriteBudget)
					applyStart = time.Now()
				},
				Config:           bulkConfig(e),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkBulkWrites("apply", &applyStart, mockgraph.OpCreate, 2*bulkUsers),
					e.checkStateMatchesGraph(),
					e.checkBulkGraph(),
					resource.TestCheckResourceAttr("entraauth_phone_authentication_method.mobile.0", "sms_sign_in_enabled", "true"),
					resource.TestCheckResourceAttr("entraauth_phone_authentication_method.mobile.199", "sms_sign_in_state", "ready"),
					// Only reads follow (the post-apply plans) until the
					// test's destroy, which CheckDestroy measures from here.
					func(*terraform.State) error { destroyStart = time.Now(); return nil },
				),
			},
		},
	})
}
