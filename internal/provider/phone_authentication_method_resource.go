package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

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
	locks  *userLocks
}

// NewPhoneAuthenticationMethodResource returns the resource.
func NewPhoneAuthenticationMethodResource() resource.Resource {
	return &phoneAuthenticationMethodResource{locks: phoneMethodLocks}
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

func (r *phoneAuthenticationMethodResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_phone_authentication_method"
}

func (r *phoneAuthenticationMethodResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

// phoneTypeValues is the one list of allowed phone types, used by the
// validator and the description.
var phoneTypeValues = graph.PhoneTypes()

func (r *phoneAuthenticationMethodResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	desc := "Manages one phone authentication method of a Microsoft Entra ID user (Microsoft Graph `phoneAuthenticationMethod`): " +
		"the user's `mobile`, `alternateMobile` or `office` phone, and whether the mobile number may be used for SMS sign-in.\n\n" +
		"`sms_sign_in_enabled` is read from Graph's `smsSignInState` with this table:\n\n" + smsSignInStateMarkdownTable()
	timeoutsBlock := timeouts.Block(ctx, timeouts.Opts{
		Create: true, Read: true, Update: true, Delete: true,
		CreateDescription: durationDescription("create, including waiting for the user's mobile phone before an alternateMobile", defaultCreateTimeout),
		ReadDescription:   durationDescription("read", defaultReadTimeout),
		UpdateDescription: durationDescription("update", defaultUpdateTimeout),
		DeleteDescription: durationDescription("delete, including waiting for the user's alternateMobile to be removed before the mobile", defaultDeleteTimeout),
	})
	resp.Schema = schema.Schema{
		Description:         desc,
		MarkdownDescription: desc,
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				Description:         "The import id, `{user_id}/{phone_type}`.",
				MarkdownDescription: "The import id, `{user_id}/{phone_type}`.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"user_id": schema.StringAttribute{
				Required:            true,
				Description:         "The user's object id or user principal name, used as given. Changing it replaces the resource.",
				MarkdownDescription: "The user's object id or user principal name, used as given. Changing it replaces the resource.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{validators.UserID()},
			},
			"phone_type": schema.StringAttribute{
				Required: true,
				Description: fmt.Sprintf("The kind of phone: one of %s. A user has at most one phone of each type; `alternateMobile` needs the user's `mobile`. "+
					"Graph cannot change a phone's type, so changing it replaces the resource.", quoteList(phoneTypeValues)),
				MarkdownDescription: fmt.Sprintf("The kind of phone: one of %s. A user has at most one phone of each type; `alternateMobile` needs the user's `mobile`. "+
					"Graph cannot change a phone's type, so changing it replaces the resource.", quoteList(phoneTypeValues)),
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:    []validator.String{stringvalidator.OneOf(phoneTypeValues...)},
			},
			"phone_number": schema.StringAttribute{
				Required:            true,
				Description:         phoneNumberDescription,
				MarkdownDescription: phoneNumberDescription,
				Validators:          []validator.String{validators.PhoneNumber()},
			},
			// Optional+Computed: left out, the plan keeps the state's value (no
			// diff, no call), while import still fills it from Graph so
			// ImportStateVerify and import blocks see the same value as apply.
			"sms_sign_in_enabled": schema.BoolAttribute{
				Optional:            true,
				Computed:            true,
				Description:         smsSignInEnabledDescription,
				MarkdownDescription: smsSignInEnabledDescription,
			},
			"method_id": schema.StringAttribute{
				Computed:            true,
				Description:         "Graph's id of the phone method; it is fixed per phone type and the same for every user.",
				MarkdownDescription: "Graph's id of the phone method; it is fixed per phone type and the same for every user.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"sms_sign_in_state": schema.StringAttribute{
				Computed:            true,
				Description:         fmt.Sprintf("Graph's `smsSignInState` of the phone: one of %s.", quoteList(smsSignInStates())),
				MarkdownDescription: fmt.Sprintf("Graph's `smsSignInState` of the phone: one of %s.", quoteList(smsSignInStates())),
			},
		},
		Blocks: map[string]schema.Block{"timeouts": validators.TimeoutsBlock(timeoutsBlock)},
	}
}

var phoneNumberDescription = "The phone number in Microsoft Graph's format: " + phonenumber.Rule +
	", for example `" + phonenumber.Example + "` or `" + phonenumber.ExampleWithExtension + "`. Checked at plan time. Changed in place. " +
	"A number Graph returns with other separators (e.g. `+1 555-555-1234`) is the same number and shows no difference."

var smsSignInEnabledDescription = "Whether the `mobile` number may be used for SMS sign-in: `true` calls `enableSmsSignIn`, `false` calls `disableSmsSignIn`, " +
	"after create and whenever the value or the number changes. Only allowed with `phone_type = \"mobile\"`. " +
	"Leave it out to not manage SMS sign-in: the provider then makes no call for it and never shows a difference, and the attribute only reports Graph's state " +
	"(read from `sms_sign_in_state` with the table above). Enabling needs the user to be allowed by the tenant's SMS authentication method policy and the number to be unique in the tenant."

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
