package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

var (
	_ list.ListResource                   = (*userMethodListResource[graph.EmailMethod])(nil)
	_ list.ListResourceWithConfigure      = (*userMethodListResource[graph.EmailMethod])(nil)
	_ list.ListResourceWithValidateConfig = (*userMethodListResource[graph.EmailMethod])(nil)
)

// emailReadPermissions is what reading users' email methods needs.
const emailReadPermissions = "the application permission UserAuthenticationMethod.Read.All or UserAuthMethod-Email.Read.All, " +
	"or, when signed in as a user, the Authentication Administrator role"

// NewEmailAuthenticationMethodListResource returns `list
// "entraauth_email_authentication_method"`, for `terraform query`
// (Terraform 1.14+): the email methods of some users, each with its identity.
func NewEmailAuthenticationMethodListResource() list.ListResource {
	return &userMethodListResource[graph.EmailMethod]{kind: emailMethodKind}
}

var emailMethodKind = userMethodKind[graph.EmailMethod]{
	typeName: "_email_authentication_method",
	description: "Finds existing email authentication methods (the addresses self-service password reset uses) for `terraform query` (Terraform 1.14+), " +
		"so `terraform query -generate-config-out=emails.tf` writes a resource and an import block for each. Give exactly one of `user_ids`, `group_id` or `all_users`. " +
		"Each result is one user's email method with its identity (the user's object id); its display name is the user principal name followed by `email`, never the address. " +
		"Users without an email method give no result. Reading the methods needs `UserAuthenticationMethod.Read.All` or `UserAuthMethod-Email.Read.All`. ",
	plural:         "email methods",
	readPermission: "UserAuthenticationMethod.Read.All (or UserAuthMethod-Email.Read.All) for the email methods",
	readFailed:     "Cannot read email method",
	readWhat:       "the email method",
	read:           readEmailMethods,
	readHint:       readMethodsHint(emailReadPermissions),
	fill:           emailResult,
}

// readEmailMethods returns the user's email method, or none when the user
// has none (Graph's empty list, which GetEmailMethod answers with a 404
// that is not about the user).
func readEmailMethods(ctx context.Context, c *graph.Client, userID string) ([]graph.EmailMethod, error) {
	m, err := c.GetEmailMethod(ctx, userID, 0, nil)
	switch {
	case graph.IsNotFound(err) && !graph.IsUserNotFound(err):
		return nil, nil
	case err != nil:
		return nil, err
	}
	return []graph.EmailMethod{*m}, nil
}

// emailResult is one email method as a list result: identity always, the
// full resource when Terraform asks for it (-generate-config-out), in the
// form the resource stores after an import by object id.
func emailResult(ctx context.Context, result *list.ListResult, name string, u graph.User, m graph.EmailMethod, includeResource bool) {
	result.DisplayName = name + " email"
	userID := types.StringValue(u.ID)
	result.Diagnostics.Append(result.Identity.Set(ctx, emailAuthenticationMethodIdentity{UserID: userID})...)
	if !includeResource {
		return
	}
	setResourceAttributes(ctx, result, []resourceAttribute{
		{"id", userID}, {"user_id", userID}, {"email_address", types.StringValue(m.EmailAddress)}, {"method_id", types.StringValue(m.ID)},
	})
}
