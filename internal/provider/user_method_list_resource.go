package provider

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
	"github.com/entraauth/terraform-provider-entraauth/internal/validators"
)

// listConcurrency is how many users' methods are read at once. Graph's
// identity read budget (3,500 reads per 10 s per app and tenant) is the
// real limit, and listing should run at its pace: at 20 ms per read, 32
// readers ask for up to 1,600 reads a second, well over the budget's 350,
// so the 429s that come are waited out (Retry-After) and retried; with
// fewer readers the provider, not the budget, set the pace (BENCHMARKS.md).
const listConcurrency = 32

// listTimeout bounds a whole listing; a tenant of 100,000 users takes about
// five minutes at Graph's read budget.
const listTimeout = 60 * time.Minute

// userMethodKind is what one list resource of users' authentication
// methods supplies; userMethodListResource does the rest (the user
// selectors, their validation, reading users listConcurrency at a time,
// the limit, and explaining failures). M is one method as the graph
// package returns it.
type userMethodKind[M any] struct {
	// typeName follows the provider's name, e.g. "_phone_authentication_method".
	typeName string
	// description opens the list block's description; how users are read
	// is added after it.
	description string
	// plural names the methods in attribute descriptions and messages,
	// e.g. "phones": "The users whose phones to list".
	plural string
	// readPermission is what a user's methods need besides the directory
	// read permission, e.g. "UserAuthenticationMethod.Read.All for the phones".
	readPermission string
	// readFailed is the summary of a failed read of one user's methods,
	// and readWhat what was read, e.g. "Cannot list phone methods" and
	// "the phone methods": "Reading the phone methods of user ... failed".
	readFailed, readWhat string
	// read returns one user's methods (none, not an error, for a user who
	// has none), in the order results should come.
	read func(ctx context.Context, c *graph.Client, userID string) ([]M, error)
	// readHint says what to check when read failed (a 403 names
	// readPermission's permissions).
	readHint func(c *graph.Client, err error, userID string) string
	// fill sets one method's display name and identity, and the resource
	// when includeResource (-generate-config-out); name is the user's
	// principal name (the object id when Graph gave none).
	fill func(ctx context.Context, result *list.ListResult, name string, u graph.User, m M, includeResource bool)
}

// userMethodListResource is a list block of `terraform query` (Terraform
// 1.14+) that finds one kind of authentication method of some users.
type userMethodListResource[M any] struct {
	kind   userMethodKind[M]
	client *graph.Client
}

// userListConfig is the list block's configuration.
type userListConfig struct {
	UserIDs  types.List   `tfsdk:"user_ids"`
	GroupID  types.String `tfsdk:"group_id"`
	AllUsers types.Bool   `tfsdk:"all_users"`
}

func (r *userMethodListResource[M]) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + r.kind.typeName
}

func (r *userMethodListResource[M]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (r *userMethodListResource[M]) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	plural := r.kind.plural
	resp.Schema = listschema.Schema{
		MarkdownDescription: r.kind.description +
			"Users are read " + fmt.Sprint(listConcurrency) + " at a time, at the pace of Graph's read budget (about 350 reads a second; 429 answers are waited out): " +
			"one read per user, plus one per " + fmt.Sprint(graph.UserPageSize) + " users for the listing.",
		Attributes: map[string]listschema.Attribute{
			"user_ids": listschema.ListAttribute{
				ElementType: types.StringType,
				Optional:    true,
				MarkdownDescription: "The users whose " + plural + " to list, by object id or user principal name. Each is read first " +
					"(`GET /users/{id}`), so results name every user by object id. Needs `User.Read.All` (or `User.ReadBasic.All`).",
				Validators: []validator.List{userIDsValidator{}},
			},
			"group_id": listschema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The object id of a group: lists the " + plural + " of its users, direct members and members of nested groups " +
					"(`/groups/{id}/transitiveMembers/microsoft.graph.user`). Needs `GroupMember.Read.All` (or `Group.Read.All`).",
			},
			"all_users": listschema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "`true` lists the " + plural + " of every user of the tenant (`/users`). Needs `User.Read.All`. " +
					"Terraform stops at the list block's `limit` (default 100 results): raise it for a whole tenant.",
			},
		},
	}
}

// ValidateListResourceConfig wants exactly one selector, at plan time.
func (r *userMethodListResource[M]) ValidateListResourceConfig(ctx context.Context, req list.ValidateConfigRequest, resp *list.ValidateConfigResponse) {
	var c userListConfig
	resp.Diagnostics.Append(req.Config.Get(ctx, &c)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if c.UserIDs.IsUnknown() || c.GroupID.IsUnknown() || c.AllUsers.IsUnknown() {
		return
	}
	var given []string
	if !c.UserIDs.IsNull() {
		given = append(given, "user_ids")
	}
	if !c.GroupID.IsNull() {
		given = append(given, "group_id")
		if p := validators.UserIDProblem(c.GroupID.ValueString()); p != "" {
			resp.Diagnostics.AddAttributeError(path.Root("group_id"), "Invalid group_id",
				fmt.Sprintf("group_id %q is not valid: %s. Give the group's object id, for example \"99999999-0000-4000-8000-00000000a001\".", c.GroupID.ValueString(), p))
		}
	}
	if !c.AllUsers.IsNull() {
		given = append(given, "all_users")
		if !c.AllUsers.ValueBool() {
			resp.Diagnostics.AddAttributeError(path.Root("all_users"), "all_users must be true when set",
				"all_users = false selects nothing. Set all_users = true to list every user's "+r.kind.plural+", or use user_ids or group_id instead.")
		}
	}
	if len(given) != 1 {
		resp.Diagnostics.AddError("Give exactly one of user_ids, group_id or all_users",
			fmt.Sprintf("The list block selects users with exactly one of user_ids = [...], group_id = \"...\" or all_users = true; it has %s.", describeGiven(given)))
	}
}

func describeGiven(given []string) string {
	if len(given) == 0 {
		return "none"
	}
	return strings.Join(given, " and ")
}

// userIDsValidator checks each user id of user_ids with the resource's rule.
type userIDsValidator struct{}

func (userIDsValidator) Description(ctx context.Context) string {
	return userIDsValidator{}.MarkdownDescription(ctx)
}

func (userIDsValidator) MarkdownDescription(context.Context) string {
	return "each value must be a user object id or user principal name"
}

func (userIDsValidator) ValidateList(ctx context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	for i, v := range req.ConfigValue.Elements() {
		s, ok := v.(types.String)
		if !ok || s.IsUnknown() {
			continue
		}
		if s.IsNull() {
			resp.Diagnostics.AddAttributeError(req.Path.AtListIndex(i), "Invalid user id", "user_ids must not hold null.")
			continue
		}
		if p := validators.UserIDProblem(s.ValueString()); p != "" {
			resp.Diagnostics.AddAttributeError(req.Path.AtListIndex(i), "Invalid user id",
				fmt.Sprintf("user id %q is not valid: %s. Use %s.", s.ValueString(), p, validators.UserIDExamples))
		}
	}
}

// userMethods is one user's methods, or why they could not be read.
type userMethods[M any] struct {
	user    graph.User
	methods []M
	// err is a failure to read this user (or, with fromListing, to list
	// users at all).
	err         error
	fromListing bool
	// given is the user id as written in user_ids, for messages.
	given string
}

// List streams one result per method, in the order Graph lists the users
// (user_ids: the order given), while up to listConcurrency users are read
// ahead.
func (r *userMethodListResource[M]) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var c userListConfig
	if d := req.Config.Get(ctx, &c); d.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(d)
		return
	}
	var given []string
	if !c.UserIDs.IsNull() {
		if d := c.UserIDs.ElementsAs(ctx, &given, false); d.HasError() {
			stream.Results = list.ListResultsStreamDiagnostics(d)
			return
		}
	}
	stream.Results = func(push func(list.ListResult) bool) {
		ctx, cancel := context.WithTimeout(ctx, listTimeout)
		defer cancel()
		sent := int64(0)
		for um := range r.readUsers(ctx, c, given) {
			if um.err != nil {
				if graph.IsNotFound(um.err) && !um.fromListing && um.given == "" {
					continue // left the group or the tenant since it was listed
				}
				var d diag.Diagnostics
				d.AddError(r.failureSummary(c, um), r.failureDetail(c, um))
				push(list.ListResult{Diagnostics: d})
				return
			}
			for _, m := range um.methods {
				if req.Limit > 0 && sent >= req.Limit {
					return
				}
				result := req.NewListResult(ctx)
				name := um.user.UserPrincipalName
				if name == "" {
					name = um.user.ID
				}
				r.kind.fill(ctx, &result, name, um.user, m, req.IncludeResource)
				sent++
				if !push(result) {
					return
				}
			}
		}
	}
}

// readUsers yields every selected user with their methods, in order. A
// producer lists (or takes) the users and starts one reader per user, at
// most listConcurrency at a time; the consumer takes them in order. An
// error ends the sequence after it is yielded.
func (r *userMethodListResource[M]) readUsers(ctx context.Context, c userListConfig, given []string) iter.Seq[userMethods[M]] {
	return func(yield func(userMethods[M]) bool) {
		ctx, cancel := context.WithCancel(ctx)
		pending := make(chan chan userMethods[M], listConcurrency)
		producerDone := make(chan struct{})
		defer func() {
			cancel()
			for out := range pending {
				<-out // readers end promptly once ctx is cancelled
			}
			<-producerDone
		}()
		slots := make(chan struct{}, listConcurrency)
		start := func(read func(context.Context) userMethods[M]) bool {
			out := make(chan userMethods[M], 1)
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return false
			}
			select {
			case pending <- out:
			case <-ctx.Done():
				<-slots
				return false
			}
			go func() {
				defer func() { <-slots }()
				out <- read(ctx)
			}()
			return true
		}
		go func() {
			defer close(producerDone)
			defer close(pending)
			var err error
			switch {
			case !c.UserIDs.IsNull():
				for _, id := range given {
					if !start(func(ctx context.Context) userMethods[M] { return r.readGivenUser(ctx, id) }) {
						return
					}
				}
			case !c.GroupID.IsNull():
				err = r.client.ListGroupUsers(ctx, c.GroupID.ValueString(), func(u graph.User) bool {
					return start(func(ctx context.Context) userMethods[M] { return r.readUser(ctx, u) })
				})
			default:
				err = r.client.ListUsers(ctx, func(u graph.User) bool {
					return start(func(ctx context.Context) userMethods[M] { return r.readUser(ctx, u) })
				})
			}
			if err != nil && ctx.Err() == nil {
				out := make(chan userMethods[M], 1)
				out <- userMethods[M]{err: err, fromListing: true}
				select {
				case pending <- out:
				case <-ctx.Done():
				}
			}
		}()
		for {
			var out chan userMethods[M]
			select {
			case o, ok := <-pending:
				if !ok {
					return
				}
				out = o
			case <-ctx.Done():
				yield(userMethods[M]{err: ctx.Err(), fromListing: true})
				return
			}
			um := <-out
			if !yield(um) || um.err != nil {
				return
			}
		}
	}
}

// readUser reads the methods of a listed user.
func (r *userMethodListResource[M]) readUser(ctx context.Context, u graph.User) userMethods[M] {
	methods, err := r.kind.read(ctx, r.client, u.ID)
	return userMethods[M]{user: u, methods: methods, err: err}
}

// readGivenUser resolves a user_ids entry to the user (so results name the
// object id, and the display name the UPN), then reads the methods.
func (r *userMethodListResource[M]) readGivenUser(ctx context.Context, id string) userMethods[M] {
	u, err := r.client.GetUser(ctx, id)
	if err != nil {
		return userMethods[M]{err: err, given: id}
	}
	um := r.readUser(ctx, u)
	um.given = id
	return um
}

func (r *userMethodListResource[M]) failureSummary(c userListConfig, um userMethods[M]) string {
	switch {
	case um.fromListing && !c.GroupID.IsNull():
		return "Cannot list the group's users"
	case um.fromListing:
		return "Cannot list the tenant's users"
	case um.given != "" && um.user.ID == "":
		return "Cannot read user"
	}
	return r.kind.readFailed
}

// failureDetail explains a failed listing, naming the permission a 403
// lacks: the listing needs a directory read permission besides the
// methods' one.
func (r *userMethodListResource[M]) failureDetail(c userListConfig, um userMethods[M]) string {
	err := um.err
	switch {
	case graph.StopReasonOf(err) == graph.StoppedByDeadline || ctxErrIsDeadline(err):
		return fmt.Sprintf("The listing did not finish within %s: %s", listTimeout, err)
	case graph.StopReasonOf(err) == graph.StoppedByInterrupt:
		return fmt.Sprintf("The listing was interrupted: %s", err)
	}
	if um.fromListing {
		what, perm := "Listing the tenant's users", "User.Read.All (or User.ReadBasic.All, Directory.Read.All)"
		if !c.GroupID.IsNull() {
			what, perm = fmt.Sprintf("Listing the users of group %q", c.GroupID.ValueString()), "GroupMember.Read.All (or Group.Read.All, Directory.Read.All)"
		}
		detail := fmt.Sprintf("%s failed: %s", what, err)
		switch {
		case graph.IsForbidden(err):
			detail += fmt.Sprintf("\n\nThe identity Terraform runs as may not list them: this needs the application permission %s, besides %s.", perm, r.kind.readPermission) +
				forbiddenCredentialHint(r.client)
		case graph.IsNotFound(err) && !c.GroupID.IsNull():
			detail += fmt.Sprintf("\n\nCheck that group_id %q is the object id of a group of this tenant.", c.GroupID.ValueString())
		}
		return detail
	}
	if um.user.ID == "" {
		detail := fmt.Sprintf("Reading user %q failed: %s", um.given, err)
		switch {
		case graph.IsForbidden(err):
			detail += "\n\nThe identity Terraform runs as may not read users: user_ids needs the application permission User.Read.All (or User.ReadBasic.All, Directory.Read.All)." +
				forbiddenCredentialHint(r.client)
		case graph.IsNotFound(err):
			detail += fmt.Sprintf("\n\nCheck that %q is an existing user's object id or user principal name.", um.given)
		}
		return detail
	}
	return fmt.Sprintf("Reading %s of user %q failed: %s%s", r.kind.readWhat, um.user.UserPrincipalName, err, r.kind.readHint(r.client, err, um.user.ID))
}

// ctxErrIsDeadline reports a context deadline that ended the listing
// between Graph calls.
func ctxErrIsDeadline(err error) bool {
	return errors.Is(err, context.DeadlineExceeded)
}

// resourceAttribute is one attribute of a list result's resource.
type resourceAttribute struct {
	name  string
	value any
}

// setResourceAttributes sets the given attributes of a list result's
// resource one by one, leaving the others (timeouts) null.
func setResourceAttributes(ctx context.Context, result *list.ListResult, attrs []resourceAttribute) {
	for _, a := range attrs {
		result.Diagnostics.Append(result.Resource.SetAttribute(ctx, path.Root(a.name), a.value)...)
	}
}

// readMethodsHint is what to check when reading users' methods of one kind
// failed; a 403 names permissions, the read permissions the listing needs.
func readMethodsHint(permissions string) func(c *graph.Client, err error, userID string) string {
	return func(c *graph.Client, err error, userID string) string {
		if graph.IsForbidden(err) {
			return "\n\nThe identity Terraform runs as lacks permission: it needs " + permissions + "." + forbiddenCredentialHint(c)
		}
		return graphHint(c, err, userID)
	}
}
