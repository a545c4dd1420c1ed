package phonenumber

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

// TestParseAccepts: every spelling that names one number is read as that
// number, and its canonical form is Graph's.
func TestParseAccepts(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ value, canonical string }{
		// Graph's canonical form is a fixed point.
		{"+1 5555551234", "+1 5555551234"},
		{"+1 5555551234x123", "+1 5555551234x123"},
		{"+44 2079460958", "+44 2079460958"},
		{"+353 1234567", "+353 1234567"},
		{"+1 5555x1", "+1 5555x1"},
		{"+1 55555512345678", "+1 55555512345678"}, // 1 + 14 digits = 15
		{"+1 5555551234x1234567890", "+1 5555551234x1234567890"},
		// E.164 without the space: the country code comes from the ITU table.
		{"+15555551234", "+1 5555551234"},
		{"+442079460958", "+44 2079460958"},
		{"+3531234567", "+353 1234567"},
		{"+79161234567", "+7 9161234567"},
		{"+8613800138000", "+86 13800138000"},
		{"+15555551234x12", "+1 5555551234x12"},
		{"+4420 7946 0958", "+44 2079460958"}, // a first group longer than 3 digits is not a country code
		// A separator after 1-3 digits marks the country code, and is trusted.
		{"+44 20 7946 0958", "+44 2079460958"},
		{"+1 (555) 555-1234", "+1 5555551234"},
		{"+1(555)555-1234", "+1 5555551234"},
		{"+1-555-555-1234", "+1 5555551234"},
		{"+1 555.555.1234", "+1 5555551234"},
		{"+1 555 - 555 - 1234", "+1 5555551234"},
		{"+1  5555551234", "+1 5555551234"},
		{"+999 1234567", "+999 1234567"}, // not assigned, but written as a country code
		{"+12 3456789", "+12 3456789"},   // the table would say +1; the user's space wins
		// Extensions: x, X, ext, ext., with or without spaces.
		{"+1 5555551234X12", "+1 5555551234x12"},
		{"+1 5555551234 x12", "+1 5555551234x12"},
		{"+1 5555551234 x 12", "+1 5555551234x12"},
		{"+1 5555551234 ext. 12", "+1 5555551234x12"},
		{"+1 5555551234 ext12", "+1 5555551234x12"},
		{"+1 555-555-1234 EXT. 12", "+1 5555551234x12"},
		{"+1 (555) 555-1234 Ext 12", "+1 5555551234x12"},
		// Surrounding whitespace is not part of the number.
		{" +1 5555551234", "+1 5555551234"},
		{"+1 5555551234\n", "+1 5555551234"},
	} {
		n, err := Parse(c.value)
		if err != nil {
			t.Errorf("Parse(%q) = %v, want %q", c.value, err, c.canonical)
			continue
		}
		if n.String() != c.canonical {
			t.Errorf("Parse(%q).String() = %q, want %q", c.value, n.String(), c.canonical)
		}
		if got, ok := Canonical(c.value); !ok || got != c.canonical {
			t.Errorf("Canonical(%q) = %q, %t; want %q", c.value, got, ok, c.canonical)
		}
	}
}

// TestParseRejects: what cannot be one number is refused with the problem,
// the rule, the example and, where one exists, a suggestion.
func TestParseRejects(t *testing.T) {
	t.Parallel()
	cases := []struct {
		value   string
		problem string
		fix     string
	}{
		{"", "the value is empty", ""},
		{" \t", "the value is empty", ""},
		{"15555551234", `it does not start with "+", so the country code is unknown`, ""},
		{"5555551234", `it does not start with "+", so the country code is unknown`, ""},
		{"(555) 555-1234", `it does not start with "+"`, ""},
		{"0044 20 7946 0958", `it does not start with "+"`, "+44 2079460958"},
		{"+", "the country code and the number are missing", ""},
		{"+x12", "the country code and the number are missing", ""},
		{"+ 5555551234", `the country code must come right after "+"`, ""},
		{"++1 5555551234", `"+" may appear only once, at the start`, "+1 5555551234"},
		{"+1 555+5551234", `"+" may appear only once, at the start`, ""},
		{"+0 5555551234", "the country code cannot start with 0", ""},
		{"+0044 2079460958", "the country code cannot start with 0", "+44 2079460958"},
		{"+001 5555551234", "the country code cannot start with 0", "+1 5555551234"},
		{"+9991234567", `"+9991234567" does not start with an assigned country code (ITU-T E.164), so where the country code ends is unknown: write a space after the country code`, ""},
		{"+1 555-CALL-NOW", `it contains the letter "C": write the number with the digits 0-9 only`, ""},
		{"+a1 5555551234", `it contains the letter "a"`, ""},
		{"+1 5555551234 extension 12", `it contains the letter "e"`, ""},
		{"+1 XXXXXXX234", "it is masked", ""},
		{"+1 ********34", "it is masked", ""},
		{"+1 5555551234x12x3", `it has two extensions ("x" and "x"): a number has at most one`, ""},
		{"+1 5555551234 ext. 12 x3", `it has two extensions ("ext." and "x")`, ""},
		{"+1 5555551234x", `the extension after "x" is missing`, ""},
		{"+1 5555551234 ext.", `the extension after "ext." is missing`, ""},
		{"+1 5555551234x1-2", `the extension "1-2" after "x" may contain only the digits 0-9`, ""},
		{"+1 5555551234x12345678901", `the extension "12345678901" has more than 10 digits`, ""},
		{"+1 ", `the number after the country code "1" is missing`, ""},
		{"+1", `the number after the country code "1" is missing`, ""},
		{"+1 123", `the number "123" after the country code "1" has 3 digits, fewer than 4`, ""},
		{"+1123", `the number "123" after the country code "1" has 3 digits, fewer than 4`, ""},
		{"+1 555555123456789", "country code and number have 16 digits, more than the 15 E.164 allows", ""},
		{"+1555555123456789", "country code and number have 16 digits, more than the 15 E.164 allows", ""},
		{"+1 (555 555-1234", "its parentheses do not pair up", "+1 5555551234"},
		{"+1 555) 555-1234", "its parentheses do not pair up", "+1 5555551234"},
		{"+44 (0)20 7946 0958", `"(0)" is a national trunk prefix, which is not dialled after the country code`, "+44 2079460958"},
		{"+1 ５５５５５５１２３４", `it contains "５", which is not one of the digits 0-9`, ""},
		{"+1\t5555551234", `it contains "\t", which is not a digit, a space, "-", ".", "(" or ")"`, "+1 5555551234"},
		{"+1\u00a05555551234", `it contains "\u00a0"`, "+1 5555551234"},
		{"+1 555/555/1234", `it contains "/"`, ""},
		{"+1 555\xff5551234", `it contains "\xff"`, ""},
	}
	for _, c := range cases {
		_, err := Parse(c.value)
		if err == nil {
			t.Errorf("Parse(%q) accepted a value that is not one number", c.value)
			continue
		}
		var fe *FormatError
		if !errors.As(err, &fe) {
			t.Fatalf("Parse(%q) error is %T", c.value, err)
		}
		msg := err.Error()
		for _, want := range []string{strconv.Quote(c.value) + " is not a phone number: ", c.problem, Rule, strconv.Quote(Example)} {
			if !strings.Contains(msg, want) {
				t.Errorf("Parse(%q) error %q lacks %q", c.value, msg, want)
			}
		}
		if fe.Suggestion != c.fix {
			t.Errorf("Parse(%q) suggests %q; want %q", c.value, fe.Suggestion, c.fix)
		}
		switch {
		case c.fix != "" && !strings.HasSuffix(msg, " Did you mean "+strconv.Quote(c.fix)+"?"):
			t.Errorf("Parse(%q) error %q does not end by suggesting %q", c.value, msg, c.fix)
		case c.fix == "" && strings.Contains(msg, "Did you mean"):
			t.Errorf("Parse(%q) error %q suggests a fix where none is clear", c.value, msg)
		}
		if _, ok := Canonical(c.value); ok {
			t.Errorf("Canonical(%q) is ok for a refused value", c.value)
		}
	}
}

func TestEqual(t *testing.T) {
	t.Parallel()
	cases := []struct {
		a, b string
		want bool
	}{
		{"+1 5555551234", "+1 5555551234", true},
		{"+1 5555551234", "+15555551234", true},
		{"+1 5555551234", "+1 555 555 1234", true},
		{"+1 5555551234", "+1 555-555-1234", true},
		{"+1 5555551234", "+1 (555) 555-1234", true},
		{"+44 2079460958", "+442079460958", true},
		{"+44 2079460958", "+44 20 7946 0958", true},
		{"+1 5555551234x12", "+1 5555551234X12", true},
		{"+1 5555551234x12", "+1 555-555-1234 ext. 12", true},
		{"+1 5555551234x12", "+15555551234 EXT 12", true},
		{"+1 5555551234", "+1 5555551235", false},
		{"+1 5555551234", "+44 5555551234", false},
		{"+1 5555551234", "+1 5555551234x1", false},
		{"+1 5555551234x1", "+1 5555551234x2", false},
		{"+1 555555123", "+1 5555551234", false},
		{"+12 3456789", "+1 23456789", false}, // the same digits, another country code
		{"+1 5555551234", "", false},
		{"garbage", "garbage", true},
		{"garbage", "Garbage", false},
		// Masked numbers as shown to Authentication Administrators never
		// equal a real number (SamePhone recognises them).
		{"+1 XXXXXXX234", "+1 5555551234", false},
	}
	for _, c := range cases {
		if got := Equal(c.a, c.b); got != c.want {
			t.Errorf("Equal(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
		if got := Equal(c.b, c.a); got != c.want {
			t.Errorf("Equal(%q, %q) = %v, want %v (symmetry)", c.b, c.a, got, c.want)
		}
	}
}

// TestCountryCodes: the ITU table is prefix-free (so an E.164 value splits
// one way), its codes are 1-3 digits not starting with 0, and it holds the
// zones' well-known codes but not spare ones.
func TestCountryCodes(t *testing.T) {
	t.Parallel()
	for code := range countryCodes {
		if len(code) < 1 || len(code) > maxCountryCodeDigits || code[0] < '1' || code[0] > '9' || strings.Trim(code, "0123456789") != "" {
			t.Errorf("country code %q is not 1-3 digits starting with 1-9", code)
		}
		for size := 1; size < len(code); size++ {
			if countryCodes[code[:size]] {
				t.Errorf("country code %q starts with the country code %q: the table must be prefix-free", code, code[:size])
			}
		}
	}
	for _, code := range []string{"1", "7", "20", "27", "44", "49", "86", "91", "211", "353", "383", "420", "688", "800", "886", "998"} {
		if !countryCodes[code] {
			t.Errorf("assigned country code %q is missing", code)
		}
	}
	for _, code := range []string{"0", "28", "210", "384", "422", "671", "693", "801", "969", "990", "999"} {
		if countryCodes[code] {
			t.Errorf("spare country code %q is listed", code)
		}
	}
}
