package phonenumber

import (
	"strings"
	"testing"
)

// FuzzParse checks the promises the provider's plan-time validation relies
// on: accepted values round-trip unchanged, every refusal carries a valid
// example, and every suggested correction is itself accepted and equal to
// the value it corrects.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"+1 5555551234", "+1 5555551234x123", "+15555551234", "+44 20 7946 0958",
		"+1 (555) 555-1234", "+1 5555551234 ext. 9", "", "+", "+1 ", "+0 1234", "+1 5555551234x",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, value string) {
		n, err := Parse(value)
		if err == nil {
			if n.String() != value {
				t.Fatalf("accepted %q but renders it as %q", value, n.String())
			}
			if !Equal(value, n.String()) {
				t.Fatalf("accepted %q is not Equal to itself", value)
			}
			return
		}
		if !strings.Contains(err.Error(), Example) {
			t.Fatalf("refusal of %q lacks the example: %v", value, err)
		}
		if fix, ok := Suggest(value); ok {
			if _, err := Parse(fix); err != nil {
				t.Fatalf("suggestion %q for %q is itself refused: %v", fix, value, err)
			}
		}
	})
}
