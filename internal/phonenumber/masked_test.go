package phonenumber

import "testing"

// TestSamePhone: a masked number whose visible digits match is the same
// phone, a respelled one too; different visible digits, another country
// code or a longer masked value are another number.
func TestSamePhone(t *testing.T) {
	t.Parallel()
	cases := []struct {
		number, fromGraph string
		want              bool
	}{
		{"+1 5555551234", "+1 5555551234", true},
		{"+1 5555551234", "+1 555-555-1234", true},
		{"+1 5555551234", "+1 XXXXXXXX34", true},
		{"+1 5555551234x12", "+1 XXXXXXXX34", true},
		{"+1 5555551234", "+1 555XXXXX34", true},
		{"+1 5555551234", "+1 XX34", true},
		{"+1 5555551234", "+1 ********34", true},
		{"+1 5555551234", "+1 XXXXXXXX99", false},
		{"+1 5555551234", "+44 XXXXXXXX34", false},
		{"+1 5555551234", "+1 XXXXXXXXX234", false},
		{"+1 5555551234", "+1 5555559999", false},
		{"+1 5555551234", "+1 XXXXXXXX34x5", false},
		{"not a number", "+1 XXXXXXXX34", false},
		// Masked as stored without the space (the mock's masking of E.164).
		{"+1 5555551234", "+XXXXXXXXX34", true},
		{"+15555551234", "+XXXXXXXXX34", true},
		{"+44 2079460958", "+XXXXXXXXXX58", true},
		{"+1 5555551234", "+XXXXXXXXX99", false},
		{"+1 5555551234", "+XXXXXXXXXXXX34", false},
	}
	for _, c := range cases {
		if got := SamePhone(c.number, c.fromGraph); got != c.want {
			t.Errorf("SamePhone(%q, %q) = %t; want %t", c.number, c.fromGraph, got, c.want)
		}
	}
}
