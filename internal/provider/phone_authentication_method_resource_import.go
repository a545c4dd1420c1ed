package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
	"github.com/entraauth/terraform-provider-entraauth/internal/validators"
)

// importID is the resource id and the import id, "{user_id}/{phone_type}".
func importID(userID, phoneType string) string { return userID + "/" + phoneType }

// parseImportID reads "{user_id}/{phone_type}" or "{user_id}/{method_id}";
// user_id may be an object id or a UPN (which contains "@" but never "/")
// and follows the same rule as the user_id attribute. The phone type is
// matched case-insensitively and returned as Graph spells it.
func parseImportID(id string) (userID, phoneType string, err error) {
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
	for _, t := range graph.PhoneTypes() {
		if strings.EqualFold(t, second) {
			return user, t, nil
		}
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
	mobileID, _ := graph.MethodIDForPhoneType(graph.PhoneTypeMobile)
	return fmt.Sprintf("The import id %q is not valid: %s. The import id must be \"{user_id}/{phone_type}\" or \"{user_id}/{method_id}\", "+
		"where user_id is %s, phone_type is one of %s (in any case), and method_id is Graph's phone method id (%s); "+
		"for example \"adele@contoso.com/mobile\" or \"00000000-0000-0000-0000-000000000001/%s\".",
		e.id, e.problem, validators.UserIDExamples, strings.Join(graph.PhoneTypes(), ", "), strings.Join(methodIDList(), ", "), mobileID)
}

// methodIDList renders "mobile = <id>" for each type, for error messages.
func methodIDList() []string {
	var out []string
	for _, t := range graph.PhoneTypes() {
		id, _ := graph.MethodIDForPhoneType(t)
		out = append(out, t+" = "+id)
	}
	return out
}

// ImportState accepts both id forms; Read then fills in the rest, and fails
// the import when the user has no such phone.
func (r *phoneAuthenticationMethodResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	userID, phoneType, err := parseImportID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id", err.Error())
		return
	}
	methodID, _ := graph.MethodIDForPhoneType(phoneType)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), importID(userID, phoneType))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("user_id"), userID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("phone_type"), phoneType)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("method_id"), methodID)...)
}
