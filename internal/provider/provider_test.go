package provider

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

func TestProviderSchemaDescribesEveryAttribute(t *testing.T) {
	t.Parallel()
	var resp provider.SchemaResponse
	New("test")().Schema(context.Background(), provider.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(diagText(resp.Diagnostics))
	}
	sensitive := map[string]bool{attrClientSecret: true, attrClientCertificate: true, attrClientCertificatePassword: true, attrOIDCToken: true, attrOIDCRequestToken: true}
	// The schema's attributes are exactly the table's names, each once.
	table := map[string]providerSetting{}
	readBy := map[string]string{}
	for _, st := range providerSettings {
		if _, dup := table[st.name]; dup {
			t.Errorf("%s is in providerSettings twice", st.name)
		}
		table[st.name] = st
		if len(st.env) == 0 {
			t.Errorf("%s has no environment variable (the docs promise one for every setting)", st.name)
		}
		for _, env := range st.env {
			if other, dup := readBy[env]; dup {
				t.Errorf("%s is read by both %s and %s", env, other, st.name)
			}
			readBy[env] = st.name
		}
	}
	if got, want := slices.Sorted(maps.Keys(resp.Schema.Attributes)), slices.Sorted(maps.Keys(table)); !slices.Equal(got, want) {
		t.Errorf("schema attributes %v, providerSettings names %v", got, want)
	}
	for name := range sensitive {
		if _, ok := table[name]; !ok {
			t.Errorf("the secret %s is not in providerSettings", name)
		}
	}
	for name, a := range resp.Schema.Attributes {
		st := table[name]
		if a.GetDescription() == "" || a.GetMarkdownDescription() == "" {
			t.Errorf("%s has no description", name)
		}
		if a.GetDescription() != a.GetMarkdownDescription() || !strings.HasPrefix(a.GetMarkdownDescription(), st.description) {
			t.Errorf("%s: Description and MarkdownDescription must both be the table's description", name)
		}
		for _, env := range st.env {
			if !strings.Contains(a.GetMarkdownDescription(), "`"+env+"`") {
				t.Errorf("%s description does not name %s", name, env)
			}
		}
		if a.IsSensitive() != sensitive[name] || a.IsSensitive() != st.sensitive {
			t.Errorf("%s sensitive = %v, providerSettings says %v", name, a.IsSensitive(), st.sensitive)
		}
		switch a.(type) {
		case schema.StringAttribute:
			if st.kind != kindString {
				t.Errorf("%s is a string attribute of a kind %d setting", name, st.kind)
			}
		case schema.BoolAttribute:
			if st.kind != kindBool {
				t.Errorf("%s is a bool attribute of a kind %d setting", name, st.kind)
			}
		default:
			t.Errorf("%s is a %T", name, a)
		}
		if !a.IsOptional() || a.IsRequired() {
			t.Errorf("%s must be optional (the environment may supply it)", name)
		}
	}
	envAttr, ok := resp.Schema.Attributes[attrEnvironment].(schema.StringAttribute)
	if !ok {
		t.Fatal("environment is not a string attribute")
	}
	for _, n := range graph.EnvironmentNames() {
		if !strings.Contains(envAttr.MarkdownDescription, "`"+n+"`") {
			t.Errorf("environment description lacks %s", n)
		}
	}
}

func TestProviderMetadata(t *testing.T) {
	t.Parallel()
	p := New("1.2.3")()
	var md provider.MetadataResponse
	p.Metadata(context.Background(), provider.MetadataRequest{}, &md)
	if md.TypeName != "entraauth" || md.Version != "1.2.3" {
		t.Errorf("metadata %+v", md)
	}
}

// TestProviderServerValidateAndConfigure goes through the framework's
// protocol 6 server, as Terraform does: ValidateProviderConfig and
// ConfigureProvider return the provider's diagnostics.
func TestProviderServerValidateAndConfigure(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	server, err := acctest.ProtoV6ProviderFactories(New("test"))["entraauth"]()
	if err != nil {
		t.Fatal(err)
	}
	schemaResp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(schemaResp.Diagnostics) != 0 {
		t.Fatalf("schema: %v %v", err, schemaResp.Diagnostics)
	}
	typ, ok := schemaResp.Provider.ValueType().(tftypes.Object)
	if !ok {
		t.Fatal("the provider schema is not an object")
	}
	config := func(attrs map[string]tftypes.Value) *tfprotov6.DynamicValue {
		dv, err := tfprotov6.NewDynamicValue(typ, objectWith(typ, attrs))
		if err != nil {
			t.Fatal(err)
		}
		return &dv
	}
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	conflicting := config(map[string]tftypes.Value{
		attrTenantID: str(tenant), attrClientID: str(client), attrClientSecret: str("x"),
		attrUseMSI: tftypes.NewValue(tftypes.Bool, true),
	})
	vr, err := server.ValidateProviderConfig(ctx, &tfprotov6.ValidateProviderConfigRequest{Config: conflicting})
	if err != nil || !hasProtoError(vr.Diagnostics, "use_msi (ARM_USE_MSI)") {
		t.Fatalf("validate: %v %+v", err, vr.Diagnostics)
	}
	cr, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: conflicting})
	if err != nil || !hasProtoError(cr.Diagnostics, "client_secret (ARM_CLIENT_SECRET)") {
		t.Fatalf("configure: %v %+v", err, cr.Diagnostics)
	}
	good := config(map[string]tftypes.Value{attrTenantID: str(tenant), attrClientID: str(client), attrClientSecret: str("x")})
	cr, err = server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: good})
	if err != nil || len(cr.Diagnostics) != 0 {
		t.Fatalf("configure: %v %+v", err, cr.Diagnostics)
	}
}

func hasProtoError(diags []*tfprotov6.Diagnostic, fragment string) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError && strings.Contains(d.Summary+" "+d.Detail, fragment) {
			return true
		}
	}
	return false
}
