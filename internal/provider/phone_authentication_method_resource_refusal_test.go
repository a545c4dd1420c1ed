package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// TestAccPhoneAuthenticationMethod_policyRefused: enabling SMS sign-in for a
// user the policy excludes fails with an explanation, and the phone that
// was created is in the state (tainted, so replaced next), not orphaned.
func TestAccPhoneAuthenticationMethod_policyRefused(t *testing.T) {
	t.Parallel()
	e := newAccEnv(t)
	mobile := phoneConfig{Name: "mobile", UserID: accDaveUPN, PhoneType: "mobile", PhoneNumber: "+1 5555551234", SMS: boolPtr(true)}
	unmanaged := mobile
	unmanaged.SMS = nil
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkGraphNoPhone(accDaveUPN),
		Steps: []resource.TestStep{
			{
				Config: e.config(mobile),
				ExpectError: errorRE("SMS sign-in is not allowed by policy", `user "`+accDaveUPN+`"`,
					"Authentication methods > Policies > SMS",
					"/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/sms",
					"HTTP 400 invalidRequest", "request-id:", "was created and is saved in the state"),
			},
			{
				// The phone exists in Graph and Terraform knows it: tainted, so replaced.
				PreConfig: func() {
					if err := e.checkGraphPhone(accDaveUPN, "mobile", "+1 5555551234", "notAllowedByPolicy")(nil); err != nil {
						t.Fatal(err)
					}
				},
				Config: e.config(unmanaged),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(mobile.address(), plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(mobile.address(), tfjsonpath.New("sms_sign_in_state"), knownvalue.StringExact("notAllowedByPolicy")),
					statecheck.ExpectKnownValue(mobile.address(), tfjsonpath.New("sms_sign_in_enabled"), knownvalue.Bool(false)),
				},
			},
		},
	})
}

// TestAccPhoneAuthenticationMethod_numberNotUnique: a number another user
// uses for SMS sign-in cannot be enabled; the error says so.
func TestAccPhoneAuthenticationMethod_numberNotUnique(t *testing.T) {
	t.Parallel()
	e := newAccEnv(t)
	e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accBiancaUPN, "mobile", "+1 5555551234", true))
	carlos := phoneConfig{Name: "mobile", UserID: accCarlosUPN, PhoneType: "mobile", PhoneNumber: "+1 5555551234", SMS: boolPtr(true)}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkGraphNoPhone(accCarlosUPN),
		Steps: []resource.TestStep{
			{
				Config: e.config(carlos),
				ExpectError: errorRE("SMS sign-in number is not unique", `user "`+accCarlosUPN+`"`, `"+1 5555551234"`,
					"already used for SMS sign-in by another user", "was created and is saved in the state"),
			},
			{
				// Replaces the tainted phone; Graph registers it again on create.
				Config: e.config(phoneConfig{Name: "mobile", UserID: accCarlosUPN, PhoneType: "mobile", PhoneNumber: "+1 5555551234"}),
				Check:  e.checkGraphPhone(accCarlosUPN, "mobile", "+1 5555551234", "phoneNumberNotUnique"),
			},
			{
				// An enable Graph refuses outright (400) is explained the same way.
				PreConfig: func() {
					e.must(e.mock.SetSMSSignInOutOfBand(e.tenant, accCarlosUPN, mobileMethodID, false))
				},
				Config:      e.config(carlos),
				ExpectError: errorRE("SMS sign-in number is not unique", "HTTP 400 invalidRequest", "request-id:"),
			},
			{
				Config: e.config(phoneConfig{Name: "mobile", UserID: accCarlosUPN, PhoneType: "mobile", PhoneNumber: "+1 5555551299", SMS: boolPtr(true)}),
				Check:  e.checkGraphPhone(accCarlosUPN, "mobile", "+1 5555551299", "ready"),
			},
		},
	})
}

// TestAccPhoneAuthenticationMethod_alreadyExists: a phone of the type that
// already exists is adopted when the number is the same, and refused with
// an import hint when it differs.
func TestAccPhoneAuthenticationMethod_alreadyExists(t *testing.T) {
	t.Parallel()
	e := newAccEnv(t)
	e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accAdeleUPN, "office", "+1 5555551234", false))
	e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accBiancaUPN, "office", "+1 5555550000", false))
	same := phoneConfig{Name: "adele", UserID: accAdeleUPN, PhoneType: "office", PhoneNumber: "+1 5555551234"}
	different := phoneConfig{Name: "bianca", UserID: accBiancaUPN, PhoneType: "office", PhoneNumber: "+1 5555551234"}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkGraphNoPhone(accAdeleUPN),
		Steps: []resource.TestStep{
			{
				Config: e.config(same),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(same.address(), tfjsonpath.New("id"), knownvalue.StringExact(accAdeleUPN+"/office")),
				},
			},
			{
				Config: e.config(same, different),
				ExpectError: errorRE("Phone method already exists", `"`+accBiancaUPN+`" already has a office phone, with number "+1 5555550000"`,
					"terraform import", fmt.Sprintf("%q", accBiancaUPN+"/office"), "import block"),
			},
		},
	})
	if err := e.checkGraphPhone(accBiancaUPN, "office", "+1 5555550000", "")(nil); err != nil {
		t.Errorf("the existing phone must be left alone: %v", err)
	}
}

// TestAccPhoneAuthenticationMethod_callerRefused: a missing permission and
// an unknown user are explained, not just passed through.
func TestAccPhoneAuthenticationMethod_callerRefused(t *testing.T) {
	t.Parallel()
	e := newAccEnvWithRoles(t, []string{"UserAuthenticationMethod.Read.All"})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config: e.config(phoneConfig{Name: "office", UserID: accAdeleUPN, PhoneType: "office", PhoneNumber: "+1 5555551234"}),
				ExpectError: errorRE("Cannot create phone method", "HTTP 403 Authorization_RequestDenied", "request-id:",
					"lacks permission", "UserAuthenticationMethod.ReadWrite.All"),
			},
			{
				Config: e.config(phoneConfig{Name: "office", UserID: "nobody@contoso.example", PhoneType: "office", PhoneNumber: "+1 5555551234"}),
				ExpectError: errorRE("Cannot create phone method", "HTTP 404",
					`Check that user_id "nobody@contoso.example" is an existing user's object id or user principal name`),
			},
		},
	})
	if list, err := e.mock.PhoneMethods(e.tenant, accAdeleUPN); err != nil || len(list) != 0 {
		t.Errorf("phones after refused creates: %v %v", list, err)
	}
}
