package graph

import (
	"context"
	"testing"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// TestMockWriteStoppedBeforeAnswer: a number change, an enableSmsSignIn or
// a delete whose deadline passes before Graph answers is read back under a
// grace period, and its outcome says whether Graph applied it. The caller
// never compares values itself.
func TestMockWriteStoppedBeforeAnswer(t *testing.T) {
	t.Parallel()
	const oldNumber, newNumber = "+1 5555550100", "+1 5555550111"
	type write func(ctx context.Context, c *Client, userID string) (Applied, error)
	update := func(ctx context.Context, c *Client, userID string) (Applied, error) {
		up, err := c.UpdatePhoneMethod(ctx, userID, PhoneTypeMobile, oldNumber, newNumber)
		if up == nil {
			return 0, err
		}
		return up.How.Applied(), err
	}
	enable := func(ctx context.Context, c *Client, userID string) (Applied, error) {
		ch, err := c.SetSMSSignIn(ctx, userID, PhoneTypeMobile, true, PhoneMethod{PhoneType: PhoneTypeMobile, PhoneNumber: oldNumber})
		if ch == nil {
			return 0, err
		}
		return ch.How.Applied(), err
	}
	del := func(ctx context.Context, c *Client, userID string) (Applied, error) {
		d, err := c.DeletePhoneMethod(ctx, userID, PhoneTypeMobile)
		if d == nil {
			return 0, err
		}
		return d.How.Applied(), err
	}
	cases := []struct {
		name   string
		op     string // the mock's operation name
		method string
		write  write
		fault  string
		want   Applied
	}{
		// The write is applied, then its response is held past the deadline.
		{"update applied", mockgraph.OpUpdate, "PATCH", update, mockgraph.FaultSlowResponse, WriteApplied},
		// The request waits before it is served: nothing is applied in time.
		{"update not applied", mockgraph.OpUpdate, "PATCH", update, mockgraph.FaultLatency, WriteNotApplied},
		{"enable applied", mockgraph.OpEnableSmsSignIn, "POST", enable, mockgraph.FaultSlowResponse, WriteApplied},
		{"enable not applied", mockgraph.OpEnableSmsSignIn, "POST", enable, mockgraph.FaultLatency, WriteNotApplied},
		{"delete applied", mockgraph.OpDelete, "DELETE", del, mockgraph.FaultSlowResponse, WriteApplied},
		{"delete not applied", mockgraph.OpDelete, "DELETE", del, mockgraph.FaultLatency, WriteNotApplied},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := acctest.NewMock(t, acctest.Options{})
			c := mockClient(t, m, Credentials{Kind: CredentialClientSecret, ClientSecret: m.ClientSecret})
			user := m.User(t, "adele")
			if err := m.Server.SetPhoneMethodOutOfBand(m.TenantID, user.ID, "mobile", oldNumber, false); err != nil {
				t.Fatal(err)
			}
			// Warm the token first so the deadline below bounds the write only.
			if _, err := c.ListPhoneMethods(testContext(t), user.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := m.Server.AddFaults(mockgraph.Fault{Method: tc.method, Match: tc.op, Kind: tc.fault, Count: 1,
				Latency: mockgraph.Duration(3 * time.Second)}); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			got, err := tc.write(ctx, c, user.ID)
			if StopReasonOf(err) != StoppedByDeadline {
				t.Fatalf("err = %v (stop reason %v); want a deadline stop", err, StopReasonOf(err))
			}
			if got != tc.want {
				t.Errorf("outcome %v; want %v", got, tc.want)
			}
		})
	}
}

// TestMockWriteOutcomesAnswered: answered writes say what Graph did.
func TestMockWriteOutcomesAnswered(t *testing.T) {
	t.Parallel()
	m := acctest.NewMock(t, acctest.Options{})
	c := mockClient(t, m, Credentials{Kind: CredentialClientSecret, ClientSecret: m.ClientSecret})
	ctx := testContext(t)
	dave := m.User(t, "carlos")
	if err := m.Server.SetPhoneMethodOutOfBand(m.TenantID, dave.ID, "office", "+1 5555550122", false); err != nil {
		t.Fatal(err)
	}
	// SMS sign-in on an office phone: Graph refuses, the state explains why.
	ch, err := c.SetSMSSignIn(ctx, dave.ID, PhoneTypeOffice, true, PhoneMethod{})
	if err == nil || ch == nil || ch.How != SMSSignInRefused || !ch.Read || ch.Phone.SMSSignInState != SMSSignInStateNotSupported || ch.How.Applied() != WriteNotApplied {
		t.Fatalf("enable on an office phone: %+v %v; want refused, read back as notSupported", ch, err)
	}
}
