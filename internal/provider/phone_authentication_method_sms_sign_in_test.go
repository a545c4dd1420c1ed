package provider

import (
	"errors"
	"strings"
	"testing"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
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

func TestExplainSMSSignInFailure(t *testing.T) {
	t.Parallel()
	refused := &graph.Error{Operation: "enable SMS sign-in", StatusCode: 400, Code: "invalidRequest", Message: "whatever Graph says", RequestID: "req-123"}
	mobile := func(state string) graph.PhoneMethod {
		return graph.PhoneMethod{ID: "3179e48a-750b-4051-897c-87b9720928f7", PhoneType: "mobile", PhoneNumber: "+1 5555551234", SMSSignInState: state}
	}
	tests := []struct {
		name    string
		pm      graph.PhoneMethod
		desired bool
		err     error
		summary string
		detail  []string
	}{
		{"policy", mobile("notAllowedByPolicy"), true, refused, "SMS sign-in is not allowed by policy",
			[]string{`user "adele@contoso.com"`, "Authentication methods > Policies > SMS", "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/sms", "HTTP 400 invalidRequest", "request-id: req-123"}},
		{"not unique by state", mobile("phoneNumberNotUnique"), true, nil, "SMS sign-in number is not unique",
			[]string{"the number +1 XXXXXXXX34 is already used", "another user", `smsSignInState read back as "phoneNumberNotUnique"`}},
		{"not unique by refusal", mobile("notEnabled"), true, refused, "SMS sign-in number is not unique",
			[]string{"another user", "request-id: req-123"}},
		{"wrong type", graph.PhoneMethod{PhoneType: "office", SMSSignInState: "notSupported"}, true, refused, "SMS sign-in needs a mobile phone",
			[]string{`"office"`, "Remove sms_sign_in_enabled", "HTTP 400"}},
		{"other", mobile("ready"), false, &graph.Error{StatusCode: 403, Code: "Authorization_RequestDenied", RequestID: "r9"}, "Cannot disable SMS sign-in",
			[]string{"HTTP 403 Authorization_RequestDenied", "request-id: r9"}},
		{"message text is not used", mobile("notEnabled"), true, &graph.Error{StatusCode: 503, Message: "not allowed by policy"}, "Cannot enable SMS sign-in", nil},
	}
	for _, tt := range tests {
		summary, detail := explainSMSSignInFailure("adele@contoso.com", tt.pm, tt.desired, tt.err)
		if summary != tt.summary {
			t.Errorf("%s: summary %q; want %q", tt.name, summary, tt.summary)
		}
		for _, want := range tt.detail {
			if !strings.Contains(detail, want) {
				t.Errorf("%s: detail does not contain %q:\n%s", tt.name, want, detail)
			}
		}
	}
}

// TestSMSSignInEndedSaysWhatIsKnown: after a timed-out enable or disable,
// the message claims Graph's smsSignInState only when the phone was read
// afterwards; when that read failed it says the state is the one from
// before the call and that whether Graph applied it is not known.
func TestSMSSignInEndedSaysWhatIsKnown(t *testing.T) {
	t.Parallel()
	pm := graph.PhoneMethod{PhoneType: "mobile", SMSSignInState: graph.SMSSignInStateReady}
	callErr := errors.New("disable SMS sign-in: context deadline exceeded")
	_, read := smsSignInEnded(graph.StoppedByDeadline, "adele", pm, false, nil, callErr)
	if !strings.Contains(read, `Graph now reports smsSignInState "ready" (read afterwards)`) {
		t.Errorf("read succeeded:\n%s", read)
	}
	_, unread := smsSignInEnded(graph.StoppedByDeadline, "adele", pm, false, errors.New("get phone method: HTTP 503"), callErr)
	for _, want := range []string{"Whether Graph applied it is not known", "get phone method: HTTP 503", `keeps smsSignInState "ready" from before the call`} {
		if !strings.Contains(unread, want) {
			t.Errorf("read failed: lacks %q:\n%s", want, unread)
		}
	}
	if strings.Contains(unread, "Graph now reports") {
		t.Errorf("read failed but the message claims Graph's state:\n%s", unread)
	}
	summary, interrupted := smsSignInEnded(graph.StoppedByInterrupt, "adele", pm, true, nil, callErr)
	if summary != "Interrupted changing SMS sign-in" || !strings.Contains(interrupted, "enableSmsSignIn") || strings.Contains(interrupted, "timeouts.") {
		t.Errorf("interrupt: %s:\n%s", summary, interrupted)
	}
}

// TestMaskedNumber: the other user's number is shown as Graph masks it for
// restricted callers, country code and last two digits, no extension.
func TestMaskedNumber(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"+1 5555551234":     "+1 XXXXXXXX34",
		"+44 2079460958x42": "+44 XXXXXXXX58",
		"+15555551234":      "+1 XXXXXXXX34",
		"+1 5":              "+1 5",
	} {
		if got := maskedNumber(in); got != want {
			t.Errorf("maskedNumber(%q) = %q, want %q", in, got, want)
		}
	}
}
