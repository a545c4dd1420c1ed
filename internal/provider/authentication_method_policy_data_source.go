package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

// methodPolicyDataSource reads one part of the authentication methods
// policy: the resource's attributes, all computed, for modules that only
// need to know what the tenant allows.
type methodPolicyDataSource struct {
	t      *methodPolicyType
	client *graph.Client
}

var _ datasource.DataSourceWithConfigure = (*methodPolicyDataSource)(nil)

// newMethodPolicyDataSource returns the constructor the provider registers.
func newMethodPolicyDataSource(t *methodPolicyType) func() datasource.DataSource {
	return func() datasource.DataSource { return &methodPolicyDataSource{t: t} }
}

func (d *methodPolicyDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.t.typeName
}

func (d *methodPolicyDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *methodPolicyDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := dataSourceAttributes(d.t.fields)
	attrs["id"] = dsString(d.t.idText())
	resp.Schema = schema.Schema{
		MarkdownDescription: d.t.dataSourceDescription + " Needs `Policy.Read.All` (or `Policy.Read.AuthenticationMethod`).",
		Attributes:          attrs,
	}
}

func (d *methodPolicyDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx, cancel := context.WithTimeout(ctx, dataSourceReadTimeout)
	defer cancel()
	got, err := d.client.GetPolicyPart(ctx, d.t.part, nil)
	if err != nil {
		resp.Diagnostics.Append(policyPartFailed(d.t, false, err, "read", dataSourceReadTimeout)...)
		return
	}
	values := fromGraph(d.t.fields, got, spellings{}, "")
	values["id"] = types.StringValue(d.t.id)
	at := attrTypes(d.t.fields)
	at["id"] = types.StringType
	resp.Diagnostics.Append(resp.State.Set(ctx, types.ObjectValueMust(at, values))...)
}
