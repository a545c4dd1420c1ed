package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

// TestMaskedNumberRecognition: a number Graph masks for a caller holding
// only the Authentication Administrator role is the same phone when its
// visible digits match (no drift, the state keeps the configured number,
// a read after a write is not stale), and another phone when they do not
// (drift the next plan shows). Read, read-after-write and the create
// recognition (phonenumber.SamePhone) agree.
func TestMaskedNumberRecognition(t *testing.T) {
	t.Parallel()
	const configured = "+1 5555551234"
	for _, c := range []struct {
		fromGraph string
		same      bool
	}{
		{"+1 XXXXXXXX34", true},
		{"+1 555-555-1234", true},
		{"+1 XXXXXXXX99", false},
		{"+44 XXXXXXXX34", false},
	} {
		if got := showsNumber(configured)(graph.PhoneMethod{PhoneNumber: c.fromGraph}); got != c.same {
			t.Errorf("showsNumber(%q)(%q) = %t; want %t", configured, c.fromGraph, got, c.same)
		}
		stored := numberForState(types.StringValue(configured), c.fromGraph)
		if (stored == configured) != c.same {
			t.Errorf("numberForState(%q, %q) = %q; same phone = %t", configured, c.fromGraph, stored, c.same)
		}
	}
}
