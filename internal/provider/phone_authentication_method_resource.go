package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entraauth/terraform-provider-entraauth/internal/coordination"
	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
	"github.com/entraauth/terraform-provider-entraauth/internal/phonenumber"
	"github.com/entraauth/terraform-provider-entraauth/internal/validators"
)

var (
	_ resource.Resource                   = (*phoneAuthenticationMethodResource)(nil)
	_ resource.ResourceWithConfigure      = (*phoneAuthenticationMethodResource)(nil)
	_ resource.ResourceWithImportState    = (*phoneAuthenticationMethodResource)(nil)
	_ resource.ResourceWithValidateConfig = (*phoneAuthenticationMethodResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*phoneAuthenticationMethodResource)(nil)
)

// Default operation time limits; the timeouts block overrides them. They
// bound Graph retries and the ordering waits (alternateMobile for mobile).
const (
	defaultCreateTimeout = 5 * time.Minute
	defaultReadTimeout   = 2 * time.Minute
	defaultUpdateTimeout = 5 * time.Minute
	defaultDeleteTimeout = 5 * time.Minute
)

// phoneAuthenticationMethodResource is entraauth_phone_authentication_method.
type phoneAuthenticationMethodResource struct {
	client *graph.Client
	// coord is shared by every resource of the provider process: aliases of
	// one tenant get separate clients but must see each other's writes.
	coord *coordination.Coordinator
}

// NewPhoneAuthenticationMethodResource returns the resource.
func NewPhoneAuthenticationMethodResource() resource.Resource {
	return &phoneAuthenticationMethodResource{coord: coordination.Default}
}

// phoneAuthenticationMethodModel is the resource's state and plan.
type phoneAuthenticationMethodModel struct {
	ID               types.String   `tfsdk:"id"`
	UserID           types.String   `tfsdk:"user_id"`
	PhoneType        types.String   `tfsdk:"phone_type"`
	PhoneNumber      types.String   `tfsdk:"phone_number"`
	SMSSignInEnabled types.Bool     `tfsdk:"sms_sign_in_enabled"`
	MethodID         types.String   `tfsdk:"method_id"`
	SMSSignInState   types.String   `tfsdk:"sms_sign_in_state"`
	Timeouts         timeouts.Value `tfsdk:"timeouts"`
}

var (
	pathPhoneType        = path.Root("phone_type")
	pathPhoneNumber      = path.Root("phone_number")
	pathSMSSignInEnabled = path.Root("sms_sign_in_enabled")
)

func (r *phoneAuthenticationMethodResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_phone_authentication_method"
}

func (r *phoneAuthenticationMethodResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

// phoneTypeValues is the one list of allowed phone types, used by the
// validators and the descriptions.
var phoneTypeValues = graph.PhoneTypeNames()

func (r *phoneAuthenticationMethodResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	timeoutsBlock := timeouts.Block(ctx, timeouts.Opts{
		Create: true, Read: true, Update: true, Delete: true,
		CreateDescription: durationDescription("create, including waiting for the user's mobile phone before an alternateMobile", defaultCreateTimeout),
		ReadDescription:   durationDescription("read", defaultReadTimeout),
		UpdateDescription: durationDescription("update", defaultUpdateTimeout),
		DeleteDescription: durationDescription("delete, including waiting for the user's alternateMobile to be removed before the mobile", defaultDeleteTimeout),
	})
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages one phone authentication method of a Microsoft Entra ID user (Microsoft Graph `phoneAuthenticationMethod`): " +
			"the user's `mobile`, `alternateMobile` or `office` phone, and whether the mobile number may be used for SMS sign-in.\n\n" +
			"`sms_sign_in_enabled` is read from Graph's `smsSignInState` with this table:\n\n" + smsSignInStateMarkdownTable(),
		Attributes: map[string]schema.Attribute{
			// id and method_id follow from user_id and phone_type: ModifyPlan
			// sets them in the plan, so no UseStateForUnknown is needed.
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The import id, `{user_id}/{phone_type}`.",
			},
			"user_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The user's object id or user principal name, used as given. Changing it replaces the resource.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{validators.UserID()},
			},
			"phone_type": schema.StringAttribute{
				Required: true,
				MarkdownDescription: fmt.Sprintf("The kind of phone: one of %s. A user has at most one phone of each type; `alternateMobile` needs the user's `mobile`. "+
					"Graph cannot change a phone's type, so changing it replaces the resource.", quoteList(phoneTypeValues)),
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:    []validator.String{stringvalidator.OneOf(phoneTypeValues...)},
			},
			"phone_number": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: phoneNumberDescription,
				Validators:          []validator.String{validators.PhoneNumber()},
			},
			// Optional+Computed: left out, the plan keeps the state's value (no
			// diff, no call), while import still fills it from Graph so
			// ImportStateVerify and import blocks see the same value as apply.
			"sms_sign_in_enabled": schema.BoolAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: smsSignInEnabledDescription,
			},
			"method_id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Graph's id of the phone method; it is fixed per phone type and the same for every user.",
			},
			"sms_sign_in_state": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: fmt.Sprintf("Graph's `smsSignInState` of the phone: one of %s.", quoteList(smsSignInStates())),
			},
		},
		Blocks: map[string]schema.Block{"timeouts": validators.TimeoutsBlock(timeoutsBlock)},
	}
}

var phoneNumberDescription = "The phone number: " + phonenumber.Rule +
	". For example `" + phonenumber.Example + "`, `+15555551234`, `+1 (555) 555-1234`, `+44 20 7946 0958` or `+1 555-555-1234 ext. 123`. " +
	"Checked at plan time. Changed in place. Graph is sent the canonical form `+{country code} {number}x{extension}` (e.g. `" + phonenumber.ExampleWithExtension + "`) and the state keeps your spelling; " +
	"numbers are compared by country code, digits and extension, so a number Graph returns spelled another way (e.g. `+1 555-555-1234`) shows no difference, " +
	"and respelling the same number in the configuration changes only the state, with no request to Graph."

var smsSignInEnabledDescription = "Whether the `mobile` number may be used for SMS sign-in: `true` calls `enableSmsSignIn`, `false` calls `disableSmsSignIn`, " +
	"after create and whenever the value or the number changes. Only allowed with `phone_type = \"mobile\"`. " +
	"Leave it out to not manage SMS sign-in: the provider then makes no call for it and never shows a difference, and the attribute only reports Graph's state " +
	"(read from `sms_sign_in_state` with the table above). Enabling needs the user to be allowed by the tenant's SMS authentication method policy and the number to be unique in the tenant."

// operationContext bounds ctx by an operation's time limit: limit is one
// of the timeouts block's getters (Create, Read, Update, Delete), def its
// default. ok is false when the block could not be read; the diagnostics
// say why.
func operationContext(ctx context.Context, limit func(context.Context, time.Duration) (time.Duration, diag.Diagnostics), def time.Duration, diags *diag.Diagnostics) (context.Context, context.CancelFunc, time.Duration, bool) {
	timeout, d := limit(ctx, def)
	diags.Append(d...)
	if diags.HasError() {
		return ctx, func() {}, 0, false
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	return ctx, cancel, timeout, true
}

func durationDescription(what string, def time.Duration) string {
	return fmt.Sprintf("Time limit for %s, as a Go duration such as `30s` or `10m`. Defaults to `%s`.", what, shortDuration(def))
}

// shortDuration renders 5m0s as 5m.
func shortDuration(d time.Duration) string {
	if d%time.Minute == 0 {
		return fmt.Sprintf("%dm", int(d/time.Minute))
	}
	return d.String()
}

// ValidateConfig refuses sms_sign_in_enabled on phones that cannot do SMS
// sign-in, at plan time rather than after Graph refuses it.
func (r *phoneAuthenticationMethodResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var phoneType types.String
	var sms types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, pathPhoneType, &phoneType)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, pathSMSSignInEnabled, &sms)...)
	if resp.Diagnostics.HasError() || phoneType.IsNull() || phoneType.IsUnknown() || sms.IsNull() {
		return
	}
	if graph.PhoneType(phoneType.ValueString()) != graph.PhoneTypeMobile {
		resp.Diagnostics.AddAttributeError(pathSMSSignInEnabled, "sms_sign_in_enabled needs a mobile phone",
			fmt.Sprintf("sms_sign_in_enabled can only be set when phone_type is %q: Microsoft Graph supports SMS sign-in only on the mobile phone, and phone_type is %q (voice only). Remove sms_sign_in_enabled from this resource.",
				graph.PhoneTypeMobile, phoneType.ValueString()))
	}
}

// ModifyPlan makes the plan say exactly what apply will do: id and
// method_id are known from the configuration, and the computed SMS values
// keep their state unless the number or the SMS setting changes (then Graph
// may report something new, so they are unknown).
func (r *phoneAuthenticationMethodResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	resp.Diagnostics.Append(checkSignInForPlan(ctx, r.client, req)...)
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	if !req.State.Raw.IsNull() && req.Plan.Raw.Equal(req.State.Raw) {
		// Nothing changes (the usual refresh): the plan already holds the
		// state's ids and SMS values, so there is nothing to set.
		return
	}
	var plan, config phoneAuthenticationMethodModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.UserID.IsUnknown() && !plan.PhoneType.IsUnknown() {
		plan.setIDs()
	}
	if !req.State.Raw.IsNull() {
		var state phoneAuthenticationMethodModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		numberChanges := plan.PhoneNumber.IsUnknown() || !phonenumber.Equal(plan.PhoneNumber.ValueString(), state.PhoneNumber.ValueString())
		smsChanges := !config.SMSSignInEnabled.IsNull() && !config.SMSSignInEnabled.Equal(state.SMSSignInEnabled)
		switch {
		case !numberChanges && !smsChanges:
			plan.SMSSignInState = state.SMSSignInState
			if config.SMSSignInEnabled.IsNull() {
				plan.SMSSignInEnabled = state.SMSSignInEnabled
			}
		default:
			plan.SMSSignInState = types.StringUnknown()
			if config.SMSSignInEnabled.IsNull() {
				plan.SMSSignInEnabled = types.BoolUnknown()
			}
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (r *phoneAuthenticationMethodResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan phoneAuthenticationMethodModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, timeout, ok := operationContext(ctx, plan.Timeouts.Create, defaultCreateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	userID, phoneType := plan.UserID.ValueString(), plan.phoneType()
	op := r.coord.Begin(r.userScope(userID), coordination.PhoneCreate)
	defer op.End()
	// Set before any state is saved, so a phone saved with an error (and
	// tainted) has its identity too.
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, plan)...)
	pm, diags := r.createPhoneMethod(ctx, op, userID, phoneType, plan.PhoneNumber.ValueString(), plan.SMSSignInEnabled, timeout)
	resp.Diagnostics.Append(diags...)
	if pm == nil {
		return
	}
	state := plan
	state.applyMethod(*pm)
	state.SMSSignInEnabled = smsSignInEnabledFromState(pm.SMSSignInState, plan.SMSSignInEnabled)
	// Until Graph catches up, a read may show no phone or the phone as
	// created, before the SMS sign-in change below.
	resp.Diagnostics.Append(markPhoneWrite(ctx, resp.Private, time.Now(), phoneValueOf(*pm))...)
	if diags.HasError() {
		// A create that timed out or was interrupted but that Graph applied:
		// saved with the error, Terraform taints it instead of orphaning it.
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
		return
	}

	if !plan.SMSSignInEnabled.IsNull() && !plan.SMSSignInEnabled.IsUnknown() {
		out, d := r.setSMSSignIn(ctx, op, userID, phoneType, *pm, plan.SMSSignInEnabled.ValueBool(), false, state.SMSSignInEnabled)
		state.SMSSignInState = types.StringValue(out.Method.SMSSignInState)
		state.SMSSignInEnabled = out.Enabled
		if d.HasError() {
			// Save the created phone first: Terraform then taints it instead
			// of leaving a phone in Graph that no state knows about.
			resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
			// Graph may hold exactly what was configured (an enable or disable
			// that timed out but was applied): then untaint keeps it.
			asConfigured := out.How == graph.SMSSignInAppliedBeforeStop
			for _, e := range d.Errors() {
				resp.Diagnostics.AddAttributeError(pathSMSSignInEnabled, e.Summary(), e.Detail()+"\n\n"+createdNote(userID, phoneType, asConfigured))
			}
			resp.Diagnostics.Append(d.Warnings()...)
			return
		}
		resp.Diagnostics.Append(d...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// userScope names the user's phones for internal/coordination.
func (r *phoneAuthenticationMethodResource) userScope(userID string) coordination.Scope {
	return coordination.UserScope(r.client.Endpoints().GraphEndpoint, userID)
}

func (r *phoneAuthenticationMethodResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	// Read runs for every phone on every plan: the state is converted by
	// hand (phoneModelFromState, rawState) rather than by the framework's
	// reflection, which compiled a regexp per field per call.
	state, d := phoneModelFromState(ctx, req.State)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, timeout, ok := operationContext(ctx, state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	// First, so every way out of Read has it: the framework refuses a Read
	// without an identity even when it removes the resource (a phone
	// deleted outside Terraform), and Terraform before 1.12 sends none to
	// keep.
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, state)...)
	userID, phoneType := state.UserID.ValueString(), state.phoneType()
	if !phoneType.Valid() {
		resp.Diagnostics.AddAttributeError(pathPhoneType, "Unknown phone type in state",
			fmt.Sprintf("The state holds phone_type %q, which is not one of %s.", phoneType, quoteList(phoneTypeValues)))
		return
	}
	var opts []graph.GetOption
	if w, ok := recentPhoneWrite(ctx, req.Private, time.Now()); ok {
		// Graph may not show the write just made yet: a 404 or a value from
		// before it is read again (graph.ReadAfterWriteRetries, about 7 s);
		// any other value is drift, reported at once.
		opts = append(opts, graph.WithNotFoundRetries(graph.ReadAfterWriteRetries),
			graph.WithExpected(func(pm graph.PhoneMethod) bool { return state.shows(pm) || !w.mayStillShow(pm) }))
	}
	pm, err := r.client.GetPhoneMethod(ctx, userID, phoneType, opts...)
	if graph.IsNotFound(err) {
		// Deleted outside Terraform: the next plan shows a create.
		resp.State.RemoveResource(ctx)
		return
	}
	if stop := graph.StopReasonOf(err); err != nil && stop != graph.StoppedByAnswer {
		resp.Diagnostics.Append(readEnded(stop, userID, phoneType, timeout, err)...)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read phone method",
			fmt.Sprintf("Reading the %s phone of user %q failed: %s%s", phoneType, userID, err, graphHint(r.client, err, userID)))
		return
	}
	prior := state.SMSSignInEnabled
	state.applyMethod(*pm)
	state.SMSSignInEnabled = smsSignInEnabledFromState(pm.SMSSignInState, prior)
	resp.Diagnostics.Append(clearRecentWrite(ctx, resp.Private)...)
	raw, d := state.rawState(ctx, req.State.Raw.Type())
	resp.Diagnostics.Append(d...)
	if !d.HasError() {
		resp.State.Raw = raw
	}
}

func (r *phoneAuthenticationMethodResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state phoneAuthenticationMethodModel
	var configSMS types.Bool
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, pathSMSSignInEnabled, &configSMS)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, timeout, ok := operationContext(ctx, plan.Timeouts.Update, defaultUpdateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	userID, phoneType := state.UserID.ValueString(), state.phoneType()
	op := r.coord.Begin(r.userScope(userID), coordination.PhoneUpdate)
	defer op.End()
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, state)...)

	next := plan
	next.setIDs()
	// What Graph may still show for a while after this update's writes.
	earlier := []phoneValue{{Number: state.PhoneNumber.ValueString(), SMSSignInState: state.SMSSignInState.ValueString()}}
	newNumber := plan.PhoneNumber.ValueString()
	numberChanged := !phonenumber.Equal(state.PhoneNumber.ValueString(), newNumber)
	pm := graph.PhoneMethod{ID: phoneType.MethodID(), PhoneNumber: newNumber, PhoneType: phoneType, SMSSignInState: state.SMSSignInState.ValueString()}
	var updated *graph.UpdatedPhone
	if numberChanged {
		unlock, err := r.coord.Lock(ctx, r.userScope(userID))
		if err != nil {
			resp.Diagnostics.Append(lockWaitEnded(err, "update phone method", "update", userID)...)
			return
		}
		up, err := r.client.UpdatePhoneMethod(ctx, userID, phoneType, state.PhoneNumber.ValueString(), newNumber)
		unlock()
		if err != nil {
			if up != nil {
				// Stopped (deadline or interrupt): the graph layer read back
				// whether Graph applied it.
				saved, d := afterUpdateEnded(graph.StopReasonOf(err), state, plan, timeout, up, err)
				for _, e := range d.Errors() {
					resp.Diagnostics.AddAttributeError(pathPhoneNumber, e.Summary(), e.Detail())
				}
				resp.Diagnostics.Append(resp.State.Set(ctx, &saved)...)
				return
			}
			detail := fmt.Sprintf("Changing the number of user %q's %s phone to %q failed: %s", userID, phoneType, newNumber, err)
			if graph.IsNotFound(err) {
				detail += "\n\nThe phone (or the user) no longer exists in Graph; run terraform apply again to create it."
			} else {
				detail += graphHint(r.client, err, userID)
			}
			resp.Diagnostics.AddAttributeError(pathPhoneNumber, "Cannot update phone number", detail)
			return
		}
		updated = up
		if up.Read {
			pm = up.Phone
		}
		resp.Diagnostics.Append(markPhoneWrite(ctx, resp.Private, time.Now(), earlier...)...)
	}

	managed := !configSMS.IsNull()
	if updated != nil && updated.How == graph.UpdatedNumberNotUnique {
		// Applied despite Graph's 409: the new number is saved; SMS sign-in
		// is not available for it while another user holds the number.
		next.SMSSignInState = types.StringValue(graph.SMSSignInStatePhoneNumberNotUnique)
		next.SMSSignInEnabled = types.BoolValue(false)
		if managed && plan.SMSSignInEnabled.ValueBool() {
			resp.Diagnostics.AddAttributeError(pathSMSSignInEnabled, "SMS sign-in number is not unique",
				fmt.Sprintf("The number of user %q's mobile phone was changed, but SMS sign-in cannot be enabled for it: %s", userID, numberNotUniqueAdvice(newNumber)))
		} else {
			resp.Diagnostics.AddWarning("Mobile number used for SMS sign-in by another user", numberNotUniqueWarning(userID, newNumber))
		}
		resp.Diagnostics.Append(resp.State.Set(ctx, &next)...)
		return
	}
	switch {
	case managed && (numberChanged || !plan.SMSSignInEnabled.Equal(state.SMSSignInEnabled)):
		// A changed flag always calls enable/disable. A new number alone
		// calls it only when Graph's state read after the change differs
		// from the configuration, which saves a write per resource when
		// Graph keeps the registration.
		force := !plan.SMSSignInEnabled.Equal(state.SMSSignInEnabled) || (updated != nil && !updated.Read)
		out, d := r.setSMSSignIn(ctx, op, userID, phoneType, pm, plan.SMSSignInEnabled.ValueBool(), force, state.SMSSignInEnabled)
		resp.Diagnostics.Append(markPhoneWrite(ctx, resp.Private, time.Now(), append(earlier, phoneValueOf(pm))...)...)
		next.SMSSignInState = types.StringValue(out.Method.SMSSignInState)
		next.SMSSignInEnabled = out.Enabled
		resp.Diagnostics.Append(d...)
	case numberChanged:
		if updated.Read {
			next.SMSSignInState = types.StringValue(updated.Phone.SMSSignInState)
		} else {
			resp.Diagnostics.AddWarning("Could not read back the phone method",
				fmt.Sprintf("The number of user %q's %s phone was changed, but reading it back failed; sms_sign_in_state is refreshed on the next plan: %s", userID, phoneType, updated.ReadErr))
			next.SMSSignInState = state.SMSSignInState
		}
		if !managed {
			next.SMSSignInEnabled = smsSignInEnabledFromState(next.SMSSignInState.ValueString(), state.SMSSignInEnabled)
		}
	default:
		// Nothing Graph holds changed (e.g. only timeouts): keep its values.
		next.SMSSignInState = state.SMSSignInState
		if !managed {
			next.SMSSignInEnabled = state.SMSSignInEnabled
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &next)...)
}

func (r *phoneAuthenticationMethodResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state phoneAuthenticationMethodModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, timeout, ok := operationContext(ctx, state.Timeouts.Delete, defaultDeleteTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	op := r.coord.Begin(r.userScope(state.UserID.ValueString()), coordination.PhoneDelete)
	defer op.End()
	resp.Diagnostics.Append(r.deletePhoneMethod(ctx, op, state.UserID.ValueString(), state.phoneType(), timeout)...)
}

// ImportState accepts both id forms and an identity; Read then fills in
// the rest, and fails the import when the user has no such phone.
func (r *phoneAuthenticationMethodResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	var userID string
	var phoneType graph.PhoneType
	var err error
	if req.ID == "" && req.Identity != nil {
		// An import block with identity = {...} (Terraform 1.12+).
		var id phoneAuthenticationMethodIdentity
		resp.Diagnostics.Append(req.Identity.Get(ctx, &id)...)
		if resp.Diagnostics.HasError() {
			return
		}
		if userID, phoneType, err = parseImportIdentity(id); err != nil {
			resp.Diagnostics.AddError("Invalid import identity", err.Error())
			return
		}
	} else if userID, phoneType, err = parseImportID(req.ID); err != nil {
		resp.Diagnostics.AddError("Invalid import id", err.Error())
		return
	}
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, phoneAuthenticationMethodModel{
		UserID: types.StringValue(userID), PhoneType: types.StringValue(string(phoneType)),
	})...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), importID(userID, phoneType))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("user_id"), userID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, pathPhoneType, string(phoneType))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("method_id"), phoneType.MethodID())...)
}

// importID is the resource id and the import id, "{user_id}/{phone_type}".
func importID(userID string, phoneType graph.PhoneType) string {
	return userID + "/" + string(phoneType)
}

// parseImportID reads "{user_id}/{phone_type}" or "{user_id}/{method_id}";
// user_id may be an object id or a UPN (which contains "@" but never "/")
// and follows the same rule as the user_id attribute. The phone type is
// matched case-insensitively and returned as Graph spells it.
func parseImportID(id string) (userID string, phoneType graph.PhoneType, err error) {
	user, second, found := strings.Cut(id, "/")
	switch {
	case !found:
		return "", "", importIDError{id, `it has no "/" between the user id and the phone type`}
	case strings.Contains(second, "/"):
		return "", "", importIDError{id, `it has more than one "/" (a user id never contains "/")`}
	case validators.UserIDProblem(user) != "":
		return "", "", importIDError{id, fmt.Sprintf("the user id %q before \"/\" is not valid: %s", user, validators.UserIDProblem(user))}
	case second == "":
		return "", "", importIDError{id, `nothing follows "/": give the phone type or the phone method id`}
	case strings.TrimSpace(second) != second:
		return "", "", importIDError{id, fmt.Sprintf("the phone type %q after \"/\" has leading or trailing spaces", second)}
	}
	if t, ok := graph.PhoneTypeNamed(second); ok {
		return user, t, nil
	}
	if t, ok := graph.PhoneTypeForMethodID(second); ok {
		return user, t, nil
	}
	return "", "", importIDError{id, fmt.Sprintf("%q after \"/\" is neither a phone type nor a phone method id", second)}
}

// importIDError says what is wrong with an import id, then the format with
// every allowed phone type and method id, and two examples; it is the whole
// detail of the "Invalid import id" diagnostic.
type importIDError struct{ id, problem string }

func (e importIDError) Error() string {
	return fmt.Sprintf("The import id %q is not valid: %s. The import id must be \"{user_id}/{phone_type}\" or \"{user_id}/{method_id}\", "+
		"where user_id is %s, phone_type is one of %s (in any case), and method_id is Graph's phone method id (%s); "+
		"for example \"adele@contoso.com/mobile\" or \"00000000-0000-0000-0000-000000000001/%s\".",
		e.id, e.problem, validators.UserIDExamples, strings.Join(phoneTypeValues, ", "), validators.MethodIDList(), graph.PhoneTypeMobile.MethodID())
}

// phoneModelFromState is state.Get(ctx, &m) without reflection: the
// attributes by their tfsdk names, the timeouts block by its schema type.
// TestPhoneModelConversionMatchesFramework keeps the two in step.
func phoneModelFromState(ctx context.Context, state tfsdk.State) (phoneAuthenticationMethodModel, diag.Diagnostics) {
	var m phoneAuthenticationMethodModel
	var diags diag.Diagnostics
	var attrs map[string]tftypes.Value
	if err := state.Raw.As(&attrs); err != nil {
		diags.AddError("Cannot read the state", err.Error())
		return m, diags
	}
	value := func(name string, typ attr.Type) attr.Value {
		v, err := typ.ValueFromTerraform(ctx, attrs[name])
		if err != nil {
			diags.AddAttributeError(path.Root(name), "Cannot read the state", err.Error())
		}
		return v
	}
	str := func(name string) types.String {
		s, _ := value(name, types.StringType).(types.String)
		return s
	}
	m.ID, m.UserID, m.PhoneType, m.PhoneNumber = str("id"), str("user_id"), str("phone_type"), str("phone_number")
	m.MethodID, m.SMSSignInState = str("method_id"), str("sms_sign_in_state")
	m.SMSSignInEnabled, _ = value("sms_sign_in_enabled", types.BoolType).(types.Bool)
	if b, ok := state.Schema.GetBlocks()["timeouts"]; ok {
		m.Timeouts, _ = value("timeouts", b.Type()).(timeouts.Value)
	}
	return m, diags
}

// rawState is state.Set(ctx, &m) without reflection: m as a value of the
// state's type.
func (m phoneAuthenticationMethodModel) rawState(ctx context.Context, typ tftypes.Type) (tftypes.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	vals := map[string]tftypes.Value{}
	for name, v := range map[string]attr.Value{
		"id": m.ID, "user_id": m.UserID, "phone_type": m.PhoneType, "phone_number": m.PhoneNumber,
		"sms_sign_in_enabled": m.SMSSignInEnabled, "method_id": m.MethodID, "sms_sign_in_state": m.SMSSignInState,
		"timeouts": m.Timeouts,
	} {
		tv, err := v.ToTerraformValue(ctx)
		if err != nil {
			diags.AddAttributeError(path.Root(name), "Cannot write the state", err.Error())
		}
		vals[name] = tv
	}
	if diags.HasError() {
		return tftypes.Value{}, diags
	}
	if err := tftypes.ValidateValue(typ, vals); err != nil {
		diags.AddError("Cannot write the state", err.Error())
		return tftypes.Value{}, diags
	}
	return tftypes.NewValue(typ, vals), diags
}

// phoneType is the model's phone_type as Graph's type.
func (m phoneAuthenticationMethodModel) phoneType() graph.PhoneType {
	return graph.PhoneType(m.PhoneType.ValueString())
}

// setIDs fills id and method_id, which follow from user_id and phone_type.
func (m *phoneAuthenticationMethodModel) setIDs() {
	m.ID = types.StringValue(importID(m.UserID.ValueString(), m.phoneType()))
	if id := m.phoneType().MethodID(); id != "" {
		m.MethodID = types.StringValue(id)
	}
}

// applyMethod copies what Graph returned into the model. The configured
// number is kept when Graph spells the same number differently.
func (m *phoneAuthenticationMethodModel) applyMethod(pm graph.PhoneMethod) {
	m.setIDs()
	m.PhoneNumber = types.StringValue(numberForState(m.PhoneNumber, pm.PhoneNumber))
	m.SMSSignInState = types.StringValue(pm.SMSSignInState)
}

// numberForState decides the phone_number stored in state. The provider
// sends Graph the canonical form, and Graph or the Entra portal may spell a
// number another way ("+1 555-555-1234"); when Graph's number is the same
// phone as the prior value (phonenumber.SamePhone), the prior, the
// configured spelling, is kept so no phantom difference is planned. Without
// a prior (import), or for another number, Graph's number is stored in its
// canonical form where it has one, and as Graph returned it otherwise.
func numberForState(prior types.String, fromGraph string) string {
	if !prior.IsNull() && !prior.IsUnknown() && prior.ValueString() != "" {
		if phonenumber.SamePhone(prior.ValueString(), fromGraph) {
			return prior.ValueString()
		}
	}
	if c, ok := phonenumber.Canonical(fromGraph); ok {
		return c
	}
	return fromGraph
}

// shows reports whether Graph's phone shows what this state recorded from
// the last write: the same number (a masked one says nothing) and the same
// smsSignInState. Right after a write, a read that does not is stale.
func (m phoneAuthenticationMethodModel) shows(pm graph.PhoneMethod) bool {
	if !showsNumber(m.PhoneNumber.ValueString())(pm) {
		return false
	}
	return m.SMSSignInState.IsNull() || m.SMSSignInState.IsUnknown() || m.SMSSignInState.ValueString() == pm.SMSSignInState
}

// showsNumber is a graph.WithExpected check that a read shows number
// (graph.Shows: a masked number whose visible digits match is the same
// phone, so it is not taken as drift).
func showsNumber(number string) func(graph.PhoneMethod) bool {
	return func(pm graph.PhoneMethod) bool { return graph.Shows(pm, number) }
}

// privateRecentWrite is the private state key recording when create or
// update last wrote the phone, so the next Read tolerates what an
// eventually consistent Graph may still show for a while (a 404, or the
// value before the write) instead of reporting it as drift.
//
// It holds the write's time, not a flag: `terraform plan` never saves the
// refreshed state, so a flag cleared by Read would stay set in the saved
// state, and every later CI drift plan would wait out the read-back retries
// (about 7 s) before reporting a real change. The SMS policy resource uses
// the plain time (markRecentWrite); a phone's marker is a phoneWrite.
const privateRecentWrite = "recent_write"

// recentWriteWindow is how long after a write of the SMS policy its Read
// tolerates the values from before the write.
const recentWriteWindow = 5 * time.Minute

// phoneReadLagWindow is how long after a write of a phone Read tolerates a
// 404 or a value from before the write. Graph's read-after-write lag is
// seconds: scripts that write a phone wait about 5 s before reading it
// again (github.com/realmjoin/realmjoin-runbooks,
// user/security/set-or-remove-mobile-phone-MFA.ps1), and Hamilton, the SDK
// the azuread provider ran against real Graph, retries such 404s for
// seconds. A minute leaves room for a plan started right after an apply on
// a loaded runner; later, such a read is drift.
const phoneReadLagWindow = time.Minute

// privateSetter is resp.Private of Create, Read and Update.
type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// privateGetter is req.Private of Read.
type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// markRecentWrite records that Graph was written just now.
func markRecentWrite(ctx context.Context, p privateSetter, now time.Time) diag.Diagnostics {
	return p.SetKey(ctx, privateRecentWrite, []byte(`"`+now.UTC().Format(time.RFC3339)+`"`))
}

// clearRecentWrite forgets the write once a Read has seen Graph agree.
func clearRecentWrite(ctx context.Context, p privateSetter) diag.Diagnostics {
	return p.SetKey(ctx, privateRecentWrite, nil)
}

// wroteRecently reports whether the last write is within recentWriteWindow
// of now. A marker written by an earlier version ("true") or unreadable
// counts as not recent: at worst a stale read is reported as drift once.
func wroteRecently(ctx context.Context, p privateGetter, now time.Time) bool {
	at, ok := recentWriteTime(ctx, p)
	return ok && now.Sub(at) < recentWriteWindow
}

// recentWriteTime reads a marker holding only the write's time.
func recentWriteTime(ctx context.Context, p privateGetter) (time.Time, bool) {
	v, _ := p.GetKey(ctx, privateRecentWrite)
	if len(v) < 2 || v[0] != '"' {
		return time.Time{}, false
	}
	at, err := time.Parse(time.RFC3339, string(v[1:len(v)-1]))
	return at, err == nil
}

// phoneValue is what a read of a phone shows that a write changes.
type phoneValue struct {
	Number         string `json:"number"`
	SMSSignInState string `json:"sms_sign_in_state"`
}

func phoneValueOf(pm graph.PhoneMethod) phoneValue {
	return phoneValue{Number: pm.PhoneNumber, SMSSignInState: pm.SMSSignInState}
}

// phoneWrite is a phone's recent-write marker: when create or update last
// wrote it, and the values Graph may still show until it catches up: the
// value before the update, or a step of the same apply (the phone as
// created, before its SMS sign-in was changed). No phone (404) may be
// shown after any write.
type phoneWrite struct {
	At      time.Time    `json:"at"`
	Earlier []phoneValue `json:"earlier"`
	// timeOnly: a marker of an earlier version, without the values; any
	// read contradicting the write is then taken as possible lag.
	timeOnly bool
}

// markPhoneWrite records a write of a phone made just now, and the values
// Graph may show until it catches up.
func markPhoneWrite(ctx context.Context, p privateSetter, now time.Time, earlier ...phoneValue) diag.Diagnostics {
	b, err := json.Marshal(phoneWrite{At: now.UTC(), Earlier: earlier})
	if err != nil {
		var d diag.Diagnostics
		d.AddError("Cannot record the write in private state", err.Error())
		return d
	}
	return p.SetKey(ctx, privateRecentWrite, b)
}

// recentPhoneWrite returns the phone's marker when its write is within
// phoneReadLagWindow of now. A marker of an earlier version holding only
// the time counts with no values; "true" or an unreadable one counts as
// not recent: at worst a stale read is reported as drift once.
func recentPhoneWrite(ctx context.Context, p privateGetter, now time.Time) (phoneWrite, bool) {
	var w phoneWrite
	if at, ok := recentWriteTime(ctx, p); ok {
		w = phoneWrite{At: at, timeOnly: true}
	} else if v, _ := p.GetKey(ctx, privateRecentWrite); len(v) == 0 || json.Unmarshal(v, &w) != nil || w.At.IsZero() {
		return phoneWrite{}, false
	}
	return w, now.Sub(w.At) < phoneReadLagWindow
}

// mayStillShow reports whether Graph may show pm while catching up with
// the write: pm is one of the values from before it.
func (w phoneWrite) mayStillShow(pm graph.PhoneMethod) bool {
	if w.timeOnly {
		return true
	}
	for _, e := range w.Earlier {
		if e.SMSSignInState == pm.SMSSignInState && graph.Shows(pm, e.Number) {
			return true
		}
	}
	return false
}
