package graph

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// TestMockCreateStoppedBeforeAnswer: a create whose deadline passes before
// Graph answers is read back under a grace period, and the answer says what
// Graph holds: the phone (applied), another number, or nothing.
func TestMockCreateStoppedBeforeAnswer(t *testing.T) {
	t.Parallel()
	const number = "+1 5555550100"
	cases := []struct {
		name       string
		kind       string // the fault on the POST
		existing   string // a mobile number set out of band first
		wantPhone  bool
		wantDiffer bool
	}{
		// The write is applied, then its response is held past the deadline.
		{name: "applied, answer held", kind: mockgraph.FaultSlowResponse, wantPhone: true},
		// The request waits before it is served: nothing is applied in time.
		{name: "not applied", kind: mockgraph.FaultLatency},
		{name: "another number there", kind: mockgraph.FaultLatency, existing: "+1 5555550999", wantDiffer: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := acctest.NewMock(t, acctest.Options{})
			c := mockClient(t, m, Credentials{Kind: CredentialClientSecret, ClientSecret: m.ClientSecret})
			user := m.User(t, "adele")
			if tc.existing != "" {
				if err := m.Server.SetPhoneMethodOutOfBand(m.TenantID, user.ID, "mobile", tc.existing, false); err != nil {
					t.Fatal(err)
				}
			}
			// Warm the token first so the deadline below bounds the POST only.
			if _, err := c.ListPhoneMethods(testContext(t), user.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := m.Server.AddFaults(mockgraph.Fault{Method: "POST", Match: mockgraph.OpCreate, Kind: tc.kind, Count: 1,
				Latency: mockgraph.Duration(3 * time.Second)}); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			pm, err := c.CreatePhoneMethod(ctx, user.ID, PhoneTypeMobile, number)
			if StopReasonOf(err) != StoppedByDeadline {
				t.Fatalf("err = %v (stop reason %v), want a deadline stop", err, StopReasonOf(err))
			}
			var diff *DifferentPhoneError
			switch {
			case tc.wantPhone && (pm == nil || pm.How != AppliedBeforeStop || pm.PhoneNumber != number):
				t.Errorf("phone %+v, want the applied phone with AppliedBeforeStop", pm)
			case !tc.wantPhone && pm != nil:
				t.Errorf("phone %+v returned; Graph does not hold it", pm)
			case tc.wantDiffer != errors.As(err, &diff):
				t.Errorf("err = %v; different phone expected: %v", err, tc.wantDiffer)
			case tc.wantDiffer && diff.Existing.PhoneNumber != tc.existing:
				t.Errorf("existing phone %+v, want %s", diff.Existing, tc.existing)
			}
		})
	}
}

// TestMockNumberNotUniqueApplied: real Graph applies a mobile create or
// number change whose number another user uses for SMS sign-in, and still
// answers 409 phoneNumberNotUnique; the graph layer reports it as applied.
func TestMockNumberNotUniqueApplied(t *testing.T) {
	t.Parallel()
	m := acctest.NewMock(t, acctest.Options{})
	c := mockClient(t, m, Credentials{Kind: CredentialClientSecret, ClientSecret: m.ClientSecret})
	ctx := testContext(t)
	adele, bianca := m.User(t, "adele"), m.User(t, "bianca")
	const taken = "+1 5555550100"
	if err := m.Server.SetPhoneMethodOutOfBand(m.TenantID, adele.ID, "mobile", taken, true); err != nil {
		t.Fatal(err)
	}
	pm, err := c.CreatePhoneMethod(ctx, bianca.ID, PhoneTypeMobile, taken)
	if err != nil || pm.How != AppliedNumberNotUnique || pm.SMSSignInState != SMSSignInStatePhoneNumberNotUnique {
		t.Fatalf("create: %+v, %v; want applied with phoneNumberNotUnique", pm, err)
	}
	if err := m.Server.SetPhoneNumberOutOfBand(m.TenantID, bianca.ID, PhoneTypeMobile.MethodID(), "+1 5555550199"); err != nil {
		t.Fatal(err)
	}
	up, err := c.UpdatePhoneMethod(ctx, bianca.ID, PhoneTypeMobile, "+1 5555550199", taken)
	if err != nil || up.How != UpdatedNumberNotUnique || up.How.Applied() != WriteApplied {
		t.Fatalf("update: %+v, %v; want UpdatedNumberNotUnique", up, err)
	}
	phones, err := m.Server.PhoneMethods(m.TenantID, bianca.ID)
	if err != nil || len(phones) != 1 || phones[0].PhoneNumber != taken || phones[0].SMSSignInState != SMSSignInStatePhoneNumberNotUnique {
		t.Fatalf("mock holds %+v (%v); want bianca's mobile %s, phoneNumberNotUnique", phones, err, taken)
	}
}
