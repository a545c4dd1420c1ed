package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
)

// Graph's methodUsabilityReason values of a Temporary Access Pass.
const (
	TAPEnabledByPolicy  = "EnabledByPolicy"
	TAPDisabledByPolicy = "DisabledByPolicy"
	TAPExpired          = "Expired"
	TAPNotYetValid      = "NotYetValid"
	TAPOneTimeUsed      = "OneTimeUsed"
)

// TemporaryAccessPass is a user's Temporary Access Pass method as Graph
// returns it. Pass is set only from the create's answer: Graph returns the
// pass once and null on every read after.
type TemporaryAccessPass struct {
	ID                    string
	Pass                  string
	CreatedDateTime       string
	StartDateTime         string
	LifetimeInMinutes     int64
	IsUsableOnce          bool
	IsUsable              bool
	MethodUsabilityReason string
}

// TAPRequest is what a create asks for; nil fields are left to the
// tenant's Temporary Access Pass policy (its default lifetime and
// one-time use; a start of now).
type TAPRequest struct {
	StartDateTime     *time.Time
	LifetimeInMinutes *int64
	IsUsableOnce      *bool
}

func (c *Client) tapMethods(userID string) *users.ItemAuthenticationTemporaryAccessPassMethodsRequestBuilder {
	return users.NewUsersRequestBuilderInternal(map[string]string{}, c.adapter).
		ByUserId(userID).Authentication().TemporaryAccessPassMethods()
}

// tapFromJSON reads a TAP from Graph's JSON (read as JSON rather than
// msgraph-sdk-go's model so that no value is reformatted: the start and
// creation times keep Graph's spelling).
func tapFromJSON(m PolicyJSON) TemporaryAccessPass {
	t := TemporaryAccessPass{
		ID:                    jsonString(m["id"]),
		Pass:                  jsonString(m["temporaryAccessPass"]),
		CreatedDateTime:       jsonString(m["createdDateTime"]),
		StartDateTime:         jsonString(m["startDateTime"]),
		MethodUsabilityReason: jsonString(m["methodUsabilityReason"]),
	}
	if n, ok := m["lifetimeInMinutes"].(json.Number); ok {
		t.LifetimeInMinutes, _ = n.Int64()
	}
	t.IsUsableOnce, _ = m["isUsableOnce"].(bool)
	t.IsUsable, _ = m["isUsable"].(bool)
	return t
}

// ListTemporaryAccessPasses returns the user's passes (without the pass
// values, which Graph never returns after the create).
func (c *Client) ListTemporaryAccessPasses(ctx context.Context, userID string) ([]TemporaryAccessPass, error) {
	return c.listTemporaryAccessPasses(ctx, userID, retryPolicy{})
}

func (c *Client) listTemporaryAccessPasses(ctx context.Context, userID string, policy retryPolicy) ([]TemporaryAccessPass, error) {
	const op = "list temporary access passes"
	if strings.TrimSpace(userID) == "" {
		return nil, &Error{Operation: op, Message: "user id must not be empty"}
	}
	var out []TemporaryAccessPass
	err := c.run(ctx, op, policy, func(ctx context.Context) error {
		req, err := c.tapMethods(userID).ToGetRequestInformation(ctx, nil)
		if err != nil {
			return err
		}
		page, err := c.sendForJSON(ctx, req)
		if err != nil {
			return err
		}
		out = out[:0]
		values, _ := page["value"].([]any)
		for _, v := range values {
			if m, ok := v.(map[string]any); ok {
				out = append(out, tapFromJSON(m))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// GetTemporaryAccessPass reads one pass; a missing one (expired passes are
// kept by Graph; deleted or replaced ones are not) gives an error for which
// IsNotFound is true. retries > 0 retries a 404 (a pass created moments
// ago that Graph does not show yet).
func (c *Client) GetTemporaryAccessPass(ctx context.Context, userID, id string, retries int) (*TemporaryAccessPass, error) {
	const op = "get temporary access pass"
	if strings.TrimSpace(userID) == "" || strings.TrimSpace(id) == "" {
		return nil, &Error{Operation: op, Message: "user id and pass id must not be empty"}
	}
	var out *TemporaryAccessPass
	err := c.run(ctx, op, retryPolicy{notFoundRetries: retries}, func(ctx context.Context) error {
		req, err := c.tapMethods(userID).ByTemporaryAccessPassAuthenticationMethodId(id).ToGetRequestInformation(ctx, nil)
		if err != nil {
			return err
		}
		m, err := c.sendForJSON(ctx, req)
		if err != nil {
			return err
		}
		t := tapFromJSON(m)
		t.Pass = "" // never kept from a read, whatever Graph sends
		out = &t
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CreateTAPOutcome says how the pass CreateTemporaryAccessPass returns came
// to be.
type CreateTAPOutcome int

const (
	// TAPCreated: Graph answered the POST with the new pass.
	TAPCreated CreateTAPOutcome = iota + 1
	// TAPReplacedExisting: the user had a pass, which Graph allows one of;
	// Graph refused the POST while it existed, so it was deleted and the
	// POST sent again (the v1.0 documentation says a new pass replaces the
	// old one, and this makes it so when Graph refuses instead).
	// Replaced says which pass that was.
	TAPReplacedExisting
	// TAPReissuedLost: an attempt's answer was lost (no response or a 504)
	// and its pass, never seen by anyone, blocked the retry; it was deleted
	// and the POST sent again.
	TAPReissuedLost
)

// CreatedTAP is a new pass (with its value) and how it came to be.
type CreatedTAP struct {
	TemporaryAccessPass
	How CreateTAPOutcome
	// Replaced is the pass the user had before, when Graph showed one
	// before the create (Graph replaces it, or refuses and it is deleted).
	Replaced *TemporaryAccessPass
}

// TAPRefusedError is Graph's refusal of a new pass, with what Graph shows
// of the Temporary Access Pass policy to say why: the policy off, the user
// not among its targets, or a lifetime outside its range. Policy is nil
// when the policy could not be read (PolicyErr says why).
type TAPRefusedError struct {
	Err       error
	Policy    PolicyJSON
	PolicyErr error
	Lifetime  *int64
	// UsableOnce is the isUsableOnce asked for (nil: the policy's).
	UsableOnce *bool
	// Targeted says whether the policy targets the user, when
	// TargetingKnown (the user and the targeted groups could be read).
	Targeted, TargetingKnown bool
}

func (e *TAPRefusedError) Error() string { return e.Err.Error() }

func (e *TAPRefusedError) Unwrap() error { return e.Err }

// LifetimeRange is the policy's minimum and maximum lifetime, when read.
func (e *TAPRefusedError) LifetimeRange() (lo, hi int64, ok bool) {
	if e.Policy == nil {
		return 0, 0, false
	}
	lo, lok := jsonInt(e.Policy["minimumLifetimeInMinutes"])
	hi, hok := jsonInt(e.Policy["maximumLifetimeInMinutes"])
	return lo, hi, lok && hok
}

// PolicyState is the policy's state ("enabled", "disabled"), "" when not read.
func (e *TAPRefusedError) PolicyState() string {
	if e.Policy == nil {
		return ""
	}
	return jsonString(e.Policy["state"])
}

// LifetimeOutside reports a requested lifetime outside the policy's range.
func (e *TAPRefusedError) LifetimeOutside() bool {
	lo, hi, ok := e.LifetimeRange()
	return ok && e.Lifetime != nil && (*e.Lifetime < lo || *e.Lifetime > hi)
}

func jsonInt(v any) (int64, bool) {
	switch n := v.(type) {
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	case float64:
		return int64(n), true
	case string:
		i, err := strconv.ParseInt(n, 10, 64)
		return i, err == nil
	}
	return 0, false
}

// UnknownTAPCreateError says a create stopped (deadline or interrupt)
// before Graph answered. A pass it may have created was never seen, so it
// cannot be handed to anyone: Cleaned says every pass Graph showed that
// the user did not have before was deleted; otherwise CheckErr says why
// that could not be checked.
type UnknownTAPCreateError struct {
	Err      error
	Cleaned  bool
	CheckErr error
}

func (e *UnknownTAPCreateError) Error() string {
	if e.Cleaned {
		return e.Err.Error()
	}
	return fmt.Sprintf("%v (whether Graph created a pass could not be checked: %v)", e.Err, e.CheckErr)
}

func (e *UnknownTAPCreateError) Unwrap() error { return e.Err }

// newPasses are the passes of now that were not in before: the ones a
// create made.
func newPasses(before, now []TemporaryAccessPass) []TemporaryAccessPass {
	var out []TemporaryAccessPass
	for _, t := range now {
		seen := false
		for _, b := range before {
			seen = seen || strings.EqualFold(b.ID, t.ID)
		}
		if !seen {
			out = append(out, t)
		}
	}
	return out
}

// CreateTemporaryAccessPass issues a pass and is the one place that decides
// what a create that got no plain answer left in Graph. A user holds one
// pass: the v1.0 documentation says a new pass replaces the old one, and
// scripts in the wild report the POST refused while one exists; both end
// the same here, with the new pass and the old one gone (How says which
// happened; Replaced names the old pass). The old pass is deleted only when
// the refusal cannot be anything else: the policy is read and is enabled,
// allows the lifetime and the one-time setting, and targets the user.
// Any other refusal gives *TAPRefusedError and changes nothing. A create
// stopped by its deadline or an interrupt deletes any pass it made (its
// value was never seen) and gives *UnknownTAPCreateError.
func (c *Client) CreateTemporaryAccessPass(ctx context.Context, userID string, r TAPRequest) (*CreatedTAP, error) {
	const op = "create temporary access pass"
	if strings.TrimSpace(userID) == "" {
		return nil, &Error{Operation: op, Message: "user id must not be empty"}
	}
	body := map[string]any{}
	if r.StartDateTime != nil {
		body["startDateTime"] = r.StartDateTime.UTC().Format(time.RFC3339Nano)
	}
	if r.LifetimeInMinutes != nil {
		body["lifetimeInMinutes"] = *r.LifetimeInMinutes
	}
	if r.IsUsableOnce != nil {
		body["isUsableOnce"] = *r.IsUsableOnce
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, &Error{Operation: op, Message: err.Error()}
	}
	// What the user holds before: a pass Graph will replace (or refuse
	// for). A user created moments ago (azuread_user in the same apply) is
	// waited for, as every write does.
	before, err := c.listTemporaryAccessPasses(ctx, userID, writePolicy)
	if err != nil {
		return nil, err
	}
	var replaced *TemporaryAccessPass
	if len(before) > 0 {
		replaced = &before[0]
	}
	post := func() (TemporaryAccessPass, bool, error) {
		var out TemporaryAccessPass
		lost := false
		err := c.run(ctx, op, writePolicy, func(ctx context.Context) error {
			req, err := c.tapMethods(userID).ToGetRequestInformation(ctx, nil)
			if err != nil {
				return err
			}
			req.Method = abstractions.POST
			req.SetStreamContentAndContentType(raw, "application/json")
			m, err := c.sendForJSON(ctx, req)
			if err != nil {
				lost = lost || attemptResponseLost(ctx)
				return err
			}
			out = tapFromJSON(m)
			return nil
		})
		return out, lost, err
	}
	out, lost, err := post()
	if err == nil && out.Pass == "" {
		// Answered without the pass: nobody can use it, so it goes.
		err = &Error{Operation: op, Message: "Graph's answer held no pass"}
		if out.ID != "" {
			_, _ = c.DeleteTemporaryAccessPass(ctx, userID, out.ID)
			err = &Error{Operation: op, Message: fmt.Sprintf("Graph's answer held no pass; the pass it created (%s) was deleted", out.ID)}
		}
		return nil, err
	}
	if err == nil {
		return &CreatedTAP{TemporaryAccessPass: out, How: TAPCreated, Replaced: replaced}, nil
	}
	if StopReasonOf(err) != StoppedByAnswer {
		return nil, c.cleanUpUnseenTAP(ctx, userID, before, err)
	}
	// A 403 is the caller's: a missing permission, or an administrator
	// issuing a pass to themselves; the policy has no part in it.
	if status := StatusCode(err); status != http.StatusBadRequest && status != http.StatusConflict {
		return nil, err
	}
	// Refused: the policy, the one-pass rule, or the caller. What the user
	// holds now and what the policy says tell which.
	now, lerr := c.ListTemporaryAccessPasses(ctx, userID)
	refused := c.tapRefusal(ctx, err, r)
	if lerr != nil || len(now) == 0 {
		return nil, refused
	}
	how := TAPReplacedExisting
	ours := newPasses(before, now)
	switch {
	case lost && len(ours) > 0:
		// An earlier attempt's pass, whose answer was lost: never seen, so
		// it may go whatever the refusal was.
		how, now = TAPReissuedLost, ours
	case refused.policyAccounts():
		return nil, refused
	default:
		targeted, known := c.tapTargets(ctx, userID, refused.Policy)
		refused.Targeted, refused.TargetingKnown = targeted, known
		if !known || !targeted {
			// Deleting the user's pass would not help, or might not: it stays.
			return nil, refused
		}
	}
	for _, t := range now {
		if _, derr := c.DeleteTemporaryAccessPass(ctx, userID, t.ID); derr != nil {
			return nil, fmt.Errorf("%w; the user's existing pass %s could not be deleted to make room: %v", err, t.ID, derr)
		}
	}
	out, _, err2 := post()
	switch {
	case err2 != nil && StopReasonOf(err2) != StoppedByAnswer:
		return nil, c.cleanUpUnseenTAP(ctx, userID, nil, err2)
	case err2 != nil:
		return nil, c.tapRefusal(ctx, err2, r)
	case out.Pass == "":
		if out.ID != "" {
			_, _ = c.DeleteTemporaryAccessPass(ctx, userID, out.ID)
		}
		return nil, &Error{Operation: op, Message: "Graph's answer held no pass; the pass it created was deleted"}
	}
	if how == TAPReissuedLost {
		replaced = nil
	}
	return &CreatedTAP{TemporaryAccessPass: out, How: how, Replaced: replaced}, nil
}

// tapTargets reports whether the TAP policy's targets include the user and
// do not exclude them, reading the user and the targeted groups' members
// (known is false when policy is nil or a read fails).
func (c *Client) tapTargets(ctx context.Context, userID string, policy PolicyJSON) (targeted, known bool) {
	if policy == nil {
		return false, false
	}
	u, err := c.GetUser(ctx, userID)
	if err != nil {
		return false, false
	}
	in := func(list any) (bool, bool) {
		targets, _ := list.([]any)
		for _, x := range targets {
			t, _ := x.(map[string]any)
			id, typ := jsonString(t["id"]), jsonString(t["targetType"])
			switch {
			case strings.EqualFold(id, "all_users"), strings.EqualFold(typ, "user") && strings.EqualFold(id, u.ID):
				return true, true
			case strings.EqualFold(typ, "group"):
				member := false
				err := c.ListGroupUsers(ctx, id, func(m User) bool {
					member = strings.EqualFold(m.ID, u.ID)
					return !member
				})
				if err != nil {
					return false, false
				}
				if member {
					return true, true
				}
			}
		}
		return false, true
	}
	included, ok1 := in(policy["includeTargets"])
	excluded, ok2 := in(policy["excludeTargets"])
	return included && !excluded, ok1 && ok2
}

// policyAccounts reports a refusal the Temporary Access Pass policy
// explains: the policy is not enabled, the lifetime is outside its range,
// or a multi-use pass where it requires one-time passes. (A user outside
// its targets is not checked here: group membership is Graph's to judge.)
func (e *TAPRefusedError) policyAccounts() bool {
	return (e.Policy != nil && !strings.EqualFold(e.PolicyState(), "enabled")) || e.LifetimeOutside() || e.MultiUseRefused()
}

// MultiUseRefused reports a multi-use pass asked for where the policy
// requires one-time passes.
func (e *TAPRefusedError) MultiUseRefused() bool {
	once, _ := e.Policy["isUsableOnce"].(bool)
	return e.Policy != nil && once && e.UsableOnce != nil && !*e.UsableOnce
}

// tapRefusal wraps Graph's refusal with the Temporary Access Pass policy
// as Graph shows it.
func (c *Client) tapRefusal(ctx context.Context, err error, r TAPRequest) *TAPRefusedError {
	out := &TAPRefusedError{Err: err, Lifetime: r.LifetimeInMinutes, UsableOnce: r.IsUsableOnce}
	out.Policy, out.PolicyErr = c.GetPolicyPart(ctx, MethodConfiguration("TemporaryAccessPass", "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration"), nil)
	return out
}

// cleanUpUnseenTAP deletes the passes a stopped create made (those not in
// before; all of them when before is nil, after the user's passes were
// deleted to make room): nobody has their value, so they could only sit in
// Graph unused, and a later create would replace them anyway.
func (c *Client) cleanUpUnseenTAP(ctx context.Context, userID string, before []TemporaryAccessPass, err error) error {
	gctx, cancel := GraceContext(ctx, StopReasonOf(err))
	defer cancel()
	now, lerr := c.ListTemporaryAccessPasses(gctx, userID)
	if lerr != nil {
		return &UnknownTAPCreateError{Err: err, CheckErr: lerr}
	}
	for _, t := range newPasses(before, now) {
		if _, derr := c.DeleteTemporaryAccessPass(gctx, userID, t.ID); derr != nil {
			return &UnknownTAPCreateError{Err: err, CheckErr: derr}
		}
	}
	return &UnknownTAPCreateError{Err: err, Cleaned: true}
}

// DeleteTemporaryAccessPass removes a pass; a 404 is AlreadyGone (an
// expired pass is still there to delete). A delete that stopped (deadline
// or interrupt) is checked by reading under a grace period.
func (c *Client) DeleteTemporaryAccessPass(ctx context.Context, userID, id string) (DeleteOutcome, error) {
	const op = "delete temporary access pass"
	if strings.TrimSpace(userID) == "" || strings.TrimSpace(id) == "" {
		return 0, &Error{Operation: op, Message: "user id and pass id must not be empty"}
	}
	err := c.run(ctx, op, writePolicy, func(ctx context.Context) error {
		return c.tapMethods(userID).ByTemporaryAccessPassAuthenticationMethodId(id).Delete(ctx, nil)
	})
	switch stop := StopReasonOf(err); {
	case err == nil:
		return Deleted, nil
	case IsNotFound(err):
		return AlreadyGone, nil
	case stop != StoppedByAnswer:
		gctx, cancel := GraceContext(ctx, stop)
		defer cancel()
		_, gerr := c.GetTemporaryAccessPass(gctx, userID, id, 0)
		switch {
		case IsNotFound(gerr):
			return DeleteAppliedBeforeStop, err
		case gerr == nil:
			return DeleteNotAppliedBeforeStop, err
		}
		return DeleteUnknownBeforeStop, errors.Join(err, gerr)
	}
	return 0, err
}
