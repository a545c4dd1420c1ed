package graph

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/groups"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
)

// User is a directory user as listing phone methods needs it.
type User struct {
	// ID is the user's object id, which never changes.
	ID string
	// UserPrincipalName is the user's sign-in name, which a rename changes.
	UserPrincipalName string
}

// UserPageSize is the $top of user listings: Graph's largest page for
// users (999), so 10,000 users take 11 requests instead of 100 at the
// default page size.
const UserPageSize = 999

// userSelect is the $select of user reads and listings: only what the
// listing needs, which keeps Graph's pages small.
var userSelect = []string{"id", "userPrincipalName"}

// ListUsers calls yield for every user of the tenant
// (GET /users?$select=id,userPrincipalName&$top=999), following
// @odata.nextLink page by page, and stops when yield returns false. Each
// page is one operation with its own retries (a 429 on page 7 retries page
// 7). Graph needs User.Read.All (or User.ReadBasic.All, Directory.Read.All).
func (c *Client) ListUsers(ctx context.Context, yield func(User) bool) error {
	first := func(ctx context.Context) (models.UserCollectionResponseable, error) {
		top := int32(UserPageSize)
		return users.NewUsersRequestBuilderInternal(map[string]string{}, c.adapter).Get(ctx, &users.UsersRequestBuilderGetRequestConfiguration{
			QueryParameters: &users.UsersRequestBuilderGetQueryParameters{Select: userSelect, Top: &top},
		})
	}
	next := func(ctx context.Context, link string) (models.UserCollectionResponseable, error) {
		return users.NewUsersRequestBuilder(link, c.adapter).Get(ctx, nil)
	}
	return c.pageUsers(ctx, "list users", first, next, yield)
}

// ListGroupUsers calls yield for every user who is a member of the group,
// directly or through nested groups
// (GET /groups/{id}/transitiveMembers/microsoft.graph.user), page by page.
// Graph needs GroupMember.Read.All (or Group.Read.All, Directory.Read.All).
func (c *Client) ListGroupUsers(ctx context.Context, groupID string, yield func(User) bool) error {
	const op = "list group users"
	if strings.TrimSpace(groupID) == "" {
		return &Error{Operation: op, Message: "group id must not be empty"}
	}
	// Graph's docs count an OData cast with other query options as an
	// advanced query, which needs ConsistencyLevel: eventual and $count;
	// many callers get answers without them, but with them the request is
	// valid either way. The header goes on every page, $count stays in the
	// nextLink.
	advanced := func() *abstractions.RequestHeaders {
		h := abstractions.NewRequestHeaders()
		h.Add("ConsistencyLevel", "eventual")
		return h
	}
	first := func(ctx context.Context) (models.UserCollectionResponseable, error) {
		top, count := int32(UserPageSize), true
		return groups.NewGroupsRequestBuilderInternal(map[string]string{}, c.adapter).ByGroupId(groupID).TransitiveMembers().GraphUser().
			Get(ctx, &groups.ItemTransitiveMembersGraphUserRequestBuilderGetRequestConfiguration{
				Headers:         advanced(),
				QueryParameters: &groups.ItemTransitiveMembersGraphUserRequestBuilderGetQueryParameters{Select: userSelect, Top: &top, Count: &count},
			})
	}
	next := func(ctx context.Context, link string) (models.UserCollectionResponseable, error) {
		return groups.NewItemTransitiveMembersGraphUserRequestBuilder(link, c.adapter).
			Get(ctx, &groups.ItemTransitiveMembersGraphUserRequestBuilderGetRequestConfiguration{Headers: advanced()})
	}
	return c.pageUsers(ctx, op, first, next, yield)
}

// pageUsers runs first, then next for each @odata.nextLink, each page as
// one retried operation, and yields the users in Graph's order.
func (c *Client) pageUsers(ctx context.Context, op string,
	first func(context.Context) (models.UserCollectionResponseable, error),
	next func(context.Context, string) (models.UserCollectionResponseable, error),
	yield func(User) bool,
) error {
	link := ""
	for page := 1; ; page++ {
		var resp models.UserCollectionResponseable
		err := c.run(ctx, fmt.Sprintf("%s (page %d)", op, page), retryPolicy{}, func(ctx context.Context) error {
			var err error
			if link == "" {
				resp, err = first(ctx)
			} else {
				resp, err = next(ctx, link)
			}
			return err
		})
		if err != nil {
			return err
		}
		if resp == nil {
			return nil
		}
		for _, u := range resp.GetValue() {
			if u == nil || deref(u.GetId()) == "" {
				continue
			}
			if !yield(User{ID: deref(u.GetId()), UserPrincipalName: deref(u.GetUserPrincipalName())}) {
				return nil
			}
		}
		link = deref(resp.GetOdataNextLink())
		if link == "" {
			return nil
		}
		if err := c.checkNextLink(op, link); err != nil {
			return err
		}
	}
}

// checkNextLink refuses a next-page link that leaves Graph's endpoint: the
// request would carry the Graph access token to another host.
func (c *Client) checkNextLink(op, link string) error {
	u, err := url.Parse(link)
	base, berr := url.Parse(c.endpoints.GraphEndpoint)
	if err != nil || berr != nil || !strings.EqualFold(u.Scheme, base.Scheme) || !strings.EqualFold(u.Host, base.Host) {
		return &Error{Operation: op, Message: fmt.Sprintf("Graph's @odata.nextLink %q is not on the Graph endpoint %s; not following it", link, c.endpoints.GraphEndpoint)}
	}
	return nil
}

// GetUser reads a user by object id or user principal name
// (GET /users/{id}?$select=id,userPrincipalName); an unknown user gives an
// error for which IsNotFound is true.
func (c *Client) GetUser(ctx context.Context, idOrUPN string) (User, error) {
	const op = "get user"
	if strings.TrimSpace(idOrUPN) == "" {
		return User{}, &Error{Operation: op, Message: "user id must not be empty"}
	}
	var out User
	err := c.run(ctx, op, retryPolicy{}, func(ctx context.Context) error {
		u, err := users.NewUsersRequestBuilderInternal(map[string]string{}, c.adapter).ByUserId(idOrUPN).
			Get(ctx, &users.UserItemRequestBuilderGetRequestConfiguration{
				QueryParameters: &users.UserItemRequestBuilderGetQueryParameters{Select: userSelect},
			})
		if err != nil {
			return err
		}
		if u == nil {
			return &Error{Operation: op, Message: "Graph returned no user"}
		}
		out = User{ID: deref(u.GetId()), UserPrincipalName: deref(u.GetUserPrincipalName())}
		return nil
	})
	return out, err
}
