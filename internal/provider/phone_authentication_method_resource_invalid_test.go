package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// TestAccPhoneAuthenticationMethod_invalidInput: every invalid input is
// refused at plan time (no request reaches Graph) with a message that says
// what is wrong and how to fix it.
func TestAccPhoneAuthenticationMethod_invalidInput(t *testing.T) {
	t.Parallel()
	e := newAccEnv(t)
	mobile := func(number string) phoneConfig {
		return phoneConfig{Name: "test", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: number}
	}
	withType := func(phoneType string, sms *bool) phoneConfig {
		c := mobile("+1 5555551234")
		c.PhoneType, c.SMS = phoneType, sms
		return c
	}
	withUser := func(user string) phoneConfig {
		c := mobile("+1 5555551234")
		c.UserID = user
		return c
	}
	steps := []resource.TestStep{
		{Config: e.config(mobile("+15555551234")), ExpectError: errorRE(
			`"+15555551234" is not a phone number Microsoft Graph accepts`, "one space between the country code and the number",
			`for example "+1 5555551234"`, `Did you mean "+1 5555551234"?`)},
		{Config: e.config(mobile("+1 555-555-1234")), ExpectError: errorRE(
			"Invalid phone number", "digits only", `Did you mean "+1 5555551234"?`)},
		{Config: e.config(mobile("5555551234")), ExpectError: errorRE(
			"Invalid phone number", `must start with "+"`, `"+1 5555551234x123"`)},
		{Config: e.config(mobile("+1 5555551234 x12")), ExpectError: errorRE("Invalid phone number", "digits only")},
		{Config: e.config(withType("pager", nil)), ExpectError: errorRE(
			"phone_type", `value must be one of: ["mobile" "alternateMobile" "office"]`, `got: "pager"`)},
		{Config: e.config(withType("Mobile", nil)), ExpectError: errorRE("phone_type", `got: "Mobile"`)},
		{Config: e.config(withType("office", boolPtr(true))), ExpectError: errorRE(
			"sms_sign_in_enabled needs a mobile phone", `only be set when phone_type is "mobile"`, `phone_type is "office"`)},
		{Config: e.config(withType("alternateMobile", boolPtr(false))), ExpectError: errorRE(
			"sms_sign_in_enabled needs a mobile phone", `phone_type is "alternateMobile"`)},
		{Config: e.config(withUser("")), ExpectError: errorRE("Invalid user id", "it is empty", "adele@contoso.com")},
		{Config: e.config(withUser("adele@contoso.example/mobile")), ExpectError: errorRE("Invalid user id", `contains "/"`)},
		{Config: e.config(withUser(" adele@contoso.example")), ExpectError: errorRE("Invalid user id", "spaces")},
	}
	for i := range steps {
		steps[i].PlanOnly = true
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps:                    steps,
	})
	if n := len(e.mock.RequestLog()); n != 0 {
		t.Errorf("invalid input reached Graph: %d requests", n)
	}
}

// TestAccPhoneAuthenticationMethod_invalidImportID: a bad import id gets an
// error naming both forms with an example; a missing phone fails the import.
func TestAccPhoneAuthenticationMethod_invalidImportID(t *testing.T) {
	t.Parallel()
	e := newAccEnv(t)
	office := phoneConfig{Name: "test", UserID: accAdeleUPN, PhoneType: "office", PhoneNumber: "+1 5555551234"}
	importStep := func(id string) resource.TestStep {
		return resource.TestStep{Config: e.config(office), ResourceName: office.address(), ImportState: true, ImportStateId: id}
	}
	bad := func(id string) resource.TestStep {
		s := importStep(id)
		s.ExpectError = errorRE("Invalid import id", `"{user_id}/{phone_type}"`, `"{user_id}/{method_id}"`, `"adele@contoso.com/mobile"`)
		return s
	}
	missing := importStep(accAdeleUPN + "/office")
	missing.ExpectError = errorRE("Cannot import non-existent remote object")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			bad(accAdeleUPN),
			bad(accAdeleUPN + "/pager"),
			bad(accAdeleUPN + "/00000000-0000-0000-0000-000000000000"),
			bad("a/b/office"),
			missing,
		},
	})
}
