package graph

import (
	"context"
	"fmt"
)

// SMSSignInOutcome says how an enableSmsSignIn or disableSmsSignIn ended.
type SMSSignInOutcome int

const (
	// SMSSignInApplied: Graph answered 204 and the phone reads the change
	// (ready after enable; anything but ready after disable).
	SMSSignInApplied SMSSignInOutcome = iota + 1
	// SMSSignInAppliedUnconfirmed: Graph answered 204, but the phone could
	// not be read, or still read the state from before the call within the
	// read-after-write retries (replication lag). The answer is trusted:
	// Phone holds the state the call sets (ready or notEnabled).
	SMSSignInAppliedUnconfirmed
	// SMSSignInAcceptedNotUsable: Graph answered 204 to enable, yet the
	// phone reads a state that rules SMS sign-in out (notAllowedByPolicy,
	// phoneNumberNotUnique, notSupported).
	SMSSignInAcceptedNotUsable
	// SMSSignInRefused: Graph refused the call; Phone is read afterwards
	// (Read) so the refusal can be explained by its state.
	SMSSignInRefused
	// SMSSignInAppliedBeforeStop: the operation stopped (deadline or
	// interrupt) before Graph answered, yet the phone reads the change.
	SMSSignInAppliedBeforeStop
	// SMSSignInNotAppliedBeforeStop: it stopped and the phone does not
	// read the change.
	SMSSignInNotAppliedBeforeStop
	// SMSSignInUnknownBeforeStop: it stopped and the phone could not be read.
	SMSSignInUnknownBeforeStop
)

// Applied says whether Graph holds the SMS sign-in change.
func (o SMSSignInOutcome) Applied() Applied {
	switch o {
	case SMSSignInApplied, SMSSignInAppliedUnconfirmed, SMSSignInAppliedBeforeStop:
		return WriteApplied
	case SMSSignInAcceptedNotUsable, SMSSignInNotAppliedBeforeStop:
		return WriteNotApplied
	case SMSSignInRefused:
		return WriteNotApplied
	}
	return WriteUnknown
}

// SMSSignInChange is the outcome of SetSMSSignIn and the phone as Graph
// holds it afterwards: read from Graph when Read, else the phone passed in
// (with the state the call sets, when it was SMSSignInAppliedUnconfirmed).
type SMSSignInChange struct {
	How     SMSSignInOutcome
	Phone   PhoneMethod
	Read    bool
	ReadErr error
}

// SetSMSSignIn calls enableSmsSignIn (enable) or disableSmsSignIn on the
// phone and reads it back: the one place that decides whether Graph
// applied the change. before is the phone as last known, returned (with
// what the call sets) when Graph cannot be read. A refusal or a stop is
// returned with its error, together with the outcome.
func (c *Client) SetSMSSignIn(ctx context.Context, userID string, t PhoneType, enable bool, before PhoneMethod) (*SMSSignInChange, error) {
	if err := checkInput("set SMS sign-in", userID, t, nil); err != nil {
		return nil, err
	}
	var err error
	if enable {
		err = c.EnableSMSSignIn(ctx, userID, t)
	} else {
		err = c.DisableSMSSignIn(ctx, userID, t)
	}
	if err != nil {
		// Read the state so the refusal is explained by it (never by Graph's
		// message) and the caller saves what Graph really has; after a stop
		// under a grace period, as the call may have applied.
		stop := StopReasonOf(err)
		out := &SMSSignInChange{Phone: before}
		cur, gerr := c.readAfterWrite(ctx, err, userID, t)
		if gerr == nil {
			out.Phone, out.Read = *cur, true
		} else {
			out.ReadErr = gerr
		}
		switch {
		case stop == StoppedByAnswer:
			out.How = SMSSignInRefused
		case gerr != nil:
			out.How = SMSSignInUnknownBeforeStop
		case smsSignInShows(cur.SMSSignInState, enable):
			out.How = SMSSignInAppliedBeforeStop
		default:
			out.How = SMSSignInNotAppliedBeforeStop
		}
		return out, err
	}

	settled := func(pm PhoneMethod) bool { return smsSignInSettled(pm.SMSSignInState, enable) }
	cur, gerr := c.GetPhoneMethod(ctx, userID, t, WithNotFoundRetries(ReadAfterWriteRetries), WithExpected(settled))
	if gerr == nil && !settled(*cur) {
		gerr = fmt.Errorf("smsSignInState still read %q, the state from before the call", cur.SMSSignInState)
	}
	if gerr != nil {
		// The write succeeded; trust it rather than fail the apply.
		out := &SMSSignInChange{How: SMSSignInAppliedUnconfirmed, Phone: before, ReadErr: gerr}
		out.Phone.SMSSignInState = SMSSignInStateNotEnabled
		if enable {
			out.Phone.SMSSignInState = SMSSignInStateReady
		}
		return out, nil
	}
	out := &SMSSignInChange{How: SMSSignInApplied, Phone: *cur, Read: true}
	if enable && smsSignInRulesOut(cur.SMSSignInState) {
		out.How = SMSSignInAcceptedNotUsable
	}
	return out, nil
}

// smsSignInShows reports whether a state shows SMS sign-in as enable asks:
// ready when enabled, anything else when not.
func smsSignInShows(state string, enable bool) bool {
	return (state == SMSSignInStateReady) == enable
}

// smsSignInRulesOut reports a state that explains why an enable cannot
// take effect: the policy, another user's number, a phone type without SMS.
func smsSignInRulesOut(state string) bool {
	switch state {
	case SMSSignInStateNotAllowedByPolicy, SMSSignInStatePhoneNumberNotUnique, SMSSignInStateNotSupported:
		return true
	}
	return false
}

// smsSignInSettled reports whether a read after the call shows its effect,
// or after enable a state that rules SMS sign-in out; any other read is
// stale (eventual consistency). Unknown states after enable are not ready
// and not a refusal: they count as settled, so they are not retried.
func smsSignInSettled(state string, enable bool) bool {
	if !enable {
		return state != SMSSignInStateReady
	}
	if state == SMSSignInStateReady || smsSignInRulesOut(state) {
		return true
	}
	switch state {
	case SMSSignInStateNotEnabled, SMSSignInStateNotConfigured:
		return false
	}
	return true
}
