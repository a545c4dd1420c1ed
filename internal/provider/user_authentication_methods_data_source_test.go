package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
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

// accMethodProps is, for the tests, which Graph property each type-specific
// attribute shows, written out apart from the data source's table.
var accMethodProps = map[string]map[string]string{
	"phoneAuthenticationMethod":                   {"phone_type": "phoneType", "phone_number": "phoneNumber", "sms_sign_in_state": "smsSignInState"},
	"emailAuthenticationMethod":                   {"email_address": "emailAddress"},
	"fido2AuthenticationMethod":                   {"aaguid": "aaGuid", "model": "model"},
	"microsoftAuthenticatorAuthenticationMethod":  {"device_tag": "deviceTag", "phone_app_version": "phoneAppVersion"},
	"windowsHelloForBusinessAuthenticationMethod": {"key_strength": "keyStrength"},
	"platformCredentialAuthenticationMethod":      {"key_strength": "keyStrength"},
	"temporaryAccessPassAuthenticationMethod":     {"is_usable": "isUsable", "method_usability_reason": "methodUsabilityReason", "lifetime_in_minutes": "lifetimeInMinutes"},
}

// accTypeSpecific are the type-specific attributes and their kinds.
var accTypeSpecific = map[string]string{
	"phone_type": "string", "phone_number": "string", "sms_sign_in_state": "string", "email_address": "string",
	"aaguid": "string", "model": "string", "device_tag": "string", "phone_app_version": "string", "key_strength": "string",
	"is_usable": "bool", "method_usability_reason": "string", "lifetime_in_minutes": "int",
}

// expectedMethods is what methods must hold for what the mock returns
// for the user: Graph's order, each attribute from its Graph property,
// null when Graph has none or the type does not have it.
func (e *accEnv) expectedMethods(user string) (knownvalue.Check, []string) {
	e.t.Helper()
	list, err := e.mock.AuthenticationMethods(e.tenant, user)
	if err != nil {
		e.t.Fatalf("mock: %v", err)
	}
	str := func(v any) knownvalue.Check {
		if s, ok := v.(string); ok {
			return knownvalue.StringExact(s)
		}
		return knownvalue.Null()
	}
	var items []knownvalue.Check
	var typeNames []string
	for _, m := range list {
		odataType, _ := m["@odata.type"].(string)
		typ := strings.TrimPrefix(odataType, "#microsoft.graph.")
		typeNames = append(typeNames, typ)
		obj := map[string]knownvalue.Check{
			"id": str(m["id"]), "type": knownvalue.StringExact(typ),
			"display_name": str(m["displayName"]), "created_date_time": str(m["createdDateTime"]),
		}
		props := accMethodProps[typ]
		for name, kind := range accTypeSpecific {
			prop, has := props[name]
			v := m[prop]
			switch {
			case !has || v == nil:
				obj[name] = knownvalue.Null()
			case kind == "bool":
				b, _ := v.(bool)
				obj[name] = knownvalue.Bool(b)
			case kind == "int":
				n, ok := v.(int)
				if !ok {
					e.t.Fatalf("mock %s %s is %T", typ, prop, v)
				}
				obj[name] = knownvalue.Int64Exact(int64(n))
			default:
				obj[name] = str(v)
			}
		}
		items = append(items, knownvalue.ObjectExact(obj))
	}
	return knownvalue.ListExact(items), typeNames
}

const accTAPSecret = "TAPNeverInState#1"

// seedEveryMethodType gives adele one method of every type (the password
// every user has, two phones, email, a pass, FIDO2, Authenticator,
// Windows Hello, software OATH, platform credential) and one of a type
// Graph may add later, with properties nobody knows, a phoneNumber among
// them.
func (e *accEnv) seedEveryMethodType() {
	e.t.Helper()
	e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accAdeleUPN, "mobile", "+1 5555550100", true))
	e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accAdeleUPN, "office", "+1 4255550100x12", false))
	e.must(e.mock.SetEmailMethodOutOfBand(e.tenant, accAdeleUPN, "adele@fabrikam.example"))
	_, err := e.mock.AddTemporaryAccessPassOutOfBand(e.tenant, accAdeleUPN, mockgraph.TemporaryAccessPass{
		Pass: accTAPSecret, StartDateTime: time.Now().Add(-time.Minute), LifetimeInMinutes: 480,
	})
	e.must(err)
	for _, m := range []map[string]any{
		{"@odata.type": "#microsoft.graph.fido2AuthenticationMethod", "id": "-2_GRUg2-HYz6_1YG4YRAQ2", "displayName": "Red key",
			"createdDateTime": "2020-08-10T06:44:09Z", "aaGuid": "2fc0579f-8113-47ea-b116-555a8db9202a", "model": "NFC key", "attestationLevel": "attested"},
		{"@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod", "displayName": "Adele's iPhone", "createdDateTime": "2022-05-06T07:08:09Z",
			"deviceTag": "SoftwareTokenActivated", "phoneAppVersion": "6.2204.2757"},
		{"@odata.type": "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod", "displayName": "Adele's Surface Book", "createdDateTime": "2020-11-27T23:12:49Z", "keyStrength": "normal"},
		{"@odata.type": "#microsoft.graph.softwareOathAuthenticationMethod"},
		{"@odata.type": "#microsoft.graph.platformCredentialAuthenticationMethod", "displayName": "Adele's MacBook", "createdDateTime": "2024-06-07T08:09:10Z", "keyStrength": "normal", "platform": "macOS"},
		{"@odata.type": "#microsoft.graph.futureAuthenticationMethod", "id": "f0f0f0f0-0000-4000-8000-00000000f0f0",
			"futureProperty": map[string]any{"nested": []any{1, 2}}, "phoneNumber": "+1 5555550199"},
	} {
		_, err := e.mock.AddAuthenticationMethod(e.tenant, accAdeleUPN, m)
		e.must(err)
	}
}

// noPassInState fails when the pass reached the state.
func noPassInState(s *terraform.State) error {
	for addr, rs := range s.RootModule().Resources {
		for k, v := range rs.Primary.Attributes {
			if strings.Contains(v, accTAPSecret) {
				return fmt.Errorf("%s.%s holds the Temporary Access Pass", addr, k)
			}
		}
	}
	return nil
}

// TestAccUserAuthenticationMethodsDataSource_everyType lists a user with
// every type, by UPN and by object id, and a user with only a password;
// the state equals what the mock returns, the unknown type has id and type
// only, and the pass never reaches the state.
func TestAccUserAuthenticationMethodsDataSource_everyType(t *testing.T) {
	e := newAccEnv(t)
	e.seedEveryMethodType()
	adele, gotTypes := e.expectedMethods(accAdeleUPN)
	wantTypes := []string{"passwordAuthenticationMethod", "phoneAuthenticationMethod", "phoneAuthenticationMethod", "emailAuthenticationMethod",
		"temporaryAccessPassAuthenticationMethod", "fido2AuthenticationMethod", "microsoftAuthenticatorAuthenticationMethod",
		"windowsHelloForBusinessAuthenticationMethod", "softwareOathAuthenticationMethod", "platformCredentialAuthenticationMethod", "futureAuthenticationMethod"}
	if !slices.Equal(gotTypes, wantTypes) {
		t.Fatalf("the mock lists %v; the test expects %v", gotTypes, wantTypes)
	}
	bianca, _ := e.expectedMethods(accBiancaUPN)
	methods := func(name string) string { return "data.entraauth_user_authentication_methods." + name }
	nulls := map[string]knownvalue.Check{"display_name": knownvalue.Null(), "created_date_time": knownvalue.Null()}
	for name := range accTypeSpecific {
		nulls[name] = knownvalue.Null()
	}
	with := func(base map[string]knownvalue.Check, set map[string]knownvalue.Check) knownvalue.Check {
		out := maps.Clone(base)
		maps.Copy(out, set)
		return knownvalue.ObjectExact(out)
	}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(dataUserMethods("adele", accAdeleUPN), dataUserMethods("adele_by_id", accAdeleID), dataUserMethods("bianca", accBiancaUPN)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(methods("adele"), tfjsonpath.New("methods"), adele),
				statecheck.ExpectKnownValue(methods("adele_by_id"), tfjsonpath.New("methods"), adele),
				statecheck.ExpectKnownValue(methods("adele"), tfjsonpath.New("id"), knownvalue.StringExact(accAdeleUPN)),
				// Literal values, apart from the mock's own answer.
				statecheck.ExpectKnownValue(methods("adele"), tfjsonpath.New("methods").AtSliceIndex(5), with(nulls, map[string]knownvalue.Check{
					"id": knownvalue.StringExact("-2_GRUg2-HYz6_1YG4YRAQ2"), "type": knownvalue.StringExact("fido2AuthenticationMethod"),
					"display_name": knownvalue.StringExact("Red key"), "created_date_time": knownvalue.StringExact("2020-08-10T06:44:09Z"),
					"aaguid": knownvalue.StringExact("2fc0579f-8113-47ea-b116-555a8db9202a"), "model": knownvalue.StringExact("NFC key"),
				})),
				statecheck.ExpectKnownValue(methods("adele"), tfjsonpath.New("methods").AtSliceIndex(1), with(nulls, map[string]knownvalue.Check{
					"id": knownvalue.StringExact(mobileMethodID), "type": knownvalue.StringExact("phoneAuthenticationMethod"),
					"phone_type": knownvalue.StringExact("mobile"), "phone_number": knownvalue.StringExact("+1 5555550100"), "sms_sign_in_state": knownvalue.StringExact("ready"),
				})),
				statecheck.ExpectKnownValue(methods("adele"), tfjsonpath.New("methods").AtSliceIndex(4).AtMapKey("lifetime_in_minutes"), knownvalue.Int64Exact(480)),
				statecheck.ExpectKnownValue(methods("adele"), tfjsonpath.New("methods").AtSliceIndex(10), with(nulls, map[string]knownvalue.Check{
					"id": knownvalue.StringExact("f0f0f0f0-0000-4000-8000-00000000f0f0"), "type": knownvalue.StringExact("futureAuthenticationMethod"),
				})),
				statecheck.ExpectKnownValue(methods("bianca"), tfjsonpath.New("methods"), bianca),
				statecheck.ExpectKnownValue(methods("bianca"), tfjsonpath.New("methods"), knownvalue.ListExact([]knownvalue.Check{with(nulls, map[string]knownvalue.Check{
					"id": knownvalue.StringExact(mockgraph.PasswordMethodID), "type": knownvalue.StringExact("passwordAuthenticationMethod"),
					"created_date_time": knownvalue.NotNull(),
				})})),
			},
			Check: noPassInState,
		}},
	}, acctest.PreexistingUnmanaged())
}

// TestAccUserAuthenticationMethodsDataSource_errors: an unknown user and a
// missing permission fail with Graph's status, code and request-id, named.
func TestAccUserAuthenticationMethodsDataSource_errors(t *testing.T) {
	t.Run("unknown_user", func(t *testing.T) {
		e := newAccEnv(t)
		e.test(t, resource.TestCase{
			ProtoV6ProviderFactories: e.factories(),
			Steps: []resource.TestStep{{
				Config: e.config(dataUserMethods("nobody", "nobody@contoso.example")),
				ExpectError: errorRE("Cannot list authentication methods", `User "nobody@contoso.example" was not found`,
					"HTTP 404 Request_ResourceNotFound", "request-id: "),
			}},
		})
	})
	t.Run("missing_permission", func(t *testing.T) {
		e := newAccEnvWithRoles(t, []string{"User.Read.All", "Policy.ReadWrite.AuthenticationMethod"})
		e.test(t, resource.TestCase{
			ProtoV6ProviderFactories: e.factories(),
			Steps: []resource.TestStep{{
				Config: e.config(dataUserMethods("adele", accAdeleUPN)),
				ExpectError: errorRE("Cannot list authentication methods", `Listing the authentication methods of user "`+accAdeleUPN+`" was refused`,
					"UserAuthenticationMethod.Read.All or UserAuthenticationMethod.ReadWrite.All", "HTTP 403 accessDenied", "request-id: "),
			}},
		})
	})
	t.Run("read_only_permission_suffices", func(t *testing.T) {
		e := newAccEnvWithRoles(t, []string{"UserAuthenticationMethod.Read.All"})
		e.test(t, resource.TestCase{
			ProtoV6ProviderFactories: e.factories(),
			Steps: []resource.TestStep{{
				Config:            e.config(dataUserMethods("adele", accAdeleUPN)),
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue("data.entraauth_user_authentication_methods.adele", tfjsonpath.New("methods"), knownvalue.ListSizeExact(1))},
			}},
		}, acctest.PreexistingUnmanaged())
	})
}

// TestAccUserAuthenticationMethodsDataSource_retries: a 429 with
// Retry-After and a 503 on the list are retried and the read succeeds.
func TestAccUserAuthenticationMethodsDataSource_retries(t *testing.T) {
	e := newAccEnv(t)
	e.seedEveryMethodType()
	adele, _ := e.expectedMethods(accAdeleUPN)
	var statuses []int
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			PreConfig: func() {
				_, err := e.mock.AddFaults(
					mockgraph.Fault{ID: "throttle", Match: mockgraph.OpMethodList, Kind: mockgraph.FaultThrottle, Count: 1, RetryAfterSeconds: 1},
					mockgraph.Fault{ID: "unavailable", Match: mockgraph.OpMethodList, Kind: mockgraph.FaultUnavailable, Count: 1})
				e.must(err)
			},
			Config:            e.config(dataUserMethods("adele", accAdeleUPN)),
			ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue("data.entraauth_user_authentication_methods.adele", tfjsonpath.New("methods"), adele)},
			Check: func(*terraform.State) error {
				log := e.mock.RequestLog(mockgraph.RequestLogFilter{Operation: mockgraph.OpMethodList})
				statuses = statuses[:0]
				for _, r := range log {
					statuses = append(statuses, r.Status)
				}
				if len(log) < 3 || !slices.Equal(statuses[:3], []int{429, 503, 200}) {
					return fmt.Errorf("method.list statuses %v; want 429, 503, 200 first", statuses)
				}
				if gap := log[1].Time.Sub(log[0].Time); gap < 900*time.Millisecond {
					return fmt.Errorf("retried %s after a 429 with Retry-After: 1", gap)
				}
				return nil
			},
		}},
	}, acctest.PreexistingUnmanaged())
}

// TestAccUserAuthenticationMethodsDataSource_maskedNumber: an
// Authentication Administrator signed in through the Azure CLI sees
// another user's phone number masked, and the state holds it as Graph
// returns it. Not parallel: it puts a fake az on PATH.
func TestAccUserAuthenticationMethodsDataSource_maskedNumber(t *testing.T) {
	e := newAccEnv(t)
	e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accBiancaUPN, "mobile", "+1 5555550100", false))
	adele, err := e.mock.User(e.tenant, accAdeleUPN)
	if err != nil {
		t.Fatal(err)
	}
	token, err := e.mock.MintDelegatedToken(e.tenant, adele.ID, []string{"UserAuthenticationMethod.Read.All"}, []string{"Authentication Administrator"}, 30*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		// PATH will hold only the fake az: name Terraform's path first.
		tf, err := exec.LookPath("terraform")
		if err != nil {
			t.Fatal(err)
		}
		t.Setenv("TF_ACC_TERRAFORM_PATH", tf)
	}
	t.Setenv("PATH", acctest.WriteFakeAzureCLI(t, acctest.FakeAzureCLI{Tenant: e.tenant, AccessToken: token}))
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: hermeticFactories(nil, nil),
		Steps: []resource.TestStep{{
			Config: e.providerBlock([]string{attrTenantID, attrClientID, attrClientSecret, attrUseCLI}, map[string]string{attrTenantID: fmt.Sprintf("%q", e.tenant)}) + "\n" +
				dataUserMethods("bianca", accBiancaUPN).String(),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.entraauth_user_authentication_methods.bianca", tfjsonpath.New("methods").AtSliceIndex(1).AtMapKey("phone_number"),
					knownvalue.StringExact("+1 XXXXXXXX00")),
				statecheck.ExpectKnownValue("data.entraauth_user_authentication_methods.bianca", tfjsonpath.New("methods"), knownvalue.ListSizeExact(2)),
			},
		}},
	}, acctest.PreexistingUnmanaged(), acctest.Serial("t.Setenv: PATH holds the fake az"))
}
