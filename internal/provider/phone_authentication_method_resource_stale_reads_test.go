package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

// The checks that tell a stale read (Entra not showing a write yet) from
// the written value; a wrong answer either stores the old value or waits
// for a value that never comes.

func TestSMSSignInSettled(t *testing.T) {
	t.Parallel()
	cases := []struct {
		state   string
		desired bool
		want    bool
	}{
		{graph.SMSSignInStateReady, true, true},
		{graph.SMSSignInStateNotEnabled, true, false}, // before the enable
		{graph.SMSSignInStateNotConfigured, true, false},
		{graph.SMSSignInStateNotAllowedByPolicy, true, true}, // a refusal, explained by the caller
		{graph.SMSSignInStatePhoneNumberNotUnique, true, true},
		{graph.SMSSignInStateNotSupported, true, true},
		{graph.SMSSignInStateUnknownFutureValue, true, true}, // says nothing either way
		{graph.SMSSignInStateNotEnabled, false, true},
		{graph.SMSSignInStateReady, false, false}, // before the disable
		{graph.SMSSignInStateNotAllowedByPolicy, false, true},
		{graph.SMSSignInStateUnknownFutureValue, false, true},
	}
	for _, c := range cases {
		if got := smsSignInSettled(graph.PhoneMethod{SMSSignInState: c.state}, c.desired); got != c.want {
			t.Errorf("smsSignInSettled(%q, desired=%t) = %t; want %t", c.state, c.desired, got, c.want)
		}
	}
}

func TestStateShowsRead(t *testing.T) {
	t.Parallel()
	state := phoneAuthenticationMethodModel{PhoneNumber: types.StringValue("+1 5555551234"), SMSSignInState: types.StringValue(graph.SMSSignInStateReady)}
	cases := []struct {
		name string
		read graph.PhoneMethod
		want bool
	}{
		{"same", graph.PhoneMethod{PhoneNumber: "+1 5555551234", SMSSignInState: graph.SMSSignInStateReady}, true},
		{"respelled number", graph.PhoneMethod{PhoneNumber: "+1 555-555-1234", SMSSignInState: graph.SMSSignInStateReady}, true},
		{"masked number", graph.PhoneMethod{PhoneNumber: "+1 XXXXXXXX34", SMSSignInState: graph.SMSSignInStateReady}, true},
		{"old number", graph.PhoneMethod{PhoneNumber: "+1 5555559999", SMSSignInState: graph.SMSSignInStateReady}, false},
		{"old SMS state", graph.PhoneMethod{PhoneNumber: "+1 5555551234", SMSSignInState: graph.SMSSignInStateNotEnabled}, false},
	}
	for _, c := range cases {
		if got := state.shows(c.read); got != c.want {
			t.Errorf("%s: shows(%+v) = %t; want %t", c.name, c.read, got, c.want)
		}
	}
	noSMS := phoneAuthenticationMethodModel{PhoneNumber: types.StringValue("+1 5555551234"), SMSSignInState: types.StringNull()}
	if !noSMS.shows(graph.PhoneMethod{PhoneNumber: "+1 5555551234", SMSSignInState: graph.SMSSignInStateNotSupported}) {
		t.Error("a state without sms_sign_in_state must accept any smsSignInState")
	}
}
