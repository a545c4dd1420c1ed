package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/entraauth/terraform-provider-entraauth/internal/coordination"
	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
	"github.com/entraauth/terraform-provider-entraauth/internal/phonenumber"
)

// smsSignInMapping is what one smsSignInState means for sms_sign_in_enabled.
type smsSignInMapping int

const (
	smsSignInTrue smsSignInMapping = iota
	smsSignInFalse
	// smsSignInKeepPrior: a value this provider does not know says nothing
	// about the registration, so the previous value is kept.
	smsSignInKeepPrior
)

// smsSignInStateRow is one row of the mapping table.
type smsSignInStateRow struct {
	State   string
	Mapping smsSignInMapping
	Meaning string
}

// smsSignInStateTable is THE mapping from Graph's smsSignInState to
// sms_sign_in_enabled. Read, the data sources and the resource
// documentation all use it; nothing else decides.
var smsSignInStateTable = []smsSignInStateRow{
	{graph.SMSSignInStateReady, smsSignInTrue, "The mobile number is registered and can be used for SMS sign-in."},
	{graph.SMSSignInStateNotEnabled, smsSignInFalse, "SMS sign-in is not enabled for the number (never enabled, or `disableSmsSignIn` was called)."},
	{graph.SMSSignInStateNotAllowedByPolicy, smsSignInFalse, "The SMS authentication method policy does not allow the user to use SMS for sign-in."},
	{graph.SMSSignInStatePhoneNumberNotUnique, smsSignInFalse, "Another user in the tenant uses the same number for SMS sign-in."},
	{graph.SMSSignInStateNotConfigured, smsSignInFalse, "SMS sign-in is not configured for the user."},
	{graph.SMSSignInStateNotSupported, smsSignInFalse, "The phone is not a mobile phone (`alternateMobile` and `office` are voice only)."},
	{graph.SMSSignInStateUnknownFutureValue, smsSignInKeepPrior, "A value newer than this provider; any other unknown value is treated the same way."},
}

// smsSignInStates lists the states in table order, for validators and docs.
func smsSignInStates() []string {
	out := make([]string, len(smsSignInStateTable))
	for i, row := range smsSignInStateTable {
		out[i] = row.State
	}
	return out
}

// smsSignInMappingOf returns the mapping of a state; unknown states keep
// the prior value.
func smsSignInMappingOf(state string) smsSignInMapping {
	for _, row := range smsSignInStateTable {
		if row.State == state {
			return row.Mapping
		}
	}
	return smsSignInKeepPrior
}

// smsSignInEnabledFromState maps Graph's smsSignInState to
// sms_sign_in_enabled, keeping prior where the table says so.
func smsSignInEnabledFromState(state string, prior types.Bool) types.Bool {
	switch smsSignInMappingOf(state) {
	case smsSignInTrue:
		return types.BoolValue(true)
	case smsSignInFalse:
		return types.BoolValue(false)
	}
	if prior.IsUnknown() {
		return types.BoolNull()
	}
	return prior
}

// smsSignInStateMarkdownTable renders the table for the resource
// documentation, so the docs cannot disagree with the code.
func smsSignInStateMarkdownTable() string {
	var b strings.Builder
	b.WriteString("| `smsSignInState` | `sms_sign_in_enabled` | meaning |\n|---|---|---|\n")
	for _, row := range smsSignInStateTable {
		value := "`true`"
		switch row.Mapping {
		case smsSignInFalse:
			value = "`false`"
		case smsSignInKeepPrior:
			value = "unchanged (previous value kept)"
		}
		b.WriteString("| `" + row.State + "` | " + value + " | " + row.Meaning + " |\n")
	}
	return b.String()
}

// smsSignInWant is the mapping sms_sign_in_enabled = desired asks for.
func smsSignInWant(desired bool) smsSignInMapping {
	if desired {
		return smsSignInTrue
	}
	return smsSignInFalse
}

// smsPolicyPropagation is how long after this provider changed the SMS
// policy a phone's enableSmsSignIn refused by policy is retried: a policy
// change takes a while to reach sign-in, and so that a configuration that
// changes the policy and enables phones converges in one apply without
// depends_on. It is a choice: Microsoft documents no figure; two minutes
// is well within the default five-minute create and update timeouts.
const smsPolicyPropagation = 2 * time.Minute

// smsSignInOutcome is the phone as Graph reports it after an SMS sign-in
// change, and the sms_sign_in_enabled to store.
type smsSignInOutcome struct {
	Method  graph.PhoneMethod
	Enabled types.Bool
	// How is the graph layer's outcome of the last call (zero when no call
	// was needed).
	How graph.SMSSignInOutcome
}

// setSMSSignIn calls enableSmsSignIn or disableSmsSignIn through
// graph.SetSMSSignIn, which decides whether Graph applied it. Unless force
// is set, no call is made when Graph's state (from the write that
// preceded, e.g. create's response) already matches. On failure the
// outcome still holds Graph's state, so callers save it.
//
// An enable refused by policy is retried, through op, while this provider
// process is changing the SMS policy or changed it less than
// smsPolicyPropagation ago.
func (r *phoneAuthenticationMethodResource) setSMSSignIn(ctx context.Context, op *coordination.Op, userID string, phoneType graph.PhoneType, pm graph.PhoneMethod, desired, force bool, prior types.Bool) (smsSignInOutcome, diag.Diagnostics) {
	if !force && smsSignInMappingOf(pm.SMSSignInState) == smsSignInWant(desired) {
		return smsSignInOutcome{Method: pm, Enabled: types.BoolValue(desired)}, nil
	}
	var out smsSignInOutcome
	var diags diag.Diagnostics
	attempt := func() bool {
		out, diags = r.trySMSSignIn(ctx, userID, phoneType, pm, desired, prior)
		// A refusal read back as notAllowedByPolicy, or, when the policy
		// changed between the refusal and the read, as not enabled yet.
		state := out.Method.SMSSignInState
		refusedByPolicy := desired && diags.HasError() && out.How == graph.SMSSignInRefused &&
			(state == graph.SMSSignInStateNotAllowedByPolicy || state == graph.SMSSignInStateNotEnabled || state == graph.SMSSignInStateNotConfigured)
		pm = out.Method
		return !refusedByPolicy
	}
	policyChange := r.coord.RunningOrEndedWithin(coordination.PolicyScope(r.client.Endpoints().GraphEndpoint), coordination.PolicyChange, smsPolicyPropagation)
	// Whatever ends the wait, diags hold the last attempt's answer.
	_ = op.Retry(ctx, policyChange, attempt, func(d time.Duration) {
		tflog.Info(ctx, "SMS sign-in refused by the SMS policy this provider is changing; waiting for the change to reach sign-in",
			map[string]any{"user_id": userID, "retry_in": d.String()})
	})
	return out, diags
}

// trySMSSignIn is one call of setSMSSignIn: the graph layer's outcome
// turned into the phone to save and diagnostics.
func (r *phoneAuthenticationMethodResource) trySMSSignIn(ctx context.Context, userID string, phoneType graph.PhoneType, pm graph.PhoneMethod, desired bool, prior types.Bool) (smsSignInOutcome, diag.Diagnostics) {
	var diags diag.Diagnostics
	unlock, err := r.coord.Lock(ctx, r.userScope(userID))
	if err != nil {
		diags.Append(lockWaitEnded(err, "change SMS sign-in", "create or timeouts.update", userID)...)
		return smsSignInOutcome{Method: pm, Enabled: prior}, diags
	}
	change, err := r.client.SetSMSSignIn(ctx, userID, phoneType, desired, pm)
	unlock()
	if change == nil {
		diags.AddAttributeError(pathSMSSignInEnabled, "Cannot change SMS sign-in", err.Error())
		return smsSignInOutcome{Method: pm, Enabled: prior}, diags
	}
	out := smsSignInOutcome{Method: change.Phone, Enabled: types.BoolValue(desired), How: change.How}
	switch change.How {
	case graph.SMSSignInRefused:
		summary, detail := explainSMSSignInFailure(userID, change.Phone, desired, err)
		diags.AddAttributeError(pathSMSSignInEnabled, summary, detail)
		out.Enabled = smsSignInEnabledFromState(change.Phone.SMSSignInState, prior)
	case graph.SMSSignInAppliedBeforeStop, graph.SMSSignInNotAppliedBeforeStop, graph.SMSSignInUnknownBeforeStop:
		summary, detail := smsSignInEnded(graph.StopReasonOf(err), userID, change.Phone, desired, change.ReadErr, err)
		diags.AddAttributeError(pathSMSSignInEnabled, summary, detail)
		out.Enabled = smsSignInEnabledFromState(change.Phone.SMSSignInState, prior)
	case graph.SMSSignInAcceptedNotUsable:
		// Graph accepted the call but the number still cannot be used.
		summary, detail := explainSMSSignInFailure(userID, change.Phone, desired, nil)
		diags.AddAttributeError(pathSMSSignInEnabled, summary, detail)
		out.Enabled = types.BoolValue(false)
	case graph.SMSSignInAppliedUnconfirmed:
		diags.AddWarning("Could not read back the phone method",
			fmt.Sprintf("SMS sign-in was changed for user %q, but reading the phone back failed, so sms_sign_in_state is assumed to be %q until the next refresh: %s", userID, change.Phone.SMSSignInState, change.ReadErr))
	}
	return out, diags
}

// explainSMSSignInFailure turns a refused SMS sign-in change into a message
// an administrator can act on. It branches on smsSignInState and the HTTP
// status only; err (nil when Graph accepted the call but the state shows a
// refusal) carries status, code and request-id.
func explainSMSSignInFailure(userID string, pm graph.PhoneMethod, desired bool, err error) (summary, detail string) {
	verb := "disable"
	if desired {
		verb = "enable"
	}
	graphPart := fmt.Sprintf("smsSignInState read back as %q after %sSmsSignIn succeeded.", pm.SMSSignInState, verb)
	if err != nil {
		graphPart = "Microsoft Graph: " + err.Error()
		if pm.SMSSignInState != "" {
			graphPart += fmt.Sprintf("\nsmsSignInState is %q.", pm.SMSSignInState)
		}
	}
	switch {
	case pm.SMSSignInState == graph.SMSSignInStateNotSupported:
		return "SMS sign-in needs a mobile phone",
			fmt.Sprintf("Cannot %s SMS sign-in for user %q: the phone is %q, and Microsoft Graph supports SMS sign-in only on the user's mobile phone (alternateMobile and office phones are voice only). Remove sms_sign_in_enabled from this resource.\n\n%s",
				verb, userID, pm.PhoneType, graphPart)
	case desired && pm.SMSSignInState == graph.SMSSignInStateNotAllowedByPolicy:
		return "SMS sign-in is not allowed by policy",
			fmt.Sprintf("Cannot enable SMS sign-in for user %q: the tenant's SMS authentication method policy does not allow this user to use SMS for sign-in (smsSignInState = notAllowedByPolicy).\n\n"+
				"To allow it, in the Microsoft Entra admin center open Protection > Authentication methods > Policies > SMS, enable the method, and include the user (directly or through a group) with \"Use for sign-in\" selected, with no exclusion covering them. "+
				"In Microsoft Graph this is the policy at /policies/authenticationMethodsPolicy/authenticationMethodConfigurations/sms (state \"enabled\", an includeTargets entry for the user with isUsableForSignIn = true). "+
				"If this configuration sets that policy (entraauth_sms_authentication_method_policy) and Terraform ran this phone before it, apply again, "+
				"or add depends_on = [<the policy resource>] to this phone, which makes one apply enough at any -parallelism (at -parallelism=1 it is needed). "+
				"Otherwise remove sms_sign_in_enabled or set it to false.\n\n%s", userID, graphPart)
	case desired && (pm.SMSSignInState == graph.SMSSignInStatePhoneNumberNotUnique ||
		(pm.SMSSignInState == graph.SMSSignInStateNotEnabled && graph.IsBadRequest(err))):
		// notEnabled after a 400 while the policy allows the user: Graph's
		// remaining documented reason is a number another user registered.
		return "SMS sign-in number is not unique",
			fmt.Sprintf("Cannot enable SMS sign-in for user %q: %s\n\n%s", userID, numberNotUniqueAdvice(pm.PhoneNumber), graphPart)
	}
	return fmt.Sprintf("Cannot %s SMS sign-in", verb),
		fmt.Sprintf("Microsoft Graph refused to %s SMS sign-in for user %q's %s phone. Enabling needs a mobile phone, a user allowed by the SMS authentication method policy, and a number unique in the tenant; it is not available in the China cloud.\n\n%s",
			verb, userID, pm.PhoneType, graphPart)
}

// smsSignInEnded explains an enableSmsSignIn or disableSmsSignIn that ran
// out of the create or update time limit or was interrupted. pm is the
// phone as read afterwards when readErr is nil, else as it was before the
// call; the message says which, so it never claims more than is known.
func smsSignInEnded(stop graph.StopReason, userID string, pm graph.PhoneMethod, desired bool, readErr, err error) (summary, detail string) {
	verb := "disable"
	if desired {
		verb = "enable"
	}
	known := fmt.Sprintf("Graph now reports smsSignInState %q (read afterwards), which is what the state holds.", pm.SMSSignInState)
	if readErr != nil {
		known = fmt.Sprintf("Whether Graph applied it is not known: reading the phone afterwards failed too (%s), so the state keeps smsSignInState %q from before the call. "+
			"The next plan reads the phone from Graph and shows what is left to change.", readErr, pm.SMSSignInState)
	}
	if stop == graph.StoppedByInterrupt {
		return "Interrupted changing SMS sign-in",
			fmt.Sprintf("Terraform was asked to stop (for example with Ctrl-C) while %sSmsSignIn for user %q's %s phone was in flight, so Microsoft Graph may or may not have applied it. %s\n\n"+
				"The next terraform plan or apply reads the phone from Graph and reconciles the state with what Graph holds.\n\nLast Graph error: %s",
				verb, userID, pm.PhoneType, known, err)
	}
	return "Timed out changing SMS sign-in",
		fmt.Sprintf("Microsoft Graph did not answer %sSmsSignIn for user %q's %s phone before the operation's time limit (timeouts.create or timeouts.update) ran out. %s\n\n"+
			"To allow more time, raise the limit in the resource's timeouts block (for example create = \"10m\" or update = \"10m\") and run terraform apply again.\n\nLast Graph error: %s",
			verb, userID, pm.PhoneType, known, err)
}

// numberNotUniqueAdvice states Graph's uniqueness rule for a number (shown
// masked: the other user's number is not this resource's to print) and the
// ways forward.
func numberNotUniqueAdvice(number string) string {
	return fmt.Sprintf("the number %s is already used for SMS sign-in by another user in the tenant, and Microsoft Graph requires SMS sign-in numbers to be unique. "+
		"Give this user a different mobile number, disable SMS sign-in for the other user, or set sms_sign_in_enabled to false (or leave it out).", maskedNumber(number))
}

// maskedNumber shows a number as Graph masks it for restricted callers:
// the country code and the last two digits ("+1 XXXXXXXX34").
func maskedNumber(n string) string {
	if c, ok := phonenumber.Canonical(n); ok {
		n = c
	}
	cc, rest, found := strings.Cut(strings.TrimSpace(n), " ")
	if !found {
		cc, rest = "", n
	}
	if i := strings.IndexAny(rest, "xX"); i >= 0 {
		rest = rest[:i] // the extension says nothing about the person
	}
	var digits []byte
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; c >= '0' && c <= '9' {
			digits = append(digits, c)
		}
	}
	keep := min(2, len(digits))
	out := strings.Repeat("X", len(digits)-keep) + string(digits[len(digits)-keep:])
	if cc == "" {
		return out
	}
	return cc + " " + out
}
