package graph

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// TestPolicyShows pins the read-after-write comparison: what was sent must
// be in what Graph holds; Graph's extra properties, order and case do not
// matter.
func TestPolicyShows(t *testing.T) {
	t.Parallel()
	decode := func(s string) PolicyJSON {
		var out PolicyJSON
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		if err := dec.Decode(&out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	got := decode(`{"@odata.type":"#microsoft.graph.fido2AuthenticationMethodConfiguration","id":"Fido2","state":"enabled","isAttestationEnforced":true,
		"keyRestrictions":{"isEnforced":true,"enforcementType":"allow","aaGuids":["90A3CCDF-635C-4729-A248-9B709135078F","de1e552d-db1d-4423-a619-566b625cdc84"]},
		"includeTargets":[{"id":"all_users","targetType":"group","isRegistrationRequired":false}],"excludeTargets":[],"defaultLength":8}`)
	cases := []struct {
		name string
		sent PolicyJSON
		want bool
	}{
		{"subset", PolicyJSON{"state": "enabled"}, true},
		{"type annotation ignored", PolicyJSON{"@odata.type": "#microsoft.graph.other", "state": "enabled"}, true},
		{"case and order of a collection", PolicyJSON{"keyRestrictions": PolicyJSON{"aaGuids": []any{"DE1E552D-db1d-4423-a619-566b625cdc84", "90a3ccdf-635c-4729-a248-9b709135078f"}}}, true},
		{"extra element property in Graph", PolicyJSON{"includeTargets": []any{PolicyJSON{"id": "ALL_USERS", "targetType": "group"}}}, true},
		{"number", PolicyJSON{"defaultLength": int64(8)}, true},
		{"other number", PolicyJSON{"defaultLength": int64(9)}, false},
		{"other value", PolicyJSON{"state": "disabled"}, false},
		{"boolean", PolicyJSON{"isAttestationEnforced": false}, false},
		{"collection shorter", PolicyJSON{"keyRestrictions": PolicyJSON{"aaGuids": []any{"90a3ccdf-635c-4729-a248-9b709135078f"}}}, false},
		{"element differs", PolicyJSON{"includeTargets": []any{PolicyJSON{"id": "all_users", "targetType": "user"}}}, false},
		{"missing property", PolicyJSON{"isUsableOnce": true}, false},
		{"empty collection", PolicyJSON{"excludeTargets": []any{}}, true},
	}
	for _, c := range cases {
		if PolicyShows(got, c.sent) != c.want {
			t.Errorf("%s: PolicyShows = %v, want %v", c.name, !c.want, c.want)
		}
	}
}

// TestUpdatePolicyPart: a PATCH answered and not applied is sent again; one
// never applied ends PolicyNotApplied after PolicyWriteAttempts PATCHes,
// with what Graph holds; a lost response is retried and applied.
func TestUpdatePolicyPart(t *testing.T) {
	t.Parallel()
	m := acctest.NewMock(t, acctest.Options{})
	c := mockClient(t, m, Credentials{Kind: CredentialClientSecret, ClientSecret: m.ClientSecret})
	ctx := testContext(t)
	fido2 := MethodConfiguration("Fido2", "#microsoft.graph.fido2AuthenticationMethodConfiguration")
	patches := func() int {
		return len(m.Server.RequestLog(mockgraph.RequestLogFilter{Method: "PATCH", Operation: mockgraph.OpMethodConfigurationUpdate}))
	}

	if err := m.Server.SetPatchNotApplied(m.TenantID, "Fido2", 1); err != nil {
		t.Fatal(err)
	}
	w, err := c.UpdatePolicyPart(ctx, fido2, PolicyJSON{"state": "enabled"})
	if err != nil || w.How != PolicyApplied || w.Writes != 2 || w.Policy["state"] != "enabled" {
		t.Fatalf("not applied once: %+v %v; want applied after 2 writes", w, err)
	}
	if w.How.Applied() != WriteApplied {
		t.Errorf("Applied() = %v", w.How.Applied())
	}

	if err := m.Server.SetPatchNotApplied(m.TenantID, "Fido2", -1); err != nil {
		t.Fatal(err)
	}
	before := patches()
	w, err = c.UpdatePolicyPart(ctx, fido2, PolicyJSON{"state": "disabled"})
	if err != nil || w.How != PolicyNotApplied || w.Writes != PolicyWriteAttempts || w.Policy["state"] != "enabled" {
		t.Fatalf("never applied: %+v %v; want not applied after %d writes, Graph still enabled", w, err, PolicyWriteAttempts)
	}
	if n := patches() - before; n != PolicyWriteAttempts {
		t.Errorf("%d PATCHes sent; want %d", n, PolicyWriteAttempts)
	}
	if w.How.Applied() != WriteNotApplied {
		t.Errorf("Applied() = %v", w.How.Applied())
	}

	if err := m.Server.SetPatchNotApplied(m.TenantID, "Fido2", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Server.AddFaults(mockgraph.Fault{Method: "PATCH", Match: "/v1.0/policies/*", Kind: mockgraph.FaultDrop, Count: 1}); err != nil {
		t.Fatal(err)
	}
	w, err = c.UpdatePolicyPart(ctx, RegistrationCampaign, PolicyJSON{"snoozeDurationInDays": int64(5)})
	if err != nil || w.How != PolicyApplied {
		t.Fatalf("lost response: %+v %v; want applied", w, err)
	}
	got, err := m.Server.RegistrationCampaign(m.TenantID)
	if err != nil || got["snoozeDurationInDays"] != float64(5) {
		t.Fatalf("campaign %v %v; want snoozeDurationInDays 5", got, err)
	}
}
