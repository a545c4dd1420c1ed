package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
)

// seedEverySMSState gives the test tenant one phone in each smsSignInState.
func (e *accEnv) seedEverySMSState() {
	// Order matters: the first to register a number for SMS sign-in holds it.
	e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accAdeleUPN, "mobile", "+1 5555550001", true))     // ready
	e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accCarlosUPN, "mobile", "+1 5555550001", true))    // phoneNumberNotUnique
	e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accBiancaUPN, "mobile", "+1 5555550002", false))   // notEnabled
	e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accDaveUPN, "mobile", "+1 5555550003", true))      // notAllowedByPolicy
	e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accAdeleUPN, "office", "+1 4255550100x12", false)) // notSupported
}

func dataPhone(name, user, selector string) rawHCL {
	return rawHCL(fmt.Sprintf("data \"entraauth_phone_authentication_method\" %q {\n  user_id = %q\n  %s\n}\n", name, user, selector))
}

func dataPhones(name, user string) rawHCL {
	return rawHCL(fmt.Sprintf("data \"entraauth_phone_authentication_methods\" %q {\n  user_id = %q\n}\n", name, user))
}

// TestAccPhoneAuthenticationMethodDataSource_smsSignInStates reads a phone
// in each smsSignInState, by phone_type and by method_id.
func TestAccPhoneAuthenticationMethodDataSource_smsSignInStates(t *testing.T) {
	e := newAccEnv(t)
	e.seedEverySMSState()
	tests := []struct {
		name, user, selector, phoneType, methodID, number, state string
		enabled                                                  bool
	}{
		{"ready", accAdeleUPN, `phone_type = "mobile"`, "mobile", mobileMethodID, "+1 5555550001", "ready", true},
		{"not_unique", accCarlosUPN, `phone_type = "mobile"`, "mobile", mobileMethodID, "+1 5555550001", "phoneNumberNotUnique", false},
		{"not_enabled", accBiancaUPN, `method_id = "` + mobileMethodID + `"`, "mobile", mobileMethodID, "+1 5555550002", "notEnabled", false},
		{"not_allowed", accDaveUPN, `phone_type = "mobile"`, "mobile", mobileMethodID, "+1 5555550003", "notAllowedByPolicy", false},
		{"not_supported", accAdeleUPN, `method_id = "` + officeMethodID + `"`, "office", officeMethodID, "+1 4255550100x12", "notSupported", false},
	}
	var blocks []fmt.Stringer
	var checks []statecheck.StateCheck
	for _, tt := range tests {
		blocks = append(blocks, dataPhone(tt.name, tt.user, tt.selector))
		addr := "data.entraauth_phone_authentication_method." + tt.name
		checks = append(checks,
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(tt.user+"/"+tt.phoneType)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("phone_type"), knownvalue.StringExact(tt.phoneType)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("method_id"), knownvalue.StringExact(tt.methodID)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("phone_number"), knownvalue.StringExact(tt.number)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("sms_sign_in_state"), knownvalue.StringExact(tt.state)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("sms_sign_in_enabled"), knownvalue.Bool(tt.enabled)),
		)
	}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{Config: e.config(blocks...), ConfigStateChecks: checks},
			{
				Config: e.config(dataPhone("missing", accBiancaUPN, `phone_type = "office"`)),
				ExpectError: errorRE("Phone method not found", `User "`+accBiancaUPN+`" has no office phone`,
					"entraauth_phone_authentication_methods", "HTTP 404"),
			},
		},
	}, acctest.PreexistingUnmanaged())
}

// TestAccPhoneAuthenticationMethodsDataSource_smsSignInStates lists every
// user's phones, covering each smsSignInState.
func TestAccPhoneAuthenticationMethodsDataSource_smsSignInStates(t *testing.T) {
	e := newAccEnv(t)
	e.seedEverySMSState()
	phone := func(methodID, phoneType, number, state string, enabled bool) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"method_id":           knownvalue.StringExact(methodID),
			"phone_type":          knownvalue.StringExact(phoneType),
			"phone_number":        knownvalue.StringExact(number),
			"sms_sign_in_state":   knownvalue.StringExact(state),
			"sms_sign_in_enabled": knownvalue.Bool(enabled),
		})
	}
	list := func(name string, items ...knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue("data.entraauth_phone_authentication_methods."+name, tfjsonpath.New("phone_methods"), knownvalue.ListExact(items))
	}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config: e.config(dataPhones("adele", accAdeleUPN), dataPhones("bianca", accBiancaUPN), dataPhones("carlos", accCarlosUPN),
					dataPhones("dave", accDaveUPN), dataPhones("adele_by_id", accAdeleID)),
				ConfigStateChecks: []statecheck.StateCheck{
					list("adele",
						phone(mobileMethodID, "mobile", "+1 5555550001", "ready", true),
						phone(officeMethodID, "office", "+1 4255550100x12", "notSupported", false)),
					list("adele_by_id",
						phone(mobileMethodID, "mobile", "+1 5555550001", "ready", true),
						phone(officeMethodID, "office", "+1 4255550100x12", "notSupported", false)),
					list("bianca", phone(mobileMethodID, "mobile", "+1 5555550002", "notEnabled", false)),
					list("carlos", phone(mobileMethodID, "mobile", "+1 5555550001", "phoneNumberNotUnique", false)),
					list("dave", phone(mobileMethodID, "mobile", "+1 5555550003", "notAllowedByPolicy", false)),
					statecheck.ExpectKnownValue("data.entraauth_phone_authentication_methods.adele", tfjsonpath.New("id"), knownvalue.StringExact(accAdeleUPN)),
				},
			},
			{
				PreConfig: func() { e.must(e.mock.DeletePhoneMethodOutOfBand(e.tenant, accBiancaUPN, mobileMethodID)) },
				Config:    e.config(dataPhones("bianca", accBiancaUPN)),
				ConfigStateChecks: []statecheck.StateCheck{
					list("bianca"),
				},
			},
			{
				Config:      e.config(dataPhones("nobody", "nobody@contoso.example")),
				ExpectError: errorRE("Cannot list phone methods", `User "nobody@contoso.example" was not found`, "HTTP 404"),
			},
		},
	}, acctest.PreexistingUnmanaged())
}
