package phonenumber

import "strings"

// IsMasked reports a number Graph masked ("+1 XXXXXXXX34"): it does so for
// callers holding only the Authentication Administrator role.
func IsMasked(n string) bool {
	return strings.Contains(n, "XX") || strings.Contains(n, "*")
}

// SamePhone reports whether fromGraph, as Graph returned it, names the
// phone number: Equal, or a masked value whose country code matches and
// whose visible digits match number's at the same places counted from the
// end (Graph keeps the last digits and drops the extension). A masked value
// says nothing more, so it is taken as the same phone; one whose visible
// digits differ is another number. A value masked without a space after
// the country code is compared over country code and number.
func SamePhone(number, fromGraph string) bool {
	if Equal(number, fromGraph) {
		return true
	}
	if !IsMasked(fromGraph) {
		return false
	}
	n, err := Parse(number)
	if err != nil {
		return false
	}
	v := strings.TrimSpace(fromGraph)
	if !strings.HasPrefix(v, "+") {
		return false
	}
	// Graph masks the number as stored: "+1 XXXXXXXX34" for the canonical
	// spelling, "+XXXXXXXXX34" (country code masked too) for one stored as
	// E.164 without the space, where the visible digits count from the end
	// of country code and number together.
	digits := n.Number
	cc, rest, found := strings.Cut(v[1:], " ")
	switch {
	case !found:
		rest, digits = v[1:], n.CountryCode+n.Number
	case cc != n.CountryCode:
		return false
	}
	var shown []byte
	for i := 0; i < len(rest); i++ {
		switch c := rest[i]; {
		case c >= '0' && c <= '9', c == 'X', c == '*':
			shown = append(shown, c)
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
		default:
			return false // an extension or anything unreadable
		}
	}
	if len(shown) == 0 || len(shown) > len(digits) {
		return false
	}
	offset := len(digits) - len(shown)
	for i, c := range shown {
		if c != 'X' && c != '*' && c != digits[offset+i] {
			return false
		}
	}
	return true
}
