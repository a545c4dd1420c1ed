package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/coordination"
	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Interrupts: a create cancelled (Ctrl-C) before or after Graph applied it.

// TestCreateInterrupted calls the resource's Create directly (no terraform
// binary, so the interrupt can be timed to the request in flight) against
// the mock. Terraform cancels the request's context on Ctrl-C.
//   - applied: Graph applied the POST and holds its response when the
//     interrupt comes. The error says "interrupted", not a timeout, and the
//     phone is saved in the state (Terraform taints it) so it is not
//     orphaned: the short read after the interrupt still ran.
//   - before: interrupted while waiting for the user's lock; the error says
//     so (not a timeout), Graph has no phone and nothing is saved.
func TestCreateInterrupted(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name    string
		applied bool
		summary string
		detail  []string
	}{
		{"applied", true, "Interrupted creating phone method", []string{"was interrupted", "may or may not have applied it",
			"Microsoft Graph did apply the create and holds exactly what was configured", "reconciles the state"}},
		{"before", false, "Interrupted waiting to create phone method", []string{"Terraform was asked to stop", "nothing was sent to Microsoft Graph"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			m := acctest.NewMock(t, acctest.Options{})
			adele := m.User(t, "adele")
			r := interruptTestResource(t, m)
			ctx, interrupt := context.WithCancel(context.Background())
			defer interrupt()
			if c.applied {
				_, err := m.Server.AddFaults(mockgraph.Fault{Match: mockgraph.OpCreate, Kind: mockgraph.FaultSlowResponse, Latency: mockgraph.Duration(5 * time.Minute), Count: 1})
				if err != nil {
					t.Fatal(err)
				}
				go func() {
					// Interrupt once Graph holds the phone, its response still held.
					for ctx.Err() == nil {
						if phones, _ := m.Server.PhoneMethods(m.TenantID, adele.ID); len(phones) == 1 {
							interrupt()
							return
						}
						time.Sleep(20 * time.Millisecond)
					}
				}()
			} else {
				// Another operation on the user holds its lock, so Create waits.
				unlock, err := r.coord.Lock(context.Background(), r.userScope(adele.UserPrincipalName))
				if err != nil {
					t.Fatal(err)
				}
				defer unlock()
				interrupt()
			}

			const number = "+1 5555550101"
			req, resp := createRequest(t, r, adele.UserPrincipalName, number)
			r.Create(ctx, req, resp)

			var errs []diag.Diagnostic
			for _, d := range resp.Diagnostics.Errors() {
				// Private state is the framework's to initialise; a direct
				// call cannot, and that is not what is tested here.
				if d.Summary() != "Uninitialized ProviderData" {
					errs = append(errs, d)
				}
			}
			if len(errs) != 1 || errs[0].Summary() != c.summary {
				t.Fatalf("diagnostics: %v", resp.Diagnostics)
			}
			detail := errs[0].Detail()
			for _, want := range c.detail {
				if !strings.Contains(detail, want) {
					t.Errorf("detail lacks %q:\n%s", want, detail)
				}
			}
			if strings.Contains(detail, "timeouts.") || strings.Contains(detail, "did not finish within") {
				t.Errorf("an interrupt reported as a timeout:\n%s", detail)
			}

			phones, err := m.Server.PhoneMethods(m.TenantID, adele.ID)
			if err != nil {
				t.Fatal(err)
			}
			saved := !resp.State.Raw.IsNull()
			if saved != c.applied || len(phones) != map[bool]int{true: 1, false: 0}[c.applied] {
				t.Fatalf("state saved = %t, Graph phones %+v; want both to say applied = %t", saved, phones, c.applied)
			}
			if saved {
				var got phoneAuthenticationMethodModel
				if d := resp.State.Get(context.Background(), &got); d.HasError() {
					t.Fatal(d)
				}
				if got.PhoneNumber.ValueString() != number || got.ID.ValueString() != importID(adele.UserPrincipalName, "mobile") {
					t.Errorf("saved %+v", got)
				}
			}
		})
	}
}

// interruptTestResource is the resource configured with a client for m.
func interruptTestResource(t *testing.T, m *acctest.Mock) *phoneAuthenticationMethodResource {
	t.Helper()
	e, err := graph.ResolveEndpoints("", m.GraphEndpoint(), m.AuthorityHost())
	if err != nil {
		t.Fatal(err)
	}
	client, err := graph.NewClient(graph.Config{Endpoints: e, Version: "test", RetryBaseDelay: 10 * time.Millisecond,
		Credentials: graph.Credentials{Kind: graph.CredentialClientSecret, TenantID: m.TenantID, ClientID: m.ClientID, ClientSecret: m.ClientSecret}})
	if err != nil {
		t.Fatal(err)
	}
	return &phoneAuthenticationMethodResource{client: client, coord: coordination.New()}
}

// createRequest is the framework's Create request for a mobile phone.
func createRequest(t *testing.T, r *phoneAuthenticationMethodResource, userID, number string) (fwresource.CreateRequest, *fwresource.CreateResponse) {
	t.Helper()
	ctx := context.Background()
	var sr fwresource.SchemaResponse
	r.Schema(ctx, fwresource.SchemaRequest{}, &sr)
	s := sr.Schema
	timeoutTypes := map[string]attr.Type{"create": types.StringType, "read": types.StringType, "update": types.StringType, "delete": types.StringType}
	plan := phoneAuthenticationMethodModel{
		ID: types.StringUnknown(), UserID: types.StringValue(userID), PhoneType: types.StringValue("mobile"),
		PhoneNumber: types.StringValue(number), SMSSignInEnabled: types.BoolNull(),
		MethodID: types.StringUnknown(), SMSSignInState: types.StringUnknown(),
		Timeouts: timeouts.Value{Object: types.ObjectNull(timeoutTypes)},
	}
	req := fwresource.CreateRequest{Plan: tfsdk.Plan{Schema: s}, Config: tfsdk.Config{Schema: s}}
	if d := req.Plan.Set(ctx, &plan); d.HasError() {
		t.Fatal(d)
	}
	req.Config.Raw = req.Plan.Raw
	resp := &fwresource.CreateResponse{State: tfsdk.State{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(ctx), nil)}}
	return req, resp
}
