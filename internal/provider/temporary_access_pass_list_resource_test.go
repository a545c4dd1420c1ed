package provider

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

const tapList = "entraauth_temporary_access_pass"

func tapIdentity(userID, id string) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{"user_id": knownvalue.StringExact(userID), "id": knownvalue.StringExact(id)}
}

// TestAccTAPListResource_selectors: adele (pilot group) and dave
// (break-glass group) hold a pass given outside Terraform, bianca (pilot)
// none. user_ids and group_id find exactly those passes, named by the
// user's object id and the pass's id, shown as "{UPN} Temporary Access
// Pass {created}". With include_resource the resource holds Graph's values
// as an import stores them, reissue_when_expired false and the pass null.
func TestAccTAPListResource_selectors(t *testing.T) {
	e := newPolicyAccEnv(t, nil, nil)
	created := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	adele, err := e.mock.AddTemporaryAccessPassOutOfBand(e.tenant, accAdeleUPN, mockgraph.TemporaryAccessPass{CreatedDateTime: created, LifetimeInMinutes: 480})
	e.must(err)
	dave, err := e.mock.AddTemporaryAccessPassOutOfBand(e.tenant, accDaveUPN, mockgraph.TemporaryAccessPass{})
	e.must(err)
	createdText := created.Format(time.RFC3339)
	byUsers := methodListBlock{Type: tapList, Name: "by_users", Config: []string{fmt.Sprintf("user_ids = [%q, %q, %q]", accAdeleUPN, accBiancaUPN, accDaveID)}}
	byGroup := methodListBlock{Type: tapList, Name: "by_group", Config: []string{fmt.Sprintf("group_id = %q", accPilotGroupID)}, IncludeResource: true}
	e.runQueries(t,
		resource.TestStep{
			Config: methodQueryConfig(byUsers, byGroup),
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength(byUsers.address(), 2),
				querycheck.ExpectIdentity(byUsers.address(), tapIdentity(accAdeleID, adele.ID)),
				querycheck.ExpectIdentity(byUsers.address(), tapIdentity(accDaveID, dave.ID)),
				querycheck.ExpectResourceDisplayName(byUsers.address(), queryfilter.ByResourceIdentity(tapIdentity(accAdeleID, adele.ID)),
					knownvalue.StringExact(accAdeleUPN+" Temporary Access Pass "+createdText)),

				querycheck.ExpectLength(byGroup.address(), 1),
				querycheck.ExpectIdentity(byGroup.address(), tapIdentity(accAdeleID, adele.ID)),
				querycheck.ExpectResourceKnownValues(byGroup.address(), queryfilter.ByResourceIdentity(tapIdentity(accAdeleID, adele.ID)), []querycheck.KnownValueCheck{
					{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(accAdeleID + "/" + adele.ID)},
					{Path: tfjsonpath.New("user_id"), KnownValue: knownvalue.StringExact(accAdeleID)},
					{Path: tfjsonpath.New("method_id"), KnownValue: knownvalue.StringExact(adele.ID)},
					{Path: tfjsonpath.New("lifetime_in_minutes"), KnownValue: knownvalue.Int64Exact(480)},
					{Path: tfjsonpath.New("is_usable_once"), KnownValue: knownvalue.Bool(adele.IsUsableOnce)},
					{Path: tfjsonpath.New("start_date_time"), KnownValue: knownvalue.StringExact(createdText)},
					{Path: tfjsonpath.New("created_date_time"), KnownValue: knownvalue.StringExact(createdText)},
					{Path: tfjsonpath.New("is_usable"), KnownValue: knownvalue.Bool(adele.IsUsable)},
					{Path: tfjsonpath.New("method_usability_reason"), KnownValue: knownvalue.StringExact(adele.MethodUsabilityReason)},
					{Path: tfjsonpath.New("reissue_when_expired"), KnownValue: knownvalue.Bool(false)},
					{Path: tfjsonpath.New("temporary_access_pass"), KnownValue: knownvalue.Null()},
				}),
			},
		},
	)
}

// TestAccTAPListResource_noMethodPermission: an identity that may read
// users but not their methods is told the permissions passes need; an
// identity that may not list the tenant's users is told that too.
func TestAccTAPListResource_noMethodPermission(t *testing.T) {
	t.Run("no method permission", func(t *testing.T) {
		e := newPolicyAccEnv(t, nil, []string{"User.Read.All", "GroupMember.Read.All", "Policy.ReadWrite.AuthenticationMethod"})
		e.runQueries(t, resource.TestStep{
			Config:      methodQueryConfig(methodListBlock{Type: tapList, Name: "users", Config: []string{fmt.Sprintf("user_ids = [%q]", accAdeleUPN)}}),
			ExpectError: errorRE("Cannot list Temporary Access Passes", "403", "UserAuthenticationMethod.Read.All or UserAuthMethod-TAP.Read.All"),
		})
	})
	t.Run("no directory permission", func(t *testing.T) {
		e := newPolicyAccEnv(t, nil, []string{"UserAuthenticationMethod.ReadWrite.All", "Policy.ReadWrite.AuthenticationMethod"})
		e.runQueries(t, resource.TestStep{
			Config:      methodQueryConfig(methodListBlock{Type: tapList, Name: "everyone", Config: []string{"all_users = true"}}),
			ExpectError: errorRE("Cannot list the tenant's users", "403", "User.Read.All", "UserAuthMethod-TAP.Read.All"),
		})
	})
}

// TestAccUserMethodsQuery_generateConfigAndAdopt runs the adoption
// sequence with the real CLI for both new list resources over the pilot
// group (adele: email and pass; bianca: a pass only): `terraform query
// -generate-config-out` writes a resource and an import block per result,
// `terraform apply` imports all three without writing to Graph, and the
// next plan is empty.
func TestAccUserMethodsQuery_generateConfigAndAdopt(t *testing.T) {
	t.Parallel()
	e := newPolicyAccEnv(t, nil, nil)
	e.must(e.mock.SetEmailMethodOutOfBand(e.tenant, accAdeleUPN, accAdeleEmail))
	_, err := e.mock.AddTemporaryAccessPassOutOfBand(e.tenant, accAdeleUPN, mockgraph.TemporaryAccessPass{LifetimeInMinutes: 480})
	e.must(err)
	_, err = e.mock.AddTemporaryAccessPassOutOfBand(e.tenant, accBiancaUPN, mockgraph.TemporaryAccessPass{})
	e.must(err)
	r := newTFCLIRun(t)
	acctest.SkipOnOpenTofu(t, openTofuLacksQuery)
	if v := r.version(); !terraformAtLeast(v, 14) {
		t.Skipf("Terraform CLI version %s is below minimum version 1.14.0 (terraform query): skipping test", v)
	}
	r.write("main.tf", "terraform {\n  required_providers {\n    entraauth = {\n      source = \"entraauth/entraauth\"\n    }\n  }\n}\n\n"+e.providerConfig())
	group := []string{fmt.Sprintf("group_id = %q", accPilotGroupID)}
	r.write("methods.tfquery.hcl", methodQueryConfig(
		methodListBlock{Type: emailList, Name: "pilot", Config: group},
		methodListBlock{Type: tapList, Name: "pilot", Config: group}))
	r.must("init")
	r.must("query", "-generate-config-out=methods.tf")
	generated, err := os.ReadFile(filepath.Join(r.dir, "methods.tf"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("generated methods.tf:\n%s", generated)
	for typ, want := range map[string]int{emailList: 1, tapList: 2} {
		if n := regexp.MustCompile(`(?m)^resource "`+typ+`"`).FindAllIndex(generated, -1); len(n) != want {
			t.Errorf("methods.tf has %d %s resource blocks; want %d", len(n), typ, want)
		}
	}
	for _, want := range []string{`email_address = "` + accAdeleEmail + `"`, `lifetime_in_minutes = 480`, `reissue_when_expired = false`} {
		if !strings.Contains(squeezeSpaces(string(generated)), want) {
			t.Errorf("methods.tf lacks %s", want)
		}
	}
	before := len(e.mock.RequestLog())
	out := r.must("apply", "-auto-approve")
	if !strings.Contains(out, "Apply complete! Resources: 3 imported, 0 added, 0 changed, 0 destroyed.") {
		t.Errorf("apply did not import exactly the email method and the two passes:\n%s", out)
	}
	for _, l := range e.mock.RequestLog()[before:] {
		if l.Method != http.MethodGet {
			t.Errorf("adopting wrote to Graph: %s %s", l.Method, l.Path)
		}
	}
	r.must("plan", "-detailed-exitcode")
}
