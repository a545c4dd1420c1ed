package graph

import (
	"testing"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// TestMockLostCreateRecognisedWhenMasked: a delegated caller holding only
// the Authentication Administrator role sees other users' numbers masked
// ("+1 XXXXXXXX00"). When the response to its create is lost and the retry
// is refused because the phone now exists, the read-back shows the masked
// number; its visible digits match, so the create is recognised as applied
// instead of failing with "already exists".
func TestMockLostCreateRecognisedWhenMasked(t *testing.T) {
	t.Parallel()
	m := acctest.NewMock(t, acctest.Options{})
	adele, bianca := m.User(t, "adele"), m.User(t, "bianca")
	token, err := m.Server.MintDelegatedToken(m.TenantID, bianca.ID,
		[]string{"UserAuthenticationMethod.ReadWrite.All"}, []string{"Authentication Administrator"}, 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	e, err := ResolveEndpoints("", m.GraphEndpoint(), m.AuthorityHost())
	if err != nil {
		t.Fatal(err)
	}
	c, err := newClientWithCredential(Config{Endpoints: e, Version: "test", RetryBaseDelay: 10 * time.Millisecond},
		staticCredential{token: token}, newBaseTransport(), newMasker(token))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Server.AddFaults(mockgraph.Fault{Method: "POST", Match: mockgraph.OpCreate, Kind: mockgraph.FaultDrop, Count: 1}); err != nil {
		t.Fatal(err)
	}
	ctx := testContext(t)
	const number = "+1 5555550100"
	pm, err := c.CreatePhoneMethod(ctx, adele.ID, PhoneTypeMobile, number)
	if err != nil {
		t.Fatalf("lost create not recognised: %v", err)
	}
	// The caller really saw the number masked, so the masked path was taken.
	if pm.PhoneNumber != "+1 XXXXXXXX00" || pm.PhoneType != PhoneTypeMobile {
		t.Errorf("recognised phone %+v; want mobile shown as +1 XXXXXXXX00", *pm)
	}
	phones, err := m.Server.PhoneMethods(m.TenantID, adele.ID)
	if err != nil || len(phones) != 1 || phones[0].PhoneNumber != number {
		t.Errorf("mock holds %+v (%v); want one mobile %s", phones, err, number)
	}
	var created, refused int
	for _, r := range m.Server.RequestLog(mockgraph.RequestLogFilter{Operation: mockgraph.OpCreate}) {
		switch r.Status {
		case 0:
			created++ // dropped after being applied
		case 400, 409:
			refused++
		default:
			t.Errorf("unexpected create call %+v", r)
		}
	}
	if created != 1 || refused != 1 {
		t.Errorf("creates: %d dropped, %d refused; want 1 and 1", created, refused)
	}
}
