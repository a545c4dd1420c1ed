package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
	"github.com/entraauth/terraform-provider-entraauth/internal/phonenumber"
)

// ValidateConfig refuses sms_sign_in_enabled on phones that cannot do SMS
// sign-in, at plan time rather than after Graph refuses it.
func (r *phoneAuthenticationMethodResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var phoneType types.String
	var sms types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("phone_type"), &phoneType)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("sms_sign_in_enabled"), &sms)...)
	if resp.Diagnostics.HasError() || phoneType.IsNull() || phoneType.IsUnknown() || sms.IsNull() {
		return
	}
	if phoneType.ValueString() != graph.PhoneTypeMobile {
		resp.Diagnostics.AddAttributeError(path.Root("sms_sign_in_enabled"), "sms_sign_in_enabled needs a mobile phone",
			fmt.Sprintf("sms_sign_in_enabled can only be set when phone_type is %q: Microsoft Graph supports SMS sign-in only on the mobile phone, and phone_type is %q (voice only). Remove sms_sign_in_enabled from this resource.",
				graph.PhoneTypeMobile, phoneType.ValueString()))
	}
}

// ModifyPlan makes the plan say exactly what apply will do: id and
// method_id are known from the configuration, and the computed SMS values
// keep their state unless the number or the SMS setting changes (then Graph
// may report something new, so they are unknown).
func (r *phoneAuthenticationMethodResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan, config phoneAuthenticationMethodModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.UserID.IsUnknown() && !plan.PhoneType.IsUnknown() {
		plan.ID = types.StringValue(importID(plan.UserID.ValueString(), plan.PhoneType.ValueString()))
		if id, ok := graph.MethodIDForPhoneType(plan.PhoneType.ValueString()); ok {
			plan.MethodID = types.StringValue(id)
		}
	}
	if !req.State.Raw.IsNull() {
		var state phoneAuthenticationMethodModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		numberChanges := plan.PhoneNumber.IsUnknown() || !phonenumber.Equal(plan.PhoneNumber.ValueString(), state.PhoneNumber.ValueString())
		smsChanges := !config.SMSSignInEnabled.IsNull() && !config.SMSSignInEnabled.Equal(state.SMSSignInEnabled)
		switch {
		case !numberChanges && !smsChanges:
			plan.SMSSignInState = state.SMSSignInState
			if config.SMSSignInEnabled.IsNull() {
				plan.SMSSignInEnabled = state.SMSSignInEnabled
			}
		default:
			plan.SMSSignInState = types.StringUnknown()
			if config.SMSSignInEnabled.IsNull() {
				plan.SMSSignInEnabled = types.BoolUnknown()
			}
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}
