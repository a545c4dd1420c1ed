package graph

import "testing"

// A read after enable or disable that does not show the call yet is stale;
// a state that rules SMS sign-in out settles an enable (the caller explains it).
func TestSMSSignInSettled(t *testing.T) {
	t.Parallel()
	cases := []struct {
		state   string
		desired bool
		want    bool
	}{
		{SMSSignInStateReady, true, true},
		{SMSSignInStateNotEnabled, true, false}, // before the enable
		{SMSSignInStateNotConfigured, true, false},
		{SMSSignInStateNotAllowedByPolicy, true, true}, // a refusal, explained by the caller
		{SMSSignInStatePhoneNumberNotUnique, true, true},
		{SMSSignInStateNotSupported, true, true},
		{SMSSignInStateUnknownFutureValue, true, true}, // says nothing either way
		{SMSSignInStateNotEnabled, false, true},
		{SMSSignInStateReady, false, false}, // before the disable
		{SMSSignInStateNotAllowedByPolicy, false, true},
		{SMSSignInStateUnknownFutureValue, false, true},
	}
	for _, c := range cases {
		if got := smsSignInSettled(c.state, c.desired); got != c.want {
			t.Errorf("smsSignInSettled(%q, desired=%t) = %t; want %t", c.state, c.desired, got, c.want)
		}
	}
}
