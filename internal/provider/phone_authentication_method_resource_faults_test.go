package provider

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// TestAccPhoneAuthenticationMethod_graphFaults: reads that do not see a
// fresh write yet (404), a create whose response is lost, and throttling
// all end in the right state with an empty plan afterwards.
func TestAccPhoneAuthenticationMethod_graphFaults(t *testing.T) {
	e := newAccEnv(t)
	mobile := phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555551234", SMS: boolPtr(true)}
	office := phoneConfig{Name: "office", UserID: accBiancaUPN, PhoneType: "office", PhoneNumber: "+1 5555551235"}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             resource.ComposeTestCheckFunc(e.checkGraphNoPhone(accAdeleUPN), e.checkGraphNoPhone(accBiancaUPN)),
		Steps: []resource.TestStep{
			{
				// The next two reads after each create answer 404.
				PreConfig: func() {
					_, err := e.mock.AddFaults(mockgraph.Fault{ID: "lag", Match: "create", Kind: mockgraph.FaultLag, LagReads: 2, Count: 2})
					e.must(err)
				},
				Config: e.config(mobile),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(mobile.address(), tfjsonpath.New("sms_sign_in_enabled"), knownvalue.Bool(true)),
				},
				Check: resource.ComposeTestCheckFunc(e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555551234", "ready")),
			},
			{
				// Graph applies the create but the response never arrives.
				PreConfig: func() {
					e.mock.ClearFaults()
					_, err := e.mock.AddFaults(mockgraph.Fault{ID: "drop", Match: "create", Kind: mockgraph.FaultDrop, Count: 1})
					e.must(err)
				},
				Config: e.config(mobile, office),
				Check:  resource.ComposeTestCheckFunc(e.checkGraphPhone(accBiancaUPN, "office", "+1 5555551235", "")),
			},
			{
				// Throttled writes are retried after Retry-After.
				PreConfig: func() {
					e.mock.ClearFaults()
					_, err := e.mock.AddFaults(mockgraph.Fault{ID: "throttle", Match: "write", Kind: mockgraph.FaultThrottle, Count: 2, RetryAfterSeconds: 1})
					e.must(err)
				},
				Config: e.config(phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555559999", SMS: boolPtr(true)}, office),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				Check: e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555559999", "ready"),
			},
		},
	})
}

// TestAccPhoneAuthenticationMethod_deleteAlreadyGone: a phone that is gone
// by the time it is deleted (Graph answers 404) counts as deleted.
func TestAccPhoneAuthenticationMethod_deleteAlreadyGone(t *testing.T) {
	e := newAccEnv(t)
	office := phoneConfig{Name: "office", UserID: accAdeleUPN, PhoneType: "office", PhoneNumber: "+1 5555551234"}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkGraphNoPhone(accAdeleUPN),
		Steps: []resource.TestStep{
			{Config: e.config(office)},
			{
				// Someone deletes it between the refresh and the delete: the
				// refresh is made to still see it, so the DELETE gets the 404.
				PreConfig: func() {
					e.must(e.mock.DeletePhoneMethodOutOfBand(e.tenant, accAdeleUPN, officeMethodID))
					_, err := e.mock.AddFaults(mockgraph.Fault{ID: "stale-get", Method: "GET", Match: "get", Kind: mockgraph.FaultRaw, Status: 200,
						Headers: map[string]string{"Content-Type": "application/json"},
						Body:    `{"id":"` + officeMethodID + `","phoneNumber":"+1 5555551234","phoneType":"office","smsSignInState":"notSupported"}`})
					e.must(err)
				},
				Config: e.providerConfig(),
				Check: func(*terraform.State) error {
					if n := len(e.mock.RequestLog(mockgraph.RequestLogFilter{Method: "DELETE", Status: 404})); n != 1 {
						return fmt.Errorf("%d DELETEs answered 404; want 1", n)
					}
					return nil
				},
			},
		},
	})
}

// Retry storms (issue #6): for each way Graph says "try again later" and
// each phone method operation the provider calls, a storm of consecutive
// faulted responses is armed for one step of a short lifecycle. After every
// apply, Terraform state must equal the mock's phone methods exactly, the
// storm must have fired in full, every retry must have waited for
// Retry-After (or the back-off), and the request log must show no write
// beyond what the configuration needs.

// stormSize is how many consecutive faulted responses a storm sends.
const stormSize = 3

// The Retry-After values the storms send are longer than the provider's
// own first back-off (retryBaseDelay, 1 s plus at most 20% jitter), so a
// provider that ignored Retry-After would retry too early and fail
// checkStormFired; they stay short so the table stays fast.
const (
	// stormRetryAfterDelta is sent as delta-seconds.
	stormRetryAfterDelta = 2 * time.Second
	// stormRetryAfterHTTPDate is added to the mock's clock and sent as an
	// HTTP-date, which has one-second resolution: the date names
	// trunc(now + 3 s), at least 2 s after the faulted response.
	stormRetryAfterHTTPDate = 3 * time.Second
	// stormFirstBackoff is the provider's first back-off when Graph sends
	// no Retry-After (graph.Client's default retryBaseDelay).
	stormFirstBackoff = time.Second
)

// stormClass is one kind of retryable Graph response.
type stormClass struct {
	name     string
	kind     string
	status   int
	httpDate bool // Retry-After as an HTTP-date instead of seconds
	noRetry  bool // no Retry-After: the provider's own back-off applies
}

var stormClasses = []stormClass{
	{name: "429_retry_after_seconds", kind: mockgraph.FaultThrottle, status: 429},
	{name: "429_retry_after_http_date", kind: mockgraph.FaultThrottle, status: 429, httpDate: true},
	{name: "503_retry_after_seconds", kind: mockgraph.FaultUnavailable, status: 503},
	// Graph's gateway timeouts usually carry no Retry-After.
	{name: "504_no_retry_after", kind: mockgraph.FaultGatewayTimeout, status: 504, noRetry: true},
}

// stormStep is one apply of the lifecycle.
type stormStep int

const (
	stormCreate       stormStep = iota // mobile (SMS on), alternateMobile, office
	stormUpdateNumber                  // new mobile number, SMS stays on
	stormDisableSMS                    // sms_sign_in_enabled = false
	stormEnableSMS                     // sms_sign_in_enabled = true again
	stormDestroy                       // configuration without resources
)

// stormOperation is one operation under a storm: the steps that reach it
// and the step during which the storm is armed.
type stormOperation struct {
	// name is the subtest's name when op alone does not tell it apart.
	name   string
	op     string
	method string // Fault.Method; "" for any
	match  string // Fault.Match; "" means op
	steps  []stormStep
	armed  stormStep
	// officeExists adds the office phone out of band before the create, so
	// the provider's create is refused and it reads the phone back by its
	// method id to adopt it.
	officeExists bool
}

var stormOperations = []stormOperation{
	{op: mockgraph.OpCreate, steps: []stormStep{stormCreate, stormDestroy}, armed: stormCreate},
	// The read-back that adopts a phone Graph already had (create refused).
	{name: "get_after_refused_create", op: mockgraph.OpGet, method: "GET", match: "/v1.0/users/*/authentication/phoneMethods/" + officeMethodID,
		steps: []stormStep{stormCreate, stormDestroy}, armed: stormCreate, officeExists: true},
	// One phone's reads only, so the storm hits one request consecutively
	// instead of being shared by the parallel refreshes.
	{op: mockgraph.OpGet, method: "GET", match: "/v1.0/users/*/authentication/phoneMethods/" + mobileMethodID,
		steps: []stormStep{stormCreate, stormUpdateNumber, stormDestroy}, armed: stormUpdateNumber},
	{op: mockgraph.OpUpdate, steps: []stormStep{stormCreate, stormUpdateNumber, stormDestroy}, armed: stormUpdateNumber},
	{op: mockgraph.OpDisableSmsSignIn, steps: []stormStep{stormCreate, stormDisableSMS, stormDestroy}, armed: stormDisableSMS},
	{op: mockgraph.OpEnableSmsSignIn, steps: []stormStep{stormCreate, stormDisableSMS, stormEnableSMS, stormDestroy}, armed: stormEnableSMS},
	{op: mockgraph.OpDelete, steps: []stormStep{stormCreate, stormDestroy}, armed: stormDestroy},
}

// TestAccPhoneAuthenticationMethod_retryStorms runs every storm class
// against every operation, each pair with its own mock.
func TestAccPhoneAuthenticationMethod_retryStorms(t *testing.T) {
	t.Parallel()
	for _, class := range stormClasses {
		for _, op := range stormOperations {
			name := op.op
			if op.name != "" {
				name = op.name
			}
			t.Run(class.name+"/"+name, func(t *testing.T) {
				e := newAccEnv(t)
				e.test(t, resource.TestCase{
					ProtoV6ProviderFactories: e.factories(),
					Steps:                    e.stormSteps(class, op),
					CheckDestroy:             e.checkTenantWithoutPhones(),
				})
			})
		}
	}
}

// stormWork is the Graph writes a lifecycle needs: anything more is
// duplicated work. The resource never lists a user's phones.
type stormWork struct {
	created, refusedCreates, updated, enabled, disabled, deleted int
}

const (
	stormMobileNumber    = "+1 5555551234"
	stormNewMobileNumber = "+1 5555559999"
	stormAlternateNumber = "+1 5555551235"
	stormOfficeNumber    = "+1 5555551236"
)

// stormSteps builds the lifecycle's steps, each checking state against
// Graph, the storm and the work done so far.
func (e *accEnv) stormSteps(class stormClass, op stormOperation) []resource.TestStep {
	number, sms := stormMobileNumber, true
	var want stormWork
	fired := 0
	var steps []resource.TestStep
	for _, s := range op.steps {
		switch s {
		case stormCreate:
			want.created += 3
			if op.officeExists {
				want.created, want.refusedCreates = want.created-1, want.refusedCreates+1
			}
			// The new mobile reads notConfigured, as in real tenants, so
			// sms_sign_in_enabled = true needs one enableSmsSignIn after it.
			want.enabled++
		case stormUpdateNumber:
			number = stormNewMobileNumber
			want.updated++
		case stormDisableSMS:
			sms = false
			want.disabled++
		case stormEnableSMS:
			sms = true
			want.enabled++
		case stormDestroy:
			want.deleted += 3
		}
		armed := s == op.armed
		if armed {
			fired = stormSize
		}
		cfg := e.providerConfig()
		if s != stormDestroy {
			cfg = e.config(
				phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: number, SMS: boolPtr(sms)},
				phoneConfig{Name: "alternate", UserID: accAdeleUPN, PhoneType: "alternateMobile", PhoneNumber: stormAlternateNumber,
					// Without it the alternateMobile may be refused until the
					// mobile exists, which is other work than the storm's.
					Extra: "  depends_on = [entraauth_phone_authentication_method.mobile]\n"},
				phoneConfig{Name: "office", UserID: accAdeleUPN, PhoneType: "office", PhoneNumber: stormOfficeNumber},
			)
		}
		preexisting := s == stormCreate && op.officeExists
		steps = append(steps, resource.TestStep{
			PreConfig: func() {
				e.mock.ClearFaults()
				if preexisting {
					e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accAdeleUPN, "office", stormOfficeNumber, false))
				}
				if armed {
					_, err := e.mock.AddFaults(class.fault(op))
					e.must(err)
				}
			},
			Config: cfg,
			Check: resource.ComposeAggregateTestCheckFunc(
				e.checkStormFired(class, op, fired),
				e.checkStormWork(want),
			),
		})
	}
	return steps
}

// fault is the storm for one operation.
func (c stormClass) fault(op stormOperation) mockgraph.Fault {
	f := mockgraph.Fault{ID: "storm", Kind: c.kind, Method: op.method, Match: op.match, Count: stormSize}
	if f.Match == "" {
		f.Match = op.op
	}
	switch {
	case c.noRetry:
	case c.httpDate:
		f.RetryAfterSeconds = int(stormRetryAfterHTTPDate / time.Second)
		f.RetryAfterHTTPDate = true
	default:
		f.RetryAfterSeconds = int(stormRetryAfterDelta / time.Second)
	}
	return f
}

// minRetryWait is the least time a retry must wait after a faulted response
// of the class: Retry-After in seconds counts from the response; an
// HTTP-date names a whole second, at worst just under one second earlier
// than now + the value; without Retry-After the first back-off applies.
// The provider may wait longer (jitter), never less.
func (c stormClass) minRetryWait() time.Duration {
	switch {
	case c.noRetry:
		return stormFirstBackoff
	case c.httpDate:
		return stormRetryAfterHTTPDate - time.Second
	}
	return stormRetryAfterDelta
}

// checkStormFired asserts that exactly want faulted responses were sent,
// all of the class's kind and status and for the operation, and that each
// was retried, no earlier than Retry-After (or the first back-off) allows.
func (e *accEnv) checkStormFired(class stormClass, op stormOperation, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		log := e.mock.RequestLog()
		var faulted []mockgraph.RequestLogEntry
		for _, r := range log {
			if r.Fault != "" {
				faulted = append(faulted, r)
			}
		}
		if len(faulted) != want {
			return fmt.Errorf("%d faulted responses; want %d: %s", len(faulted), want, describeRequests(faulted))
		}
		for _, f := range faulted {
			if f.Fault != class.kind || f.Status != class.status || f.Operation != op.op {
				return fmt.Errorf("faulted response %s %s: %s %d (operation %q); want %s %d (operation %q)",
					f.Method, f.Path, f.Fault, f.Status, f.Operation, class.kind, class.status, op.op)
			}
			next := nextSameRequest(log, f)
			if next == nil {
				return fmt.Errorf("the %s %s answered %d at %s was never retried", f.Method, f.Path, f.Status, f.Time.Format(time.RFC3339Nano))
			}
			// Lower bounds only: a retry sent before the server allowed it
			// hammers a throttled tenant. The bound for Retry-After exceeds
			// the provider's own back-off, so ignoring the header fails here.
			earliest := f.Time.Add(class.minRetryWait())
			if next.Time.Before(earliest) {
				return fmt.Errorf("the %s %s answered %d at %s was retried at %s, before %s (Retry-After or back-off ignored)",
					f.Method, f.Path, f.Status, f.Time.Format(time.RFC3339Nano), next.Time.Format(time.RFC3339Nano), earliest.Format(time.RFC3339Nano))
			}
		}
		return nil
	}
}

// nextSameRequest is the first request after f with its method and path:
// f's retry, as writes on one user are serialised and each phone's reads
// are sequential.
func nextSameRequest(log []mockgraph.RequestLogEntry, f mockgraph.RequestLogEntry) *mockgraph.RequestLogEntry {
	var next *mockgraph.RequestLogEntry
	for i := range log {
		r := &log[i]
		if r.Method == f.Method && r.Path == f.Path && r.Time.After(f.Time) && (next == nil || r.Time.Before(next.Time)) {
			next = r
		}
	}
	return next
}

// checkStormWork asserts that Graph answered (not counting the storm)
// exactly the writes the lifecycle needs, and no list, so far: one successful
// create per phone, one update, enable, disable and delete per change.
func (e *accEnv) checkStormWork(want stormWork) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got := map[string]map[int]int{}
		for _, r := range e.mock.RequestLog() {
			if r.Fault != "" {
				continue
			}
			if got[r.Operation] == nil {
				got[r.Operation] = map[int]int{}
			}
			got[r.Operation][r.Status]++
		}
		var problems []string
		expect := func(op string, status, n int) {
			if got[op][status] != n {
				problems = append(problems, fmt.Sprintf("%s answered %d: %d times, want %d", op, status, got[op][status], n))
			}
			delete(got[op], status)
			for s, c := range got[op] {
				problems = append(problems, fmt.Sprintf("%s answered %d: %d times, want 0", op, s, c))
			}
		}
		expect(mockgraph.OpUpdate, 204, want.updated)
		expect(mockgraph.OpEnableSmsSignIn, 204, want.enabled)
		expect(mockgraph.OpDisableSmsSignIn, 204, want.disabled)
		expect(mockgraph.OpDelete, 204, want.deleted)
		expect(mockgraph.OpList, 200, 0)
		// The refused create is the out-of-band office (phone type exists).
		refused := got[mockgraph.OpCreate][400] + got[mockgraph.OpCreate][409]
		if refused != want.refusedCreates {
			problems = append(problems, fmt.Sprintf("create refused (400/409): %d times, want %d", refused, want.refusedCreates))
		}
		delete(got[mockgraph.OpCreate], 400)
		delete(got[mockgraph.OpCreate], 409)
		expect(mockgraph.OpCreate, 201, want.created)
		if len(problems) > 0 {
			sort.Strings(problems)
			return fmt.Errorf("Graph work differs from what the configuration needs:\n  %s", strings.Join(problems, "\n  "))
		}
		return nil
	}
}

func describeRequests(rs []mockgraph.RequestLogEntry) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = fmt.Sprintf("%s %s %d %s", r.Method, r.Path, r.Status, r.Fault)
	}
	return "[" + strings.Join(parts, "; ") + "]"
}

// A create whose write Graph applied but whose response never arrived must
// end with the phone managed exactly once: adopted by the provider's own
// retry, or by the next apply when this one failed, never created twice
// and never refused with "already exists". A different number already
// there is someone else's phone: a clear error pointing at import.

// createsPath is the path a user's phone creates are POSTed to (the user
// as the configuration gives it; the mock logs the decoded path).
func createsPath(user string) string { return "/v1.0/users/" + user + "/authentication/phoneMethods" }

// dropCreateOf drops the response of the next create for one user.
func dropCreateOf(user string) mockgraph.Fault {
	return mockgraph.Fault{ID: "drop-" + user, Method: "POST", Match: createsPath(user), Kind: mockgraph.FaultDrop, Count: 1}
}

// createOutcomes counts one user's create calls (POST to the phones
// collection, not enable/disable) by how they ended.
type createOutcomes struct{ created, dropped, refused, unavailable, other int }

func (e *accEnv) createOutcomes(user string) createOutcomes {
	var c createOutcomes
	for _, r := range e.mock.RequestLog(mockgraph.RequestLogFilter{Method: "POST", Operation: mockgraph.OpCreate}) {
		if !strings.EqualFold(r.Path, createsPath(user)) {
			continue
		}
		switch {
		case r.Status == 201:
			c.created++
		case r.Status == 0 && r.Fault == mockgraph.FaultDrop:
			c.dropped++
		case r.Status == 400:
			c.refused++
		case r.Status == 503:
			c.unavailable++
		default:
			c.other++
		}
	}
	return c
}

// checkCreates asserts one user's create calls ended exactly as wanted.
func (e *accEnv) checkCreates(user string, want createOutcomes) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := e.createOutcomes(user); got != want {
			return fmt.Errorf("creates for %s: %+v; want %+v (request log: %+v)", user, got, want, e.mock.RequestLog(mockgraph.RequestLogFilter{Method: "POST"}))
		}
		return nil
	}
}

// checkNoWrites asserts no update or delete reached Graph.
func (e *accEnv) checkNoWrites(ops ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, op := range ops {
			if n := len(e.mock.RequestLog(mockgraph.RequestLogFilter{Operation: op})); n != 0 {
				return fmt.Errorf("%d %s calls reached Graph; want none", n, op)
			}
		}
		return nil
	}
}

// TestAccPhoneAuthenticationMethod_lostCreateAdoptedByRetry: the responses
// to a mobile (with SMS sign-in), an alternateMobile and an office create
// are lost after Graph applied them; the provider's retry, refused because
// the phone now exists, recognises its own phone and the apply succeeds.
// Each phone was written exactly once (the dropped call), no create
// succeeded a second time, and state equals Graph.
func TestAccPhoneAuthenticationMethod_lostCreateAdoptedByRetry(t *testing.T) {
	e := newAccEnv(t)
	carlosMobile := phoneConfig{Name: "carlos_mobile", UserID: accCarlosUPN, PhoneType: "mobile", PhoneNumber: "+1 5555550301"}
	adeleMobile := phoneConfig{Name: "adele_mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555550101", SMS: boolPtr(true)}
	biancaOffice := phoneConfig{Name: "bianca_office", UserID: accBiancaUPN, PhoneType: "office", PhoneNumber: "+1 5555550201x42"}
	carlosAlt := phoneConfig{Name: "carlos_alt", UserID: accCarlosUPN, PhoneType: "alternateMobile", PhoneNumber: "+44 2079460302"}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkTenantWithoutPhones(),
		Steps: []resource.TestStep{
			{
				// carlos's mobile first, so the dropped create below is his
				// alternateMobile's and not the mobile it needs.
				Config: e.config(carlosMobile),
			},
			{
				PreConfig: func() {
					e.mock.ResetRequestLog()
					_, err := e.mock.AddFaults(dropCreateOf(accAdeleUPN), dropCreateOf(accBiancaUPN), dropCreateOf(accCarlosUPN))
					e.must(err)
				},
				Config:           e.config(carlosMobile, adeleMobile, biancaOffice, carlosAlt),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(adeleMobile.address(), tfjsonpath.New("sms_sign_in_enabled"), knownvalue.Bool(true)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550101", "ready"),
					e.checkGraphPhone(accBiancaUPN, "office", "+1 5555550201x42", "notSupported"),
					e.checkGraphPhone(accCarlosUPN, "alternateMobile", "+44 2079460302", "notSupported"),
					// Written once (dropped), retried once (refused: it exists),
					// never created again.
					e.checkCreates(accAdeleUPN, createOutcomes{dropped: 1, refused: 1}),
					e.checkCreates(accBiancaUPN, createOutcomes{dropped: 1, refused: 1}),
					e.checkCreates(accCarlosUPN, createOutcomes{dropped: 1, refused: 1}),
					e.checkNoWrites(mockgraph.OpUpdate, mockgraph.OpDelete),
				),
			},
		},
	})
}

// TestAccPhoneAuthenticationMethod_lostCreateAdoptedByNextApply: the
// response to a mobile create is lost and Graph then stays unavailable
// until timeouts.create runs out, so the apply fails without the phone in
// state. The next apply recognises the phone (same user, type and number)
// and adopts it: no second create succeeds, no "already exists" error,
// state equals Graph and the plan is empty.
func TestAccPhoneAuthenticationMethod_lostCreateAdoptedByNextApply(t *testing.T) {
	e := newAccEnv(t)
	mobile := phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555550101", SMS: boolPtr(true),
		Timeouts: map[string]string{"create": opTimeout}}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkTenantWithoutPhones(),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					_, err := e.mock.AddFaults(dropCreateOf(accAdeleUPN),
						mockgraph.Fault{ID: "outage", Match: "phone", Kind: mockgraph.FaultUnavailable})
					e.must(err)
				},
				Config:      e.config(mobile),
				ExpectError: errorRE("Timed out creating phone method", withinLimit("create"), "could not be checked", "adopts it instead of creating it twice", "create = \"10m\""),
			},
			{
				// The failed apply left nothing in state, but Graph has the phone,
				// notConfigured as a new mobile reads in real tenants: the
				// enableSmsSignIn after the create was never reached.
				PreConfig:          func() { e.mock.ClearFaults() },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				RefreshPlanChecks: resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(mobile.address(), plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkNoPhoneResources(),
					e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550101", "notConfigured"),
				),
			},
			{
				Config:           e.config(mobile),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(mobile.address(), tfjsonpath.New("sms_sign_in_enabled"), knownvalue.Bool(true)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550101", "ready"),
					// The dropped call is the only create Graph applied; the
					// next apply's create was refused and the phone adopted,
					// then enabled (it read notConfigured).
					e.checkCalls(mockgraph.OpEnableSmsSignIn, map[int]int{204: 1}),
					func(*terraform.State) error {
						got := e.createOutcomes(accAdeleUPN)
						if got.created != 0 || got.dropped != 1 || got.refused != 1 || got.unavailable < 1 || got.other != 0 {
							return fmt.Errorf("creates for %s: %+v; want none created, 1 dropped, 1 refused, the rest refused as unavailable", accAdeleUPN, got)
						}
						return nil
					},
					e.checkNoWrites(mockgraph.OpUpdate, mockgraph.OpDelete),
				),
			},
		},
	})
}

// checkNoPhoneResources asserts the state holds no phone method.
func checkNoPhoneResources() resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for addr, rs := range s.RootModule().Resources {
			if rs.Type == "entraauth_phone_authentication_method" {
				return fmt.Errorf("state holds %s (%s)", addr, rs.Primary.ID)
			}
		}
		return nil
	}
}

// TestAccPhoneAuthenticationMethod_createMeetsOtherNumber: the user already
// has a mobile with another number (added outside Terraform). The apply
// fails with an error naming the user, the type and the existing number
// and giving the exact import id; Graph is unchanged and the state empty.
// Importing with that id then brings the phone under management.
func TestAccPhoneAuthenticationMethod_createMeetsOtherNumber(t *testing.T) {
	e := newAccEnv(t)
	mobile := phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555550101", SMS: boolPtr(true)}
	const outOfBand = "+1 5555550999"
	id := importID(accAdeleUPN, "mobile")
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkTenantWithoutPhones(),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accAdeleUPN, "mobile", outOfBand, true))
					e.mock.ResetRequestLog()
				},
				Config: e.config(mobile),
				ExpectError: errorRE("Phone method already exists",
					fmt.Sprintf("User %q already has a mobile phone, with number %q, not %q", accAdeleUPN, outOfBand, "+1 5555550101"),
					fmt.Sprintf("terraform import <resource address> %q", id), fmt.Sprintf("import block with id = %q", id)),
			},
			{
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				RefreshPlanChecks: resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(mobile.address(), plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkNoPhoneResources(),
					e.checkGraphPhone(accAdeleUPN, "mobile", outOfBand, "ready"),
					// One refused create and nothing else written.
					e.checkCreates(accAdeleUPN, createOutcomes{refused: 1}),
					e.checkNoWrites(mockgraph.OpUpdate, mockgraph.OpDelete, mockgraph.OpEnableSmsSignIn, mockgraph.OpDisableSmsSignIn),
				),
			},
			{
				// The suggested import id works; the number is then changed in place.
				Config: e.config(mobile, rawHCL(fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", mobile.address(), id))),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(mobile.address(), plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550101", "ready"),
					e.checkCreates(accAdeleUPN, createOutcomes{refused: 1}),
				),
			},
		},
	}, acctest.UnmanagedPhone(accAdeleUPN, "mobile")) // added outside Terraform until the import step
}

// Read-after-write lag (issue #6): Entra is eventually consistent, so reads
// right after a create, update, enableSmsSignIn or disableSmsSignIn may
// answer 404 or the value from before the write. Whatever the provider
// reads in that window (its own read-backs and, when they do not outlast
// it, the refresh that follows the apply), state must equal Graph and the
// next plan must be empty: lag must
// never cause a phantom difference, a removed resource or a wrong
// sms_sign_in_state.

// lagCase is one write followed by lagging reads of the written phone.
type lagCase struct {
	name  string
	write string // mock operation that arms the lag
	mode  string // not_found or stale
	reads int    // LagReads: how many reads lag (0: limited by time only)
	span  time.Duration
}

// The read counts (at most graph.ReadAfterWriteRetries) are used up by the
// apply's own read-backs where it has them, so these cases prove the
// read-backs wait the lag out; the office created in the create cases is
// not read back, so its lag reaches the refresh. Lag that outlasts the
// read-backs is lagOutlastsApply's. The time spans are Entra-like seconds,
// at least lagMinSpan so that a loaded machine still reads within them.
var lagCases = []lagCase{
	// Stale after a create is a 404 as well: there is no older value.
	{name: "create_not_found_reads", write: mockgraph.OpCreate, mode: "not_found", reads: 2},
	{name: "create_not_found_seconds", write: mockgraph.OpCreate, mode: "not_found", span: lagMinSpan},
	{name: "create_stale_reads", write: mockgraph.OpCreate, mode: "stale", reads: 2},
	{name: "update_stale_reads", write: mockgraph.OpUpdate, mode: "stale", reads: 3},
	{name: "update_stale_seconds", write: mockgraph.OpUpdate, mode: "stale", span: lagMinSpan},
	{name: "update_not_found_reads", write: mockgraph.OpUpdate, mode: "not_found", reads: 2},
	{name: "enable_stale_reads", write: mockgraph.OpEnableSmsSignIn, mode: "stale", reads: 2},
	{name: "enable_stale_seconds", write: mockgraph.OpEnableSmsSignIn, mode: "stale", span: lagMinSpan},
	{name: "enable_not_found_reads", write: mockgraph.OpEnableSmsSignIn, mode: "not_found", reads: 2},
	{name: "disable_stale_reads", write: mockgraph.OpDisableSmsSignIn, mode: "stale", reads: 2},
	{name: "disable_stale_seconds", write: mockgraph.OpDisableSmsSignIn, mode: "stale", span: lagMinSpan},
	{name: "disable_not_found_reads", write: mockgraph.OpDisableSmsSignIn, mode: "not_found", reads: 2},
}

// lagMinSpan is the time-limited lag: long enough that the read-back right
// after the write falls inside it even when 8 parallel tests share two
// cores, shorter than the read-back's retries (1 + 2 + 4 s) so the apply
// still outlasts it.
const lagMinSpan = 5 * time.Second

func TestAccPhoneAuthenticationMethod_readAfterWriteLag(t *testing.T) {
	t.Parallel()
	for _, c := range lagCases {
		t.Run(c.name, func(t *testing.T) {
			e := newAccEnv(t)
			e.test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps:                    e.lagSteps(c),
				CheckDestroy:             e.checkTenantWithoutPhones(),
			})
		})
	}
}

// lagPhones are the phones a lag case manages: the mobile, whose SMS
// sign-in is flipped, and an office phone for the create and update cases.
type lagPhones struct {
	mobileNumber, officeNumber string
	sms                        bool
	office                     bool
}

func (e *accEnv) lagConfig(p lagPhones) string {
	blocks := []fmt.Stringer{phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: p.mobileNumber, SMS: boolPtr(p.sms)}}
	if p.office {
		blocks = append(blocks, phoneConfig{Name: "office", UserID: accAdeleUPN, PhoneType: "office", PhoneNumber: p.officeNumber})
	}
	return e.config(blocks...)
}

// lagSteps: a setup apply without faults (not for create), the apply whose
// writes arm the lag, then a plan-only step that must be empty and, before
// it, proof that the lagging reads were really served.
func (e *accEnv) lagSteps(c lagCase) []resource.TestStep {
	before := lagPhones{mobileNumber: "+1 5555551234", officeNumber: "+1 5555551236", office: true, sms: true}
	after := before
	// writes is how many writes arm the lag (one per phone written).
	writes := 1
	switch c.write {
	case mockgraph.OpCreate:
		// SMS on at create: a new mobile reads notConfigured, as in real
		// tenants, so SMS sign-in is enabled right away and the enable's
		// read-back also meets the create's lag.
		after.sms = true
		writes = 2
	case mockgraph.OpUpdate:
		after.mobileNumber, after.officeNumber = "+1 5555559999", "+1 5555559998"
		writes = 2
	case mockgraph.OpEnableSmsSignIn:
		before.sms, after.sms = false, true
	case mockgraph.OpDisableSmsSignIn:
		before.sms, after.sms = true, false
	}
	// needed is every write the lagged apply needs: lag must not make the
	// provider repeat one (e.g. re-enable SMS sign-in because a read-back
	// still showed the old number).
	needed := map[string]int{c.write: writes}
	if c.write == mockgraph.OpCreate {
		needed[mockgraph.OpEnableSmsSignIn] = 1
	}
	fault := mockgraph.Fault{ID: "lag", Kind: mockgraph.FaultLag, Match: c.write, LagMode: c.mode, LagReads: c.reads, LagFor: mockgraph.Duration(c.span), Count: writes}

	var steps []resource.TestStep
	if c.write != mockgraph.OpCreate {
		steps = append(steps, resource.TestStep{Config: e.lagConfig(before)})
	}
	var armedAt time.Time
	steps = append(steps,
		resource.TestStep{
			PreConfig: func() {
				e.mock.ClearFaults()
				armedAt = time.Now()
				_, err := e.mock.AddFaults(fault)
				e.must(err)
			},
			Config: e.lagConfig(after),
			Check: resource.ComposeAggregateTestCheckFunc(
				e.checkLagArmed(writes),
				func(*terraform.State) error { return e.writesSince(armedAt, needed) },
			),
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		},
		resource.TestStep{
			PreConfig: func() {
				e.mock.ClearFaults()
				if err := e.lagReadsServed(c, armedAt); err != nil {
					e.t.Error(err)
				}
			},
			Config:   e.lagConfig(after),
			PlanOnly: true,
		},
		resource.TestStep{
			// State still equals Graph once every lag is over.
			Config: e.lagConfig(after),
		},
	)
	return steps
}

// checkLagArmed asserts that the writes happened and each armed a lag.
func (e *accEnv) checkLagArmed(writes int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, f := range e.mock.Faults() {
			if f.ID == "lag" && f.Remaining != 0 {
				return fmt.Errorf("lag fault armed by %d of %d writes", writes-f.Remaining, writes)
			}
		}
		return nil
	}
}

// writesSince asserts that Graph was sent exactly the needed writes since
// t, each answered with success.
func (e *accEnv) writesSince(t time.Time, needed map[string]int) error {
	got := map[string]int{}
	for _, r := range e.mock.RequestLog(mockgraph.RequestLogFilter{Since: t}) {
		if r.Method != "GET" {
			got[fmt.Sprintf("%s %d", r.Operation, r.Status)]++
		}
	}
	want := map[string]int{}
	for op, n := range needed {
		status := 204
		if op == mockgraph.OpCreate {
			status = 201
		}
		want[fmt.Sprintf("%s %d", op, status)] = n
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		return fmt.Errorf("writes since the lag was armed: %v; want %v", got, want)
	}
	return nil
}

// lagReadsServed proves the lag was met: for read-limited lag, each written
// phone was read after its write at least as many times as the lag lasts
// (so every lagging response reached the provider); for time-limited lag,
// some read fell inside it; not-found lag shows its 404s.
func (e *accEnv) lagReadsServed(c lagCase, since time.Time) error {
	log := e.mock.RequestLog(mockgraph.RequestLogFilter{Since: since})
	var writes []mockgraph.RequestLogEntry
	for _, r := range log {
		if r.Operation == c.write && r.Status >= 200 && r.Status < 300 {
			writes = append(writes, r)
		}
	}
	if len(writes) == 0 {
		return fmt.Errorf("no successful %s after the lag was armed", c.write)
	}
	if c.write == mockgraph.OpCreate {
		// Creates are serialised per user: the first one precedes every read.
		writes = writes[:1]
	}
	var problems []string
	inSpan := 0
	for _, w := range writes {
		for _, phone := range lagPhonePaths(w, c.write) {
			lagging := 0
			for _, r := range log {
				if r.Operation != mockgraph.OpGet || !strings.EqualFold(r.Path, phone) || !r.Time.After(w.Time) {
					continue
				}
				if c.span > 0 && r.Time.After(w.Time.Add(c.span)) {
					continue
				}
				lagging++
			}
			inSpan += lagging
			if c.reads > 0 && lagging < c.reads {
				problems = append(problems, fmt.Sprintf("%s was read %d times while lagging after the %s; want at least %d", phone, lagging, c.write, c.reads))
			}
		}
	}
	if c.span > 0 && inSpan == 0 {
		// Time-limited lag: a phone read only after it ended saw none, so
		// only require that some read fell inside it.
		problems = append(problems, fmt.Sprintf("no phone was read within %s after the %s", c.span, c.write))
	}
	if c.mode == "not_found" {
		if n := len(e.mock.RequestLog(mockgraph.RequestLogFilter{Since: since, Operation: mockgraph.OpGet, Status: 404})); n == 0 {
			problems = append(problems, "no read answered 404")
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("the lag was not exercised: %s", strings.Join(problems, "; "))
	}
	return nil
}

// lagPhonePaths are the get paths of the phones a write changed: the
// write's own path without the action; a create is posted to the
// collection, so each created phone is read after the first create (a
// phone cannot be read before its own create, which comes later).
func lagPhonePaths(w mockgraph.RequestLogEntry, write string) []string {
	switch write {
	case mockgraph.OpCreate:
		return []string{w.Path + "/" + mobileMethodID, w.Path + "/" + officeMethodID}
	case mockgraph.OpEnableSmsSignIn, mockgraph.OpDisableSmsSignIn:
		return []string{w.Path[:strings.LastIndex(w.Path, "/")]}
	}
	return []string{w.Path}
}

// Read-after-write lag that outlasts the apply (issue #6): Read tolerates a
// 404 or the value from before the write while the write is recent
// (privateRecentWrite). The apply's own read-backs use up to
// graph.ReadAfterWriteRetries+1 reads of the written phone, so the lag here is
// that many reads plus lagPastApply: the refresh that follows the apply (the
// post-apply refresh plan) meets lagPastApply lagging reads. That refresh
// must show no difference and its state must equal Graph; the request log
// proves the lagging reads reached it.

// lagPastApply is how many lagging reads reach the refresh; at most
// graph.ReadAfterWriteRetries, the lag Read tolerates after a write.
const lagPastApply = 2

// lagRefreshCase is one write whose lag reaches the refresh.
type lagRefreshCase struct {
	name  string
	write string // mock operation that arms the lag
	mode  string // not_found or stale
	// applyReads is how many reads of the written phone the apply makes after
	// the write while the lag lasts: none after a create (Graph's answer is
	// trusted), every read-back attempt after an update or an SMS sign-in
	// change (each one lags, so all retries are used).
	applyReads int
}

var lagRefreshCases = func() []lagRefreshCase {
	readBack := graph.ReadAfterWriteRetries + 1
	return []lagRefreshCase{
		// Stale after a create is a 404 as well: there is no older value.
		{name: "create_not_found", write: mockgraph.OpCreate, mode: "not_found"},
		{name: "update_stale", write: mockgraph.OpUpdate, mode: "stale", applyReads: readBack},
		{name: "update_not_found", write: mockgraph.OpUpdate, mode: "not_found", applyReads: readBack},
		{name: "enable_stale", write: mockgraph.OpEnableSmsSignIn, mode: "stale", applyReads: readBack},
		{name: "enable_not_found", write: mockgraph.OpEnableSmsSignIn, mode: "not_found", applyReads: readBack},
		{name: "disable_stale", write: mockgraph.OpDisableSmsSignIn, mode: "stale", applyReads: readBack},
		{name: "disable_not_found", write: mockgraph.OpDisableSmsSignIn, mode: "not_found", applyReads: readBack},
	}
}()

func TestAccPhoneAuthenticationMethod_lagOutlastsApply(t *testing.T) {
	t.Parallel()
	for _, c := range lagRefreshCases {
		t.Run(c.name, func(t *testing.T) {
			e := newAccEnv(t)
			e.test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				Steps:                    e.lagRefreshSteps(c),
				CheckDestroy:             e.checkTenantWithoutPhones(),
			})
		})
	}
}

// lagRefreshSteps: a setup apply (not for create), then the apply whose one
// write arms the lag. Its Check marks where the apply's reads end; the
// post-apply refresh plan must be empty, its refreshed state equal to Graph,
// and the request log must show the lagging reads served to that refresh.
// Only one phone is written so the apply's reads of it are known.
func (e *accEnv) lagRefreshSteps(c lagRefreshCase) []resource.TestStep {
	before := lagPhones{mobileNumber: "+1 5555551234", officeNumber: "+1 5555551236", office: true, sms: true}
	after := before
	written := officeMethodID
	switch c.write {
	case mockgraph.OpCreate:
		// The setup creates the mobile; the lagged apply creates only the
		// office, which has no SMS sign-in and so no read-back.
		before.office = false
	case mockgraph.OpUpdate:
		after.officeNumber = "+1 5555559998"
	case mockgraph.OpEnableSmsSignIn:
		before.sms, after.sms = false, true
		written = mobileMethodID
	case mockgraph.OpDisableSmsSignIn:
		before.sms, after.sms = true, false
		written = mobileMethodID
	}
	fault := mockgraph.Fault{ID: "lag", Kind: mockgraph.FaultLag, Match: c.write, LagMode: c.mode,
		LagReads: c.applyReads + lagPastApply, Count: 1}

	var armedAt, appliedAt time.Time
	return []resource.TestStep{
		{Config: e.lagConfig(before)},
		{
			PreConfig: func() {
				e.mock.ClearFaults()
				armedAt = time.Now()
				_, err := e.mock.AddFaults(fault)
				e.must(err)
			},
			Config: e.lagConfig(after),
			Check: resource.ComposeAggregateTestCheckFunc(
				e.checkLagArmed(1),
				func(*terraform.State) error { return e.writesSince(armedAt, map[string]int{c.write: 1}) },
				// Nothing reads Graph between here and the refresh plan (the
				// plan before it does not refresh).
				func(*terraform.State) error { appliedAt = time.Now(); return nil },
			),
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectEmptyPlan(),
				refreshedStateCheck{e: e, check: func() error { return e.lagReachedRefresh(c, written, &armedAt, &appliedAt) }},
			}},
		},
		{
			// Once the lag is over, state still equals Graph.
			PreConfig: e.mock.ClearFaults,
			Config:    e.lagConfig(after),
		},
	}
}

// lagReachedRefresh asserts, from the request log, that the apply read the
// written phone applyReads times after the write, and the refresh read it
// lagPastApply times more, until the lag was over, plus once for the value
// it kept; not-found lag shows its 404s in the refresh.
func (e *accEnv) lagReachedRefresh(c lagRefreshCase, methodID string, armedAt, appliedAt *time.Time) error {
	var write *mockgraph.RequestLogEntry
	log := e.mock.RequestLog(mockgraph.RequestLogFilter{Since: *armedAt})
	for i, r := range log {
		if r.Operation == c.write && r.Status >= 200 && r.Status < 300 {
			write = &log[i]
			break
		}
	}
	if write == nil {
		return fmt.Errorf("no successful %s after the lag was armed", c.write)
	}
	var applyReads, refreshReads, refresh404 int
	for _, r := range log {
		if r.Operation != mockgraph.OpGet || !strings.HasSuffix(strings.ToLower(r.Path), "/"+strings.ToLower(methodID)) || !r.Time.After(write.Time) {
			continue
		}
		if r.Time.Before(*appliedAt) {
			applyReads++
			continue
		}
		refreshReads++
		if r.Status == 404 {
			refresh404++
		}
	}
	var problems []string
	if applyReads != c.applyReads {
		problems = append(problems, fmt.Sprintf("the apply read the phone %d times after the %s; want %d (the lag no longer ends where this case expects)", applyReads, c.write, c.applyReads))
	}
	if refreshReads != lagPastApply+1 {
		problems = append(problems, fmt.Sprintf("the refresh read the phone %d times; want %d lagging reads and then the written value", refreshReads, lagPastApply))
	}
	if c.mode == "not_found" && refresh404 != lagPastApply {
		problems = append(problems, fmt.Sprintf("the refresh met %d 404s; want %d", refresh404, lagPastApply))
	}
	if len(problems) > 0 {
		return fmt.Errorf("the lag did not reach the refresh as intended: %s", strings.Join(problems, "; "))
	}
	return nil
}

// refreshedStateCheck asserts that the plan's prior state (the state the
// refresh produced, which terraform plan does not save) equals Graph, then
// runs check.
type refreshedStateCheck struct {
	e     *accEnv
	check func() error
}

func (c refreshedStateCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if err := c.check(); err != nil {
		resp.Error = err
		return
	}
	// The legacy state shape stateMatchesGraph reads, built by hand
	// (terraform.NewState is not for external use).
	root := &terraform.ModuleState{Path: []string{"root"}, Resources: map[string]*terraform.ResourceState{}}
	st := &terraform.State{Modules: []*terraform.ModuleState{root}}
	if req.Plan.PriorState == nil || req.Plan.PriorState.Values == nil || req.Plan.PriorState.Values.RootModule == nil {
		resp.Error = fmt.Errorf("the refresh plan has no prior state")
		return
	}
	for _, r := range req.Plan.PriorState.Values.RootModule.Resources {
		attrs := map[string]string{}
		for k, v := range r.AttributeValues {
			if s, ok := v.(string); ok {
				attrs[k] = s
			}
		}
		root.Resources[r.Address] = &terraform.ResourceState{Type: r.Type, Primary: &terraform.InstanceState{ID: attrs["id"], Attributes: attrs}}
	}
	if err := c.e.stateMatchesGraph(st); err != nil {
		resp.Error = fmt.Errorf("refreshed state: %w", err)
	}
}

// Graph slower than an operation's timeout, in the two ways that matter:
// before the write is applied (the mock waits, the provider gives up,
// nothing changes) and after (Graph applied the write, its response comes
// too late). Either way the error says which operation ran out of which
// limit and how to raise it, and state matches Graph: checked after a
// refresh, which cannot repair an orphan (a phone only Graph knows about)
// but does converge a state Terraform kept from before a failed write.

// opTimeout is the timeouts block value of the operation under test. It is
// long enough for the token, the user's lock and the request to start on a
// loaded CI machine running many acceptance tests at once, so the held
// request is always the one that runs out of time.
const opTimeout = "15s"

// graphHolds is a mock delay far longer than opTimeout plus the provider's
// grace read after it (timeoutGracePeriod, 10s): the provider gives up long
// before it ends, so no timing coincidence decides a case, and the mock
// lets go as soon as the provider hangs up.
const graphHolds = mockgraph.Duration(5 * time.Minute)

// withinLimit is the error text naming the limit that ran out.
func withinLimit(key string) string {
	return fmt.Sprintf("did not finish within %s (timeouts.%s)", opTimeout, key)
}

// slowFault delays one operation's next call: "latency" before the mock
// serves it, "slow_response" after it applied it.
func slowFault(kind, op string) mockgraph.Fault {
	return mockgraph.Fault{ID: kind + "-" + op, Match: op, Kind: kind, Latency: graphHolds, Count: 1}
}

// checkCalls asserts how one operation's calls ended: status → count.
func (e *accEnv) checkCalls(op string, want map[int]int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got := map[int]int{}
		for _, r := range e.mock.RequestLog(mockgraph.RequestLogFilter{Operation: op}) {
			got[r.Status]++
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("%s calls by status: %v; want %v", op, got, want)
		}
		return nil
	}
}

// checkTainted asserts the resource is in state and marked tainted.
func checkTainted(address string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[address]
		if !ok || rs.Primary == nil {
			return fmt.Errorf("%s is not in the state", address)
		}
		if !rs.Primary.Tainted {
			return fmt.Errorf("%s is in the state but not tainted", address)
		}
		return nil
	}
}

// TestAccPhoneAuthenticationMethod_createTimeout: a create slower than
// timeouts.create fails with a timeout error. Held before the write,
// nothing exists and nothing is saved; held after it, Graph has the phone
// and so does the state (tainted, so the next apply replaces it). Either
// way the next apply converges with state equal to Graph.
//
// A created mobile reads notConfigured, as in real tenants: with
// sms_sign_in_enabled = true the applied create is not yet as configured
// (the enableSmsSignIn after it was never reached), and the message says
// untaint leaves only SMS sign-in to change; with it unset Graph holds
// exactly what was configured.
func TestAccPhoneAuthenticationMethod_createTimeout(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, kind string
		sms        *bool
		outcome    string
		// after the failed apply
		stateHasIt bool
		nextAction plancheck.ResourceActionType
		// create calls by status once the next apply is done
		creates map[int]int
		// Graph's smsSignInState once the next apply is done
		finalState string
	}{
		{mockgraph.FaultLatency, mockgraph.FaultLatency, boolPtr(true), "Microsoft Graph does not have the phone, so nothing was created", false, plancheck.ResourceActionCreate, map[int]int{0: 1, 201: 1}, "ready"},
		{mockgraph.FaultSlowResponse, mockgraph.FaultSlowResponse, boolPtr(true), `Microsoft Graph did apply the create: the user now has this phone, but SMS sign-in is not as configured yet (smsSignInState "notConfigured"). ` +
			"It is saved in the state, so it is not lost; Terraform marks it tainted, so the next apply deletes and re-creates the user's phone. " +
			"To keep the phone instead, run terraform untaint on this resource (terraform untaint <resource address>); the next apply then only changes SMS sign-in.",
			true, plancheck.ResourceActionDestroyBeforeCreate, map[int]int{201: 2}, "ready"},
		{mockgraph.FaultSlowResponse + "_sms_unset", mockgraph.FaultSlowResponse, nil, "Microsoft Graph did apply the create and holds exactly what was configured: the user now has this phone. It is saved in the state, so it is not lost; " +
			"Terraform marks it tainted, so the next apply deletes and re-creates the user's phone. To keep it as it is instead, run terraform untaint on this resource",
			true, plancheck.ResourceActionDestroyBeforeCreate, map[int]int{201: 2}, "notConfigured"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newAccEnv(t)
			mobile := phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555550101", SMS: c.sms,
				Timeouts: map[string]string{"create": opTimeout}}
			var afterFailure []resource.TestCheckFunc
			if c.stateHasIt {
				afterFailure = append(afterFailure, checkTainted(mobile.address()), e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550101", "notConfigured"))
			} else {
				afterFailure = append(afterFailure, checkNoPhoneResources(), e.checkGraphNoPhone(accAdeleUPN))
			}
			// Only the one held call: the provider did not retry a create it
			// gave up on (status 201 when Graph applied it, 0 when not).
			held := map[int]int{0: 1}
			if c.stateHasIt {
				held = map[int]int{201: 1}
			}
			afterFailure = append(afterFailure, e.checkCalls(mockgraph.OpCreate, held))
			e.test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				CheckDestroy:             e.checkTenantWithoutPhones(),
				Steps: []resource.TestStep{
					{
						PreConfig: func() {
							_, err := e.mock.AddFaults(slowFault(c.kind, mockgraph.OpCreate))
							e.must(err)
						},
						Config: e.config(mobile),
						ExpectError: errorRE("Timed out creating phone method", fmt.Sprintf("Creating the mobile phone %q for user %q", "+1 5555550101", accAdeleUPN),
							withinLimit("create"), c.outcome, "raise the limit in the resource's timeouts block", `create = "10m"`, "Last Graph error:"),
					},
					{
						RefreshState:       true,
						ExpectNonEmptyPlan: true,
						RefreshPlanChecks: resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(mobile.address(), c.nextAction),
						}},
						Check: resource.ComposeAggregateTestCheckFunc(afterFailure...),
					},
					{
						Config:           e.config(mobile),
						ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
						Check: resource.ComposeAggregateTestCheckFunc(
							e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550101", c.finalState),
							e.checkCalls(mockgraph.OpCreate, c.creates),
						),
					},
				},
			})
		})
	}
}

// TestAccPhoneAuthenticationMethod_updateTimeout: a number change slower
// than timeouts.update fails with a timeout error, and the state holds the
// number Graph really has: the new one when Graph applied the PATCH (the
// plan is then empty), the old one when it did not (the plan still shows
// the change, which the next apply makes).
func TestAccPhoneAuthenticationMethod_updateTimeout(t *testing.T) {
	t.Parallel()
	const before, after = "+1 5555550201", "+1 5555550202"
	for _, c := range []struct {
		kind      string
		outcome   string
		inGraph   string
		patches   map[int]int // after the failed apply
		converged bool
	}{
		{mockgraph.FaultLatency, fmt.Sprintf("Microsoft Graph still has the number %q; the state keeps it", before), before, map[int]int{0: 1}, false},
		{mockgraph.FaultSlowResponse, "Microsoft Graph did apply the new number, and the state now holds it", after, map[int]int{204: 1}, true},
	} {
		t.Run(c.kind, func(t *testing.T) {
			e := newAccEnv(t)
			office := phoneConfig{Name: "office", UserID: accBiancaUPN, PhoneType: "office", PhoneNumber: before, Timeouts: map[string]string{"update": opTimeout}}
			changed := office
			changed.PhoneNumber = after
			refresh := resource.TestStep{
				RefreshState: true,
				Check: resource.ComposeAggregateTestCheckFunc(
					// statecheck cannot run on a RefreshState step.
					resource.TestCheckResourceAttr(office.address(), "phone_number", c.inGraph),
					e.checkGraphPhone(accBiancaUPN, "office", c.inGraph, "notSupported"),
					e.checkCalls(mockgraph.OpUpdate, c.patches),
				),
			}
			if !c.converged {
				refresh.ExpectNonEmptyPlan = true
				refresh.RefreshPlanChecks.PostRefresh = []plancheck.PlanCheck{plancheck.ExpectResourceAction(office.address(), plancheck.ResourceActionUpdate)}
			}
			e.test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				CheckDestroy:             e.checkTenantWithoutPhones(),
				Steps: []resource.TestStep{
					{Config: e.config(office)},
					{
						PreConfig: func() {
							_, err := e.mock.AddFaults(slowFault(c.kind, mockgraph.OpUpdate))
							e.must(err)
						},
						Config: e.config(changed),
						ExpectError: errorRE("Timed out updating phone number", fmt.Sprintf("Changing the number of user %q's office phone to %q", accBiancaUPN, after),
							withinLimit("update"), c.outcome, `update = "10m"`, "Last Graph error:"),
					},
					refresh,
					{
						Config:           e.config(changed),
						ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
						Check: resource.ComposeAggregateTestCheckFunc(
							e.checkGraphPhone(accBiancaUPN, "office", after, "notSupported"),
						),
					},
				},
			})
		})
	}
}

// TestAccPhoneAuthenticationMethod_deleteTimeout: a delete slower than
// timeouts.delete fails with a timeout error that says whether Graph
// applied it. Terraform keeps the resource in state after a failed delete;
// the next refresh drops it when Graph did apply it (no ghost), and the
// next destroy deletes it when Graph did not (no orphan).
func TestAccPhoneAuthenticationMethod_deleteTimeout(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		kind    string
		outcome string
		gone    bool
		deletes map[int]int // after the failed destroy
	}{
		{mockgraph.FaultLatency, "Microsoft Graph still has the phone. Run terraform apply (or destroy) again to delete it", false, map[int]int{0: 1}},
		{mockgraph.FaultSlowResponse, "Microsoft Graph did apply the delete: the phone is gone", true, map[int]int{204: 1}},
	} {
		t.Run(c.kind, func(t *testing.T) {
			e := newAccEnv(t)
			office := phoneConfig{Name: "office", UserID: accBiancaUPN, PhoneType: "office", PhoneNumber: "+1 5555550201", Timeouts: map[string]string{"delete": opTimeout}}
			afterFailure := []resource.TestCheckFunc{e.checkCalls(mockgraph.OpDelete, c.deletes)}
			if c.gone {
				afterFailure = append(afterFailure, checkNoPhoneResources(), e.checkGraphNoPhone(accBiancaUPN))
			} else {
				afterFailure = append(afterFailure, e.checkGraphPhone(accBiancaUPN, "office", "+1 5555550201", "notSupported"))
			}
			e.test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				CheckDestroy:             e.checkTenantWithoutPhones(),
				Steps: []resource.TestStep{
					{Config: e.config(office)},
					{
						PreConfig: func() {
							_, err := e.mock.AddFaults(slowFault(c.kind, mockgraph.OpDelete))
							e.must(err)
						},
						Config: e.providerConfig(),
						ExpectError: errorRE("Timed out deleting phone method", fmt.Sprintf("Deleting the office phone of user %q", accBiancaUPN),
							withinLimit("delete"), c.outcome, `delete = "10m"`, "Last Graph error:"),
					},
					{
						// Not gone: the refreshed state still has it and the
						// plan still deletes it; gone: both are empty.
						RefreshState:       true,
						ExpectNonEmptyPlan: !c.gone,
						Check:              resource.ComposeAggregateTestCheckFunc(afterFailure...),
					},
				},
			})
		})
	}
}

// TestAccPhoneAuthenticationMethod_smsSignInTimeout: the create itself is
// quick but the enableSmsSignIn after it (a new mobile reads notConfigured,
// as in real tenants, so sms_sign_in_enabled = true needs it) is answered
// after timeouts.create ran out (Graph applied it). The error names the
// call and the limit and reports the smsSignInState Graph holds afterwards
// (read under the grace period, so it shows the applied call); as Graph
// then holds exactly what was configured, it says terraform untaint keeps
// the phone. The phone is saved tainted, and state matches Graph.
func TestAccPhoneAuthenticationMethod_smsSignInTimeout(t *testing.T) {
	e := newAccEnv(t)
	mobile := phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555550101", SMS: boolPtr(true),
		Timeouts: map[string]string{"create": opTimeout}}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkTenantWithoutPhones(),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					_, err := e.mock.AddFaults(slowFault(mockgraph.FaultSlowResponse, mockgraph.OpEnableSmsSignIn))
					e.must(err)
				},
				Config: e.config(mobile),
				ExpectError: errorRE("Timed out changing SMS sign-in", fmt.Sprintf("did not answer enableSmsSignIn for user %q's mobile phone", accAdeleUPN),
					"timeouts.create or timeouts.update", `Graph now reports smsSignInState "ready" (read afterwards)`, `create = "10m"`, "Last Graph error:",
					"was created and is saved in the state", "Microsoft Graph holds exactly what was configured", "run terraform untaint on this resource"),
			},
			{
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				RefreshPlanChecks: resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(mobile.address(), plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkTainted(mobile.address()),
					e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550101", "ready"),
					e.checkCalls(mockgraph.OpCreate, map[int]int{201: 1}),
					e.checkCalls(mockgraph.OpEnableSmsSignIn, map[int]int{204: 1}),
				),
			},
			{
				Config:           e.config(mobile),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(mobile.address(), tfjsonpath.New("sms_sign_in_enabled"), knownvalue.Bool(true)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550101", "ready"),
				),
			},
		},
	})
}

// TestAccPhoneAuthenticationMethod_smsSignInTimeoutUnread: the
// enableSmsSignIn after a create (the new mobile reads notConfigured, as in
// real tenants) is held until timeouts.create runs out (not applied), and
// the read after it is held too, past the grace period. The error must not
// claim to know Graph's smsSignInState: it says the read failed and the
// state keeps the value from before the call. The phone is saved tainted,
// and once Graph answers again state matches Graph.
func TestAccPhoneAuthenticationMethod_smsSignInTimeoutUnread(t *testing.T) {
	e := newAccEnv(t)
	mobile := phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555550101", SMS: boolPtr(true),
		Timeouts: map[string]string{"create": opTimeout}}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkTenantWithoutPhones(),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					// Nothing is in state, so the plan reads nothing: the only
					// read held is the one after the timed-out call.
					_, err := e.mock.AddFaults(slowFault(mockgraph.FaultLatency, mockgraph.OpEnableSmsSignIn),
						mockgraph.Fault{ID: "held-reads", Match: mockgraph.OpGet, Kind: mockgraph.FaultLatency, Latency: graphHolds})
					e.must(err)
				},
				Config: e.config(mobile),
				ExpectError: errorRE("Timed out changing SMS sign-in", fmt.Sprintf("did not answer enableSmsSignIn for user %q's mobile phone", accAdeleUPN),
					"Whether Graph applied it is not known: reading the phone afterwards failed too", `so the state keeps smsSignInState "notConfigured" from before the call`,
					`create = "10m"`, "Last Graph error:", "was created and is saved in the state"),
			},
			{
				PreConfig:          func() { e.mock.ClearFaults() },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				RefreshPlanChecks: resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(mobile.address(), plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					// statecheck cannot run on a RefreshState step.
					resource.TestCheckResourceAttr(mobile.address(), "sms_sign_in_enabled", "false"),
					checkTainted(mobile.address()),
					e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550101", "notConfigured"),
					e.checkCalls(mockgraph.OpEnableSmsSignIn, map[int]int{0: 1}),
				),
			},
			{
				Config:           e.config(mobile),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(mobile.address(), tfjsonpath.New("sms_sign_in_enabled"), knownvalue.Bool(true)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550101", "ready"),
				),
			},
		},
	})
}

// TestAccPhoneAuthenticationMethod_enableSmsSignInTimeout: turning SMS
// sign-in on for an existing mobile phone, Graph applies enableSmsSignIn
// but answers after timeouts.update ran out. The error names the call and
// the limit and reports the state read afterwards; the state holds it, so
// the next plan is empty.
func TestAccPhoneAuthenticationMethod_enableSmsSignInTimeout(t *testing.T) {
	e := newAccEnv(t)
	off := phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555550101", SMS: boolPtr(false),
		Timeouts: map[string]string{"update": opTimeout}}
	on := off
	on.SMS = boolPtr(true)
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkTenantWithoutPhones(),
		Steps: []resource.TestStep{
			// A new mobile reads notConfigured (real tenants); false needs no call.
			{Config: e.config(off), Check: resource.ComposeAggregateTestCheckFunc(e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550101", "notConfigured"), e.checkCalls(mockgraph.OpDisableSmsSignIn, map[int]int{}))},
			{
				PreConfig: func() {
					e.mock.ResetRequestLog()
					_, err := e.mock.AddFaults(slowFault(mockgraph.FaultSlowResponse, mockgraph.OpEnableSmsSignIn))
					e.must(err)
				},
				Config: e.config(on),
				ExpectError: errorRE("Timed out changing SMS sign-in", fmt.Sprintf("did not answer enableSmsSignIn for user %q's mobile phone", accAdeleUPN),
					"timeouts.create or timeouts.update", `Graph now reports smsSignInState "ready" (read afterwards), which is what the state holds`,
					`update = "10m"`, "Last Graph error:"),
			},
			{
				RefreshState: true,
				Check: resource.ComposeAggregateTestCheckFunc(
					// statecheck cannot run on a RefreshState step.
					resource.TestCheckResourceAttr(on.address(), "sms_sign_in_enabled", "true"),
					e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550101", "ready"),
					e.checkCalls(mockgraph.OpEnableSmsSignIn, map[int]int{204: 1}),
				),
			},
			{
				Config:           e.config(on),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            e.checkCalls(mockgraph.OpEnableSmsSignIn, map[int]int{204: 1}),
			},
		},
	})
}

// TestAccPhoneAuthenticationMethod_readTimeout: a refresh whose read is
// slower than timeouts.read fails with an error naming timeouts.read, the
// limit and how to raise it (not a bare "context deadline exceeded"), and
// leaves Graph and the state as they were.
func TestAccPhoneAuthenticationMethod_readTimeout(t *testing.T) {
	e := newAccEnv(t)
	office := phoneConfig{Name: "office", UserID: accBiancaUPN, PhoneType: "office", PhoneNumber: "+1 5555550201", Timeouts: map[string]string{"read": opTimeout}}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkTenantWithoutPhones(),
		Steps: []resource.TestStep{
			{Config: e.config(office)},
			{
				PreConfig: func() {
					e.mock.ResetRequestLog()
					_, err := e.mock.AddFaults(mockgraph.Fault{ID: "held-reads", Match: mockgraph.OpGet, Kind: mockgraph.FaultLatency, Latency: graphHolds})
					e.must(err)
				},
				Config: e.config(office),
				ExpectError: errorRE("Timed out reading phone method", fmt.Sprintf("Reading the office phone of user %q", accBiancaUPN),
					withinLimit("read"), "Nothing was changed in Microsoft Graph", `read = "10m"`, "Last Graph error:"),
			},
			{
				PreConfig:    func() { e.mock.ClearFaults() },
				RefreshState: true,
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkGraphPhone(accBiancaUPN, "office", "+1 5555550201", "notSupported"),
					e.checkNoWrites(mockgraph.OpCreate, mockgraph.OpUpdate, mockgraph.OpDelete),
				),
			},
		},
	})
}

// TestCreateInterrupted calls the resource's Create directly (no terraform
// binary, so the interrupt can be timed to the request in flight) against
// the mock. Terraform cancels the request's context on Ctrl-C.
//   - applied: Graph applied the POST and holds its response when the
//     interrupt comes. The error says "interrupted", not a timeout, and the
//     phone is saved in the state (Terraform taints it) so it is not
//     orphaned: the short read after the interrupt still ran.
//   - before: interrupted while waiting for the user's lock; the error says
//     so (not a timeout), Graph has no phone and nothing is saved.
func TestCreateInterrupted(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name    string
		applied bool
		summary string
		detail  []string
	}{
		{"applied", true, "Interrupted creating phone method", []string{"was interrupted", "may or may not have applied it",
			"Microsoft Graph did apply the create and holds exactly what was configured", "reconciles the state"}},
		{"before", false, "Interrupted waiting to create phone method", []string{"Terraform was asked to stop", "nothing was sent to Microsoft Graph"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			m := acctest.NewMock(t, acctest.Options{})
			adele := m.User(t, "adele")
			r := interruptTestResource(t, m)
			ctx, interrupt := context.WithCancel(context.Background())
			defer interrupt()
			if c.applied {
				_, err := m.Server.AddFaults(mockgraph.Fault{Match: mockgraph.OpCreate, Kind: mockgraph.FaultSlowResponse, Latency: mockgraph.Duration(5 * time.Minute), Count: 1})
				if err != nil {
					t.Fatal(err)
				}
				go func() {
					// Interrupt once Graph holds the phone, its response still held.
					for ctx.Err() == nil {
						if phones, _ := m.Server.PhoneMethods(m.TenantID, adele.ID); len(phones) == 1 {
							interrupt()
							return
						}
						time.Sleep(20 * time.Millisecond)
					}
				}()
			} else {
				// Another operation on the user holds its lock, so Create waits.
				unlock, err := r.locks.lock(context.Background(), r.lockKey(adele.UserPrincipalName))
				if err != nil {
					t.Fatal(err)
				}
				defer unlock()
				interrupt()
			}

			const number = "+1 5555550101"
			req, resp := createRequest(t, r, adele.UserPrincipalName, number)
			r.Create(ctx, req, resp)

			var errs []diag.Diagnostic
			for _, d := range resp.Diagnostics.Errors() {
				// Private state is the framework's to initialise; a direct
				// call cannot, and that is not what is tested here.
				if d.Summary() != "Uninitialized ProviderData" {
					errs = append(errs, d)
				}
			}
			if len(errs) != 1 || errs[0].Summary() != c.summary {
				t.Fatalf("diagnostics: %v", resp.Diagnostics)
			}
			detail := errs[0].Detail()
			for _, want := range c.detail {
				if !strings.Contains(detail, want) {
					t.Errorf("detail lacks %q:\n%s", want, detail)
				}
			}
			if strings.Contains(detail, "timeouts.") || strings.Contains(detail, "did not finish within") {
				t.Errorf("an interrupt reported as a timeout:\n%s", detail)
			}

			phones, err := m.Server.PhoneMethods(m.TenantID, adele.ID)
			if err != nil {
				t.Fatal(err)
			}
			saved := !resp.State.Raw.IsNull()
			if saved != c.applied || len(phones) != map[bool]int{true: 1, false: 0}[c.applied] {
				t.Fatalf("state saved = %t, Graph phones %+v; want both to say applied = %t", saved, phones, c.applied)
			}
			if saved {
				var got phoneAuthenticationMethodModel
				if d := resp.State.Get(context.Background(), &got); d.HasError() {
					t.Fatal(d)
				}
				if got.PhoneNumber.ValueString() != number || got.ID.ValueString() != importID(adele.UserPrincipalName, "mobile") {
					t.Errorf("saved %+v", got)
				}
			}
		})
	}
}

// interruptTestResource is the resource configured with a client for m.
func interruptTestResource(t *testing.T, m *acctest.Mock) *phoneAuthenticationMethodResource {
	t.Helper()
	e, err := graph.ResolveEndpoints("", m.GraphEndpoint(), m.AuthorityHost())
	if err != nil {
		t.Fatal(err)
	}
	client, err := graph.NewClient(graph.Config{Endpoints: e, Version: "test", RetryBaseDelay: 10 * time.Millisecond,
		Credentials: graph.Credentials{Kind: graph.CredentialClientSecret, TenantID: m.TenantID, ClientID: m.ClientID, ClientSecret: m.ClientSecret}})
	if err != nil {
		t.Fatal(err)
	}
	return &phoneAuthenticationMethodResource{client: client, locks: &userLocks{locks: map[string]*userLock{}}}
}

// createRequest is the framework's Create request for a mobile phone.
func createRequest(t *testing.T, r *phoneAuthenticationMethodResource, userID, number string) (fwresource.CreateRequest, *fwresource.CreateResponse) {
	t.Helper()
	ctx := context.Background()
	var sr fwresource.SchemaResponse
	r.Schema(ctx, fwresource.SchemaRequest{}, &sr)
	s := sr.Schema
	timeoutTypes := map[string]attr.Type{"create": types.StringType, "read": types.StringType, "update": types.StringType, "delete": types.StringType}
	plan := phoneAuthenticationMethodModel{
		ID: types.StringUnknown(), UserID: types.StringValue(userID), PhoneType: types.StringValue("mobile"),
		PhoneNumber: types.StringValue(number), SMSSignInEnabled: types.BoolNull(),
		MethodID: types.StringUnknown(), SMSSignInState: types.StringUnknown(),
		Timeouts: timeouts.Value{Object: types.ObjectNull(timeoutTypes)},
	}
	req := fwresource.CreateRequest{Plan: tfsdk.Plan{Schema: s}, Config: tfsdk.Config{Schema: s}}
	if d := req.Plan.Set(ctx, &plan); d.HasError() {
		t.Fatal(d)
	}
	req.Config.Raw = req.Plan.Raw
	resp := &fwresource.CreateResponse{State: tfsdk.State{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(ctx), nil)}}
	return req, resp
}

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

// bulkDestroyWriteBudget throttles the destroy the same way: a loaded
// machine deletes slower than 20 writes/s, so a burst of 20 might never be
// exceeded, while Terraform's 10 parallel deletes always exceed a burst of 3.
var bulkDestroyWriteBudget = bulkSMSWriteBudget

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
// the legacy state that Check functions (the state == Graph check) receive
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
//   - create with SMS sign-in disabled: 400 creates and no SMS call, as a
//     new mobile reads notConfigured in real tenants (the mock's default),
//     which already means disabled;
//   - enable SMS sign-in on every mobile: 200 enableSmsSignIn calls;
//   - destroy: 400 deletes.
//
// Every write is made exactly once; 429 is the only other answer.
func TestAccPhoneAuthenticationMethod_bulkUnderWriteThrottle(t *testing.T) {
	e := newBulkAccEnv(t)
	var createStart, enableStart, destroyStart time.Time
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			e.checkTenantWithoutPhones(),
			e.checkBulkWrites("destroy", &destroyStart, bulkDestroyWriteBudget, map[string]int{mockgraph.OpDelete: 2 * bulkUsers}),
		),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					e.mock.SetWriteBudget(bulkWriteBudget)
					createStart = time.Now()
				},
				Config:           bulkConfig(e, false),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("entraauth_phone_authentication_method.mobile[0]", tfjsonpath.New("sms_sign_in_enabled"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue("entraauth_phone_authentication_method.mobile[199]", tfjsonpath.New("sms_sign_in_state"), knownvalue.StringExact("notConfigured")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkBulkWrites("create, SMS sign-in disabled", &createStart, bulkWriteBudget, map[string]int{
						mockgraph.OpCreate: 2 * bulkUsers,
					}),
					e.checkBulkGraph("notConfigured"),
				),
			},
			{
				PreConfig: func() {
					e.mock.SetWriteBudget(bulkSMSWriteBudget)
					enableStart = time.Now()
				},
				Config:           bulkConfig(e, true),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("entraauth_phone_authentication_method.mobile[0]", tfjsonpath.New("sms_sign_in_enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("entraauth_phone_authentication_method.mobile[199]", tfjsonpath.New("sms_sign_in_state"), knownvalue.StringExact("ready")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.checkBulkWrites("enable SMS sign-in", &enableStart, bulkSMSWriteBudget, map[string]int{mockgraph.OpEnableSmsSignIn: bulkUsers}),
					e.checkBulkGraph("ready"),
					func(*terraform.State) error {
						// The destroy is measured from here, under its own budget.
						e.mock.SetWriteBudget(bulkDestroyWriteBudget)
						destroyStart = time.Now()
						return nil
					},
				),
			},
		},
	})
}
