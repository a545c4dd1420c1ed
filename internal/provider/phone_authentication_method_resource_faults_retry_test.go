package provider

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

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
	op     string
	method string // Fault.Method; "" for any
	match  string // Fault.Match; "" means op
	steps  []stormStep
	armed  stormStep
	// officeExists adds the office phone out of band before the create, so
	// the provider's create is refused and it lists the phones to adopt it:
	// the only path on which the resource lists.
	officeExists bool
}

var stormOperations = []stormOperation{
	{op: mockgraph.OpCreate, steps: []stormStep{stormCreate, stormDestroy}, armed: stormCreate},
	{op: mockgraph.OpList, steps: []stormStep{stormCreate, stormDestroy}, armed: stormCreate, officeExists: true},
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
			t.Run(class.name+"/"+op.op, func(t *testing.T) {
				t.Parallel()
				e := newAccEnv(t)
				resource.Test(t, resource.TestCase{
					ProtoV6ProviderFactories: e.factories(),
					Steps:                    e.stormSteps(class, op),
					CheckDestroy:             e.checkTenantWithoutPhones(),
				})
			})
		}
	}
}

// stormWork is the Graph writes (and lists) a lifecycle needs: anything
// more is duplicated work.
type stormWork struct {
	created, refusedCreates, lists, updated, enabled, disabled, deleted int
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
				want.created, want.refusedCreates, want.lists = want.created-1, want.refusedCreates+1, want.lists+1
			}
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
				e.checkStateMatchesGraph(),
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
// exactly the writes and lists the lifecycle needs so far: one successful
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
		expect(mockgraph.OpList, 200, want.lists)
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
