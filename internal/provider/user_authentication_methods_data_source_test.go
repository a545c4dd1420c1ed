package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

// TestUserMethodsSchemaFromTable: the nested attributes are exactly the
// attribute table's, each computed and described, and every type-specific
// attribute names its types in the description.
func TestUserMethodsSchemaFromTable(t *testing.T) {
	t.Parallel()
	var resp datasource.SchemaResponse
	NewUserAuthenticationMethodsDataSource().Schema(context.Background(), datasource.SchemaRequest{}, &resp)
	if resp.Schema.MarkdownDescription == "" || !strings.Contains(resp.Schema.MarkdownDescription, "UserAuthenticationMethod.Read.All") {
		t.Errorf("data source description: %q", resp.Schema.MarkdownDescription)
	}
	for name, a := range resp.Schema.Attributes {
		if a.GetMarkdownDescription() == "" {
			t.Errorf("%s has no description", name)
		}
	}
	methods, ok := resp.Schema.Attributes["methods"].(schema.ListNestedAttribute)
	if !ok || !methods.Computed {
		t.Fatalf("methods: %#v", resp.Schema.Attributes["methods"])
	}
	nested := methods.NestedObject.Attributes
	if len(nested) != len(userMethodAttributes) {
		t.Errorf("%d nested attributes, table has %d", len(nested), len(userMethodAttributes))
	}
	for _, a := range userMethodAttributes {
		s, ok := nested[a.name]
		if !ok {
			t.Errorf("%s missing from the schema", a.name)
			continue
		}
		if !s.IsComputed() || s.IsOptional() || s.IsRequired() || s.GetMarkdownDescription() != a.description() {
			t.Errorf("%s: computed=%v description=%q", a.name, s.IsComputed(), s.GetMarkdownDescription())
		}
		if !s.GetType().Equal(a.typ) {
			t.Errorf("%s: schema type %s, table %s", a.name, s.GetType(), a.typ)
		}
		for _, typ := range a.types {
			if !graph.KnownMethodType(typ) || !strings.Contains(a.description(), "`"+typ+"`") {
				t.Errorf("%s: type %s unknown to graph or not in the description", a.name, typ)
			}
		}
	}
}

// TestUserMethodValueNullsOtherTypes: each type sets its own attributes
// and leaves every other type-specific one null; an unknown type has id
// and type only.
func TestUserMethodValueNullsOtherTypes(t *testing.T) {
	t.Parallel()
	s := func(v string) *string { return &v }
	created := time.Date(2024, 2, 3, 4, 5, 6, 123456700, time.UTC)
	usable, lifetime := true, int64(60)
	cases := []struct {
		m    graph.AuthenticationMethod
		want map[string]attr.Value
	}{
		{graph.AuthenticationMethod{ID: "p", Type: graph.MethodTypePassword}, nil},
		{graph.AuthenticationMethod{ID: "m", Type: graph.MethodTypePhone, PhoneType: s("mobile"), PhoneNumber: s("+1 5555550100"), SMSSignInState: s("ready")},
			map[string]attr.Value{"phone_type": types.StringValue("mobile"), "phone_number": types.StringValue("+1 5555550100"), "sms_sign_in_state": types.StringValue("ready")}},
		{graph.AuthenticationMethod{ID: "e", Type: graph.MethodTypeEmail, EmailAddress: s("a@b.example")},
			map[string]attr.Value{"email_address": types.StringValue("a@b.example")}},
		{graph.AuthenticationMethod{ID: "f", Type: graph.MethodTypeFido2, DisplayName: s("Red key"), CreatedDateTime: &created, AAGUID: s("2fc0579f-8113-47ea-b116-555a8db9202a"), Model: s("NFC key")},
			map[string]attr.Value{"display_name": types.StringValue("Red key"), "created_date_time": types.StringValue("2024-02-03T04:05:06.1234567Z"),
				"aaguid": types.StringValue("2fc0579f-8113-47ea-b116-555a8db9202a"), "model": types.StringValue("NFC key")}},
		{graph.AuthenticationMethod{ID: "a", Type: graph.MethodTypeAuthenticator, DeviceTag: s("SoftwareTokenActivated"), PhoneAppVersion: s("6.2204.2757")},
			map[string]attr.Value{"device_tag": types.StringValue("SoftwareTokenActivated"), "phone_app_version": types.StringValue("6.2204.2757")}},
		{graph.AuthenticationMethod{ID: "w", Type: graph.MethodTypeWindowsHello, KeyStrength: s("normal")},
			map[string]attr.Value{"key_strength": types.StringValue("normal")}},
		{graph.AuthenticationMethod{ID: "t", Type: graph.MethodTypeTemporaryAccessPass, IsUsable: &usable, MethodUsabilityReason: s("EnabledByPolicy"), LifetimeInMinutes: &lifetime},
			map[string]attr.Value{"is_usable": types.BoolValue(true), "method_usability_reason": types.StringValue("EnabledByPolicy"), "lifetime_in_minutes": types.Int64Value(60)}},
		{graph.AuthenticationMethod{ID: "u", Type: "futureAuthenticationMethod"}, nil},
	}
	for _, tc := range cases {
		obj, err := userMethodValue(tc.m)
		if err != nil {
			t.Fatal(err)
		}
		got := obj.Attributes()
		for _, a := range userMethodAttributes {
			want, ok := tc.want[a.name]
			switch {
			case a.name == "id":
				want = types.StringValue(tc.m.ID)
			case a.name == "type":
				want = types.StringValue(tc.m.Type)
			case !ok:
				want = nullOf(a.typ)
			}
			if !got[a.name].Equal(want) {
				t.Errorf("%s %s = %s, want %s", tc.m.Type, a.name, got[a.name], want)
			}
			if ok && len(a.types) > 0 && !slices.Contains(a.types, tc.m.Type) {
				t.Errorf("the test sets %s for %s, which the table does not give it", a.name, tc.m.Type)
			}
		}
	}
}

// TestUserMethodsErrorDetail: an unknown user and a missing permission
// are explained by name, with Graph's status, code and request-id.
func TestUserMethodsErrorDetail(t *testing.T) {
	t.Parallel()
	ge := func(status int, code string) error {
		return &graph.Error{Operation: "list authentication methods", StatusCode: status, Code: code, Message: "refused", RequestID: "rid-7"}
	}
	cases := []struct {
		err  error
		want []string
	}{
		{ge(404, "Request_ResourceNotFound"), []string{`User "nobody@contoso.example" was not found`, "HTTP 404 Request_ResourceNotFound", "request-id: rid-7"}},
		{ge(403, "Authorization_RequestDenied"), []string{"UserAuthenticationMethod.Read.All or UserAuthenticationMethod.ReadWrite.All",
			"Authentication Administrator", "HTTP 403 Authorization_RequestDenied", "request-id: rid-7"}},
		{ge(401, "InvalidAuthenticationToken"), []string{"HTTP 401", "Graph refused the access token"}},
		{errors.New("connection refused"), []string{"failed: connection refused"}},
	}
	for _, tc := range cases {
		got := userMethodsErrorDetail(nil, "nobody@contoso.example", tc.err)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%v: detail %q lacks %q", tc.err, got, w)
			}
		}
	}
}

func dataUserMethods(name, user string) rawHCL {
	return rawHCL(fmt.Sprintf("data \"entraauth_user_authentication_methods\" %q {\n  user_id = %q\n}\n", name, user))
}
