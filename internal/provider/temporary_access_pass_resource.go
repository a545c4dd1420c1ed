package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
	"github.com/entraauth/terraform-provider-entraauth/internal/validators"
)

var (
	_ resource.ResourceWithConfigure      = (*temporaryAccessPassResource)(nil)
	_ resource.ResourceWithImportState    = (*temporaryAccessPassResource)(nil)
	_ resource.ResourceWithIdentity       = (*temporaryAccessPassResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*temporaryAccessPassResource)(nil)
	_ resource.ResourceWithValidateConfig = (*temporaryAccessPassResource)(nil)
)

// temporaryAccessPassResource is entraauth_temporary_access_pass: a pass
// issued to a user, typically to register a passkey or the Authenticator
// app without a password. Graph has no update: every input change issues a
// new pass.
type temporaryAccessPassResource struct {
	client *graph.Client
}

// NewTemporaryAccessPassResource returns the resource.
func NewTemporaryAccessPassResource() resource.Resource { return &temporaryAccessPassResource{} }

type temporaryAccessPassModel struct {
	ID                    types.String   `tfsdk:"id"`
	UserID                types.String   `tfsdk:"user_id"`
	LifetimeInMinutes     types.Int64    `tfsdk:"lifetime_in_minutes"`
	IsUsableOnce          types.Bool     `tfsdk:"is_usable_once"`
	StartDateTime         types.String   `tfsdk:"start_date_time"`
	ReissueWhenExpired    types.Bool     `tfsdk:"reissue_when_expired"`
	TemporaryAccessPass   types.String   `tfsdk:"temporary_access_pass"`
	MethodID              types.String   `tfsdk:"method_id"`
	CreatedDateTime       types.String   `tfsdk:"created_date_time"`
	IsUsable              types.Bool     `tfsdk:"is_usable"`
	MethodUsabilityReason types.String   `tfsdk:"method_usability_reason"`
	Timeouts              timeouts.Value `tfsdk:"timeouts"`
}

type temporaryAccessPassIdentity struct {
	UserID types.String `tfsdk:"user_id"`
	ID     types.String `tfsdk:"id"`
}

// tapPermissions is what a 403 on a Temporary Access Pass names.
const tapPermissions = "the application permission UserAuthenticationMethod.ReadWrite.All or UserAuthMethod-TAP.ReadWrite.All " +
	"(the Read.All variants for plans only), or, when signed in as a user, the Authentication Administrator or Privileged Authentication Administrator role"

// TAP lifetimes Graph accepts at all; the tenant's policy narrows them.
const (
	tapMinLifetime = 10
	tapMaxLifetime = 43200
)

var (
	pathTAPStart    = path.Root("start_date_time")
	pathTAPIsUsable = path.Root("is_usable")
)

func (r *temporaryAccessPassResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_temporary_access_pass"
}

func (r *temporaryAccessPassResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (r *temporaryAccessPassResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Issues a Temporary Access Pass to a Microsoft Entra ID user (Microsoft Graph `temporaryAccessPassAuthenticationMethod`): " +
			"a time-limited passcode with which the user signs in without a password, to register a passkey or the Microsoft Authenticator app. " +
			"The tenant's Temporary Access Pass policy (`entraauth_temporary_access_pass_authentication_method_policy`) must be enabled for the user, and sets the lifetimes allowed and the defaults. " +
			"Graph returns the pass once, when it is created: it is saved in the state (as the passwords of `azuread_application_password` are) and never shown in plan or apply output. " +
			"A user holds one pass: issuing one replaces the user's current pass. Graph cannot change a pass, so changing any argument issues a new one. Needs " + tapPermissions + ".",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The import id, `{user_id}/{method_id}`.",
				PlanModifiers:       keep,
			},
			"user_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The user's object id or user principal name, used as given. Changing it issues a pass to the new user and deletes the old user's pass.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{validators.UserID()},
			},
			"lifetime_in_minutes": schema.Int64Attribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: fmt.Sprintf("How long the pass is valid, in minutes (%d to %d; the tenant's policy allows a narrower range, by default 60 to 480). "+
					"Left out, Graph applies the policy's default lifetime, which the state then shows. Changing it issues a new pass.", tapMinLifetime, tapMaxLifetime),
				PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown(), int64planmodifier.RequiresReplace()},
				Validators:    []validator.Int64{int64validator.Between(tapMinLifetime, tapMaxLifetime)},
			},
			"is_usable_once": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Whether the pass works for one sign-in only. Left out, Graph applies the policy's setting, which the state then shows; " +
					"a policy that requires one-time passes refuses `false`. Changing it issues a new pass.",
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown(), boolplanmodifier.RequiresReplace()},
			},
			"start_date_time": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "When the pass becomes usable, in RFC 3339 (e.g. `2026-12-07T08:00:00Z`), for a new hire's first morning. " +
					"Left out, the pass is usable at once and the state shows Graph's start time. A time Graph returns spelled another way shows no difference. Changing it issues a new pass.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplaceIf(
					func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
						// The same instant spelled another way changes only the state.
						resp.RequiresReplace = !sameInstant(req.StateValue.ValueString(), req.PlanValue.ValueString())
					}, "Changing the instant issues a new pass; respelling the same instant does not.", "Changing the instant issues a new pass; respelling the same instant does not.")},
				Validators: []validator.String{rfc3339Validator{}},
			},
			"reissue_when_expired": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
				MarkdownDescription: "When `true`, a pass Graph reports as `Expired` is planned for replacement, so the next apply issues a new one " +
					"(for a new hire who did not sign in in time). A pass used up (`OneTimeUsed`), not yet valid or disabled by policy is left as it is. " +
					"Defaults to `false`: an expired or used pass stays in the state, plans nothing, and `terraform apply -replace=<address>` issues a new one. " +
					"Changing this setting changes only the state.",
			},
			"temporary_access_pass": schema.StringAttribute{
				Computed:  true,
				Sensitive: true,
				MarkdownDescription: "The pass, as Graph returned it when it was created. Sensitive: never shown in plan or apply output, but stored in the state in plain text, " +
					"like every secret a resource creates; hand it over through a sensitive output or a secret store, and protect the state. " +
					"Null after an import: Graph returns the pass only once.",
				PlanModifiers: keep,
			},
			"method_id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Graph's id of the pass.",
				PlanModifiers:       keep,
			},
			"created_date_time": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "When the pass was created, as Graph returns it.",
				PlanModifiers:       keep,
			},
			"is_usable": schema.BoolAttribute{
				Computed:            true,
				MarkdownDescription: "Whether the user can sign in with the pass now (Graph's `isUsable`), as of the last refresh.",
			},
			"method_usability_reason": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Why the pass is usable or not, as of the last refresh: `EnabledByPolicy`, `DisabledByPolicy` (the Temporary Access Pass policy is off), " +
					"`Expired`, `NotYetValid` (start_date_time is ahead) or `OneTimeUsed`.",
			},
		},
		Blocks: map[string]schema.Block{"timeouts": validators.TimeoutsBlock(timeouts.Block(ctx, timeouts.Opts{
			Create: true, Read: true, Delete: true,
			CreateDescription: durationDescription("create", defaultCreateTimeout),
			ReadDescription:   durationDescription("read", defaultReadTimeout),
			DeleteDescription: durationDescription("delete", defaultDeleteTimeout),
		}))},
	}
}

func (r *temporaryAccessPassResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"user_id": identityschema.StringAttribute{RequiredForImport: true, Description: "The user's object id or user principal name, as the resource's user_id."},
			"id":      identityschema.StringAttribute{RequiredForImport: true, Description: "Graph's id of the pass (the resource's method_id)."},
		},
	}
}

// ValidateConfig refuses a start time in the past at plan time: Graph would
// issue a pass whose lifetime already ran partly or wholly out.
func (r *temporaryAccessPassResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var start types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, pathTAPStart, &start)...)
	if resp.Diagnostics.HasError() || start.IsNull() || start.IsUnknown() {
		return
	}
	t, err := time.Parse(time.RFC3339, start.ValueString())
	if err == nil && t.Before(time.Now().Add(-24*time.Hour)) {
		resp.Diagnostics.AddAttributeWarning(pathTAPStart, "start_date_time is in the past",
			fmt.Sprintf("start_date_time %s is more than a day ago. A pass created now with it may already have expired; leave start_date_time out for a pass usable at once.", start.ValueString()))
	}
}

// ModifyPlan plans a new pass for an expired one when reissue_when_expired
// asks for it, and checks the sign-in as every resource does.
func (r *temporaryAccessPassResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	resp.Diagnostics.Append(checkSignInForPlan(ctx, r.client, req)...)
	if req.Plan.Raw.IsNull() || req.State.Raw.IsNull() {
		return
	}
	var plan, state temporaryAccessPassModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if plan.ReissueWhenExpired.ValueBool() && state.MethodUsabilityReason.ValueString() == graph.TAPExpired {
		// Terraform replaces only for an attribute whose planned value
		// differs: is_usable (false now) becomes unknown.
		plan.IsUsable = types.BoolUnknown()
		plan.MethodUsabilityReason = types.StringUnknown()
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		resp.RequiresReplace = append(resp.RequiresReplace, pathTAPIsUsable)
		return
	}
	// Nothing Graph holds changes in place: keep what the last refresh saw.
	plan.IsUsable, plan.MethodUsabilityReason = state.IsUsable, state.MethodUsabilityReason
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (r *temporaryAccessPassResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan temporaryAccessPassModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, timeout, ok := operationContext(ctx, plan.Timeouts.Create, defaultCreateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	userID := plan.UserID.ValueString()
	var in graph.TAPRequest
	if v := plan.LifetimeInMinutes; !v.IsNull() && !v.IsUnknown() {
		n := v.ValueInt64()
		in.LifetimeInMinutes = &n
	}
	if v := plan.IsUsableOnce; !v.IsNull() && !v.IsUnknown() {
		b := v.ValueBool()
		in.IsUsableOnce = &b
	}
	if v := plan.StartDateTime; !v.IsNull() && !v.IsUnknown() {
		t, err := time.Parse(time.RFC3339, v.ValueString())
		if err != nil {
			resp.Diagnostics.AddAttributeError(pathTAPStart, "Invalid start_date_time", err.Error())
			return
		}
		in.StartDateTime = &t
	}
	created, err := r.client.CreateTemporaryAccessPass(ctx, userID, in)
	if err != nil {
		resp.Diagnostics.Append(tapCreateFailed(r.client, userID, in, timeout, err)...)
		return
	}
	state := plan
	state.applyPass(created.TemporaryAccessPass, plan.StartDateTime)
	state.TemporaryAccessPass = types.StringValue(created.Pass)
	resp.Diagnostics.Append(setIdentityOf(ctx, resp.Identity, temporaryAccessPassIdentity{UserID: plan.UserID, ID: state.MethodID})...)
	switch {
	case created.Replaced != nil:
		resp.Diagnostics.AddWarning("Replaced the user's Temporary Access Pass",
			fmt.Sprintf("User %q had a Temporary Access Pass (id %s, created %s, %s); a user holds one, so the new pass replaces it and the old one no longer works.",
				userID, created.Replaced.ID, created.Replaced.CreatedDateTime, usabilityText(created.Replaced.IsUsable, created.Replaced.MethodUsabilityReason)))
	case created.How == graph.TAPReissuedLost:
		resp.Diagnostics.AddWarning("Issued the pass again",
			fmt.Sprintf("Microsoft Graph's answer to the first request for user %q's pass was lost, so nobody saw that pass; it was deleted and a new one issued.", userID))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func usabilityText(usable bool, reason string) string {
	if usable {
		return "usable"
	}
	return "not usable: " + reason
}

// tapCreateFailed explains a pass Graph did not issue; nothing was left in
// Graph or the state.
func tapCreateFailed(c *graph.Client, userID string, in graph.TAPRequest, timeout time.Duration, err error) diag.Diagnostics {
	var refused *graph.TAPRefusedError
	var unknown *graph.UnknownTAPCreateError
	policyRef := "entraauth_temporary_access_pass_authentication_method_policy"
	switch {
	case errors.As(err, &unknown):
		stop := graph.StopReasonOf(err)
		outcome := "Every pass Graph showed that the user did not have before was deleted (nobody has seen it), and nothing is saved in the state. Apply again to issue one: a pass Graph showed only later is replaced by it."
		if !unknown.Cleaned {
			outcome = fmt.Sprintf("Whether Microsoft Graph created a pass could not be checked (%s). Nothing is saved in the state; the next apply issues a new pass, which replaces any pass left behind.", unknown.CheckErr)
		}
		return errDiags(endedSummary(stop, "creating Temporary Access Pass"),
			endedDetail(stop, fmt.Sprintf("Issuing a Temporary Access Pass to user %q", userID), "create", timeout, outcome, unknown.Err))
	case errors.As(err, &refused):
		var why string
		switch lo, hi, ok := refused.LifetimeRange(); {
		case refused.Policy != nil && !strings.EqualFold(refused.PolicyState(), "enabled"):
			why = fmt.Sprintf("The tenant's Temporary Access Pass policy is %q: no pass can be issued until it is enabled. Enable it with %s (state = \"enabled\", and include_targets naming this user or all_users).",
				refused.PolicyState(), policyRef)
		case refused.LifetimeOutside():
			why = fmt.Sprintf("lifetime_in_minutes = %d is outside the range the tenant's Temporary Access Pass policy allows, %d to %d minutes. Choose a lifetime in that range, or widen minimum_lifetime_in_minutes / maximum_lifetime_in_minutes in %s.",
				*in.LifetimeInMinutes, lo, hi, policyRef)
		case refused.MultiUseRefused():
			why = fmt.Sprintf("is_usable_once = false, but the tenant's Temporary Access Pass policy requires one-time passes. Leave is_usable_once out (or set it to true), or set is_usable_once = false in %s.", policyRef)
		case refused.TargetingKnown && !refused.Targeted:
			why = fmt.Sprintf("The tenant's Temporary Access Pass policy is enabled but does not target this user: the user is in none of its include_targets, or in one of its exclude_targets. "+
				"Add the user (or a group of theirs) to include_targets of %s, or take them out of exclude_targets.", policyRef)
		case ok:
			why = fmt.Sprintf("The tenant's Temporary Access Pass policy is enabled and allows %d to %d minutes. Graph refuses a pass when the policy does not target the user "+
				"(check include_targets and exclude_targets of %s: the user must be in an included group, or all_users, and in no excluded group; "+
				"whether it does could not be read here), and in some tenants while the user already has a pass (delete it, then apply again).", lo, hi, policyRef)
		default:
			why = fmt.Sprintf("Graph refuses a pass when the tenant's Temporary Access Pass policy (%s) is off or does not target the user, when the lifetime is outside the policy's range, "+
				"and in some tenants while the user already has a pass. The policy could not be read to tell which (%s): "+
				"the permission Policy.Read.AuthenticationMethod (or Policy.Read.All) lets the provider say.", policyRef, refused.PolicyErr)
		}
		return errDiags("Microsoft Graph refused the Temporary Access Pass",
			fmt.Sprintf("Issuing a Temporary Access Pass to user %q was refused: %s\n\n%s\n\nNothing was created, and the user's existing pass, if any, is unchanged.", userID, refused.Err, why))
	}
	hint := graphHint(c, err, userID)
	if graph.IsForbidden(err) {
		hint = "\n\nThe identity Terraform runs as lacks permission: it needs " + tapPermissions + ". Graph also refuses an administrator issuing a pass to themselves." + forbiddenCredentialHint(c)
	}
	return errDiags("Cannot create Temporary Access Pass",
		fmt.Sprintf("Issuing a Temporary Access Pass to user %q failed: %s%s", userID, err, hint))
}

func (r *temporaryAccessPassResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state temporaryAccessPassModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, timeout, ok := operationContext(ctx, state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	resp.Diagnostics.Append(setIdentityOf(ctx, resp.Identity, temporaryAccessPassIdentity{UserID: state.UserID, ID: state.MethodID})...)
	userID, id := state.UserID.ValueString(), state.MethodID.ValueString()
	retries := 0
	if state.CreatedDateTime.IsNull() || recentlyCreated(state.CreatedDateTime.ValueString()) {
		// Just created (or imported): Graph may not show it yet.
		retries = graph.ReadAfterWriteRetries
	}
	t, err := r.client.GetTemporaryAccessPass(ctx, userID, id, retries)
	switch stop := graph.StopReasonOf(err); {
	case graph.IsNotFound(err) && !graph.IsUserNotFound(err):
		// Deleted outside Terraform, or replaced by another pass: the next
		// plan issues one again.
		resp.State.RemoveResource(ctx)
		return
	case err != nil && stop != graph.StoppedByAnswer:
		resp.Diagnostics.AddError(endedSummary(stop, "reading Temporary Access Pass"),
			endedDetail(stop, fmt.Sprintf("Reading the Temporary Access Pass of user %q", userID), "read", timeout,
				"Nothing was changed in Microsoft Graph, and the state keeps what it held before this read.", err))
		return
	case err != nil:
		hint := graphHint(r.client, err, userID)
		if graph.IsForbidden(err) {
			hint = "\n\nThe identity Terraform runs as lacks permission: it needs " + tapPermissions + "." + forbiddenCredentialHint(r.client)
		}
		resp.Diagnostics.AddError("Cannot read Temporary Access Pass",
			fmt.Sprintf("Reading the Temporary Access Pass %s of user %q failed: %s%s", id, userID, err, hint))
		return
	}
	// Graph returns the pass as null: the state keeps the one from create.
	state.applyPass(*t, state.StartDateTime)
	if state.ReissueWhenExpired.IsNull() {
		state.ReissueWhenExpired = types.BoolValue(false) // imported
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// recentlyCreated reports a pass created less than a minute ago, whose
// read may still meet Graph's replication lag.
func recentlyCreated(created string) bool {
	t, err := time.Parse(time.RFC3339Nano, created)
	return err == nil && time.Since(t) < time.Minute
}

// Update changes only what Graph does not hold (reissue_when_expired,
// timeouts, the spelling of start_date_time): every other change replaces
// the pass.
func (r *temporaryAccessPassResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state temporaryAccessPassModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	state.ReissueWhenExpired = plan.ReissueWhenExpired
	state.Timeouts = plan.Timeouts
	if !plan.StartDateTime.IsUnknown() && !plan.StartDateTime.IsNull() {
		state.StartDateTime = plan.StartDateTime // the same instant, respelled
	}
	resp.Diagnostics.Append(setIdentityOf(ctx, resp.Identity, temporaryAccessPassIdentity{UserID: state.UserID, ID: state.MethodID})...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *temporaryAccessPassResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state temporaryAccessPassModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, timeout, ok := operationContext(ctx, state.Timeouts.Delete, defaultDeleteTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	userID := state.UserID.ValueString()
	how, err := r.client.DeleteTemporaryAccessPass(ctx, userID, state.MethodID.ValueString())
	if err == nil {
		return
	}
	if how == 0 {
		resp.Diagnostics.AddError("Cannot delete Temporary Access Pass",
			fmt.Sprintf("Deleting the Temporary Access Pass of user %q failed: %s%s", userID, err, graphHint(r.client, err, userID)))
		return
	}
	resp.Diagnostics.Append(userMethodDeleteEnded(fmt.Sprintf("the Temporary Access Pass of user %q", userID), "Temporary Access Pass", timeout, how.Applied(), nil, err)...)
}

// ImportState takes "{user_id}/{method_id}" or an identity. The pass itself
// cannot be imported: Graph returns it only when it is created.
func (r *temporaryAccessPassResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	userID, id := "", ""
	if req.ID == "" && req.Identity != nil {
		var ident temporaryAccessPassIdentity
		resp.Diagnostics.Append(req.Identity.Get(ctx, &ident)...)
		if resp.Diagnostics.HasError() {
			return
		}
		userID, id = ident.UserID.ValueString(), ident.ID.ValueString()
	} else {
		i := strings.LastIndex(req.ID, "/")
		if i > 0 {
			userID, id = req.ID[:i], req.ID[i+1:]
		}
	}
	problem := ""
	switch {
	case userID == "" || id == "":
		problem = fmt.Sprintf("%q is not {user_id}/{method_id}", req.ID)
	case validators.UserIDProblem(userID) != "":
		problem = fmt.Sprintf("user_id %q is not valid: %s", userID, validators.UserIDProblem(userID))
	case !guidPattern.MatchString(id):
		problem = fmt.Sprintf("method_id %q is not a GUID", id)
	}
	if problem != "" {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("%s. The import id of a Temporary Access Pass is {user_id}/{method_id}, for example adele@contoso.com/00000000-0000-0000-0000-0000000000aa; "+
				"the method id is in the output of the entraauth_user_authentication_methods data source or `terraform query`.", problem))
		return
	}
	resp.Diagnostics.Append(setIdentityOf(ctx, resp.Identity, temporaryAccessPassIdentity{UserID: types.StringValue(userID), ID: types.StringValue(id)})...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), userID+"/"+id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("user_id"), userID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("method_id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("reissue_when_expired"), false)...)
}

// applyPass sets what Graph shows of a pass; a start time Graph spells
// another way than the configuration keeps the configured spelling.
func (m *temporaryAccessPassModel) applyPass(t graph.TemporaryAccessPass, configuredStart types.String) {
	m.MethodID = types.StringValue(t.ID)
	m.ID = types.StringValue(m.UserID.ValueString() + "/" + t.ID)
	m.LifetimeInMinutes = types.Int64Value(t.LifetimeInMinutes)
	m.IsUsableOnce = types.BoolValue(t.IsUsableOnce)
	m.IsUsable = types.BoolValue(t.IsUsable)
	m.MethodUsabilityReason = types.StringValue(t.MethodUsabilityReason)
	m.CreatedDateTime = types.StringValue(t.CreatedDateTime)
	start := t.StartDateTime
	if !configuredStart.IsNull() && !configuredStart.IsUnknown() && sameInstant(configuredStart.ValueString(), start) {
		start = configuredStart.ValueString()
	}
	m.StartDateTime = types.StringValue(start)
	if m.TemporaryAccessPass.IsUnknown() {
		m.TemporaryAccessPass = types.StringNull()
	}
}

// sameInstant reports two RFC 3339 times that name the same instant.
func sameInstant(a, b string) bool {
	ta, err1 := time.Parse(time.RFC3339Nano, a)
	tb, err2 := time.Parse(time.RFC3339Nano, b)
	return err1 == nil && err2 == nil && ta.Equal(tb)
}

// rfc3339Validator accepts an RFC 3339 time such as 2026-12-07T08:00:00Z.
type rfc3339Validator struct{}

func (rfc3339Validator) Description(ctx context.Context) string {
	return rfc3339Validator{}.MarkdownDescription(ctx)
}

func (rfc3339Validator) MarkdownDescription(context.Context) string {
	return "value must be an RFC 3339 time such as 2026-12-07T08:00:00Z"
}

func (rfc3339Validator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	v := req.ConfigValue.ValueString()
	if _, err := time.Parse(time.RFC3339, v); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid time",
			fmt.Sprintf("%q is not an RFC 3339 time: use a date, time and offset such as \"2026-12-07T08:00:00Z\" or \"2026-12-07T09:00:00+01:00\".", v))
	}
}
