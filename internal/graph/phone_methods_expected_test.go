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
	if _, err := c.UpdatePhoneMethod(ctx, user.ID, pm.PhoneType, next); err != nil {
		t.Fatal(err)
	}
	showsNext := func(p PhoneMethod) bool { return p.PhoneNumber == next }

	got, err := c.GetPhoneMethod(ctx, user.ID, pm.PhoneType, WithNotFoundRetries(3), WithExpected(showsNext))
	if err != nil || got.PhoneNumber != next {
		t.Fatalf("with expected: %+v %v; want %q", got, err, next)
	}
	// Two stale reads and the fresh one.
	if n := len(m.Server.RequestLog(mockgraph.RequestLogFilter{Operation: mockgraph.OpGet, Status: 200})); n != 3 {
		t.Fatalf("%d reads; want 3 (two stale, one fresh)", n)
	}

	// Budget exhausted: the last read comes back without an error.
	if _, err := m.Server.SetFaults(mockgraph.Fault{Kind: mockgraph.FaultLag, Match: "update", LagMode: "stale", LagReads: 5}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdatePhoneMethod(ctx, user.ID, pm.PhoneType, "+1 5555550144"); err != nil {
		t.Fatal(err)
	}
	got, err = c.GetPhoneMethod(ctx, user.ID, pm.PhoneType, WithNotFoundRetries(1), WithExpected(func(p PhoneMethod) bool { return p.PhoneNumber == "+1 5555550144" }))
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
