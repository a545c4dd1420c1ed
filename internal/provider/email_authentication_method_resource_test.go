package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// emailConfig renders one entraauth_email_authentication_method block.
type emailConfig struct {
	Name, UserID, Address string
	Extra                 string
}

func (c emailConfig) String() string {
	return fmt.Sprintf("resource \"entraauth_email_authentication_method\" %q {\n  user_id       = %q\n  email_address = %q\n%s}\n", c.Name, c.UserID, c.Address, c.Extra)
}

func (c emailConfig) address() string { return "entraauth_email_authentication_method." + c.Name }

// checkGraphEmail asserts Graph holds the user's email method with this
// address (exactly as written), or none when address is "".
func (e *accEnv) checkGraphEmail(user, address string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		m, err := e.mock.EmailMethod(e.tenant, user)
		switch {
		case err != nil:
			return err
		case address == "" && m != nil:
			return fmt.Errorf("Graph still has %s's email method %q", user, m.EmailAddress)
		case address == "":
			return nil
		case m == nil:
			return fmt.Errorf("Graph has no email method for %s; want %q", user, address)
		case m.EmailAddress != address:
			return fmt.Errorf("Graph holds %s's email method %q; want %q", user, m.EmailAddress, address)
		}
		return nil
	}
}

// checkEmailWrites asserts how many email method writes of op (create,
// update, delete) answered with status since *since. (A PATCH body with
// @odata.type would be answered 400 by the mock, as real Graph was
// reported to, so "one update answered 204" also says the body had none.)
func (e *accEnv) checkEmailWrites(since *time.Time, op string, status, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got := e.mock.RequestLog(mockgraph.RequestLogFilter{Operation: "emailMethod." + op, Since: *since, Status: status})
		if len(got) != want {
			return fmt.Errorf("%d emailMethod.%s requests answered %d since the step began; want %d", len(got), op, status, want)
		}
		return nil
	}
}

// TestAccEmailAuthenticationMethod_lifecycle: create, import by user id and
// by identity, an address change as one PATCH in place, a case-only
// respelling with no request, drift (changed and deleted out of band) with
// a non-empty plan, and destroy.
func TestAccEmailAuthenticationMethod_lifecycle(t *testing.T) {
	e := newAccEnv(t)
	first := emailConfig{Name: "sspr", UserID: accAdeleUPN, Address: "adele.vance@contoso.com"}
	changed := first
	changed.Address = "adele@fabrikam.com"
	respelled := first
	respelled.Address = "Adele@Fabrikam.com"
	var since time.Time
	mark := func() { since = time.Now() }
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkGraphEmail(accAdeleUPN, ""),
		Steps: []resource.TestStep{
			{
				PreConfig: mark,
				Config:    e.config(first),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(first.address(), plancheck.ResourceActionCreate),
					plancheck.ExpectKnownValue(first.address(), tfjsonpath.New("id"), knownvalue.StringExact(accAdeleUPN)),
					plancheck.ExpectKnownValue(first.address(), tfjsonpath.New("method_id"), knownvalue.StringExact(graph.EmailMethodID)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(first.address(), tfjsonpath.New("email_address"), knownvalue.StringExact("adele.vance@contoso.com")),
					statecheck.ExpectKnownValue(first.address(), tfjsonpath.New("method_id"), knownvalue.StringExact(graph.EmailMethodID)),
				},
				Check: resource.ComposeTestCheckFunc(e.checkGraphEmail(accAdeleUPN, "adele.vance@contoso.com"), e.checkEmailWrites(&since, "create", 201, 1)),
			},
			{ResourceName: first.address(), ImportState: true, ImportStateVerify: true},
			{
				// By object id: the state names the user that way.
				ResourceName: first.address(), ImportState: true, ImportStateId: accAdeleID,
				ImportStateVerify: true, ImportStateVerifyIdentifierAttribute: "method_id", ImportStateVerifyIgnore: []string{"id", "user_id"},
			},
			{
				PreConfig: mark,
				Config:    e.config(changed),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(changed.address(), plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(e.checkGraphEmail(accAdeleUPN, "adele@fabrikam.com"),
					e.checkEmailWrites(&since, "update", 204, 1), e.checkEmailWrites(&since, "create", 201, 0), e.checkEmailWrites(&since, "delete", 204, 0)),
			},
			{
				// The same address in another case: the state takes the new
				// spelling, Graph is not written.
				PreConfig: mark,
				Config:    e.config(respelled),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(respelled.address(), tfjsonpath.New("email_address"), knownvalue.StringExact("Adele@Fabrikam.com")),
				},
				Check: resource.ComposeTestCheckFunc(e.checkGraphEmail(accAdeleUPN, "adele@fabrikam.com"), e.checkEmailWrites(&since, "update", 204, 0)),
			},
			{
				Config: e.config(changed),
			},
			{
				// Changed outside Terraform: the plan changes it back.
				PreConfig: func() { e.must(e.mock.SetEmailMethodOutOfBand(e.tenant, accAdeleUPN, "someone.else@contoso.com")) },
				Config:    e.config(changed),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(changed.address(), plancheck.ResourceActionUpdate),
				}},
				Check: e.checkGraphEmail(accAdeleUPN, "adele@fabrikam.com"),
			},
			{
				// Deleted outside Terraform: the plan creates it again.
				PreConfig: func() { e.must(e.mock.DeleteEmailMethodOutOfBand(e.tenant, accAdeleUPN)) },
				Config:    e.config(changed),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(changed.address(), plancheck.ResourceActionCreate),
				}},
				Check: e.checkGraphEmail(accAdeleUPN, "adele@fabrikam.com"),
			},
			{
				// A drift check: changed out of band, plan only, not empty.
				PreConfig:          func() { e.must(e.mock.SetEmailMethodOutOfBand(e.tenant, accAdeleUPN, "drift@contoso.com")) },
				Config:             e.config(changed),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{Config: e.config(changed), Check: e.checkGraphEmail(accAdeleUPN, "adele@fabrikam.com")},
		},
	})
}

// TestAccEmailAuthenticationMethod_identity imports by identity (Terraform
// 1.12+) with an import block that plans nothing.
func TestAccEmailAuthenticationMethod_identity(t *testing.T) {
	e := newAccEnv(t)
	c := emailConfig{Name: "sspr", UserID: accAdeleUPN, Address: "adele.vance@contoso.com"}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		Steps: []resource.TestStep{
			{Config: e.config(c), ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectIdentity(c.address(), map[string]knownvalue.Check{"user_id": knownvalue.StringExact(accAdeleUPN)}),
			}},
			{Config: e.config(c), ResourceName: c.address(), ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
		},
	})
}

// TestAccEmailAuthenticationMethod_existing: an email method the user
// already has is adopted when it holds the configured address (in any
// case), and refused with the import command when it holds another;
// Graph is left as it was.
func TestAccEmailAuthenticationMethod_existing(t *testing.T) {
	e := newAccEnv(t)
	e.must(e.mock.SetEmailMethodOutOfBand(e.tenant, accAdeleUPN, "adele.vance@contoso.com"))
	e.must(e.mock.SetEmailMethodOutOfBand(e.tenant, accBiancaUPN, "bianca@contoso.com"))
	adopt := emailConfig{Name: "adele", UserID: accAdeleUPN, Address: "Adele.Vance@contoso.com"}
	refuse := emailConfig{Name: "bianca", UserID: accBiancaUPN, Address: "bianca.new@contoso.com"}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config: e.config(adopt),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(adopt.address(), tfjsonpath.New("email_address"), knownvalue.StringExact("Adele.Vance@contoso.com")),
				},
				Check: e.checkGraphEmail(accAdeleUPN, "adele.vance@contoso.com"),
			},
			{
				Config: e.config(adopt, refuse),
				ExpectError: errorRE("Email method already exists", `User "`+accBiancaUPN+`" already has an email method, with the address "bianca@contoso.com"`,
					"terraform import <resource address> \""+accBiancaUPN+"\""),
			},
			{
				// Checked here: a step that expects an error runs no checks.
				PreConfig: func() {
					if err := e.checkGraphEmail(accBiancaUPN, "bianca@contoso.com")(nil); err != nil {
						t.Fatalf("after the refusal: %v", err)
					}
				},
				Config: e.config(adopt),
			},
		},
	}, acctest.UnmanagedEmail(accBiancaUPN), acctest.UnmanagedEmail(accAdeleUPN))
}

// TestAccEmailAuthenticationMethod_faults: a create whose answer is lost
// is recovered (one method, the retry refused as existing, then adopted);
// 429s on create, update and delete are waited out; a PATCH whose answer
// is lost is sent again with the same end state; replication lag after the
// create plans nothing; a 403 names the permissions.
func TestAccEmailAuthenticationMethod_faults(t *testing.T) {
	e := newAccEnv(t)
	c := emailConfig{Name: "sspr", UserID: accAdeleUPN, Address: "adele.vance@contoso.com"}
	changed := c
	changed.Address = "adele@fabrikam.com"
	var since time.Time
	faults := func(f ...mockgraph.Fault) func() {
		return func() {
			since = time.Now()
			_, err := e.mock.SetFaults(f...)
			e.must(err)
		}
	}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.checkGraphEmail(accAdeleUPN, ""),
		Steps: []resource.TestStep{
			{
				PreConfig: faults(mockgraph.Fault{Match: "emailMethod.create", Kind: mockgraph.FaultDrop, Count: 1}),
				Config:    e.config(c),
				Check: resource.ComposeTestCheckFunc(e.checkGraphEmail(accAdeleUPN, "adele.vance@contoso.com"),
					e.checkEmailWrites(&since, "create", 400, 1)),
			},
			{
				PreConfig: faults(mockgraph.Fault{Match: "emailMethod.update", Kind: mockgraph.FaultThrottle, Count: 2, RetryAfterSeconds: 1}),
				Config:    e.config(changed),
				Check: resource.ComposeTestCheckFunc(e.checkGraphEmail(accAdeleUPN, "adele@fabrikam.com"),
					e.checkEmailWrites(&since, "update", 429, 2), e.checkEmailWrites(&since, "update", 204, 1)),
			},
			{
				PreConfig: faults(mockgraph.Fault{Match: "emailMethod.update", Kind: mockgraph.FaultDrop, Count: 1}),
				Config:    e.config(c),
				Check:     e.checkGraphEmail(accAdeleUPN, "adele.vance@contoso.com"),
			},
			{
				PreConfig: faults(mockgraph.Fault{Match: "emailMethod.list", Kind: mockgraph.FaultRaw, Count: 1, Status: 403,
					Body: `{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}`}),
				Config:      e.config(c),
				ExpectError: errorRE("Cannot read email method", "403", "UserAuthMethod-Email.ReadWrite.All"),
			},
			{
				// A delete whose answer is lost: retried, found gone.
				PreConfig: faults(mockgraph.Fault{Match: "emailMethod.delete", Kind: mockgraph.FaultThrottle, Count: 1, RetryAfterSeconds: 1},
					mockgraph.Fault{Match: "emailMethod.delete", Kind: mockgraph.FaultDrop, Count: 1}),
				Config: e.providerConfig(),
				Check: resource.ComposeTestCheckFunc(e.checkGraphEmail(accAdeleUPN, ""),
					e.checkEmailWrites(&since, "delete", 429, 1)),
			},
		},
	})
}

// TestAccEmailAuthenticationMethod_createThrottled: 429s on the create are
// waited out and one method is created; Graph not showing it for the next
// reads (replication lag) plans nothing.
func TestAccEmailAuthenticationMethod_createThrottled(t *testing.T) {
	e := newAccEnv(t)
	c := emailConfig{Name: "sspr", UserID: accBiancaUPN, Address: "bianca@contoso.com"}
	var since time.Time
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			PreConfig: func() {
				since = time.Now()
				_, err := e.mock.SetFaults(mockgraph.Fault{Match: "emailMethod.create", Kind: mockgraph.FaultThrottle, Count: 2, RetryAfterSeconds: 1},
					mockgraph.Fault{Match: "emailMethod.create", Kind: mockgraph.FaultLag, LagReads: 2})
				e.must(err)
			},
			Config: e.config(c),
			Check: resource.ComposeTestCheckFunc(e.checkGraphEmail(accBiancaUPN, "bianca@contoso.com"),
				e.checkEmailWrites(&since, "create", 429, 2), e.checkEmailWrites(&since, "create", 201, 1)),
		}},
	})
}

// TestAccEmailAuthenticationMethod_driftExitCode runs the real CLI as a CI
// drift check does: `terraform plan -detailed-exitcode` exits 0 after the
// apply and when Graph returns the address in another case, and 2 when the
// address was changed outside Terraform.
func TestAccEmailAuthenticationMethod_driftExitCode(t *testing.T) {
	e := newAccEnv(t)
	r := newTFCLIRun(t)
	r.write("main.tf", "terraform {\n  required_providers {\n    entraauth = {\n      source = \"entraauth/entraauth\"\n    }\n  }\n}\n\n"+e.providerConfig()+
		emailConfig{Name: "sspr", UserID: accAdeleUPN, Address: "adele.vance@contoso.com"}.String())
	r.must("init")
	r.must("apply", "-auto-approve")
	for _, c := range []struct {
		outOfBand string
		want      int
	}{{"", 0}, {"Adele.Vance@Contoso.com", 0}, {"someone@contoso.com", 2}} {
		if c.outOfBand != "" {
			e.must(e.mock.SetEmailMethodOutOfBand(e.tenant, accAdeleUPN, c.outOfBand))
		}
		if code := r.run("plan", "-detailed-exitcode"); code != c.want {
			t.Errorf("Graph holding %q: plan -detailed-exitcode exited %d; want %d:\n%s", c.outOfBand, code, c.want, r.lastOut)
		}
	}
	r.must("destroy", "-auto-approve")
	if m, err := e.mock.EmailMethod(e.tenant, accAdeleUPN); err != nil || m != nil {
		t.Errorf("after destroy: %+v %v", m, err)
	}
}
