package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

// readBackNotFoundRetries is how many 404s a read right after a write
// tolerates: Entra is eventually consistent and may not show the write yet.
const readBackNotFoundRetries = 3

// smsSignInOutcome is the phone as Graph reports it after an SMS sign-in
// change, and the sms_sign_in_enabled to store.
type smsSignInOutcome struct {
	Method  graph.PhoneMethod
	Enabled types.Bool
	// Read is set when Method was read from Graph after the call failed,
	// so its smsSignInState is known rather than the one from before.
	Read bool
}

// setSMSSignIn calls enableSmsSignIn or disableSmsSignIn and reads the
// phone back once. Unless force is set, no call is made when Graph's state
// (from the write that preceded, e.g. create's response) already matches.
// On failure the outcome still holds Graph's state, so callers save it.
func (r *phoneAuthenticationMethodResource) setSMSSignIn(ctx context.Context, userID string, pm graph.PhoneMethod, desired, force bool, prior types.Bool) (smsSignInOutcome, diag.Diagnostics) {
	var diags diag.Diagnostics
	want := smsSignInFalse
	if desired {
		want = smsSignInTrue
	}
	if !force && smsSignInMappingOf(pm.SMSSignInState) == want {
		return smsSignInOutcome{Method: pm, Enabled: types.BoolValue(desired)}, nil
	}

	var err error
	if desired {
		err = r.client.EnableSMSSignIn(ctx, userID, pm.ID)
	} else {
		err = r.client.DisableSMSSignIn(ctx, userID, pm.ID)
	}
	if err != nil {
		// Read the state to explain the refusal (branching on state, never on
		// Graph's message) and so the caller saves what Graph really has;
		// after a timeout or interrupt under a grace period, as the call may
		// have applied.
		end := operationEnded(ctx, err)
		rctx := ctx
		if end != endedByGraph {
			var cancel context.CancelFunc
			rctx, cancel = graceContext(ctx, end)
			defer cancel()
		}
		cur, gerr := r.client.GetPhoneMethod(rctx, userID, pm.ID)
		if gerr == nil {
			pm = *cur
		}
		summary, detail := explainSMSSignInFailure(userID, pm, desired, err)
		if end != endedByGraph {
			summary, detail = smsSignInEnded(end, userID, pm, desired, gerr, err)
		}
		diags.AddAttributeError(pathSMSSignInEnabled, summary, detail)
		return smsSignInOutcome{Method: pm, Enabled: smsSignInEnabledFromState(pm.SMSSignInState, prior), Read: gerr == nil}, diags
	}

	settled := func(m graph.PhoneMethod) bool { return smsSignInSettled(m, desired) }
	cur, gerr := r.client.GetPhoneMethod(ctx, userID, pm.ID, graph.WithNotFoundRetries(readBackNotFoundRetries), graph.WithExpected(settled))
	if gerr == nil && !settled(*cur) {
		gerr = fmt.Errorf("smsSignInState still read %q, the state from before the call", cur.SMSSignInState)
	}
	if gerr != nil {
		// The write succeeded; trust it rather than fail the apply.
		pm.SMSSignInState = graph.SMSSignInStateNotEnabled
		if desired {
			pm.SMSSignInState = graph.SMSSignInStateReady
		}
		diags.AddWarning("Could not read back the phone method",
			fmt.Sprintf("SMS sign-in was changed for user %q, but reading the phone back failed, so sms_sign_in_state is assumed to be %q until the next refresh: %s", userID, pm.SMSSignInState, gerr))
		return smsSignInOutcome{Method: pm, Enabled: types.BoolValue(desired)}, diags
	}
	pm = *cur
	if desired {
		switch pm.SMSSignInState {
		case graph.SMSSignInStateNotAllowedByPolicy, graph.SMSSignInStatePhoneNumberNotUnique, graph.SMSSignInStateNotSupported:
			// Graph accepted the call but the number still cannot be used.
			summary, detail := explainSMSSignInFailure(userID, pm, desired, nil)
			diags.AddAttributeError(pathSMSSignInEnabled, summary, detail)
			return smsSignInOutcome{Method: pm, Enabled: types.BoolValue(false)}, diags
		}
	}
	// Any other state right after a successful call is a stale read
	// (eventual consistency): the write's own result is trusted.
	return smsSignInOutcome{Method: pm, Enabled: types.BoolValue(desired)}, diags
}

// smsSignInSettled reports whether a read after enableSmsSignIn or
// disableSmsSignIn shows the call's effect, or after enable a state that
// explains a refusal; any other read is stale (eventual consistency).
func smsSignInSettled(pm graph.PhoneMethod, desired bool) bool {
	switch {
	case !desired:
		return smsSignInMappingOf(pm.SMSSignInState) != smsSignInTrue
	case pm.SMSSignInState == graph.SMSSignInStateNotAllowedByPolicy, pm.SMSSignInState == graph.SMSSignInStatePhoneNumberNotUnique, pm.SMSSignInState == graph.SMSSignInStateNotSupported:
		return true
	}
	return smsSignInMappingOf(pm.SMSSignInState) != smsSignInFalse
}

// explainSMSSignInFailure turns a refused SMS sign-in change into a message
// an administrator can act on. It branches on smsSignInState and the HTTP
// status only; err (nil when Graph accepted the call but the state shows a
// refusal) carries status, code and request-id.
func explainSMSSignInFailure(userID string, pm graph.PhoneMethod, desired bool, err error) (summary, detail string) {
	verb := "disable"
	if desired {
		verb = "enable"
	}
	graphPart := fmt.Sprintf("smsSignInState read back as %q after %sSmsSignIn succeeded.", pm.SMSSignInState, verb)
	if err != nil {
		graphPart = "Microsoft Graph: " + err.Error()
		if pm.SMSSignInState != "" {
			graphPart += fmt.Sprintf("\nsmsSignInState is %q.", pm.SMSSignInState)
		}
	}
	switch {
	case pm.SMSSignInState == graph.SMSSignInStateNotSupported:
		return "SMS sign-in needs a mobile phone",
			fmt.Sprintf("Cannot %s SMS sign-in for user %q: the phone is %q, and Microsoft Graph supports SMS sign-in only on the user's mobile phone (alternateMobile and office phones are voice only). Remove sms_sign_in_enabled from this resource.\n\n%s",
				verb, userID, pm.PhoneType, graphPart)
	case desired && pm.SMSSignInState == graph.SMSSignInStateNotAllowedByPolicy:
		return "SMS sign-in is not allowed by policy",
			fmt.Sprintf("Cannot enable SMS sign-in for user %q: the tenant's SMS authentication method policy does not allow this user to use SMS for sign-in (smsSignInState = notAllowedByPolicy).\n\n"+
				"To allow it, in the Microsoft Entra admin center open Protection > Authentication methods > Policies > SMS, enable the method, and include the user (directly or through a group) with \"Use for sign-in\" selected, with no exclusion covering them. "+
				"In Microsoft Graph this is the policy at /policies/authenticationMethodsPolicy/authenticationMethodConfigurations/sms (state \"enabled\", an includeTargets entry for the user with isUsableForSignIn = true). "+
				"Otherwise remove sms_sign_in_enabled or set it to false.\n\n%s", userID, graphPart)
	case desired && (pm.SMSSignInState == graph.SMSSignInStatePhoneNumberNotUnique ||
		(pm.SMSSignInState == graph.SMSSignInStateNotEnabled && graph.IsBadRequest(err))):
		// notEnabled after a 400 while the policy allows the user: Graph's
		// remaining documented reason is a number another user registered.
		return "SMS sign-in number is not unique",
			fmt.Sprintf("Cannot enable SMS sign-in for user %q: the number %q is already used for SMS sign-in by another user in the tenant, and Microsoft Graph requires SMS sign-in numbers to be unique. "+
				"Give this user a different mobile number, disable SMS sign-in for the other user, or set sms_sign_in_enabled to false.\n\n%s", userID, pm.PhoneNumber, graphPart)
	}
	return fmt.Sprintf("Cannot %s SMS sign-in", verb),
		fmt.Sprintf("Microsoft Graph refused to %s SMS sign-in for user %q's %s phone. Enabling needs a mobile phone, a user allowed by the SMS authentication method policy, and a number unique in the tenant; it is not available in the China cloud.\n\n%s",
			verb, userID, pm.PhoneType, graphPart)
}
