package mockgraph

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph/identity"
)

// TestReadBudget: every GET (phones and the SMS policy) spends a token of
// the tenant's read budget; an empty bucket answers 429 TooManyRequests
// with Retry-After, as the write budget does, and the request log names
// the read budget. Writes and other tenants are not affected.
func TestReadBudget(t *testing.T) {
	s := startTest(t, Options{ReadBudget: &ReadBudget{Capacity: 3, Window: Duration(time.Hour)}})
	if got := s.ReadBudget(); got.Capacity != 3 || time.Duration(got.Window) != time.Hour {
		t.Fatalf("ReadBudget() = %+v", got)
	}
	if got := s.WriteBudget(); got != GraphWriteBudget {
		t.Fatalf("WriteBudget() = %+v; setting the read budget must leave Graph's write budget", got)
	}
	const policy = "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/sms"
	mustStatus(t, call(t, s, appRW, "GET", phonesPath(aliceID), nil), http.StatusOK)
	mustStatus(t, call(t, s, appRW, "GET", phonePath(aliceID, MobileMethodID), nil), http.StatusNotFound) // a 404 spends a token too
	mustStatus(t, call(t, s, appRW, "GET", policy, nil), http.StatusOK)

	r := call(t, s, appRW, "GET", phonesPath(aliceID), nil)
	mustStatus(t, r, http.StatusTooManyRequests)
	if c := r.errorCode(t); c != "TooManyRequests" {
		t.Fatalf("error code %q; want TooManyRequests", c)
	}
	ra, err := strconv.Atoi(r.Header.Get("Retry-After"))
	// One token per 1200 s at 3 per hour.
	if err != nil || ra < 1100 || ra > 1200 {
		t.Fatalf("Retry-After %q", r.Header.Get("Retry-After"))
	}
	mustStatus(t, call(t, s, appRW, "GET", policy, nil), http.StatusTooManyRequests)

	// Writes spend the write budget only.
	mustStatus(t, call(t, s, appRW, "POST", phonesPath(aliceID), map[string]string{"phoneNumber": "+1 5555550001", "phoneType": "mobile"}), http.StatusCreated)
	// Another tenant has its own bucket.
	other := fakeToken(identity.Principal{TenantID: otherTID, Roles: []string{"UserAuthenticationMethod.ReadWrite.All"}})
	mustStatus(t, call(t, s, other, "GET", phonesPath("erin@two.example"), nil), http.StatusOK)

	log := s.RequestLog(RequestLogFilter{Status: http.StatusTooManyRequests})
	if len(log) != 2 {
		t.Fatalf("429s in the log: %+v; want the two refused reads", log)
	}
	for _, e := range log {
		if e.Method != http.MethodGet || e.Fault != FaultReadBudget || e.Tenant != tenantID {
			t.Fatalf("log entry %+v; want a GET of %s refused by %s", e, tenantID, FaultReadBudget)
		}
	}

	// Changing the budget at run time refills the buckets.
	s.SetReadBudget(ReadBudget{Capacity: 100, Window: Duration(time.Second)})
	mustStatus(t, call(t, s, appRW, "GET", phonePath(aliceID, MobileMethodID), nil), http.StatusOK)
	s.SetReadBudget(ReadBudget{Disabled: true})
	for range 10 {
		mustStatus(t, call(t, s, appRW, "GET", phonesPath(aliceID), nil), http.StatusOK)
	}
}

// TestReadBudgetDefault: without Options.ReadBudget the mock applies
// GraphReadBudget, and an empty write bucket does not refuse reads.
func TestReadBudgetDefault(t *testing.T) {
	s := startTest(t, Options{WriteBudget: &WriteBudget{Capacity: 1, Window: Duration(time.Hour)}})
	if got := s.ReadBudget(); got != GraphReadBudget {
		t.Fatalf("ReadBudget() = %+v; want GraphReadBudget %+v", got, GraphReadBudget)
	}
	mustStatus(t, call(t, s, appRW, "POST", phonesPath(aliceID), map[string]string{"phoneNumber": "+1 5555550001", "phoneType": "mobile"}), http.StatusCreated)
	mustStatus(t, call(t, s, appRW, "PATCH", phonePath(aliceID, MobileMethodID), map[string]string{"phoneNumber": "+1 5555550002"}), http.StatusTooManyRequests)
	for range 20 {
		mustStatus(t, call(t, s, appRW, "GET", phonePath(aliceID, MobileMethodID), nil), http.StatusOK)
	}
}

// TestReadBudgetRate: the read bucket refills at Capacity per Window and
// says when the next token is back, on the throttle's own clock.
func TestReadBudgetRate(t *testing.T) {
	th := newThrottle(WriteBudget(GraphReadBudget))
	now := time.Unix(1000, 0)
	th.now = func() time.Time { return now }
	for i := range GraphReadBudget.Capacity {
		if ok, _ := th.take("t"); !ok {
			t.Fatalf("read %d of a full bucket refused", i)
		}
	}
	if ok, wait := th.take("t"); ok || wait != 1 {
		t.Fatalf("empty bucket: ok=%v wait=%d; want refused, Retry-After 1", ok, wait)
	}
	now = now.Add(time.Second) // 350 reads/s
	n := 0
	for ok := true; ok; n++ {
		ok, _ = th.take("t")
	}
	if n-1 != 350 {
		t.Fatalf("%d reads one second after the bucket ran dry; want 350", n-1)
	}
}

// TestReadBudgetSeed: a seed sets the read budget apart from the write
// budget, and the schema checks it like the write budget.
func TestReadBudgetSeed(t *testing.T) {
	sd, err := ParseSeed([]byte(`{"tenants":[],"writeBudget":{"capacity":5,"window":"1s"},"readBudget":{"capacity":7,"window":"2s"}}`))
	if err != nil {
		t.Fatal(err)
	}
	s := startTest(t, Options{Seed: sd})
	if rb, wb := s.ReadBudget(), s.WriteBudget(); rb.Capacity != 7 || time.Duration(rb.Window) != 2*time.Second || wb.Capacity != 5 {
		t.Fatalf("read budget %+v, write budget %+v", rb, wb)
	}
	_, err = ParseSeed([]byte(`{"tenants":[],"readBudget":{"capacity":-1,"window":"soon"}}`))
	if err == nil || !strings.Contains(err.Error(), "readBudget.capacity") || !strings.Contains(err.Error(), "readBudget.window") {
		t.Fatalf("bad read budget: %v; want both fields named", err)
	}
}
