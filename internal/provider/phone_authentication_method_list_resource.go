package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
	"github.com/entraauth/terraform-provider-entraauth/internal/phonenumber"
)

var (
	_ list.ListResource                   = (*userMethodListResource[graph.PhoneMethod])(nil)
	_ list.ListResourceWithConfigure      = (*userMethodListResource[graph.PhoneMethod])(nil)
	_ list.ListResourceWithValidateConfig = (*userMethodListResource[graph.PhoneMethod])(nil)
)

// NewPhoneAuthenticationMethodListResource returns `list
// "entraauth_phone_authentication_method"`, for `terraform query`
// (Terraform 1.14+): the phones of some users, each with its identity.
func NewPhoneAuthenticationMethodListResource() list.ListResource {
	return &userMethodListResource[graph.PhoneMethod]{kind: phoneMethodKind}
}

var phoneMethodKind = userMethodKind[graph.PhoneMethod]{
	typeName: "_phone_authentication_method",
	description: "Finds existing phone authentication methods for `terraform query` (Terraform 1.14+), so `terraform query -generate-config-out=phones.tf` " +
		"writes a resource and an import block for each. Give exactly one of `user_ids`, `group_id` or `all_users`. Each result is one phone with its identity " +
		"(the user's object id and the phone type); its display name is the user principal name and the phone type, never the number. ",
	plural:         "phones",
	readPermission: "UserAuthenticationMethod.Read.All for the phones",
	readFailed:     "Cannot list phone methods",
	readWhat:       "the phone methods",
	read: func(ctx context.Context, c *graph.Client, userID string) ([]graph.PhoneMethod, error) {
		phones, err := c.ListPhoneMethods(ctx, userID)
		return sortedPhones(phones), err
	},
	readHint: graphHint,
	fill:     phoneResult,
}

// sortedPhones orders a user's phones as phoneTypeValues lists the types,
// so results and generated configuration come in a stable order.
func sortedPhones(phones []graph.PhoneMethod) []graph.PhoneMethod {
	out := make([]graph.PhoneMethod, 0, len(phones))
	for _, t := range graph.PhoneTypes() {
		for _, pm := range phones {
			if pm.PhoneType == t {
				out = append(out, pm)
			}
		}
	}
	return out
}

// phoneResult is one phone as a list result: identity always, the full
// resource when Terraform asks for it (-generate-config-out).
func phoneResult(ctx context.Context, result *list.ListResult, name string, u graph.User, pm graph.PhoneMethod, includeResource bool) {
	result.DisplayName = name + " " + string(pm.PhoneType)
	m := phoneAuthenticationMethodModel{UserID: types.StringValue(u.ID), PhoneType: types.StringValue(string(pm.PhoneType))}
	result.Diagnostics.Append(setIdentity(ctx, result.Identity, m)...)
	if !includeResource {
		return
	}
	m.applyMethod(pm)
	// Generated configuration manages SMS sign-in only where Graph has
	// it: the mobile. Elsewhere the attribute would be refused at plan time.
	m.SMSSignInEnabled = types.BoolNull()
	if pm.PhoneType == graph.PhoneTypeMobile {
		m.SMSSignInEnabled = smsSignInEnabledFromState(pm.SMSSignInState, types.BoolNull())
	}
	if phonenumber.IsMasked(pm.PhoneNumber) {
		result.Diagnostics.AddWarning("Phone number is masked",
			fmt.Sprintf("Graph returned user %q's %s number masked (%s): the identity Terraform runs as may read only masked numbers (the Authentication Administrator role sees full numbers only for some users). "+
				"Write the full number into the generated phone_number before applying.", name, pm.PhoneType, pm.PhoneNumber))
	}
	setResourceAttributes(ctx, result, []resourceAttribute{
		{"id", m.ID}, {"user_id", m.UserID}, {"phone_type", m.PhoneType}, {"phone_number", m.PhoneNumber},
		{"sms_sign_in_enabled", m.SMSSignInEnabled}, {"method_id", m.MethodID}, {"sms_sign_in_state", m.SMSSignInState},
	})
}
