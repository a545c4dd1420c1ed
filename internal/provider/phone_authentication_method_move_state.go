package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
	"github.com/entraauth/terraform-provider-entraauth/internal/validators"
)

// A `moved` block from a msgraph_resource of the microsoft/msgraph provider
// (Terraform 1.8+) hands its state to this resource. Terraform sends the
// source state as raw JSON; Terraform then refreshes the moved phone (Read),
// so the move only has to say which phone it is: the user, the phone type
// and the number as the msgraph configuration wrote it.

var _ resource.ResourceWithMoveState = (*phoneAuthenticationMethodResource)(nil)

// The one source this resource takes state from.
const (
	msgraphProviderAddress = "registry.terraform.io/microsoft/msgraph"
	// msgraphProviderAddressOpenTofu is the same provider under OpenTofu,
	// which resolves microsoft/msgraph (and registry.terraform.io addresses
	// in a state Terraform wrote) against its own registry.
	msgraphProviderAddressOpenTofu = "registry.opentofu.org/microsoft/msgraph"
	msgraphResourceType            = "msgraph_resource"
	// msgraphSchemaVersion is msgraph_resource's schema version: its schema
	// sets none, so every release so far writes 0.
	msgraphSchemaVersion = 0
)

// msgraphPhoneMethodsURL is the url a msgraph_resource that created a phone
// method has, and the examples every refusal shows.
const msgraphPhoneMethodsURL = `"users/{user id}/authentication/phoneMethods" (the user's object id or user principal name; ` +
	`a leading "/" is allowed), for example "users/adele@contoso.com/authentication/phoneMethods"`

func (r *phoneAuthenticationMethodResource) MoveState(context.Context) []resource.StateMover {
	return []resource.StateMover{{StateMover: moveFromMSGraphResource}}
}

// moveFromMSGraphResource sets id, user_id, phone_type, method_id, when
// the body has it phone_number, and the identity; Read fills in the rest
// from Graph.
func moveFromMSGraphResource(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
	const summary = "Cannot move this resource to entraauth_phone_authentication_method"
	fromMSGraph := req.SourceProviderAddress == msgraphProviderAddress || req.SourceProviderAddress == msgraphProviderAddressOpenTofu ||
		misreportedMSGraphSource(req.SourceProviderAddress)
	if !fromMSGraph || req.SourceTypeName != msgraphResourceType {
		resp.Diagnostics.AddError(summary, fmt.Sprintf(
			"A %s of provider %s cannot become an entraauth_phone_authentication_method: a moved block can only move a %s of %s whose url is %s. "+
				"Import the phone instead (an import block with id \"{user_id}/{phone_type}\").",
			req.SourceTypeName, req.SourceProviderAddress, msgraphResourceType, msgraphProviderAddress, msgraphPhoneMethodsURL))
		return
	}
	if req.SourceSchemaVersion != msgraphSchemaVersion {
		resp.Diagnostics.AddError(summary, fmt.Sprintf(
			"This %s state has schema version %d, written by a version of the msgraph provider this provider does not know (it reads version %d). "+
				"Import the phone instead (an import block with id \"{user_id}/{phone_type}\").",
			msgraphResourceType, req.SourceSchemaVersion, msgraphSchemaVersion))
		return
	}
	if req.SourceRawState == nil {
		resp.Diagnostics.AddError(summary, "Terraform sent no state for the msgraph_resource.")
		return
	}
	phone, err := phoneFromMSGraphState(req.SourceRawState.JSON)
	if err != nil {
		resp.Diagnostics.AddError(summary, "This msgraph_resource does not hold one user's phone method: "+strings.TrimSuffix(err.Error(), ".")+".")
		return
	}
	set := func(p path.Path, v any) { resp.Diagnostics.Append(resp.TargetState.SetAttribute(ctx, p, v)...) }
	set(path.Root("id"), importID(phone.userID, phone.phoneType))
	set(path.Root("user_id"), phone.userID)
	set(pathPhoneType, string(phone.phoneType))
	set(path.Root("method_id"), phone.phoneType.MethodID())
	if phone.number != "" {
		set(pathPhoneNumber, phone.number)
	}
	// Terraform 1.12+ keeps the identity with the moved state, so it is
	// complete even for a plan that does not refresh.
	resp.Diagnostics.Append(setIdentity(ctx, resp.TargetIdentity, phoneAuthenticationMethodModel{
		UserID: types.StringValue(phone.userID), PhoneType: types.StringValue(string(phone.phoneType)),
	})...)
}

// movedPhone is what a msgraph_resource state says about the phone.
type movedPhone struct {
	userID    string
	phoneType graph.PhoneType
	number    string // as the body wrote it; "" when it has none
}

// msgraphResourceState holds the attributes of a msgraph_resource state
// that name a phone method: url is the collection the phone was POSTed to,
// id the created object's id (a phone method id), body the request body.
type msgraphResourceState struct {
	ID   string          `json:"id"`
	URL  string          `json:"url"`
	Body json.RawMessage `json:"body"`
}

// phoneFromMSGraphState reads the user from url, the phone type from the
// body's phoneType and the method id (which must agree), and the number
// from the body. Every error says what was wrong and what is accepted.
func phoneFromMSGraphState(raw []byte) (movedPhone, error) {
	var st msgraphResourceState
	if err := json.Unmarshal(raw, &st); err != nil {
		return movedPhone{}, fmt.Errorf("the msgraph_resource state is not the JSON object Terraform writes: %v", err)
	}
	userID, err := userFromPhoneMethodsURL(st.URL)
	if err != nil {
		return movedPhone{}, err
	}
	body, err := msgraphBody(st.Body)
	if err != nil {
		return movedPhone{}, err
	}
	bodyType := bodyString(body, "phoneType")
	number := bodyString(body, "phoneNumber")

	var fromBody, fromID graph.PhoneType
	if bodyType != "" {
		t, ok := graph.PhoneTypeNamed(bodyType)
		if !ok {
			return movedPhone{}, fmt.Errorf("the body's phoneType %q is not one of %s", bodyType, quoteList(phoneTypeValues))
		}
		fromBody = t
	}
	if st.ID != "" {
		t, ok := graph.PhoneTypeForMethodID(st.ID)
		if !ok {
			return movedPhone{}, fmt.Errorf("the id %q is not one of Graph's phone method ids (%s), so this msgraph_resource does not hold a phone method", st.ID, validators.MethodIDList())
		}
		fromID = t
	}
	switch {
	case fromBody != "" && fromID != "" && fromBody != fromID:
		return movedPhone{}, fmt.Errorf("the body's phoneType is %q but the id %q is the %s phone's method id; fix the msgraph_resource (terraform apply with the msgraph provider) before moving it", bodyType, st.ID, fromID)
	case fromBody == "" && fromID == "":
		return movedPhone{}, fmt.Errorf("the state has neither a phone method id in id nor a phoneType in body, so the phone type is unknown")
	case fromBody == "":
		fromBody = fromID
	}
	return movedPhone{userID: userID, phoneType: fromBody, number: number}, nil
}

// userFromPhoneMethodsURL returns the user of the url
// "users/{user id}/authentication/phoneMethods" (path segments compared as
// Graph does, ignoring case; the user id is URL-unescaped and follows the
// user_id attribute's rule). Any other url is refused.
func userFromPhoneMethodsURL(raw string) (string, error) {
	refuse := func(why string) (string, error) {
		return "", fmt.Errorf("its url %q %s. Only a msgraph_resource that created a user's phone method can be moved: its url is %s. "+
			"Keep other msgraph_resource resources (another authentication method, a group, ...) in the msgraph provider", raw, why, msgraphPhoneMethodsURL)
	}
	p := strings.TrimPrefix(strings.TrimSpace(raw), "/")
	if p == "" {
		return refuse("is empty")
	}
	if strings.ContainsAny(p, "?#") {
		return refuse("has a query or fragment")
	}
	seg := strings.Split(strings.TrimSuffix(p, "/"), "/")
	if len(seg) != 4 || !strings.EqualFold(seg[0], "users") || !strings.EqualFold(seg[2], "authentication") || !strings.EqualFold(seg[3], "phoneMethods") {
		return refuse("is not a user's phone methods")
	}
	user, err := url.PathUnescape(seg[1])
	if err != nil {
		return refuse(fmt.Sprintf("has a user id that is not URL-escaped correctly (%v)", err))
	}
	if problem := validators.UserIDProblem(user); problem != "" {
		return refuse(fmt.Sprintf("names the user %q, which is not a user id: %s", user, problem))
	}
	return user, nil
}

// msgraphBody decodes body, a dynamic attribute: Terraform writes it as
// {"value": ..., "type": ...}; null when the configuration had no body.
func msgraphBody(raw json.RawMessage) (map[string]any, error) {
	if len(bytes.TrimSpace(raw)) == 0 || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return nil, nil
	}
	var dyn struct {
		Value json.RawMessage `json:"value"`
		Type  json.RawMessage `json:"type"`
	}
	if err := json.Unmarshal(raw, &dyn); err == nil && dyn.Type != nil {
		raw = dyn.Value
	}
	var body any
	if err := json.Unmarshal(raw, &body); err != nil {
		return nil, fmt.Errorf("the body in the msgraph_resource state is not JSON: %v", err)
	}
	if s, ok := body.(string); ok {
		// A body given as jsonencode(...) text.
		if err := json.Unmarshal([]byte(s), &body); err != nil {
			return nil, fmt.Errorf("the body in the msgraph_resource state is a string that is not a JSON object: %v", err)
		}
	}
	switch b := body.(type) {
	case map[string]any:
		return b, nil
	case nil:
		return nil, nil
	}
	return nil, fmt.Errorf("the body in the msgraph_resource state is not an object")
}

// bodyString returns the string property name of body, matching the name
// as Graph does (ignoring case); "" when body has no such string.
func bodyString(body map[string]any, name string) string {
	for k, v := range body {
		if s, ok := v.(string); ok && strings.EqualFold(k, name) {
			return s
		}
	}
	return ""
}

// misreportedMSGraphSource reports this provider's own address given as the
// source of a move: OpenTofu 1.12.6 at times names the target's provider as
// the source of one instance of a moved for_each resource (UPSTREAM.md
// entry 7). This provider has no msgraph_resource type, so a
// msgraph_resource "of this provider" can only be the msgraph provider's,
// and its state is checked as any other (url, method id, body).
func misreportedMSGraphSource(addr string) bool {
	parts := strings.Split(addr, "/")
	return len(parts) == 3 && parts[2] == "entraauth"
}
