package phonenumber

// Equal reports whether a and b name the same phone: Parse reads both as the
// same country code, number and extension. Spellings do not count
// ("+15555551234", "+1 555-555-1234" and "+1 5555551234" are one number),
// because the configuration, Graph and the Entra portal may each spell a
// number their own way. Values that are not one number (a masked number, for
// example) are compared as plain strings.
func Equal(a, b string) bool {
	if a == b {
		return true
	}
	na, errA := Parse(a)
	nb, errB := Parse(b)
	return errA == nil && errB == nil && na == nb
}
