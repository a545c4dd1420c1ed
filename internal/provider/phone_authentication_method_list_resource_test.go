package provider

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// listBlock is a list block of the phone list resource; config holds the
// lines of its config block.
type listBlock struct {
	Name            string
	Config          []string
	IncludeResource bool
	Limit           int // 0: 1000
}

func (l listBlock) String() string {
	var b strings.Builder
	limit := l.Limit
	if limit == 0 {
		limit = 1000
	}
	fmt.Fprintf(&b, "list \"entraauth_phone_authentication_method\" %q {\n  provider = entraauth\n  limit    = %d\n", l.Name, limit)
	if l.IncludeResource {
		b.WriteString("  include_resource = true\n")
	}
	fmt.Fprintf(&b, "  config {\n    %s\n  }\n}\n", strings.Join(l.Config, "\n    "))
	return b.String()
}

// queryConfig is a query step's .tfquery.hcl: list blocks only, as the
// provider block stays in the .tf file of the step before.
func queryConfig(blocks ...listBlock) string {
	parts := make([]string, len(blocks))
	for i, b := range blocks {
		parts[i] = b.String()
	}
	return strings.Join(parts, "\n")
}

func (l listBlock) address() string { return "entraauth_phone_authentication_method." + l.Name }

// newListAccEnv is the policy test tenant (adele and bianca in the pilot
// group, dave in the break-glass group, carlos in none) with phones added
// outside Terraform: adele mobile and alternateMobile, bianca office, dave
// mobile, carlos none.
func newListAccEnv(t *testing.T, roles []string) *accEnv {
	t.Helper()
	e := newPolicyAccEnv(t, nil, roles)
	e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accAdeleUPN, "mobile", "+1 5555551234", false))
	e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accAdeleUPN, "alternateMobile", "+1 5555550000", false))
	e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accBiancaUPN, "office", "+44 2079460958x42", false))
	e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accDaveUPN, "mobile", "+1 5555559876", false))
	return e
}

// userIDOf is the object id the mock gave a user.
func (e *accEnv) userIDOf(upn string) string {
	v, err := e.mock.User(e.tenant, upn)
	if err != nil {
		e.t.Fatalf("user %s: %v", upn, err)
	}
	return v.ID
}

func phoneIdentity(userID, phoneType string) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{"user_id": knownvalue.StringExact(userID), "phone_type": knownvalue.StringExact(phoneType)}
}

// TestAccPhoneListResource_selectors lists with each selector through
// `terraform query`: user_ids (a UPN and an object id), group_id and
// all_users find exactly the phones Graph holds for those users, name each
// by the user's object id and phone type, and show the UPN and phone type
// (never the number) as the display name. With include_resource the full
// resource comes back, in the form the resource stores.
func TestAccPhoneListResource_selectors(t *testing.T) {
	e := newListAccEnv(t, nil)
	biancaID := e.userIDOf(accBiancaUPN)
	byUsers := listBlock{Name: "by_users", Config: []string{fmt.Sprintf("user_ids = [%q, %q]", accAdeleUPN, accDaveID)}}
	byGroup := listBlock{Name: "by_group", Config: []string{fmt.Sprintf("group_id = %q", accPilotGroupID)}, IncludeResource: true}
	everyone := listBlock{Name: "everyone", Config: []string{"all_users = true"}}
	e.runQueries(t,
		resource.TestStep{
			Config: queryConfig(byUsers, byGroup, everyone),
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength(byUsers.address(), 3),
				querycheck.ExpectIdentity(byUsers.address(), phoneIdentity(accAdeleID, "mobile")),
				querycheck.ExpectIdentity(byUsers.address(), phoneIdentity(accAdeleID, "alternateMobile")),
				querycheck.ExpectIdentity(byUsers.address(), phoneIdentity(accDaveID, "mobile")),
				querycheck.ExpectResourceDisplayName(byUsers.address(),
					queryfilter.ByResourceIdentity(phoneIdentity(accDaveID, "mobile")), knownvalue.StringExact(accDaveUPN+" mobile")),

				querycheck.ExpectLength(byGroup.address(), 3),
				querycheck.ExpectIdentity(byGroup.address(), phoneIdentity(biancaID, "office")),
				querycheck.ExpectResourceDisplayName(byGroup.address(),
					queryfilter.ByResourceIdentity(phoneIdentity(biancaID, "office")), knownvalue.StringExact(accBiancaUPN+" office")),
				querycheck.ExpectResourceKnownValues(byGroup.address(), queryfilter.ByResourceIdentity(phoneIdentity(biancaID, "office")), []querycheck.KnownValueCheck{
					{Path: tfjsonpath.New("phone_number"), KnownValue: knownvalue.StringExact("+44 2079460958x42")},
					{Path: tfjsonpath.New("user_id"), KnownValue: knownvalue.StringExact(biancaID)},
					{Path: tfjsonpath.New("method_id"), KnownValue: knownvalue.StringExact(officeMethodID)},
					{Path: tfjsonpath.New("sms_sign_in_enabled"), KnownValue: knownvalue.Null()},
				}),
				querycheck.ExpectResourceKnownValues(byGroup.address(), queryfilter.ByResourceIdentity(phoneIdentity(accAdeleID, "mobile")), []querycheck.KnownValueCheck{
					{Path: tfjsonpath.New("phone_number"), KnownValue: knownvalue.StringExact("+1 5555551234")},
					{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(accAdeleID + "/mobile")},
					{Path: tfjsonpath.New("sms_sign_in_enabled"), KnownValue: knownvalue.Bool(false)},
				}),

				querycheck.ExpectLength(everyone.address(), 4),
				querycheck.ExpectIdentity(everyone.address(), phoneIdentity(accDaveID, "mobile")),
				querycheck.ExpectTotalLengthForMatching(regexp.MustCompile(`entraauth_phone_authentication_method\.`), 10),
			},
		},
	)
}

// TestAccPhoneListResource_badConfig: a list block without exactly one
// selector, or with an invalid user id, fails before any request, saying
// which selectors exist.
func TestAccPhoneListResource_badConfig(t *testing.T) {
	e := newListAccEnv(t, nil)
	e.runQueries(t,
		resource.TestStep{
			Config:      queryConfig(listBlock{Name: "two", Config: []string{"all_users = true", fmt.Sprintf("group_id = %q", accPilotGroupID)}}),
			ExpectError: errorRE("Give exactly one of user_ids, group_id or all_users", "it has group_id and all_users"),
		},
		resource.TestStep{
			Config:      queryConfig(listBlock{Name: "none", Config: []string{}}),
			ExpectError: errorRE("Give exactly one of user_ids, group_id or all_users", "it has none"),
		},
		resource.TestStep{
			Config:      queryConfig(listBlock{Name: "bad", Config: []string{`user_ids = ["adele/mobile"]`}}),
			ExpectError: errorRE("Invalid user id", `user id "adele/mobile" is not valid: it contains "/"`),
		},
		resource.TestStep{
			Config:      queryConfig(listBlock{Name: "off", Config: []string{"all_users = false"}}),
			ExpectError: errorRE("all_users must be true when set"),
		},
	)
	for _, r := range e.mock.RequestLog() {
		if strings.Contains(r.Path, "/users") || strings.Contains(r.Path, "/groups") {
			t.Errorf("a refused list block sent %s %s", r.Method, r.Path)
		}
	}
}

// TestAccPhoneListResource_errors: Graph's refusals reach `terraform
// query` with what to do: the permission a 403 lacks (User.Read.All for
// users, GroupMember.Read.All for a group), an unknown group, an unknown
// user in user_ids.
func TestAccPhoneListResource_errors(t *testing.T) {
	t.Parallel()
	t.Run("no directory permission", func(t *testing.T) {
		e := newListAccEnv(t, []string{"UserAuthenticationMethod.ReadWrite.All", "Policy.ReadWrite.AuthenticationMethod"})
		e.runQueries(t,
			resource.TestStep{
				Config:      queryConfig(listBlock{Name: "everyone", Config: []string{"all_users = true"}}),
				ExpectError: errorRE("Cannot list the tenant's users", "403", "User.Read.All"),
			},
			resource.TestStep{
				Config:      queryConfig(listBlock{Name: "group", Config: []string{fmt.Sprintf("group_id = %q", accPilotGroupID)}}),
				ExpectError: errorRE("Cannot list the group's users", "403", "GroupMember.Read.All"),
			},
		)
	})
	t.Run("unknown group and user", func(t *testing.T) {
		e := newListAccEnv(t, nil)
		e.runQueries(t,
			resource.TestStep{
				Config:      queryConfig(listBlock{Name: "group", Config: []string{`group_id = "99999999-0000-4000-8000-0000000000ff"`}}),
				ExpectError: errorRE("Cannot list the group's users", "404", "is the object id of a group of this tenant"),
			},
			resource.TestStep{
				Config:      queryConfig(listBlock{Name: "users", Config: []string{fmt.Sprintf("user_ids = [%q, \"nobody@%s\"]", accAdeleUPN, acctest.TenantDomain)}}),
				ExpectError: errorRE("Cannot read user", "nobody@", "404", "is an existing user's object id or user principal name"),
			},
		)
	})
}

// TestAccPhoneListResource_readBudget: listing 60 users under the read
// budget of the refresh test (a bucket of 20 refilled at 4 reads a second,
// see readThrottleBudget) is slowed by 429s, never failed by them: every
// phone is found.
func TestAccPhoneListResource_readBudget(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (runs terraform against a local mock Graph)")
	}
	users := make([]mockgraph.SeedUser, 60)
	for i := range users {
		users[i] = mockgraph.SeedUser{User: mockgraph.User{UserPrincipalName: fmt.Sprintf("user%03d@%s", i, acctest.TenantDomain)}}
	}
	m := acctest.NewMock(t, acctest.Options{Users: users})
	e := &accEnv{t: t, m: m, mock: m.Server, tenant: m.TenantID}
	for i := range users {
		e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, users[i].UserPrincipalName, "mobile", fmt.Sprintf("+1 5555551%03d", i), false))
	}
	e.mock.SetReadBudget(readThrottleBudget)
	everyone := listBlock{Name: "everyone", Config: []string{"all_users = true"}}
	e.runQueries(t,
		resource.TestStep{
			Config: queryConfig(everyone),
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength(everyone.address(), 60),
				querycheck.ExpectIdentity(everyone.address(), phoneIdentity(e.userIDOf("user059@"+acctest.TenantDomain), "mobile")),
			},
		},
	)
	throttled := 0
	for _, r := range e.mock.RequestLog() {
		if r.Status == 429 {
			throttled++
		}
	}
	if throttled == 0 {
		t.Errorf("no read was throttled: the test does not exercise the read budget")
	}
	t.Logf("%d reads answered 429 and were retried", throttled)
}

// TestAccPhoneListResource_nestedGroupAndLimit: group_id reaches users
// through nested groups, each user once; the list block's limit stops the
// listing at that many results.
func TestAccPhoneListResource_nestedGroupAndLimit(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (runs terraform against a local mock Graph)")
	}
	const staffGroupID = "99999999-0000-4000-8000-00000000c003"
	m := acctest.NewMock(t, acctest.Options{
		Users: []mockgraph.SeedUser{
			{User: mockgraph.User{ID: accAdeleID, UserPrincipalName: accAdeleUPN}},
			{User: mockgraph.User{UserPrincipalName: accBiancaUPN}},
			{User: mockgraph.User{UserPrincipalName: accCarlosUPN}},
			{User: mockgraph.User{ID: accDaveID, UserPrincipalName: accDaveUPN}},
		},
		Groups: []mockgraph.Group{
			{ID: accPilotGroupID, DisplayName: "SMS pilot", Members: []string{accAdeleUPN, accBiancaUPN}},
			// adele is a member directly and through the pilot group.
			{ID: staffGroupID, DisplayName: "Staff", Members: []string{accDaveUPN, accAdeleUPN}, Groups: []string{accPilotGroupID}},
		},
	})
	e := &accEnv{t: t, m: m, mock: m.Server, tenant: m.TenantID}
	e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accAdeleUPN, "mobile", "+1 5555551234", false))
	e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accAdeleUPN, "alternateMobile", "+1 5555550000", false))
	e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accBiancaUPN, "office", "+44 2079460958x42", false))
	e.must(e.mock.SetPhoneMethodOutOfBand(e.tenant, accDaveUPN, "mobile", "+1 5555559876", false))
	staff := listBlock{Name: "staff", Config: []string{fmt.Sprintf("group_id = %q", staffGroupID)}}
	firstTwo := listBlock{Name: "first_two", Config: []string{"all_users = true"}, Limit: 2}
	e.runQueries(t,
		resource.TestStep{
			Config: queryConfig(staff, firstTwo),
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength(staff.address(), 4),
				querycheck.ExpectIdentity(staff.address(), phoneIdentity(accAdeleID, "alternateMobile")),
				querycheck.ExpectIdentity(staff.address(), phoneIdentity(e.userIDOf(accBiancaUPN), "office")),
				querycheck.ExpectIdentity(staff.address(), phoneIdentity(accDaveID, "mobile")),
				querycheck.ExpectLength(firstTwo.address(), 2),
			},
		},
	)
}

// openTofuLacksQuery is what OpenTofu lacks for the list resource's tests.
const openTofuLacksQuery = "list resources and the query command (Terraform 1.14+)"

// runQueries runs terraform query steps (Terraform 1.14+; not OpenTofu) after a first
// step that writes the provider block the .tfquery.hcl files use.
func (e *accEnv) runQueries(t *testing.T, steps ...resource.TestStep) {
	t.Helper()
	for i := range steps {
		steps[i].Query = true
	}
	e.test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{acctest.NotOpenTofu(openTofuLacksQuery), tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: e.factories(),
		Steps:                    append([]resource.TestStep{{Config: e.providerConfig()}}, steps...),
	}, acctest.PreexistingUnmanaged()) // the phones a query finds were put there by the test
}
