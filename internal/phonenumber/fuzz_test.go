package phonenumber

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

// graphForm is Graph's documented "+{country code} {number}x{extension}"
// with this package's limits; internal/validators checks the canonical form
// against the mock's own rule as well.
var graphForm = regexp.MustCompile(`^\+[1-9][0-9]{0,2} [0-9]{4,14}(x[0-9]{1,10})?$`)

// FuzzParse checks the promises the provider relies on: an accepted value's
// canonical form is in Graph's format, keeps the value's digits, is a fixed
// point, and is Equal to the value; a refusal carries the example, and a
// suggestion is itself canonical and keeps (a subsequence of) the digits.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"+1 5555551234", "+1 5555551234x123", "+15555551234", "+44 20 7946 0958", "+442079460958",
		"+1 (555) 555-1234", "+1 5555551234 ext. 9", "+1 5555551234X9", "", "+", "+1 ", "+0 1234", "+1 5555551234x",
		"+44 (0)20 7946 0958", "+0044 2079460958", "++1 5555551234", "+1\t5555551234", "+1 (555 555-1234",
		"+1 XXXXXXX234", "+1 5555551234x1x2", "+9991234567",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, value string) {
		n, err := Parse(value)
		if err == nil {
			c := n.String()
			if !graphForm.MatchString(c) {
				t.Fatalf("accepted %q as %q, which is not Graph's format", value, c)
			}
			if asciiDigits(c) != asciiDigits(value) {
				t.Fatalf("accepted %q as %q, which changes the digits", value, c)
			}
			if again, ok := Canonical(c); !ok || again != c {
				t.Fatalf("canonical %q of %q is not a fixed point: %q", c, value, again)
			}
			if !Equal(value, c) || !Equal(c, value) {
				t.Fatalf("accepted %q is not Equal to its canonical form %q", value, c)
			}
			return
		}
		var fe *FormatError
		if !errors.As(err, &fe) {
			t.Fatalf("refusal of %q is not a *FormatError: %v", value, err)
		}
		if !strings.Contains(err.Error(), Example) || fe.Problem == "" {
			t.Fatalf("refusal of %q lacks the problem or the example: %v", value, err)
		}
		if Equal(value, Example) {
			t.Fatalf("refused %q is Equal to a number", value)
		}
		if fe.Suggestion != "" {
			if c, ok := Canonical(fe.Suggestion); !ok || c != fe.Suggestion {
				t.Fatalf("suggestion %q for %q is not canonical", fe.Suggestion, value)
			}
			if !isSubsequence(asciiDigits(fe.Suggestion), asciiDigits(value)) {
				t.Fatalf("suggestion %q for %q adds digits", fe.Suggestion, value)
			}
		}
	})
}

// asciiDigits keeps the digits 0-9 of s in order.
func asciiDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// isSubsequence reports whether sub's bytes appear in s in order.
func isSubsequence(sub, s string) bool {
	for i := 0; i < len(s) && sub != ""; i++ {
		if s[i] == sub[0] {
			sub = sub[1:]
		}
	}
	return sub == ""
}
