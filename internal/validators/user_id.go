package validators

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var _ validator.String = userIDValidator{}

type userIDValidator struct{}

// UserID accepts a user's object id or user principal name as Graph takes
// it in a URL: not empty, no surrounding spaces, no "/" (which would also
// make the import id "{user_id}/{phone_type}" ambiguous), and not "." or
// "..", which URL path handling would turn into a different endpoint.
func UserID() validator.String { return userIDValidator{} }

// UserIDExamples are the valid user ids every refusal shows.
const UserIDExamples = `the user's object id (e.g. "00000000-0000-0000-0000-000000000001") or user principal name (e.g. "adele@contoso.com")`

// UserIDProblem says why v cannot be a user id ("it is empty"), or returns
// "" when it can. The import id parser applies the same rule.
func UserIDProblem(v string) string {
	switch {
	case v == "":
		return "it is empty"
	case strings.TrimSpace(v) != v:
		return "it has leading or trailing spaces"
	case strings.Contains(v, "/"):
		return `it contains "/"`
	case v == "." || v == "..":
		return `"." and ".." are URL path segments, not users`
	}
	return ""
}

func (userIDValidator) Description(ctx context.Context) string {
	return userIDValidator{}.MarkdownDescription(ctx)
}

func (userIDValidator) MarkdownDescription(context.Context) string {
	return "value must be a user object id or user principal name, without \"/\" or surrounding spaces"
}

func (userIDValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	v := req.ConfigValue.ValueString()
	if problem := UserIDProblem(v); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid user id",
			fmt.Sprintf("%q is not a user id: %s. Use %s.", v, problem, UserIDExamples))
	}
}
