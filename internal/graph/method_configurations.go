package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
	"github.com/microsoftgraph/msgraph-sdk-go/policies"
)

// The authentication methods policy's parts are read and written as
// Graph's JSON, not as msgraph-sdk-go's models: a PATCH must carry exactly
// the properties the configuration manages (never a value read back, such
// as Authenticator's numberMatchingRequiredState, which Graph returns and
// refuses), and a tenant returns configuration types the SDK does not
// model. The requests are still built by msgraph-sdk-go's request builders
// and sent through its adapter, as the user reads are (users.go).

// PolicyPart is one part of the tenant's authentication methods policy that
// a resource manages: a method configuration, or the registration campaign.
type PolicyPart struct {
	// ConfigurationID is the configuration's id ("Fido2", "Sms"); empty
	// for the registration campaign.
	ConfigurationID string
	// ODataType is the configuration's type, which every PATCH carries
	// ("#microsoft.graph.fido2AuthenticationMethodConfiguration").
	ODataType string
}

// RegistrationCampaign is the policy root's
// registrationEnforcement.authenticationMethodsRegistrationCampaign.
var RegistrationCampaign = PolicyPart{}

// MethodConfiguration returns the part for a configuration.
func MethodConfiguration(id, odataType string) PolicyPart {
	return PolicyPart{ConfigurationID: id, ODataType: odataType}
}

func (p PolicyPart) String() string {
	if p.ConfigurationID == "" {
		return "authentication methods registration campaign"
	}
	return p.ConfigurationID + " authentication method configuration"
}

// PolicyJSON is a part of the policy as Graph's JSON object: property
// names as Graph spells them, numbers as json.Number.
type PolicyJSON = map[string]any

// GetPolicyPart reads one part of the policy. expected, when not nil, is a
// read-after-write check: a read it rejects is stale and retried up to
// ReadAfterWriteRetries times; then the last value read is returned as it
// is, so the caller decides.
func (c *Client) GetPolicyPart(ctx context.Context, part PolicyPart, expected func(PolicyJSON) bool) (PolicyJSON, error) {
	op := "get " + part.String()
	policy := retryPolicy{}
	if expected != nil {
		policy.notFoundRetries = ReadAfterWriteRetries
	}
	var out PolicyJSON
	err := c.run(ctx, op, policy, func(ctx context.Context) error {
		got, err := c.readPolicyPart(ctx, part)
		if err != nil {
			return err
		}
		out = got
		if expected != nil && !expected(out) {
			return errStaleRead
		}
		return nil
	})
	if errors.Is(err, errStaleRead) && out != nil {
		return out, nil
	}
	return out, err
}

// GetAuthenticationMethodsPolicy reads the policy root with every
// configuration the tenant has, including types this provider does not
// model.
func (c *Client) GetAuthenticationMethodsPolicy(ctx context.Context) (PolicyJSON, error) {
	var out PolicyJSON
	err := c.run(ctx, "get authentication methods policy", retryPolicy{}, func(ctx context.Context) error {
		req, err := c.policyRoot().ToGetRequestInformation(ctx, nil)
		if err != nil {
			return err
		}
		out, err = c.sendForJSON(ctx, req)
		return err
	})
	return out, err
}

func (c *Client) policyRoot() *policies.AuthenticationMethodsPolicyRequestBuilder {
	return policies.NewPoliciesRequestBuilderInternal(map[string]string{}, c.adapter).AuthenticationMethodsPolicy()
}

// readPolicyPart is one GET of the part.
func (c *Client) readPolicyPart(ctx context.Context, part PolicyPart) (PolicyJSON, error) {
	if part.ConfigurationID == "" {
		req, err := c.policyRoot().ToGetRequestInformation(ctx, nil)
		if err != nil {
			return nil, err
		}
		root, err := c.sendForJSON(ctx, req)
		if err != nil {
			return nil, err
		}
		return campaignOf(root), nil
	}
	req, err := c.policyRoot().AuthenticationMethodConfigurations().ByAuthenticationMethodConfigurationId(part.ConfigurationID).ToGetRequestInformation(ctx, nil)
	if err != nil {
		return nil, err
	}
	return c.sendForJSON(ctx, req)
}

// campaignOf is the registration campaign of a policy root; an empty
// object when Graph left it out.
func campaignOf(root PolicyJSON) PolicyJSON {
	if enf, ok := root["registrationEnforcement"].(map[string]any); ok {
		if c, ok := enf["authenticationMethodsRegistrationCampaign"].(map[string]any); ok {
			return c
		}
	}
	return PolicyJSON{}
}

// graphErrors turns Graph's error answers into *odataerrors.ODataError, as
// the generated builders do.
var graphErrors = abstractions.ErrorMappings{"XXX": odataerrors.CreateODataErrorFromDiscriminatorValue}

// sendForJSON sends req and decodes the JSON object Graph answered.
func (c *Client) sendForJSON(ctx context.Context, req *abstractions.RequestInformation) (PolicyJSON, error) {
	res, err := c.adapter.SendPrimitive(ctx, req, "[]byte", graphErrors)
	if err != nil {
		return nil, err
	}
	body, _ := res.([]byte)
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var out PolicyJSON
	if err := dec.Decode(&out); err != nil || out == nil {
		return nil, fmt.Errorf("graph: the answer is not a JSON object: %w", err)
	}
	return out, nil
}

// PolicyOutcome says how a PATCH of a policy part ended.
type PolicyOutcome int

const (
	// PolicyApplied: Graph answered and reads back what was written.
	PolicyApplied PolicyOutcome = iota + 1
	// PolicyNotApplied: Graph answered every PATCH with success and still
	// read other values after each one's read-after-write retries (a
	// FIDO2 PATCH has been answered 204 and not applied; public reports).
	// Policy holds what Graph shows.
	PolicyNotApplied
	// PolicyUnread: Graph answered the PATCH and the read that followed
	// failed (ReadErr), so whether it holds the write is not known.
	PolicyUnread
)

// Applied says whether Graph holds the written policy.
func (o PolicyOutcome) Applied() Applied {
	switch o {
	case PolicyApplied:
		return WriteApplied
	case PolicyNotApplied:
		return WriteNotApplied
	}
	return WriteUnknown
}

// PolicyWrite is the outcome of a policy PATCH and the part read after it.
type PolicyWrite struct {
	How PolicyOutcome
	// Policy is what Graph holds (PolicyApplied, PolicyNotApplied).
	Policy PolicyJSON
	// Writes is how many PATCHes Graph answered.
	Writes  int
	ReadErr error
}

// PolicyWriteAttempts is how many times a PATCH that Graph answered but
// does not show is sent: sending the same body again is harmless, and lag
// that outlasts three rounds of read-after-write retries is not lag.
const PolicyWriteAttempts = 3

// UpdatePolicyPart PATCHes body (the part's managed properties, as Graph
// spells them; a configuration's @odata.type is added) and reads the part
// back: the one place that decides whether Graph took the write. A write
// Graph answered and does not show is sent again, up to
// PolicyWriteAttempts times within ctx, then reported PolicyNotApplied.
func (c *Client) UpdatePolicyPart(ctx context.Context, part PolicyPart, body PolicyJSON) (*PolicyWrite, error) {
	if part.ConfigurationID != "" {
		body = withODataType(body, part.ODataType)
	}
	shows := func(got PolicyJSON) bool { return PolicyShows(got, body) }
	out := &PolicyWrite{}
	var last PolicyJSON // what Graph showed after the last answered PATCH
	for {
		round := time.Now()
		if err := c.patchPolicyPart(ctx, part, body); err != nil {
			if out.Writes == 0 {
				return nil, err
			}
			// An earlier PATCH was answered: report what Graph shows.
			gctx, cancel := GraceContext(ctx, StopReasonOf(err))
			got, readErr := c.GetPolicyPart(gctx, part, nil)
			cancel()
			switch {
			case readErr != nil:
				return nil, err
			case shows(got):
				return &PolicyWrite{How: PolicyApplied, Policy: got, Writes: out.Writes}, nil
			}
			return &PolicyWrite{How: PolicyNotApplied, Policy: got, Writes: out.Writes}, nil
		}
		out.Writes++
		got, readErr := c.GetPolicyPart(ctx, part, shows)
		switch {
		case readErr != nil && last != nil:
			// The earlier read showed the write was not applied.
			return &PolicyWrite{How: PolicyNotApplied, Policy: last, Writes: out.Writes}, nil
		case readErr != nil:
			return &PolicyWrite{How: PolicyUnread, ReadErr: readErr, Writes: out.Writes}, nil //nolint:nilerr // the outcome carries it
		case shows(got):
			return &PolicyWrite{How: PolicyApplied, Policy: got, Writes: out.Writes}, nil
		case out.Writes >= PolicyWriteAttempts || !roomForAnotherRound(ctx, time.Since(round)):
			return &PolicyWrite{How: PolicyNotApplied, Policy: got, Writes: out.Writes}, nil
		}
		last = got
	}
}

// roomForAnotherRound reports whether ctx leaves time for another PATCH
// and read-back, twice as long as the last round took, so a write that was
// not applied is reported as such instead of as a timeout of a last try.
func roomForAnotherRound(ctx context.Context, last time.Duration) bool {
	room := untilDeadline(ctx)
	return ctx.Err() == nil && (room < 0 || room > 2*last)
}

// withODataType is body with the configuration's type first: Graph needs
// it to know which derived configuration the PATCH is for.
func withODataType(body PolicyJSON, odataType string) PolicyJSON {
	out := make(PolicyJSON, len(body)+1)
	for k, v := range body {
		out[k] = v
	}
	out["@odata.type"] = odataType
	return out
}

// patchPolicyPart sends one PATCH (retried on throttling and lost
// responses: the same body again gives the same end state).
func (c *Client) patchPolicyPart(ctx context.Context, part PolicyPart, body PolicyJSON) error {
	op := "update " + part.String()
	payload := body
	if part.ConfigurationID == "" {
		payload = PolicyJSON{"registrationEnforcement": PolicyJSON{"authenticationMethodsRegistrationCampaign": body}}
	}
	raw, err := json.Marshal(payload)
	if err != nil {
		return &Error{Operation: op, Message: err.Error()}
	}
	return c.run(ctx, op, retryPolicy{}, func(ctx context.Context) error {
		var req *abstractions.RequestInformation
		var err error
		if part.ConfigurationID == "" {
			req, err = c.policyRoot().ToGetRequestInformation(ctx, nil)
		} else {
			req, err = c.policyRoot().AuthenticationMethodConfigurations().ByAuthenticationMethodConfigurationId(part.ConfigurationID).ToGetRequestInformation(ctx, nil)
		}
		if err != nil {
			return err
		}
		req.Method = abstractions.PATCH
		req.SetStreamContentAndContentType(raw, "application/json")
		// The root answers 200 with the policy; only the status matters.
		_, err = c.adapter.SendPrimitive(ctx, req, "[]byte", graphErrors)
		return err
	})
}

// PolicyShows reports whether got holds everything sent: each property sent has
// the same value in got (ids and GUIDs compared case-insensitively, as
// Graph compares them), a collection sent holds the same elements in any
// order (an empty one may be left out), and properties Graph adds
// (read-only ones, annotations, those not managed) are ignored.
func PolicyShows(got, sent PolicyJSON) bool {
	return jsonShows(got, sent)
}

func jsonShows(got, sent any) bool {
	switch s := sent.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return false
		}
		for k, v := range s {
			if strings.HasPrefix(k, "@") {
				continue // @odata.type: Graph answers with its own spelling
			}
			if !jsonShows(g[k], v) {
				return false
			}
		}
		return true
	case []any:
		g, ok := got.([]any)
		if got == nil && len(s) == 0 {
			return true // an empty collection Graph leaves out
		}
		if !ok || len(g) != len(s) {
			return false
		}
		used := make([]bool, len(g))
	next:
		for _, want := range s {
			for i, have := range g {
				if !used[i] && jsonShows(have, want) {
					used[i] = true
					continue next
				}
			}
			return false
		}
		return true
	case string:
		g, ok := got.(string)
		return ok && sameString(g, s)
	case nil:
		return got == nil
	default:
		return numberOrScalarEqual(got, sent)
	}
}

// sameString compares ids and GUIDs case-insensitively, as Graph does,
// and every other string (enums, issuer names, OIDs) exactly.
func sameString(got, sent string) bool {
	if got == sent {
		return true
	}
	caseFree := func(v string) bool { return guidString.MatchString(v) || strings.EqualFold(v, "all_users") }
	return caseFree(sent) && strings.EqualFold(got, sent)
}

// guidString is an object id or AAGUID.
var guidString = regexp.MustCompile(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$`)

// numberOrScalarEqual compares booleans and numbers (json.Number read, Go
// numbers sent).
func numberOrScalarEqual(got, sent any) bool {
	gs, sn := fmt.Sprint(got), fmt.Sprint(sent)
	if gn, ok := got.(json.Number); ok {
		gs = gn.String()
	}
	return gs == sn
}
