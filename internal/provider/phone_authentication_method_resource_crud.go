package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
	"github.com/entraauth/terraform-provider-entraauth/internal/phonenumber"
)

var pathSMSSignInEnabled = path.Root("sms_sign_in_enabled")

func (r *phoneAuthenticationMethodResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan phoneAuthenticationMethodModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := plan.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	userID, phoneType := plan.UserID.ValueString(), plan.PhoneType.ValueString()
	pm, diags := r.createPhoneMethod(ctx, userID, phoneType, plan.PhoneNumber.ValueString(), plan.SMSSignInEnabled, timeout)
	resp.Diagnostics.Append(diags...)
	if pm == nil {
		return
	}
	state := plan
	state.applyMethod(*pm)
	state.SMSSignInEnabled = smsSignInEnabledFromState(pm.SMSSignInState, plan.SMSSignInEnabled)
	resp.Diagnostics.Append(markRecentWrite(ctx, resp.Private, time.Now())...)
	if diags.HasError() {
		// A create that timed out or was interrupted but that Graph applied:
		// saved with the error, Terraform taints it instead of orphaning it.
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
		return
	}

	if !plan.SMSSignInEnabled.IsNull() && !plan.SMSSignInEnabled.IsUnknown() {
		unlock, err := r.locks.lock(ctx, r.lockKey(userID))
		if err != nil {
			resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
			resp.Diagnostics.AddError(endedSummary(operationEnded(ctx, err), "waiting to change SMS sign-in"), createdNote(userID, phoneType, false)+" "+err.Error())
			return
		}
		out, d := r.setSMSSignIn(ctx, userID, *pm, plan.SMSSignInEnabled.ValueBool(), false, state.SMSSignInEnabled)
		unlock()
		state.SMSSignInState = types.StringValue(out.Method.SMSSignInState)
		state.SMSSignInEnabled = out.Enabled
		if d.HasError() {
			// Save the created phone first: Terraform then taints it instead
			// of leaving a phone in Graph that no state knows about.
			resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
			// Graph may hold exactly what was configured (an enable or disable
			// that timed out but was applied): then untaint keeps it.
			asConfigured := out.Read && smsSignInMappingOf(out.Method.SMSSignInState) == smsSignInWant(plan.SMSSignInEnabled.ValueBool())
			for _, e := range d.Errors() {
				resp.Diagnostics.AddAttributeError(pathSMSSignInEnabled, e.Summary(), e.Detail()+"\n\n"+createdNote(userID, phoneType, asConfigured))
			}
			resp.Diagnostics.Append(d.Warnings()...)
			return
		}
		resp.Diagnostics.Append(d...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// createdNote ends an error about the SMS sign-in change after a create:
// the phone exists and is saved tainted. asConfigured says Graph was read
// afterwards and holds what the configuration asks for, so untainting keeps
// it instead of deleting and re-creating the user's phone.
func createdNote(userID, phoneType string, asConfigured bool) string {
	note := fmt.Sprintf("The %s phone of user %q was created and is saved in the state; Terraform marks it tainted and replaces it on the next apply.", phoneType, userID)
	if asConfigured {
		note += " Microsoft Graph holds exactly what was configured (number and SMS sign-in). " + untaintHint
	}
	return note
}

func (r *phoneAuthenticationMethodResource) lockKey(userID string) string {
	return userLockKey(r.client.Endpoints().GraphEndpoint, userID)
}

func (r *phoneAuthenticationMethodResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state phoneAuthenticationMethodModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := state.Timeouts.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	userID, phoneType := state.UserID.ValueString(), state.PhoneType.ValueString()
	methodID, ok := graph.MethodIDForPhoneType(phoneType)
	if !ok {
		resp.Diagnostics.AddAttributeError(path.Root("phone_type"), "Unknown phone type in state",
			fmt.Sprintf("The state holds phone_type %q, which is not one of %s.", phoneType, quoteList(phoneTypeValues)))
		return
	}
	var opts []graph.GetOption
	if wroteRecently(ctx, req.Private, time.Now()) {
		// A read contradicting the write just made is stale, not drift.
		opts = append(opts, graph.WithNotFoundRetries(readBackNotFoundRetries), graph.WithExpected(state.shows))
	}
	pm, err := r.client.GetPhoneMethod(ctx, userID, methodID, opts...)
	if graph.IsNotFound(err) {
		// Deleted outside Terraform: the next plan shows a create.
		resp.State.RemoveResource(ctx)
		return
	}
	if end := operationEnded(ctx, err); err != nil && end != endedByGraph {
		resp.Diagnostics.Append(readEnded(end, userID, phoneType, timeout, err)...)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read phone method",
			fmt.Sprintf("Reading the %s phone of user %q failed: %s%s", phoneType, userID, err, graphHint(err, userID)))
		return
	}
	prior := state.SMSSignInEnabled
	state.applyMethod(*pm)
	state.SMSSignInEnabled = smsSignInEnabledFromState(pm.SMSSignInState, prior)
	resp.Diagnostics.Append(clearRecentWrite(ctx, resp.Private)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *phoneAuthenticationMethodResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state phoneAuthenticationMethodModel
	var configSMS types.Bool
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, pathSMSSignInEnabled, &configSMS)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := plan.Timeouts.Update(ctx, defaultUpdateTimeout)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	userID, phoneType := state.UserID.ValueString(), state.PhoneType.ValueString()
	methodID, _ := graph.MethodIDForPhoneType(phoneType)
	unlock, err := r.locks.lock(ctx, r.lockKey(userID))
	if err != nil {
		resp.Diagnostics.Append(lockWaitEnded(ctx, err, "update phone method", "update", userID)...)
		return
	}
	defer unlock()

	next := plan
	next.ID, next.MethodID = types.StringValue(importID(userID, phoneType)), types.StringValue(methodID)
	numberChanged := !phonenumber.Equal(state.PhoneNumber.ValueString(), plan.PhoneNumber.ValueString())
	if numberChanged {
		if err := r.client.UpdatePhoneMethod(ctx, userID, methodID, plan.PhoneNumber.ValueString()); err != nil {
			if end := operationEnded(ctx, err); end != endedByGraph {
				saved, d := r.afterUpdateEnded(ctx, end, state, plan, timeout, err)
				for _, e := range d.Errors() {
					resp.Diagnostics.AddAttributeError(path.Root("phone_number"), e.Summary(), e.Detail())
				}
				resp.Diagnostics.Append(resp.State.Set(ctx, &saved)...)
				return
			}
			detail := fmt.Sprintf("Changing the number of user %q's %s phone to %q failed: %s", userID, phoneType, plan.PhoneNumber.ValueString(), err)
			if graph.IsNotFound(err) {
				detail += "\n\nThe phone (or the user) no longer exists in Graph; run terraform apply again to create it."
			} else {
				detail += graphHint(err, userID)
			}
			resp.Diagnostics.AddAttributeError(path.Root("phone_number"), "Cannot update phone number", detail)
			return
		}
		resp.Diagnostics.Append(markRecentWrite(ctx, resp.Private, time.Now())...)
	}

	pm := graph.PhoneMethod{ID: methodID, PhoneNumber: plan.PhoneNumber.ValueString(), PhoneType: phoneType, SMSSignInState: state.SMSSignInState.ValueString()}
	managed := !configSMS.IsNull()
	switch {
	case managed && (numberChanged || !plan.SMSSignInEnabled.Equal(state.SMSSignInEnabled)):
		// A changed flag always calls enable/disable. A new number alone is
		// read once (PATCH answers 204 without a body) and enabled or
		// disabled only when Graph's state differs from the configuration,
		// which saves a write per resource when Graph keeps the registration.
		force := !plan.SMSSignInEnabled.Equal(state.SMSSignInEnabled)
		if !force {
			// A read that still shows the old number is stale (eventual
			// consistency): its state says nothing about the new number.
			cur, err := r.client.GetPhoneMethod(ctx, userID, methodID, graph.WithNotFoundRetries(readBackNotFoundRetries), graph.WithExpected(showsNumber(plan.PhoneNumber.ValueString())))
			if err == nil && phonenumber.Equal(cur.PhoneNumber, plan.PhoneNumber.ValueString()) {
				pm = *cur
			} else {
				force = true
			}
		}
		out, d := r.setSMSSignIn(ctx, userID, pm, plan.SMSSignInEnabled.ValueBool(), force, state.SMSSignInEnabled)
		resp.Diagnostics.Append(markRecentWrite(ctx, resp.Private, time.Now())...)
		next.SMSSignInState = types.StringValue(out.Method.SMSSignInState)
		next.SMSSignInEnabled = out.Enabled
		resp.Diagnostics.Append(d...)
	case numberChanged:
		// PATCH answers 204 without a body: one read for the new state.
		cur, err := r.client.GetPhoneMethod(ctx, userID, methodID, graph.WithNotFoundRetries(readBackNotFoundRetries), graph.WithExpected(showsNumber(plan.PhoneNumber.ValueString())))
		if err != nil {
			resp.Diagnostics.AddWarning("Could not read back the phone method",
				fmt.Sprintf("The number of user %q's %s phone was changed, but reading it back failed; sms_sign_in_state is refreshed on the next plan: %s", userID, phoneType, err))
			next.SMSSignInState = state.SMSSignInState
		} else {
			next.SMSSignInState = types.StringValue(cur.SMSSignInState)
		}
		if !managed {
			next.SMSSignInEnabled = smsSignInEnabledFromState(next.SMSSignInState.ValueString(), state.SMSSignInEnabled)
		}
	default:
		// Nothing Graph holds changed (e.g. only timeouts): keep its values.
		next.SMSSignInState = state.SMSSignInState
		if !managed {
			next.SMSSignInEnabled = state.SMSSignInEnabled
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &next)...)
}

func (r *phoneAuthenticationMethodResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state phoneAuthenticationMethodModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := state.Timeouts.Delete(ctx, defaultDeleteTimeout)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	resp.Diagnostics.Append(r.deletePhoneMethod(ctx, state.UserID.ValueString(), state.PhoneType.ValueString(), timeout)...)
}

// errDiags wraps one error diagnostic.
func errDiags(summary, detail string) diag.Diagnostics {
	var d diag.Diagnostics
	d.AddError(summary, detail)
	return d
}

// graphHint adds what to check for refusals that are about the caller or
// the user rather than the phone (branching on status only).
func graphHint(err error, userID string) string {
	switch {
	case graph.IsForbidden(err):
		return "\n\nThe identity Terraform runs as lacks permission: it needs the application permission UserAuthenticationMethod.ReadWrite.All (or UserAuthMethod-Phone.ReadWrite.All; the Read.All variants for plans only), or, when signed in as a user, the Authentication Administrator role."
	case graph.IsUnauthorized(err):
		return "\n\nGraph refused the access token: check tenant_id, client_id and the credential, and that the token is for this cloud's Graph."
	case graph.IsNotFound(err):
		return fmt.Sprintf("\n\nCheck that user_id %q is an existing user's object id or user principal name.", userID)
	}
	return ""
}
