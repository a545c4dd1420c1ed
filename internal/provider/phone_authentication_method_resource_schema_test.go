package provider

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
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
		if a.GetMarkdownDescription() == "" || a.GetDescription() == "" {
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
