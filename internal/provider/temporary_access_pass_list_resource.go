package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

var (
	_ list.ListResource                   = (*userMethodListResource[graph.TemporaryAccessPass])(nil)
	_ list.ListResourceWithConfigure      = (*userMethodListResource[graph.TemporaryAccessPass])(nil)
	_ list.ListResourceWithValidateConfig = (*userMethodListResource[graph.TemporaryAccessPass])(nil)
)

// tapReadPermissions is what reading users' Temporary Access Passes needs.
const tapReadPermissions = "the application permission UserAuthenticationMethod.Read.All or UserAuthMethod-TAP.Read.All, " +
	"or, when signed in as a user, the Authentication Administrator or Privileged Authentication Administrator role"

// NewTemporaryAccessPassListResource returns `list
// "entraauth_temporary_access_pass"`, for `terraform query` (Terraform
// 1.14+): the Temporary Access Passes of some users, each with its identity.
func NewTemporaryAccessPassListResource() list.ListResource {
	return &userMethodListResource[graph.TemporaryAccessPass]{kind: tapKind}
}

var tapKind = userMethodKind[graph.TemporaryAccessPass]{
	typeName: "_temporary_access_pass",
	description: "Finds existing Temporary Access Passes for `terraform query` (Terraform 1.14+), so `terraform query -generate-config-out=passes.tf` " +
		"writes a resource and an import block for each. Give exactly one of `user_ids`, `group_id` or `all_users`. " +
		"Each result is one pass with its identity (the user's object id and the pass's id); its display name is the user principal name, " +
		"`Temporary Access Pass` and when the pass was created. Graph never returns the pass itself after creating it: importing adopts the pass " +
		"(Terraform manages and deletes it from then on) with `temporary_access_pass` null, and replacing it issues a new pass. " +
		"Reading passes needs `UserAuthenticationMethod.Read.All` or `UserAuthMethod-TAP.Read.All`. ",
	plural:         "Temporary Access Passes",
	readPermission: "UserAuthenticationMethod.Read.All (or UserAuthMethod-TAP.Read.All) for the Temporary Access Passes",
	readFailed:     "Cannot list Temporary Access Passes",
	readWhat:       "the Temporary Access Passes",
	read: func(ctx context.Context, c *graph.Client, userID string) ([]graph.TemporaryAccessPass, error) {
		return c.ListTemporaryAccessPasses(ctx, userID)
	},
	readHint: readMethodsHint(tapReadPermissions),
	fill:     tapResult,
}

// tapResult is one pass as a list result: identity always, the full
// resource when Terraform asks for it (-generate-config-out), in the form
// the resource stores after an import.
func tapResult(ctx context.Context, result *list.ListResult, name string, u graph.User, t graph.TemporaryAccessPass, includeResource bool) {
	result.DisplayName = name + " Temporary Access Pass " + t.CreatedDateTime
	userID := types.StringValue(u.ID)
	result.Diagnostics.Append(result.Identity.Set(ctx, temporaryAccessPassIdentity{UserID: userID, ID: types.StringValue(t.ID)})...)
	if !includeResource {
		return
	}
	m := temporaryAccessPassModel{UserID: userID, TemporaryAccessPass: types.StringNull()}
	m.applyPass(t, types.StringNull())
	m.ReissueWhenExpired = types.BoolValue(false)
	result.Diagnostics.AddWarning("The pass itself cannot be imported",
		fmt.Sprintf("Graph returns a Temporary Access Pass only when it creates it, so the pass of user %q (id %s, created %s) cannot be read: "+
			"importing it adopts the pass, which Terraform then manages (and deletes on destroy), with temporary_access_pass null in the state. "+
			"Changing any of its arguments, or -replace, issues a new pass that replaces this one.", name, t.ID, t.CreatedDateTime))
	setResourceAttributes(ctx, result, []resourceAttribute{
		{"id", m.ID}, {"user_id", m.UserID}, {"method_id", m.MethodID}, {"lifetime_in_minutes", m.LifetimeInMinutes},
		{"is_usable_once", m.IsUsableOnce}, {"start_date_time", m.StartDateTime}, {"created_date_time", m.CreatedDateTime},
		{"is_usable", m.IsUsable}, {"method_usability_reason", m.MethodUsabilityReason},
		{"reissue_when_expired", m.ReissueWhenExpired}, {"temporary_access_pass", m.TemporaryAccessPass},
	})
}
