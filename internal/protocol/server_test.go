package protocol

import (
	"context"
	"runtime"
	"testing"
	"weak"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entraauth/terraform-provider-entraauth/internal/provider"
)

type requestKey struct{}

// validateRequest is a valid ValidateResourceConfig request for a phone.
func validateRequest(t *testing.T, srv tfprotov6.ProviderServer) *tfprotov6.ValidateResourceConfigRequest {
	t.Helper()
	const typeName = "entraauth_phone_authentication_method"
	sch, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ, ok := sch.ResourceSchemas[typeName].ValueType().(tftypes.Object)
	if !ok {
		t.Fatalf("%s's schema is not an object", typeName)
	}
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	vals["user_id"] = tftypes.NewValue(tftypes.String, "adele@contoso.com")
	vals["phone_type"] = tftypes.NewValue(tftypes.String, "mobile")
	vals["phone_number"] = tftypes.NewValue(tftypes.String, "+1 5555551234")
	config, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		t.Fatal(err)
	}
	return &tfprotov6.ValidateResourceConfigRequest{TypeName: typeName, Config: &config}
}

// keptAfterRequest reports whether srv still holds a value of a request's
// context once the request has returned and its context is cancelled.
func keptAfterRequest(t *testing.T, srv tfprotov6.ProviderServer) bool {
	t.Helper()
	req := validateRequest(t, srv)
	value := new([64 << 10]byte)
	kept := weak.Make(value)
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), requestKey{}, value))
	resp, err := srv.ValidateResourceConfig(ctx, req)
	cancel()
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("ValidateResourceConfig: %v %v", err, resp.Diagnostics)
	}
	value, ctx = nil, nil //nolint:ineffassign,wastedassign // drop the test's own references
	_ = ctx
	runtime.GC()
	runtime.GC()
	runtime.KeepAlive(srv)
	return kept.Value() != nil
}

func TestServerLetsGoOfRequestContexts(t *testing.T) {
	srv := NewServer(provider.New("test"))()
	if _, ok := srv.(*server); !ok {
		t.Fatalf("NewServer returned %T, not the releasing server: the framework server no longer offers the services it wraps", srv)
	}
	if keptAfterRequest(t, srv) {
		t.Fatal("the server still holds a request's context after the request returned: a refresh's memory grows with the number of resources")
	}
}

// TestFrameworkKeepsRequestContexts is why this package exists; when it
// fails, terraform-plugin-framework no longer keeps request contexts and
// NewServer can go back to providerserver.NewProtocol6.
func TestFrameworkKeepsRequestContexts(t *testing.T) {
	if !keptAfterRequest(t, providerserver.NewProtocol6(provider.New("test")())()) {
		t.Fatal("terraform-plugin-framework's server no longer keeps request contexts: the releasing server in internal/protocol is not needed any more")
	}
}
