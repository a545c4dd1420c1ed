package provider

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// TestAccPhoneAuthenticationMethod_identity: the identity after create is
// (user_id, phone_type) as configured, and an import block naming the
// identity imports the phone with an empty plan after it, for both user id
// forms.
func TestAccPhoneAuthenticationMethod_identity(t *testing.T) {
	t.Parallel()
	for _, userID := range []string{accAdeleUPN, accAdeleID} {
		t.Run(strings.SplitN(userID, "@", 2)[0], func(t *testing.T) {
			e := newAccEnv(t)
			mobile := phoneConfig{Name: "mobile", UserID: userID, PhoneType: "mobile", PhoneNumber: "+1 5555551234", SMS: new(false)}
			office := phoneConfig{Name: "office", UserID: userID, PhoneType: "office", PhoneNumber: "+44 2079460958x42"}
			identity := func(c phoneConfig) map[string]knownvalue.Check {
				return map[string]knownvalue.Check{
					"user_id":    knownvalue.StringExact(c.UserID),
					"phone_type": knownvalue.StringExact(c.PhoneType),
				}
			}
			e.test(t, resource.TestCase{
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
				ProtoV6ProviderFactories: e.factories(),
				CheckDestroy:             e.checkTenantWithoutPhones(),
				Steps: []resource.TestStep{
					{
						Config: e.config(mobile, office),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectIdentity(mobile.address(), identity(mobile)),
							statecheck.ExpectIdentity(office.address(), identity(office)),
							statecheck.ExpectIdentityValueMatchesState(mobile.address(), tfjsonpath.New("user_id")),
						},
					},
					{
						Config:          e.config(mobile, office),
						ResourceName:    mobile.address(),
						ImportState:     true,
						ImportStateKind: resource.ImportBlockWithResourceIdentity,
					},
					{
						Config:          e.config(mobile, office),
						ResourceName:    office.address(),
						ImportState:     true,
						ImportStateKind: resource.ImportBlockWithResourceIdentity,
					},
				},
			})
		})
	}
}

// TestAccPhoneAuthenticationMethod_importByIdentity adopts a phone that
// exists only in Graph with an import block that names its identity: the
// plan imports it without changes, apply saves it, Graph is untouched and
// the next plan is empty. A bad identity fails the plan, saying why.
func TestAccPhoneAuthenticationMethod_importByIdentity(t *testing.T) {
	e := newAccEnv(t)
	e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accAdeleID, "mobile", "+1 5555551234", false))
	e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accAdeleID, "alternateMobile", "+1 5555550000", false))
	mobile := phoneConfig{Name: "mobile", UserID: accAdeleID, PhoneType: "mobile", PhoneNumber: "+1 5555551234"}
	alternate := phoneConfig{Name: "alternate", UserID: accAdeleID, PhoneType: "alternateMobile", PhoneNumber: "+1 5555550000"}
	importBlock := func(c phoneConfig, phoneType string) rawHCL {
		return rawHCL(fmt.Sprintf("import {\n  to = %s\n  identity = {\n    user_id    = %q\n    phone_type = %q\n  }\n}\n", c.address(), c.UserID, phoneType))
	}
	e.test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config:      e.config(importBlock(mobile, "fax"), mobile),
				ExpectError: errorRE("Invalid import identity", `phone_type "fax" is not one of`, `for example identity = { user_id = "adele@contoso.com", phone_type = "mobile" }`),
			},
			{
				Config: e.config(importBlock(mobile, "mobile"), mobile, importBlock(alternate, "ALTERNATEMOBILE"), alternate),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(mobile.address(), plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction(alternate.address(), plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(alternate.address(), map[string]knownvalue.Check{
						"user_id": knownvalue.StringExact(accAdeleID), "phone_type": knownvalue.StringExact("alternateMobile"),
					}),
					statecheck.ExpectKnownValue(alternate.address(), tfjsonpath.New("phone_number"), knownvalue.StringExact("+1 5555550000")),
				},
				Check: resource.ComposeTestCheckFunc(func(*terraform.State) error {
					for _, r := range e.mock.RequestLog() {
						if r.Method != http.MethodGet {
							return fmt.Errorf("importing by identity wrote to Graph: %s %s", r.Method, r.Path)
						}
					}
					return nil
				}),
			},
			{
				Config:   e.config(mobile, alternate),
				PlanOnly: true,
			},
		},
	})
}

// TestParseImportIdentity: an identity is checked with the import id's
// rules; the phone type is matched in any case and returned as Graph
// spells it.
func TestParseImportIdentity(t *testing.T) {
	for _, tt := range []struct {
		user, phoneType string
		wantType        string
		wantErr         string
	}{
		{"adele@contoso.com", "mobile", "mobile", ""},
		{"00000000-0000-0000-0000-000000000001", "AlternateMobile", "alternateMobile", ""},
		{"adele@contoso.com", "fax", "", `phone_type "fax" is not one of`},
		{"", "mobile", "", "user_id is empty"},
		{"adele/x", "mobile", "", `user_id "adele/x" is not valid`},
	} {
		user, typ, err := parseImportIdentity(phoneAuthenticationMethodIdentity{UserID: types.StringValue(tt.user), PhoneType: types.StringValue(tt.phoneType)})
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%q/%q: %v", tt.user, tt.phoneType, err)
		case tt.wantErr == "" && (user != tt.user || string(typ) != tt.wantType):
			t.Errorf("%q/%q: got %q/%q", tt.user, tt.phoneType, user, typ)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%q/%q: error %v; want one containing %q", tt.user, tt.phoneType, err, tt.wantErr)
		case tt.wantErr != "" && !strings.Contains(err.Error(), "for example identity = {"):
			t.Errorf("%q/%q: error %q does not show a valid identity", tt.user, tt.phoneType, err)
		}
	}
}

// TestAccSMSPolicy_identity: the SMS configuration's identity is its id,
// and an import block naming it adopts the configuration.
func TestAccSMSPolicy_identity(t *testing.T) {
	e := newPolicyAccEnv(t, nil, nil)
	cfg := smsPolicyConfig{State: "enabled", Include: []string{target(accPilotGroupID, "group")}}
	e.test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config: e.config(cfg),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(smsPolicyAddress, map[string]knownvalue.Check{"id": knownvalue.StringExact("Sms")}),
				},
			},
			{
				Config:          e.config(cfg),
				ResourceName:    smsPolicyAddress,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
		},
	})
}

// TestPhoneIdentityTypeMatchesSchema: setIdentity builds the identity by
// hand, with phoneIdentityType; it must be the identity schema's type.
func TestPhoneIdentityTypeMatchesSchema(t *testing.T) {
	ctx := context.Background()
	var resp fwresource.IdentitySchemaResponse
	(&phoneAuthenticationMethodResource{}).IdentitySchema(ctx, fwresource.IdentitySchemaRequest{}, &resp)
	if want := resp.IdentitySchema.Type().TerraformType(ctx); !want.Equal(phoneIdentityType) {
		t.Fatalf("phoneIdentityType is %s; the identity schema's type is %s", phoneIdentityType, want)
	}
	to := &tfsdk.ResourceIdentity{Schema: resp.IdentitySchema}
	m := phoneAuthenticationMethodModel{UserID: types.StringValue("adele@contoso.com"), PhoneType: types.StringValue("mobile")}
	if d := setIdentity(ctx, to, m); d.HasError() {
		t.Fatal(d)
	}
	var got phoneAuthenticationMethodIdentity
	if d := to.Get(ctx, &got); d.HasError() {
		t.Fatal(d)
	}
	if got.UserID.ValueString() != "adele@contoso.com" || got.PhoneType.ValueString() != "mobile" {
		t.Fatalf("identity read back as %v", got)
	}
}
