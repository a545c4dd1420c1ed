package graph

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/policies"
)

// smsConfigurationID is the SMS entry under authenticationMethodConfigurations.
const smsConfigurationID = "sms"

// SMSPolicy is the SMS authentication method configuration of the tenant's
// authentication methods policy. Only this configuration is ever read or
// written: no other method's configuration is touched.
type SMSPolicy struct {
	// State is "enabled" or "disabled".
	State string
	// IncludeTargets are the users or groups (or "all_users") the method is
	// enabled for; IsUsableForSignIn is what allows SMS sign-in.
	IncludeTargets []SMSPolicyTarget
	// ExcludeTargets are users or groups excluded from the method.
	ExcludeTargets []SMSPolicyTarget
}

// SMSPolicyTarget is a user or group in the SMS policy.
type SMSPolicyTarget struct {
	ID string
	// TargetType is "user" or "group".
	TargetType string
	// IsUsableForSignIn applies to include targets only.
	IsUsableForSignIn bool
}

func (c *Client) smsConfiguration() *policies.AuthenticationMethodsPolicyAuthenticationMethodConfigurationsAuthenticationMethodConfigurationItemRequestBuilder {
	return policies.NewPoliciesRequestBuilderInternal(map[string]string{}, c.adapter).
		AuthenticationMethodsPolicy().AuthenticationMethodConfigurations().
		ByAuthenticationMethodConfigurationId(smsConfigurationID)
}

// GetSMSPolicy reads the tenant's SMS authentication method configuration.
// expected, when not nil, is a read-after-write check: right after a PATCH
// Graph may still answer with the old configuration, so a read expected
// rejects is stale and retried up to ReadAfterWriteRetries times; then the
// last value read is returned as it is, so the caller decides.
func (c *Client) GetSMSPolicy(ctx context.Context, expected func(SMSPolicy) bool) (*SMSPolicy, error) {
	const op = "get SMS authentication method policy"
	policy := retryPolicy{}
	if expected != nil {
		policy.notFoundRetries = ReadAfterWriteRetries
	}
	var out *SMSPolicy
	err := c.run(ctx, op, policy, func(ctx context.Context) error {
		cfg, err := c.smsConfiguration().Get(ctx, nil)
		if err != nil {
			return err
		}
		if cfg == nil {
			return &Error{Operation: op, Message: "Graph returned no configuration"}
		}
		out = smsPolicyFromModel(cfg)
		if expected != nil && !expected(*out) {
			return errStaleRead
		}
		return nil
	})
	if errors.Is(err, errStaleRead) && out != nil {
		return out, nil
	}
	return out, err
}

// smsPolicyFromModel keeps state and targets; read-only properties such as
// isRegistrationRequired are left out, so they can never cause a diff.
func smsPolicyFromModel(cfg models.AuthenticationMethodConfigurationable) *SMSPolicy {
	p := &SMSPolicy{IncludeTargets: []SMSPolicyTarget{}, ExcludeTargets: []SMSPolicyTarget{}}
	if s := cfg.GetState(); s != nil {
		p.State = s.String()
	}
	if sms, ok := cfg.(models.SmsAuthenticationMethodConfigurationable); ok {
		for _, t := range sms.GetIncludeTargets() {
			if t == nil {
				continue
			}
			tt := SMSPolicyTarget{ID: deref(t.GetId())}
			if v := t.GetTargetType(); v != nil {
				tt.TargetType = v.String()
			}
			if v := t.GetIsUsableForSignIn(); v != nil {
				tt.IsUsableForSignIn = *v
			}
			p.IncludeTargets = append(p.IncludeTargets, tt)
		}
	}
	for _, t := range cfg.GetExcludeTargets() {
		if t == nil {
			continue
		}
		tt := SMSPolicyTarget{ID: deref(t.GetId())}
		if v := t.GetTargetType(); v != nil {
			tt.TargetType = v.String()
		}
		p.ExcludeTargets = append(p.ExcludeTargets, tt)
	}
	return p
}

// PolicyOutcome says how a PATCH of a policy ended.
type PolicyOutcome int

const (
	// PolicyApplied: Graph answered 204 and reads back what was written.
	PolicyApplied PolicyOutcome = iota + 1
	// PolicyNotShown: Graph answered 204, yet still read other values after
	// the read-after-write retries: replication lag, or a write Graph
	// answered and did not apply (real tenants have done both).
	PolicyNotShown
	// PolicyUnread: Graph answered 204 and the read that followed failed.
	PolicyUnread
)

// Applied says whether Graph holds the written policy.
func (o PolicyOutcome) Applied() Applied {
	if o == PolicyApplied {
		return WriteApplied
	}
	return WriteUnknown
}

// PolicyWrite is the outcome of a policy PATCH and the policy read after
// it (when How is PolicyApplied or PolicyNotShown).
type PolicyWrite struct {
	How     PolicyOutcome
	Policy  SMSPolicy
	ReadErr error
}

// SameSMSPolicy reports whether two configurations are the same: the same
// state and targets, ids compared case-insensitively, in any order.
func SameSMSPolicy(a, b SMSPolicy) bool {
	key := func(t SMSPolicyTarget) string {
		return strings.ToLower(t.ID) + "|" + t.TargetType + "|" + fmt.Sprint(t.IsUsableForSignIn)
	}
	sameSet := func(x, y []SMSPolicyTarget) bool {
		if len(x) != len(y) {
			return false
		}
		count := map[string]int{}
		for _, t := range x {
			count[key(t)]++
		}
		for _, t := range y {
			count[key(t)]--
		}
		for _, n := range count {
			if n != 0 {
				return false
			}
		}
		return true
	}
	return a.State == b.State && sameSet(a.IncludeTargets, b.IncludeTargets) && sameSet(a.ExcludeTargets, b.ExcludeTargets)
}

// UpdateSMSPolicy sets the SMS configuration's state and replaces both
// target lists whole (Graph replaces collections given in a PATCH), then
// reads it back: the one place that decides whether Graph took the write.
// The body carries @odata.type, which Graph needs; a retry after a lost
// response sends the same body again, which is harmless.
func (c *Client) UpdateSMSPolicy(ctx context.Context, p SMSPolicy) (*PolicyWrite, error) {
	if err := c.patchSMSPolicy(ctx, p); err != nil {
		return nil, err
	}
	// The PATCH was answered: a failed read-back is part of the outcome
	// (PolicyUnread), not an error of the write.
	got, readErr := c.GetSMSPolicy(ctx, func(got SMSPolicy) bool { return SameSMSPolicy(got, p) })
	switch {
	case readErr != nil:
		return &PolicyWrite{How: PolicyUnread, ReadErr: readErr}, nil //nolint:nilerr // the outcome carries it
	case !SameSMSPolicy(*got, p):
		return &PolicyWrite{How: PolicyNotShown, Policy: *got}, nil
	}
	return &PolicyWrite{How: PolicyApplied, Policy: *got}, nil
}

// patchSMSPolicy sends the PATCH.
func (c *Client) patchSMSPolicy(ctx context.Context, p SMSPolicy) error {
	const op = "update SMS authentication method policy"
	state, err := parseMethodState(p.State)
	if err != nil {
		return &Error{Operation: op, Message: err.Error()}
	}
	include := make([]models.SmsAuthenticationMethodTargetable, 0, len(p.IncludeTargets))
	for _, t := range p.IncludeTargets {
		tt, err := parseTargetType(t.TargetType)
		if err != nil {
			return &Error{Operation: op, Message: err.Error()}
		}
		include = append(include, newIncludeTarget(t.ID, tt, t.IsUsableForSignIn))
	}
	exclude := make([]models.ExcludeTargetable, 0, len(p.ExcludeTargets))
	for _, t := range p.ExcludeTargets {
		tt, err := parseTargetType(t.TargetType)
		if err != nil {
			return &Error{Operation: op, Message: err.Error()}
		}
		x := models.NewExcludeTarget()
		id := t.ID
		x.SetId(&id)
		x.SetTargetType(&tt)
		exclude = append(exclude, x)
	}
	return c.run(ctx, op, retryPolicy{}, func(ctx context.Context) error {
		body := models.NewSmsAuthenticationMethodConfiguration()
		body.SetState(&state)
		body.SetIncludeTargets(include)
		body.SetExcludeTargets(exclude)
		_, err := c.smsConfiguration().Patch(ctx, body, nil)
		return err
	})
}

func newIncludeTarget(id string, tt models.AuthenticationMethodTargetType, usable bool) models.SmsAuthenticationMethodTargetable {
	t := models.NewSmsAuthenticationMethodTarget()
	t.SetId(&id)
	t.SetTargetType(&tt)
	t.SetIsUsableForSignIn(&usable)
	return t
}

func parseMethodState(s string) (models.AuthenticationMethodState, error) {
	switch s {
	case "enabled":
		return models.ENABLED_AUTHENTICATIONMETHODSTATE, nil
	case "disabled":
		return models.DISABLED_AUTHENTICATIONMETHODSTATE, nil
	}
	return 0, fmt.Errorf("unknown SMS policy state %q: expected enabled or disabled", s)
}

func parseTargetType(s string) (models.AuthenticationMethodTargetType, error) {
	switch s {
	case "user":
		return models.USER_AUTHENTICATIONMETHODTARGETTYPE, nil
	case "group":
		return models.GROUP_AUTHENTICATIONMETHODTARGETTYPE, nil
	}
	return 0, fmt.Errorf("unknown target type %q: expected user or group", s)
}
