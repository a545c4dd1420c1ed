package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

// Graph orders a user's phones: a mobile must exist before an
// alternateMobile is added, and the mobile cannot be deleted while an
// alternateMobile exists. Terraform gives no order between two resources
// without depends_on, so the provider waits instead: alternateMobile's
// create for the mobile, and mobile's delete for the alternateMobile to go.
// Waits poll Graph with back-off, release the user's lock between polls
// (so the other resource can proceed) and end with the operation's timeout.
const (
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

// createPhoneMethod POSTs the phone (one request in the normal case) and
// waits, when Graph says an alternateMobile needs the user's mobile, for
// the mobile to appear.
func (r *phoneAuthenticationMethodResource) createPhoneMethod(ctx context.Context, userID string, phoneType graph.PhoneType, number string, sms types.Bool, timeout time.Duration) (*graph.PhoneMethod, diag.Diagnostics) {
	delay := orderingPollStart
	for {
		pm, diags, lastErr, waitForMobile := r.tryCreate(ctx, userID, phoneType, number, sms, timeout)
		if !waitForMobile {
			return pm, diags
		}
		tflog.Info(ctx, "alternateMobile waits for the user's mobile phone", map[string]any{"user_id": userID, "retry_in": delay.String()})
		if !waitOrdering(ctx, &delay) {
			if graph.StopReasonOf(ctx.Err()) == graph.StoppedByInterrupt {
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

// tryCreate makes one create under the user's lock and turns the graph
// layer's answer into diagnostics. A create that ran out of time may return
// the phone together with an error: Graph applied it, and the caller must
// save it.
func (r *phoneAuthenticationMethodResource) tryCreate(ctx context.Context, userID string, phoneType graph.PhoneType, number string, sms types.Bool, timeout time.Duration) (pm *graph.PhoneMethod, diags diag.Diagnostics, lastErr error, waitForMobile bool) {
	unlock, err := r.locks.lock(ctx, r.lockKey(userID))
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

// deletePhoneMethod DELETEs the phone (404 means done). A mobile refused
// because an alternateMobile exists waits for the alternateMobile to go,
// which its own resource removes when both are destroyed in one run; the
// user's default sign-in method waits the same way for the user's other
// phones, but only while this run is deleting them.
func (r *phoneAuthenticationMethodResource) deletePhoneMethod(ctx context.Context, userID string, phoneType graph.PhoneType, timeout time.Duration) diag.Diagnostics {
	done := phoneDeletes.begin(r.lockKey(userID))
	defer done()
	delay := orderingPollStart
	for {
		diags, lastErr, wait := r.tryDelete(ctx, userID, phoneType, timeout)
		var defaultMethod *graph.DefaultMethodError
		switch {
		case errors.As(lastErr, &defaultMethod) && wait:
			tflog.Info(ctx, "the default sign-in method waits for the user's other phones to be removed", map[string]any{"user_id": userID, "retry_in": delay.String()})
		case wait:
			tflog.Info(ctx, "mobile delete waits for the user's alternateMobile phone to be removed", map[string]any{"user_id": userID, "retry_in": delay.String()})
		default:
			return diags
		}
		if waitOrdering(ctx, &delay) {
			continue
		}
		if defaultMethod != nil {
			if graph.StopReasonOf(ctx.Err()) == graph.StoppedByInterrupt {
				return errDiags("Interrupted waiting to delete the default sign-in method",
					fmt.Sprintf("Terraform was asked to stop (for example with Ctrl-C) while user %q's %s phone waited for the user's other phones to be removed; it was not deleted.", userID, phoneType))
			}
			return defaultMethodDiags(userID, phoneType, defaultMethod, fmt.Sprintf(" The provider waited %s (timeouts.delete) for the user's other phones to be removed in this run, but they are still there.", timeout))
		}
		if graph.StopReasonOf(ctx.Err()) == graph.StoppedByInterrupt {
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

// tryDelete makes one delete attempt under the user's lock; wait says the
// delete may succeed once another phone of the user is gone.
func (r *phoneAuthenticationMethodResource) tryDelete(ctx context.Context, userID string, phoneType graph.PhoneType, timeout time.Duration) (diags diag.Diagnostics, lastErr error, wait bool) {
	unlock, err := r.locks.lock(ctx, r.lockKey(userID))
	if err != nil {
		return lockWaitEnded(err, "delete phone method", "delete", userID), err, false
	}
	defer unlock()

	err = r.client.DeletePhoneMethod(ctx, userID, phoneType)
	var alternateExists *graph.AlternateMobileExistsError
	var defaultMethod *graph.DefaultMethodError
	switch {
	case err == nil || graph.IsNotFound(err):
		return nil, nil, false
	case graph.StopReasonOf(err) != graph.StoppedByAnswer:
		return r.deleteEnded(ctx, graph.StopReasonOf(err), userID, phoneType, timeout, err), err, false
	case errors.As(err, &alternateExists):
		return nil, alternateExists.Err, true
	case errors.As(err, &defaultMethod):
		unlock()
		// Wait only for phones this run is deleting: otherwise the user must
		// change the default method first, and waiting cannot help.
		if len(defaultMethod.OtherPhones) > 0 && phoneDeletes.othersPending(ctx, r.lockKey(userID)) {
			return nil, err, true
		}
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

// pendingDeletes counts, per user, the phone deletes this provider process
// has begun and not finished, so the default method waits only for phones
// that are really being deleted in this run.
type pendingDeletes struct {
	mu sync.Mutex
	n  map[string]int
}

var phoneDeletes = &pendingDeletes{n: map[string]int{}}

// begin records a delete of one of key's phones; done ends it.
func (p *pendingDeletes) begin(key string) (done func()) {
	p.mu.Lock()
	p.n[key]++
	p.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			p.mu.Lock()
			if p.n[key]--; p.n[key] == 0 {
				delete(p.n, key)
			}
			p.mu.Unlock()
		})
	}
}

// deleteStartGrace is how long a refused default method waits for another
// delete of the user to begin: Terraform starts the deletes of one run at
// about the same moment, not at the same instant.
const deleteStartGrace = 2 * time.Second

// othersPending reports whether another delete of key's phones is running
// in this process, waiting up to deleteStartGrace for one to begin.
func (p *pendingDeletes) othersPending(ctx context.Context, key string) bool {
	deadline := time.Now().Add(deleteStartGrace)
	for {
		p.mu.Lock()
		n := p.n[key]
		p.mu.Unlock()
		if n > 1 {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(100 * time.Millisecond):
		}
	}
}
