package provider

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// TestAccPhoneAuthenticationMethod_lifecycle covers, for each phone type:
// create, import (both id forms and an import block), update in place
// keeping the id, replacement on a type change, and destroy.
func TestAccPhoneAuthenticationMethod_lifecycle(t *testing.T) {
	t.Parallel()
	tests := []struct {
		phoneType, methodID, replacementType string
		needsMobile                          bool
	}{
		{"mobile", mobileMethodID, "office", false},
		{"alternateMobile", alternateMobileMethodID, "office", true},
		{"office", officeMethodID, "mobile", false},
	}
	for _, tt := range tests {
		t.Run(tt.phoneType, func(t *testing.T) {
			e := newAccEnv(t)
			var opts []acctest.Option
			if tt.needsMobile {
				// Graph needs a mobile before an alternateMobile; it is not part of this test.
				e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accAdeleUPN, "mobile", "+1 5555550000", false))
				opts = append(opts, acctest.UnmanagedPhone(accAdeleUPN, "mobile"))
			}
			first := phoneConfig{Name: "test", UserID: accAdeleUPN, PhoneType: tt.phoneType, PhoneNumber: "+1 5555551234"}
			updated := first
			updated.PhoneNumber = "+44 2079460958x42"
			replaced := updated
			replaced.PhoneType = tt.replacementType
			id := accAdeleUPN + "/" + tt.phoneType
			sameID := statecheck.CompareValue(compare.ValuesSame())

			e.test(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				CheckDestroy:             e.checkGraphNoPhone(accAdeleUPN, tt.phoneType, tt.replacementType),
				Steps: []resource.TestStep{
					{
						Config: e.config(first),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(first.address(), plancheck.ResourceActionCreate),
							plancheck.ExpectKnownValue(first.address(), tfjsonpath.New("id"), knownvalue.StringExact(id)),
							plancheck.ExpectKnownValue(first.address(), tfjsonpath.New("method_id"), knownvalue.StringExact(tt.methodID)),
						}},
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(first.address(), tfjsonpath.New("id"), knownvalue.StringExact(id)),
							statecheck.ExpectKnownValue(first.address(), tfjsonpath.New("method_id"), knownvalue.StringExact(tt.methodID)),
							statecheck.ExpectKnownValue(first.address(), tfjsonpath.New("phone_number"), knownvalue.StringExact("+1 5555551234")),
							statecheck.ExpectKnownValue(first.address(), tfjsonpath.New("sms_sign_in_state"), knownvalue.NotNull()),
							sameID.AddStateValue(first.address(), tfjsonpath.New("id")),
						},
						Check: e.checkGraphPhone(accAdeleUPN, tt.phoneType, "+1 5555551234", ""),
					},
					{
						ResourceName:      first.address(),
						ImportState:       true,
						ImportStateVerify: true,
					},
					{
						ResourceName:      first.address(),
						ImportState:       true,
						ImportStateId:     accAdeleID + "/" + tt.methodID,
						ImportStateVerify: true,
						// Imported by object id, so user_id and id name the user that way.
						ImportStateVerifyIdentifierAttribute: "method_id",
						ImportStateVerifyIgnore:              []string{"id", "user_id"},
						ImportStateCheck: func(states []*terraform.InstanceState) error {
							if len(states) != 1 {
								return fmt.Errorf("imported %d resources; want 1", len(states))
							}
							a := states[0].Attributes
							if a["user_id"] != accAdeleID || a["id"] != accAdeleID+"/"+tt.phoneType || a["phone_type"] != tt.phoneType {
								return fmt.Errorf("imported user_id %q, id %q, phone_type %q", a["user_id"], a["id"], a["phone_type"])
							}
							return nil
						},
					},
					{
						Config:          e.config(first),
						ResourceName:    first.address(),
						ImportState:     true,
						ImportStateKind: resource.ImportBlockWithID,
						ImportStateId:   id,
					},
					{
						Config: e.config(updated),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(updated.address(), plancheck.ResourceActionUpdate),
						}},
						ConfigStateChecks: []statecheck.StateCheck{
							sameID.AddStateValue(updated.address(), tfjsonpath.New("id")),
							statecheck.ExpectKnownValue(updated.address(), tfjsonpath.New("phone_number"), knownvalue.StringExact("+44 2079460958x42")),
						},
						Check: e.checkGraphPhone(accAdeleUPN, tt.phoneType, "+44 2079460958x42", ""),
					},
					{
						Config: e.config(replaced),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(replaced.address(), plancheck.ResourceActionDestroyBeforeCreate),
						}},
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(replaced.address(), tfjsonpath.New("id"), knownvalue.StringExact(accAdeleUPN+"/"+tt.replacementType)),
						},
						Check: resource.ComposeTestCheckFunc(
							e.checkGraphPhone(accAdeleUPN, tt.replacementType, "+44 2079460958x42", ""),
							e.checkGraphNoPhone(accAdeleUPN, tt.phoneType),
						),
					},
				},
			}, opts...)
		})
	}
}

// TestAccPhoneAuthenticationMethod_drift changes the tenant behind
// Terraform's back and checks each gives the right planned action, and that
// an unchanged tenant (or a respelled number) gives an empty plan.
func TestAccPhoneAuthenticationMethod_drift(t *testing.T) {
	e := newAccEnv(t)
	mobile := phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555551234", SMS: boolPtr(true)}
	addr := mobile.address()
	restored := e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555551234", "ready")

	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkGraphNoPhone(accAdeleUPN),
		Steps: []resource.TestStep{
			{Config: e.config(mobile), Check: restored},
			{
				PreConfig: func() { e.must(e.mock.DeletePhoneMethodOutOfBand(e.tenant, accAdeleUPN, mobileMethodID)) },
				Config:    e.config(mobile),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: restored,
			},
			{
				PreConfig: func() {
					e.must(e.mock.SetPhoneNumberOutOfBand(e.tenant, accAdeleUPN, mobileMethodID, "+1 5555550000"))
				},
				Config: e.config(mobile),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("phone_number"), knownvalue.StringExact("+1 5555551234")),
				}},
				Check: restored,
			},
			{
				PreConfig: func() { e.must(e.mock.SetSMSSignInOutOfBand(e.tenant, accAdeleUPN, mobileMethodID, false)) },
				Config:    e.config(mobile),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("sms_sign_in_enabled"), knownvalue.Bool(true)),
				}},
				Check: restored,
			},
			{
				// The portal's spelling of the same number is not drift.
				PreConfig: func() {
					e.must(e.mock.SetPhoneNumberOutOfBand(e.tenant, accAdeleUPN, mobileMethodID, "+1 (555) 555-1234"))
				},
				Config: e.config(mobile),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("phone_number"), knownvalue.StringExact("+1 5555551234")),
				},
			},
			{
				Config: e.config(mobile),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	}, acctest.CompareStateWith(e.checkStateMatchesGraphByNumber())) // Graph respells the number; state keeps the configured spelling
}

// TestAccPhoneAuthenticationMethod_importRespelledNumber: a number Graph
// spells with separators imports in the canonical form, so the
// configuration written for it shows no difference.
func TestAccPhoneAuthenticationMethod_importRespelledNumber(t *testing.T) {
	e := newAccEnv(t)
	e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accAdeleUPN, "office", "+1 4255550100x12", false))
	e.must(e.mock.SetPhoneNumberOutOfBand(e.tenant, accAdeleUPN, officeMethodID, "+1 425-555-0100x12"))
	office := phoneConfig{Name: "office", UserID: accAdeleUPN, PhoneType: "office", PhoneNumber: "+1 4255550100x12"}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config:          e.config(office),
			ResourceName:    office.address(),
			ImportState:     true,
			ImportStateKind: resource.ImportBlockWithID,
			ImportStateId:   accAdeleUPN + "/office",
		}},
	})
}

// TestAccPhoneAuthenticationMethod_policyRefused: enabling SMS sign-in for a
// user the policy excludes fails with an explanation, and the phone that
// was created is in the state (tainted, so replaced next), not orphaned.
func TestAccPhoneAuthenticationMethod_policyRefused(t *testing.T) {
	e := newAccEnv(t)
	mobile := phoneConfig{Name: "mobile", UserID: accDaveUPN, PhoneType: "mobile", PhoneNumber: "+1 5555551234", SMS: boolPtr(true)}
	unmanaged := mobile
	unmanaged.SMS = nil
	e.test(t, resource.TestCase{
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
	e := newAccEnv(t)
	e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accBiancaUPN, "mobile", "+1 5555551234", true))
	carlos := phoneConfig{Name: "mobile", UserID: accCarlosUPN, PhoneType: "mobile", PhoneNumber: "+1 5555551234", SMS: boolPtr(true)}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkGraphNoPhone(accCarlosUPN),
		Steps: []resource.TestStep{
			{
				Config: e.config(carlos),
				ExpectError: errorRE("SMS sign-in number is not unique", `user "`+accCarlosUPN+`"`, "+1 XXXXXXXX34",
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
	}, acctest.UnmanagedPhone(accBiancaUPN, "mobile"))
}

// TestAccPhoneAuthenticationMethod_alreadyExists: a phone of the type that
// already exists is adopted when the number is the same, and refused with
// an import hint when it differs.
func TestAccPhoneAuthenticationMethod_alreadyExists(t *testing.T) {
	e := newAccEnv(t)
	e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accAdeleUPN, "office", "+1 5555551234", false))
	e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accBiancaUPN, "office", "+1 5555550000", false))
	same := phoneConfig{Name: "adele", UserID: accAdeleUPN, PhoneType: "office", PhoneNumber: "+1 5555551234"}
	different := phoneConfig{Name: "bianca", UserID: accBiancaUPN, PhoneType: "office", PhoneNumber: "+1 5555551234"}
	e.test(t, resource.TestCase{
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
	}, acctest.UnmanagedPhone(accBiancaUPN, "office"))
	if err := e.checkGraphPhone(accBiancaUPN, "office", "+1 5555550000", "")(nil); err != nil {
		t.Errorf("the existing phone must be left alone: %v", err)
	}
}

// TestAccPhoneAuthenticationMethod_callerRefused: a missing permission and
// an unknown user are explained, not just passed through.
func TestAccPhoneAuthenticationMethod_callerRefused(t *testing.T) {
	e := newAccEnvWithRoles(t, []string{"UserAuthenticationMethod.Read.All"})
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config: e.config(phoneConfig{Name: "office", UserID: accAdeleUPN, PhoneType: "office", PhoneNumber: "+1 5555551234"}),
				ExpectError: errorRE("Cannot create phone method", "HTTP 403 accessDenied", "request-id:",
					"lacks permission", "UserAuthenticationMethod.ReadWrite.All"),
			},
			{
				Config: e.config(phoneConfig{Name: "office", UserID: "nobody@contoso.example", PhoneType: "office", PhoneNumber: "+1 5555551234"}),
				// Retried for graph.UserReplicationWindow (a user created moments
				// ago is not found for a while), then explained: well inside the
				// default 5-minute timeout.
				ExpectError: errorRE("Cannot create phone method", "HTTP 404 Request_ResourceNotFound", "still not found after",
					`Microsoft Graph does not know user "nobody@contoso.example": it may not exist`, "may still be replicating"),
			},
		},
	})
	if list, err := e.mock.PhoneMethods(e.tenant, accAdeleUPN); err != nil || len(list) != 0 {
		t.Errorf("phones after refused creates: %v %v", list, err)
	}
}

// TestAccPhoneAuthenticationMethod_smsSignIn enables and disables SMS
// sign-in, then stops managing it: no call and no difference from then on.
func TestAccPhoneAuthenticationMethod_smsSignIn(t *testing.T) {
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

	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkGraphNoPhone(accAdeleUPN),
		Steps: []resource.TestStep{
			{
				// A new mobile reads notConfigured, as in real tenants (the
				// mock's default), which already means false: the create
				// alone, no disableSmsSignIn. (A tenant that registers new
				// mobiles at once: TestAccPhoneAuthenticationMethod_smsSignInRegisteredAtCreate.)
				Config:            e.config(disabled),
				ConfigStateChecks: smsState(false, "notConfigured"),
				Check: resource.ComposeTestCheckFunc(
					e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555551234", "notConfigured"),
					e.checkWrites(accAdeleUPN, map[string]int{"create": 1}),
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
					e.checkWrites(accAdeleUPN, map[string]int{"create": 1, "enableSmsSignIn": 1}),
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
				Check:             e.checkWrites(accAdeleUPN, map[string]int{"create": 1, "disableSmsSignIn": 1, "enableSmsSignIn": 1}),
			},
			{
				// A number change while unmanaged makes no SMS call.
				Config: e.config(phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555559999"}),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("sms_sign_in_enabled")),
				}},
				Check: resource.ComposeTestCheckFunc(e.checkWrites(accAdeleUPN, map[string]int{"create": 1, "update": 1, "disableSmsSignIn": 1, "enableSmsSignIn": 1})),
			},
		},
	})
}

// TestAccPhoneAuthenticationMethod_smsSignInRegisteredAtCreate: in a tenant
// that registers a new mobile for SMS sign-in at once, as the create
// reference page says (the mock's SetNewMobilesNotConfigured switched off;
// real tenants answer notConfigured instead), false must undo that at
// create with one disableSmsSignIn, and true needs no enableSmsSignIn.
func TestAccPhoneAuthenticationMethod_smsSignInRegisteredAtCreate(t *testing.T) {
	e := newAccEnv(t)
	e.must(e.mock.SetNewMobilesNotConfigured(e.tenant, false))
	disabled := phoneConfig{Name: "adele", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555551241", SMS: boolPtr(false)}
	enabled := phoneConfig{Name: "bianca", UserID: accBiancaUPN, PhoneType: "mobile", PhoneNumber: "+1 5555551242", SMS: boolPtr(true)}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkTenantWithoutPhones(),
		Steps: []resource.TestStep{{
			Config:           e.config(disabled, enabled),
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(disabled.address(), tfjsonpath.New("sms_sign_in_enabled"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue(disabled.address(), tfjsonpath.New("sms_sign_in_state"), knownvalue.StringExact("notEnabled")),
				statecheck.ExpectKnownValue(enabled.address(), tfjsonpath.New("sms_sign_in_enabled"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(enabled.address(), tfjsonpath.New("sms_sign_in_state"), knownvalue.StringExact("ready")),
			},
			Check: resource.ComposeTestCheckFunc(
				e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555551241", "notEnabled"),
				e.checkGraphPhone(accBiancaUPN, "mobile", "+1 5555551242", "ready"),
				e.checkWrites(accAdeleUPN, map[string]int{"create": 1, "disableSmsSignIn": 1}),
				e.checkWrites(accBiancaUPN, map[string]int{"create": 1}),
			),
		}},
	})
}

// TestAccPhoneAuthenticationMethod_createRequests: a normal create is one
// request. A mobile with sms_sign_in_enabled = true reads notConfigured
// after the create in real tenants (the mock's default), so it takes one
// enableSmsSignIn more; a mobile Graph already registered at create (the
// switch off, as the create reference page describes) needs no enable call.
func TestAccPhoneAuthenticationMethod_createRequests(t *testing.T) {
	e := newAccEnv(t)
	enabled := phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555551234", SMS: boolPtr(true)}
	office := phoneConfig{Name: "office", UserID: accBiancaUPN, PhoneType: "office", PhoneNumber: "+1 5555551235"}
	registered := phoneConfig{Name: "registered", UserID: accCarlosUPN, PhoneType: "mobile", PhoneNumber: "+1 5555551237", SMS: boolPtr(true)}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkTenantWithoutPhones(),
		Steps: []resource.TestStep{
			{
				Config: e.config(enabled, office),
				Check: resource.ComposeTestCheckFunc(
					e.checkWrites(accAdeleUPN, map[string]int{"create": 1, "enableSmsSignIn": 1}),
					e.checkWrites(accBiancaUPN, map[string]int{"create": 1}),
					e.checkNoList(),
				),
			},
			{
				PreConfig: func() { e.must(e.mock.SetNewMobilesNotConfigured(e.tenant, false)) },
				Config:    e.config(enabled, office, registered),
				Check: resource.ComposeTestCheckFunc(
					e.checkGraphPhone(accCarlosUPN, "mobile", "+1 5555551237", "ready"),
					e.checkWrites(accCarlosUPN, map[string]int{"create": 1}),
					e.checkNoList(),
				),
			},
		},
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
	e := newAccEnv(t)
	first := phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555551234", SMS: boolPtr(true)}
	renumbered := first
	renumbered.PhoneNumber = "+1 5555554321"
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkGraphNoPhone(accAdeleUPN),
		Steps: []resource.TestStep{
			{Config: e.config(first)},
			{
				PreConfig: e.mock.ResetRequestLog,
				Config:    e.config(renumbered),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(renumbered.address(), tfjsonpath.New("sms_sign_in_state"), knownvalue.StringExact("ready")),
				},
				Check: resource.ComposeTestCheckFunc(
					e.checkWrites(accAdeleUPN, map[string]int{"update": 1}),
					e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555554321", "ready"),
				),
			},
		},
	})
}

// TestAccPhoneAuthenticationMethod_numberNotUniqueApplied: real Graph
// applies a mobile create or number change whose number another user uses
// for SMS sign-in, yet answers 409 phoneNumberNotUnique. Without
// sms_sign_in_enabled the apply succeeds with a warning and the next plan
// is empty; with sms_sign_in_enabled = true it fails with the uniqueness
// rule (number masked), the phone saved tainted, and a second apply fails
// the same way, never with "already exists". The same for an update.
func TestAccPhoneAuthenticationMethod_numberNotUniqueApplied(t *testing.T) {
	e := newAccEnv(t)
	const taken = "+1 5555551234"
	// Bianca holds the number for SMS sign-in; she is in every step so the
	// state-equals-Graph check covers her phone too.
	bianca := phoneConfig{Name: "bianca", UserID: accBiancaUPN, PhoneType: "mobile", PhoneNumber: taken, SMS: boolPtr(true)}
	after := "  depends_on = [entraauth_phone_authentication_method.bianca]\n"
	plain := phoneConfig{Name: "mobile", UserID: accCarlosUPN, PhoneType: "mobile", PhoneNumber: taken, Extra: after}
	withSMS := plain
	withSMS.SMS = boolPtr(true)
	own := phoneConfig{Name: "mobile", UserID: accCarlosUPN, PhoneType: "mobile", PhoneNumber: "+1 5555551299", Extra: after}
	uniqueness := errorRE("SMS sign-in number is not unique", "+1 XXXXXXXX34", "already used for SMS sign-in by another user",
		"requires SMS sign-in numbers to be unique", "Give this user a different mobile number")
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkTenantWithoutPhones(),
		Steps: []resource.TestStep{
			{
				Config:           e.config(bianca, plain),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(plain.address(), tfjsonpath.New("sms_sign_in_state"), knownvalue.StringExact("phoneNumberNotUnique")),
					statecheck.ExpectKnownValue(plain.address(), tfjsonpath.New("sms_sign_in_enabled"), knownvalue.Bool(false)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(e.checkGraphPhone(accCarlosUPN, "mobile", taken, "phoneNumberNotUnique"), e.checkCreateAnswered(409, 1)),
			},
			{Config: e.config(bianca, own)},
			{
				// The number change is applied, answered 409: saved with a warning.
				Config:           e.config(bianca, plain),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            resource.ComposeAggregateTestCheckFunc(e.checkGraphPhone(accCarlosUPN, "mobile", taken, "phoneNumberNotUnique")),
			},
			{Config: e.config(bianca, own)},
			{
				// With SMS sign-in asked for, the update fails with the rule;
				// the state holds the number Graph applied.
				Config:      e.config(bianca, withSMS),
				ExpectError: uniqueness,
			},
			{
				RefreshState: true, ExpectNonEmptyPlan: true,
				Check: resource.ComposeAggregateTestCheckFunc(e.checkGraphPhone(accCarlosUPN, "mobile", taken, "phoneNumberNotUnique")),
			},
			{Config: e.config(bianca, own)},
			{Config: e.config(bianca), Check: resource.ComposeAggregateTestCheckFunc(e.checkGraphNoPhone(accCarlosUPN))},
			{
				// A create asking for SMS sign-in fails with the rule; the phone
				// exists and is in the state, tainted.
				Config:      e.config(bianca, withSMS),
				ExpectError: uniqueness,
			},
			{
				RefreshState: true, ExpectNonEmptyPlan: true,
				Check: resource.ComposeAggregateTestCheckFunc(checkTainted(withSMS.address())),
			},
			{
				// The next apply replaces the tainted phone and fails the same
				// way: never "already exists".
				Config:      e.config(bianca, withSMS),
				ExpectError: uniqueness,
			},
			{
				RefreshState: true, ExpectNonEmptyPlan: true,
				Check: resource.ComposeAggregateTestCheckFunc(checkTainted(withSMS.address()), e.checkCreateAnswered(409, 3)),
			},
		},
	})
}

// checkCreateAnswered asserts how many creates Graph answered with status.
func (e *accEnv) checkCreateAnswered(status, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		n := 0
		for _, r := range e.mock.RequestLog(mockgraph.RequestLogFilter{Operation: mockgraph.OpCreate}) {
			if r.Status == status {
				n++
			}
		}
		// want < 0: at least once.
		if (want >= 0 && n != want) || (want < 0 && n == 0) {
			return fmt.Errorf("%d creates answered %d; want %d (-1: at least one)", n, status, want)
		}
		return nil
	}
}

// TestAccPhoneAuthenticationMethod_userStillReplicating: a user created
// moments ago (for example by azuread_user in the same apply) is 404 on the
// phone routes for a few seconds; create and enableSmsSignIn retry it and
// the apply succeeds. The window is 10 s (well inside the provider's one
// minute) so that terraform's own start-up on a loaded machine cannot use
// it up before the create reaches Graph (3 s did, at load 40).
func TestAccPhoneAuthenticationMethod_userStillReplicating(t *testing.T) {
	e := newAccEnv(t)
	mobile := phoneConfig{Name: "mobile", UserID: accCarlosUPN, PhoneType: "mobile", PhoneNumber: "+1 5555551277", SMS: boolPtr(true)}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkTenantWithoutPhones(),
		Steps: []resource.TestStep{{
			PreConfig:        func() { e.must(e.mock.SetUserReplicationDelay(e.tenant, accCarlosUPN, 10*time.Second)) },
			Config:           e.config(mobile),
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			Check:            resource.ComposeAggregateTestCheckFunc(e.checkGraphPhone(accCarlosUPN, "mobile", "+1 5555551277", "ready"), e.checkCreateAnswered(404, -1)),
		}},
	})
}

// TestAccPhoneAuthenticationMethod_guestUser: a guest's user principal name
// (name_domain.com#EXT#@tenant) works as user_id. Unencoded, "#" would end
// the URL's path and Graph would see another user; every route the
// lifecycle uses (create, enable, get, update, delete) must reach the
// guest.
func TestAccPhoneAuthenticationMethod_guestUser(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (runs terraform against a local mock Graph)")
	}
	if _, err := acctest.SetupCA(); err != nil {
		t.Fatalf("test CA: %v", err)
	}
	guest := "adele_fabrikam.example#EXT#@" + acctest.TenantDomain
	m := acctest.NewMock(t, acctest.Options{Users: []mockgraph.SeedUser{
		{User: mockgraph.User{UserPrincipalName: guest, DisplayName: "Adele (guest)"}},
	}})
	e := &accEnv{t: t, m: m, mock: m.Server, tenant: m.TenantID}
	first := phoneConfig{Name: "mobile", UserID: guest, PhoneType: "mobile", PhoneNumber: "+1 5555550181", SMS: boolPtr(true)}
	second := first
	second.PhoneNumber = "+1 5555550182"
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkTenantWithoutPhones(),
		Steps: []resource.TestStep{
			{Config: e.config(first), Check: resource.ComposeAggregateTestCheckFunc(e.checkGraphPhone(guest, "mobile", "+1 5555550181", "ready"))},
			{Config: e.config(first), ResourceName: first.address(), ImportState: true, ImportStateKind: resource.ImportBlockWithID, ImportStateId: guest + "/mobile"},
			{Config: e.config(second), Check: resource.ComposeAggregateTestCheckFunc(e.checkGraphPhone(guest, "mobile", "+1 5555550182", "ready"))},
		},
	})
	reached := map[string]bool{}
	for _, r := range e.mock.RequestLog() {
		if strings.Contains(r.Path, "#EXT#") && r.Status < 300 {
			reached[r.Operation] = true
		}
	}
	for _, op := range []string{mockgraph.OpCreate, mockgraph.OpGet, mockgraph.OpUpdate, mockgraph.OpDelete} {
		if !reached[op] {
			t.Errorf("no successful %s reached the guest's path; reached: %v", op, reached)
		}
	}
}

// TestAccPhoneAuthenticationMethod_notConfigured: a new mobile of a user
// the policy allows reads notConfigured in real tenants until SMS sign-in
// is enabled, and so does the mock by default (no switch is set here).
// Created with sms_sign_in_enabled unset or false, the phone is saved as
// Graph reads it (notConfigured, false), no enableSmsSignIn or
// disableSmsSignIn is called and the next plan is empty; both data sources
// report notConfigured as it is. Created with true, the provider calls
// enableSmsSignIn after the create (ready). Turning an unset phone to false
// plans nothing; turning it to true enables it.
func TestAccPhoneAuthenticationMethod_notConfigured(t *testing.T) {
	e := newAccEnv(t)
	unset := phoneConfig{Name: "mobile", UserID: accAdeleUPN, PhoneType: "mobile", PhoneNumber: "+1 5555550171"}
	off := unset
	off.SMS = boolPtr(false)
	on := unset
	on.SMS = boolPtr(true)
	createdOff := phoneConfig{Name: "bianca", UserID: accBiancaUPN, PhoneType: "mobile", PhoneNumber: "+1 5555550172", SMS: boolPtr(false)}
	createdOn := phoneConfig{Name: "carlos", UserID: accCarlosUPN, PhoneType: "mobile", PhoneNumber: "+1 5555550173", SMS: boolPtr(true)}
	read := rawHCL("data \"entraauth_phone_authentication_method\" \"mobile\" {\n  user_id    = entraauth_phone_authentication_method.mobile.user_id\n  phone_type = \"mobile\"\n}\n" +
		"data \"entraauth_phone_authentication_methods\" \"bianca\" {\n  user_id = entraauth_phone_authentication_method.bianca.user_id\n}\n")
	notConfigured := func(c phoneConfig) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.ExpectKnownValue(c.address(), tfjsonpath.New("sms_sign_in_state"), knownvalue.StringExact("notConfigured")),
			statecheck.ExpectKnownValue(c.address(), tfjsonpath.New("sms_sign_in_enabled"), knownvalue.Bool(false)),
		}
	}
	dataSources := []statecheck.StateCheck{
		statecheck.ExpectKnownValue("data.entraauth_phone_authentication_method.mobile", tfjsonpath.New("sms_sign_in_state"), knownvalue.StringExact("notConfigured")),
		statecheck.ExpectKnownValue("data.entraauth_phone_authentication_method.mobile", tfjsonpath.New("sms_sign_in_enabled"), knownvalue.Bool(false)),
		statecheck.ExpectKnownValue("data.entraauth_phone_authentication_methods.bianca", tfjsonpath.New("phone_methods").AtSliceIndex(0).AtMapKey("sms_sign_in_state"), knownvalue.StringExact("notConfigured")),
	}
	ready := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(createdOn.address(), tfjsonpath.New("sms_sign_in_state"), knownvalue.StringExact("ready")),
		statecheck.ExpectKnownValue(createdOn.address(), tfjsonpath.New("sms_sign_in_enabled"), knownvalue.Bool(true)),
	}
	firstChecks := append(append(append(notConfigured(unset), notConfigured(createdOff)...), dataSources...), ready...)
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkTenantWithoutPhones(),
		Steps: []resource.TestStep{
			{
				Config:            e.config(unset, createdOff, createdOn, read),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: firstChecks,
				Check: resource.ComposeAggregateTestCheckFunc(e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550171", "notConfigured"),
					e.checkGraphPhone(accBiancaUPN, "mobile", "+1 5555550172", "notConfigured"),
					e.checkGraphPhone(accCarlosUPN, "mobile", "+1 5555550173", "ready"),
					// unset and false: the create alone; true: the create and
					// enableSmsSignIn, as scripts do in real tenants.
					e.checkWrites(accAdeleUPN, map[string]int{"create": 1}),
					e.checkWrites(accBiancaUPN, map[string]int{"create": 1}),
					e.checkWrites(accCarlosUPN, map[string]int{"create": 1, "enableSmsSignIn": 1})),
			},
			{
				// false: notConfigured already means "not usable for SMS sign-in".
				Config:            e.config(off, createdOff, createdOn, read),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: append(notConfigured(off), dataSources...),
				Check:             resource.ComposeAggregateTestCheckFunc(e.checkWrites(accAdeleUPN, map[string]int{"create": 1}), e.checkWrites(accBiancaUPN, map[string]int{"create": 1})),
			},
			{
				Config:           e.config(on, createdOff, createdOn, read),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: resource.ComposeAggregateTestCheckFunc(e.checkGraphPhone(accAdeleUPN, "mobile", "+1 5555550171", "ready"),
					e.checkWrites(accAdeleUPN, map[string]int{"create": 1, "enableSmsSignIn": 1})),
			},
		},
	})
}

// TestAccPhoneAuthenticationMethod_azureCLIRefused: a laptop user on the
// default credential (the Azure CLI) whose token lacks the permission gets
// a 403 that names the credential in use, why it was chosen, and how to
// proceed. Not parallel: it puts a fake az on PATH.
func TestAccPhoneAuthenticationMethod_azureCLIRefused(t *testing.T) {
	e := newAccEnv(t)
	adele, err := e.mock.User(e.tenant, accAdeleUPN)
	if err != nil {
		t.Fatal(err)
	}
	// Signed in as adele, no directory role: she may not manage bianca's phones.
	token, err := e.mock.MintDelegatedToken(e.tenant, adele.ID, []string{"UserAuthenticationMethod.ReadWrite.All"}, nil, 30*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		// PATH will hold only the fake az: name Terraform's path first.
		tf, err := exec.LookPath("terraform")
		if err != nil {
			t.Fatal(err)
		}
		t.Setenv("TF_ACC_TERRAFORM_PATH", tf)
	}
	t.Setenv("PATH", acctest.WriteFakeAzureCLI(t, acctest.FakeAzureCLI{Tenant: e.tenant, AccessToken: token}))
	office := phoneConfig{Name: "office", UserID: accBiancaUPN, PhoneType: "office", PhoneNumber: "+1 5555550191"}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: hermeticFactories(nil, nil),
		Steps: []resource.TestStep{{
			Config: e.providerBlock([]string{attrTenantID, attrClientID, attrClientSecret, attrUseCLI}, map[string]string{attrTenantID: fmt.Sprintf("%q", e.tenant)}) + "\n" + office.String(),
			ExpectError: errorRE("Cannot create phone method", "HTTP 403 accessDenied", "The provider signs in with the Azure CLI because no other credential is configured",
				"its own app registration", "use a service principal with the application permission", "an app registration of your own"),
		}},
	}, acctest.Serial("t.Setenv: PATH holds the fake az"))
	if list, err := e.mock.PhoneMethods(e.tenant, accBiancaUPN); err != nil || len(list) != 0 {
		t.Errorf("phones after the refused create: %v %v", list, err)
	}
}
