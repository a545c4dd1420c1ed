// Package validators holds the provider's custom attribute validators.
// Null and unknown values are skipped: they are checked once known.
package validators

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/entraauth/terraform-provider-entraauth/internal/phonenumber"
)

var _ validator.String = phoneNumberValidator{}

type phoneNumberValidator struct{}

// PhoneNumber accepts, at plan time, every spelling that names one phone
// number (phonenumber.Parse: E.164, separators, parentheses, "x", "X", "ext"
// or "ext." extensions); the provider sends Graph its canonical form. What
// cannot be one number is refused; the error names the value, the problem,
// the rule, an example and, where one exists, a suggestion.
func PhoneNumber() validator.String { return phoneNumberValidator{} }

func (phoneNumberValidator) Description(ctx context.Context) string {
	return phoneNumberValidator{}.MarkdownDescription(ctx)
}

func (phoneNumberValidator) MarkdownDescription(context.Context) string {
	return "value must be one phone number: " + phonenumber.Rule
}

func (phoneNumberValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := phonenumber.Parse(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid phone number", err.Error())
	}
}
