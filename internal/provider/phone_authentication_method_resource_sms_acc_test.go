package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// TestAccPhoneAuthenticationMethod_smsSignIn enables and disables SMS
// sign-in, then stops managing it: no call and no difference from then on.
func TestAccPhoneAuthenticationMethod_smsSignIn(t *testing.T) {
	t.Parallel()
	e := newAccEnv(t)
	base := phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555551234"}
	disabled, enabled, unmanaged := base, base, base
	disabled.SMS, enabled.SMS = boolPtr(false), boolPtr(true)
	addr := base.address()
	smsState := func(enabled bool, state string) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("sms_sign_in_enabled"), knownvalue.Bool(enabled)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("sms_sign_in_state"), knownvalue.StringExact(state)),
		}
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkGraphNoPhone(accAdeleUPN),
		Steps: []resource.TestStep{
			{
				// Graph registers a new mobile for SMS sign-in when the policy
				// allows the user; false must undo that at create.
				Config:            e.config(disabled),
				ConfigStateChecks: smsState(false, "notEnabled"),
				Check: resource.ComposeTestCheckFunc(
					e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555551234", "notEnabled"),
					e.checkWrites(accAdeleUPN, map[string]int{"create": 1, "disableSmsSignIn": 1}),
				),
			},
			{
				Config: e.config(enabled),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("sms_sign_in_state")),
				}},
				ConfigStateChecks: smsState(true, "ready"),
				Check: resource.ComposeTestCheckFunc(
					e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555551234", "ready"),
					e.checkWrites(accAdeleUPN, map[string]int{"create": 1, "disableSmsSignIn": 1, "enableSmsSignIn": 1}),
				),
			},
			{
				Config:            e.config(disabled),
				ConfigStateChecks: smsState(false, "notEnabled"),
				Check:             e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555551234", "notEnabled"),
			},
			{
				// Left out: not managed, so nothing to do and nothing shown.
				Config: e.config(unmanaged),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: smsState(false, "notEnabled"),
			},
			{
				// Enabled out of band while unmanaged: still no difference.
				PreConfig: func() { e.must(e.mock.SetSMSSignInOutOfBand(e.tenant, accAdeleUPN, mobileMethodID, true)) },
				Config:    e.config(unmanaged),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: smsState(true, "ready"),
				Check:             e.checkWrites(accAdeleUPN, map[string]int{"create": 1, "disableSmsSignIn": 2, "enableSmsSignIn": 1}),
			},
			{
				// A number change while unmanaged makes no SMS call.
				Config: e.config(phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555559999"}),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("sms_sign_in_enabled")),
				}},
				Check: e.checkWrites(accAdeleUPN, map[string]int{"create": 1, "update": 1, "disableSmsSignIn": 2, "enableSmsSignIn": 1}),
			},
		},
	})
}

// TestAccPhoneAuthenticationMethod_createRequests: a normal create is one
// request, and a mobile Graph already registered needs no enable call.
func TestAccPhoneAuthenticationMethod_createRequests(t *testing.T) {
	t.Parallel()
	e := newAccEnv(t)
	enabled := phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555551234", SMS: boolPtr(true)}
	office := phoneConfig{Name: "office", UserID: accBiancaUPN, PhoneType: "office", PhoneNumber: "+1 5555551235"}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkGraphNoPhone(accAdeleUPN),
		Steps: []resource.TestStep{{
			Config: e.config(enabled, office),
			Check: resource.ComposeTestCheckFunc(
				e.checkWrites(accAdeleUPN, map[string]int{"create": 1}),
				e.checkWrites(accBiancaUPN, map[string]int{"create": 1}),
				e.checkNoList(),
			),
		}},
	})
}

// checkWrites asserts the write operations Graph received for a user,
// by operation name (create, update, delete, enableSmsSignIn, ...).
func (e *accEnv) checkWrites(user string, want map[string]int) func(*terraform.State) error {
	return func(*terraform.State) error {
		got := map[string]int{}
		for _, r := range e.mock.RequestLog(mockgraph.RequestLogFilter{PathPrefix: "/v1.0/users/" + user + "/"}) {
			if r.Method != "GET" && r.Status < 300 {
				got[r.Operation]++
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("successful writes for %s: %v; want %v", user, got, want)
		}
		return nil
	}
}

// checkNoList asserts nothing listed phones (a normal create does not).
func (e *accEnv) checkNoList() func(*terraform.State) error {
	return func(*terraform.State) error {
		if n := len(e.mock.RequestLog(mockgraph.RequestLogFilter{Operation: "list"})); n != 0 {
			return fmt.Errorf("%d list requests; want 0", n)
		}
		return nil
	}
}

// TestAccPhoneAuthenticationMethod_updateNumberRequests: a new number for a
// phone with SMS sign-in costs one PATCH (and one read), not an extra
// enableSmsSignIn when Graph kept the registration (the bench's target).
func TestAccPhoneAuthenticationMethod_updateNumberRequests(t *testing.T) {
	t.Parallel()
	e := newAccEnv(t)
	first := phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555551234", SMS: boolPtr(true)}
	renumbered := first
	renumbered.PhoneNumber = "+1 5555554321"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkGraphNoPhone(accAdeleUPN),
		Steps: []resource.TestStep{
			{Config: e.config(first)},
			{
				PreConfig: e.mock.ResetRequestLog,
				Config:    e.config(renumbered),
				Check: resource.ComposeTestCheckFunc(
					e.checkWrites(accAdeleUPN, map[string]int{"update": 1}),
					e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555554321", "ready"),
					resource.TestCheckResourceAttr(renumbered.address(), "sms_sign_in_state", "ready"),
				),
			},
		},
	})
}
