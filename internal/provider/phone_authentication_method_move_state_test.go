package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/coordination"
	"github.com/entraauth/terraform-provider-entraauth/internal/phonenumber"
)

// msgraphState is a msgraph_resource state (schema version 0) as the
// msgraph provider writes it after creating a phone method: url is the
// collection it POSTed to, id the method id Graph answered, body the
// request body as a dynamic value ({"value": ..., "type": ...}), output
// the exported response values (none). body is raw JSON, or "" for null.
func msgraphState(urlValue, id, body string) string {
	st := map[string]any{
		"api_version":             "v1.0",
		"create_method":           nil,
		"create_query_parameters": nil,
		"delete_query_parameters": nil,
		"id":                      id,
		"ignore_missing_property": true,
		"output":                  json.RawMessage(`{"value":{},"type":["object",{}]}`),
		"read_query_parameters":   nil,
		"resource_url":            strings.TrimPrefix(urlValue, "/") + "/" + id,
		"response_export_values":  nil,
		"retry":                   nil,
		"timeouts":                nil,
		"update_method":           nil,
		"update_query_parameters": nil,
		"url":                     urlValue,
		"body":                    nil,
	}
	if body != "" {
		st["body"] = json.RawMessage(body)
	}
	b, err := json.Marshal(st)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// msgraphPhoneBody is body as Terraform stores `body = { phoneNumber = ..., phoneType = ... }`.
func msgraphPhoneBody(number, phoneType string) string {
	b, _ := json.Marshal(map[string]any{
		"value": map[string]string{"phoneNumber": number, "phoneType": phoneType},
		"type":  []any{"object", map[string]string{"phoneNumber": "string", "phoneType": "string"}},
	})
	return string(b)
}

// moveState runs the resource's state movers as the framework does and
// returns the target state's attributes with the identity's under
// "identity.", or the error diagnostics' text.
func moveState(t *testing.T, providerAddr, typeName string, version int64, stateJSON string) (map[string]tftypes.Value, string) {
	t.Helper()
	ctx := context.Background()
	r := &phoneAuthenticationMethodResource{coord: coordination.Default}
	var sch resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sch)
	var idSch resource.IdentitySchemaResponse
	r.IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &idSch)
	typ := sch.Schema.Type().TerraformType(ctx)
	idTyp := idSch.IdentitySchema.Type().TerraformType(ctx)
	for _, m := range r.MoveState(ctx) {
		resp := &resource.MoveStateResponse{
			TargetState:    tfsdk.State{Schema: sch.Schema, Raw: tftypes.NewValue(typ, nil)},
			TargetIdentity: &tfsdk.ResourceIdentity{Schema: idSch.IdentitySchema, Raw: tftypes.NewValue(idTyp, nil)},
		}
		m.StateMover(ctx, resource.MoveStateRequest{
			SourceProviderAddress: providerAddr,
			SourceTypeName:        typeName,
			SourceSchemaVersion:   version,
			SourceRawState:        &tfprotov6.RawState{JSON: []byte(stateJSON)},
		}, resp)
		if resp.Diagnostics.HasError() {
			var parts []string
			for _, d := range resp.Diagnostics.Errors() {
				parts = append(parts, d.Summary()+": "+d.Detail())
			}
			return nil, strings.Join(parts, "\n")
		}
		if resp.TargetState.Raw.IsNull() {
			continue // skipped
		}
		attrs, identity := map[string]tftypes.Value{}, map[string]tftypes.Value{}
		if err := resp.TargetState.Raw.As(&attrs); err != nil {
			t.Fatal(err)
		}
		if err := resp.TargetIdentity.Raw.As(&identity); err != nil {
			t.Fatalf("identity: %v", err)
		}
		for k, v := range identity {
			attrs["identity."+k] = v
		}
		return attrs, ""
	}
	t.Fatal("no state mover handled the request")
	return nil, ""
}

func stringAttr(t *testing.T, attrs map[string]tftypes.Value, name string) *string {
	t.Helper()
	var s *string
	if err := attrs[name].As(&s); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return s
}

// TestMoveStateFromMSGraph: the phone is read from the url (the user, as
// written there), the method id and the body, in the state shapes msgraph
// writes; everything else is left for Read.
func TestMoveStateFromMSGraph(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, state               string
		user, phoneType, methodID string
		number                    *string
	}{
		{
			name:  "object id, body with number and type",
			state: msgraphState("users/"+accAdeleID+"/authentication/phoneMethods", mobileMethodID, msgraphPhoneBody("+1 5555551234", "mobile")),
			user:  accAdeleID, phoneType: "mobile", methodID: mobileMethodID, number: moveStrPtr("+1 5555551234"),
		},
		{
			name:  "UPN with a leading slash, number spelled another way, type in other case",
			state: msgraphState("/users/"+accAdeleUPN+"/authentication/phoneMethods", officeMethodID, msgraphPhoneBody("+1 (555) 555-1234", "Office")),
			user:  accAdeleUPN, phoneType: "office", methodID: officeMethodID, number: moveStrPtr("+1 (555) 555-1234"),
		},
		{
			name:  "escaped UPN, path segments in other case, trailing slash",
			state: msgraphState("Users/adele%40contoso.com/Authentication/PhoneMethods/", alternateMobileMethodID, msgraphPhoneBody("+44 2079460958", "alternateMobile")),
			user:  "adele@contoso.com", phoneType: "alternateMobile", methodID: alternateMobileMethodID, number: moveStrPtr("+44 2079460958"),
		},
		{
			name:  "no body: the type from the method id, the number from Graph on Read",
			state: msgraphState("users/"+accAdeleID+"/authentication/phoneMethods", alternateMobileMethodID, ""),
			user:  accAdeleID, phoneType: "alternateMobile", methodID: alternateMobileMethodID,
		},
		{
			name:  "body as jsonencode text",
			state: msgraphState("users/"+accAdeleID+"/authentication/phoneMethods", mobileMethodID, `{"value":"{\"phoneNumber\":\"+1 5555550000\",\"phoneType\":\"mobile\"}","type":"string"}`),
			user:  accAdeleID, phoneType: "mobile", methodID: mobileMethodID, number: moveStrPtr("+1 5555550000"),
		},
		{
			name: "older release: no resource_url, retry or create_method",
			state: `{"id":"` + mobileMethodID + `","url":"users/` + accAdeleID + `/authentication/phoneMethods","api_version":"beta",` +
				`"body":` + msgraphPhoneBody("+1 5555551234", "mobile") + `,"ignore_missing_property":true,"response_export_values":null,"output":{"value":{},"type":["object",{}]}}`,
			user: accAdeleID, phoneType: "mobile", methodID: mobileMethodID, number: moveStrPtr("+1 5555551234"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			attrs, errText := moveState(t, msgraphProviderAddress, msgraphResourceType, 0, tt.state)
			if errText != "" {
				t.Fatalf("move refused: %s", errText)
			}
			want := map[string]*string{
				"id": moveStrPtr(tt.user + "/" + tt.phoneType), "user_id": &tt.user, "phone_type": &tt.phoneType,
				"method_id": &tt.methodID, "phone_number": tt.number, "sms_sign_in_state": nil,
				"identity.user_id": &tt.user, "identity.phone_type": &tt.phoneType,
			}
			for name, w := range want {
				got := stringAttr(t, attrs, name)
				switch {
				case w == nil && got != nil:
					t.Errorf("%s = %q; want null (Read fills it from Graph)", name, *got)
				case w != nil && (got == nil || *got != *w):
					t.Errorf("%s = %v; want %q", name, moveStrShow(got), *w)
				}
			}
			if !attrs["sms_sign_in_enabled"].IsNull() || !attrs["timeouts"].IsNull() {
				t.Errorf("sms_sign_in_enabled %v, timeouts %v; want both null", attrs["sms_sign_in_enabled"], attrs["timeouts"])
			}
		})
	}
}

// TestMoveStateFromMSGraphOnOpenTofu: OpenTofu names the msgraph provider
// by its own registry (also in a state Terraform wrote), and the move is
// taken from there as from registry.terraform.io.
func TestMoveStateFromMSGraphOnOpenTofu(t *testing.T) {
	t.Parallel()
	state := msgraphState("users/"+accAdeleID+"/authentication/phoneMethods", mobileMethodID, msgraphPhoneBody("+1 5555551234", "mobile"))
	attrs, errText := moveState(t, "registry.opentofu.org/microsoft/msgraph", msgraphResourceType, 0, state)
	if errText != "" {
		t.Fatalf("move refused: %s", errText)
	}
	if got := stringAttr(t, attrs, "id"); got == nil || *got != accAdeleID+"/mobile" {
		t.Errorf("id = %v; want %q", moveStrShow(got), accAdeleID+"/mobile")
	}
}

// TestMoveStateFromMisreportedSource: OpenTofu 1.12.6 at times names this
// provider as the source of a moved for_each instance (UPSTREAM.md entry
// 7); a msgraph_resource "of this provider" is taken, and its state is
// checked as any other.
func TestMoveStateFromMisreportedSource(t *testing.T) {
	t.Parallel()
	state := msgraphState("users/"+accAdeleID+"/authentication/phoneMethods", mobileMethodID, msgraphPhoneBody("+1 5555551234", "mobile"))
	for _, addr := range []string{"registry.opentofu.org/entraauth/entraauth", "registry.terraform.io/entraauth/entraauth", "registry.opentofu.org/hashicorp/entraauth"} {
		attrs, errText := moveState(t, addr, msgraphResourceType, 0, state)
		if errText != "" {
			t.Fatalf("%s: move refused: %s", addr, errText)
		}
		if got := stringAttr(t, attrs, "id"); got == nil || *got != accAdeleID+"/mobile" {
			t.Errorf("%s: id = %v; want %q", addr, moveStrShow(got), accAdeleID+"/mobile")
		}
	}
	if _, errText := moveState(t, "registry.opentofu.org/entraauth/entraauth", msgraphResourceType, 0, msgraphState("users/"+accAdeleID+"/memberOf", mobileMethodID, "")); errText == "" {
		t.Error("a misreported source with a url that is no phone method was taken")
	}
	if _, errText := moveState(t, "registry.opentofu.org/entraauth/entraauth", "entraauth_email_authentication_method", 0, state); errText == "" {
		t.Error("another type of this provider was taken")
	}
}

// TestMoveStateRefusals: what is not a user's phone method made with
// msgraph_resource is refused with what was wrong and what is accepted.
func TestMoveStateRefusals(t *testing.T) {
	t.Parallel()
	phones := "users/" + accAdeleID + "/authentication/phoneMethods"
	body := msgraphPhoneBody("+1 5555551234", "mobile")
	const accepted = `"users/{user id}/authentication/phoneMethods"`
	tests := []struct {
		name, provider, typeName string
		version                  int64
		state                    string
		want                     []string
	}{
		{"email methods", msgraphProviderAddress, msgraphResourceType, 0,
			msgraphState("users/"+accAdeleID+"/authentication/emailMethods", "3ddfcfc8-9383-446f-83cc-3ab9be4be18f", `{"value":{"emailAddress":"a@b.c"},"type":["object",{"emailAddress":"string"}]}`),
			[]string{`its url "users/` + accAdeleID + `/authentication/emailMethods" is not a user's phone methods`, accepted}},
		{"a group", msgraphProviderAddress, msgraphResourceType, 0,
			msgraphState("groups", "11111111-2222-3333-4444-555555555555", `{"value":{"displayName":"x"},"type":["object",{"displayName":"string"}]}`),
			[]string{`its url "groups" is not a user's phone methods`, accepted}},
		{"the signed-in user", msgraphProviderAddress, msgraphResourceType, 0,
			msgraphState("me/authentication/phoneMethods", mobileMethodID, body),
			[]string{`"me/authentication/phoneMethods" is not a user's phone methods`}},
		{"one phone method's url", msgraphProviderAddress, msgraphResourceType, 0,
			msgraphState(phones+"/"+mobileMethodID, mobileMethodID, body),
			[]string{`is not a user's phone methods`, accepted}},
		{"a url with a query", msgraphProviderAddress, msgraphResourceType, 0,
			msgraphState(phones+"?$select=id", mobileMethodID, body),
			[]string{`has a query or fragment`}},
		{"a user id with spaces", msgraphProviderAddress, msgraphResourceType, 0,
			msgraphState("users/%20adele/authentication/phoneMethods", mobileMethodID, body),
			[]string{`names the user " adele", which is not a user id: it has leading or trailing spaces`}},
		{"an id that is no phone method", msgraphProviderAddress, msgraphResourceType, 0,
			msgraphState(phones, "28c10230-6103-485e-b985-444c60001490", body),
			[]string{`the id "28c10230-6103-485e-b985-444c60001490" is not one of Graph's phone method ids`}},
		{"body and id disagree", msgraphProviderAddress, msgraphResourceType, 0,
			msgraphState(phones, officeMethodID, body),
			[]string{`the body's phoneType is "mobile" but the id "` + officeMethodID + `" is the office phone's method id`}},
		{"unknown phoneType", msgraphProviderAddress, msgraphResourceType, 0,
			msgraphState(phones, "", msgraphPhoneBody("+1 5555551234", "pager")),
			[]string{`the body's phoneType "pager" is not one of`}},
		{"no way to tell the type", msgraphProviderAddress, msgraphResourceType, 0,
			msgraphState(phones, "", ""),
			[]string{`neither a phone method id in id nor a phoneType in body`}},
		{"another resource type", msgraphProviderAddress, "msgraph_update_resource", 0,
			msgraphState(phones+"/"+mobileMethodID, mobileMethodID, body),
			[]string{`A msgraph_update_resource of provider registry.terraform.io/microsoft/msgraph cannot become`, accepted}},
		{"another provider", "registry.terraform.io/hashicorp/azuread", "msgraph_resource", 0,
			msgraphState(phones, mobileMethodID, body),
			[]string{`of provider registry.terraform.io/hashicorp/azuread cannot become`}},
		{"a schema version this provider does not know", msgraphProviderAddress, msgraphResourceType, 1,
			msgraphState(phones, mobileMethodID, body),
			[]string{`schema version 1`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, errText := moveState(t, tt.provider, tt.typeName, tt.version, tt.state)
			if errText == "" {
				t.Fatal("moved; want a refusal")
			}
			if !strings.HasPrefix(errText, "Cannot move this resource to entraauth_phone_authentication_method: ") {
				t.Errorf("refusal has another summary: %s", errText)
			}
			for _, w := range tt.want {
				if !strings.Contains(errText, w) {
					t.Errorf("refusal\n  %s\ndoes not say\n  %s", errText, w)
				}
			}
		})
	}
}

func moveStrPtr(s string) *string { return &s }

func moveStrShow(s *string) string {
	if s == nil {
		return "null"
	}
	return `"` + *s + `"`
}

// msgraphTFState is a Terraform state file (format 4) of msgraph_resource
// resources as the msgraph provider leaves them: resources maps each name
// to its instances' attributes by for_each key ("" for a resource without
// for_each).
func msgraphTFState(resources map[string]map[string]string) string {
	var rs []string
	for name, instances := range resources {
		var is []string
		for key, attrs := range instances {
			indexKey := ""
			if key != "" {
				indexKey = fmt.Sprintf(`"index_key":%q,`, key)
			}
			is = append(is, fmt.Sprintf(`{%s"schema_version":0,"attributes":%s,"sensitive_attributes":[]}`, indexKey, attrs))
		}
		rs = append(rs, fmt.Sprintf(`{"mode":"managed","type":"msgraph_resource","name":%q,`+
			`"provider":"provider[\"registry.terraform.io/microsoft/msgraph\"]","instances":[%s]}`, name, strings.Join(is, ",")))
	}
	return `{"version":4,"terraform_version":"1.8.0","serial":1,"lineage":"5c7e8a6e-2f0d-4d57-9a53-6f1f3e0b9b11","outputs":{},` +
		`"resources":[` + strings.Join(rs, ",") + `],"check_results":null}`
}

// tfJSONResource is a resource in `terraform show -json`.
type tfJSONResource struct {
	Address  string         `json:"address"`
	Type     string         `json:"type"`
	Values   map[string]any `json:"values"`
	Identity map[string]any `json:"identity"` // Terraform 1.12+
}

// checkMovedIdentity checks r's identity against want (by address); want
// is nil on Terraform older than 1.12, which keeps no identities.
func checkMovedIdentity(t *testing.T, want map[string]map[string]any, r tfJSONResource) {
	t.Helper()
	if want == nil {
		return
	}
	if w := want[r.Address]; fmt.Sprint(r.Identity) != fmt.Sprint(w) {
		t.Errorf("%s has identity %v; want %v", r.Address, r.Identity, w)
	}
}

// TestAccPhoneAuthenticationMethod_movedFromMSGraph runs what a team
// switching from the msgraph provider runs, on the Terraform under test
// (1.8+): a state with three phones made by msgraph_resource (one resource
// whose url names the user by object id; one with for_each over two users
// named by user principal name, one number spelled another way than Graph
// does) and a configuration with two moved blocks, one per resource. The
// move alone (plan -refresh=false) sends Graph nothing and gives each phone
// its identity (Terraform 1.12+); the plan is three moves and nothing else,
// apply writes nothing to Graph, the state then equals Graph, and the next
// plan is empty.
func TestAccPhoneAuthenticationMethod_movedFromMSGraph(t *testing.T) {
	t.Parallel()
	e := newAccEnv(t)
	run := newTFCLIRun(t)
	v := run.version()
	if !terraformAtLeast(v, 8) {
		t.Skipf("moved across providers needs Terraform 1.8 or later; this is %s", v)
	}
	var identities map[string]map[string]any
	if terraformAtLeast(v, 12) {
		identities = map[string]map[string]any{
			"entraauth_phone_authentication_method.adele_mobile":                   {"user_id": accAdeleID, "phone_type": "mobile"},
			`entraauth_phone_authentication_method.office["` + accBiancaUPN + `"]`: {"user_id": accBiancaUPN, "phone_type": "office"},
			`entraauth_phone_authentication_method.office["` + accCarlosUPN + `"]`: {"user_id": accCarlosUPN, "phone_type": "office"},
		}
	}
	// The phones msgraph created: Graph stores its canonical spelling.
	e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accAdeleID, "mobile", "+1 5555551234", false))
	e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accBiancaUPN, "office", "+1 5555550000", false))
	e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accCarlosUPN, "office", "+44 2079460958", false))
	run.write("terraform.tfstate", msgraphTFState(map[string]map[string]string{
		"adele_mobile": {"": msgraphState("users/"+accAdeleID+"/authentication/phoneMethods", mobileMethodID, msgraphPhoneBody("+1 5555551234", "mobile"))},
		"office": {
			accBiancaUPN: msgraphState("/users/"+accBiancaUPN+"/authentication/phoneMethods", officeMethodID, msgraphPhoneBody("+1 (555) 555-0000", "office")),
			accCarlosUPN: msgraphState("/users/"+accCarlosUPN+"/authentication/phoneMethods", officeMethodID, msgraphPhoneBody("+44 2079460958", "office")),
		},
	}))
	run.write("main.tf", `terraform {
  required_providers {
    entraauth = { source = "entraauth/entraauth" }
  }
}

`+e.providerConfig()+`
moved {
  from = msgraph_resource.adele_mobile
  to   = entraauth_phone_authentication_method.adele_mobile
}

resource "entraauth_phone_authentication_method" "adele_mobile" {
  user_id      = "`+accAdeleID+`"
  phone_type   = "mobile"
  phone_number = "+1 5555551234"
}

locals {
  office_phones = {
    "`+accBiancaUPN+`" = "+1 (555) 555-0000"
    "`+accCarlosUPN+`" = "+44 2079460958"
  }
}

moved {
  from = msgraph_resource.office
  to   = entraauth_phone_authentication_method.office
}

resource "entraauth_phone_authentication_method" "office" {
  for_each = local.office_phones

  user_id      = each.key
  phone_type   = "office"
  phone_number = each.value
}
`)
	run.must("init")
	e.mock.ResetRequestLog()
	// The move alone (no refresh): the state MoveState made, with its
	// identity on Terraform 1.12+, and not one request to Graph.
	run.must("plan", "-refresh=false", "-out=moved-only.tfplan")
	var movedOnly struct {
		PriorState struct {
			Values struct {
				RootModule struct {
					Resources []tfJSONResource `json:"resources"`
				} `json:"root_module"`
			} `json:"values"`
		} `json:"prior_state"`
	}
	if err := json.Unmarshal([]byte(run.must("show", "-json", "moved-only.tfplan")), &movedOnly); err != nil {
		t.Fatalf("terraform show -json: %v", err)
	}
	// OpenTofu 1.12.6 keeps no identity from the move itself: the prior
	// state of the plan made from the move alone has none (seen with `tofu
	// show -json`); the state after apply is checked on both.
	movedOnlyIdentities := identities
	if acctest.MustCLI(t).OpenTofu() {
		movedOnlyIdentities = nil
	}
	for _, r := range movedOnly.PriorState.Values.RootModule.Resources {
		if r.Values["sms_sign_in_state"] != nil {
			t.Errorf("moved %s has sms_sign_in_state %v before any refresh; want null (only Read knows it)", r.Address, r.Values["sms_sign_in_state"])
		}
		checkMovedIdentity(t, movedOnlyIdentities, r)
	}
	if n := len(movedOnly.PriorState.Values.RootModule.Resources); n != 3 {
		t.Errorf("the state after the move holds %d resources; want 3", n)
	}
	for _, req := range e.mock.RequestLog() {
		t.Errorf("the move alone sent Graph %s %s; want no request", req.Method, req.Path)
	}

	run.must("plan", "-out=move.tfplan")
	var plan struct {
		ResourceChanges []struct {
			Address         string `json:"address"`
			PreviousAddress string `json:"previous_address"`
			Change          struct {
				Actions []string `json:"actions"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(run.must("show", "-json", "move.tfplan")), &plan); err != nil {
		t.Fatalf("terraform show -json: %v", err)
	}
	moves := map[string]string{}
	for _, rc := range plan.ResourceChanges {
		if len(rc.Change.Actions) != 1 || rc.Change.Actions[0] != "no-op" {
			t.Errorf("plan: %s would %v; want a move with no change", rc.Address, rc.Change.Actions)
		}
		moves[rc.Address] = rc.PreviousAddress
	}
	for _, name := range []string{`adele_mobile`, `office["` + accBiancaUPN + `"]`, `office["` + accCarlosUPN + `"]`} {
		if from := moves["entraauth_phone_authentication_method."+name]; from != "msgraph_resource."+name {
			t.Errorf("plan moves %q to entraauth_phone_authentication_method.%s; want msgraph_resource.%s (plan: %+v)", from, name, name, plan.ResourceChanges)
		}
	}
	if len(plan.ResourceChanges) != 3 {
		t.Errorf("plan has %d resource changes; want the 3 moves: %+v", len(plan.ResourceChanges), plan.ResourceChanges)
	}

	run.must("apply", "move.tfplan")
	for _, req := range e.mock.RequestLog() {
		if req.Method != "GET" {
			t.Errorf("the move sent Graph %s %s; a move only reads", req.Method, req.Path)
		}
	}
	var state struct {
		Values struct {
			RootModule struct {
				Resources []tfJSONResource `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(run.must("show", "-json")), &state); err != nil {
		t.Fatalf("terraform show -json: %v", err)
	}
	want := map[string]map[string]any{
		"entraauth_phone_authentication_method.adele_mobile": {
			"id": accAdeleID + "/mobile", "user_id": accAdeleID, "phone_type": "mobile", "method_id": mobileMethodID,
			"phone_number": "+1 5555551234", "sms_sign_in_state": "notEnabled", "sms_sign_in_enabled": false,
		},
		`entraauth_phone_authentication_method.office["` + accBiancaUPN + `"]`: {
			"id": accBiancaUPN + "/office", "user_id": accBiancaUPN, "phone_type": "office", "method_id": officeMethodID,
			"phone_number": "+1 (555) 555-0000", "sms_sign_in_state": "notSupported", "sms_sign_in_enabled": false,
		},
		`entraauth_phone_authentication_method.office["` + accCarlosUPN + `"]`: {
			"id": accCarlosUPN + "/office", "user_id": accCarlosUPN, "phone_type": "office", "method_id": officeMethodID,
			"phone_number": "+44 2079460958", "sms_sign_in_state": "notSupported", "sms_sign_in_enabled": false,
		},
	}
	tfState := &terraform.State{Modules: []*terraform.ModuleState{{Path: []string{"root"}, Resources: map[string]*terraform.ResourceState{}}}}
	for _, r := range state.Values.RootModule.Resources {
		w, ok := want[r.Address]
		if !ok {
			t.Errorf("state holds %s (%s); want only the moved phones", r.Address, r.Type)
			continue
		}
		delete(want, r.Address)
		checkMovedIdentity(t, identities, r)
		attrs := map[string]string{}
		for k, v := range r.Values {
			if v != nil && k != "timeouts" {
				attrs[k] = fmt.Sprint(v)
			}
		}
		for k, wv := range w {
			if attrs[k] != fmt.Sprint(wv) {
				t.Errorf("%s.%s = %q; want %q", r.Address, k, attrs[k], fmt.Sprint(wv))
			}
		}
		// The state keeps the configured spelling of the number; Graph holds
		// its canonical form of the same number.
		if c, ok := phonenumber.Canonical(attrs["phone_number"]); ok {
			attrs["phone_number"] = c
		}
		tfState.Modules[0].Resources[r.Address] = &terraform.ResourceState{Type: r.Type, Primary: &terraform.InstanceState{ID: attrs["id"], Attributes: attrs}}
	}
	for addr := range want {
		t.Errorf("state lacks %s", addr)
	}
	if err := e.stateMatchesGraph(tfState); err != nil {
		t.Error(err)
	}

	if code := run.run("plan", "-detailed-exitcode"); code != 0 {
		t.Errorf("the plan after the move exited %d; want 0 (no changes):\n%s", code, run.lastOut)
	}
}

// TestAccPhoneAuthenticationMethod_movedFromMSGraphRefused: a moved block
// from a msgraph_resource that is not a phone method (here a user's email
// method) fails the plan with the url shape that is accepted, and leaves
// the state and Graph as they were.
func TestAccPhoneAuthenticationMethod_movedFromMSGraphRefused(t *testing.T) {
	t.Parallel()
	e := newAccEnv(t)
	run := newTFCLIRun(t)
	if v := run.version(); !terraformAtLeast(v, 8) {
		t.Skipf("moved across providers needs Terraform 1.8 or later; this is %s", v)
	}
	emailURL := "users/" + accAdeleID + "/authentication/emailMethods"
	stateFile := msgraphTFState(map[string]map[string]string{
		"adele_email": {"": msgraphState(emailURL, "3ddfcfc8-9383-446f-83cc-3ab9be4be18f",
			`{"value":{"emailAddress":"adele@example.com"},"type":["object",{"emailAddress":"string"}]}`)},
	})
	run.write("terraform.tfstate", stateFile)
	run.write("main.tf", `terraform {
  required_providers {
    entraauth = { source = "entraauth/entraauth" }
  }
}

`+e.providerConfig()+`
moved {
  from = msgraph_resource.adele_email
  to   = entraauth_phone_authentication_method.adele_mobile
}

resource "entraauth_phone_authentication_method" "adele_mobile" {
  user_id      = "`+accAdeleID+`"
  phone_type   = "mobile"
  phone_number = "+1 5555551234"
}
`)
	run.must("init")
	if code := run.run("plan"); code != 1 {
		t.Fatalf("plan exited %d; want 1 (refused):\n%s", code, run.lastOut)
	}
	if re := errorRE("Cannot move this resource to entraauth_phone_authentication_method",
		`its url "`+emailURL+`" is not a user's phone methods`,
		`its url is "users/{user id}/authentication/phoneMethods"`,
		`for example "users/adele@contoso.com/authentication/phoneMethods"`); !re.MatchString(run.lastOut) {
		t.Errorf("plan output does not match %s:\n%s", re, run.lastOut)
	}
	if got, err := os.ReadFile(filepath.Join(run.dir, "terraform.tfstate")); err != nil || string(got) != stateFile {
		t.Errorf("the refused move changed the state file (%v)", err)
	}
	if err := e.checkGraphNoPhone(accAdeleID)(nil); err != nil {
		t.Error(err)
	}
}

// terraformAtLeast reports whether version ("1.11.4") is 1.minor or later.
func terraformAtLeast(version string, minor int) bool {
	var ma, mi int
	if _, err := fmt.Sscanf(version, "%d.%d", &ma, &mi); err != nil {
		return false
	}
	return ma > 1 || (ma == 1 && mi >= minor)
}
