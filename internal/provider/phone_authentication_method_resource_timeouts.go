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

// A write that ran out of its timeout, or that Terraform interrupted, may
// still have been applied by Graph (the response was slow or lost, not the
// write). Before reporting it the provider reads the phone once more under
// a short grace period of its own, so the state records what Graph really
// holds and no phone is left in Graph that no state knows about.
var (
	timeoutGracePeriod = 10 * time.Second
	// After an interrupt (Ctrl-C) Terraform waits for the provider, but the
	// operator is waiting too: the check is kept shorter.
	interruptGracePeriod = 5 * time.Second
)

// operationEnd says why a Graph call ended without a usable answer.
type operationEnd int

const (
	// endedByGraph: Graph answered with an error that is reported as it is.
	endedByGraph operationEnd = iota
	// endedByTimeout: the operation's deadline (the timeouts block) passed.
	endedByTimeout
	// endedByInterrupt: Terraform cancelled the operation (Ctrl-C, SIGINT).
	endedByInterrupt
)

// operationEnded classifies a failed Graph call. The client retries 429,
// 503, 504 and lost responses until the deadline, so one of those as the
// final error also means the time ran out. A cancelled context is an
// interrupt, not a timeout: the error must not blame the timeouts block.
func operationEnded(ctx context.Context, err error) operationEnd {
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		return endedByInterrupt
	case ctx.Err() != nil, errors.Is(err, context.DeadlineExceeded), graph.IsRetryable(err):
		return endedByTimeout
	case errors.Is(err, context.Canceled):
		return endedByInterrupt
	}
	return endedByGraph
}

// graceContext outlives the operation's expired deadline, or Terraform's
// interrupt, by a grace period (Terraform's own cancellation is deliberately
// not inherited: the check is short and keeps the state honest).
func graceContext(ctx context.Context, end operationEnd) (context.Context, context.CancelFunc) {
	period := timeoutGracePeriod
	if end == endedByInterrupt {
		period = interruptGracePeriod
	}
	return context.WithTimeout(context.WithoutCancel(ctx), period)
}

// endedSummary is the error summary, e.g. "Timed out creating phone method".
func endedSummary(end operationEnd, doing string) string {
	if end == endedByInterrupt {
		return "Interrupted " + doing
	}
	return "Timed out " + doing
}

// endedDetail is the common part of every timeout or interrupt error: what
// did not finish, why, what Graph holds now, what to do, and the last
// Graph error (with its request-id).
func endedDetail(end operationEnd, what, key string, limit time.Duration, outcome string, err error) string {
	if end == endedByInterrupt {
		return interruptDetail(what, outcome, err)
	}
	return timeoutDetail(what, key, limit, outcome, err)
}

// timeoutDetail names the limit that ran out and how to raise it.
func timeoutDetail(what, key string, limit time.Duration, outcome string, err error) string {
	return fmt.Sprintf("%s did not finish within %s (timeouts.%s): Microsoft Graph answered too slowly, did not answer, "+
		"or kept asking to retry later (throttled or unavailable) until the time ran out.\n\n%s\n\n"+
		"To allow more time, raise the limit in the resource's timeouts block, for example:\n  timeouts {\n    %s = \"10m\"\n  }\n\nLast Graph error: %s",
		what, limit, key, outcome, key, err)
}

// interruptDetail says the request was in flight when Terraform stopped.
func interruptDetail(what, outcome string, err error) string {
	return fmt.Sprintf("%s was interrupted: Terraform was asked to stop (for example with Ctrl-C) while the request to Microsoft Graph was in flight, "+
		"so Graph may or may not have applied it.\n\n%s\n\n"+
		"The next terraform plan or apply reads the phone from Graph and reconciles the state with what Graph holds.\n\nLast Graph error: %s",
		what, outcome, err)
}

// lockWaitEnded explains a wait for the user's lock (held by this
// provider's other operations on the same user) that ended before anything
// was sent to Graph for this resource.
func lockWaitEnded(ctx context.Context, err error, doing, key, userID string) diag.Diagnostics {
	if operationEnded(ctx, err) == endedByInterrupt {
		return errDiags("Interrupted waiting to "+doing,
			fmt.Sprintf("Terraform was asked to stop (for example with Ctrl-C) while this resource waited for other operations on user %q to finish; nothing was sent to Microsoft Graph for it.", userID))
	}
	return errDiags("Timed out waiting to "+doing,
		fmt.Sprintf("Other operations on user %q did not finish within timeouts.%s: %s", userID, key, err))
}

// untaintHint tells how to keep a saved, tainted phone instead of having the
// next apply delete and re-create it. The framework's request does not carry
// the resource address, so the command is given in general form.
const untaintHint = "To keep it as it is instead, run terraform untaint on this resource (terraform untaint <resource address>)."

// afterCreateEnded explains a create that ran out of time or was
// interrupted, and returns the phone when Graph did apply it with the
// requested number, so the caller saves it (Terraform then marks it
// tainted) instead of orphaning it. sms is the configured
// sms_sign_in_enabled (null when not managed).
func (r *phoneAuthenticationMethodResource) afterCreateEnded(ctx context.Context, end operationEnd, userID, phoneType, number string, sms types.Bool, limit time.Duration, err error) (*graph.PhoneMethod, diag.Diagnostics) {
	methodID, _ := graph.MethodIDForPhoneType(phoneType)
	gctx, cancel := graceContext(ctx, end)
	defer cancel()
	cur, gerr := r.client.GetPhoneMethod(gctx, userID, methodID, graph.WithNotFoundRetries(readBackNotFoundRetries))
	var found *graph.PhoneMethod
	var outcome string
	switch {
	case gerr == nil && phonenumber.SamePhone(number, cur.PhoneNumber):
		found = cur
		outcome = createdOutcome(*cur, number, sms)
	case gerr == nil:
		outcome = fmt.Sprintf("Microsoft Graph has a %s phone for the user with a different number (%q), which this resource did not create; nothing was saved in the state.", phoneType, cur.PhoneNumber)
	case graph.IsNotFound(gerr):
		outcome = "Microsoft Graph does not have the phone, so nothing was created. Run terraform apply again; " +
			"if Graph applies the slow create in the meantime, the next apply finds the phone with this number and adopts it instead of creating it twice."
	default:
		outcome = fmt.Sprintf("Whether Microsoft Graph applied the create could not be checked (%s). Run terraform apply again: "+
			"if Graph did apply it, the provider finds the phone with this number and adopts it instead of creating it twice.", gerr)
	}
	return found, errDiags(endedSummary(end, "creating phone method"),
		endedDetail(end, fmt.Sprintf("Creating the %s phone %q for user %q", phoneType, number, userID), "create", limit, outcome, err))
}

// createdOutcome describes a phone Graph created although the create did not
// finish: saved and tainted, and whether untainting keeps what was configured.
func createdOutcome(cur graph.PhoneMethod, number string, sms types.Bool) string {
	const saved = "It is saved in the state, so it is not lost; Terraform marks it tainted, so the next apply deletes and re-creates the user's phone."
	smsAsConfigured := sms.IsNull() || sms.IsUnknown() || smsSignInMappingOf(cur.SMSSignInState) == smsSignInWant(sms.ValueBool())
	switch {
	case !smsAsConfigured:
		return fmt.Sprintf("Microsoft Graph did apply the create: the user now has this phone, but SMS sign-in is not as configured yet (smsSignInState %q). %s "+
			"To keep the phone instead, run terraform untaint on this resource (terraform untaint <resource address>); the next apply then only changes SMS sign-in.", cur.SMSSignInState, saved)
	case phonenumber.Equal(number, cur.PhoneNumber):
		return "Microsoft Graph did apply the create and holds exactly what was configured: the user now has this phone. " + saved + " " + untaintHint
	default:
		return fmt.Sprintf("Microsoft Graph did apply the create: the user now has this phone, shown masked as %q (the caller may see only the last digits), and those digits match the configured number. %s %s",
			cur.PhoneNumber, saved, untaintHint)
	}
}

// smsSignInWant is the mapping sms_sign_in_enabled = desired asks for.
func smsSignInWant(desired bool) smsSignInMapping {
	if desired {
		return smsSignInTrue
	}
	return smsSignInFalse
}

// afterUpdateEnded explains a number change that ran out of time or was
// interrupted, and returns the state to save: Graph's phone when it could be
// read (the new number if the PATCH was applied, else the old one), or the
// prior state.
func (r *phoneAuthenticationMethodResource) afterUpdateEnded(ctx context.Context, end operationEnd, prior, plan phoneAuthenticationMethodModel, limit time.Duration, err error) (phoneAuthenticationMethodModel, diag.Diagnostics) {
	userID, phoneType := prior.UserID.ValueString(), prior.PhoneType.ValueString()
	methodID, _ := graph.MethodIDForPhoneType(phoneType)
	gctx, cancel := graceContext(ctx, end)
	defer cancel()
	cur, gerr := r.client.GetPhoneMethod(gctx, userID, methodID)
	saved := prior
	var outcome string
	// A masked number (Authentication Administrator callers) whose visible
	// digits fit both numbers cannot tell whether the PATCH applied.
	showsNew := gerr == nil && phonenumber.SamePhone(plan.PhoneNumber.ValueString(), cur.PhoneNumber)
	showsOld := gerr == nil && phonenumber.SamePhone(prior.PhoneNumber.ValueString(), cur.PhoneNumber)
	switch {
	case showsNew && showsOld && phonenumber.IsMasked(cur.PhoneNumber):
		outcome = fmt.Sprintf("Microsoft Graph shows the number masked (%q), which fits both the old and the new number, so whether it applied the change is not known; the state keeps the old number. "+
			"The next apply sends the new number again, which is harmless if Graph already has it.", cur.PhoneNumber)
	case showsNew:
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
	return saved, errDiags(endedSummary(end, "updating phone number"),
		endedDetail(end, fmt.Sprintf("Changing the number of user %q's %s phone to %q", userID, phoneType, plan.PhoneNumber.ValueString()), "update", limit, outcome, err))
}

// deleteEnded explains a delete that ran out of time or was interrupted.
// Terraform keeps a resource whose delete failed in the state; the next
// refresh drops it if Graph did apply the delete, so only the message
// depends on the check.
func (r *phoneAuthenticationMethodResource) deleteEnded(ctx context.Context, end operationEnd, userID, phoneType, methodID string, limit time.Duration, err error) diag.Diagnostics {
	gctx, cancel := graceContext(ctx, end)
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
	return errDiags(endedSummary(end, "deleting phone method"),
		endedDetail(end, fmt.Sprintf("Deleting the %s phone of user %q", phoneType, userID), "delete", limit, outcome, err))
}

// readEnded explains a refresh, plan or import read that ran out of
// timeouts.read or was interrupted; a read changes nothing in Graph.
func readEnded(end operationEnd, userID, phoneType string, limit time.Duration, err error) diag.Diagnostics {
	return errDiags(endedSummary(end, "reading phone method"),
		endedDetail(end, fmt.Sprintf("Reading the %s phone of user %q", phoneType, userID), "read", limit,
			"Nothing was changed in Microsoft Graph, and the state keeps what it held before this read.", err))
}

// smsSignInEnded explains an enableSmsSignIn or disableSmsSignIn that ran
// out of the create or update time limit or was interrupted. pm is the
// phone as read afterwards when readErr is nil, else as it was before the
// call; the message says which, so it never claims more than is known.
func smsSignInEnded(end operationEnd, userID string, pm graph.PhoneMethod, desired bool, readErr, err error) (summary, detail string) {
	verb := "disable"
	if desired {
		verb = "enable"
	}
	known := fmt.Sprintf("Graph now reports smsSignInState %q (read afterwards), which is what the state holds.", pm.SMSSignInState)
	if readErr != nil {
		known = fmt.Sprintf("Whether Graph applied it is not known: reading the phone afterwards failed too (%s), so the state keeps smsSignInState %q from before the call. "+
			"The next plan reads the phone from Graph and shows what is left to change.", readErr, pm.SMSSignInState)
	}
	if end == endedByInterrupt {
		return "Interrupted changing SMS sign-in",
			fmt.Sprintf("Terraform was asked to stop (for example with Ctrl-C) while %sSmsSignIn for user %q's %s phone was in flight, so Microsoft Graph may or may not have applied it. %s\n\n"+
				"The next terraform plan or apply reads the phone from Graph and reconciles the state with what Graph holds.\n\nLast Graph error: %s",
				verb, userID, pm.PhoneType, known, err)
	}
	return "Timed out changing SMS sign-in",
		fmt.Sprintf("Microsoft Graph did not answer %sSmsSignIn for user %q's %s phone before the operation's time limit (timeouts.create or timeouts.update) ran out. %s\n\n"+
			"To allow more time, raise the limit in the resource's timeouts block (for example create = \"10m\" or update = \"10m\") and run terraform apply again.\n\nLast Graph error: %s",
			verb, userID, pm.PhoneType, known, err)
}
