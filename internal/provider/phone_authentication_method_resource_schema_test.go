package provider

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// Every attribute is described (the docs are generated from these), and the
// resource page carries the smsSignInState mapping table from the code.
func TestPhoneAuthenticationMethodSchemasAreDescribed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var rs resource.SchemaResponse
	NewPhoneAuthenticationMethodResource().Schema(ctx, resource.SchemaRequest{}, &rs)
	if rs.Diagnostics.HasError() {
		t.Fatal(rs.Diagnostics)
	}
	for name, a := range rs.Schema.Attributes {
		if a.GetMarkdownDescription() == "" {
			t.Errorf("resource attribute %s has no description", name)
		}
	}
	if !strings.Contains(rs.Schema.MarkdownDescription, smsSignInStateMarkdownTable()) {
		t.Error("resource description lacks the smsSignInState mapping table")
	}
	for _, v := range phoneTypeValues {
		if !strings.Contains(rs.Schema.Attributes["phone_type"].GetMarkdownDescription(), "`"+v+"`") {
			t.Errorf("phone_type description lacks %s", v)
		}
	}
	if _, ok := rs.Schema.Blocks["timeouts"]; !ok {
		t.Error("no timeouts block")
	}

	for _, ds := range []datasource.DataSource{NewPhoneAuthenticationMethodDataSource(), NewPhoneAuthenticationMethodsDataSource()} {
		var md datasource.MetadataResponse
		ds.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "entraauth"}, &md)
		var resp datasource.SchemaResponse
		ds.Schema(ctx, datasource.SchemaRequest{}, &resp)
		for name, a := range resp.Schema.Attributes {
			if a.GetMarkdownDescription() == "" {
				t.Errorf("%s attribute %s has no description", md.TypeName, name)
			}
			if nested, ok := a.(dschema.ListNestedAttribute); ok {
				for inner, ia := range nested.NestedObject.Attributes {
					if ia.GetMarkdownDescription() == "" {
						t.Errorf("%s attribute %s.%s has no description", md.TypeName, name, inner)
					}
				}
			}
		}
	}
}

// TestSchemasSentToTerraformAreDescribed: each description is written once
// (as MarkdownDescription); what Terraform receives over the protocol must
// still carry one for every attribute, block attribute and nested
// attribute of every resource and data source.
func TestSchemasSentToTerraformAreDescribed(t *testing.T) {
	t.Parallel()
	server := providerserver.NewProtocol6(New("test")())()
	resp, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("GetProviderSchema: %v %v", err, resp.Diagnostics)
	}
	schemas := map[string]*tfprotov6.Schema{}
	for name, s := range resp.ResourceSchemas {
		schemas["resource "+name] = s
	}
	for name, s := range resp.DataSourceSchemas {
		schemas["data source "+name] = s
	}
	if len(schemas) < 3 {
		t.Fatalf("only %d schemas", len(schemas))
	}
	var walk func(where string, b *tfprotov6.SchemaBlock)
	walk = func(where string, b *tfprotov6.SchemaBlock) {
		for _, a := range b.Attributes {
			if strings.TrimSpace(a.Description) == "" {
				t.Errorf("%s: attribute %s reaches Terraform without a description", where, a.Name)
			}
			if a.NestedType != nil {
				for _, n := range a.NestedType.Attributes {
					if strings.TrimSpace(n.Description) == "" {
						t.Errorf("%s: attribute %s.%s reaches Terraform without a description", where, a.Name, n.Name)
					}
				}
			}
		}
		for _, nb := range b.BlockTypes {
			walk(where+" block "+nb.TypeName, nb.Block)
		}
	}
	for where, s := range schemas {
		if strings.TrimSpace(s.Block.Description) == "" {
			t.Errorf("%s has no description", where)
		}
		walk(where, s.Block)
	}
}

// The resource page template keeps what the issue asks of the docs: the
// generated schema, the description (which carries the mapping table), the
// examples, the ordering rules and the import forms.
func TestPhoneAuthenticationMethodDocsTemplate(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../templates/resources/phone_authentication_method.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"{{ .Description | trimspace }}", "{{ .SchemaMarkdown | trimspace }}", "{{ tffile .ExampleFile }}",
		"{{ tffile .ImportIDConfigFile }}", "## Ordering", "{user_id}/{phone_type}", "{user_id}/{method_id}"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("template lacks %q", want)
		}
	}
}
