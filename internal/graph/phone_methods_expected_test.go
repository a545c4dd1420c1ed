package graph

import (
	"testing"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// A read that still shows the value from before a write is retried when
// the caller says what it expects, and given back as it is when the
// budget runs out (it may be real drift: the caller decides).
func TestMockStaleReadRetriedWithExpected(t *testing.T) {
	t.Parallel()
	m := acctest.NewMock(t, acctest.Options{})
	c := mockClient(t, m, Credentials{Kind: CredentialClientSecret, ClientSecret: m.ClientSecret})
	ctx := testContext(t)
	user := m.User(t, "carlos")
	pm, err := c.CreatePhoneMethod(ctx, user.ID, PhoneTypeOffice, "+1 5555550142")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Server.SetFaults(mockgraph.Fault{Kind: mockgraph.FaultLag, Match: "update", LagMode: "stale", LagReads: 2}); err != nil {
		t.Fatal(err)
	}
	const next = "+1 5555550143"
	// UpdatePhoneMethod reads the phone back with WithExpected: two stale
	// reads, then the fresh one, which it returns.
	up, err := c.UpdatePhoneMethod(ctx, user.ID, pm.PhoneType, pm.PhoneNumber, next)
	if err != nil || up.How != Updated || !up.Read || up.Phone.PhoneNumber != next {
		t.Fatalf("update: %+v %v; want Updated, read back with %q", up, err, next)
	}
	if n := len(m.Server.RequestLog(mockgraph.RequestLogFilter{Operation: mockgraph.OpGet, Status: 200})); n != 3 {
		t.Fatalf("%d reads; want 3 (two stale, one fresh)", n)
	}

	// Budget exhausted: the last read comes back without an error, and the
	// update's answer is trusted (not read, with why).
	if _, err := m.Server.SetFaults(mockgraph.Fault{Kind: mockgraph.FaultLag, Match: "update", LagMode: "stale", LagReads: 10}); err != nil {
		t.Fatal(err)
	}
	up, err = c.UpdatePhoneMethod(ctx, user.ID, pm.PhoneType, next, "+1 5555550144")
	if err != nil || up.How != Updated || up.Read || up.ReadErr == nil || up.How.Applied() != WriteApplied {
		t.Fatalf("update under lag: %+v %v; want Updated, not read, with the reason", up, err)
	}
	got, err := c.GetPhoneMethod(ctx, user.ID, pm.PhoneType, WithNotFoundRetries(1), WithExpected(func(p PhoneMethod) bool { return p.PhoneNumber == "+1 5555550144" }))
	if err != nil || got.PhoneNumber != next {
		t.Fatalf("budget exhausted: %+v %v; want the stale %q without error", got, err, next)
	}

	// Without WithNotFoundRetries there is no budget: one read, as it is.
	m.Server.ResetRequestLog()
	got, err = c.GetPhoneMethod(ctx, user.ID, pm.PhoneType, WithExpected(func(PhoneMethod) bool { return false }))
	if err != nil || got == nil {
		t.Fatalf("no budget: %+v %v", got, err)
	}
	if n := len(m.Server.RequestLog(mockgraph.RequestLogFilter{Operation: mockgraph.OpGet})); n != 1 {
		t.Fatalf("%d reads without a budget; want 1", n)
	}
}
