package validators

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func validate(v validator.String, value types.String) []string {
	resp := &validator.StringResponse{}
	v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("x"), ConfigValue: value}, resp)
	var out []string
	for _, d := range resp.Diagnostics.Errors() {
		out = append(out, d.Summary()+": "+d.Detail())
	}
	return out
}

func TestPhoneNumber(t *testing.T) {
	t.Parallel()
	for _, ok := range []types.String{types.StringValue("+1 5555551234"), types.StringValue("+44 2079460958x42"), types.StringValue("+15555551234"),
		types.StringValue("+1 (555) 555-1234 ext. 12"), types.StringNull(), types.StringUnknown()} {
		if errs := validate(PhoneNumber(), ok); len(errs) != 0 {
			t.Errorf("%s: unexpected errors %v", ok, errs)
		}
	}
	tests := []struct {
		value string
		want  []string
	}{
		{"+44 (0)20 7946 0958", []string{`"+44 (0)20 7946 0958"`, "trunk prefix", "+1 5555551234", `Did you mean "+44 2079460958"?`}},
		{"+1 555-CALL-NOW", []string{`the letter "C"`}},
		{"5555551234", []string{`does not start with "+"`, "+1 5555551234x123"}},
		{"", []string{"empty"}},
	}
	for _, tt := range tests {
		errs := validate(PhoneNumber(), types.StringValue(tt.value))
		if len(errs) != 1 {
			t.Errorf("%q: %d errors; want 1", tt.value, len(errs))
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(errs[0], w) {
				t.Errorf("%q: error %q does not contain %q", tt.value, errs[0], w)
			}
		}
	}
}

func TestUserID(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"adele@contoso.com", "00000000-0000-0000-0000-000000000001"} {
		if errs := validate(UserID(), types.StringValue(ok)); len(errs) != 0 {
			t.Errorf("%q: unexpected errors %v", ok, errs)
		}
	}
	for value, want := range map[string]string{"": "empty", " adele@contoso.com": "spaces", "a/b": `contains "/"`, "..": "path segments", ".": "path segments"} {
		errs := validate(UserID(), types.StringValue(value))
		if len(errs) != 1 || !strings.Contains(errs[0], want) || !strings.Contains(errs[0], "adele@contoso.com") {
			t.Errorf("%q: errors %v; want one containing %q and an example", value, errs, want)
		}
	}
}

func TestTimeout(t *testing.T) {
	t.Parallel()
	for _, ok := range []types.String{types.StringValue("1ns"), types.StringValue("30s"), types.StringValue("1h30m"), types.StringNull(), types.StringUnknown()} {
		if errs := validate(Timeout(), ok); len(errs) != 0 {
			t.Errorf("%s: unexpected errors %v", ok, errs)
		}
	}
	for value, want := range map[string]string{
		"0s": "must be longer than zero", "-1m": "must be longer than zero", "0": "must be longer than zero",
		"": "is not a duration", "5 minutes": "is not a duration", "10": "is not a duration",
	} {
		errs := validate(Timeout(), types.StringValue(value))
		if len(errs) != 1 || !strings.Contains(errs[0], want) || !strings.Contains(errs[0], `"10m"`) {
			t.Errorf("%q: errors %v; want one containing %q and an example", value, errs, want)
		}
	}
}

// TestTimeoutsBlock: every attribute of the timeouts package's block gets
// Timeout as its only validator (a silent no-op here would drop the check).
func TestTimeoutsBlock(t *testing.T) {
	t.Parallel()
	b, ok := TimeoutsBlock(timeouts.BlockAll(context.Background())).(schema.SingleNestedBlock)
	if !ok || len(b.Attributes) != 4 {
		t.Fatalf("TimeoutsBlock returned %T with %d attributes", b, len(b.Attributes))
	}
	for name, a := range b.Attributes {
		s, ok := a.(schema.StringAttribute)
		if !ok || len(s.Validators) != 1 || s.Validators[0] != Timeout() {
			t.Errorf("%s: validators %v", name, s.Validators)
		}
	}
}

func TestEmailAddress(t *testing.T) {
	for _, ok := range []string{"adele.vance@contoso.com", "a@b.co", "first+tag@sub.example.org", "x_y@xn--bcher-kva.example"} {
		if p := EmailAddressProblem(ok); p != "" {
			t.Errorf("%q refused: %s", ok, p)
		}
	}
	for _, bad := range []string{"", " a@b.com", "adele", "a@b", "@contoso.com", "a@@contoso.com", "Adele <a@contoso.com>", "a b@contoso.com", "a@-contoso.com", "a@contoso..com", "a@contoso.com.", "a@con_toso.com"} {
		if p := EmailAddressProblem(bad); p == "" {
			t.Errorf("%q accepted", bad)
		}
	}
}
