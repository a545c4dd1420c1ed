package validators

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

var _ validator.String = methodIDValidator{}

type methodIDValidator struct{}

// MethodID accepts Graph's fixed phone method ids only (any case, as they
// are GUIDs).
func MethodID() validator.String { return methodIDValidator{} }

// MethodIDList renders "mobile = <id>, ..." for descriptions and messages.
func MethodIDList() string {
	var out []string
	for _, t := range graph.PhoneTypes() {
		out = append(out, string(t)+" = "+t.MethodID())
	}
	return strings.Join(out, ", ")
}

// MethodIDProblem says why id is not a phone method id, with the valid ones.
func MethodIDProblem(id string) string {
	return fmt.Sprintf("%q is not a phone method id. Graph's phone method ids are fixed per phone type: %s.", id, MethodIDList())
}

func (methodIDValidator) Description(ctx context.Context) string {
	return methodIDValidator{}.MarkdownDescription(ctx)
}

func (methodIDValidator) MarkdownDescription(context.Context) string {
	return "value must be one of Graph's phone method ids: " + MethodIDList()
}

func (methodIDValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, ok := graph.PhoneTypeForMethodID(req.ConfigValue.ValueString()); !ok {
		resp.Diagnostics.AddAttributeError(req.Path, "Unknown phone method id", MethodIDProblem(req.ConfigValue.ValueString()))
	}
}
