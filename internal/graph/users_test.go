package graph

import (
	"net/http"
	"strings"
	"testing"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// TestMockListUsersAndGroupUsers pages through 2,100 users (three pages of
// 999) of the tenant and of a group, through the SDK and the mock: every
// user once, in Graph's order, every group page sent as the advanced query
// it is (ConsistencyLevel: eventual, $count), and a user read by UPN.
func TestMockListUsersAndGroupUsers(t *testing.T) {
	t.Parallel()
	const groupID = "99999999-0000-4000-8000-0000000000aa"
	m := acctest.NewMock(t, acctest.Options{Groups: []mockgraph.Group{{ID: groupID, DisplayName: "Everyone"}}})
	if _, err := m.Server.GenerateUsers(m.TenantID, mockgraph.GenerateUsers{Count: 2100, Groups: []string{groupID}}); err != nil {
		t.Fatal(err)
	}
	c := mockClient(t, m, Credentials{Kind: CredentialClientSecret, ClientSecret: m.ClientSecret})
	ctx := testContext(t)

	collect := func(list func(func(User) bool) error) map[string]User {
		t.Helper()
		seen := map[string]User{}
		if err := list(func(u User) bool {
			if _, dup := seen[u.ID]; dup {
				t.Errorf("user %s listed twice", u.ID)
			}
			seen[u.ID] = u
			return true
		}); err != nil {
			t.Fatal(err)
		}
		return seen
	}
	all := collect(func(y func(User) bool) error { return c.ListUsers(ctx, y) })
	if want := 2100 + len(m.Users); len(all) != want {
		t.Errorf("ListUsers found %d users; want %d", len(all), want)
	}
	members := collect(func(y func(User) bool) error { return c.ListGroupUsers(ctx, groupID, y) })
	if len(members) != 2100 {
		t.Errorf("ListGroupUsers found %d users; want 2100", len(members))
	}
	pages := m.Server.RequestLog(mockgraph.RequestLogFilter{Operation: mockgraph.OpGroupMembers})
	if len(pages) != 3 {
		t.Errorf("group pages: %d requests; want 3 (999 per page)", len(pages))
	}
	for _, p := range pages {
		if p.Status != http.StatusOK || !strings.Contains(p.Query, "count=true") {
			t.Errorf("group page %s?%s answered %d; want 200 with $count=true", p.Path, p.Query, p.Status)
		}
	}

	stop := 0
	if err := c.ListUsers(ctx, func(User) bool { stop++; return stop < 5 }); err != nil || stop != 5 {
		t.Errorf("ListUsers did not stop when told: %d users, %v", stop, err)
	}
	adele := m.User(t, "adele")
	u, err := c.GetUser(ctx, adele.UserPrincipalName)
	if err != nil || u.ID != adele.ID || u.UserPrincipalName != adele.UserPrincipalName {
		t.Errorf("GetUser(%s) = %+v, %v", adele.UserPrincipalName, u, err)
	}
	if _, err := c.GetUser(ctx, "nobody@"+acctest.TenantDomain); !IsNotFound(err) {
		t.Errorf("GetUser(nobody) error %v; want not found", err)
	}
}

// TestCheckNextLink refuses a next page on another host: the request would
// carry the Graph token there.
func TestCheckNextLink(t *testing.T) {
	c := &Client{endpoints: Endpoints{GraphEndpoint: "https://graph.microsoft.com"}}
	if err := c.checkNextLink("list users", "https://graph.microsoft.com/v1.0/users?$skiptoken=x"); err != nil {
		t.Errorf("Graph's own nextLink refused: %v", err)
	}
	for _, link := range []string{"https://evil.example/v1.0/users", "http://graph.microsoft.com/v1.0/users", "::"} {
		if err := c.checkNextLink("list users", link); err == nil {
			t.Errorf("nextLink %q followed", link)
		}
	}
}
