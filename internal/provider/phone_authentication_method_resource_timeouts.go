package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
	"github.com/entraauth/terraform-provider-entraauth/internal/phonenumber"
)

// A write that ran out of its timeout may still have been applied by Graph
// (the response was slow or lost, not the write). Before reporting the
// timeout the provider reads the phone once more under a short grace
// period of its own, so the state records what Graph really holds and no
// phone is left in Graph that no state knows about.
var timeoutGracePeriod = 10 * time.Second

// operationTimedOut reports a Graph call that ended because the operation's
// deadline (the timeouts block) was reached. The client retries 429, 503,
// 504 and lost responses until that deadline, so one of those as the final
// error also means the time ran out.
func operationTimedOut(ctx context.Context, err error) bool {
	return ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) || graph.IsRetryable(err)
}

// graceContext outlives the operation's expired deadline by
// timeoutGracePeriod (Terraform's own cancellation is deliberately not
// inherited: the check is short and keeps the state honest).
func graceContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), timeoutGracePeriod)
}

// timeoutDetail is the common part of every timeout error: what did not
// finish, the limit, how to raise it, what Graph holds now, and the last
// Graph error (with its request-id).
func timeoutDetail(what, key string, limit time.Duration, outcome string, err error) string {
	return fmt.Sprintf("%s did not finish within %s (timeouts.%s): Microsoft Graph answered too slowly, did not answer, "+
		"or kept asking to retry later (throttled or unavailable) until the time ran out.\n\n%s\n\n"+
		"To allow more time, raise the limit in the resource's timeouts block, for example:\n  timeouts {\n    %s = \"10m\"\n  }\n\nLast Graph error: %s",
		what, limit, key, outcome, key, err)
}

// afterCreateTimeout explains a create that ran out of time and returns the
// phone when Graph did apply it with the requested number, so the caller
// saves it (Terraform then marks it tainted) instead of orphaning it.
func (r *phoneAuthenticationMethodResource) afterCreateTimeout(ctx context.Context, userID, phoneType, number string, limit time.Duration, err error) (*graph.PhoneMethod, diag.Diagnostics) {
	methodID, _ := graph.MethodIDForPhoneType(phoneType)
	gctx, cancel := graceContext(ctx)
	defer cancel()
	cur, gerr := r.client.GetPhoneMethod(gctx, userID, methodID, graph.WithNotFoundRetries(readBackNotFoundRetries))
	var found *graph.PhoneMethod
	var outcome string
	switch {
	case gerr == nil && phonenumber.Equal(cur.PhoneNumber, number):
		found = cur
		outcome = "Microsoft Graph did apply the create: the user now has this phone. It is saved in the state, so it is not lost; " +
			"Terraform marks it tainted and replaces it on the next apply (to keep it as it is instead, run terraform untaint with the resource address)."
	case gerr == nil:
		outcome = fmt.Sprintf("Microsoft Graph has a %s phone for the user with a different number (%q), which this resource did not create; nothing was saved in the state.", phoneType, cur.PhoneNumber)
	case graph.IsNotFound(gerr):
		outcome = "Microsoft Graph does not have the phone, so nothing was created. Run terraform apply again; " +
			"if Graph applies the slow create in the meantime, the next apply finds the phone with this number and adopts it instead of creating it twice."
	default:
		outcome = fmt.Sprintf("Whether Microsoft Graph applied the create could not be checked (%s). Run terraform apply again: "+
			"if Graph did apply it, the provider finds the phone with this number and adopts it instead of creating it twice.", gerr)
	}
	return found, errDiags("Timed out creating phone method",
		timeoutDetail(fmt.Sprintf("Creating the %s phone %q for user %q", phoneType, number, userID), "create", limit, outcome, err))
}

// afterUpdateTimeout explains a number change that ran out of time and
// returns the state to save: Graph's phone when it could be read (the new
// number if the PATCH was applied, else the old one), or the prior state.
func (r *phoneAuthenticationMethodResource) afterUpdateTimeout(ctx context.Context, prior, plan phoneAuthenticationMethodModel, limit time.Duration, err error) (phoneAuthenticationMethodModel, diag.Diagnostics) {
	userID, phoneType := prior.UserID.ValueString(), prior.PhoneType.ValueString()
	methodID, _ := graph.MethodIDForPhoneType(phoneType)
	gctx, cancel := graceContext(ctx)
	defer cancel()
	cur, gerr := r.client.GetPhoneMethod(gctx, userID, methodID)
	saved := prior
	var outcome string
	switch {
	case gerr == nil && phonenumber.Equal(cur.PhoneNumber, plan.PhoneNumber.ValueString()):
		saved.PhoneNumber = plan.PhoneNumber
		saved.SMSSignInState = types.StringValue(cur.SMSSignInState)
		saved.SMSSignInEnabled = smsSignInEnabledFromState(cur.SMSSignInState, prior.SMSSignInEnabled)
		outcome = "Microsoft Graph did apply the new number, and the state now holds it. Run terraform apply again for any other change planned with it (such as SMS sign-in)."
	case gerr == nil:
		saved.applyMethod(*cur)
		saved.SMSSignInEnabled = smsSignInEnabledFromState(cur.SMSSignInState, prior.SMSSignInEnabled)
		outcome = fmt.Sprintf("Microsoft Graph still has the number %q; the state keeps it. Run terraform apply again to change it.", cur.PhoneNumber)
	default:
		outcome = fmt.Sprintf("Whether Microsoft Graph applied the new number could not be checked (%s); the state keeps the old number. "+
			"The next plan reads the phone from Graph and shows what is left to change.", gerr)
	}
	return saved, errDiags("Timed out updating phone number",
		timeoutDetail(fmt.Sprintf("Changing the number of user %q's %s phone to %q", userID, phoneType, plan.PhoneNumber.ValueString()), "update", limit, outcome, err))
}

// deleteTimedOut explains a delete that ran out of time. Terraform keeps a
// resource whose delete failed in the state; the next refresh drops it if
// Graph did apply the delete, so only the message depends on the check.
func (r *phoneAuthenticationMethodResource) deleteTimedOut(ctx context.Context, userID, phoneType, methodID string, limit time.Duration, err error) diag.Diagnostics {
	gctx, cancel := graceContext(ctx)
	defer cancel()
	_, gerr := r.client.GetPhoneMethod(gctx, userID, methodID)
	var outcome string
	switch {
	case graph.IsNotFound(gerr):
		outcome = "Microsoft Graph did apply the delete: the phone is gone. Terraform keeps it in the state for now; the next plan or apply reads it, finds it gone and drops it without another delete."
	case gerr == nil:
		outcome = "Microsoft Graph still has the phone. Run terraform apply (or destroy) again to delete it."
	default:
		outcome = fmt.Sprintf("Whether Microsoft Graph applied the delete could not be checked (%s). The next plan or apply reads the phone and deletes it only if it is still there.", gerr)
	}
	return errDiags("Timed out deleting phone method",
		timeoutDetail(fmt.Sprintf("Deleting the %s phone of user %q", phoneType, userID), "delete", limit, outcome, err))
}

// smsSignInTimedOut explains an enableSmsSignIn or disableSmsSignIn that
// ran out of the create or update time limit; pm is Graph's phone as read
// afterwards, so the message and the saved state say what Graph holds.
func smsSignInTimedOut(userID string, pm graph.PhoneMethod, desired bool, err error) (summary, detail string) {
	verb := "disable"
	if desired {
		verb = "enable"
	}
	return "Timed out changing SMS sign-in",
		fmt.Sprintf("Microsoft Graph did not answer %sSmsSignIn for user %q's %s phone before the operation's time limit (timeouts.create or timeouts.update) ran out. "+
			"Graph now reports smsSignInState %q, which is what the state holds.\n\n"+
			"To allow more time, raise the limit in the resource's timeouts block (for example create = \"10m\" or update = \"10m\") and run terraform apply again.\n\nLast Graph error: %s",
			verb, userID, pm.PhoneType, pm.SMSSignInState, err)
}
