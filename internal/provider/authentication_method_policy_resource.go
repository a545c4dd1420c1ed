package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entraauth/terraform-provider-entraauth/internal/coordination"
	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
	"github.com/entraauth/terraform-provider-entraauth/internal/validators"
)

// methodPolicyType is what one part of the authentication methods policy
// contributes to the resource and data source every part shares: its
// names, its place in Graph and its fields. Everything else (adoption,
// read-back, drift, import, identity, destroy, errors) is the core's.
type methodPolicyType struct {
	// typeName follows the provider's name: "sms_authentication_method_policy".
	typeName string
	part     graph.PolicyPart
	// id is the id attribute's value and the only import id (any case);
	// idDescription describes it when it is not Graph's configuration id.
	id, idDescription string
	// title names it in messages: "SMS authentication method policy".
	title string
	// noun names its targets in messages: "SMS" gives "Invalid SMS policy target".
	noun string
	// one is what the tenant has one of: "SMS configuration".
	one string
	// description is the resource page's summary (the core adds how
	// destroy and import work); dataSourceDescription the data source's.
	description, dataSourceDescription string
	// fields are the managed attributes, state and targets included.
	fields []policyField
	// validate is the type's own plan-time rules across fields (config
	// values; unknown ones must be skipped).
	validate func(attrs map[string]attr.Value) diag.Diagnostics
	// offForEveryone says how to switch the method off for every user.
	offForEveryone string
	// destroyDetail is the destroy warning: what stays as it is and how
	// to switch the method off.
	destroyDetail string
	// badRequestHint explains a 400 from Graph.
	badRequestHint string
	// storedInside says Graph stores the part inside another object (the
	// campaign, inside registrationEnforcement): fields left out are sent
	// as Graph holds them, as inside nested objects (see toGraph).
	storedInside bool
	// phonesWait makes phone methods of this provider wait for the write
	// (only the SMS configuration decides SMS sign-in).
	phonesWait bool
}

// idText describes the id attribute.
func (t *methodPolicyType) idText() string {
	if t.idDescription != "" {
		return t.idDescription
	}
	return fmt.Sprintf("Graph's id of the configuration, always `%s`.", t.id)
}

// sendsWhat reports whether a write of cfg sends values Graph holds (a
// nested object set in part, or a part stored inside another object), so
// Graph must be read before it.
func (t *methodPolicyType) sendsWhat(cfg map[string]attr.Value) bool {
	if t.storedInside {
		return true
	}
	for _, f := range t.fields {
		if v, ok := cfg[f.name]; ok && f.kind == objectField && !v.IsNull() {
			return true
		}
	}
	return false
}

// address is the resource type's full name.
func (t *methodPolicyType) address() string { return "entraauth_" + t.typeName }

// methodPolicyResource is the resource of one methodPolicyType: a tenant
// singleton that create adopts and destroy leaves as it is.
type methodPolicyResource struct {
	t      *methodPolicyType
	client *graph.Client
	coord  *coordination.Coordinator
}

var (
	_ resource.Resource                   = (*methodPolicyResource)(nil)
	_ resource.ResourceWithConfigure      = (*methodPolicyResource)(nil)
	_ resource.ResourceWithImportState    = (*methodPolicyResource)(nil)
	_ resource.ResourceWithValidateConfig = (*methodPolicyResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*methodPolicyResource)(nil)
	_ resource.ResourceWithIdentity       = (*methodPolicyResource)(nil)
)

// newMethodPolicyResource returns the constructor the provider registers.
func newMethodPolicyResource(t *methodPolicyType) func() resource.Resource {
	return func() resource.Resource { return &methodPolicyResource{t: t, coord: coordination.Default} }
}

func (r *methodPolicyResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.t.typeName
}

func (r *methodPolicyResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (r *methodPolicyResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	timeoutsBlock := timeouts.Block(ctx, timeouts.Opts{
		Create: true, Read: true, Update: true, Delete: true,
		CreateDescription: durationDescription("create (adopting and setting the configuration)", defaultCreateTimeout),
		ReadDescription:   durationDescription("read", defaultReadTimeout),
		UpdateDescription: durationDescription("update", defaultUpdateTimeout),
		DeleteDescription: durationDescription("delete (which only removes the resource from the state)", defaultDeleteTimeout),
	})
	attrs := resourceAttributes(r.t.fields)
	attrs["id"] = schema.StringAttribute{
		Computed:            true,
		MarkdownDescription: r.t.idText(),
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: r.t.description,
		Attributes:          attrs,
		Blocks:              map[string]schema.Block{"timeouts": validators.TimeoutsBlock(timeoutsBlock)},
	}
}

// attrsOf reads a whole plan, state or configuration as attribute values.
func attrsOf(ctx context.Context, get func(context.Context, any) diag.Diagnostics, diags *diag.Diagnostics) map[string]attr.Value {
	var obj types.Object
	diags.Append(get(ctx, &obj)...)
	if diags.HasError() {
		return nil
	}
	return obj.Attributes()
}

// ValidateConfig refuses, at plan time and before any request, targets
// Graph would refuse or that contradict each other, and the type's own
// impossible combinations. Unknown values are skipped.
func (r *methodPolicyResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	cfg := attrsOf(ctx, req.Config.Get, &resp.Diagnostics)
	if cfg == nil {
		return
	}
	resp.Diagnostics.Append(validatePolicyTargets(configuredTargets(cfg), r.t.noun, r.t.offForEveryone)...)
	if r.t.validate != nil {
		resp.Diagnostics.Append(r.t.validate(cfg)...)
	}
}

// ModifyPlan signs in at plan time when the apply will write the policy,
// so a credential that cannot sign in fails the plan; a destroy needs no
// Graph call (it only removes the resource from the state).
func (r *methodPolicyResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	resp.Diagnostics.Append(checkSignInForPlan(ctx, r.client, req)...)
}

// timeoutsOf is the timeouts block of a plan or state.
func timeoutsOf(attrs map[string]attr.Value) timeouts.Value {
	o, _ := attrs["timeouts"].(types.Object)
	return timeouts.Value{Object: o}
}

func (r *methodPolicyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan := attrsOf(ctx, req.Plan.Get, &resp.Diagnostics)
	cfg := attrsOf(ctx, req.Config.Get, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity)...)
	ctx, cancel, timeout, ok := operationContext(ctx, timeoutsOf(plan).Create, defaultCreateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	// Adopt: the configuration always exists; read it first so the apply
	// log (and a failure) shows what it held before.
	before, err := r.client.GetPolicyPart(ctx, r.t.part, nil)
	if err != nil {
		resp.Diagnostics.Append(r.failed(false, err, "create", timeout)...)
		return
	}
	r.write(ctx, plan, cfg, before, "create", timeout, &resp.State, resp.Private, &resp.Diagnostics)
}

func (r *methodPolicyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan := attrsOf(ctx, req.Plan.Get, &resp.Diagnostics)
	cfg := attrsOf(ctx, req.Config.Get, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity)...)
	ctx, cancel, timeout, ok := operationContext(ctx, timeoutsOf(plan).Update, defaultUpdateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	var before graph.PolicyJSON
	if r.t.sendsWhat(cfg) {
		// What Graph holds of a nested object the configuration sets only
		// in part (see toGraph).
		var err error
		if before, err = r.client.GetPolicyPart(ctx, r.t.part, nil); err != nil {
			resp.Diagnostics.Append(r.failed(false, err, "update", timeout)...)
			return
		}
	}
	r.write(ctx, plan, cfg, before, "update", timeout, &resp.State, resp.Private, &resp.Diagnostics)
}

// stateSetter is resp.State of Create and Update.
type stateSetter interface {
	Set(ctx context.Context, val any) diag.Diagnostics
}

// write PATCHes the managed fields and saves what Graph holds, as the
// graph layer read it back. For the SMS configuration, phone methods of
// this provider retry an enableSmsSignIn the policy refuses while it runs
// and for smsPolicyPropagation after (see setSMSSignIn).
func (r *methodPolicyResource) write(ctx context.Context, plan, cfg map[string]attr.Value, before graph.PolicyJSON, op string, timeout time.Duration, state stateSetter, private privateSetter, diags *diag.Diagnostics) {
	body := toGraph(r.t.fields, plan, cfg, before, r.t.storedInside)
	if r.t.phonesWait {
		change := r.coord.Begin(coordination.PolicyScope(r.client.Endpoints().GraphEndpoint), coordination.PolicyChange)
		defer change.End()
	}
	written, err := r.client.UpdatePolicyPart(ctx, r.t.part, body)
	if err != nil {
		diags.Append(r.failed(true, err, op, timeout)...)
		return
	}
	diags.Append(markRecentWrite(ctx, private, time.Now())...)
	var saved map[string]attr.Value
	switch written.How {
	case graph.PolicyUnread:
		diags.AddWarning("Could not read back the "+r.t.title,
			fmt.Sprintf("The %s was updated, but reading it back failed, so the state holds the configured values until the next refresh: %s", r.t.one, written.ReadErr))
		saved = r.known(plan)
	case graph.PolicyNotApplied:
		// Nothing may claim the change was made: an update saves what
		// Graph holds, so the next plan shows the change again; a create
		// saves nothing, so the next apply adopts and writes again.
		where := "The state holds what Graph shows, so the next plan shows the change again"
		if op == "create" {
			where = "Nothing was saved to the state, so the next apply adopts the configuration and writes it again"
		}
		diags.AddError("Microsoft Graph did not apply the "+r.t.title,
			fmt.Sprintf("Graph answered %d PATCH request(s) of the %s with success, but reading it back after each still showed the previous values, so the change was not applied. "+
				"%s; run terraform apply again, and if this persists, check the configuration in the Microsoft Entra admin center.", written.Writes, r.t.one, where))
		if op == "create" {
			return
		}
		saved = r.stateFromGraph(plan, written.Policy)
	default:
		saved = r.stateFromGraph(plan, written.Policy)
	}
	diags.Append(state.Set(ctx, types.ObjectValueMust(r.stateTypes(plan), saved))...)
}

// stateTypes are the attribute types of the whole state (fields, id and
// the timeouts block, whose type comes from the plan).
func (r *methodPolicyResource) stateTypes(prior map[string]attr.Value) map[string]attr.Type {
	at := attrTypes(r.t.fields)
	at["id"] = types.StringType
	at["timeouts"] = prior["timeouts"].Type(context.Background())
	return at
}

// stateFromGraph is the state for what Graph holds; prior keeps its
// timeouts and its spelling of ids.
func (r *methodPolicyResource) stateFromGraph(prior map[string]attr.Value, got graph.PolicyJSON) map[string]attr.Value {
	spelled := spellings{}
	spelled.collect(r.t.fields, prior, "")
	out := fromGraph(r.t.fields, got, spelled, "")
	out["id"] = types.StringValue(r.t.id)
	out["timeouts"] = prior["timeouts"]
	return out
}

// known is the plan with its unknown values (unmanaged fields, at any
// depth) set to null, for a state saved without a read of Graph.
func (r *methodPolicyResource) known(plan map[string]attr.Value) map[string]attr.Value {
	out := make(map[string]attr.Value, len(plan))
	for k, v := range plan {
		out[k] = nullUnknowns(v)
	}
	out["id"] = types.StringValue(r.t.id)
	return out
}

// nullUnknowns is v with every unknown value in it null.
func nullUnknowns(v attr.Value) attr.Value {
	ctx := context.Background()
	if v.IsUnknown() {
		return nullOf(v.Type(ctx))
	}
	if v.IsNull() {
		return v
	}
	switch x := v.(type) {
	case types.Object:
		attrs := make(map[string]attr.Value, len(x.Attributes()))
		for k, e := range x.Attributes() {
			attrs[k] = nullUnknowns(e)
		}
		return types.ObjectValueMust(x.AttributeTypes(ctx), attrs)
	case types.Set:
		elems := make([]attr.Value, 0, len(x.Elements()))
		for _, e := range x.Elements() {
			elems = append(elems, nullUnknowns(e))
		}
		return types.SetValueMust(x.ElementType(ctx), elems)
	}
	return v
}

// nullOf is the null value of a type used by the fields.
func nullOf(t attr.Type) attr.Value {
	switch tt := t.(type) {
	case types.ObjectType:
		return types.ObjectNull(tt.AttrTypes)
	case types.SetType:
		return types.SetNull(tt.ElemType)
	case types.ListType:
		return types.ListNull(tt.ElemType)
	}
	switch t {
	case types.BoolType:
		return types.BoolNull()
	case types.Int64Type:
		return types.Int64Null()
	}
	return types.StringNull()
}

func (r *methodPolicyResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	state := attrsOf(ctx, req.State.Get, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, timeout, ok := operationContext(ctx, timeoutsOf(state).Read, defaultReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	var expected func(graph.PolicyJSON) bool
	if wroteRecently(ctx, req.Private, time.Now()) {
		// A read contradicting the write just made is stale, not drift.
		written := toGraph(r.t.fields, state, nil, nil, false)
		expected = func(got graph.PolicyJSON) bool { return graph.PolicyShows(got, written) }
	}
	got, err := r.client.GetPolicyPart(ctx, r.t.part, expected)
	if err != nil {
		resp.Diagnostics.Append(r.failed(false, err, "read", timeout)...)
		return
	}
	resp.Diagnostics.Append(clearRecentWrite(ctx, resp.Private)...)
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, types.ObjectValueMust(r.stateTypes(state), r.stateFromGraph(state, got)))...)
}

// Delete leaves the tenant's configuration as it is: switching a method
// off or emptying its targets could lock out users who sign in with it.
func (r *methodPolicyResource) Delete(_ context.Context, _ resource.DeleteRequest, resp *resource.DeleteResponse) {
	resp.Diagnostics.AddWarning("The "+r.t.title+" was left as it is", r.t.destroyDetail)
}

// ImportState accepts the configuration's id in any case, as the import id
// or as the identity's id.
func (r *methodPolicyResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID == "" && req.Identity != nil {
		var id methodPolicyIdentity
		resp.Diagnostics.Append(req.Identity.Get(ctx, &id)...)
		if resp.Diagnostics.HasError() {
			return
		}
		if !strings.EqualFold(id.ID.ValueString(), r.t.id) {
			resp.Diagnostics.AddError("Invalid import identity",
				fmt.Sprintf("The import identity's id %q is not valid: the tenant has one %s, whose id is %q. Use identity = { id = %q }.", id.ID.ValueString(), r.t.one, r.t.id, r.t.id))
			return
		}
	} else if !strings.EqualFold(strings.TrimSpace(req.ID), r.t.id) || strings.TrimSpace(req.ID) != req.ID {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("The import id %q is not valid: the tenant has one %s, whose id is %q. Import it with terraform import <resource address> %s, or an import block with id = %q.", req.ID, r.t.one, r.t.id, r.t.id, r.t.id))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), r.t.id)...)
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity)...)
	// Collections must be known for Read, which fills them from Graph.
	for _, f := range r.t.fields {
		if st, ok := f.attrType().(types.SetType); ok {
			resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(f.name), types.SetValueMust(st.ElemType, nil))...)
		}
	}
}

// failed explains a failed read or PATCH of the part, naming the
// permission a 403 lacks and the limit a timeout ran out of. write is
// true for the PATCH; key is the timeouts attribute in force.
func (r *methodPolicyResource) failed(write bool, err error, key string, limit time.Duration) diag.Diagnostics {
	return policyPartFailed(r.t, write, err, key, limit)
}

func policyPartFailed(t *methodPolicyType, write bool, err error, key string, limit time.Duration) diag.Diagnostics {
	what, doing, verb := "Reading the "+t.title, "reading the "+t.title, "read"
	if write {
		what, doing, verb = "Updating the "+t.title, "updating the "+t.title, "update"
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
	case graph.IsBadRequest(err) && t.badRequestHint != "":
		detail += "\n\n" + t.badRequestHint
	case graph.IsBadRequest(err):
		detail += "\n\nGraph refuses targets it cannot resolve: check that every include_targets and exclude_targets id is the object id of a group (or user) of this tenant."
	}
	return errDiags("Cannot "+verb+" the "+t.title, detail)
}

// methodPolicyIdentity is the resource identity (Terraform 1.12+). The
// tenant has one of each configuration, so its id is the whole identity.
type methodPolicyIdentity struct {
	ID types.String `tfsdk:"id"`
}

func (r *methodPolicyResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       r.t.idText(),
			},
		},
	}
}

// setIdentity stores the identity; to is nil for Terraform older than 1.12.
func (r *methodPolicyResource) setIdentity(ctx context.Context, to *tfsdk.ResourceIdentity) diag.Diagnostics {
	if to == nil {
		return nil
	}
	return to.Set(ctx, methodPolicyIdentity{ID: types.StringValue(r.t.id)})
}
