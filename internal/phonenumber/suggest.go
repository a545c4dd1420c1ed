package phonenumber

import "strings"

// e164CountryCodes lists the assigned ITU-T E.164 country codes that have
// one or two digits; every other code has three. Splitting an E.164 value
// such as "+15555551234" into code and number needs this, since E.164 itself
// has no separator.
var e164CountryCodes = map[string]bool{
	"1": true, "7": true,
	"20": true, "27": true, "30": true, "31": true, "32": true, "33": true, "34": true,
	"36": true, "39": true, "40": true, "41": true, "43": true, "44": true, "45": true,
	"46": true, "47": true, "48": true, "49": true, "51": true, "52": true, "53": true,
	"54": true, "55": true, "56": true, "57": true, "58": true, "60": true, "61": true,
	"62": true, "63": true, "64": true, "65": true, "66": true, "81": true, "82": true,
	"84": true, "86": true, "90": true, "91": true, "92": true, "93": true, "94": true,
	"95": true, "98": true,
}

// Suggest returns the Graph spelling of a value that is recognisably a phone
// number written another way: E.164 without the space ("+15555551234"), or
// with separators inside the number ("+1 (555) 555-1234", "+44 20 7946 0958",
// "+1 5555551234 ext. 12"). It returns false when it cannot tell.
func Suggest(value string) (string, bool) {
	v := strings.TrimSpace(value)
	if !strings.HasPrefix(v, "+") {
		return "", false
	}
	if n, ok := lenient(v); ok {
		if _, problem := parseStrict(n.String()); problem == "" && n.String() != value {
			return n.String(), true
		}
		return "", false
	}
	// E.164: "+" and digits only, optionally followed by an extension.
	body, ext, _ := cutExtension(v[1:])
	body = strings.TrimSpace(body)
	if !allDigits(body) {
		return "", false
	}
	for size := 1; size <= maxCountryCodeDigits && size < len(body); size++ {
		cc := body[:size]
		if size < 3 && !e164CountryCodes[cc] {
			continue
		}
		n := Number{CountryCode: cc, Number: body[size:], Extension: ext}
		if _, problem := parseStrict(n.String()); problem == "" {
			return n.String(), true
		}
		return "", false
	}
	return "", false
}
