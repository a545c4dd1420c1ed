package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

// methodListBlock is a list block of any of the users' method list
// resources (listBlock is the phone's); Config holds the lines of its
// config block.
type methodListBlock struct {
	Type            string // e.g. "entraauth_email_authentication_method"
	Name            string
	Config          []string
	IncludeResource bool
}

func (l methodListBlock) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "list %q %q {\n  provider = entraauth\n  limit    = 1000\n", l.Type, l.Name)
	if l.IncludeResource {
		b.WriteString("  include_resource = true\n")
	}
	fmt.Fprintf(&b, "  config {\n    %s\n  }\n}\n", strings.Join(l.Config, "\n    "))
	return b.String()
}

func (l methodListBlock) address() string { return l.Type + "." + l.Name }

// methodQueryConfig is a query step's .tfquery.hcl.
func methodQueryConfig(blocks ...methodListBlock) string {
	parts := make([]string, len(blocks))
	for i, b := range blocks {
		parts[i] = b.String()
	}
	return strings.Join(parts, "\n")
}

// listResourceSchemas returns a resource's schema and identity schema, as
// Terraform hands them to a list request.
func listResourceSchemas(t *testing.T, r resource.ResourceWithIdentity) list.ListRequest {
	t.Helper()
	ctx := context.Background()
	var s resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &s)
	var id resource.IdentitySchemaResponse
	r.IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &id)
	if s.Diagnostics.HasError() || id.Diagnostics.HasError() {
		t.Fatalf("schemas: %v %v", s.Diagnostics, id.Diagnostics)
	}
	return list.ListRequest{ResourceSchema: s.Schema, ResourceIdentitySchema: id.IdentitySchema, IncludeResource: true}
}

// TestUserMethodListResources: the provider offers the three list
// resources, each with the same selectors, described with its own methods.
func TestUserMethodListResources(t *testing.T) {
	ctx := context.Background()
	want := map[string]string{
		"entraauth_phone_authentication_method": "phones",
		"entraauth_email_authentication_method": "email methods",
		"entraauth_temporary_access_pass":       "Temporary Access Passes",
	}
	got := map[string]bool{}
	for _, newList := range (&entraAuthProvider{}).ListResources(ctx) {
		r := newList()
		var m resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "entraauth"}, &m)
		plural, ok := want[m.TypeName]
		if !ok {
			t.Errorf("unexpected list resource %s", m.TypeName)
			continue
		}
		got[m.TypeName] = true
		var s list.ListResourceSchemaResponse
		r.ListResourceConfigSchema(ctx, list.ListResourceSchemaRequest{}, &s)
		if len(s.Schema.Attributes) != 3 {
			t.Errorf("%s has attributes %v; want user_ids, group_id and all_users", m.TypeName, s.Schema.Attributes)
		}
		for _, name := range []string{"user_ids", "group_id", "all_users"} {
			a, ok := s.Schema.Attributes[name]
			if !ok || !strings.Contains(a.GetMarkdownDescription(), " "+plural+" ") {
				t.Errorf("%s.%s: description %q does not name the %s", m.TypeName, name, a.GetMarkdownDescription(), plural)
			}
		}
	}
	if len(got) != len(want) {
		t.Errorf("list resources %v; want %v", got, want)
	}
}

// TestEmailResult: an email method becomes the resource an import by
// object id stores, with the identity and the display name "{UPN} email".
func TestEmailResult(t *testing.T) {
	ctx := context.Background()
	req := listResourceSchemas(t, &emailAuthenticationMethodResource{})
	result := req.NewListResult(ctx)
	u := graph.User{ID: accAdeleID, UserPrincipalName: accAdeleUPN}
	emailResult(ctx, &result, u.UserPrincipalName, u, graph.EmailMethod{ID: graph.EmailMethodID, EmailAddress: "Adele@Example.com"}, true)
	if result.Diagnostics.HasError() || result.DisplayName != accAdeleUPN+" email" {
		t.Fatalf("display name %q, diagnostics %v", result.DisplayName, result.Diagnostics)
	}
	var m emailAuthenticationMethodModel
	if d := result.Resource.Get(ctx, &m); d.HasError() {
		t.Fatal(d)
	}
	if m.ID.ValueString() != accAdeleID || m.UserID.ValueString() != accAdeleID || m.EmailAddress.ValueString() != "Adele@Example.com" ||
		m.MethodID.ValueString() != graph.EmailMethodID || !m.Timeouts.IsNull() {
		t.Errorf("resource %+v", m)
	}
	var id emailAuthenticationMethodIdentity
	if d := result.Identity.Get(ctx, &id); d.HasError() || id.UserID.ValueString() != accAdeleID {
		t.Errorf("identity %+v %v", id, d)
	}
}

// TestTAPResult: a pass becomes the resource an import stores (the pass
// itself null, reissue_when_expired false), with a warning that the pass
// cannot be imported; without include_resource only the identity.
func TestTAPResult(t *testing.T) {
	ctx := context.Background()
	req := listResourceSchemas(t, &temporaryAccessPassResource{})
	u := graph.User{ID: accAdeleID, UserPrincipalName: accAdeleUPN}
	pass := graph.TemporaryAccessPass{ID: "tap-1", CreatedDateTime: "2026-12-01T08:00:00Z", StartDateTime: "2026-12-01T09:00:00Z",
		LifetimeInMinutes: 480, IsUsableOnce: true, IsUsable: false, MethodUsabilityReason: graph.TAPNotYetValid}
	result := req.NewListResult(ctx)
	tapResult(ctx, &result, u.UserPrincipalName, u, pass, true)
	if result.Diagnostics.HasError() || result.DisplayName != accAdeleUPN+" Temporary Access Pass 2026-12-01T08:00:00Z" {
		t.Fatalf("display name %q, diagnostics %v", result.DisplayName, result.Diagnostics)
	}
	if w := result.Diagnostics.Warnings(); len(w) != 1 || w[0].Summary() != "The pass itself cannot be imported" ||
		!strings.Contains(w[0].Detail(), "issues a new pass") {
		t.Errorf("warnings %v", w)
	}
	var m temporaryAccessPassModel
	if d := result.Resource.Get(ctx, &m); d.HasError() {
		t.Fatal(d)
	}
	if m.ID.ValueString() != accAdeleID+"/tap-1" || m.UserID.ValueString() != accAdeleID || m.MethodID.ValueString() != "tap-1" ||
		m.LifetimeInMinutes.ValueInt64() != 480 || !m.IsUsableOnce.ValueBool() || m.StartDateTime.ValueString() != "2026-12-01T09:00:00Z" ||
		m.CreatedDateTime.ValueString() != "2026-12-01T08:00:00Z" || m.IsUsable.ValueBool() || m.MethodUsabilityReason.ValueString() != graph.TAPNotYetValid ||
		m.ReissueWhenExpired.IsNull() || m.ReissueWhenExpired.ValueBool() || !m.TemporaryAccessPass.IsNull() || !m.Timeouts.IsNull() {
		t.Errorf("resource %+v", m)
	}

	req.IncludeResource = false
	result = req.NewListResult(ctx)
	tapResult(ctx, &result, u.UserPrincipalName, u, pass, false)
	var id temporaryAccessPassIdentity
	if d := result.Identity.Get(ctx, &id); d.HasError() || id.UserID.ValueString() != accAdeleID || id.ID.ValueString() != "tap-1" {
		t.Errorf("identity %+v %v", id, d)
	}
	if len(result.Diagnostics) != 0 || !result.Resource.Raw.IsNull() {
		t.Errorf("without include_resource: diagnostics %v, resource %v", result.Diagnostics, result.Resource.Raw)
	}
}
