package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
	"github.com/entraauth/terraform-provider-entraauth/internal/validators"
)

var (
	_ resource.ResourceWithConfigure   = (*emailAuthenticationMethodResource)(nil)
	_ resource.ResourceWithImportState = (*emailAuthenticationMethodResource)(nil)
	_ resource.ResourceWithIdentity    = (*emailAuthenticationMethodResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*emailAuthenticationMethodResource)(nil)
)

// emailAuthenticationMethodResource is entraauth_email_authentication_method:
// the one email address a user can have for self-service password reset.
type emailAuthenticationMethodResource struct {
	client *graph.Client
}

// NewEmailAuthenticationMethodResource returns the resource.
func NewEmailAuthenticationMethodResource() resource.Resource {
	return &emailAuthenticationMethodResource{}
}

type emailAuthenticationMethodModel struct {
	ID           types.String   `tfsdk:"id"`
	UserID       types.String   `tfsdk:"user_id"`
	EmailAddress types.String   `tfsdk:"email_address"`
	MethodID     types.String   `tfsdk:"method_id"`
	Timeouts     timeouts.Value `tfsdk:"timeouts"`
}

type emailAuthenticationMethodIdentity struct {
	UserID types.String `tfsdk:"user_id"`
}

var pathEmailAddress = path.Root("email_address")

// emailPermissions is what a 403 on an email method names.
const emailPermissions = "the application permission UserAuthenticationMethod.ReadWrite.All or UserAuthMethod-Email.ReadWrite.All " +
	"(the Read.All variants for plans only), or, when signed in as a user, the Authentication Administrator role"

func (r *emailAuthenticationMethodResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_email_authentication_method"
}

func (r *emailAuthenticationMethodResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (r *emailAuthenticationMethodResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages the email authentication method of a Microsoft Entra ID user (Microsoft Graph `emailAuthenticationMethod`): " +
			"the address to which self-service password reset sends its one-time codes. A user has at most one; it is not a sign-in method. " +
			"Changing the address is one `PATCH` in place. Needs " + emailPermissions + ".",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The import id: the user_id.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"user_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The user's object id or user principal name, used as given. Changing it replaces the resource.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{validators.UserID()},
			},
			"email_address": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The email address, e.g. `" + validators.EmailAddressExample + "`. Checked at plan time. Changed in place. " +
					"Compared case-insensitively, as Entra compares addresses: an address Graph returns in another case shows no difference, " +
					"and changing only the case in the configuration changes only the state, with no request to Graph.",
				Validators: []validator.String{validators.EmailAddress()},
			},
			"method_id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Graph's id of the email method (`" + graph.EmailMethodID + "` for every user).",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{"timeouts": validators.TimeoutsBlock(timeouts.Block(ctx, timeouts.Opts{
			Create: true, Read: true, Update: true, Delete: true,
			CreateDescription: durationDescription("create", defaultCreateTimeout),
			ReadDescription:   durationDescription("read", defaultReadTimeout),
			UpdateDescription: durationDescription("update", defaultUpdateTimeout),
			DeleteDescription: durationDescription("delete", defaultDeleteTimeout),
		}))},
	}
}

func (r *emailAuthenticationMethodResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"user_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The user's object id or user principal name, as the resource's user_id.",
			},
		},
	}
}

// ModifyPlan checks the sign-in at plan time (as every resource does) and
// keeps the state's spelling of an address that changes only in case.
func (r *emailAuthenticationMethodResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	resp.Diagnostics.Append(checkSignInForPlan(ctx, r.client, req)...)
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan emailAuthenticationMethodModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.UserID.IsUnknown() {
		plan.ID = plan.UserID
	}
	if plan.MethodID.IsUnknown() {
		plan.MethodID = types.StringValue(graph.EmailMethodID)
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (r *emailAuthenticationMethodResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan emailAuthenticationMethodModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, timeout, ok := operationContext(ctx, plan.Timeouts.Create, defaultCreateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	userID, address := plan.UserID.ValueString(), plan.EmailAddress.ValueString()
	resp.Diagnostics.Append(setIdentityOf(ctx, resp.Identity, emailAuthenticationMethodIdentity{UserID: plan.UserID})...)

	created, err := r.client.CreateEmailMethod(ctx, userID, address)
	var different *graph.DifferentEmailError
	var unconfirmed *graph.UnconfirmedCreateError
	switch stop := graph.StopReasonOf(err); {
	case errors.As(err, &different):
		resp.Diagnostics.AddAttributeError(pathEmailAddress, "Email method already exists",
			fmt.Sprintf("User %q already has an email method, with the address %q, not %q. A user can have only one.\n\n"+
				"To manage the existing one with Terraform, import it, then set email_address to the address you want:\n  terraform import <resource address> %q\n"+
				"or an import block with id = %q.\n\nMicrosoft Graph: %s", userID, different.Existing.EmailAddress, address, userID, userID, different.Err))
		return
	case errors.As(err, &unconfirmed):
		resp.Diagnostics.AddError(endedSummary(stop, "creating email method"),
			endedDetail(stop, fmt.Sprintf("Creating the email method of user %q", userID), "create", timeout,
				"Whether Microsoft Graph applied it could not be checked ("+unconfirmed.CheckErr.Error()+"). Nothing is saved in the state; "+
					"the next apply adopts the email method if Graph holds it with this address.", unconfirmed.Err))
		return
	case err != nil && created == nil && stop != graph.StoppedByAnswer:
		resp.Diagnostics.AddError(endedSummary(stop, "creating email method"),
			endedDetail(stop, fmt.Sprintf("Creating the email method of user %q", userID), "create", timeout,
				"Microsoft Graph does not hold it: nothing was created, and nothing is saved in the state.", err))
		return
	case err != nil && created == nil:
		resp.Diagnostics.AddAttributeError(pathEmailAddress, "Cannot create email method",
			fmt.Sprintf("Adding the email address %q to user %q failed: %s%s", address, userID, err, emailHint(r.client, err, userID)))
		return
	}
	state := plan
	state.ID = plan.UserID
	state.MethodID = types.StringValue(created.ID)
	state.EmailAddress = types.StringValue(emailForState(address, created.EmailAddress))
	resp.Diagnostics.Append(markRecentWrite(ctx, resp.Private, time.Now())...)
	if err != nil {
		// Stopped, yet Graph holds it: saved with the error, so Terraform
		// taints it rather than losing track of it.
		resp.Diagnostics.AddError(endedSummary(graph.StopReasonOf(err), "creating email method"),
			endedDetail(graph.StopReasonOf(err), fmt.Sprintf("Creating the email method of user %q", userID), "create", timeout,
				"Microsoft Graph did apply it: the email method exists with this address and is saved in the state. "+untaintHint, err))
	}
	if created.How == graph.AdoptedExisting {
		resp.Diagnostics.AddWarning("Adopted an existing email method",
			fmt.Sprintf("User %q already had an email method with the address %q; Terraform now manages it, and destroying this resource deletes it.", userID, created.EmailAddress))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *emailAuthenticationMethodResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state emailAuthenticationMethodModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, timeout, ok := operationContext(ctx, state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	resp.Diagnostics.Append(setIdentityOf(ctx, resp.Identity, emailAuthenticationMethodIdentity{UserID: state.UserID})...)
	userID := state.UserID.ValueString()
	retries := 0
	var expected func(graph.EmailMethod) bool
	if wroteRecently(ctx, req.Private, time.Now()) {
		// Graph may not show the write just made yet.
		retries = graph.ReadAfterWriteRetries
		expected = func(m graph.EmailMethod) bool {
			return graph.SameEmail(m.EmailAddress, state.EmailAddress.ValueString())
		}
	}
	m, err := r.client.GetEmailMethod(ctx, userID, retries, expected)
	switch stop := graph.StopReasonOf(err); {
	case graph.IsNotFound(err) && !graph.IsUserNotFound(err):
		resp.State.RemoveResource(ctx)
		return
	case err != nil && stop != graph.StoppedByAnswer:
		resp.Diagnostics.AddError(endedSummary(stop, "reading email method"),
			endedDetail(stop, fmt.Sprintf("Reading the email method of user %q", userID), "read", timeout,
				"Nothing was changed in Microsoft Graph, and the state keeps what it held before this read.", err))
		return
	case err != nil:
		resp.Diagnostics.AddError("Cannot read email method",
			fmt.Sprintf("Reading the email method of user %q failed: %s%s", userID, err, emailHint(r.client, err, userID)))
		return
	}
	state.ID = state.UserID
	state.MethodID = types.StringValue(m.ID)
	state.EmailAddress = types.StringValue(emailForState(state.EmailAddress.ValueString(), m.EmailAddress))
	resp.Diagnostics.Append(clearRecentWrite(ctx, resp.Private)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *emailAuthenticationMethodResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state emailAuthenticationMethodModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, timeout, ok := operationContext(ctx, plan.Timeouts.Update, defaultUpdateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	resp.Diagnostics.Append(setIdentityOf(ctx, resp.Identity, emailAuthenticationMethodIdentity{UserID: state.UserID})...)
	next := plan
	next.ID, next.MethodID = state.UserID, state.MethodID
	userID, address := state.UserID.ValueString(), plan.EmailAddress.ValueString()
	if graph.SameEmail(address, state.EmailAddress.ValueString()) {
		// Only the case (or only timeouts) changed: nothing to send.
		resp.Diagnostics.Append(resp.State.Set(ctx, &next)...)
		return
	}
	up, err := r.client.UpdateEmailMethod(ctx, userID, state.MethodID.ValueString(), address)
	if err != nil && up == nil {
		detail := fmt.Sprintf("Changing the email method of user %q to %q failed: %s", userID, address, err)
		if graph.IsNotFound(err) && !graph.IsUserNotFound(err) {
			detail += "\n\nThe email method no longer exists in Graph; run terraform apply again to create it."
		} else {
			detail += emailHint(r.client, err, userID)
		}
		resp.Diagnostics.AddAttributeError(pathEmailAddress, "Cannot update email method", detail)
		return
	}
	if err != nil {
		// Stopped (deadline or interrupt): the graph layer read back what
		// Graph holds, and the state says exactly that.
		stop := graph.StopReasonOf(err)
		var outcome string
		switch up.How.Applied() {
		case graph.WriteApplied:
			outcome = "Microsoft Graph did apply it: the state holds the new address."
		case graph.WriteNotApplied:
			outcome = fmt.Sprintf("Microsoft Graph did not apply it: it holds %q, which the state keeps; the next apply tries again.", up.Method.EmailAddress)
			next.EmailAddress = types.StringValue(emailForState(state.EmailAddress.ValueString(), up.Method.EmailAddress))
		default:
			outcome = fmt.Sprintf("Whether Microsoft Graph applied it could not be checked (%s); the state keeps the old address, and the next plan reads Graph and shows any change still needed.", up.ReadErr)
			next.EmailAddress = state.EmailAddress
		}
		resp.Diagnostics.AddAttributeError(pathEmailAddress, endedSummary(stop, "updating email method"),
			endedDetail(stop, fmt.Sprintf("Changing the email method of user %q", userID), "update", timeout, outcome, err))
		resp.Diagnostics.Append(resp.State.Set(ctx, &next)...)
		return
	}
	if up.Read {
		next.EmailAddress = types.StringValue(emailForState(address, up.Method.EmailAddress))
	}
	resp.Diagnostics.Append(markRecentWrite(ctx, resp.Private, time.Now())...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &next)...)
}

func (r *emailAuthenticationMethodResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state emailAuthenticationMethodModel
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
	deleted, err := r.client.DeleteEmailMethod(ctx, userID, state.MethodID.ValueString())
	if err == nil {
		return
	}
	if deleted == nil {
		resp.Diagnostics.AddError("Cannot delete email method",
			fmt.Sprintf("Deleting the email method of user %q failed: %s%s", userID, err, emailHint(r.client, err, userID)))
		return
	}
	resp.Diagnostics.Append(userMethodDeleteEnded(fmt.Sprintf("the email method of user %q", userID), "email method", timeout, deleted.How.Applied(), deleted.ReadErr, err)...)
}

// ImportState takes the user id, or an identity; Read fills in the rest and
// fails the import when the user has no email method.
func (r *emailAuthenticationMethodResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	userID := req.ID
	if req.ID == "" && req.Identity != nil {
		var id emailAuthenticationMethodIdentity
		resp.Diagnostics.Append(req.Identity.Get(ctx, &id)...)
		if resp.Diagnostics.HasError() {
			return
		}
		userID = id.UserID.ValueString()
	}
	if problem := validators.UserIDProblem(userID); problem != "" {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("%q is not a user id: %s. The import id of an email method is the user's id: %s, for example terraform import <resource address> adele@contoso.com.",
				userID, problem, validators.UserIDExamples))
		return
	}
	resp.Diagnostics.Append(setIdentityOf(ctx, resp.Identity, emailAuthenticationMethodIdentity{UserID: types.StringValue(userID)})...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), userID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("user_id"), userID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("method_id"), graph.EmailMethodID)...)
}

// emailForState keeps the configured (or stored) spelling of an address
// Graph returns in another case, and Graph's address otherwise (drift).
func emailForState(known, fromGraph string) string {
	if known != "" && graph.SameEmail(known, fromGraph) {
		return known
	}
	return fromGraph
}

// emailHint says what to check for a refusal about the caller or the user.
func emailHint(c *graph.Client, err error, userID string) string {
	if graph.IsForbidden(err) {
		return "\n\nThe identity Terraform runs as lacks permission: it needs " + emailPermissions + "." + forbiddenCredentialHint(c)
	}
	return graphHint(c, err, userID)
}

// setIdentityOf stores v as the resource identity when Terraform asks for
// one (1.12+); older Terraform sends none to set.
func setIdentityOf(ctx context.Context, to *tfsdk.ResourceIdentity, v any) diag.Diagnostics {
	if to == nil {
		return nil
	}
	return to.Set(ctx, v)
}

// userMethodDeleteEnded explains a delete of a user's method (what, e.g.
// `the email method of user "adele@..."`; noun, e.g. "email method") that
// stopped by its deadline or an interrupt, with what Graph holds now.
func userMethodDeleteEnded(what, noun string, timeout time.Duration, applied graph.Applied, readErr, err error) diag.Diagnostics {
	var outcome string
	switch applied {
	case graph.WriteApplied:
		outcome = fmt.Sprintf("Microsoft Graph did apply the delete: the %s is gone. The next plan or apply finds it gone and drops it from the state.", noun)
	case graph.WriteNotApplied:
		outcome = fmt.Sprintf("Microsoft Graph still has the %s. Run terraform apply (or destroy) again to delete it.", noun)
	default:
		why := ""
		if readErr != nil {
			why = " (" + readErr.Error() + ")"
		}
		outcome = fmt.Sprintf("Whether Microsoft Graph applied the delete could not be checked%s. The next plan or apply reads Graph and deletes the %s only if it is still there.", why, noun)
	}
	stop := graph.StopReasonOf(err)
	return errDiags(endedSummary(stop, "deleting "+noun), endedDetail(stop, "Deleting "+what, "delete", timeout, outcome, err))
}
