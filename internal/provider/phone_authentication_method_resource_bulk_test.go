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

// bulkSMSWriteBudget throttles the step that only enables SMS sign-in: its
// 200 writes, each followed by a read-back, come slower than the creates,
// so a burst of 20 might not be exceeded on a loaded machine; a burst of 3
// is, by Terraform's 10 parallel updates.
var bulkSMSWriteBudget = mockgraph.WriteBudget{Capacity: 3, Window: mockgraph.Duration(300 * time.Millisecond)}

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

// bulkConfig manages every bulk user's mobile, with sms_sign_in_enabled =
// sms, and alternateMobile. The alternateMobile takes user_id from the
// mobile, so Terraform orders them as Graph requires (mobile first, deleted
// last) without the provider having to wait. count rather than for_each:
// the legacy state that Check functions (checkStateMatchesGraph) receive
// cannot represent for_each keys (terraform-plugin-testing: "for_each is not
// supported").
func bulkConfig(e *accEnv, sms bool) string {
	return e.config(rawHCL(fmt.Sprintf(`
resource "entraauth_phone_authentication_method" "mobile" {
  count               = %d
  user_id             = format("bulk%%03d@%s", count.index)
  phone_type          = "mobile"
  phone_number        = format("+1 4255%%06d", count.index)
  sms_sign_in_enabled = %t
}

resource "entraauth_phone_authentication_method" "alternate" {
  count        = %d
  user_id      = entraauth_phone_authentication_method.mobile[count.index].user_id
  phone_type   = "alternateMobile"
  phone_number = format("+1 4256%%06d", count.index)
}
`, bulkUsers, acctest.TenantDomain, sms, bulkUsers)))
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

// bulkSuccess is each write operation's success status.
var bulkSuccess = map[string]int{
	mockgraph.OpCreate: 201, mockgraph.OpDelete: 204,
	mockgraph.OpEnableSmsSignIn: 204, mockgraph.OpDisableSmsSignIn: 204,
}

// checkBulkWrites asserts that since *since Graph answered exactly want[op]
// successful writes of each operation (one per phone, none of any other
// operation), that the only other answers were 429s from the write budget,
// and that there was at least one (the throttle bound); it logs the counts.
func (e *accEnv) checkBulkWrites(phase string, since *time.Time, budget mockgraph.WriteBudget, want map[string]int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if since.IsZero() {
			return fmt.Errorf("%s: not measured, as an earlier step failed", phase)
		}
		byOp, throttled := e.writeOutcomes(*since)
		got429 := 0
		for op, statuses := range byOp {
			for status, n := range statuses {
				switch {
				case status == 429:
					got429 += n
				case status == bulkSuccess[op] && want[op] > 0:
				default:
					return fmt.Errorf("%s: %d %s calls answered %d; want only %v successes and 429s (all writes: %v)", phase, n, op, status, want, byOp)
				}
			}
		}
		for op, n := range want {
			if got := byOp[op][bulkSuccess[op]]; got != n {
				return fmt.Errorf("%s: %d %s calls answered %d; want exactly %d, one per phone (all writes: %v)", phase, got, op, bulkSuccess[op], n, byOp)
			}
		}
		if got429 != throttled {
			return fmt.Errorf("%s: %d writes answered 429, %d of them from the write budget; no other fault is armed (all writes: %v)", phase, got429, throttled, byOp)
		}
		if throttled == 0 {
			return fmt.Errorf("%s: no write was throttled by the write budget (%+v); the test does not exercise throttling", phase, budget)
		}
		e.t.Logf("%s: %v successful writes in %s, %d answers 429 from the write budget (%d writes per %s)",
			phase, want, time.Since(*since).Round(time.Millisecond), throttled, budget.Capacity, time.Duration(budget.Window))
		return nil
	}
}

// checkBulkGraph asserts Graph holds both phones of every bulk user, the
// mobile with smsSignInState smsState.
func (e *accEnv) checkBulkGraph(smsState string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		users, err := e.mock.Users(e.tenant)
		if err != nil {
			return err
		}
		phones := 0
		for _, u := range users {
			for _, pm := range u.PhoneMethods {
				phones++
				if pm.PhoneType == "mobile" && pm.SMSSignInState != smsState {
					return fmt.Errorf("%s's mobile has smsSignInState %q; want %q", u.UserPrincipalName, pm.SMSSignInState, smsState)
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
// and alternateMobile under a tenant write budget that throttles every
// step (its own budget for the SMS step), with no failure, state equal to
// Graph and an empty plan after each:
//   - create with SMS sign-in disabled: 400 creates, and 200
//     disableSmsSignIn calls, as Graph registers a new mobile for SMS
//     sign-in when the policy allows it;
//   - enable SMS sign-in on every mobile: 200 enableSmsSignIn calls;
//   - destroy: 400 deletes.
//
// Every write is made exactly once; 429 is the only other answer.
func TestAccPhoneAuthenticationMethod_bulkUnderWriteThrottle(t *testing.T) {
	t.Parallel()
	e := newBulkAccEnv(t)
	var createStart, enableStart, destroyStart time.Time
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			e.checkTenantWithoutPhones(),
			e.checkBulkWrites("destroy", &destroyStart, bulkWriteBudget, map[string]int{mockgraph.OpDelete: 2 * bulkUsers}),
		),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					e.mock.SetWriteBudget(bulkWriteBudget)
					createStart = time.Now()
				},
				Config:           bulkConfig(e, false),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkBulkWrites("create, SMS sign-in disabled", &createStart, bulkWriteBudget, map[string]int{
						mockgraph.OpCreate: 2 * bulkUsers, mockgraph.OpDisableSmsSignIn: bulkUsers,
					}),
					e.checkStateMatchesGraph(),
					e.checkBulkGraph("notEnabled"),
					resource.TestCheckResourceAttr("entraauth_phone_authentication_method.mobile.0", "sms_sign_in_enabled", "false"),
					resource.TestCheckResourceAttr("entraauth_phone_authentication_method.mobile.199", "sms_sign_in_state", "notEnabled"),
				),
			},
			{
				PreConfig: func() {
					e.mock.SetWriteBudget(bulkSMSWriteBudget)
					enableStart = time.Now()
				},
				Config:           bulkConfig(e, true),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkBulkWrites("enable SMS sign-in", &enableStart, bulkSMSWriteBudget, map[string]int{mockgraph.OpEnableSmsSignIn: bulkUsers}),
					e.checkStateMatchesGraph(),
					e.checkBulkGraph("ready"),
					resource.TestCheckResourceAttr("entraauth_phone_authentication_method.mobile.0", "sms_sign_in_enabled", "true"),
					resource.TestCheckResourceAttr("entraauth_phone_authentication_method.mobile.199", "sms_sign_in_state", "ready"),
					func(*terraform.State) error {
						// The destroy is measured from here, under the first budget.
						e.mock.SetWriteBudget(bulkWriteBudget)
						destroyStart = time.Now()
						return nil
					},
				),
			},
		},
	})
}
