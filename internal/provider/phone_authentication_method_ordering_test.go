package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Waits between resources of one apply: an alternateMobile waits for the
// mobile, a mobile's delete for the alternateMobile's, the default method
// for the phones this run deletes, and a phone's SMS sign-in for the SMS
// policy this run changes.

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
	e.test(t, resource.TestCase{
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
// never comes (or never goes) and nothing in the run could bring it, the
// wait ends within the coordination grace, not at the operation's timeout
// (10m here), with an error explaining Graph's rule and the way out.
func TestAccPhoneAuthenticationMethod_orderingTimeouts(t *testing.T) {
	e := newAccEnv(t)
	alternate := phoneConfig{Name: "alternate", UserID: accAdeleUPN, PhoneType: "alternateMobile", PhoneNumber: "+1 5555555678",
		Timeouts: map[string]string{"create": "10m"}}
	mobile := phoneConfig{Name: "mobile", UserID: accBiancaUPN, PhoneType: "mobile", PhoneNumber: "+1 5555551234",
		Timeouts: map[string]string{"delete": "10m"}}
	var started time.Time
	fast := func() {
		if d := time.Since(started); d > time.Minute {
			t.Errorf("the refusal took %s; it must end within the grace, not at the 10m timeout", d)
		}
	}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             resource.ComposeTestCheckFunc(e.checkGraphNoPhone(accAdeleUPN), e.checkGraphNoPhone(accBiancaUPN)),
		Steps: []resource.TestStep{
			{
				PreConfig: func() { started = time.Now() },
				Config:    e.config(alternate),
				ExpectError: errorRE("The user has no mobile phone yet", "adds an alternateMobile phone only when the user already has a mobile phone",
					`user "`+accAdeleUPN+`"`, "depends_on", "-parallelism=1", `phone_type = "mobile"`, "HTTP 400"),
			},
			{PreConfig: fast, Config: e.config(mobile)},
			{
				PreConfig: func() {
					e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accBiancaUPN, "alternateMobile", "+1 5555555679", false))
					started = time.Now()
				},
				Config: e.providerConfig(),
				ExpectError: errorRE("Cannot delete the mobile phone while an alternateMobile exists",
					"does not delete a user's mobile phone while the user has an alternateMobile phone", `user "`+accBiancaUPN+`"`, "depends_on", "HTTP 400"),
			},
			{
				PreConfig: func() {
					fast()
					e.must(e.mock.DeletePhoneMethodOutOfBand(e.tenant, accBiancaUPN, alternateMobileMethodID))
				},
				Config: e.providerConfig(),
			},
		},
	})
}

// TestAccPhoneAuthenticationMethod_defaultMethod: Graph refuses to delete
// the user's default sign-in method while the user has other methods. A
// destroy that removes the user's other phones in the same run waits for
// them and then deletes the default; removing the default alone fails at
// once (not at the timeout) with the rule and the way out, and the phone
// stays in the state; a method the API does not show (Authenticator) is
// named as such.
func TestAccPhoneAuthenticationMethod_defaultMethod(t *testing.T) {
	e := newAccEnv(t)
	mobile := phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555550161"}
	office := phoneConfig{Name: "office", UserID: accAdeleUPN, PhoneType: "office", PhoneNumber: "+1 5555550162"}
	var refusedAt time.Time
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkTenantWithoutPhones(),
		Steps: []resource.TestStep{
			{Config: e.config(mobile, office)},
			{
				PreConfig: func() {
					e.must(e.mock.SetDefaultMethod(e.tenant, accAdeleUPN, "mobile", 0))
					refusedAt = time.Now()
				},
				Config: e.config(office),
				ExpectError: errorRE("Cannot delete the default sign-in method", `user "`+accAdeleUPN+`"'s mobile phone: it is the user's default sign-in method`,
					"the office phone(s)", "Change the user's default sign-in method first", "signInPreferences", "stays in the Terraform state", "HTTP 400 badRequest"),
			},
			{
				// Failed at once, not after timeouts.delete (5m): the office
				// phone is not being deleted, so waiting could not help.
				PreConfig: func() {
					if d := time.Since(refusedAt); d > time.Minute {
						t.Errorf("the refusal took %s; it must not wait for the timeout", d)
					}
				},
				RefreshState: true, ExpectNonEmptyPlan: true,
			},
			{
				// Both phones in one destroy: the default waits for the office.
				Config: e.config(),
				Check:  e.checkGraphNoPhone(accAdeleUPN),
			},
			{
				PreConfig: func() { e.must(e.mock.SetDefaultMethod(e.tenant, accAdeleUPN, "", 0)) },
				Config:    e.config(mobile),
			},
			{
				PreConfig: func() { e.must(e.mock.SetDefaultMethod(e.tenant, accAdeleUPN, "mobile", 1)) },
				Config:    e.config(),
				ExpectError: errorRE("Cannot delete the default sign-in method",
					"methods this provider does not manage, such as the Microsoft Authenticator app"),
			},
			{
				PreConfig: func() { e.must(e.mock.SetDefaultMethod(e.tenant, accAdeleUPN, "", 0)) },
				Config:    e.config(),
				Check:     e.checkGraphNoPhone(accAdeleUPN),
			},
		},
	})
}

// TestAccSMSPolicy_rolloutInOneApply: the policy (SMS enabled for the pilot
// group) and a pilot user's mobile with SMS sign-in, in one configuration
// without depends_on, converge in one apply although the policy change
// reaches sign-in only seconds after the PATCH (the mock's policy lag).
func TestAccSMSPolicy_rolloutInOneApply(t *testing.T) {
	e := newPolicyAccEnv(t, nil, nil)
	e.must(e.mock.SetPolicyLag(e.tenant, 3*time.Second))
	policy := smsPolicyConfig{State: "enabled", Include: []string{target(accPilotGroupID, "group")}, Exclude: []string{target(accBreakGlassGroupID, "group")}}
	mobile := phoneConfig{Name: "adele", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555550101", SMS: boolPtr(true)}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkTenantWithoutPhones(),
		Steps: []resource.TestStep{{
			Config:           e.config(policy, mobile),
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(mobile.address(), tfjsonpath.New("sms_sign_in_state"), knownvalue.StringExact("ready")),
				statecheck.ExpectKnownValue(mobile.address(), tfjsonpath.New("sms_sign_in_enabled"), knownvalue.Bool(true)),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				e.checkPolicyInGraph(pilotPolicy()),
				e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550101", "ready"),
				e.checkEnableRefusedThenApplied(),
			),
		}},
	})
}

// checkEnableRefusedThenApplied proves the wait: Graph refused
// enableSmsSignIn while the policy change propagated, then applied it once.
func (e *accEnv) checkEnableRefusedThenApplied() resource.TestCheckFunc {
	return func(*terraform.State) error {
		statuses := map[int]int{}
		for _, r := range e.mock.RequestLog(mockgraph.RequestLogFilter{Operation: mockgraph.OpEnableSmsSignIn}) {
			statuses[r.Status]++
		}
		if statuses[400] < 1 || statuses[204] != 1 {
			return fmt.Errorf("enableSmsSignIn answered %v; want at least one 400 (policy not propagated yet) and exactly one 204", statuses)
		}
		return nil
	}
}

// TestAccSMSPolicy_outsideTheChangeWindow: without a policy change of this
// provider, a refusal by policy fails at once with today's explanation
// (dave is in the break-glass group, which the policy excludes).
func TestAccSMSPolicy_refusalWithoutPolicyChange(t *testing.T) {
	policy := pilotPolicy()
	e := newPolicyAccEnv(t, &policy, nil)
	mobile := phoneConfig{Name: "dave", UserID: accDaveUPN, PhoneType: "mobile", PhoneNumber: "+1 5555550104", SMS: boolPtr(true)}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkTenantWithoutPhones(),
		Steps: []resource.TestStep{{
			Config:      e.config(mobile),
			ExpectError: errorRE("SMS sign-in is not allowed by policy", "does not allow this user to use SMS for sign-in"),
		}},
	})
}
