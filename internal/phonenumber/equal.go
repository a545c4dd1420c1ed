package phonenumber

import "strings"

// Equal reports whether a and b name the same phone: same country code, same
// number digits, same extension. Separators inside the number (spaces,
// hyphens, dots, brackets) and the case of the extension marker do not count,
// because Graph and the Entra portal may return a number spelled differently
// from how it was written. Values that cannot be read as a number at all are
// compared as plain strings.
func Equal(a, b string) bool {
	if a == b {
		return true
	}
	na, okA := lenient(a)
	nb, okB := lenient(b)
	return okA && okB && na == nb
}

// lenient reads "+cc number[x|ext ext]" allowing separators in the number.
func lenient(value string) (Number, bool) {
	v := strings.TrimSpace(value)
	if !strings.HasPrefix(v, "+") {
		return Number{}, false
	}
	cc, rest, found := strings.Cut(v[1:], " ")
	if !found || !allDigits(cc) {
		return Number{}, false
	}
	num, ext, hasExt := cutExtension(rest)
	digits := strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9':
			return r
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
			return -1
		default:
			return 'X' // any other character makes the value unreadable
		}
	}, num)
	if !allDigits(digits) || (hasExt && !allDigits(ext)) {
		return Number{}, false
	}
	return Number{CountryCode: cc, Number: digits, Extension: ext}, true
}

// cutExtension splits "number x123", "number X123" or "number ext. 123".
// It lowercases ASCII letters byte for byte, so indexes found in the
// lowercased copy stay valid in the original whatever else the value holds.
func cutExtension(s string) (num, ext string, found bool) {
	lower := []byte(s)
	for i, c := range lower {
		if c >= 'A' && c <= 'Z' {
			lower[i] = c + ('a' - 'A')
		}
	}
	for _, marker := range []string{"ext.", "ext", "x"} {
		if i := strings.Index(string(lower), marker); i >= 0 {
			return s[:i], strings.TrimSpace(s[i+len(marker):]), true
		}
	}
	return s, "", false
}
