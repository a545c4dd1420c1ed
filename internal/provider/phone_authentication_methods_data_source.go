package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

var (
	_ datasource.DataSource              = (*phoneAuthenticationMethodsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*phoneAuthenticationMethodsDataSource)(nil)
)

// phoneAuthenticationMethodsDataSource is entraauth_phone_authentication_methods.
type phoneAuthenticationMethodsDataSource struct {
	client *graph.Client
}

// NewPhoneAuthenticationMethodsDataSource returns the data source.
func NewPhoneAuthenticationMethodsDataSource() datasource.DataSource {
	return &phoneAuthenticationMethodsDataSource{}
}

type phoneAuthenticationMethodsDataSourceModel struct {
	ID           types.String          `tfsdk:"id"`
	UserID       types.String          `tfsdk:"user_id"`
	PhoneMethods []phoneMethodListItem `tfsdk:"phone_methods"`
}

type phoneMethodListItem struct {
	MethodID         types.String `tfsdk:"method_id"`
	PhoneType        types.String `tfsdk:"phone_type"`
	PhoneNumber      types.String `tfsdk:"phone_number"`
	SMSSignInState   types.String `tfsdk:"sms_sign_in_state"`
	SMSSignInEnabled types.Bool   `tfsdk:"sms_sign_in_enabled"`
}

func (d *phoneAuthenticationMethodsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_phone_authentication_methods"
}

func (d *phoneAuthenticationMethodsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *phoneAuthenticationMethodsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	desc := "Lists all phone authentication methods of a Microsoft Entra ID user (at most one per phone type), with their SMS sign-in state. A user without phones gets an empty list."
	resp.Schema = schema.Schema{
		MarkdownDescription: desc,
		Attributes: map[string]schema.Attribute{
			"id":      dsString("The user_id, as given."),
			"user_id": dsUserID(),
			"phone_methods": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: fmt.Sprintf("The user's phones, ordered %s.", quoteList(phoneTypeValues)),
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"method_id":           dsString("Graph's id of the phone method (fixed per phone type)."),
					"phone_type":          dsString(fmt.Sprintf("One of %s.", quoteList(phoneTypeValues))),
					"phone_number":        dsString("The phone number as Graph returns it."),
					"sms_sign_in_state":   dsString(fmt.Sprintf("Graph's `smsSignInState`: one of %s.", quoteList(smsSignInStates()))),
					"sms_sign_in_enabled": dsSMSSignInEnabled(),
				}},
			},
		},
	}
}

func (d *phoneAuthenticationMethodsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m phoneAuthenticationMethodsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, dataSourceReadTimeout)
	defer cancel()

	userID := m.UserID.ValueString()
	phones, err := d.client.ListPhoneMethods(ctx, userID)
	if err != nil {
		detail := fmt.Sprintf("Listing the phones of user %q failed: %s%s", userID, err, graphHint(d.client, err, userID))
		if graph.IsNotFound(err) {
			detail = fmt.Sprintf("User %q was not found.\n\nMicrosoft Graph: %s", userID, err)
		}
		resp.Diagnostics.AddError("Cannot list phone methods", detail)
		return
	}
	// Graph's order is not documented; a fixed order keeps plans stable.
	slices.SortStableFunc(phones, func(a, b graph.PhoneMethod) int {
		return slices.Index(graph.PhoneTypes(), a.PhoneType) - slices.Index(graph.PhoneTypes(), b.PhoneType)
	})
	m.ID = types.StringValue(userID)
	m.PhoneMethods = make([]phoneMethodListItem, 0, len(phones))
	for _, pm := range phones {
		m.PhoneMethods = append(m.PhoneMethods, phoneMethodListItem{
			MethodID:         types.StringValue(pm.ID),
			PhoneType:        types.StringValue(string(pm.PhoneType)),
			PhoneNumber:      types.StringValue(pm.PhoneNumber),
			SMSSignInState:   types.StringValue(pm.SMSSignInState),
			SMSSignInEnabled: smsSignInEnabledFromState(pm.SMSSignInState, types.BoolNull()),
		})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
