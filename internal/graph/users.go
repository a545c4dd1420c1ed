package graph

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoft/kiota-abstractions-go/serialization"
	"github.com/microsoftgraph/msgraph-sdk-go/groups"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
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
	first := func(ctx context.Context) (*abstractions.RequestInformation, error) {
		top := int32(UserPageSize)
		return users.NewUsersRequestBuilderInternal(map[string]string{}, c.adapter).ToGetRequestInformation(ctx, &users.UsersRequestBuilderGetRequestConfiguration{
			QueryParameters: &users.UsersRequestBuilderGetQueryParameters{Select: userSelect, Top: &top},
		})
	}
	next := func(ctx context.Context, link string) (*abstractions.RequestInformation, error) {
		return users.NewUsersRequestBuilder(link, c.adapter).ToGetRequestInformation(ctx, nil)
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
	first := func(ctx context.Context) (*abstractions.RequestInformation, error) {
		top, count := int32(UserPageSize), true
		return groups.NewGroupsRequestBuilderInternal(map[string]string{}, c.adapter).ByGroupId(groupID).TransitiveMembers().GraphUser().
			ToGetRequestInformation(ctx, &groups.ItemTransitiveMembersGraphUserRequestBuilderGetRequestConfiguration{
				Headers:         advanced(),
				QueryParameters: &groups.ItemTransitiveMembersGraphUserRequestBuilderGetQueryParameters{Select: userSelect, Top: &top, Count: &count},
			})
	}
	next := func(ctx context.Context, link string) (*abstractions.RequestInformation, error) {
		return groups.NewItemTransitiveMembersGraphUserRequestBuilder(link, c.adapter).
			ToGetRequestInformation(ctx, &groups.ItemTransitiveMembersGraphUserRequestBuilderGetRequestConfiguration{Headers: advanced()})
	}
	return c.pageUsers(ctx, op, first, next, yield)
}

// pageUsers sends first's request, then next's for each @odata.nextLink,
// each page as one retried operation, and yields the users in Graph's
// order.
func (c *Client) pageUsers(ctx context.Context, op string,
	first func(context.Context) (*abstractions.RequestInformation, error),
	next func(context.Context, string) (*abstractions.RequestInformation, error),
	yield func(User) bool,
) error {
	link := ""
	for page := 1; ; page++ {
		var resp *userPage
		err := c.run(ctx, fmt.Sprintf("%s (page %d)", op, page), retryPolicy{}, func(ctx context.Context) error {
			var req *abstractions.RequestInformation
			var err error
			if link == "" {
				req, err = first(ctx)
			} else {
				req, err = next(ctx, link)
			}
			if err != nil {
				return err
			}
			resp, err = sendFor[*userPage](ctx, c, req, newUserPage)
			return err
		})
		if err != nil {
			return err
		}
		if resp == nil {
			return nil
		}
		for _, u := range resp.users {
			if u.ID == "" {
				continue
			}
			if !yield(u) {
				return nil
			}
		}
		link = resp.nextLink
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
		req, err := users.NewUsersRequestBuilderInternal(map[string]string{}, c.adapter).ByUserId(idOrUPN).
			ToGetRequestInformation(ctx, &users.UserItemRequestBuilderGetRequestConfiguration{
				QueryParameters: &users.UserItemRequestBuilderGetQueryParameters{Select: userSelect},
			})
		if err != nil {
			return err
		}
		u, err := sendFor[*directoryUser](ctx, c, req, newDirectoryUser)
		if err != nil {
			return err
		}
		if u == nil {
			return &Error{Operation: op, Message: "Graph returned no user"}
		}
		out = u.User
		return nil
	})
	return out, err
}

// The user reads parse Graph's answers into the two fields they select,
// not into msgraph-sdk-go's models.User: that model reaches, through its
// navigation properties, nearly every model of Graph, and linking it
// doubled the provider binary (BENCHMARKS.md). The requests are still
// built by msgraph-sdk-go's request builders and sent through its adapter.

// sendFor sends req through the Graph adapter and parses the answer with
// factory; Graph's error answers become *odataerrors.ODataError as with
// the generated builders.
func sendFor[T serialization.Parsable](ctx context.Context, c *Client, req *abstractions.RequestInformation, factory serialization.ParsableFactory) (T, error) {
	var zero T
	res, err := c.adapter.Send(ctx, req, factory, abstractions.ErrorMappings{"XXX": odataerrors.CreateODataErrorFromDiscriminatorValue})
	if err != nil || res == nil {
		return zero, err
	}
	out, ok := res.(T)
	if !ok {
		return zero, fmt.Errorf("graph: unexpected answer type %T", res)
	}
	return out, nil
}

// directoryUser is a user as the $select=id,userPrincipalName reads
// return it.
type directoryUser struct{ User }

func newDirectoryUser(serialization.ParseNode) (serialization.Parsable, error) {
	return &directoryUser{}, nil
}

func (u *directoryUser) GetFieldDeserializers() map[string]func(serialization.ParseNode) error {
	return map[string]func(serialization.ParseNode) error{
		"id":                stringField(&u.ID),
		"userPrincipalName": stringField(&u.UserPrincipalName),
	}
}

// Serialize is never called: users are only read.
func (u *directoryUser) Serialize(serialization.SerializationWriter) error {
	return fmt.Errorf("graph: a directory user is not written")
}

// userPage is one page of a user listing: value and @odata.nextLink.
type userPage struct {
	users    []User
	nextLink string
}

func newUserPage(serialization.ParseNode) (serialization.Parsable, error) {
	return &userPage{}, nil
}

func (p *userPage) GetFieldDeserializers() map[string]func(serialization.ParseNode) error {
	return map[string]func(serialization.ParseNode) error{
		"value": func(n serialization.ParseNode) error {
			values, err := n.GetCollectionOfObjectValues(newDirectoryUser)
			if err != nil {
				return err
			}
			p.users = make([]User, 0, len(values))
			for _, v := range values {
				if u, ok := v.(*directoryUser); ok && u != nil {
					p.users = append(p.users, u.User)
				}
			}
			return nil
		},
		"@odata.nextLink": stringField(&p.nextLink),
	}
}

// Serialize is never called: pages are only read.
func (p *userPage) Serialize(serialization.SerializationWriter) error {
	return fmt.Errorf("graph: a user page is not written")
}

// stringField parses a JSON string (null as empty) into dst.
func stringField(dst *string) func(serialization.ParseNode) error {
	return func(n serialization.ParseNode) error {
		v, err := n.GetStringValue()
		if err != nil {
			return err
		}
		*dst = deref(v)
		return nil
	}
}
