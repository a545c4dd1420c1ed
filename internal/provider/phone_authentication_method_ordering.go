package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/entraauth/terraform-provider-entraauth/internal/coordination"
	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

// Graph orders a user's phones: a mobile must exist before an
// alternateMobile is added, and the mobile cannot be deleted while an
// alternateMobile exists; the default sign-in method cannot be deleted
// while the user has other methods. Terraform gives no order between two
// resources without depends_on, so a refused operation is retried through
// internal/coordination, which waits only while an operation that can
// unblock it is under way and otherwise ends within its grace: at
// -parallelism=1 the refused resource fails fast, with the way out, and
// the other runs after it.

// createPhoneMethod POSTs the phone (one request in the normal case) and,
// when Graph says an alternateMobile needs the user's mobile, retries while
// this run may still create the mobile.
func (r *phoneAuthenticationMethodResource) createPhoneMethod(ctx context.Context, op *coordination.Op, userID string, phoneType graph.PhoneType, number string, sms types.Bool, timeout time.Duration) (*graph.PhoneMethod, diag.Diagnostics) {
	var pm *graph.PhoneMethod
	var diags diag.Diagnostics
	var lastErr error
	attempt := func() bool {
		var waitForMobile bool
		pm, diags, lastErr, waitForMobile = r.tryCreate(ctx, userID, phoneType, number, sms, timeout)
		return !waitForMobile
	}
	err := op.Retry(ctx, op.OtherWorking(), attempt, func(d time.Duration) {
		tflog.Info(ctx, "alternateMobile waits for the user's mobile phone", map[string]any{"user_id": userID, "retry_in": d.String()})
	})
	switch {
	case err == nil:
		return pm, diags
	case errors.Is(err, coordination.ErrNothingToWaitFor):
		return nil, errDiags("The user has no mobile phone yet",
			fmt.Sprintf("Microsoft Graph adds an alternateMobile phone only when the user already has a mobile phone, and user %q has none. "+
				"No operation of this run that could add it was under way for %s, so this alternateMobile phone was not created.\n\n"+
				"If the mobile phone's resource is in this configuration, Terraform ran this one first: run terraform apply again (the mobile phone is then there), "+
				"or add depends_on = [<the mobile phone's resource>] to this resource, which makes one apply enough at any -parallelism (at -parallelism=1 it is needed). "+
				"Otherwise add an entraauth_phone_authentication_method with phone_type = \"mobile\" for this user.\n\nLast Graph error: %s",
				userID, coordination.Grace, lastErr))
	case graph.StopReasonOf(err) == graph.StoppedByInterrupt:
		return nil, errDiags("Interrupted waiting for the user's mobile phone",
			fmt.Sprintf("Terraform was asked to stop (for example with Ctrl-C) while this alternateMobile phone waited for user %q's mobile phone; it was not created.", userID))
	}
	return nil, errDiags("Timed out waiting for the user's mobile phone",
		fmt.Sprintf("Microsoft Graph adds an alternateMobile phone only when the user already has a mobile phone. The provider waited %s (timeouts.create) for user %q's mobile phone to appear, but it did not.\n\n"+
			"Add an entraauth_phone_authentication_method with phone_type = \"mobile\" for this user (it may be in the same configuration), or raise timeouts.create.\n\nLast Graph error: %s",
			timeout, userID, lastErr))
}

// tryCreate makes one create under the user's lock and turns the graph
// layer's answer into diagnostics. A create that ran out of time may return
// the phone together with an error: Graph applied it, and the caller must
// save it.
func (r *phoneAuthenticationMethodResource) tryCreate(ctx context.Context, userID string, phoneType graph.PhoneType, number string, sms types.Bool, timeout time.Duration) (pm *graph.PhoneMethod, diags diag.Diagnostics, lastErr error, waitForMobile bool) {
	unlock, err := r.coord.Lock(ctx, r.userScope(userID))
	if err != nil {
		return nil, lockWaitEnded(err, "create phone method", "create", userID), err, false
	}
	defer unlock()

	created, err := r.client.CreatePhoneMethod(ctx, userID, phoneType, number)
	var mobileRequired *graph.MobileRequiredError
	switch {
	case err != nil && graph.StopReasonOf(err) != graph.StoppedByAnswer:
		diags = createEnded(userID, phoneType, number, sms, timeout, created, err)
		if created != nil {
			return &created.PhoneMethod, diags, err, false
		}
		return nil, diags, err, false
	case errors.As(err, &mobileRequired):
		return nil, nil, mobileRequired.Err, true
	case err != nil:
		return nil, createFailed(r.client, userID, phoneType, number, err), err, false
	case created.How == graph.AdoptedExisting:
		diags.AddWarning("Adopted an existing phone method",
			fmt.Sprintf("User %q already had a %s phone with number %q (added outside Terraform, or by a create whose response was lost); this resource now manages it.", userID, phoneType, created.PhoneNumber))
	case created.How == graph.AppliedNumberNotUnique && !sms.IsNull() && !sms.IsUnknown() && sms.ValueBool():
		// The phone exists, SMS sign-in cannot: saved with the error, so
		// Terraform taints it and nothing in Graph is unknown to the state.
		diags.AddAttributeError(pathSMSSignInEnabled, "SMS sign-in number is not unique",
			fmt.Sprintf("The mobile phone of user %q was created, but SMS sign-in cannot be enabled for it: %s\n\n%s",
				userID, numberNotUniqueAdvice(number), createdNote(userID, phoneType, false)))
	case created.How == graph.AppliedNumberNotUnique:
		diags.AddWarning("Mobile number used for SMS sign-in by another user", numberNotUniqueWarning(userID, number))
	}
	return &created.PhoneMethod, diags, nil, false
}

// deletePhoneMethod DELETEs the phone (gone already means done). A mobile
// refused because an alternateMobile exists is retried while this run may
// still delete the alternateMobile; the user's default sign-in method is
// retried only while another delete of the user's phones is under way.
func (r *phoneAuthenticationMethodResource) deletePhoneMethod(ctx context.Context, op *coordination.Op, userID string, phoneType graph.PhoneType, timeout time.Duration) diag.Diagnostics {
	var diags diag.Diagnostics
	var lastErr error
	var defaultMethod *graph.DefaultMethodError
	attempt := func() bool {
		var wait bool
		diags, lastErr, wait = r.tryDelete(ctx, userID, phoneType, timeout)
		defaultMethod = nil
		errors.As(lastErr, &defaultMethod)
		return !wait
	}
	// Which operation can unblock the delete depends on the last refusal.
	anyOther, otherDelete := op.OtherWorking(), op.OtherWorkingOn(coordination.PhoneDelete)
	blocker := coordination.Blocker{
		UnderWay: func() bool {
			if defaultMethod != nil {
				return otherDelete.UnderWay()
			}
			return anyOther.UnderWay()
		},
		EndedSince: anyOther.EndedSince,
	}
	err := op.Retry(ctx, blocker, attempt, func(d time.Duration) {
		msg := "mobile delete waits for the user's alternateMobile phone to be removed"
		if defaultMethod != nil {
			msg = "the default sign-in method waits for the user's other phones to be removed"
		}
		tflog.Info(ctx, msg, map[string]any{"user_id": userID, "retry_in": d.String()})
	})
	interrupted := graph.StopReasonOf(ctx.Err()) == graph.StoppedByInterrupt
	switch {
	case err == nil:
		return diags
	case defaultMethod != nil && errors.Is(err, coordination.ErrNothingToWaitFor):
		// Waiting could not help: the user must change the default first.
		return defaultMethodDiags(userID, phoneType, defaultMethod, "")
	case defaultMethod != nil && interrupted:
		return errDiags("Interrupted waiting to delete the default sign-in method",
			fmt.Sprintf("Terraform was asked to stop (for example with Ctrl-C) while user %q's %s phone waited for the user's other phones to be removed; it was not deleted.", userID, phoneType))
	case defaultMethod != nil:
		return defaultMethodDiags(userID, phoneType, defaultMethod, fmt.Sprintf(" The provider waited %s (timeouts.delete) for the user's other phones to be removed in this run, but they are still there.", timeout))
	case errors.Is(err, coordination.ErrNothingToWaitFor):
		return errDiags("Cannot delete the mobile phone while an alternateMobile exists",
			fmt.Sprintf("Microsoft Graph does not delete a user's mobile phone while the user has an alternateMobile phone (it says to update the mobile phone instead). "+
				"The alternateMobile phone of user %q is still there, and no operation of this run that could remove it was under way for %s.\n\n"+
				"If the alternateMobile phone's resource is being destroyed in this run too, Terraform ran this one first: run terraform apply (or destroy) again, "+
				"or give the alternateMobile resource depends_on = [<this mobile phone's resource>], so Terraform destroys the alternateMobile first at any -parallelism (at -parallelism=1 it is needed). "+
				"Otherwise remove the alternateMobile first (destroy its resource, or delete it in the Microsoft Entra admin center), or keep the mobile phone and change its phone_number.\n\nLast Graph error: %s",
				userID, coordination.Grace, lastErr))
	case interrupted:
		return errDiags("Interrupted waiting to delete the mobile phone",
			fmt.Sprintf("Terraform was asked to stop (for example with Ctrl-C) while user %q's mobile phone waited for the alternateMobile phone to be removed; it was not deleted.", userID))
	}
	return errDiags("Cannot delete the mobile phone while an alternateMobile exists",
		fmt.Sprintf("Microsoft Graph does not delete a user's mobile phone while the user has an alternateMobile phone (it says to update the mobile phone instead). "+
			"The provider waited %s (timeouts.delete) for user %q's alternateMobile phone to be removed, for example by its own resource in the same run, but it is still there.\n\n"+
			"Remove the alternateMobile first (destroy its resource, or delete it in the Microsoft Entra admin center) and run Terraform again, or keep the mobile phone and change its phone_number.\n\nLast Graph error: %s",
			timeout, userID, lastErr))
}

// tryDelete makes one delete attempt under the user's lock; wait says the
// delete may succeed once another phone of the user is gone.
func (r *phoneAuthenticationMethodResource) tryDelete(ctx context.Context, userID string, phoneType graph.PhoneType, timeout time.Duration) (diags diag.Diagnostics, lastErr error, wait bool) {
	unlock, err := r.coord.Lock(ctx, r.userScope(userID))
	if err != nil {
		return lockWaitEnded(err, "delete phone method", "delete", userID), err, false
	}
	defer unlock()

	deleted, err := r.client.DeletePhoneMethod(ctx, userID, phoneType)
	var alternateExists *graph.AlternateMobileExistsError
	var defaultMethod *graph.DefaultMethodError
	switch {
	case err == nil:
		return nil, nil, false
	case deleted != nil:
		// Stopped (deadline or interrupt); the graph layer read what Graph holds.
		return deleteEnded(graph.StopReasonOf(err), userID, phoneType, timeout, deleted, err), err, false
	case errors.As(err, &alternateExists):
		return nil, alternateExists.Err, true
	case errors.As(err, &defaultMethod) && len(defaultMethod.OtherPhones) > 0:
		// Worth retrying while the user's other phones may go in this run.
		return nil, err, true
	case errors.As(err, &defaultMethod):
		return defaultMethodDiags(userID, phoneType, defaultMethod, ""), err, false
	}
	detail := fmt.Sprintf("Deleting the %s phone of user %q failed: %s%s", phoneType, userID, err, graphHint(r.client, err, userID))
	if graph.IsBadRequest(err) {
		detail += "\n\nGraph does not delete a user's default sign-in method; if this phone is the default, change the user's default method first."
	}
	return errDiags("Cannot delete phone method", detail), err, false
}

// numberNotUniqueWarning explains a mobile Graph applied with 409
// phoneNumberNotUnique when this resource does not ask for SMS sign-in.
func numberNotUniqueWarning(userID, number string) string {
	return fmt.Sprintf("User %q's mobile phone now has the number %s, which another user of the tenant uses for SMS sign-in (Microsoft Graph applied the change and answered 409 phoneNumberNotUnique). "+
		"The phone works for multi-factor authentication and password reset; SMS sign-in is not available for this user while the other user holds the number.", userID, maskedNumber(number))
}

// defaultMethodDiags explains Graph's refusal to delete the user's default
// sign-in method while the user has other methods, and the way out.
func defaultMethodDiags(userID string, phoneType graph.PhoneType, e *graph.DefaultMethodError, waited string) diag.Diagnostics {
	others := "methods this provider does not manage, such as the Microsoft Authenticator app or a FIDO2 security key"
	if len(e.OtherPhones) > 0 {
		names := make([]string, len(e.OtherPhones))
		for i, t := range e.OtherPhones {
			names[i] = string(t)
		}
		others = "the " + strings.Join(names, " and ") + " phone(s)"
	}
	return errDiags("Cannot delete the default sign-in method",
		fmt.Sprintf("Microsoft Graph does not delete user %q's %s phone: it is the user's default sign-in method, and the user has other methods (%s).%s\n\n"+
			"Change the user's default sign-in method first, in the Microsoft Entra admin center (Users > the user > Authentication methods > Default sign-in method) "+
			"or through Graph's sign-in preferences (/users/{id}/authentication/signInPreferences), then run Terraform again; or remove the other methods first. "+
			"The phone stays in the Terraform state.\n\nMicrosoft Graph: %s", userID, phoneType, others, waited, e.Err))
}
