package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestPhoneModelConversionMatchesFramework: Read's hand-written state
// conversion gives what the framework's reflection gives, both ways, for
// states with and without a timeouts block and with null and unknown
// values, so the tfsdk tags and the names in the conversion cannot drift.
func TestPhoneModelConversionMatchesFramework(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var rs resource.SchemaResponse
	NewPhoneAuthenticationMethodResource().Schema(ctx, resource.SchemaRequest{}, &rs)
	typ, ok := rs.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("the schema is not an object")
	}
	timeoutsType, ok := typ.AttributeTypes["timeouts"].(tftypes.Object)
	if !ok {
		t.Fatal("the timeouts block is not an object")
	}
	str := func(v any) tftypes.Value { return tftypes.NewValue(tftypes.String, v) }
	base := func() map[string]tftypes.Value {
		return map[string]tftypes.Value{
			"id": str("adele@contoso.com/mobile"), "user_id": str("adele@contoso.com"), "phone_type": str("mobile"),
			"phone_number": str("+1 555-555-1234"), "sms_sign_in_enabled": tftypes.NewValue(tftypes.Bool, true),
			"method_id": str("3179e48a-750b-4051-897c-87b9720928f7"), "sms_sign_in_state": str("ready"),
			"timeouts": tftypes.NewValue(timeoutsType, nil),
		}
	}
	withTimeouts := base()
	withTimeouts["timeouts"] = tftypes.NewValue(timeoutsType, map[string]tftypes.Value{
		"create": str("10m"), "read": str("30s"), "update": str(nil), "delete": str(tftypes.UnknownValue),
	})
	nulls := base()
	nulls["sms_sign_in_enabled"] = tftypes.NewValue(tftypes.Bool, nil)
	nulls["sms_sign_in_state"] = str(tftypes.UnknownValue)
	for name, vals := range map[string]map[string]tftypes.Value{"plain": base(), "timeouts": withTimeouts, "null and unknown": nulls} {
		t.Run(name, func(t *testing.T) {
			state := tfsdk.State{Schema: rs.Schema, Raw: tftypes.NewValue(typ, vals)}
			var want phoneAuthenticationMethodModel
			if d := state.Get(ctx, &want); d.HasError() {
				t.Fatal(d)
			}
			got, d := phoneModelFromState(ctx, state)
			if d.HasError() {
				t.Fatal(d)
			}
			if !got.equal(want) {
				t.Errorf("phoneModelFromState = %+v, framework Get = %+v", got, want)
			}
			set := tfsdk.State{Schema: rs.Schema, Raw: tftypes.NewValue(typ, nil)}
			if d := set.Set(ctx, &want); d.HasError() {
				t.Fatal(d)
			}
			raw, d := got.rawState(ctx, typ)
			if d.HasError() {
				t.Fatal(d)
			}
			if !raw.Equal(set.Raw) {
				t.Errorf("rawState = %v, framework Set = %v", raw, set.Raw)
			}
		})
	}
}

// equal compares every field with its own Equal.
func (m phoneAuthenticationMethodModel) equal(o phoneAuthenticationMethodModel) bool {
	return m.ID.Equal(o.ID) && m.UserID.Equal(o.UserID) && m.PhoneType.Equal(o.PhoneType) && m.PhoneNumber.Equal(o.PhoneNumber) &&
		m.SMSSignInEnabled.Equal(o.SMSSignInEnabled) && m.MethodID.Equal(o.MethodID) && m.SMSSignInState.Equal(o.SMSSignInState) &&
		m.Timeouts.Equal(o.Timeouts)
}
