package validators

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var _ validator.String = timeoutValidator{}

type timeoutValidator struct{}

// Timeout accepts a Go duration longer than zero. A zero or negative limit
// would make the operation fail at once with "context deadline exceeded"
// instead of being attempted.
func Timeout() validator.String { return timeoutValidator{} }

func (timeoutValidator) Description(ctx context.Context) string {
	return timeoutValidator{}.MarkdownDescription(ctx)
}

func (timeoutValidator) MarkdownDescription(context.Context) string {
	return `value must be a duration longer than zero, such as "30s" or "10m"`
}

func (timeoutValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	v := req.ConfigValue.ValueString()
	d, err := time.ParseDuration(v)
	switch {
	case err != nil:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid timeout",
			fmt.Sprintf("%q is not a duration: write a number with a unit, such as \"30s\", \"10m\" or \"1h30m\" (units: \"h\", \"m\", \"s\", \"ms\", \"us\", \"ns\"), or leave the attribute out to use the default.", v))
	case d <= 0:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid timeout",
			fmt.Sprintf("%q is not a usable time limit: it must be longer than zero, or the operation fails before it starts. "+
				"Use a duration such as \"30s\" or \"10m\", or leave the attribute out to use the default.", v))
	}
}

// TimeoutsBlock puts Timeout in place of the validators of every attribute
// of a timeouts block made by terraform-plugin-framework-timeouts: that
// package's own validator accepts zero and negative durations, and its
// message offers "-1.5h" as an example. Any other block is returned as is.
func TimeoutsBlock(b schema.Block) schema.Block {
	nb, ok := b.(schema.SingleNestedBlock)
	if !ok {
		return b
	}
	attrs := make(map[string]schema.Attribute, len(nb.Attributes))
	for name, a := range nb.Attributes {
		if s, ok := a.(schema.StringAttribute); ok {
			s.Validators = []validator.String{Timeout()}
			a = s
		}
		attrs[name] = a
	}
	nb.Attributes = attrs
	return nb
}
