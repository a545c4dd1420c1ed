package provider

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
	"github.com/entraauth/terraform-provider-entraauth/internal/phonenumber"
)

// Graph orders a user's phones: a mobile must exist before an
// alternateMobile is added, and the mobile cannot be deleted while an
// alternateMobile exists. Terraform gives no order between two resources
// without depends_on, so the provider waits instead: alternateMobile's
// create for the mobile, and mobile's delete for the alternateMobile to go.
// Waits poll Graph with back-off, release the user's lock between polls
// (so the other resource can proceed) and end with the operation's timeout.
var (
	orderingPollStart = 500 * time.Millisecond
	orderingPollMax   = 10 * time.Second
)

// waitOrdering sleeps before the next poll; false when ctx ended first.
func waitOrdering(ctx context.Context, delay *time.Duration) bool {
	t := time.NewTimer(*delay)
	defer t.Stop()
	*delay = min(*delay*2, orderingPollMax)
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// createPhoneMethod POSTs the phone: one request in the normal case. Only
// when Graph refuses it (400/409) or the response was lost does it list the
// user's phones, to adopt an identical phone, explain a different one, or
// wait for the mobile an alternateMobile needs.
func (r *phoneAuthenticationMethodResource) createPhoneMethod(ctx context.Context, userID, phoneType, number string, sms types.Bool, timeout time.Duration) (*graph.PhoneMethod, diag.Diagnostics) {
	delay := orderingPollStart
	for {
		pm, diags, lastErr, waitForMobile := r.tryCreate(ctx, userID, phoneType, number, sms, timeout)
		if !waitForMobile {
			return pm, diags
		}
		tflog.Info(ctx, "alternateMobile waits for the user's mobile phone", map[string]any{"user_id": userID, "retry_in": delay.String()})
		if !waitOrdering(ctx, &delay) {
			if operationEnded(ctx, ctx.Err()) == endedByInterrupt {
				return nil, errDiags("Interrupted waiting for the user's mobile phone",
					fmt.Sprintf("Terraform was asked to stop (for example with Ctrl-C) while this alternateMobile phone waited for user %q's mobile phone; it was not created.", userID))
			}
			return nil, errDiags("Timed out waiting for the user's mobile phone",
				fmt.Sprintf("Microsoft Graph adds an alternateMobile phone only when the user already has a mobile phone. The provider waited %s (timeouts.create) for user %q's mobile phone to appear, but it did not.\n\n"+
					"Add an entraauth_phone_authentication_method with phone_type = \"mobile\" for this user (it may be in the same configuration; no depends_on is needed), or raise timeouts.create.\n\nLast Graph error: %s",
					timeout, userID, lastErr))
		}
	}
}

// tryCreate makes one create attempt under the user's lock. A create that
// ran out of time may return the phone together with the error: Graph
// applied it, and the caller must save it.
func (r *phoneAuthenticationMethodResource) tryCreate(ctx context.Context, userID, phoneType, number string, sms types.Bool, timeout time.Duration) (pm *graph.PhoneMethod, diags diag.Diagnostics, lastErr error, waitForMobile bool) {
	unlock, err := r.locks.lock(ctx, r.lockKey(userID))
	if err != nil {
		return nil, lockWaitEnded(ctx, err, "create phone method", "create", userID), err, false
	}
	defer unlock()

	pm, err = r.client.CreatePhoneMethod(ctx, userID, phoneType, number)
	if err == nil {
		return pm, nil, nil, false
	}
	if end := operationEnded(ctx, err); end != endedByGraph {
		pm, diags = r.afterCreateEnded(ctx, end, userID, phoneType, number, sms, timeout, err)
		return pm, diags, err, false
	}
	failed := errDiags("Cannot create phone method",
		fmt.Sprintf("Creating the %s phone %q for user %q failed: %s%s", phoneType, number, userID, err, graphHint(err, userID)))
	status := graph.StatusCode(err)
	if status != 0 && status != http.StatusBadRequest && status != http.StatusConflict {
		return nil, failed, err, false
	}
	// Graph answers 400 both for "a phone of this type exists" and for
	// "alternateMobile needs a mobile"; status 0 may be a create whose
	// response was lost. The user's phones tell which.
	phones, lerr := r.client.ListPhoneMethods(ctx, userID)
	if lerr != nil {
		return nil, failed, err, false
	}
	if existing := findPhoneType(phones, phoneType); existing != nil {
		if phonenumber.SamePhone(number, existing.PhoneNumber) {
			diags.AddWarning("Adopted an existing phone method",
				fmt.Sprintf("User %q already had a %s phone with number %q (added outside Terraform, or by a create whose response was lost); this resource now manages it.", userID, phoneType, existing.PhoneNumber))
			return existing, diags, nil, false
		}
		return nil, errDiags("Phone method already exists",
			fmt.Sprintf("User %q already has a %s phone, with number %q, not %q. A user can have only one phone of each type.\n\n"+
				"To manage the existing phone with Terraform, import it, then set phone_number to the number you want:\n  terraform import <resource address> %q\n"+
				"or an import block with id = %q.\n\nMicrosoft Graph: %s",
				userID, phoneType, existing.PhoneNumber, number, importID(userID, phoneType), importID(userID, phoneType), err)), err, false
	}
	if phoneType == graph.PhoneTypeAlternateMobile && status != 0 && findPhoneType(phones, graph.PhoneTypeMobile) == nil {
		return nil, nil, err, true
	}
	return nil, failed, err, false
}

func findPhoneType(phones []graph.PhoneMethod, phoneType string) *graph.PhoneMethod {
	for i := range phones {
		if phones[i].PhoneType == phoneType {
			return &phones[i]
		}
	}
	return nil
}

// deletePhoneMethod DELETEs the phone (404 means done). A mobile refused
// because an alternateMobile exists waits for the alternateMobile to go,
// which its own resource removes when both are destroyed in one run.
func (r *phoneAuthenticationMethodResource) deletePhoneMethod(ctx context.Context, userID, phoneType string, timeout time.Duration) diag.Diagnostics {
	methodID, _ := graph.MethodIDForPhoneType(phoneType)
	delay := orderingPollStart
	for {
		diags, lastErr, waitForAlternate := r.tryDelete(ctx, userID, phoneType, methodID, timeout)
		if !waitForAlternate {
			return diags
		}
		tflog.Info(ctx, "mobile delete waits for the user's alternateMobile phone to be removed", map[string]any{"user_id": userID, "retry_in": delay.String()})
		if !waitOrdering(ctx, &delay) {
			if operationEnded(ctx, ctx.Err()) == endedByInterrupt {
				return errDiags("Interrupted waiting to delete the mobile phone",
					fmt.Sprintf("Terraform was asked to stop (for example with Ctrl-C) while user %q's mobile phone waited for the alternateMobile phone to be removed; it was not deleted.", userID))
			}
			return errDiags("Cannot delete the mobile phone while an alternateMobile exists",
				fmt.Sprintf("Microsoft Graph does not delete a user's mobile phone while the user has an alternateMobile phone (it says to update the mobile phone instead). "+
					"The provider waited %s (timeouts.delete) for user %q's alternateMobile phone to be removed, for example by its own resource in the same run, but it is still there.\n\n"+
					"Remove the alternateMobile first (destroy its resource, or delete it in the Microsoft Entra admin center) and run Terraform again, or keep the mobile phone and change its phone_number.\n\nLast Graph error: %s",
					timeout, userID, lastErr))
		}
	}
}

// tryDelete makes one delete attempt under the user's lock.
func (r *phoneAuthenticationMethodResource) tryDelete(ctx context.Context, userID, phoneType, methodID string, timeout time.Duration) (diags diag.Diagnostics, lastErr error, waitForAlternate bool) {
	unlock, err := r.locks.lock(ctx, r.lockKey(userID))
	if err != nil {
		return lockWaitEnded(ctx, err, "delete phone method", "delete", userID), err, false
	}
	defer unlock()

	err = r.client.DeletePhoneMethod(ctx, userID, methodID)
	if err == nil || graph.IsNotFound(err) {
		return nil, nil, false
	}
	if end := operationEnded(ctx, err); end != endedByGraph {
		return r.deleteEnded(ctx, end, userID, phoneType, methodID, timeout, err), err, false
	}
	if phoneType == graph.PhoneTypeMobile && graph.IsBadRequest(err) {
		altID, _ := graph.MethodIDForPhoneType(graph.PhoneTypeAlternateMobile)
		if _, gerr := r.client.GetPhoneMethod(ctx, userID, altID); gerr == nil {
			return nil, err, true
		}
	}
	detail := fmt.Sprintf("Deleting the %s phone of user %q failed: %s%s", phoneType, userID, err, graphHint(err, userID))
	if graph.IsBadRequest(err) {
		detail += "\n\nGraph does not delete a user's default sign-in method; if this phone is the default, change the user's default method first."
	}
	return errDiags("Cannot delete phone method", detail), err, false
}
