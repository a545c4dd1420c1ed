package provider

import (
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/types"

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

// applyMethod copies what Graph returned into the model. The configured
// number is kept when Graph spells the same number differently.
func (m *phoneAuthenticationMethodModel) applyMethod(pm graph.PhoneMethod) {
	m.ID = types.StringValue(importID(m.UserID.ValueString(), m.PhoneType.ValueString()))
	if id, ok := graph.MethodIDForPhoneType(m.PhoneType.ValueString()); ok {
		m.MethodID = types.StringValue(id)
	}
	m.PhoneNumber = types.StringValue(numberForState(m.PhoneNumber, pm.PhoneNumber))
	m.SMSSignInState = types.StringValue(pm.SMSSignInState)
}

// numberForState decides the phone_number stored in state. Graph and the
// Entra portal may spell a number with separators ("+1 555-555-1234");
// when that is phonenumber.Equal to the prior value, the prior is kept so
// no phantom difference is planned. Without a prior (import), the Graph
// spelling is stored in its canonical form where one exists, so the
// configuration written for it shows no difference either.
func numberForState(prior types.String, fromGraph string) string {
	if !prior.IsNull() && !prior.IsUnknown() && prior.ValueString() != "" {
		if phonenumber.SamePhone(prior.ValueString(), fromGraph) {
			return prior.ValueString()
		}
	}
	if _, err := phonenumber.Parse(fromGraph); err == nil {
		return fromGraph
	}
	if s, ok := phonenumber.Suggest(fromGraph); ok {
		return s
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

// showsNumber is a graph.WithExpected check that a read shows number. A
// number Graph masked ("+1 XXXXXXXX34", for callers holding only the
// Authentication Administrator role) whose visible digits match is the same
// phone (phonenumber.SamePhone), so it is not taken as drift.
func showsNumber(number string) func(graph.PhoneMethod) bool {
	return func(pm graph.PhoneMethod) bool { return phonenumber.SamePhone(number, pm.PhoneNumber) }
}
