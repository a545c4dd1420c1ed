package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/validators"
)

// runNormalize calls the function the way the framework does.
func runNormalize(t *testing.T, value string) (string, *function.FuncError) {
	t.Helper()
	resp := &function.RunResponse{Result: function.NewResultData(types.StringUnknown())}
	normalizePhoneNumberFunction{}.Run(context.Background(), function.RunRequest{
		Arguments: function.NewArgumentsData([]attr.Value{types.StringValue(value)}),
	}, resp)
	if resp.Error != nil {
		return "", resp.Error
	}
	got, ok := resp.Result.Value().(types.String)
	if !ok || got.IsNull() || got.IsUnknown() {
		t.Fatalf("normalize_phone_number(%q) returned %v without an error", value, resp.Result.Value())
	}
	return got.ValueString(), nil
}

// TestNormalizePhoneNumberFunction: every spelling phone_number accepts
// comes back as Graph's canonical form, and a refusal is the validator's
// diagnostic, word for word, as an error on the first argument.
func TestNormalizePhoneNumberFunction(t *testing.T) {
	t.Parallel()
	for value, want := range map[string]string{
		"+1 5555551234":              "+1 5555551234",
		"+15555551234":               "+1 5555551234",
		"+1 (555) 555-1234":          "+1 5555551234",
		"+1 555.555.1234":            "+1 5555551234",
		"+44 20 7946 0958":           "+44 2079460958",
		"+1 555-555-1234 ext. 123":   "+1 5555551234x123",
		"+1 5555551234X123":          "+1 5555551234x123",
		"  +49 30 1234567 ext 9  ":   "+49 301234567x9",
		"+1 5555551234x0123456789":   "+1 5555551234x0123456789",
		"+358 9 123 456":             "+358 9123456",
		"+1 5555551234x123":          "+1 5555551234x123",
		"+1-555-555-1234":            "+1 5555551234",
		"+1 (555) 555-1234 x 42":     "+1 5555551234x42",
		"+44 2079460958x42":          "+44 2079460958x42",
		"+61 2 9876 5432":            "+61 298765432",
		"+15555551234 ext.7":         "+1 5555551234x7",
		"+1 555 555 1234":            "+1 5555551234",
		"+86 10 1234 5678":           "+86 1012345678",
		"+1 (555) 555-1234 EXT. 123": "+1 5555551234x123",
	} {
		got, err := runNormalize(t, value)
		if err != nil {
			t.Errorf("normalize_phone_number(%q) failed: %v", value, err)
			continue
		}
		if got != want {
			t.Errorf("normalize_phone_number(%q) = %q; want %q", value, got, want)
		}
		// Idempotent: the canonical form is its own canonical form.
		if again, err := runNormalize(t, got); err != nil || again != got {
			t.Errorf("normalize_phone_number(%q) = %q, %v; want it unchanged", got, again, err)
		}
	}

	for _, value := range []string{"", "5555551234", "+1 555", "+1 555-CALL-NOW", "0044 20 7946 0958", "+1 XXXXXXXX34", "+1 5555551234 x1 x2", "+0 5555551234"} {
		_, err := runNormalize(t, value)
		if err == nil {
			t.Errorf("normalize_phone_number(%q) succeeded; want an error", value)
			continue
		}
		resp := &validator.StringResponse{}
		validators.PhoneNumber().ValidateString(context.Background(), validator.StringRequest{
			Path: path.Root("phone_number"), ConfigValue: types.StringValue(value),
		}, resp)
		if len(resp.Diagnostics) != 1 {
			t.Fatalf("the phone_number validator gave %d diagnostics for %q; want 1", len(resp.Diagnostics), value)
		}
		d := resp.Diagnostics[0]
		want := function.NewArgumentFuncError(0, d.Summary()+": "+d.Detail())
		if !err.Equal(want) {
			t.Errorf("normalize_phone_number(%q) error\n  %v\nwant the validator's\n  %v", value, err, want)
		}
	}
}

// TestAccNormalizePhoneNumberFunction calls the function from real
// Terraform (functions need 1.8+): an HR feed normalised with a for
// expression, then a number it refuses, which fails the plan with the
// validator's message.
func TestAccNormalizePhoneNumberFunction(t *testing.T) {
	// No mock: a function reads nothing from Graph.
	acctest.Test(t, nil, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories(New("test")),
		Steps: []resource.TestStep{
			{
				Config: `
locals {
  hr_feed = {
    adele  = "+1 (555) 555-1234 ext. 123"
    bianca = "+15555551234"
    carlos = "+44 20 7946 0958"
  }
}

output "phones" {
  value = { for login, number in local.hr_feed : login => provider::entraauth::normalize_phone_number(number) }
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("phones", knownvalue.MapExact(map[string]knownvalue.Check{
						"adele":  knownvalue.StringExact("+1 5555551234x123"),
						"bianca": knownvalue.StringExact("+1 5555551234"),
						"carlos": knownvalue.StringExact("+44 2079460958"),
					})),
				},
			},
			{
				Config: `
output "phone" {
  value = provider::entraauth::normalize_phone_number("0044 20 7946 0958")
}
`,
				ExpectError: errorRE(`Invalid phone number: "0044 20 7946 0958" is not a phone number`,
					`does not start with "+"`, `Did you mean "+44 2079460958"?`),
			},
		},
	})
}
