package provider

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

const (
	emailList     = "entraauth_email_authentication_method"
	accAdeleEmail = "adele.private@example.com"
	accDaveEmail  = "dave.home@example.com"
)

// newEmailListAccEnv is the policy test tenant with email methods added
// outside Terraform: adele (pilot group) and dave (break-glass group) have
// one, bianca (pilot group) and carlos none.
func newEmailListAccEnv(t *testing.T) *accEnv {
	t.Helper()
	e := newPolicyAccEnv(t, nil, nil)
	e.must(e.mock.SetEmailMethodOutOfBand(e.tenant, accAdeleUPN, accAdeleEmail))
	e.must(e.mock.SetEmailMethodOutOfBand(e.tenant, accDaveUPN, accDaveEmail))
	return e
}

func emailIdentity(userID string) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{"user_id": knownvalue.StringExact(userID)}
}

// TestAccEmailListResource_selectors: user_ids (UPNs and an object id)
// and group_id find exactly the users that have an email method, skip
// those without, name each by the user's object id, and show "{UPN} email"
// (never the address). With include_resource the resource comes back as
// an import by object id stores it.
func TestAccEmailListResource_selectors(t *testing.T) {
	e := newEmailListAccEnv(t)
	byUsers := methodListBlock{Type: emailList, Name: "by_users", Config: []string{fmt.Sprintf("user_ids = [%q, %q, %q]", accAdeleUPN, accBiancaUPN, accDaveID)}}
	byGroup := methodListBlock{Type: emailList, Name: "by_group", Config: []string{fmt.Sprintf("group_id = %q", accPilotGroupID)}, IncludeResource: true}
	everyone := methodListBlock{Type: emailList, Name: "everyone", Config: []string{"all_users = true"}}
	e.runQueries(t,
		resource.TestStep{
			Config: methodQueryConfig(byUsers, byGroup, everyone),
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength(byUsers.address(), 2),
				querycheck.ExpectIdentity(byUsers.address(), emailIdentity(accAdeleID)),
				querycheck.ExpectIdentity(byUsers.address(), emailIdentity(accDaveID)),
				querycheck.ExpectResourceDisplayName(byUsers.address(),
					queryfilter.ByResourceIdentity(emailIdentity(accDaveID)), knownvalue.StringExact(accDaveUPN+" email")),

				querycheck.ExpectLength(byGroup.address(), 1),
				querycheck.ExpectIdentity(byGroup.address(), emailIdentity(accAdeleID)),
				querycheck.ExpectResourceDisplayName(byGroup.address(),
					queryfilter.ByResourceIdentity(emailIdentity(accAdeleID)), knownvalue.StringExact(accAdeleUPN+" email")),
				querycheck.ExpectResourceKnownValues(byGroup.address(), queryfilter.ByResourceIdentity(emailIdentity(accAdeleID)), []querycheck.KnownValueCheck{
					{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(accAdeleID)},
					{Path: tfjsonpath.New("user_id"), KnownValue: knownvalue.StringExact(accAdeleID)},
					{Path: tfjsonpath.New("email_address"), KnownValue: knownvalue.StringExact(accAdeleEmail)},
					{Path: tfjsonpath.New("method_id"), KnownValue: knownvalue.StringExact(graph.EmailMethodID)},
				}),

				querycheck.ExpectLength(everyone.address(), 2),
			},
		},
	)
}

// TestAccEmailListResource_badConfigAndErrors: the selectors are checked
// as the phone list's are, before any request; an unknown user in
// user_ids is explained.
func TestAccEmailListResource_badConfigAndErrors(t *testing.T) {
	e := newEmailListAccEnv(t)
	e.runQueries(t,
		resource.TestStep{
			Config:      methodQueryConfig(methodListBlock{Type: emailList, Name: "two", Config: []string{"all_users = true", fmt.Sprintf("group_id = %q", accPilotGroupID)}}),
			ExpectError: errorRE("Give exactly one of user_ids, group_id or all_users", "it has group_id and all_users"),
		},
		resource.TestStep{
			Config:      methodQueryConfig(methodListBlock{Type: emailList, Name: "off", Config: []string{"all_users = false"}}),
			ExpectError: errorRE("all_users must be true when set", "list every user's email methods"),
		},
	)
	for _, r := range e.mock.RequestLog() {
		if strings.Contains(r.Path, "/users") || strings.Contains(r.Path, "/groups") {
			t.Errorf("a refused list block sent %s %s", r.Method, r.Path)
		}
	}
}

// TestAccEmailListResource_importResult imports one result the way the
// generated configuration does, with an import block naming its identity:
// the plan imports it without changes, Graph is untouched, and the next
// plan is empty.
func TestAccEmailListResource_importResult(t *testing.T) {
	e := newEmailListAccEnv(t)
	addr := emailList + ".adele"
	config := e.config(rawHCL(fmt.Sprintf("import {\n  to = %s\n  identity = {\n    user_id = %q\n  }\n}\n", addr, accAdeleID)),
		rawHCL(fmt.Sprintf("resource %q \"adele\" {\n  user_id       = %q\n  email_address = %q\n}\n", emailList, accAdeleID, accAdeleEmail)))
	e.test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(addr, emailIdentity(accAdeleID)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("email_address"), knownvalue.StringExact(accAdeleEmail)),
				},
				Check: func(*terraform.State) error {
					for _, r := range e.mock.RequestLog() {
						if r.Method != http.MethodGet {
							return fmt.Errorf("importing wrote to Graph: %s %s", r.Method, r.Path)
						}
					}
					return nil
				},
			},
			{Config: config, PlanOnly: true},
		},
	}, acctest.PreexistingUnmanaged())
}

// TestAccEmailListResource_noMethodPermission: an identity that may list
// the group's users but not read their methods is told the permissions
// the email methods need.
func TestAccEmailListResource_noMethodPermission(t *testing.T) {
	e := newPolicyAccEnv(t, nil, []string{"User.Read.All", "GroupMember.Read.All", "Policy.ReadWrite.AuthenticationMethod"})
	e.must(e.mock.SetEmailMethodOutOfBand(e.tenant, accAdeleUPN, accAdeleEmail))
	e.runQueries(t, resource.TestStep{
		Config:      methodQueryConfig(methodListBlock{Type: emailList, Name: "group", Config: []string{fmt.Sprintf("group_id = %q", accPilotGroupID)}}),
		ExpectError: errorRE("Cannot read email method", "Reading the email method of user", "403", "UserAuthenticationMethod.Read.All or UserAuthMethod-Email.Read.All"),
	})
}
