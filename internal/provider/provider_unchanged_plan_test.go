package provider

import (
	"context"
	"encoding/base64"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entraauth/terraform-provider-entraauth/internal/protocol"
)

// TestUnchangedPlanIsPrior holds the provider to UnchangedPlanIsPrior: for
// each listed type, a plan whose proposed new state equals the prior state
// gets the same whole response from the server's shortcut as from the
// framework (planned state byte for byte, private data, identity,
// replacement, deferral, diagnostics), on providers configured as
// Terraform configures them, with the client capabilities Terraform sends,
// with and without a prior identity (Terraform 1.12+ and below), private
// data and the timeouts block. A default or a plan modifier that changes
// an unchanged plan makes this fail. A changed plan still reaches the
// framework.
func TestUnchangedPlanIsPrior(t *testing.T) {
	ctx := context.Background()
	newTestProvider := func() provider.Provider { return testProvider(nil, nil) }
	up, ok := newTestProvider().(protocol.UnchangedPlanner)
	if !ok {
		t.Fatal("the provider lists no type for the unchanged-plan shortcut")
	}
	framework, wrapped := configuredServers(t, newTestProvider)
	schemas, err := framework.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	identities, err := framework.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	marker := base64.StdEncoding.EncodeToString([]byte(`{"at":"2026-11-27T12:00:00Z"}`))
	for _, typeName := range up.UnchangedPlanIsPrior() {
		sch := schemas.ResourceSchemas[typeName]
		if sch == nil {
			t.Fatalf("%s is listed but has no schema", typeName)
		}
		typ, ok := sch.ValueType().(tftypes.Object)
		if !ok {
			t.Fatalf("%s's schema is not an object", typeName)
		}
		identityType := identities.IdentitySchemas[typeName].ValueType()
		for _, tc := range []struct {
			name     string
			set      map[string]tftypes.Value
			private  []byte
			identity bool
		}{
			{name: "mobile with SMS sign-in, identity, recent-write marker", identity: true, private: []byte(`{"recent_write":"` + marker + `"}`),
				set: map[string]tftypes.Value{"sms_sign_in_enabled": tftypes.NewValue(tftypes.Bool, true), "sms_sign_in_state": tftypes.NewValue(tftypes.String, "ready")}},
			{name: "no identity (Terraform below 1.12), no private data",
				set: map[string]tftypes.Value{"sms_sign_in_enabled": tftypes.NewValue(tftypes.Bool, false), "sms_sign_in_state": tftypes.NewValue(tftypes.String, "notAllowedByPolicy")}},
			{name: "timeouts block set, SMS sign-in unset", identity: true, set: map[string]tftypes.Value{"timeouts": timeoutsValue(t, typ, "10m")}},
		} {
			t.Run(typeName+": "+tc.name, func(t *testing.T) {
				state := phoneState(t, typ, tc.set)
				config := configOf(t, sch, typ, state)
				req := &tfprotov6.PlanResourceChangeRequest{TypeName: typeName, PriorState: state, ProposedNewState: state, Config: config, PriorPrivate: tc.private,
					ClientCapabilities: &tfprotov6.PlanResourceChangeClientCapabilities{DeferralAllowed: true}}
				if tc.identity {
					req.PriorIdentity = identityData(t, identityType, map[string]tftypes.Value{
						"user_id": tftypes.NewValue(tftypes.String, "adele@contoso.com"), "phone_type": tftypes.NewValue(tftypes.String, "mobile"),
					})
				}
				var responses []*tfprotov6.PlanResourceChangeResponse
				for _, srv := range []tfprotov6.ProviderServer{framework, wrapped} {
					// Terraform validates the configuration first, allowing write-only attributes.
					v, err := srv.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: typeName, Config: config,
						ClientCapabilities: &tfprotov6.ValidateResourceConfigClientCapabilities{WriteOnlyAttributesAllowed: true}})
					if err != nil || len(v.Diagnostics) > 0 {
						t.Fatalf("validate: %v %+v", err, v.Diagnostics)
					}
					resp, err := srv.PlanResourceChange(ctx, req)
					if err != nil {
						t.Fatal(err)
					}
					responses = append(responses, resp)
				}
				sameResponse(t, typ, identityType, responses[0], responses[1])
				if len(responses[0].Diagnostics) > 0 || responses[0].PlannedState == nil {
					t.Fatalf("the framework's plan of an unchanged %s: %+v", typeName, responses[0])
				}
			})
		}
		t.Run(typeName+": a changed user_id still reaches the framework", func(t *testing.T) {
			prior := phoneState(t, typ, nil)
			proposed := phoneState(t, typ, map[string]tftypes.Value{"user_id": tftypes.NewValue(tftypes.String, "megan@contoso.com")})
			got, err := wrapped.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: typeName, PriorState: prior, ProposedNewState: proposed, Config: proposed})
			if err != nil {
				t.Fatal(err)
			}
			if len(got.RequiresReplace) != 1 || got.RequiresReplace[0].String() != tftypes.NewAttributePath().WithAttributeName("user_id").String() {
				t.Fatalf("requires replace %v, want user_id (diagnostics %v)", got.RequiresReplace, got.Diagnostics)
			}
		})
	}
}

// configOf is state as configuration: the attributes only the provider
// sets (computed, not optional) null, as Terraform sends Config.
func configOf(t *testing.T, sch *tfprotov6.Schema, typ tftypes.Object, state *tfprotov6.DynamicValue) *tfprotov6.DynamicValue {
	t.Helper()
	v, err := state.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	var vals map[string]tftypes.Value
	if err := v.As(&vals); err != nil {
		t.Fatal(err)
	}
	for _, a := range sch.Block.Attributes {
		if a.Computed && !a.Optional {
			vals[a.Name] = tftypes.NewValue(typ.AttributeTypes[a.Name], nil)
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

// TestPhoneSchemaKeepsUnchangedPlans is the structural half of the claim:
// no attribute of the phone method has a default, and the only attribute
// plan modifiers are RequiresReplace, which changes nothing when the plan
// equals the state. Adding either needs the type out of
// UnchangedPlanIsPrior, or a reason it still holds.
func TestPhoneSchemaKeepsUnchangedPlans(t *testing.T) {
	ctx := context.Background()
	var resp resource.SchemaResponse
	NewPhoneAuthenticationMethodResource().Schema(ctx, resource.SchemaRequest{}, &resp)
	requiresReplace := stringplanmodifier.RequiresReplace().Description(ctx)
	for name, a := range resp.Schema.Attributes {
		switch at := a.(type) {
		case schema.StringAttribute:
			if at.Default != nil {
				t.Errorf("%s has a default", name)
			}
			for _, m := range at.PlanModifiers {
				if m.Description(ctx) != requiresReplace {
					t.Errorf("%s has the plan modifier %q", name, m.Description(ctx))
				}
			}
		case schema.BoolAttribute:
			if at.Default != nil || len(at.PlanModifiers) > 0 {
				t.Errorf("%s has a default or plan modifiers", name)
			}
		default:
			t.Errorf("%s is a %T: extend this check before listing the type", name, a)
		}
	}
}

// phoneState is a phone's state with set's values over a mobile of Adele's.
func phoneState(t *testing.T, typ tftypes.Object, set map[string]tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	vals := map[string]tftypes.Value{
		"id":           tftypes.NewValue(tftypes.String, "adele@contoso.com/mobile"),
		"user_id":      tftypes.NewValue(tftypes.String, "adele@contoso.com"),
		"phone_type":   tftypes.NewValue(tftypes.String, "mobile"),
		"phone_number": tftypes.NewValue(tftypes.String, "+1 4255550100"),
		"method_id":    tftypes.NewValue(tftypes.String, "3179e48a-750b-4051-897c-87b9720928f7"),
	}
	for k, v := range set {
		vals[k] = v
	}
	dv, err := tfprotov6.NewDynamicValue(typ, objectWith(typ, vals))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

// objectWith is an object of typ with set's attributes and every other
// attribute null.
func objectWith(typ tftypes.Object, set map[string]tftypes.Value) tftypes.Value {
	vals := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	for k, v := range set {
		vals[k] = v
	}
	return tftypes.NewValue(typ, vals)
}

func timeoutsValue(t *testing.T, typ tftypes.Object, create string) tftypes.Value {
	t.Helper()
	tt, ok := typ.AttributeTypes["timeouts"].(tftypes.Object)
	if !ok {
		t.Fatal("timeouts is not an object")
	}
	vals := map[string]tftypes.Value{}
	for name, at := range tt.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	vals["create"] = tftypes.NewValue(tftypes.String, create)
	return tftypes.NewValue(tt, vals)
}

func identityData(t *testing.T, typ tftypes.Type, vals map[string]tftypes.Value) *tfprotov6.ResourceIdentityData {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		t.Fatal(err)
	}
	return &tfprotov6.ResourceIdentityData{IdentityData: &dv}
}

// TestFrameworkUnchangedPlanStillCostsMore is why planUnchanged exists (see
// UPSTREAM.md): when it fails, the framework plans an unchanged resource
// with few allocations, and the shortcut can go.
func TestFrameworkUnchangedPlanStillCostsMore(t *testing.T) {
	ctx := context.Background()
	framework, wrapped := configuredServers(t, New("test"))
	schemas, err := framework.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	const typeName = "entraauth_phone_authentication_method"
	sch := schemas.ResourceSchemas[typeName]
	typ, ok := sch.ValueType().(tftypes.Object)
	if !ok {
		t.Fatal("the phone method's schema is not an object")
	}
	state := phoneState(t, typ, nil)
	req := &tfprotov6.PlanResourceChangeRequest{TypeName: typeName, PriorState: state, ProposedNewState: state, Config: configOf(t, sch, typ, state),
		ClientCapabilities: &tfprotov6.PlanResourceChangeClientCapabilities{DeferralAllowed: true}}
	allocs := func(srv tfprotov6.ProviderServer) float64 {
		return testing.AllocsPerRun(200, func() {
			if resp, err := srv.PlanResourceChange(ctx, req); err != nil || resp.PlannedState == nil {
				t.Fatalf("plan: %v %+v", err, resp)
			}
		})
	}
	fw, own := allocs(framework), allocs(wrapped)
	t.Logf("allocations per unchanged plan: framework %.0f, server %.0f", fw, own)
	if fw < 10*(own+1) {
		t.Fatalf("the framework's unchanged PlanResourceChange allocates %.0f times, the server's own answer %.0f: "+
			"upstream made it cheap; consider removing planUnchanged (internal/protocol) and its entry in UPSTREAM.md", fw, own)
	}
}
