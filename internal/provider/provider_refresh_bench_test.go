package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
	"github.com/entraauth/terraform-provider-entraauth/internal/protocol"
)

// BenchmarkRefreshPhone is one phone's share of a no-change plan: the four
// requests Terraform sends per resource (UpgradeResourceState,
// ReadResource with its Graph GET, ValidateResourceConfig,
// PlanResourceChange), through the server main.go serves, against an
// in-process mock Graph over TLS with no added latency. The mock's CPU is
// in the figure too; a CPU profile tells them apart. The server follows
// ENTRAAUTH_TUNING, so ENTRAAUTH_TUNING=off measures it without the
// server's own answers:
//
//	go test -run XXX -bench RefreshPhone -benchmem -cpuprofile cpu.out ./internal/provider/
func BenchmarkRefreshPhone(b *testing.B) {
	if _, err := acctest.SetupCA(); err != nil {
		b.Fatal(err)
	}
	const upn = "adele@" + acctest.TenantDomain
	m := acctest.NewMock(b, acctest.Options{Users: []mockgraph.SeedUser{{
		User:         mockgraph.User{UserPrincipalName: upn, DisplayName: "Adele"},
		PhoneMethods: []mockgraph.SeedPhoneMethod{{PhoneType: "mobile", PhoneNumber: "+1 4255550100", SMSSignInEnabled: true}},
	}}})
	for k, v := range m.Env() {
		b.Setenv(k, v)
	}
	ctx := context.Background()
	srv := protocol.NewServer(New("bench"))()
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		b.Fatal(err)
	}
	providerType, ok := schemas.Provider.ValueType().(tftypes.Object)
	if !ok {
		b.Fatal("the provider schema is not an object")
	}
	nullConfig, err := tfprotov6.NewDynamicValue(providerType, objectWith(providerType, nil))
	if err != nil {
		b.Fatal(err)
	}
	if resp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &nullConfig}); err != nil || len(resp.Diagnostics) > 0 {
		b.Fatalf("configure: %v %v", err, resp.Diagnostics)
	}
	const typeName = "entraauth_phone_authentication_method"
	typ, ok := schemas.ResourceSchemas[typeName].ValueType().(tftypes.Object)
	if !ok {
		b.Fatal("the phone method's schema is not an object")
	}
	saved := []byte(`{"id":"` + upn + `/mobile","user_id":"` + upn + `","phone_type":"mobile","phone_number":"+1 4255550100",` +
		`"method_id":"3179e48a-750b-4051-897c-87b9720928f7","sms_sign_in_enabled":true,"sms_sign_in_state":"ready","timeouts":null}`)
	config, err := tfprotov6.NewDynamicValue(typ, objectWith(typ, map[string]tftypes.Value{
		"user_id":             tftypes.NewValue(tftypes.String, upn),
		"phone_type":          tftypes.NewValue(tftypes.String, "mobile"),
		"phone_number":        tftypes.NewValue(tftypes.String, "+1 4255550100"),
		"sms_sign_in_enabled": tftypes.NewValue(tftypes.Bool, true),
	}))
	if err != nil {
		b.Fatal(err)
	}

	b.ReportAllocs()
	for b.Loop() {
		up, err := srv.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{TypeName: typeName, RawState: &tfprotov6.RawState{JSON: saved}})
		if err != nil || len(up.Diagnostics) > 0 {
			b.Fatalf("upgrade: %v %v", err, up.Diagnostics)
		}
		read, err := srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: up.UpgradedState})
		if err != nil || len(read.Diagnostics) > 0 {
			b.Fatalf("read: %v %v", err, read.Diagnostics)
		}
		val, err := srv.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: typeName, Config: &config})
		if err != nil || len(val.Diagnostics) > 0 {
			b.Fatalf("validate: %v %v", err, val.Diagnostics)
		}
		plan, err := srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: typeName,
			PriorState: read.NewState, ProposedNewState: read.NewState, Config: &config, PriorPrivate: read.Private})
		if err != nil || len(plan.Diagnostics) > 0 {
			b.Fatalf("plan: %v %v", err, plan.Diagnostics)
		}
	}
}
