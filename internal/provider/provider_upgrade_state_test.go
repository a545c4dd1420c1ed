package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entraauth/terraform-provider-entraauth/internal/protocol"
)

// upgradeCase is saved state Terraform may send to UpgradeResourceState.
type upgradeCase struct {
	name    string
	version int64 // added to the type's current schema version
	json    string
}

// upgradeCases are, for a resource type, saved states the server answers
// itself (current version, readable) and ones it must leave to the
// framework (a version it has no upgrader for, state that does not fit
// the schema, not JSON at all), so each gets the framework's diagnostics.
func upgradeCases(t *testing.T, typeName string, typ tftypes.Object) []upgradeCase {
	t.Helper()
	allNull := map[string]any{}
	for name := range typ.AttributeTypes {
		allNull[name] = nil
	}
	withExtra := map[string]any{"attribute_from_a_later_version": "x"}
	for k, v := range allNull {
		withExtra[k] = v
	}
	cases := []upgradeCase{
		{name: "every attribute null", json: mustJSON(t, allNull)},
		{name: "an attribute the schema no longer has (dropped)", json: mustJSON(t, withExtra)},
		{name: "attributes missing (null)", json: `{"id":"x"}`},
		{name: "a version this provider never had (framework error)", version: 1, json: mustJSON(t, allNull)},
		{name: "an attribute of the wrong type (framework error)", json: `{"id":{"not":"a string"}}`},
		{name: "not JSON (framework error)", json: `{"id":`},
		{name: "a number saved where the schema has a string (tftypes converts it)", json: `{"id":5}`},
		{name: "a repeated attribute (the last one counts)", json: `{"id":"a","id":"b"}`},
	}
	if typeName == "entraauth_phone_authentication_method" {
		cases = append(cases,
			upgradeCase{name: "a mobile with SMS sign-in", json: `{"id":"adele@contoso.com/mobile","user_id":"adele@contoso.com","phone_type":"mobile",` +
				`"phone_number":"+1 4255550100","method_id":"3179e48a-750b-4051-897c-87b9720928f7","sms_sign_in_enabled":true,"sms_sign_in_state":"ready","timeouts":null}`},
			upgradeCase{name: "timeouts set", json: `{"id":"adele@contoso.com/office","user_id":"adele@contoso.com","phone_type":"office",` +
				`"phone_number":"+1 4255550199","method_id":"e37fc753-ff3b-4958-9484-eaa9425c82bc","sms_sign_in_enabled":null,"sms_sign_in_state":"notSupported","timeouts":{"create":"10m","delete":null}}`},
		)
	}
	return cases
}

// TestUpgradeCurrentIsFrameworks holds the server's own answer to
// UpgradeResourceState (state saved at the current schema version, which
// Terraform sends once per resource on every plan) to the framework's:
// the whole response (upgraded state byte for byte, diagnostics) for every
// resource type, plus a test-only type with list and set blocks, which the
// server must leave to the framework, on providers configured as
// Terraform configures them.
func TestUpgradeCurrentIsFrameworks(t *testing.T) {
	ctx := context.Background()
	framework, wrapped := configuredServers(t, newProviderWithCollectionBlocks)
	schemas, err := framework.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(schemas.ResourceSchemas) < 2 {
		t.Fatalf("the provider has %d resource types, the test type included", len(schemas.ResourceSchemas))
	}
	for typeName, sch := range schemas.ResourceSchemas {
		typ, ok := sch.ValueType().(tftypes.Object)
		if !ok {
			t.Fatalf("%s's schema is not an object", typeName)
		}
		for _, tc := range upgradeCases(t, typeName, typ) {
			t.Run(typeName+": "+tc.name, func(t *testing.T) {
				req := &tfprotov6.UpgradeResourceStateRequest{
					TypeName: typeName,
					Version:  sch.Version + tc.version,
					RawState: &tfprotov6.RawState{JSON: []byte(tc.json)},
				}
				want, err := framework.UpgradeResourceState(ctx, req)
				if err != nil {
					t.Fatal(err)
				}
				got, err := wrapped.UpgradeResourceState(ctx, req)
				if err != nil {
					t.Fatal(err)
				}
				sameResponse(t, typ, nil, want, got)
			})
		}
	}
}

// configuredServers are the framework's own server and the server main.go
// serves with tuning on, for providers newProvider makes, each configured
// as Terraform configures a provider: ConfigureProvider with a client
// secret (no Graph request is made) and deferral allowed, as Terraform
// 1.11+ sends it.
func configuredServers(t *testing.T, newProvider func() provider.Provider) (framework, wrapped tfprotov6.ProviderServer) {
	t.Helper()
	framework = providerserver.NewProtocol6(newProvider())()
	wrapped = protocol.NewServerWithTuning(newProvider, protocol.TuningOn)()
	for _, srv := range []tfprotov6.ProviderServer{framework, wrapped} {
		configureServer(t, srv)
	}
	return framework, wrapped
}

func configureServer(t *testing.T, srv tfprotov6.ProviderServer) {
	t.Helper()
	ctx := context.Background()
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ, ok := schemas.Provider.ValueType().(tftypes.Object)
	if !ok {
		t.Fatal("the provider schema is not an object")
	}
	config, err := tfprotov6.NewDynamicValue(typ, objectWith(typ, map[string]tftypes.Value{
		attrTenantID:     tftypes.NewValue(tftypes.String, tenant),
		attrClientID:     tftypes.NewValue(tftypes.String, client),
		attrClientSecret: tftypes.NewValue(tftypes.String, "s3cret-value"),
	}))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		TerraformVersion:   "1.15.9",
		Config:             &config,
		ClientCapabilities: &tfprotov6.ConfigureProviderClientCapabilities{DeferralAllowed: true},
	})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("configure: %v %+v", err, resp.Diagnostics)
	}
}

// sameResponse fails unless want (the framework's response) and got (the
// server's) are equal in every field, msgpack byte for byte. typ and
// identityType, when not nil, decode the differing values for the message.
func sameResponse(t *testing.T, typ, identityType tftypes.Type, want, got any) {
	t.Helper()
	diff := cmp.Diff(want, got, cmp.Comparer(func(a, b *tftypes.AttributePath) bool {
		if a == nil || b == nil {
			return a == b
		}
		return a.Equal(b)
	}))
	if diff == "" {
		return
	}
	t.Errorf("responses differ (-framework +server):\n%s", diff)
	for _, v := range decodedValues(typ, identityType, want, got) {
		t.Log(v)
	}
}

// decodedValues is the planned or upgraded state and identity of both
// responses as values, for a failure message.
func decodedValues(typ, identityType tftypes.Type, responses ...any) []string {
	var out []string
	decode := func(who, what string, t tftypes.Type, dv *tfprotov6.DynamicValue) {
		if t == nil || dv == nil {
			return
		}
		if v, err := dv.Unmarshal(t); err == nil {
			out = append(out, fmt.Sprintf("%s %s: %s", who, what, v))
		}
	}
	for i, r := range responses {
		who := [...]string{"framework", "server"}[i%2]
		switch r := r.(type) {
		case *tfprotov6.UpgradeResourceStateResponse:
			decode(who, "upgraded state", typ, r.UpgradedState)
		case *tfprotov6.PlanResourceChangeResponse:
			decode(who, "planned state", typ, r.PlannedState)
			if r.PlannedIdentity != nil {
				decode(who, "planned identity", identityType, r.PlannedIdentity.IdentityData)
			}
		}
	}
	return out
}

// collectionBlocksType is a resource type only these tests add to the
// provider: no resource of the provider has a list or set block, and the
// framework answers upgrades of such types differently (a null block
// becomes an empty one), so the server must leave them to it.
const collectionBlocksType = "entraauth_test_collection_blocks"

// providerWithCollectionBlocks is the provider plus collectionBlocksType.
type providerWithCollectionBlocks struct {
	*entraAuthProvider
}

func newProviderWithCollectionBlocks() provider.Provider {
	return providerWithCollectionBlocks{testProvider(nil, nil)}
}

func (p providerWithCollectionBlocks) Resources(ctx context.Context) []func() resource.Resource {
	return append(p.entraAuthProvider.Resources(ctx), func() resource.Resource { return collectionBlocksResource{} })
}

// collectionBlocksResource has a list block, a set block, and a list block
// nested in a single block; it is never created.
type collectionBlocksResource struct{}

func (collectionBlocksResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = collectionBlocksType
}

func (collectionBlocksResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	nested := schema.NestedBlockObject{Attributes: map[string]schema.Attribute{"name": schema.StringAttribute{Optional: true}}}
	resp.Schema = schema.Schema{
		Attributes: map[string]schema.Attribute{"id": schema.StringAttribute{Computed: true}},
		Blocks: map[string]schema.Block{
			"rule": schema.ListNestedBlock{NestedObject: nested},
			"tag":  schema.SetNestedBlock{NestedObject: nested},
			"outer": schema.SingleNestedBlock{
				Attributes: map[string]schema.Attribute{"name": schema.StringAttribute{Optional: true}},
				Blocks:     map[string]schema.Block{"inner": schema.ListNestedBlock{NestedObject: nested}},
			},
		},
	}
}

func (collectionBlocksResource) Create(context.Context, resource.CreateRequest, *resource.CreateResponse) {
}
func (collectionBlocksResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}
func (collectionBlocksResource) Update(context.Context, resource.UpdateRequest, *resource.UpdateResponse) {
}
func (collectionBlocksResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}

// BenchmarkUpgradeResourceState is the per-resource cost of the
// UpgradeResourceState every plan makes, through the framework and
// through the server's own answer (go test -bench UpgradeResourceState
// -benchmem ./internal/provider/).
func BenchmarkUpgradeResourceState(b *testing.B) {
	ctx := context.Background()
	req := &tfprotov6.UpgradeResourceStateRequest{
		TypeName: "entraauth_phone_authentication_method",
		RawState: &tfprotov6.RawState{JSON: []byte(`{"id":"adele@contoso.com/mobile","user_id":"adele@contoso.com","phone_type":"mobile",` +
			`"phone_number":"+1 4255550100","method_id":"3179e48a-750b-4051-897c-87b9720928f7","sms_sign_in_enabled":true,"sms_sign_in_state":"ready","timeouts":null}`)},
	}
	for _, bc := range []struct {
		name string
		srv  tfprotov6.ProviderServer
	}{
		{"framework", providerserver.NewProtocol6(New("test")())()},
		{"server", protocol.NewServer(New("test"))()},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				resp, err := bc.srv.UpgradeResourceState(ctx, req)
				if err != nil || resp.UpgradedState == nil {
					b.Fatalf("no upgraded state: %v %v", err, resp.Diagnostics)
				}
			}
		})
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestFrameworkUpgradeStillCostsMore is why upgradeCurrent exists (see
// UPSTREAM.md): when it fails, the framework's current-version upgrade
// allocates about as little as the server's own answer, and the shortcut
// can go.
func TestFrameworkUpgradeStillCostsMore(t *testing.T) {
	ctx := context.Background()
	req := &tfprotov6.UpgradeResourceStateRequest{
		TypeName: "entraauth_phone_authentication_method",
		RawState: &tfprotov6.RawState{JSON: []byte(`{"id":"adele@contoso.com/mobile","user_id":"adele@contoso.com","phone_type":"mobile",` +
			`"phone_number":"+1 4255550100","method_id":"3179e48a-750b-4051-897c-87b9720928f7","sms_sign_in_enabled":true,"sms_sign_in_state":"ready","timeouts":null}`)},
	}
	framework, wrapped := configuredServers(t, New("test"))
	allocs := func(srv tfprotov6.ProviderServer) float64 {
		return testing.AllocsPerRun(200, func() {
			if resp, err := srv.UpgradeResourceState(ctx, req); err != nil || resp.UpgradedState == nil {
				t.Fatalf("upgrade: %v %+v", err, resp)
			}
		})
	}
	fw, own := allocs(framework), allocs(wrapped)
	t.Logf("allocations per upgrade: framework %.0f, server %.0f", fw, own)
	if fw < 1.5*own {
		t.Fatalf("the framework's current-version UpgradeResourceState allocates %.0f times, the server's own answer %.0f: "+
			"upstream made it cheap; consider removing upgradeCurrent (internal/protocol) and its entry in UPSTREAM.md", fw, own)
	}
}
