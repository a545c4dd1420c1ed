package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

var (
	_ datasource.DataSource              = (*smsPolicyDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*smsPolicyDataSource)(nil)
)

// smsPolicyDataSource is data.entraauth_sms_authentication_method_policy,
// for modules that only need to know whether SMS sign-in is possible.
type smsPolicyDataSource struct {
	client *graph.Client
}

// NewSMSAuthenticationMethodPolicyDataSource returns the data source.
func NewSMSAuthenticationMethodPolicyDataSource() datasource.DataSource {
	return &smsPolicyDataSource{}
}

// smsPolicyDataSourceModel is the resource's model without timeouts.
type smsPolicyDataSourceModel struct {
	ID             types.String `tfsdk:"id"`
	State          types.String `tfsdk:"state"`
	IncludeTargets types.Set    `tfsdk:"include_targets"`
	ExcludeTargets types.Set    `tfsdk:"exclude_targets"`
}

func (d *smsPolicyDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sms_authentication_method_policy"
}

func (d *smsPolicyDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *smsPolicyDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the SMS configuration of the tenant's authentication methods policy: whether text messages are on, " +
			"for whom, and whether they may be used for sign-in. Needs `Policy.Read.All` (or `Policy.Read.AuthenticationMethod`).",
		Attributes: map[string]schema.Attribute{
			"id":    dsString("Graph's id of the configuration, always `Sms`."),
			"state": dsString(fmt.Sprintf("Whether text message (SMS) authentication is on for the targets: one of %s.", quoteList(smsPolicyStates))),
			"include_targets": schema.SetNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Who may use text messages.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":          dsString("The object id of a group or user, or `all_users`."),
					"target_type": dsString(fmt.Sprintf("One of %s.", quoteList(smsTargetTypes))),
					"is_usable_for_sign_in": schema.BoolAttribute{Computed: true,
						MarkdownDescription: "Whether the targets may use their mobile number to sign in (SMS sign-in)."},
				}},
			},
			"exclude_targets": schema.SetNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Who may not use text messages, even when an include target covers them.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":          dsString("The object id of a group or user."),
					"target_type": dsString(fmt.Sprintf("One of %s.", quoteList(smsTargetTypes))),
				}},
			},
		},
	}
}

func (d *smsPolicyDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx, cancel := context.WithTimeout(ctx, dataSourceReadTimeout)
	defer cancel()
	got, err := d.client.GetSMSPolicy(ctx, nil)
	if err != nil {
		resp.Diagnostics.Append(smsPolicyFailed(false, err, "read", dataSourceReadTimeout)...)
		return
	}
	var m smsPolicyModel
	m.IncludeTargets = types.SetNull(smsIncludeTargetType)
	m.ExcludeTargets = types.SetNull(smsExcludeTargetType)
	resp.Diagnostics.Append(m.applyPolicy(ctx, *got)...)
	out := smsPolicyDataSourceModel{ID: m.ID, State: m.State, IncludeTargets: m.IncludeTargets, ExcludeTargets: m.ExcludeTargets}
	resp.Diagnostics.Append(resp.State.Set(ctx, &out)...)
}
