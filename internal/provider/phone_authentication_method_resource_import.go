package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

// importID is the resource id and the import id, "{user_id}/{phone_type}".
func importID(userID, phoneType string) string { return userID + "/" + phoneType }

// parseImportID reads "{user_id}/{phone_type}" or "{user_id}/{method_id}";
// user_id may be an object id or a UPN (which contains "@" but never "/").
// The phone type is matched case-insensitively and returned as Graph spells it.
func parseImportID(id string) (userID, phoneType string, err error) {
	user, second, found := strings.Cut(id, "/")
	if !found || user == "" || second == "" || strings.Contains(second, "/") ||
		strings.TrimSpace(user) != user || strings.TrimSpace(second) != second {
		return "", "", fmt.Errorf("%s", importIDHelp(id))
	}
	for _, t := range graph.PhoneTypes() {
		if strings.EqualFold(t, second) {
			return user, t, nil
		}
	}
	if t, ok := graph.PhoneTypeForMethodID(second); ok {
		return user, t, nil
	}
	return "", "", fmt.Errorf("%q is neither a phone type (%s) nor a phone method id (%s). %s",
		second, strings.Join(graph.PhoneTypes(), ", "), strings.Join(methodIDList(), ", "), importIDHelp(id))
}

func importIDHelp(id string) string {
	mobileID, _ := graph.MethodIDForPhoneType(graph.PhoneTypeMobile)
	return fmt.Sprintf("The import id %q must be \"{user_id}/{phone_type}\" or \"{user_id}/{method_id}\", where user_id is the user's object id or user principal name "+
		"and phone_type is one of %s; for example \"adele@contoso.com/mobile\" or \"00000000-0000-0000-0000-000000000001/%s\".",
		id, strings.Join(graph.PhoneTypes(), ", "), mobileID)
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
