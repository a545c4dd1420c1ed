package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
	"github.com/entraauth/terraform-provider-entraauth/internal/validators"
)

var _ resource.ResourceWithIdentity = (*phoneAuthenticationMethodResource)(nil)

// phoneAuthenticationMethodIdentity is the resource identity (Terraform
// 1.12+): the two values that name one phone in Graph.
//
// user_id is the resource's user_id exactly as configured, object id or
// user principal name, not an object id resolved from it. The identity has
// to match what the configuration says: user_id forces replacement, so an
// import by identity that stored the object id for a configuration naming
// the UPN would plan replacing the phone. Resolving UPNs would also cost a
// Graph read per resource on every create and import. The list resource
// returns object ids, which survive renames, and the docs recommend them.
type phoneAuthenticationMethodIdentity struct {
	UserID    types.String `tfsdk:"user_id"`
	PhoneType types.String `tfsdk:"phone_type"`
}

func (r *phoneAuthenticationMethodResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"user_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description: "The user's object id or user principal name, as the resource's user_id. " +
					"Object ids never change; a user principal name changes when the user is renamed.",
			},
			"phone_type": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       fmt.Sprintf("The kind of phone: one of %s.", quoteList(phoneTypeValues)),
			},
		},
	}
}

// identityOf is the identity of the phone a model describes.
func identityOf(m phoneAuthenticationMethodModel) phoneAuthenticationMethodIdentity {
	return phoneAuthenticationMethodIdentity{UserID: m.UserID, PhoneType: m.PhoneType}
}

// setIdentity stores the identity of m. Terraform older than 1.12 does not
// ask for identities; the framework then passes no identity to set.
//
// Read calls it for every phone on every plan, so the value is built by
// hand rather than by the framework's reflection (see phoneModelFromState).
func setIdentity(ctx context.Context, to *tfsdk.ResourceIdentity, m phoneAuthenticationMethodModel) diag.Diagnostics {
	if to == nil {
		return nil
	}
	id := identityOf(m)
	userID, err := id.UserID.ToTerraformValue(ctx)
	if err != nil {
		return errDiags("Cannot set the resource identity", err.Error())
	}
	phoneType, err := id.PhoneType.ToTerraformValue(ctx)
	if err != nil {
		return errDiags("Cannot set the resource identity", err.Error())
	}
	to.Raw = tftypes.NewValue(phoneIdentityType, map[string]tftypes.Value{"user_id": userID, "phone_type": phoneType})
	return nil
}

// phoneIdentityType is the identity schema's Terraform type.
var phoneIdentityType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{"user_id": tftypes.String, "phone_type": tftypes.String}}

// parseImportIdentity checks an identity given in an import block
// (identity = { user_id = ..., phone_type = ... }) with the import id's
// rules, and says what a valid identity looks like when it is not one.
func parseImportIdentity(id phoneAuthenticationMethodIdentity) (string, graph.PhoneType, error) {
	user, typ := id.UserID.ValueString(), id.PhoneType.ValueString()
	problem := ""
	switch {
	case id.UserID.IsNull() || id.UserID.IsUnknown() || user == "":
		problem = "user_id is empty"
	case validators.UserIDProblem(user) != "":
		problem = fmt.Sprintf("user_id %q is not valid: %s", user, validators.UserIDProblem(user))
	default:
		if t, ok := graph.PhoneTypeNamed(typ); ok {
			return user, t, nil
		}
		problem = fmt.Sprintf("phone_type %q is not one of %s", typ, quoteList(phoneTypeValues))
	}
	return "", "", fmt.Errorf("the import identity is not valid: %s. An identity is "+
		`identity = { user_id = "<object id or user principal name>", phone_type = "<%s>" }, `+
		`for example identity = { user_id = "adele@contoso.com", phone_type = "mobile" }`,
		problem, strings.Join(phoneTypeValues, " | "))
}
