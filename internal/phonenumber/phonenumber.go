// Package phonenumber reads the ways people write a phone number and decides
// the one Microsoft Graph stores for phone authentication methods,
// "+{country code} {number}x{extension}".
//
// Parse is the one decision: it accepts every spelling that names one number
// unambiguously (E.164 such as "+15555551234", separators and parentheses
// such as "+1 (555) 555-1234" or "+44 20 7946 0958", extensions written
// "x", "X", "ext" or "ext.") and returns the Number, whose String is the
// canonical form the provider sends to Graph. Equal and SamePhone compare by
// that Number, so no spelling is ever a difference. What cannot be one
// number is refused with the rule, an example and, where one exists, a
// suggestion.
package phonenumber

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of a number. E.164 allows at most 15 digits for country code plus
// number; Graph takes extensions of up to 10 digits and numbers of at least
// 4 digits.
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

// Rule states what is accepted in one sentence, for errors and docs.
const Rule = `"+", the country code and the number, optionally followed by an extension: ` +
	`spaces, hyphens, dots and parentheses may separate the digits; ` +
	`the country code (1-3 digits, not starting with 0) ends at the first separator, ` +
	`or without one is read from the ITU-T E.164 list of assigned country codes; ` +
	`the number has at least 4 digits (country code and number together at most 15); ` +
	`an extension of up to 10 digits follows "x", "X", "ext" or "ext."`

// Number is a parsed phone number.
type Number struct {
	CountryCode string
	Number      string
	Extension   string
}

// String renders Graph's canonical spelling, "+{country code} {number}" and
// "x{extension}" when there is one.
func (n Number) String() string {
	s := "+" + n.CountryCode + " " + n.Number
	if n.Extension != "" {
		s += "x" + n.Extension
	}
	return s
}

// Parse reads value as one phone number. The error, a *FormatError, says
// what was wrong, the rule, a valid example and, where one exists, the
// number the value probably meant.
func Parse(value string) (Number, error) {
	n, problem, fix := parse(value)
	if problem == "" {
		return n, nil
	}
	msg := fmt.Sprintf("%q is not a phone number: %s. A phone number is %s; for example %q or %q.",
		value, problem, Rule, Example, ExampleWithExtension)
	if fix != "" {
		msg += fmt.Sprintf(" Did you mean %q?", fix)
	}
	return Number{}, &FormatError{Value: value, Problem: problem, Suggestion: fix, Message: msg}
}

// Canonical returns the spelling the provider sends to Graph for value, and
// false when value is not one phone number.
func Canonical(value string) (string, bool) {
	n, err := Parse(value)
	if err != nil {
		return "", false
	}
	return n.String(), true
}

// FormatError is a value that is not one phone number.
type FormatError struct {
	Value      string
	Problem    string
	Suggestion string // canonical form of the number the value probably meant, or ""
	Message    string
}

func (e *FormatError) Error() string { return e.Message }

// isSeparator reports the characters that may stand between digits.
func isSeparator(r rune) bool {
	return r == ' ' || r == '-' || r == '.' || r == '(' || r == ')'
}

// extensionMarker returns the length of the extension marker s starts with:
// "x" or "X", "ext" or "ext." in any case; 0 when there is none.
func extensionMarker(s string) int {
	switch {
	case s != "" && (s[0] == 'x' || s[0] == 'X'):
		return 1
	case len(s) >= 3 && strings.EqualFold(s[:3], "ext"):
		if len(s) > 3 && s[3] == '.' {
			return 4
		}
		return 3
	}
	return 0
}

// parse is the one decision behind Parse: the number, or the problem and a
// suggestion.
func parse(value string) (n Number, problem, fix string) {
	return read(value, true)
}

// suggest returns the canonical form of candidate, or "" when it is not one
// number either. It reads without suggesting, so a suggestion is one step
// away from the value and costs one more read, never a chain of them.
func suggest(candidate string) string {
	if n, problem, _ := read(candidate, false); problem == "" {
		return n.String()
	}
	return ""
}

// read parses value; with withFix, a refusal comes with a suggestion where
// one exists.
func read(value string, withFix bool) (n Number, problem, fix string) {
	try := func(candidate string) string {
		if !withFix {
			return ""
		}
		return suggest(candidate)
	}
	v := strings.TrimSpace(value)
	if v == "" {
		return Number{}, "the value is empty", ""
	}
	if IsMasked(v) {
		return Number{}, "it is masked (Graph shows only the last digits to callers holding only the Authentication Administrator role): write the whole number", ""
	}
	if v[0] != '+' {
		if strings.HasPrefix(v, "00") {
			fix = try("+" + v[2:])
		}
		return Number{}, `it does not start with "+", so the country code is unknown: write "+" and the country code first`, fix
	}
	rest := v[1:]

	var digits, ext []byte
	firstGroup := -1           // digits before the first separator, once one is seen
	marker, markerEnd := "", 0 // the extension marker as written, and where it ends in rest
	open, unbalanced, trunk := false, false, false
	parenStart := 0
	for i := 0; i < len(rest); {
		r, size := utf8.DecodeRuneInString(rest[i:])
		switch {
		case r >= '0' && r <= '9':
			if marker != "" {
				ext = append(ext, byte(r))
			} else {
				digits = append(digits, byte(r))
			}
		case marker != "" && r == ' ' && len(ext) == 0:
			// "x 12", "ext. 12"
		case marker != "" && isSeparator(r) && extensionMarker(strings.TrimLeft(rest[i:], " -.()")) > 0:
			// "x12 x3": go to the second marker, reported as two extensions
			i = len(rest) - len(strings.TrimLeft(rest[i:], " -.()"))
			continue
		case marker != "" && isSeparator(r):
			return Number{}, fmt.Sprintf("the extension %q after %q may contain only the digits 0-9", strings.TrimLeft(rest[markerEnd:], " "), marker), ""
		case isSeparator(r):
			if len(digits) == 0 {
				return Number{}, `the country code must come right after "+"`, ""
			}
			if firstGroup < 0 {
				firstGroup = len(digits)
			}
			switch r {
			case '(':
				unbalanced = unbalanced || open
				open, parenStart = true, len(digits)
			case ')':
				unbalanced = unbalanced || !open
				trunk = trunk || (open && len(digits) == parenStart+1 && digits[parenStart] == '0')
				open = false
			}
		case extensionMarker(rest[i:]) > 0:
			size = extensionMarker(rest[i:])
			if marker != "" {
				return Number{}, fmt.Sprintf(`it has two extensions (%q and %q): a number has at most one`, marker, rest[i:i+size]), ""
			}
			marker, markerEnd = rest[i:i+size], i+size
		case r == '+':
			if strings.Trim(rest[:i], "+") == "" {
				fix = try("+" + strings.TrimLeft(rest, "+"))
			}
			return Number{}, `"+" may appear only once, at the start`, fix
		case unicode.IsLetter(r):
			return Number{}, fmt.Sprintf("it contains the letter %q: write the number with the digits 0-9 only", string(r)), ""
		case unicode.IsDigit(r):
			return Number{}, fmt.Sprintf("it contains %q, which is not one of the digits 0-9", string(r)), ""
		default:
			if unicode.IsSpace(r) {
				fix = try(strings.Map(func(r rune) rune {
					if unicode.IsSpace(r) {
						return ' '
					}
					return r
				}, v))
			}
			return Number{}, fmt.Sprintf(`it contains %q, which is not a digit, a space, "-", ".", "(" or ")"`, rest[i:i+size]), fix
		}
		i += size
	}

	switch {
	case len(digits) == 0:
		return Number{}, "the country code and the number are missing", ""
	case unbalanced || open:
		return Number{}, `its parentheses do not pair up`, try(strings.NewReplacer("(", "", ")", "").Replace(v))
	case trunk:
		return Number{}, `"(0)" is a national trunk prefix, which is not dialled after the country code`, try(strings.Replace(v, "(0)", "", 1))
	case digits[0] == '0':
		if strings.HasPrefix(rest, "00") {
			fix = try("+" + rest[2:])
		}
		return Number{}, `the country code cannot start with 0 ("00" and "011" are dialling prefixes, not part of the number)`, fix
	}

	var cc string
	if firstGroup > 0 && firstGroup <= maxCountryCodeDigits {
		cc = string(digits[:firstGroup]) // the user's separator marks it
	} else {
		var ok bool
		if cc, ok = countryCodeOf(string(digits)); !ok {
			return Number{}, fmt.Sprintf("%q does not start with an assigned country code (ITU-T E.164), so where the country code ends is unknown: write a space after the country code", "+"+string(digits)), ""
		}
	}
	number := string(digits[len(cc):])
	switch {
	case number == "":
		return Number{}, fmt.Sprintf("the number after the country code %q is missing", cc), ""
	case len(number) < minNumberDigits:
		return Number{}, fmt.Sprintf("the number %q after the country code %q has %d digits, fewer than %d", number, cc, len(number), minNumberDigits), ""
	case len(digits) > maxTotalDigits:
		return Number{}, fmt.Sprintf("country code and number have %d digits, more than the %d E.164 allows", len(digits), maxTotalDigits), ""
	case marker != "" && len(ext) == 0:
		return Number{}, fmt.Sprintf("the extension after %q is missing", marker), ""
	case len(ext) > maxExtensionDigits:
		return Number{}, fmt.Sprintf("the extension %q has more than %d digits", string(ext), maxExtensionDigits), ""
	}
	return Number{CountryCode: cc, Number: number, Extension: string(ext)}, "", ""
}
