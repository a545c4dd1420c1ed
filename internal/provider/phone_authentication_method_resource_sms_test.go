package provider

import (
	"strings"
	"testing"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

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
			[]string{`"+1 5555551234"`, "another user", `smsSignInState read back as "phoneNumberNotUnique"`}},
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
