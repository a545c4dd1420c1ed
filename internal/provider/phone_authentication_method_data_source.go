package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
	"github.com/entraauth/terraform-provider-entraauth/internal/validators"
)

var (
	_ datasource.DataSource                     = (*phoneAuthenticationMethodDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*phoneAuthenticationMethodDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*phoneAuthenticationMethodDataSource)(nil)
)

// dataSourceReadTimeout bounds a data source read and its retries; data
// sources have no timeouts block in this provider.
const dataSourceReadTimeout = 2 * time.Minute

// phoneAuthenticationMethodDataSource is entraauth_phone_authentication_method.
type phoneAuthenticationMethodDataSource struct {
	client *graph.Client
}

// NewPhoneAuthenticationMethodDataSource returns the data source.
func NewPhoneAuthenticationMethodDataSource() datasource.DataSource {
	return &phoneAuthenticationMethodDataSource{}
}

type phoneAuthenticationMethodDataSourceModel struct {
	ID               types.String `tfsdk:"id"`
	UserID           types.String `tfsdk:"user_id"`
	PhoneType        types.String `tfsdk:"phone_type"`
	MethodID         types.String `tfsdk:"method_id"`
	PhoneNumber      types.String `tfsdk:"phone_number"`
	SMSSignInState   types.String `tfsdk:"sms_sign_in_state"`
	SMSSignInEnabled types.Bool   `tfsdk:"sms_sign_in_enabled"`
}

func (d *phoneAuthenticationMethodDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_phone_authentication_method"
}

func (d *phoneAuthenticationMethodDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *phoneAuthenticationMethodDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	desc := "Reads one phone authentication method of a Microsoft Entra ID user, chosen by `phone_type` or `method_id`, with its SMS sign-in state. " +
		"A user without that phone is an error."
	resp.Schema = schema.Schema{
		MarkdownDescription: desc,
		Attributes: map[string]schema.Attribute{
			"id":      dsString("`{user_id}/{phone_type}`, the same as the resource's id."),
			"user_id": dsUserID(),
			"phone_type": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: fmt.Sprintf("The phone to read: one of %s. Exactly one of `phone_type` and `method_id` must be set.", quoteList(phoneTypeValues)),
				Validators:          []validator.String{stringvalidator.OneOf(phoneTypeValues...)},
			},
			"method_id": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Graph's id of the phone method to read (fixed per phone type: " + validators.MethodIDList() + "). Exactly one of `phone_type` and `method_id` must be set.",
				Validators:          []validator.String{validators.MethodID()},
			},
			"phone_number":        dsString("The phone number as Graph returns it."),
			"sms_sign_in_state":   dsString(fmt.Sprintf("Graph's `smsSignInState`: one of %s.", quoteList(smsSignInStates()))),
			"sms_sign_in_enabled": dsSMSSignInEnabled(),
		},
	}
}

func (d *phoneAuthenticationMethodDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("phone_type"), path.MatchRoot("method_id")),
	}
}

func (d *phoneAuthenticationMethodDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m phoneAuthenticationMethodDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, dataSourceReadTimeout)
	defer cancel()

	userID := m.UserID.ValueString()
	phoneType := graph.PhoneType(m.PhoneType.ValueString())
	if phoneType == "" {
		t, ok := graph.PhoneTypeForMethodID(m.MethodID.ValueString())
		if !ok { // the validator already refuses this; kept for unknown-at-plan values
			resp.Diagnostics.AddAttributeError(path.Root("method_id"), "Unknown phone method id", validators.MethodIDProblem(m.MethodID.ValueString()))
			return
		}
		phoneType = t
	}
	methodID := phoneType.MethodID()
	pm, err := d.client.GetPhoneMethod(ctx, userID, phoneType)
	if graph.IsNotFound(err) {
		resp.Diagnostics.AddError("Phone method not found",
			fmt.Sprintf("User %q has no %s phone (method id %s), or the user does not exist. Use the entraauth_phone_authentication_methods data source to list the phones a user has.\n\nMicrosoft Graph: %s",
				userID, phoneType, methodID, err))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read phone method", fmt.Sprintf("Reading the %s phone of user %q failed: %s%s", phoneType, userID, err, graphHint(d.client, err, userID)))
		return
	}
	m.ID = types.StringValue(importID(userID, phoneType))
	m.PhoneType = types.StringValue(string(phoneType))
	m.MethodID = types.StringValue(methodID)
	m.PhoneNumber = types.StringValue(pm.PhoneNumber)
	m.SMSSignInState = types.StringValue(pm.SMSSignInState)
	m.SMSSignInEnabled = smsSignInEnabledFromState(pm.SMSSignInState, types.BoolNull())
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// clientFromProviderData returns the Graph client the provider configured
// (nil before configuration, e.g. during validation).
func clientFromProviderData(data any, diags interface{ AddError(string, string) }) *graph.Client {
	if data == nil {
		return nil
	}
	pd, ok := data.(*providerData)
	if !ok || pd == nil || pd.Client == nil {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData with a Graph client, got %T. This is a bug in the provider; please report it.", data))
		return nil
	}
	return pd.Client
}

func dsString(desc string) schema.StringAttribute {
	return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
}

func dsUserID() schema.StringAttribute {
	desc := "The user's object id or user principal name."
	return schema.StringAttribute{Required: true, MarkdownDescription: desc, Validators: []validator.String{validators.UserID()}}
}

func dsSMSSignInEnabled() schema.BoolAttribute {
	desc := "Whether the number can be used for SMS sign-in, read from `sms_sign_in_state` with the same table as the resource: `true` only for `ready`; null for a state this provider does not know."
	return schema.BoolAttribute{Computed: true, MarkdownDescription: desc}
}
