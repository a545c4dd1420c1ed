package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entraauth/terraform-provider-entraauth/internal/coordination"
	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
	"github.com/entraauth/terraform-provider-entraauth/internal/validators"
)

var (
	_ resource.Resource                   = (*smsPolicyResource)(nil)
	_ resource.ResourceWithConfigure      = (*smsPolicyResource)(nil)
	_ resource.ResourceWithImportState    = (*smsPolicyResource)(nil)
	_ resource.ResourceWithValidateConfig = (*smsPolicyResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*smsPolicyResource)(nil)
)

// smsPolicyID is Graph's id of the SMS configuration, the only valid import id.
const smsPolicyID = "Sms"

// smsPolicyStates and smsTargetTypes are the one list of allowed values,
// used by the validators and the descriptions.
var (
	smsPolicyStates = []string{"enabled", "disabled"}
	smsTargetTypes  = []string{"group", "user"}
)

// smsPolicyResource is entraauth_sms_authentication_method_policy: the SMS
// configuration of the tenant's authentication methods policy, a singleton.
type smsPolicyResource struct {
	client *graph.Client
	// coord lets phones of this process see the policy change (see
	// setSMSSignIn).
	coord *coordination.Coordinator
}

// NewSMSAuthenticationMethodPolicyResource returns the resource.
func NewSMSAuthenticationMethodPolicyResource() resource.Resource {
	return &smsPolicyResource{coord: coordination.Default}
}

// smsPolicyModel is the resource's state and plan.
type smsPolicyModel struct {
	ID             types.String   `tfsdk:"id"`
	State          types.String   `tfsdk:"state"`
	IncludeTargets types.Set      `tfsdk:"include_targets"`
	ExcludeTargets types.Set      `tfsdk:"exclude_targets"`
	Timeouts       timeouts.Value `tfsdk:"timeouts"`
}

// smsIncludeTargetModel is one include_targets element.
type smsIncludeTargetModel struct {
	ID                types.String `tfsdk:"id"`
	TargetType        types.String `tfsdk:"target_type"`
	IsUsableForSignIn types.Bool   `tfsdk:"is_usable_for_sign_in"`
}

// smsExcludeTargetModel is one exclude_targets element.
type smsExcludeTargetModel struct {
	ID         types.String `tfsdk:"id"`
	TargetType types.String `tfsdk:"target_type"`
}

var (
	smsIncludeTargetType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"id": types.StringType, "target_type": types.StringType, "is_usable_for_sign_in": types.BoolType,
	}}
	smsExcludeTargetType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"id": types.StringType, "target_type": types.StringType,
	}}
)

func (r *smsPolicyResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sms_authentication_method_policy"
}

func (r *smsPolicyResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

// smsPolicyDescription is the resource page's summary; the template adds
// the rollout, destroy and permission sections.
const smsPolicyDescription = "Manages the SMS configuration of the tenant's authentication methods policy " +
	"(Microsoft Graph `smsAuthenticationMethodConfiguration`, `/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/sms`): " +
	"whether text messages are enabled, for which groups, whether they may be used for sign-in, and who is excluded. " +
	"Only this configuration is read and written; no other authentication method is touched.\n\n" +
	"It is a tenant singleton: create adopts the existing configuration and sets it to the configured values. " +
	"**Destroy leaves the tenant's configuration as it is** (so removing the resource can never lock users out) and only removes it from the state."

// smsTargetIDDescription says what a target id may be.
const smsTargetIDDescription = "The object id (a GUID) of a Microsoft Entra group, or `all_users` (with `target_type = \"group\"`) for every user. " +
	"Compared case-insensitively."

func (r *smsPolicyResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	timeoutsBlock := timeouts.Block(ctx, timeouts.Opts{
		Create: true, Read: true, Update: true, Delete: true,
		CreateDescription: durationDescription("create (adopting and setting the configuration)", defaultCreateTimeout),
		ReadDescription:   durationDescription("read", defaultReadTimeout),
		UpdateDescription: durationDescription("update", defaultUpdateTimeout),
		DeleteDescription: durationDescription("delete (which only removes the resource from the state)", defaultDeleteTimeout),
	})
	resp.Schema = schema.Schema{
		MarkdownDescription: smsPolicyDescription,
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Graph's id of the configuration, always `Sms`.",
			},
			"state": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: fmt.Sprintf("Whether text message (SMS) authentication is on for the targets: one of %s.", quoteList(smsPolicyStates)),
				Validators:          []validator.String{stringvalidator.OneOf(smsPolicyStates...)},
			},
			"include_targets": schema.SetNestedAttribute{
				Required: true,
				MarkdownDescription: "Who may use text messages. The set is sent whole: targets not listed here are removed from the configuration. " +
					"Order never matters.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id": schema.StringAttribute{Required: true, MarkdownDescription: smsTargetIDDescription},
					"target_type": schema.StringAttribute{
						Required: true,
						MarkdownDescription: fmt.Sprintf("One of %s. Microsoft no longer recommends `user` targets (since December 2022): put the users in a group.",
							quoteList(smsTargetTypes)),
						Validators: []validator.String{stringvalidator.OneOf(smsTargetTypes...)},
					},
					"is_usable_for_sign_in": schema.BoolAttribute{
						Optional: true, Computed: true,
						Default: booldefault.StaticBool(true),
						MarkdownDescription: "Whether the targets may use their mobile number to sign in (SMS sign-in), not only as a second factor or for password reset. " +
							"Defaults to `true`, which is what a new tenant's `all_users` target holds; Graph does not document a default for a target that omits it, " +
							"so the provider always sends the value.",
					},
				}},
			},
			"exclude_targets": schema.SetNestedAttribute{
				Optional: true, Computed: true,
				Default:             setdefault.StaticValue(types.SetValueMust(smsExcludeTargetType, nil)),
				MarkdownDescription: "Who may not use text messages, even when an include target covers them (for example break-glass accounts). Defaults to none.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id": schema.StringAttribute{Required: true, MarkdownDescription: "The object id (a GUID) of a Microsoft Entra group (or user). Compared case-insensitively."},
					"target_type": schema.StringAttribute{
						Required:            true,
						MarkdownDescription: fmt.Sprintf("One of %s.", quoteList(smsTargetTypes)),
						Validators:          []validator.String{stringvalidator.OneOf(smsTargetTypes...)},
					},
				}},
			},
		},
		Blocks: map[string]schema.Block{"timeouts": validators.TimeoutsBlock(timeoutsBlock)},
	}
}

// guidPattern is an object id as Graph writes it.
var guidPattern = regexp.MustCompile(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$`)

// smsTargetExample is the valid target every refusal shows.
const smsTargetExample = `for example { id = "00000000-0000-0000-0000-000000000001", target_type = "group" } or { id = "all_users", target_type = "group" }`

// ValidateConfig refuses targets Graph would refuse or that contradict each
// other, at plan time and before any request. Unknown values are skipped.
func (r *smsPolicyResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m smsPolicyModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	include, exclude, diags := m.targets(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(validateSMSTargets(include, exclude)...)
}

// ModifyPlan signs in at plan time when the apply will write the policy,
// so a credential that cannot sign in fails the plan; a destroy needs no
// Graph call (it only removes the resource from the state).
func (r *smsPolicyResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	resp.Diagnostics.Append(checkSignInForPlan(ctx, r.client, req)...)
}

// smsTarget is one target as configured, for validation.
type smsTarget struct {
	list           string // include_targets or exclude_targets
	id, targetType types.String
}

// validateSMSTargets is the plan-time rule set for the two target lists.
func validateSMSTargets(include []smsIncludeTargetModel, exclude []smsExcludeTargetModel) diag.Diagnostics {
	var diags diag.Diagnostics
	var all []smsTarget
	for _, t := range include {
		all = append(all, smsTarget{"include_targets", t.ID, t.TargetType})
	}
	for _, t := range exclude {
		all = append(all, smsTarget{"exclude_targets", t.ID, t.TargetType})
	}
	seen := map[string]string{} // lower id -> list it was first seen in
	for _, t := range all {
		if t.id.IsUnknown() || t.id.IsNull() {
			continue
		}
		id := t.id.ValueString()
		at := path.Root(t.list)
		switch {
		case strings.EqualFold(id, graphAllUsers) && t.list == "exclude_targets":
			diags.AddAttributeError(at, "all_users cannot be excluded",
				"exclude_targets may not contain all_users: that would exclude every user. To turn text messages off for everyone, set state = \"disabled\".")
			continue
		case strings.EqualFold(id, graphAllUsers):
			if !t.targetType.IsUnknown() && t.targetType.ValueString() != "group" {
				diags.AddAttributeError(at, "Invalid SMS policy target",
					fmt.Sprintf("The target all_users must have target_type = \"group\", not %q; %s.", t.targetType.ValueString(), smsTargetExample))
			}
		case !guidPattern.MatchString(id):
			diags.AddAttributeError(at, "Invalid SMS policy target",
				fmt.Sprintf("The target id %q in %s is not a group's object id: it must be a GUID such as \"00000000-0000-0000-0000-000000000001\", or all_users; %s.", id, t.list, smsTargetExample))
			continue
		}
		key := strings.ToLower(id)
		switch first, dup := seen[key]; {
		case dup && first == t.list:
			diags.AddAttributeError(at, "Duplicate SMS policy target",
				fmt.Sprintf("The target %q appears more than once in %s (ids compare case-insensitively). List each group once.", key, t.list))
		case dup:
			diags.AddAttributeError(at, "SMS policy target both included and excluded",
				fmt.Sprintf("The target %q is in both include_targets and exclude_targets; an exclusion always wins in Graph, so this is almost certainly a mistake. Remove it from one of them.", id))
		default:
			seen[key] = t.list
		}
		if !t.targetType.IsUnknown() && t.targetType.ValueString() == "user" {
			diags.AddAttributeWarning(at, "User target in the SMS policy",
				fmt.Sprintf("The target %q in %s has target_type = \"user\". Microsoft no longer recommends targeting individual users (since December 2022); put them in a group and target the group.", id, t.list))
		}
	}
	return diags
}

// graphAllUsers is the target id Graph uses for every user.
const graphAllUsers = "all_users"

// targets reads both lists from the model (unknown sets give no elements).
func (m smsPolicyModel) targets(ctx context.Context) ([]smsIncludeTargetModel, []smsExcludeTargetModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	var include []smsIncludeTargetModel
	var exclude []smsExcludeTargetModel
	if !m.IncludeTargets.IsNull() && !m.IncludeTargets.IsUnknown() {
		diags.Append(m.IncludeTargets.ElementsAs(ctx, &include, false)...)
	}
	if !m.ExcludeTargets.IsNull() && !m.ExcludeTargets.IsUnknown() {
		diags.Append(m.ExcludeTargets.ElementsAs(ctx, &exclude, false)...)
	}
	return include, exclude, diags
}

// policy is the configuration to send to Graph.
func (m smsPolicyModel) policy(ctx context.Context) (graph.SMSPolicy, diag.Diagnostics) {
	include, exclude, diags := m.targets(ctx)
	p := graph.SMSPolicy{State: m.State.ValueString(), IncludeTargets: []graph.SMSPolicyTarget{}, ExcludeTargets: []graph.SMSPolicyTarget{}}
	for _, t := range include {
		p.IncludeTargets = append(p.IncludeTargets, graph.SMSPolicyTarget{ID: t.ID.ValueString(), TargetType: t.TargetType.ValueString(), IsUsableForSignIn: t.IsUsableForSignIn.ValueBool()})
	}
	for _, t := range exclude {
		p.ExcludeTargets = append(p.ExcludeTargets, graph.SMSPolicyTarget{ID: t.ID.ValueString(), TargetType: t.TargetType.ValueString()})
	}
	return p, diags
}

// applyPolicy stores what Graph holds. An id Graph spells in another case
// than the prior state keeps the prior spelling, so case never plans a
// change; order never matters as both lists are sets.
func (m *smsPolicyModel) applyPolicy(ctx context.Context, p graph.SMSPolicy) diag.Diagnostics {
	priorInclude, priorExclude, diags := m.targets(ctx)
	spelling := map[string]string{}
	for _, t := range priorInclude {
		spelling[strings.ToLower(t.ID.ValueString())] = t.ID.ValueString()
	}
	for _, t := range priorExclude {
		spelling[strings.ToLower(t.ID.ValueString())] = t.ID.ValueString()
	}
	idOf := func(id string) types.String {
		if prior, ok := spelling[strings.ToLower(id)]; ok {
			return types.StringValue(prior)
		}
		return types.StringValue(id)
	}
	include := make([]smsIncludeTargetModel, 0, len(p.IncludeTargets))
	for _, t := range p.IncludeTargets {
		include = append(include, smsIncludeTargetModel{ID: idOf(t.ID), TargetType: types.StringValue(t.TargetType), IsUsableForSignIn: types.BoolValue(t.IsUsableForSignIn)})
	}
	exclude := make([]smsExcludeTargetModel, 0, len(p.ExcludeTargets))
	for _, t := range p.ExcludeTargets {
		exclude = append(exclude, smsExcludeTargetModel{ID: idOf(t.ID), TargetType: types.StringValue(t.TargetType)})
	}
	var d diag.Diagnostics
	m.IncludeTargets, d = types.SetValueFrom(ctx, smsIncludeTargetType, include)
	diags.Append(d...)
	m.ExcludeTargets, d = types.SetValueFrom(ctx, smsExcludeTargetType, exclude)
	diags.Append(d...)
	m.ID = types.StringValue(smsPolicyID)
	m.State = types.StringValue(p.State)
	return diags
}

func (r *smsPolicyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan smsPolicyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(setSMSPolicyIdentity(ctx, resp.Identity)...)
	ctx, cancel, timeout, ok := operationContext(ctx, plan.Timeouts.Create, defaultCreateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	// Adopt: the configuration always exists; read it first so the apply
	// log (and a failure) shows what it held before.
	if _, err := r.client.GetSMSPolicy(ctx, nil); err != nil {
		resp.Diagnostics.Append(smsPolicyFailed(false, err, "create", timeout)...)
		return
	}
	r.write(ctx, plan, "create", timeout, &resp.State, resp.Private, &resp.Diagnostics)
}

func (r *smsPolicyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan smsPolicyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(setSMSPolicyIdentity(ctx, resp.Identity)...)
	ctx, cancel, timeout, ok := operationContext(ctx, plan.Timeouts.Update, defaultUpdateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	r.write(ctx, plan, "update", timeout, &resp.State, resp.Private, &resp.Diagnostics)
}

// stateSetter is resp.State of Create and Update.
type stateSetter interface {
	Set(ctx context.Context, val any) diag.Diagnostics
}

// write PATCHes the configuration and saves what Graph holds, as the graph
// layer read it back. While it runs, and for smsPolicyPropagation after,
// phone methods of this provider retry an enableSmsSignIn that the policy
// refuses (see setSMSSignIn).
func (r *smsPolicyResource) write(ctx context.Context, plan smsPolicyModel, op string, timeout time.Duration, state stateSetter, private privateSetter, diags *diag.Diagnostics) {
	want, d := plan.policy(ctx)
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	change := r.coord.Begin(coordination.PolicyScope(r.client.Endpoints().GraphEndpoint), coordination.PolicyChange)
	defer change.End()
	written, err := r.client.UpdateSMSPolicy(ctx, want)
	if err != nil {
		diags.Append(smsPolicyFailed(true, err, op, timeout)...)
		return
	}
	diags.Append(markRecentWrite(ctx, private, time.Now())...)
	saved := plan
	switch written.How {
	case graph.PolicyUnread:
		diags.AddWarning("Could not read back the SMS authentication method policy",
			fmt.Sprintf("The SMS configuration was updated, but reading it back failed, so the state holds the configured values until the next refresh: %s", written.ReadErr))
	case graph.PolicyNotShown:
		// Graph accepted the PATCH; a read still showing the old values is
		// taken as replication lag, so the written values are kept.
		diags.AddWarning("The SMS authentication method policy reads back as before",
			"The SMS configuration was updated, but Graph still answered with the previous values after several reads (replication lag); the state holds the configured values, and the next refresh reads Graph again.")
	default:
		diags.Append(saved.applyPolicy(ctx, written.Policy)...)
	}
	saved.ID = types.StringValue(smsPolicyID)
	diags.Append(state.Set(ctx, &saved)...)
}

func (r *smsPolicyResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state smsPolicyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, timeout, ok := operationContext(ctx, state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	var expected func(graph.SMSPolicy) bool
	if wroteRecently(ctx, req.Private, time.Now()) && !state.State.IsNull() {
		// A read contradicting the write just made is stale, not drift.
		if written, d := state.policy(ctx); !d.HasError() {
			expected = func(p graph.SMSPolicy) bool { return graph.SameSMSPolicy(p, written) }
		}
	}
	got, err := r.client.GetSMSPolicy(ctx, expected)
	if err != nil {
		resp.Diagnostics.Append(smsPolicyFailed(false, err, "read", timeout)...)
		return
	}
	resp.Diagnostics.Append(state.applyPolicy(ctx, *got)...)
	resp.Diagnostics.Append(clearRecentWrite(ctx, resp.Private)...)
	resp.Diagnostics.Append(setSMSPolicyIdentity(ctx, resp.Identity)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Delete leaves the tenant's configuration as it is: turning SMS off or
// emptying its targets could lock out users who sign in with it.
func (r *smsPolicyResource) Delete(_ context.Context, _ resource.DeleteRequest, resp *resource.DeleteResponse) {
	resp.Diagnostics.AddWarning("The SMS authentication method policy was left as it is",
		"entraauth_sms_authentication_method_policy was removed from the Terraform state only. The tenant's SMS configuration keeps its current state and targets, "+
			"so no user who signs in with a text message is locked out. To turn SMS off, set state = \"disabled\" and apply before removing the resource, or change it in the Microsoft Entra admin center.")
}

// ImportState accepts "Sms" in any case, as the import id or as the
// identity's id.
func (r *smsPolicyResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID == "" && req.Identity != nil {
		var id smsPolicyIdentity
		resp.Diagnostics.Append(req.Identity.Get(ctx, &id)...)
		if resp.Diagnostics.HasError() {
			return
		}
		if !strings.EqualFold(id.ID.ValueString(), smsPolicyID) {
			resp.Diagnostics.AddError("Invalid import identity",
				fmt.Sprintf("The import identity's id %q is not valid: the tenant has one SMS configuration, whose id is \"Sms\". Use identity = { id = \"Sms\" }.", id.ID.ValueString()))
			return
		}
	} else if !strings.EqualFold(strings.TrimSpace(req.ID), smsPolicyID) || strings.TrimSpace(req.ID) != req.ID {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("The import id %q is not valid: the tenant has one SMS configuration, whose id is \"Sms\". Import it with terraform import <resource address> Sms, or an import block with id = \"Sms\".", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), smsPolicyID)...)
	resp.Diagnostics.Append(setSMSPolicyIdentity(ctx, resp.Identity)...)
	// The sets must be known for Read, which fills them from Graph.
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("include_targets"), types.SetValueMust(smsIncludeTargetType, nil))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("exclude_targets"), types.SetValueMust(smsExcludeTargetType, nil))...)
}

// smsPolicyFailed explains a failed read or PATCH of the configuration,
// naming the permission a 403 lacks and the limit a timeout ran out of.
// write is true for the PATCH; key is the timeouts attribute in force.
func smsPolicyFailed(write bool, err error, key string, limit time.Duration) diag.Diagnostics {
	what, doing, verb := "Reading the SMS authentication method policy", "reading the SMS authentication method policy", "read"
	if write {
		what, doing, verb = "Updating the SMS authentication method policy", "updating the SMS authentication method policy", "update"
	}
	if stop := graph.StopReasonOf(err); stop != graph.StoppedByAnswer {
		outcome := "Nothing was changed in Microsoft Graph."
		if write {
			outcome = "Microsoft Graph may or may not have applied the change; the next plan reads the configuration and shows what is left to change (sending it again is harmless)."
		}
		return errDiags(endedSummary(stop, doing), endedDetail(stop, what, key, limit, outcome, err))
	}
	detail := fmt.Sprintf("%s failed: %s", what, err)
	switch {
	case graph.IsForbidden(err) && write:
		detail += "\n\nThe identity Terraform runs as may not change the policy: applying needs the application permission Policy.ReadWrite.AuthenticationMethod (or, signed in as a user, the Authentication Policy Administrator role)."
	case graph.IsForbidden(err):
		detail += "\n\nThe identity Terraform runs as cannot read the policy: plans need Policy.Read.All (or Policy.Read.AuthenticationMethod), and applying needs Policy.ReadWrite.AuthenticationMethod."
	case graph.IsUnauthorized(err):
		detail += "\n\nGraph refused the access token: check tenant_id, client_id and the credential, and that the token is for this cloud's Graph."
	case graph.IsBadRequest(err):
		detail += "\n\nGraph refuses targets it cannot resolve: check that every include_targets and exclude_targets id is the object id of a group (or user) of this tenant."
	}
	return errDiags("Cannot "+verb+" the SMS authentication method policy", detail)
}

var _ resource.ResourceWithIdentity = (*smsPolicyResource)(nil)

// smsPolicyIdentity is the resource identity (Terraform 1.12+). The tenant
// has one SMS configuration, so its id is the whole identity.
type smsPolicyIdentity struct {
	ID types.String `tfsdk:"id"`
}

func (r *smsPolicyResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "Graph's id of the configuration, always `Sms`.",
			},
		},
	}
}

// setSMSPolicyIdentity stores the identity; to is nil for Terraform older
// than 1.12.
func setSMSPolicyIdentity(ctx context.Context, to *tfsdk.ResourceIdentity) diag.Diagnostics {
	if to == nil {
		return nil
	}
	return to.Set(ctx, smsPolicyIdentity{ID: types.StringValue(smsPolicyID)})
}
