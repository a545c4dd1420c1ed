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
	"github.com/entraauth/terraform-provider-entraauth/internal/phonenumber"
	"github.com/entraauth/terraform-provider-entraauth/internal/validators"
)

var (
	_ list.ListResource                   = (*phoneAuthenticationMethodListResource)(nil)
	_ list.ListResourceWithConfigure      = (*phoneAuthenticationMethodListResource)(nil)
	_ list.ListResourceWithValidateConfig = (*phoneAuthenticationMethodListResource)(nil)
)

// listConcurrency is how many users' phones are read at once. Graph's
// identity read budget (3,500 reads per 10 s per app and tenant) is the
// real limit, and listing should run at its pace: at 20 ms per read, 32
// readers ask for up to 1,600 reads a second, well over the budget's 350,
// so the 429s that come are waited out (Retry-After) and retried; with
// fewer readers the provider, not the budget, set the pace (BENCHMARKS.md).
const listConcurrency = 32

// listTimeout bounds a whole listing; a tenant of 100,000 users takes about
// five minutes at Graph's read budget.
const listTimeout = 60 * time.Minute

// phoneAuthenticationMethodListResource is `list
// "entraauth_phone_authentication_method"`, for `terraform query`
// (Terraform 1.14+): the phones of some users, each with its identity.
type phoneAuthenticationMethodListResource struct {
	client *graph.Client
}

// NewPhoneAuthenticationMethodListResource returns the list resource.
func NewPhoneAuthenticationMethodListResource() list.ListResource {
	return &phoneAuthenticationMethodListResource{}
}

// phoneListConfig is the list block's configuration.
type phoneListConfig struct {
	UserIDs  types.List   `tfsdk:"user_ids"`
	GroupID  types.String `tfsdk:"group_id"`
	AllUsers types.Bool   `tfsdk:"all_users"`
}

func (r *phoneAuthenticationMethodListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_phone_authentication_method"
}

func (r *phoneAuthenticationMethodListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (r *phoneAuthenticationMethodListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Finds existing phone authentication methods for `terraform query` (Terraform 1.14+), so `terraform query -generate-config-out=phones.tf` " +
			"writes a resource and an import block for each. Give exactly one of `user_ids`, `group_id` or `all_users`. Each result is one phone with its identity " +
			"(the user's object id and the phone type); its display name is the user principal name and the phone type, never the number. " +
			"Users are read " + fmt.Sprint(listConcurrency) + " at a time, at the pace of Graph's read budget (about 350 reads a second; 429 answers are waited out): " +
			"one read per user, plus one per " + fmt.Sprint(graph.UserPageSize) + " users for the listing.",
		Attributes: map[string]listschema.Attribute{
			"user_ids": listschema.ListAttribute{
				ElementType: types.StringType,
				Optional:    true,
				MarkdownDescription: "The users whose phones to list, by object id or user principal name. Each is read first " +
					"(`GET /users/{id}`), so results name every user by object id. Needs `User.Read.All` (or `User.ReadBasic.All`).",
				Validators: []validator.List{userIDsValidator{}},
			},
			"group_id": listschema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The object id of a group: lists the phones of its users, direct members and members of nested groups " +
					"(`/groups/{id}/transitiveMembers/microsoft.graph.user`). Needs `GroupMember.Read.All` (or `Group.Read.All`).",
			},
			"all_users": listschema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "`true` lists the phones of every user of the tenant (`/users`). Needs `User.Read.All`. " +
					"Terraform stops at the list block's `limit` (default 100 results): raise it for a whole tenant.",
			},
		},
	}
}

// ValidateListResourceConfig wants exactly one selector, at plan time.
func (r *phoneAuthenticationMethodListResource) ValidateListResourceConfig(ctx context.Context, req list.ValidateConfigRequest, resp *list.ValidateConfigResponse) {
	var c phoneListConfig
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
				"all_users = false selects nothing. Set all_users = true to list every user's phones, or use user_ids or group_id instead.")
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

// userPhones is one user's phones, or why they could not be read.
type userPhones struct {
	user   graph.User
	phones []graph.PhoneMethod
	// err is a failure to read this user (or, with fromListing, to list
	// users at all).
	err         error
	fromListing bool
	// given is the user id as written in user_ids, for messages.
	given string
}

// List streams one result per phone, in the order Graph lists the users
// (user_ids: the order given), while up to listConcurrency users are read
// ahead.
func (r *phoneAuthenticationMethodListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var c phoneListConfig
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
		for up := range r.readUsers(ctx, c, given) {
			if up.err != nil {
				if graph.IsNotFound(up.err) && !up.fromListing && up.given == "" {
					continue // left the group or the tenant since it was listed
				}
				var d diag.Diagnostics
				d.AddError(r.failureSummary(c, up), r.failureDetail(c, up))
				push(list.ListResult{Diagnostics: d})
				return
			}
			for _, pm := range up.phones {
				if req.Limit > 0 && sent >= req.Limit {
					return
				}
				result := r.result(ctx, req, up.user, pm)
				sent++
				if !push(result) {
					return
				}
			}
		}
	}
}

// readUsers yields every selected user with their phones, in order. A
// producer lists (or takes) the users and starts one reader per user, at
// most listConcurrency at a time; the consumer takes them in order. An
// error ends the sequence after it is yielded.
func (r *phoneAuthenticationMethodListResource) readUsers(ctx context.Context, c phoneListConfig, given []string) iter.Seq[userPhones] {
	return func(yield func(userPhones) bool) {
		ctx, cancel := context.WithCancel(ctx)
		pending := make(chan chan userPhones, listConcurrency)
		producerDone := make(chan struct{})
		defer func() {
			cancel()
			for out := range pending {
				<-out // readers end promptly once ctx is cancelled
			}
			<-producerDone
		}()
		slots := make(chan struct{}, listConcurrency)
		start := func(read func(context.Context) userPhones) bool {
			out := make(chan userPhones, 1)
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
					if !start(func(ctx context.Context) userPhones { return r.readGivenUser(ctx, id) }) {
						return
					}
				}
			case !c.GroupID.IsNull():
				err = r.client.ListGroupUsers(ctx, c.GroupID.ValueString(), func(u graph.User) bool {
					return start(func(ctx context.Context) userPhones { return r.readUser(ctx, u) })
				})
			default:
				err = r.client.ListUsers(ctx, func(u graph.User) bool {
					return start(func(ctx context.Context) userPhones { return r.readUser(ctx, u) })
				})
			}
			if err != nil && ctx.Err() == nil {
				out := make(chan userPhones, 1)
				out <- userPhones{err: err, fromListing: true}
				select {
				case pending <- out:
				case <-ctx.Done():
				}
			}
		}()
		for {
			var out chan userPhones
			select {
			case o, ok := <-pending:
				if !ok {
					return
				}
				out = o
			case <-ctx.Done():
				yield(userPhones{err: ctx.Err(), fromListing: true})
				return
			}
			up := <-out
			if !yield(up) || up.err != nil {
				return
			}
		}
	}
}

// readUser reads the phones of a listed user.
func (r *phoneAuthenticationMethodListResource) readUser(ctx context.Context, u graph.User) userPhones {
	phones, err := r.client.ListPhoneMethods(ctx, u.ID)
	return userPhones{user: u, phones: sortedPhones(phones), err: err}
}

// readGivenUser resolves a user_ids entry to the user (so results name the
// object id, and the display name the UPN), then reads the phones.
func (r *phoneAuthenticationMethodListResource) readGivenUser(ctx context.Context, id string) userPhones {
	u, err := r.client.GetUser(ctx, id)
	if err != nil {
		return userPhones{err: err, given: id}
	}
	up := r.readUser(ctx, u)
	up.given = id
	return up
}

// sortedPhones orders a user's phones as phoneTypeValues lists the types,
// so results and generated configuration come in a stable order.
func sortedPhones(phones []graph.PhoneMethod) []graph.PhoneMethod {
	out := make([]graph.PhoneMethod, 0, len(phones))
	for _, t := range graph.PhoneTypes() {
		for _, pm := range phones {
			if pm.PhoneType == t {
				out = append(out, pm)
			}
		}
	}
	return out
}

// result is one phone as a list result: identity always, the full resource
// when Terraform asks for it (-generate-config-out).
func (r *phoneAuthenticationMethodListResource) result(ctx context.Context, req list.ListRequest, u graph.User, pm graph.PhoneMethod) list.ListResult {
	result := req.NewListResult(ctx)
	name := u.UserPrincipalName
	if name == "" {
		name = u.ID
	}
	result.DisplayName = name + " " + string(pm.PhoneType)
	m := phoneAuthenticationMethodModel{UserID: types.StringValue(u.ID), PhoneType: types.StringValue(string(pm.PhoneType))}
	result.Diagnostics.Append(setIdentity(ctx, result.Identity, m)...)
	if !req.IncludeResource {
		return result
	}
	m.applyMethod(pm)
	// Generated configuration manages SMS sign-in only where Graph has
	// it: the mobile. Elsewhere the attribute would be refused at plan time.
	m.SMSSignInEnabled = types.BoolNull()
	if pm.PhoneType == graph.PhoneTypeMobile {
		m.SMSSignInEnabled = smsSignInEnabledFromState(pm.SMSSignInState, types.BoolNull())
	}
	if phonenumber.IsMasked(pm.PhoneNumber) {
		result.Diagnostics.AddWarning("Phone number is masked",
			fmt.Sprintf("Graph returned user %q's %s number masked (%s): the identity Terraform runs as may read only masked numbers (the Authentication Administrator role sees full numbers only for some users). "+
				"Write the full number into the generated phone_number before applying.", name, pm.PhoneType, pm.PhoneNumber))
	}
	for _, a := range []struct {
		name  string
		value any
	}{
		{"id", m.ID}, {"user_id", m.UserID}, {"phone_type", m.PhoneType}, {"phone_number", m.PhoneNumber},
		{"sms_sign_in_enabled", m.SMSSignInEnabled}, {"method_id", m.MethodID}, {"sms_sign_in_state", m.SMSSignInState},
	} {
		result.Diagnostics.Append(result.Resource.SetAttribute(ctx, path.Root(a.name), a.value)...)
	}
	return result
}

func (r *phoneAuthenticationMethodListResource) failureSummary(c phoneListConfig, up userPhones) string {
	switch {
	case up.fromListing && !c.GroupID.IsNull():
		return "Cannot list the group's users"
	case up.fromListing:
		return "Cannot list the tenant's users"
	case up.given != "" && up.user.ID == "":
		return "Cannot read user"
	}
	return "Cannot list phone methods"
}

// failureDetail explains a failed listing, naming the permission a 403
// lacks: the listing needs a directory read permission besides the phone
// methods one.
func (r *phoneAuthenticationMethodListResource) failureDetail(c phoneListConfig, up userPhones) string {
	err := up.err
	switch {
	case graph.StopReasonOf(err) == graph.StoppedByDeadline || ctxErrIsDeadline(err):
		return fmt.Sprintf("The listing did not finish within %s: %s", listTimeout, err)
	case graph.StopReasonOf(err) == graph.StoppedByInterrupt:
		return fmt.Sprintf("The listing was interrupted: %s", err)
	}
	if up.fromListing {
		what, perm := "Listing the tenant's users", "User.Read.All (or User.ReadBasic.All, Directory.Read.All)"
		if !c.GroupID.IsNull() {
			what, perm = fmt.Sprintf("Listing the users of group %q", c.GroupID.ValueString()), "GroupMember.Read.All (or Group.Read.All, Directory.Read.All)"
		}
		detail := fmt.Sprintf("%s failed: %s", what, err)
		switch {
		case graph.IsForbidden(err):
			detail += fmt.Sprintf("\n\nThe identity Terraform runs as may not list them: this needs the application permission %s, besides UserAuthenticationMethod.Read.All for the phones.", perm) +
				forbiddenCredentialHint(r.client)
		case graph.IsNotFound(err) && !c.GroupID.IsNull():
			detail += fmt.Sprintf("\n\nCheck that group_id %q is the object id of a group of this tenant.", c.GroupID.ValueString())
		}
		return detail
	}
	if up.user.ID == "" {
		detail := fmt.Sprintf("Reading user %q failed: %s", up.given, err)
		switch {
		case graph.IsForbidden(err):
			detail += "\n\nThe identity Terraform runs as may not read users: user_ids needs the application permission User.Read.All (or User.ReadBasic.All, Directory.Read.All)." +
				forbiddenCredentialHint(r.client)
		case graph.IsNotFound(err):
			detail += fmt.Sprintf("\n\nCheck that %q is an existing user's object id or user principal name.", up.given)
		}
		return detail
	}
	return fmt.Sprintf("Reading the phone methods of user %q failed: %s%s", up.user.UserPrincipalName, err, graphHint(r.client, err, up.user.ID))
}

// ctxErrIsDeadline reports a context deadline that ended the listing
// between Graph calls.
func ctxErrIsDeadline(err error) bool {
	return errors.Is(err, context.DeadlineExceeded)
}
