package graph

import (
	"testing"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// TestMockSMSPolicy: the PATCH the SDK sends (with @odata.type) is accepted,
// both target lists are replaced, and GET reads back only state and
// targets; a PATCH whose response is lost is retried and applied once.
func TestMockSMSPolicy(t *testing.T) {
	t.Parallel()
	m := acctest.NewMock(t, acctest.Options{})
	c := mockClient(t, m, Credentials{Kind: CredentialClientSecret, ClientSecret: m.ClientSecret})
	ctx := testContext(t)
	user := m.User(t, "adele")
	want := SMSPolicy{
		State:          "enabled",
		IncludeTargets: []SMSPolicyTarget{{ID: user.ID, TargetType: "user", IsUsableForSignIn: true}},
		ExcludeTargets: []SMSPolicyTarget{{ID: m.User(t, "bianca").ID, TargetType: "user"}},
	}
	if _, err := m.Server.AddFaults(mockgraph.Fault{Method: "PATCH", Match: "/v1.0/policies/*", Kind: mockgraph.FaultDrop, Count: 1}); err != nil {
		t.Fatal(err)
	}
	if w, err := c.UpdateSMSPolicy(ctx, want); err != nil || w.How != PolicyApplied || !SameSMSPolicy(w.Policy, want) {
		t.Fatalf("update: %+v %v; want applied and read back", w, err)
	}
	got, err := c.GetSMSPolicy(ctx, func(p SMSPolicy) bool { return p.State == "enabled" })
	if err != nil {
		t.Fatal(err)
	}
	if got.State != "enabled" || len(got.IncludeTargets) != 1 || got.IncludeTargets[0] != want.IncludeTargets[0] ||
		len(got.ExcludeTargets) != 1 || got.ExcludeTargets[0] != want.ExcludeTargets[0] {
		t.Errorf("policy %+v", got)
	}
	stored, err := m.Server.SMSPolicy(m.TenantID)
	if err != nil || stored.State != "enabled" || len(stored.IncludeTargets) != 1 {
		t.Errorf("mock policy %+v %v", stored, err)
	}
	var patches []int
	for _, r := range m.Server.RequestLog(mockgraph.RequestLogFilter{}) {
		if r.Method == "PATCH" {
			patches = append(patches, r.Status)
		}
	}
	if len(patches) != 2 || patches[0] != 0 || patches[1] != 204 {
		t.Errorf("PATCH statuses %v, want [0 204] (dropped, then retried)", patches)
	}
}
