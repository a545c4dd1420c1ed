package validators

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
	"github.com/entraauth/terraform-provider-entraauth/internal/phonenumber"
)

// Quoted strings of the refusal's template. Values inside the message are
// written with %q, so an unescaped `example "` or `mean "` can only come
// from the template, never from the fuzzed value.
var (
	examplesRE   = regexp.MustCompile(`; for example ("(?:[^"\\]|\\.)*") or ("(?:[^"\\]|\\.)*")\.`)
	suggestionRE = regexp.MustCompile(`Did you mean ("(?:[^"\\]|\\.)*")\?`)
)

// FuzzPhoneNumber drives the validator the resource schema uses on
// phone_number, exactly as the framework calls it, and checks the promise
// plan-time validation makes:
//   - a value it accepts names one number: its canonical form, which the
//     provider sends on create and update, is accepted by the mock's Graph
//     rule, keeps the value's digits and is Equal to the value (so the
//     configured spelling kept in the state never shows a difference);
//   - a value it refuses gets one "Invalid phone number" error that quotes
//     the value and shows valid examples, and any "Did you mean" suggestion
//     is accepted by both the validator and the mock's rule and drops no
//     digit it does not have to (its digits are a subsequence of the
//     value's: only a dialling prefix such as "00" or "(0)" goes).
func FuzzPhoneNumber(f *testing.F) {
	// The committed corpus in testdata/fuzz/FuzzPhoneNumber holds the
	// interesting classes; these few keep the target meaningful without it.
	for _, seed := range []string{"+1 5555551234", "+15555551234", "+1 555-555-1234", "+44 (0)20 7946 0958", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, value string) {
		resp := &validator.StringResponse{}
		PhoneNumber().ValidateString(context.Background(), validator.StringRequest{
			Path: path.Root("phone_number"), PathExpression: path.MatchRoot("phone_number"), ConfigValue: types.StringValue(value),
		}, resp)
		if !resp.Diagnostics.HasError() {
			if len(resp.Diagnostics) != 0 {
				t.Fatalf("accepted %q with diagnostics %v", value, resp.Diagnostics)
			}
			canonical, ok := phonenumber.Canonical(value)
			if !ok {
				t.Fatalf("the validator accepts %q but it has no canonical form", value)
			}
			if !mockgraph.ValidPhoneNumber(canonical) {
				t.Fatalf("the provider accepts %q and sends %q, which Graph (the mock's rule) refuses", value, canonical)
			}
			if asciiDigits(canonical) != asciiDigits(value) {
				t.Fatalf("the provider accepts %q and sends %q, which changes the digits", value, canonical)
			}
			if !phonenumber.Equal(value, canonical) {
				t.Fatalf("accepted %q is not Equal to %q, the form sent to Graph", value, canonical)
			}
			return
		}
		if len(resp.Diagnostics) != 1 {
			t.Fatalf("refusal of %q has %d diagnostics; want 1: %v", value, len(resp.Diagnostics), resp.Diagnostics)
		}
		d := resp.Diagnostics[0]
		detail := d.Detail()
		if d.Summary() != "Invalid phone number" {
			t.Fatalf("refusal of %q has summary %q", value, d.Summary())
		}
		if !strings.HasPrefix(detail, strconv.Quote(value)+" is not a phone number: ") {
			t.Fatalf("refusal of %q does not start by quoting the value: %q", value, detail)
		}
		examples := examplesRE.FindStringSubmatch(detail)
		if examples == nil {
			t.Fatalf("refusal of %q shows no example: %q", value, detail)
		}
		for _, q := range examples[1:] {
			ex, err := strconv.Unquote(q)
			if err != nil || !mockgraph.ValidPhoneNumber(ex) {
				t.Fatalf("refusal of %q shows the example %s, which Graph (the mock's rule) refuses", value, q)
			}
		}
		if m := suggestionRE.FindAllStringSubmatch(detail, -1); len(m) > 0 {
			if len(m) > 1 {
				t.Fatalf("refusal of %q has %d suggestions: %q", value, len(m), detail)
			}
			fix, err := strconv.Unquote(m[0][1])
			if err != nil {
				t.Fatalf("refusal of %q: suggestion %s does not unquote: %v", value, m[0][1], err)
			}
			if !mockgraph.ValidPhoneNumber(fix) {
				t.Fatalf("refusal of %q suggests %q, which Graph (the mock's rule) refuses", value, fix)
			}
			again := &validator.StringResponse{}
			PhoneNumber().ValidateString(context.Background(), validator.StringRequest{Path: path.Root("phone_number"), ConfigValue: types.StringValue(fix)}, again)
			if again.Diagnostics.HasError() {
				t.Fatalf("refusal of %q suggests %q, which the validator itself refuses: %v", value, fix, again.Diagnostics)
			}
			if !isSubsequence(asciiDigits(fix), asciiDigits(value)) {
				t.Fatalf("refusal of %q suggests %q, which changes the digits", value, fix)
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
