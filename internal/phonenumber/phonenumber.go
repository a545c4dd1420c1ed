// Package phonenumber parses the phone number format Microsoft Graph accepts
// for phone authentication methods, "+{country code} {number}x{extension}",
// and decides when two spellings name the same number.
//
// Graph rejects any other spelling on create and update, so the provider
// refuses it at plan time (Parse). Values read back from Graph, or typed by an
// administrator in the portal, may carry separators inside the number; Equal
// ignores those so they never show up as drift.
package phonenumber

import (
	"fmt"
	"strings"
	"unicode"
)

// Limits of the accepted format. E.164 allows at most 15 digits for country
// code plus number; extensions are capped at 10 digits.
const (
	maxCountryCodeDigits = 3
	minNumberDigits      = 4
	maxTotalDigits       = 15
	maxExtensionDigits   = 10
)

// Example is a valid value shown in every error message.
const Example = "+1 5555551234"

// ExampleWithExtension is a valid value with an extension.
const ExampleWithExtension = "+1 5555551234x123"

// Rule states the accepted format in one sentence, for errors and docs.
const Rule = `"+{country code} {number}" with an optional "x{extension}": a plus sign, ` +
	`a 1-3 digit country code not starting with 0, one space, the number as digits only ` +
	`(country code and number together at most 15 digits), and optionally "x" followed ` +
	`by up to 10 digits`

// Number is a parsed phone number.
type Number struct {
	CountryCode string
	Number      string
	Extension   string
}

// String renders the canonical Graph spelling.
func (n Number) String() string {
	s := "+" + n.CountryCode + " " + n.Number
	if n.Extension != "" {
		s += "x" + n.Extension
	}
	return s
}

// Parse accepts exactly Graph's documented format and returns an error that
// says what was wrong, the rule, a valid example and, where the intent is
// clear (an E.164 number without the space), the corrected value.
func Parse(value string) (Number, error) {
	n, problem := parseStrict(value)
	if problem == "" {
		return n, nil
	}
	msg := fmt.Sprintf("%q is not a phone number Microsoft Graph accepts: %s. The format is %s, for example %q or %q.",
		value, problem, Rule, Example, ExampleWithExtension)
	if fix, ok := Suggest(value); ok {
		msg += fmt.Sprintf(" Did you mean %q?", fix)
	}
	return Number{}, &FormatError{Value: value, Problem: problem, Message: msg}
}

// FormatError is a value that does not follow Graph's format.
type FormatError struct {
	Value   string
	Problem string
	Message string
}

func (e *FormatError) Error() string { return e.Message }

func parseStrict(value string) (Number, string) {
	if value == "" {
		return Number{}, "the value is empty"
	}
	// Surrounding whitespace is invisible in most editors, so it gets its own
	// message rather than one about the character it happens to sit next to.
	const whitespace = "it has leading or trailing whitespace"
	if strings.TrimLeftFunc(value, unicode.IsSpace) != value {
		return Number{}, whitespace
	}
	if !strings.HasPrefix(value, "+") {
		return Number{}, `it must start with "+" and the country code`
	}
	rest := value[1:]
	if rest == "" {
		return Number{}, "the country code and the number are missing"
	}
	cc, after, found := strings.Cut(rest, " ")
	if !found {
		return Number{}, "there must be one space between the country code and the number"
	}
	if cc == "" || !allDigits(cc) {
		return Number{}, "the country code must be the digits 0-9 right after the plus sign"
	}
	if len(cc) > maxCountryCodeDigits {
		return Number{}, fmt.Sprintf("the country code %q has more than %d digits", cc, maxCountryCodeDigits)
	}
	if cc[0] == '0' {
		return Number{}, "the country code cannot start with 0"
	}
	num, ext, hasExt := strings.Cut(after, "x")
	if num == "" {
		return Number{}, "the number after the country code is missing"
	}
	if strings.TrimRightFunc(value, unicode.IsSpace) != value {
		return Number{}, whitespace
	}
	if !allDigits(num) {
		// With an "x" somewhere, num is cut at it; show the whole tail so
		// "5555551234 ext. 12" is not reported as "5555551234 e".
		if hasExt {
			return Number{}, fmt.Sprintf("the number and extension %q may contain only the digits 0-9 and one \"x\" before the extension (no spaces, dashes, dots, brackets or other characters)", after)
		}
		return Number{}, fmt.Sprintf("the number %q may contain only the digits 0-9 (no spaces, dashes, dots, brackets or other characters)", num)
	}
	if len(num) < minNumberDigits {
		return Number{}, fmt.Sprintf("the number %q is shorter than %d digits", num, minNumberDigits)
	}
	if len(cc)+len(num) > maxTotalDigits {
		return Number{}, fmt.Sprintf("country code and number have %d digits, more than the %d E.164 allows", len(cc)+len(num), maxTotalDigits)
	}
	if hasExt {
		if ext == "" {
			return Number{}, `the extension after "x" is missing`
		}
		if !allDigits(ext) {
			return Number{}, fmt.Sprintf("the extension %q after \"x\" may contain only the digits 0-9", ext)
		}
		if len(ext) > maxExtensionDigits {
			return Number{}, fmt.Sprintf("the extension %q has more than %d digits", ext, maxExtensionDigits)
		}
	}
	return Number{CountryCode: cc, Number: num, Extension: ext}, ""
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
