package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
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
// the same upgraded state, byte for byte, for every resource type; and
// the framework's own diagnostics for what the server leaves to it.
func TestUpgradeCurrentIsFrameworks(t *testing.T) {
	ctx := context.Background()
	framework := providerserver.NewProtocol6(New("test")())()
	wrapped := protocol.NewServer(New("test"))()
	schemas, err := framework.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(schemas.ResourceSchemas) == 0 {
		t.Fatal("the provider has no resource types")
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
				if diagSummaries(want.Diagnostics) != diagSummaries(got.Diagnostics) {
					t.Fatalf("diagnostics: framework %q, server %q", diagSummaries(want.Diagnostics), diagSummaries(got.Diagnostics))
				}
				if (want.UpgradedState == nil) != (got.UpgradedState == nil) {
					t.Fatalf("upgraded state: framework %v, server %v", want.UpgradedState, got.UpgradedState)
				}
				if want.UpgradedState == nil {
					return
				}
				sameValue(t, "upgraded state", typ, want.UpgradedState, got.UpgradedState)
				if !bytes.Equal(want.UpgradedState.MsgPack, got.UpgradedState.MsgPack) || len(got.UpgradedState.JSON) > 0 {
					t.Fatalf("upgraded state encodings differ: framework %x %q, server %x %q",
						want.UpgradedState.MsgPack, want.UpgradedState.JSON, got.UpgradedState.MsgPack, got.UpgradedState.JSON)
				}
			})
		}
	}
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

// diagSummaries is severity, summary and detail of each diagnostic.
func diagSummaries(diags []*tfprotov6.Diagnostic) string {
	var b bytes.Buffer
	for _, d := range diags {
		b.WriteString(d.Severity.String() + ": " + d.Summary + ": " + d.Detail + "\n")
	}
	return b.String()
}
