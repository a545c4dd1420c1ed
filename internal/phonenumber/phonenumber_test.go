package phonenumber

import (
	"strconv"
	"strings"
	"testing"
)

func TestParseAccepts(t *testing.T) {
	for _, v := range []string{
		"+1 5555551234",
		"+1 5555551234x123",
		"+44 2079460958",
		"+353 1234567",
		"+1 5555x1",
		"+1 55555512345678", // 1 + 14 digits = 15
		"+1 5555551234x1234567890",
	} {
		n, err := Parse(v)
		if err != nil {
			t.Errorf("Parse(%q) = %v, want ok", v, err)
			continue
		}
		if n.String() != v {
			t.Errorf("Parse(%q).String() = %q, want the input back", v, n.String())
		}
	}
}

func TestParseRejects(t *testing.T) {
	cases := []struct {
		value   string
		problem string
		fix     string
	}{
		{"", "empty", ""},
		{"15555551234", `must start with "+"`, ""},
		{"+15555551234", "one space between", "+1 5555551234"},
		{"+442079460958", "one space between", "+44 2079460958"},
		{"+15555551234x12", "one space between", "+1 5555551234x12"},
		{"+1 (555) 555-1234", "only the digits 0-9", "+1 5555551234"},
		{"+44 20 7946 0958", "only the digits 0-9", "+44 2079460958"},
		{"+1 5555551234 ext. 12", `the number and extension "5555551234 ext. 12" may contain only the digits 0-9 and one "x"`, "+1 5555551234x12"},
		{"+1234 5555551234", "more than 3 digits", ""},
		{"+0 5555551234", "cannot start with 0", ""},
		{"+a1 5555551234", "country code must be the digits 0-9", ""},
		{"+", "country code and the number are missing", ""},
		{" +1 5555551234", "leading or trailing whitespace", "+1 5555551234"},
		{"+1 5555551234\n", "leading or trailing whitespace", "+1 5555551234"},
		{"+1 ５５５５５５１２３４", "only the digits 0-9", ""},
		{"+1 ", "missing", ""},
		{"+1 123", "shorter than 4", ""},
		{"+1 555555123456789", "more than the 15", ""},
		{"+1 5555551234x", `the extension after "x" is missing`, ""},
		{"+1 5555551234xab", `the extension "ab" after "x" may contain only the digits 0-9`, ""},
		{"+1 5555551234x12345678901", "more than 10 digits", ""},
		{"+1  5555551234", "only the digits 0-9", "+1 5555551234"},
	}
	for _, c := range cases {
		_, err := Parse(c.value)
		if err == nil {
			t.Errorf("Parse(%q) accepted an invalid value", c.value)
			continue
		}
		msg := err.Error()
		for _, want := range []string{c.problem, Example, `"+{country code} {number}"`} {
			if !strings.Contains(msg, want) {
				t.Errorf("Parse(%q) error %q lacks %q", c.value, msg, want)
			}
		}
		if c.value != "" && !strings.Contains(msg, strconv.Quote(c.value)) {
			t.Errorf("Parse(%q) error does not quote the value: %q", c.value, msg)
		}
		switch {
		case c.fix != "" && !strings.Contains(msg, "Did you mean \""+c.fix+"\"?"):
			t.Errorf("Parse(%q) error %q does not suggest %q", c.value, msg, c.fix)
		case c.fix == "" && strings.Contains(msg, "Did you mean"):
			t.Errorf("Parse(%q) error %q suggests a fix where none is clear", c.value, msg)
		}
	}
}

func TestEqual(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{"+1 5555551234", "+1 5555551234", true},
		{"+1 5555551234", "+1 555 555 1234", true},
		{"+1 5555551234", "+1 (555) 555-1234", true},
		{"+1 5555551234x12", "+1 5555551234X12", true},
		{"+1 5555551234x12", "+1 555-555-1234 ext. 12", true},
		{"+1 5555551234", "+1 5555551235", false},
		{"+1 5555551234", "+44 5555551234", false},
		{"+1 5555551234", "+1 5555551234x1", false},
		{"+1 5555551234x1", "+1 5555551234x2", false},
		{"+1 555555123", "+1 5555551234", false},
		{"+1 5555551234", "", false},
		{"garbage", "garbage", true},
		{"garbage", "Garbage", false},
		// Masked numbers as shown to Authentication Administrators never
		// equal a real number.
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
