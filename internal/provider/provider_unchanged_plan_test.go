package provider

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entraauth/terraform-provider-entraauth/internal/protocol"
)

// TestUnchangedPlanIsPrior holds the provider to UnchangedPlanIsPrior: for
// each listed type, a plan whose proposed new state equals the prior state
// gets the same answer from the framework as from the server's shortcut
// (planned state, private data, identity, no replacement, no diagnostics),
// with and without a prior identity (Terraform 1.12+ and below), private
// data and timeouts. A default or a plan modifier that changes an
// unchanged plan makes this fail. A changed plan still reaches the
// framework.
func TestUnchangedPlanIsPrior(t *testing.T) {
	ctx := context.Background()
	p := New("test")()
	up, ok := p.(protocol.UnchangedPlanner)
	if !ok {
		t.Fatal("the provider lists no type for the unchanged-plan shortcut")
	}
	framework := providerserver.NewProtocol6(New("test")())()
	wrapped := protocol.NewServer(New("test"))()
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
			{name: "timeouts set, SMS sign-in unset", identity: true, set: map[string]tftypes.Value{"timeouts": timeoutsValue(t, typ, "10m")}},
		} {
			t.Run(typeName+": "+tc.name, func(t *testing.T) {
				state := phoneState(t, typ, tc.set)
				req := &tfprotov6.PlanResourceChangeRequest{TypeName: typeName, PriorState: state, ProposedNewState: state, Config: state, PriorPrivate: tc.private}
				if tc.identity {
					req.PriorIdentity = identityData(t, identityType, map[string]tftypes.Value{
						"user_id": tftypes.NewValue(tftypes.String, "adele@contoso.com"), "phone_type": tftypes.NewValue(tftypes.String, "mobile"),
					})
				}
				want, err := framework.PlanResourceChange(ctx, req)
				if err != nil {
					t.Fatal(err)
				}
				got, err := wrapped.PlanResourceChange(ctx, req)
				if err != nil {
					t.Fatal(err)
				}
				if len(want.Diagnostics) > 0 || len(got.Diagnostics) > 0 {
					t.Fatalf("diagnostics: framework %v, server %v", want.Diagnostics, got.Diagnostics)
				}
				sameValue(t, "planned state", typ, want.PlannedState, got.PlannedState)
				samePrivate(t, want.PlannedPrivate, got.PlannedPrivate)
				if (want.PlannedIdentity == nil) != (got.PlannedIdentity == nil) {
					t.Fatalf("planned identity: framework %v, server %v", want.PlannedIdentity, got.PlannedIdentity)
				}
				if want.PlannedIdentity != nil {
					sameValue(t, "planned identity", identityType, want.PlannedIdentity.IdentityData, got.PlannedIdentity.IdentityData)
				}
				if len(want.RequiresReplace) > 0 || len(got.RequiresReplace) > 0 {
					t.Fatalf("requires replace: framework %v, server %v", want.RequiresReplace, got.RequiresReplace)
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

func sameValue(t *testing.T, what string, typ tftypes.Type, want, got *tfprotov6.DynamicValue) {
	t.Helper()
	if want == nil || got == nil {
		if want != got {
			t.Fatalf("%s: framework %v, server %v", what, want, got)
		}
		return
	}
	w, err := want.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	g, err := got.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	if !w.Equal(g) {
		t.Fatalf("%s: framework %s, server %s", what, w, g)
	}
}

func samePrivate(t *testing.T, want, got []byte) {
	t.Helper()
	if len(want) == 0 && len(got) == 0 {
		return
	}
	var w, g map[string]any
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("framework private %q: %v", want, err)
	}
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("server private %q: %v", got, err)
	}
	wb, _ := json.Marshal(w)
	gb, _ := json.Marshal(g)
	if string(wb) != string(gb) {
		t.Fatalf("planned private: framework %s, server %s", wb, gb)
	}
}
