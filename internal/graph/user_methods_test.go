package graph

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// TestEmailMethodOutcomes: each way CreateEmailMethod, UpdateEmailMethod
// and DeleteEmailMethod can end, against the mock.
func TestEmailMethodOutcomes(t *testing.T) {
	t.Parallel()
	m := acctest.NewMock(t, acctest.Options{})
	c := mockClient(t, m, Credentials{Kind: CredentialClientSecret, ClientSecret: m.ClientSecret})
	ctx := testContext(t)
	adele, bianca := m.User(t, "adele").UserPrincipalName, m.User(t, "bianca").UserPrincipalName
	faults := func(f ...mockgraph.Fault) {
		t.Helper()
		if _, err := m.Server.SetFaults(f...); err != nil {
			t.Fatal(err)
		}
	}

	// A lost answer: the retry is refused as existing, the method adopted.
	faults(mockgraph.Fault{Match: "emailMethod.create", Kind: mockgraph.FaultDrop, Count: 1})
	created, err := c.CreateEmailMethod(ctx, adele, "adele@contoso.com")
	if err != nil || created.How != RecoveredLostResponse || created.EmailAddress != "adele@contoso.com" || created.ID != EmailMethodID {
		t.Fatalf("lost answer: %+v %v; want RecoveredLostResponse", created, err)
	}
	// Again, in another case: adopted.
	created, err = c.CreateEmailMethod(ctx, adele, "Adele@Contoso.com")
	if err != nil || created.How != AdoptedExisting {
		t.Fatalf("existing, same address: %+v %v; want AdoptedExisting", created, err)
	}
	// Another address: refused, nothing changed.
	var different *DifferentEmailError
	if _, err := c.CreateEmailMethod(ctx, adele, "other@contoso.com"); !errors.As(err, &different) || different.Existing.EmailAddress != "adele@contoso.com" {
		t.Fatalf("existing, other address: %v; want *DifferentEmailError naming adele@contoso.com", err)
	}

	// An update whose answer is lost: sent again, applied, read back.
	faults(mockgraph.Fault{Match: "emailMethod.update", Kind: mockgraph.FaultDrop, Count: 1})
	up, err := c.UpdateEmailMethod(ctx, adele, "", "adele@fabrikam.com")
	if err != nil || up.How != Updated || !up.Read || up.Method.EmailAddress != "adele@fabrikam.com" {
		t.Fatalf("update with a lost answer: %+v %v", up, err)
	}
	if n := len(m.Server.RequestLog(mockgraph.RequestLogFilter{Operation: "emailMethod.update", Status: 400})); n != 0 {
		t.Errorf("%d updates refused (an @odata.type in the body would be)", n)
	}
	// An update that runs out of time before Graph answers, not applied.
	faults(mockgraph.Fault{Match: "emailMethod.update", Kind: mockgraph.FaultLatency, Count: 1, Latency: mockgraph.Duration(3 * time.Second)})
	short, cancel := context.WithTimeout(ctx, time.Second)
	up, err = c.UpdateEmailMethod(short, adele, "", "late@contoso.com")
	cancel()
	if err == nil || up == nil || up.How != UpdateNotAppliedBeforeStop || up.Method.EmailAddress != "adele@fabrikam.com" {
		t.Fatalf("stopped update: %+v %v; want UpdateNotAppliedBeforeStop with Graph's address", up, err)
	}

	// Deletes: done, then already gone.
	if d, err := c.DeleteEmailMethod(ctx, adele, ""); err != nil || d.How != Deleted {
		t.Fatalf("delete: %+v %v", d, err)
	}
	if d, err := c.DeleteEmailMethod(ctx, adele, ""); err != nil || d.How != AlreadyGone {
		t.Fatalf("second delete: %+v %v; want AlreadyGone", d, err)
	}
	if _, err := c.GetEmailMethod(ctx, bianca, 0, nil); !IsNotFound(err) || IsUserNotFound(err) {
		t.Errorf("a user without an email method: %v; want a 404 that is not the user's", err)
	}
}

// TestTemporaryAccessPassOutcomes: CreateTemporaryAccessPass against the
// mock in both of Graph's one-pass behaviours, a refusal that keeps the
// user's pass, and a lost answer.
func TestTemporaryAccessPassOutcomes(t *testing.T) {
	t.Parallel()
	for _, replaces := range []bool{true, false} {
		m := acctest.NewMock(t, acctest.Options{})
		c := mockClient(t, m, Credentials{Kind: CredentialClientSecret, ClientSecret: m.ClientSecret})
		ctx := testContext(t)
		adele := m.User(t, "adele")
		tap := func(change map[string]any) {
			t.Helper()
			cfg, err := m.Server.MethodConfiguration(m.TenantID, "TemporaryAccessPass")
			if err != nil {
				t.Fatal(err)
			}
			cfg["state"] = "enabled"
			cfg["includeTargets"] = []any{map[string]any{"id": "all_users", "targetType": "group", "isRegistrationRequired": false}}
			for k, v := range change {
				cfg[k] = v
			}
			if err := m.Server.SetMethodConfiguration(m.TenantID, "TemporaryAccessPass", cfg); err != nil {
				t.Fatal(err)
			}
		}
		if err := m.Server.SetTemporaryAccessPassReplaces(m.TenantID, replaces); err != nil {
			t.Fatal(err)
		}
		tap(nil)
		first, err := c.CreateTemporaryAccessPass(ctx, adele.UserPrincipalName, TAPRequest{})
		if err != nil || first.How != TAPCreated || first.Pass == "" || first.LifetimeInMinutes != 60 || first.Replaced != nil {
			t.Fatalf("replaces=%v: first pass %+v %v", replaces, first, err)
		}
		second, err := c.CreateTemporaryAccessPass(ctx, adele.UserPrincipalName, TAPRequest{})
		wantHow := TAPCreated
		if !replaces {
			wantHow = TAPReplacedExisting
		}
		if err != nil || second.How != wantHow || second.Replaced == nil || second.Replaced.ID != first.ID {
			t.Fatalf("replaces=%v: second pass %+v %v; want %v replacing %s", replaces, second, err, wantHow, first.ID)
		}
		// The policy no longer targets adele: refused, her pass kept.
		tap(map[string]any{"excludeTargets": []any{map[string]any{"id": adele.ID, "targetType": "user"}}})
		var refused *TAPRefusedError
		if _, err := c.CreateTemporaryAccessPass(ctx, adele.UserPrincipalName, TAPRequest{}); !errors.As(err, &refused) || !refused.TargetingKnown || refused.Targeted {
			t.Fatalf("replaces=%v: not targeted: %v (%+v); want a refusal that knows she is not targeted", replaces, err, refused)
		}
		if list, err := c.ListTemporaryAccessPasses(ctx, adele.UserPrincipalName); err != nil || len(list) != 1 || list[0].ID != second.ID {
			t.Fatalf("replaces=%v: after the refusal: %+v %v; want her pass %s kept", replaces, list, err, second.ID)
		}
		// A lost answer for a user without a pass: one pass, the one returned.
		tap(map[string]any{"excludeTargets": []any{}})
		if how, err := c.DeleteTemporaryAccessPass(ctx, adele.UserPrincipalName, second.ID); err != nil || how != Deleted {
			t.Fatalf("delete: %v %v", how, err)
		}
		if _, err := m.Server.SetFaults(mockgraph.Fault{Match: "temporaryAccessPass.create", Kind: mockgraph.FaultDrop, Count: 1}); err != nil {
			t.Fatal(err)
		}
		third, err := c.CreateTemporaryAccessPass(ctx, adele.UserPrincipalName, TAPRequest{})
		list, lerr := c.ListTemporaryAccessPasses(ctx, adele.UserPrincipalName)
		if err != nil || lerr != nil || len(list) != 1 || list[0].ID != third.ID || third.Pass == "" {
			t.Fatalf("replaces=%v: lost answer: %+v %v; Graph holds %+v %v", replaces, third, err, list, lerr)
		}
		if !replaces && third.How != TAPReissuedLost {
			t.Errorf("refusing Graph, lost answer: How = %v; want TAPReissuedLost", third.How)
		}
	}
}
