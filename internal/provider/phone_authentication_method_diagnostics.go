package provider

import (
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
	"github.com/entraauth/terraform-provider-entraauth/internal/phonenumber"
)

// How an operation on a phone ended, and what the user reads about it. A
// write that ran out of its timeout, or that Terraform interrupted, may
// still have been applied by Graph; the graph layer says which
// (graph.StopReasonOf, graph.CreatePhoneMethod), and these functions turn
// that into the state to save and the diagnostics to show.

// errDiags wraps one error diagnostic.
func errDiags(summary, detail string) diag.Diagnostics {
	var d diag.Diagnostics
	d.AddError(summary, detail)
	return d
}

// graphHint adds what to check for refusals that are about the caller or
// the user rather than the phone (branching on status and code only); c
// names the credential in use (nil in unit tests).
func graphHint(c *graph.Client, err error, userID string) string {
	switch {
	case graph.IsForbidden(err):
		return "\n\nThe identity Terraform runs as lacks permission: it needs the application permission UserAuthenticationMethod.ReadWrite.All (or UserAuthMethod-Phone.ReadWrite.All; the Read.All variants for plans only), or, when signed in as a user, the Authentication Administrator role." +
			forbiddenCredentialHint(c)
	case graph.IsUnauthorized(err):
		return "\n\nGraph refused the access token: check tenant_id, client_id and the credential, and that the token is for this cloud's Graph."
	case graph.IsUserNotFound(err):
		return fmt.Sprintf("\n\nMicrosoft Graph does not know user %q: it may not exist (check that user_id is an existing user's object id or user principal name), "+
			"or, if it was created moments ago (for example by azuread_user in the same apply), it may still be replicating; writes retry such a user for up to %s.", userID, graph.UserReplicationWindow)
	case graph.IsNotFound(err):
		return fmt.Sprintf("\n\nCheck that user_id %q is an existing user's object id or user principal name.", userID)
	}
	return ""
}

// endedSummary is the error summary, e.g. "Timed out creating phone method".
func endedSummary(stop graph.StopReason, doing string) string {
	if stop == graph.StoppedByInterrupt {
		return "Interrupted " + doing
	}
	return "Timed out " + doing
}

// endedDetail is the common part of every timeout or interrupt error: what
// did not finish, why, what Graph holds now, what to do, and the last
// Graph error (with its request-id).
func endedDetail(stop graph.StopReason, what, key string, limit time.Duration, outcome string, err error) string {
	if stop == graph.StoppedByInterrupt {
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
func lockWaitEnded(err error, doing, key, userID string) diag.Diagnostics {
	if graph.StopReasonOf(err) == graph.StoppedByInterrupt {
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

// createdNote ends an error about the SMS sign-in change after a create:
// the phone exists and is saved tainted. asConfigured says Graph was read
// afterwards and holds what the configuration asks for, so untainting keeps
// it instead of deleting and re-creating the user's phone.
func createdNote(userID string, phoneType graph.PhoneType, asConfigured bool) string {
	note := fmt.Sprintf("The %s phone of user %q was created and is saved in the state; Terraform marks it tainted and replaces it on the next apply.", phoneType, userID)
	if asConfigured {
		note += " Microsoft Graph holds exactly what was configured (number and SMS sign-in). " + untaintHint
	}
	return note
}

// createFailed explains a create Graph refused. A phone of the same type
// with another number gets the exact import id to adopt it.
func createFailed(c *graph.Client, userID string, phoneType graph.PhoneType, number string, err error) diag.Diagnostics {
	var different *graph.DifferentPhoneError
	if errors.As(err, &different) {
		id := importID(userID, phoneType)
		return errDiags("Phone method already exists",
			fmt.Sprintf("User %q already has a %s phone, with number %q, not %q. A user can have only one phone of each type.\n\n"+
				"To manage the existing phone with Terraform, import it, then set phone_number to the number you want:\n  terraform import <resource address> %q\n"+
				"or an import block with id = %q.\n\nMicrosoft Graph: %s",
				userID, phoneType, different.Existing.PhoneNumber, number, id, id, different.Err))
	}
	return errDiags("Cannot create phone method",
		fmt.Sprintf("Creating the %s phone %q for user %q failed: %s%s", phoneType, number, userID, err, graphHint(c, err, userID)))
}

// createEnded explains a create that ran out of time or was interrupted,
// from what graph.CreatePhoneMethod found when it read the phone back:
// created is the phone when Graph did apply the create (the caller saves
// it, Terraform then marks it tainted). sms is the configured
// sms_sign_in_enabled (null when not managed).
func createEnded(userID string, phoneType graph.PhoneType, number string, sms types.Bool, limit time.Duration, created *graph.CreatedPhone, err error) diag.Diagnostics {
	var different *graph.DifferentPhoneError
	var unconfirmed *graph.UnconfirmedCreateError
	var outcome string
	switch {
	case created != nil:
		outcome = createdOutcome(created.PhoneMethod, sms)
	case errors.As(err, &different):
		outcome = fmt.Sprintf("Microsoft Graph has a %s phone for the user with a different number (%q), which this resource did not create; nothing was saved in the state.", phoneType, different.Existing.PhoneNumber)
	case errors.As(err, &unconfirmed):
		outcome = fmt.Sprintf("Whether Microsoft Graph applied the create could not be checked (%s). Run terraform apply again: "+
			"if Graph did apply it, the provider finds the phone with this number and adopts it instead of creating it twice.", unconfirmed.CheckErr)
	default:
		outcome = "Microsoft Graph does not have the phone, so nothing was created. Run terraform apply again; " +
			"if Graph applies the slow create in the meantime, the next apply finds the phone with this number and adopts it instead of creating it twice."
	}
	// The last Graph error is the one the create stopped with, not the
	// wrapper that carries what the read-back found.
	last := err
	var ge *graph.Error
	if errors.As(err, &ge) {
		last = ge
	}
	stop := graph.StopReasonOf(err)
	return errDiags(endedSummary(stop, "creating phone method"),
		endedDetail(stop, fmt.Sprintf("Creating the %s phone %q for user %q", phoneType, number, userID), "create", limit, outcome, last))
}

// createdOutcome describes a phone Graph created although the create did not
// finish: saved and tainted, and whether untainting keeps what was configured.
func createdOutcome(cur graph.PhoneMethod, sms types.Bool) string {
	const saved = "It is saved in the state, so it is not lost; Terraform marks it tainted, so the next apply deletes and re-creates the user's phone."
	smsAsConfigured := sms.IsNull() || sms.IsUnknown() || smsSignInMappingOf(cur.SMSSignInState) == smsSignInWant(sms.ValueBool())
	switch {
	case !smsAsConfigured:
		return fmt.Sprintf("Microsoft Graph did apply the create: the user now has this phone, but SMS sign-in is not as configured yet (smsSignInState %q). %s "+
			"To keep the phone instead, run terraform untaint on this resource (terraform untaint <resource address>); the next apply then only changes SMS sign-in.", cur.SMSSignInState, saved)
	case phonenumber.IsMasked(cur.PhoneNumber):
		// graph.CreatePhoneMethod matched the visible digits.
		return fmt.Sprintf("Microsoft Graph did apply the create: the user now has this phone, shown masked as %q (the caller may see only the last digits), and those digits match the configured number. %s %s",
			cur.PhoneNumber, saved, untaintHint)
	default:
		return "Microsoft Graph did apply the create and holds exactly what was configured: the user now has this phone. " + saved + " " + untaintHint
	}
}

// afterUpdateEnded explains a number change that ran out of time or was
// interrupted, from what graph.UpdatePhoneMethod found when it read the
// phone back, and returns the state to save: Graph's phone when it could
// be read, or the prior state.
func afterUpdateEnded(stop graph.StopReason, prior, plan phoneAuthenticationMethodModel, limit time.Duration, up *graph.UpdatedPhone, err error) (phoneAuthenticationMethodModel, diag.Diagnostics) {
	userID, phoneType := prior.UserID.ValueString(), prior.phoneType()
	saved := prior
	var outcome string
	switch up.How {
	case graph.UpdateAppliedBeforeStop:
		saved.PhoneNumber = plan.PhoneNumber
		saved.SMSSignInState = types.StringValue(up.Phone.SMSSignInState)
		saved.SMSSignInEnabled = smsSignInEnabledFromState(up.Phone.SMSSignInState, prior.SMSSignInEnabled)
		outcome = "Microsoft Graph did apply the new number, and the state now holds it. Run terraform apply again for any other change planned with it (such as SMS sign-in)."
	case graph.UpdateNotAppliedBeforeStop:
		saved.applyMethod(up.Phone)
		saved.SMSSignInEnabled = smsSignInEnabledFromState(up.Phone.SMSSignInState, prior.SMSSignInEnabled)
		outcome = fmt.Sprintf("Microsoft Graph still has the number %q; the state keeps it. Run terraform apply again to change it.", up.Phone.PhoneNumber)
	case graph.UpdateUnknownBeforeStop:
		if up.Read {
			// A masked number (Authentication Administrator callers) whose
			// visible digits fit both numbers.
			outcome = fmt.Sprintf("Microsoft Graph shows the number masked (%q), which fits both the old and the new number, so whether it applied the change is not known; the state keeps the old number. "+
				"The next apply sends the new number again, which is harmless if Graph already has it.", up.Phone.PhoneNumber)
		} else {
			outcome = fmt.Sprintf("Whether Microsoft Graph applied the new number could not be checked (%s); the state keeps the old number. "+
				"The next plan reads the phone from Graph and shows what is left to change.", up.ReadErr)
		}
	}
	return saved, errDiags(endedSummary(stop, "updating phone number"),
		endedDetail(stop, fmt.Sprintf("Changing the number of user %q's %s phone to %q", userID, phoneType, plan.PhoneNumber.ValueString()), "update", limit, outcome, err))
}

// deleteEnded explains a delete that ran out of time or was interrupted,
// from what graph.DeletePhoneMethod found when it read the phone back.
// Terraform keeps a resource whose delete failed in the state; the next
// refresh drops it if Graph did apply the delete, so only the message
// depends on the outcome.
func deleteEnded(stop graph.StopReason, userID string, phoneType graph.PhoneType, limit time.Duration, deleted *graph.DeletedPhone, err error) diag.Diagnostics {
	var outcome string
	switch deleted.How.Applied() {
	case graph.WriteApplied:
		outcome = "Microsoft Graph did apply the delete: the phone is gone. Terraform keeps it in the state for now; the next plan or apply reads it, finds it gone and drops it without another delete."
	case graph.WriteNotApplied:
		outcome = "Microsoft Graph still has the phone. Run terraform apply (or destroy) again to delete it."
	default:
		outcome = fmt.Sprintf("Whether Microsoft Graph applied the delete could not be checked (%s). The next plan or apply reads the phone and deletes it only if it is still there.", deleted.ReadErr)
	}
	return errDiags(endedSummary(stop, "deleting phone method"),
		endedDetail(stop, fmt.Sprintf("Deleting the %s phone of user %q", phoneType, userID), "delete", limit, outcome, err))
}

// readEnded explains a refresh, plan or import read that ran out of
// timeouts.read or was interrupted; a read changes nothing in Graph.
func readEnded(stop graph.StopReason, userID string, phoneType graph.PhoneType, limit time.Duration, err error) diag.Diagnostics {
	return errDiags(endedSummary(stop, "reading phone method"),
		endedDetail(stop, fmt.Sprintf("Reading the %s phone of user %q", phoneType, userID), "read", limit,
			"Nothing was changed in Microsoft Graph, and the state keeps what it held before this read.", err))
}

// forbiddenCredentialHint names the credential a 403 came with and, for
// the Azure CLI, why a signed-in administrator can still be refused.
func forbiddenCredentialHint(c *graph.Client) string {
	if c == nil {
		return ""
	}
	kind, why := c.Credential()
	if kind == "" {
		return ""
	}
	hint := fmt.Sprintf(" The provider signs in with %s", kindName(kind))
	if why != "" {
		hint += " because " + why
	}
	hint += "."
	if kind == graph.CredentialAzureCLI {
		hint += " The Azure CLI signs in through its own app registration, which your tenant may not have granted the delegated UserAuthenticationMethod permissions, " +
			"so even an administrator can be refused. To proceed, use a service principal with the application permission " +
			"(tenant_id, client_id and client_secret or client_certificate_path), or an app registration of your own that has the delegated permission."
	}
	return hint
}
