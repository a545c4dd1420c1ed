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
	if _, refused := NormalizePhoneNumber(req.ConfigValue.ValueString()); refused != nil {
		resp.Diagnostics.AddAttributeError(req.Path, refused.Summary, refused.Detail)
	}
}

// PhoneNumberRefusal is the error every check of a phone number reports
// for a value that is not one: the PhoneNumber validator as a diagnostic,
// the normalize_phone_number function as its Error text.
type PhoneNumberRefusal struct {
	Summary string // "Invalid phone number"
	Detail  string // the value, the problem, the rule, examples and any suggestion
}

// Error is the refusal as one line, for errors that have no summary.
func (r *PhoneNumberRefusal) Error() string { return r.Summary + ": " + r.Detail }

// NormalizePhoneNumber is the one decision behind the PhoneNumber validator
// and the normalize_phone_number function: Graph's canonical spelling of
// value (phonenumber.Parse), or why it is not one phone number.
func NormalizePhoneNumber(value string) (string, *PhoneNumberRefusal) {
	n, err := phonenumber.Parse(value)
	if err != nil {
		return "", &PhoneNumberRefusal{Summary: "Invalid phone number", Detail: err.Error()}
	}
	return n.String(), nil
}
