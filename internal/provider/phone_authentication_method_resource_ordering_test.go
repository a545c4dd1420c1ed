package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// waitForRefusal is a terraform_data whose provisioner blocks until the
// mock has refused a request (method, HTTP 400): it forces the order in
// which Terraform starts the two phones' operations, so the provider's own
// ordering is what makes the apply or destroy succeed. It polls the admin
// API of the test's mock only, on loopback.
func (e *accEnv) waitForRefusal(name, method, when string, dependsOn string) rawHCL {
	url := e.mock.AdminURL() + "/requests?method=" + method + "&status=400"
	cmd := acctest.WaitForCommand(url)
	whenLine := ""
	if when != "" {
		whenLine = "    when = " + when + "\n"
	}
	deps := ""
	if dependsOn != "" {
		deps = "  depends_on = [" + dependsOn + "]\n"
	}
	return rawHCL(fmt.Sprintf("resource \"terraform_data\" %q {\n%s  provisioner \"local-exec\" {\n%s    command = %q\n  }\n}\n", name, deps, whenLine, cmd))
}

// TestAccPhoneAuthenticationMethod_mobileAndAlternateMobile creates a
// user's mobile and alternateMobile in one apply and destroys both in one
// destroy, without depends_on between them. The alternateMobile's create is
// made to reach Graph first (and be refused), and the mobile's delete too.
func TestAccPhoneAuthenticationMethod_mobileAndAlternateMobile(t *testing.T) {
	t.Parallel()
	e := newAccEnv(t)
	mobile := phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555551234", SMS: boolPtr(true),
		Extra: "  depends_on = [terraform_data.alternate_refused]\n"}
	alternate := phoneConfig{Name: "alternate", UserID: accAdeleUPN, PhoneType: "alternateMobile", PhoneNumber: "+1 5555555678"}
	// Another user's phones proceed in parallel, untouched by adele's waits.
	other := phoneConfig{Name: "bianca", UserID: accBiancaUPN, PhoneType: "mobile", PhoneNumber: "+1 5555550002"}
	config := e.config(
		e.waitForRefusal("alternate_refused", "POST", "", ""),
		e.waitForRefusal("mobile_delete_refused", "DELETE", "destroy", alternate.address()),
		mobile, alternate, other,
	)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy: resource.ComposeTestCheckFunc(
			e.checkGraphNoPhone(accAdeleUPN),
			e.checkGraphNoPhone(accBiancaUPN),
			e.checkRefused("DELETE", mockgraph.MobileMethodID),
		),
		Steps: []resource.TestStep{{
			Config: config,
			Check: resource.ComposeTestCheckFunc(
				e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555551234", "ready"),
				e.checkGraphPhone(accAdeleUPN, "alternateMobile", "+1 5555555678", "notSupported"),
				e.checkGraphPhone(accBiancaUPN, "mobile", "+1 5555550002", ""),
				e.checkRefused("POST", ""),
			),
		}},
	})
}

// checkRefused asserts Graph refused at least one request of the method
// (and path suffix), proving the order was forced as intended.
func (e *accEnv) checkRefused(method, pathSuffix string) func(*terraform.State) error {
	return func(*terraform.State) error {
		for _, r := range e.mock.RequestLog(mockgraph.RequestLogFilter{Method: method, Status: 400}) {
			if pathSuffix == "" || len(r.Path) >= len(pathSuffix) && r.Path[len(r.Path)-len(pathSuffix):] == pathSuffix {
				return nil
			}
		}
		return fmt.Errorf("Graph refused no %s %s; the ordering was not exercised", method, pathSuffix)
	}
}

// TestAccPhoneAuthenticationMethod_orderingTimeouts: when the other phone
// never comes (or never goes), the wait ends with the operation's timeout
// and an error explaining Graph's rule.
func TestAccPhoneAuthenticationMethod_orderingTimeouts(t *testing.T) {
	t.Parallel()
	e := newAccEnv(t)
	alternate := phoneConfig{Name: "alternate", UserID: accAdeleUPN, PhoneType: "alternateMobile", PhoneNumber: "+1 5555555678",
		Timeouts: map[string]string{"create": "10s"}}
	mobile := phoneConfig{Name: "mobile", UserID: accBiancaUPN, PhoneType: "mobile", PhoneNumber: "+1 5555551234",
		Timeouts: map[string]string{"delete": "10s"}}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             resource.ComposeTestCheckFunc(e.checkGraphNoPhone(accAdeleUPN), e.checkGraphNoPhone(accBiancaUPN)),
		Steps: []resource.TestStep{
			{
				Config: e.config(alternate),
				ExpectError: errorRE("Timed out waiting for the user's mobile phone", "adds an alternateMobile phone only when the user already has a mobile phone",
					`user "`+accAdeleUPN+`"`, `phone_type = "mobile"`, "timeouts.create"),
			},
			{Config: e.config(mobile)},
			{
				PreConfig: func() {
					e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accBiancaUPN, "alternateMobile", "+1 5555555679", false))
				},
				Config: e.providerConfig(),
				ExpectError: errorRE("Cannot delete the mobile phone while an alternateMobile exists",
					"does not delete a user's mobile phone while the user has an alternateMobile phone", `user "`+accBiancaUPN+`"`, "HTTP 400"),
			},
			{
				PreConfig: func() {
					e.must(e.mock.DeletePhoneMethodOutOfBand(e.tenant, accBiancaUPN, alternateMobileMethodID))
				},
				Config: e.providerConfig(),
			},
		},
	})
}
