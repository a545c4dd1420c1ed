package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// addConfigError adds an error about attr. Terraform prints the
// configuration line an attribute diagnostic points at, literal value
// included, so an error about a sensitive attribute (providerSettings marks
// it) carries no attribute path (its detail names the attribute instead)
// and cannot print a secret.
func addConfigError(diags *diag.Diagnostics, attr, summary, detail string) {
	if isSensitive(attr) {
		diags.AddError(summary, detail)
		return
	}
	diags.AddAttributeError(path.Root(attr), summary, detail)
}
