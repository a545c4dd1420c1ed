package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

var (
	_ datasource.DataSource              = (*userAuthenticationMethodsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*userAuthenticationMethodsDataSource)(nil)
)

// userAuthenticationMethodsDataSource is entraauth_user_authentication_methods:
// every method a user has registered, of every type, read-only.
type userAuthenticationMethodsDataSource struct {
	client *graph.Client
}

// NewUserAuthenticationMethodsDataSource returns the data source.
func NewUserAuthenticationMethodsDataSource() datasource.DataSource {
	return &userAuthenticationMethodsDataSource{}
}

type userAuthenticationMethodsDataSourceModel struct {
	ID      types.String `tfsdk:"id"`
	UserID  types.String `tfsdk:"user_id"`
	Methods types.List   `tfsdk:"methods"`
}

// methodAttribute is one attribute of an element of methods: its schema
// and its value read from Graph's method. The list is the one source of the
// schema, the element type and the mapping.
type methodAttribute struct {
	name string
	// types are the method types that have it (empty: every type).
	types []string
	desc  string
	typ   attr.Type
	value func(graph.AuthenticationMethod) attr.Value
}

var userMethodAttributes = []methodAttribute{
	{name: "id", desc: "Graph's id of the method.", typ: types.StringType,
		value: func(m graph.AuthenticationMethod) attr.Value { return types.StringValue(m.ID) }},
	{name: "type", typ: types.StringType,
		desc: "The method's type: Graph's `@odata.type` without `#microsoft.graph.`, e.g. `fido2AuthenticationMethod`. The types whose own attributes are read: " +
			quoteList(graph.KnownMethodTypes()) + ". A type Graph adds later is listed too, with `id`, `type`, `display_name` and `created_date_time` only.",
		value: func(m graph.AuthenticationMethod) attr.Value { return types.StringValue(m.Type) }},
	{name: "display_name", typ: types.StringType,
		desc:  "The name Graph shows for the method (FIDO2 security keys, Authenticator devices, Windows Hello and platform credentials); null when Graph has none.",
		value: func(m graph.AuthenticationMethod) attr.Value { return types.StringPointerValue(m.DisplayName) }},
	{name: "created_date_time", typ: types.StringType,
		desc: "When the method was registered, in RFC 3339 (UTC); null when Graph does not say (as for phones and email, and often passwords).",
		value: func(m graph.AuthenticationMethod) attr.Value {
			if m.CreatedDateTime == nil {
				return types.StringNull()
			}
			return types.StringValue(m.CreatedDateTime.Format(time.RFC3339Nano))
		}},
	{name: "phone_type", types: []string{graph.MethodTypePhone}, typ: types.StringType,
		desc:  fmt.Sprintf("The phone's type: one of %s.", quoteList(phoneTypeValues)),
		value: func(m graph.AuthenticationMethod) attr.Value { return types.StringPointerValue(m.PhoneType) }},
	{name: "phone_number", types: []string{graph.MethodTypePhone}, typ: types.StringType,
		desc:  "The phone number as Graph returns it: masked (e.g. `+1 42XXXXXX12`) when the identity Terraform runs as may only see masked numbers.",
		value: func(m graph.AuthenticationMethod) attr.Value { return types.StringPointerValue(m.PhoneNumber) }},
	{name: "sms_sign_in_state", types: []string{graph.MethodTypePhone}, typ: types.StringType,
		desc:  fmt.Sprintf("Graph's `smsSignInState`: one of %s.", quoteList(smsSignInStates())),
		value: func(m graph.AuthenticationMethod) attr.Value { return types.StringPointerValue(m.SMSSignInState) }},
	{name: "email_address", types: []string{graph.MethodTypeEmail}, typ: types.StringType,
		desc:  "The email address used for self-service password reset.",
		value: func(m graph.AuthenticationMethod) attr.Value { return types.StringPointerValue(m.EmailAddress) }},
	{name: "aaguid", types: []string{graph.MethodTypeFido2}, typ: types.StringType,
		desc:  "The authenticator's AAGUID (Graph's `aaGuid`), which identifies the security key's or passkey provider's model.",
		value: func(m graph.AuthenticationMethod) attr.Value { return types.StringPointerValue(m.AAGUID) }},
	{name: "model", types: []string{graph.MethodTypeFido2}, typ: types.StringType,
		desc:  "The security key's or passkey's model, as Graph names it.",
		value: func(m graph.AuthenticationMethod) attr.Value { return types.StringPointerValue(m.Model) }},
	{name: "device_tag", types: []string{graph.MethodTypeAuthenticator}, typ: types.StringType,
		desc:  "Graph's `deviceTag` of the Authenticator app registration, e.g. `SoftwareTokenActivated`.",
		value: func(m graph.AuthenticationMethod) attr.Value { return types.StringPointerValue(m.DeviceTag) }},
	{name: "phone_app_version", types: []string{graph.MethodTypeAuthenticator}, typ: types.StringType,
		desc:  "The version of the Authenticator app.",
		value: func(m graph.AuthenticationMethod) attr.Value { return types.StringPointerValue(m.PhoneAppVersion) }},
	{name: "key_strength", types: []string{graph.MethodTypeWindowsHello, graph.MethodTypePlatformCredential}, typ: types.StringType,
		desc:  "Graph's `keyStrength` of the key: `normal`, `weak` or `unknown`.",
		value: func(m graph.AuthenticationMethod) attr.Value { return types.StringPointerValue(m.KeyStrength) }},
	{name: "is_usable", types: []string{graph.MethodTypeTemporaryAccessPass}, typ: types.BoolType,
		desc:  "Whether the pass can be used to sign in now. The pass itself is never read: Graph returns it only when it is created.",
		value: func(m graph.AuthenticationMethod) attr.Value { return types.BoolPointerValue(m.IsUsable) }},
	{name: "method_usability_reason", types: []string{graph.MethodTypeTemporaryAccessPass}, typ: types.StringType,
		desc: "Why the pass can or cannot be used, as Graph says it, e.g. `EnabledByPolicy`, `Expired`, `NotYetValid`, `OneTimeUsed`.",
		value: func(m graph.AuthenticationMethod) attr.Value {
			return types.StringPointerValue(m.MethodUsabilityReason)
		}},
	{name: "lifetime_in_minutes", types: []string{graph.MethodTypeTemporaryAccessPass}, typ: types.Int64Type,
		desc:  "How long the pass is valid after its start, in minutes.",
		value: func(m graph.AuthenticationMethod) attr.Value { return types.Int64PointerValue(m.LifetimeInMinutes) }},
}

// userMethodObjectType is the element type of methods.
func userMethodObjectType() types.ObjectType {
	t := types.ObjectType{AttrTypes: map[string]attr.Type{}}
	for _, a := range userMethodAttributes {
		t.AttrTypes[a.name] = a.typ
	}
	return t
}

// description is a's schema description, naming the types that have it.
func (a methodAttribute) description() string {
	if len(a.types) == 0 {
		return a.desc
	}
	return fmt.Sprintf("%s Set for %s; null for other types.", a.desc, quoteList(a.types))
}

// schemaAttribute is a's computed schema attribute.
func (a methodAttribute) schemaAttribute() schema.Attribute {
	switch a.typ {
	case types.BoolType:
		return schema.BoolAttribute{Computed: true, MarkdownDescription: a.description()}
	case types.Int64Type:
		return schema.Int64Attribute{Computed: true, MarkdownDescription: a.description()}
	}
	return schema.StringAttribute{Computed: true, MarkdownDescription: a.description()}
}

// userMethodValue is one element of methods.
func userMethodValue(m graph.AuthenticationMethod) (types.Object, error) {
	values := make(map[string]attr.Value, len(userMethodAttributes))
	for _, a := range userMethodAttributes {
		values[a.name] = a.value(m)
	}
	obj, diags := types.ObjectValue(userMethodObjectType().AttrTypes, values)
	if diags.HasError() {
		return obj, fmt.Errorf("method %s: %v", m.ID, diags)
	}
	return obj, nil
}

func (d *userAuthenticationMethodsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user_authentication_methods"
}

func (d *userAuthenticationMethodsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *userAuthenticationMethodsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	desc := "Lists every authentication method a Microsoft Entra ID user has registered (password, phones, email, FIDO2 security keys and passkeys, " +
		"Microsoft Authenticator, Windows Hello for Business, software OATH tokens, Temporary Access Passes, platform credentials, and types Graph adds later), " +
		"in Graph's order, for audits. Reads `GET /users/{id}/authentication/methods`, which needs " + permissionList() + "."
	attrs := map[string]schema.Attribute{}
	for _, a := range userMethodAttributes {
		attrs[a.name] = a.schemaAttribute()
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: desc,
		Attributes: map[string]schema.Attribute{
			"id":      dsString("The user_id, as given."),
			"user_id": dsUserID(),
			"methods": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The user's methods, in Graph's order. Each has `id` and `type`; the type-specific attributes are null for other types.",
				NestedObject:        schema.NestedAttributeObject{Attributes: attrs},
			},
		},
	}
}

// permissionList names the permissions the list needs, for the
// description and the 403 error.
func permissionList() string {
	return "the permission " + strings.Join(graph.ListAuthenticationMethodsPermissions, " or ") +
		" (application, or delegated with one of the roles " + strings.Join(graph.ListAuthenticationMethodsRoles, ", ") + ")"
}

func (d *userAuthenticationMethodsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m userAuthenticationMethodsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, dataSourceReadTimeout)
	defer cancel()

	userID := m.UserID.ValueString()
	methods, err := d.client.ListAuthenticationMethods(ctx, userID)
	if err != nil {
		resp.Diagnostics.AddError("Cannot list authentication methods", userMethodsErrorDetail(d.client, userID, err))
		return
	}
	elems := make([]attr.Value, 0, len(methods))
	for _, gm := range methods {
		obj, err := userMethodValue(gm)
		if err != nil {
			resp.Diagnostics.AddError("Cannot list authentication methods", "This is a bug in the provider; please report it: "+err.Error())
			return
		}
		elems = append(elems, obj)
	}
	list, diags := types.ListValue(userMethodObjectType(), elems)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.ID = types.StringValue(userID)
	m.Methods = list
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// userMethodsErrorDetail explains a failed list: an unknown user and a
// missing permission by name; the Graph error (status, code, request-id)
// always follows.
func userMethodsErrorDetail(c *graph.Client, userID string, err error) string {
	switch {
	case graph.IsNotFound(err):
		return fmt.Sprintf("User %q was not found: user_id must be an existing user's object id or user principal name.\n\nMicrosoft Graph: %s", userID, err)
	case graph.IsForbidden(err):
		return fmt.Sprintf("Listing the authentication methods of user %q was refused: the identity Terraform runs as needs %s.%s\n\nMicrosoft Graph: %s",
			userID, permissionList(), forbiddenCredentialHint(c), err)
	}
	return fmt.Sprintf("Listing the authentication methods of user %q failed: %s%s", userID, err, graphHint(c, err, userID))
}
