package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/entraauth/terraform-provider-entraauth/internal/phonenumber"
	"github.com/entraauth/terraform-provider-entraauth/internal/validators"
)

var _ function.Function = normalizePhoneNumberFunction{}

// normalizePhoneNumberFunction is provider::entraauth::normalize_phone_number:
// the spelling the provider sends Graph for a phone number, so a module can
// compare, deduplicate or output numbers from a feed the way Graph stores
// them. It accepts and refuses exactly what phone_number does
// (validators.NormalizePhoneNumber is the one check).
type normalizePhoneNumberFunction struct{}

// NewNormalizePhoneNumberFunction returns the function.
func NewNormalizePhoneNumberFunction() function.Function { return normalizePhoneNumberFunction{} }

func (normalizePhoneNumberFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "normalize_phone_number"
}

func (normalizePhoneNumberFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Microsoft Graph's spelling of a phone number",
		MarkdownDescription: "Returns the canonical spelling Microsoft Graph stores for a phone number, `+{country code} {number}x{extension}` " +
			"(for example `" + phonenumber.ExampleWithExtension + "`), for any spelling the `phone_number` attribute of " +
			"`entraauth_phone_authentication_method` accepts: " + phonenumber.Rule + ". " +
			"A value that is not one phone number fails with the same message as `phone_number` does at plan time. " +
			"Needs Terraform 1.8 or later.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "phone_number",
				MarkdownDescription: "The phone number as written, for example `+1 (555) 555-1234 ext. 123` or `+44 20 7946 0958`.",
			},
		},
		Return: function.StringReturn{},
	}
}

func (normalizePhoneNumberFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var value string
	resp.Error = req.Arguments.Get(ctx, &value)
	if resp.Error != nil {
		return
	}
	canonical, refused := validators.NormalizePhoneNumber(value)
	if refused != nil {
		resp.Error = function.NewArgumentFuncError(0, refused.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, canonical)
}
