package provider

import (
	"context"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

// authenticationMethodsPolicyDataSource is entraauth_authentication_methods_policy:
// the policy root and every configuration the tenant has, including types
// this provider does not model (hardware OATH, external methods, and
// whatever Microsoft adds): reading never fails on a type it does not know.
type authenticationMethodsPolicyDataSource struct {
	client *graph.Client
}

var _ datasource.DataSourceWithConfigure = (*authenticationMethodsPolicyDataSource)(nil)

// NewAuthenticationMethodsPolicyDataSource returns the data source.
func NewAuthenticationMethodsPolicyDataSource() datasource.DataSource {
	return &authenticationMethodsPolicyDataSource{}
}

func (d *authenticationMethodsPolicyDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_authentication_methods_policy"
}

func (d *authenticationMethodsPolicyDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

// configurationSummaryType is one element of authentication_method_configurations.
var configurationSummaryType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"id": types.StringType, "type": types.StringType, "state": types.StringType, "display_name": types.StringType, "resource_type": types.StringType,
}}

func (d *authenticationMethodsPolicyDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the tenant's authentication methods policy (Microsoft Graph `/policies/authenticationMethodsPolicy`): " +
			"its migration state, the registration campaign, and every authentication method configuration with its state, " +
			"including configurations this provider has no resource for (hardware OATH tokens, external authentication methods, and any Microsoft adds). " +
			"Use it to see which methods a tenant allows, or to write the import blocks that adopt them. Needs `Policy.Read.All` (or `Policy.Read.AuthenticationMethod`).",
		Attributes: map[string]schema.Attribute{
			"id":                      dsString("Graph's id of the policy, `authenticationMethodsPolicy`."),
			"display_name":            dsString("The policy's display name."),
			"description":             dsString("The policy's description."),
			"last_modified_date_time": dsString("When the policy was last changed (RFC 3339)."),
			"policy_version":          dsString("The policy's version."),
			"policy_migration_state": dsString("Where the tenant is in the migration from the legacy MFA and self-service password reset settings: " +
				"`preMigration`, `migrationInProgress` or `migrationComplete`. Not managed by this provider: changing it can lock users out."),
			"registration_campaign": schema.SingleNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The registration campaign, as `entraauth_authentication_methods_registration_campaign` manages it.",
				Attributes:          dataSourceAttributes(registrationCampaign.fields),
			},
			"authentication_method_configurations": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Every configuration the tenant returns, ordered by id.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":           dsString("The configuration's id, such as `Fido2` (a GUID for external authentication methods)."),
					"type":         dsString("Its Graph type without the `#microsoft.graph.` prefix, such as `fido2AuthenticationMethodConfiguration`."),
					"state":        dsString("`enabled` or `disabled`."),
					"display_name": dsString("The display name Graph gives it (external authentication methods have one); null otherwise."),
					"resource_type": dsString("The resource type of this provider that manages it, such as `entraauth_fido2_authentication_method_policy`; " +
						"null for a configuration this provider has no resource for."),
				}},
			},
		},
	}
}

// authenticationMethodsPolicyModel is the data source's state.
type authenticationMethodsPolicyModel struct {
	ID                   types.String `tfsdk:"id"`
	DisplayName          types.String `tfsdk:"display_name"`
	Description          types.String `tfsdk:"description"`
	LastModified         types.String `tfsdk:"last_modified_date_time"`
	PolicyVersion        types.String `tfsdk:"policy_version"`
	PolicyMigrationState types.String `tfsdk:"policy_migration_state"`
	RegistrationCampaign types.Object `tfsdk:"registration_campaign"`
	Configurations       types.List   `tfsdk:"authentication_method_configurations"`
}

func (d *authenticationMethodsPolicyDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx, cancel := context.WithTimeout(ctx, dataSourceReadTimeout)
	defer cancel()
	root, err := d.client.GetAuthenticationMethodsPolicy(ctx)
	if err != nil {
		resp.Diagnostics.Append(policyPartFailed(&methodPolicyType{title: "authentication methods policy"}, false, err, "read", dataSourceReadTimeout)...)
		return
	}
	str := func(v any) types.String {
		if s, ok := v.(string); ok {
			return types.StringValue(s)
		}
		return types.StringNull()
	}
	m := authenticationMethodsPolicyModel{
		ID: str(root["id"]), DisplayName: str(root["displayName"]), Description: str(root["description"]),
		LastModified: str(root["lastModifiedDateTime"]), PolicyVersion: str(root["policyVersion"]), PolicyMigrationState: str(root["policyMigrationState"]),
	}
	campaign := graph.PolicyJSON{}
	if enf, ok := root["registrationEnforcement"].(map[string]any); ok {
		if c, ok := enf["authenticationMethodsRegistrationCampaign"].(map[string]any); ok {
			campaign = c
		}
	}
	m.RegistrationCampaign = types.ObjectValueMust(attrTypes(registrationCampaign.fields), fromGraph(registrationCampaign.fields, campaign, spellings{}, ""))

	managedBy := map[string]string{}
	for _, t := range methodPolicyTypes {
		if t.part.ConfigurationID != "" {
			managedBy[strings.ToLower(t.part.ConfigurationID)] = t.address()
		}
	}
	var configs []map[string]any
	list, _ := root["authenticationMethodConfigurations"].([]any)
	for _, c := range list {
		if cfg, ok := c.(map[string]any); ok {
			configs = append(configs, cfg)
		}
	}
	sort.SliceStable(configs, func(i, j int) bool {
		a, _ := configs[i]["id"].(string)
		b, _ := configs[j]["id"].(string)
		return strings.ToLower(a) < strings.ToLower(b)
	})
	elems := make([]attr.Value, 0, len(configs))
	for _, cfg := range configs {
		id, _ := cfg["id"].(string)
		kind, _ := cfg["@odata.type"].(string)
		resource := types.StringNull()
		if r, ok := managedBy[strings.ToLower(id)]; ok {
			resource = types.StringValue(r)
		}
		elems = append(elems, types.ObjectValueMust(configurationSummaryType.AttrTypes, map[string]attr.Value{
			"id": types.StringValue(id), "type": types.StringValue(strings.TrimPrefix(kind, "#microsoft.graph.")),
			"state": str(cfg["state"]), "display_name": str(cfg["displayName"]), "resource_type": resource,
		}))
	}
	m.Configurations = types.ListValueMust(configurationSummaryType, elems)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
