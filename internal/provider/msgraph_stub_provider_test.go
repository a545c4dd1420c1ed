package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Terraform loads the schema of every provider named in the state, so a
// state holding a msgraph_resource can only be planned with a provider
// registered as registry.terraform.io/microsoft/msgraph. These tests never
// download one: msgraphStubProvider stands in for it with msgraph_resource's
// schema (schema version 0, the attributes of the public source of
// microsoft/terraform-provider-msgraph, internal/services/msgraph_resource.go)
// and no behaviour; any call to create, read, update or delete fails the test.
// terraform-plugin-testing registers its providers under the hashicorp
// namespace only, hence tfCLIRun (terraform_cli_run_test.go), which runs terraform with both providers
// served from this process under their real addresses.

type msgraphStubProvider struct{}

func (msgraphStubProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "msgraph"
}

func (msgraphStubProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {
}

func (msgraphStubProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (msgraphStubProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return msgraphStubResource{} }}
}

func (msgraphStubProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

type msgraphStubResource struct{}

func (msgraphStubResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_resource"
}

func (msgraphStubResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	queryParameters := func() schema.MapAttribute {
		return schema.MapAttribute{ElementType: types.ListType{ElemType: types.StringType}, Optional: true}
	}
	timeout := schema.StringAttribute{Optional: true}
	resp.Schema = schema.Schema{
		Attributes: map[string]schema.Attribute{
			"id":                      schema.StringAttribute{Computed: true},
			"url":                     schema.StringAttribute{Required: true},
			"api_version":             schema.StringAttribute{Optional: true, Computed: true},
			"body":                    schema.DynamicAttribute{Optional: true},
			"ignore_missing_property": schema.BoolAttribute{Optional: true, Computed: true},
			"create_query_parameters": queryParameters(),
			"update_query_parameters": queryParameters(),
			"read_query_parameters":   queryParameters(),
			"delete_query_parameters": queryParameters(),
			"response_export_values":  schema.MapAttribute{ElementType: types.StringType, Optional: true},
			"retry": schema.SingleNestedAttribute{Optional: true, Attributes: map[string]schema.Attribute{
				"error_message_regex": schema.ListAttribute{ElementType: types.StringType, Required: true},
			}},
			"output":        schema.DynamicAttribute{Computed: true},
			"update_method": schema.StringAttribute{Optional: true},
			"create_method": schema.StringAttribute{Optional: true},
			"resource_url":  schema.StringAttribute{Computed: true},
		},
		Blocks: map[string]schema.Block{
			"timeouts": schema.SingleNestedBlock{Attributes: map[string]schema.Attribute{
				"create": timeout, "read": timeout, "update": timeout, "delete": timeout,
			}},
		},
	}
}

const msgraphStubRefusal = "the msgraph stub stands in for the source provider's schema only; Terraform must not call it"

func (msgraphStubResource) Create(_ context.Context, _ resource.CreateRequest, resp *resource.CreateResponse) {
	resp.Diagnostics.AddError("msgraph stub", msgraphStubRefusal)
}

func (msgraphStubResource) Read(_ context.Context, _ resource.ReadRequest, resp *resource.ReadResponse) {
	resp.Diagnostics.AddError("msgraph stub", msgraphStubRefusal)
}

func (msgraphStubResource) Update(_ context.Context, _ resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.Diagnostics.AddError("msgraph stub", msgraphStubRefusal)
}

func (msgraphStubResource) Delete(_ context.Context, _ resource.DeleteRequest, resp *resource.DeleteResponse) {
	resp.Diagnostics.AddError("msgraph stub", msgraphStubRefusal)
}
