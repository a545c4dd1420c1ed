package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestSMSSignInEnabledFromState(t *testing.T) {
	t.Parallel()
	tests := []struct {
		state string
		prior types.Bool
		want  types.Bool
	}{
		{"ready", types.BoolNull(), types.BoolValue(true)},
		{"ready", types.BoolValue(false), types.BoolValue(true)},
		{"notEnabled", types.BoolValue(true), types.BoolValue(false)},
		{"notAllowedByPolicy", types.BoolValue(true), types.BoolValue(false)},
		{"phoneNumberNotUnique", types.BoolValue(true), types.BoolValue(false)},
		{"notConfigured", types.BoolValue(true), types.BoolValue(false)},
		{"notSupported", types.BoolNull(), types.BoolValue(false)},
		{"unknownFutureValue", types.BoolValue(true), types.BoolValue(true)},
		{"unknownFutureValue", types.BoolValue(false), types.BoolValue(false)},
		{"unknownFutureValue", types.BoolNull(), types.BoolNull()},
		{"someNewState", types.BoolValue(true), types.BoolValue(true)},
		{"", types.BoolValue(false), types.BoolValue(false)},
		{"unknownFutureValue", types.BoolUnknown(), types.BoolNull()},
	}
	for _, tt := range tests {
		if got := smsSignInEnabledFromState(tt.state, tt.prior); !got.Equal(tt.want) {
			t.Errorf("smsSignInEnabledFromState(%q, %s) = %s; want %s", tt.state, tt.prior, got, tt.want)
		}
	}
}

// The table covers every smsSignInState Graph documents, and the docs table
// is rendered from it.
func TestSMSSignInStateTableComplete(t *testing.T) {
	t.Parallel()
	documented := []string{"notSupported", "notAllowedByPolicy", "notEnabled", "phoneNumberNotUnique", "ready", "notConfigured", "unknownFutureValue"}
	md := smsSignInStateMarkdownTable()
	for _, s := range documented {
		found := false
		for _, row := range smsSignInStateTable {
			found = found || row.State == s
		}
		if !found {
			t.Errorf("state %q is missing from smsSignInStateTable", s)
		}
		if !strings.Contains(md, "| `"+s+"` |") {
			t.Errorf("state %q is missing from the docs table:\n%s", s, md)
		}
	}
	if len(smsSignInStateTable) != len(documented) {
		t.Errorf("table has %d rows, Graph documents %d states", len(smsSignInStateTable), len(documented))
	}
	if !strings.Contains(md, "| `ready` | `true` |") || !strings.Contains(md, "| `notEnabled` | `false` |") {
		t.Errorf("docs table does not show the mapping:\n%s", md)
	}
}

func TestNumberForState(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		prior     types.String
		fromGraph string
		want      string
	}{
		{"same", types.StringValue("+1 5555551234"), "+1 5555551234", "+1 5555551234"},
		{"separators keep prior", types.StringValue("+1 5555551234"), "+1 555-555-1234", "+1 5555551234"},
		{"brackets keep prior", types.StringValue("+1 5555551234x12"), "+1 (555) 555 1234x12", "+1 5555551234x12"},
		{"changed number is drift", types.StringValue("+1 5555551234"), "+1 5555559999", "+1 5555559999"},
		{"changed extension is drift", types.StringValue("+1 5555551234x1"), "+1 5555551234x2", "+1 5555551234x2"},
		{"masked keeps prior", types.StringValue("+1 5555551234"), "+1 XXXXXXXX34", "+1 5555551234"},
		{"import canonicalises", types.StringNull(), "+1 555-555-1234", "+1 5555551234"},
		{"import canonical as is", types.StringNull(), "+44 2079460958x42", "+44 2079460958x42"},
		{"import unreadable as is", types.StringNull(), "555 1234", "555 1234"},
		{"changed with separators canonicalised", types.StringValue("+1 5555551234"), "+1 555-555-9999", "+1 5555559999"},
	}
	for _, tt := range tests {
		if got := numberForState(tt.prior, tt.fromGraph); got != tt.want {
			t.Errorf("%s: numberForState(%s, %q) = %q; want %q", tt.name, tt.prior, tt.fromGraph, got, tt.want)
		}
	}
}
