package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// sensitiveAttributes are the provider attributes that hold secrets (the
// schema marks them Sensitive; a test keeps the two in step).
var sensitiveAttributes = map[string]bool{
	attrClientSecret: true, attrClientCertificate: true, attrClientCertificatePassword: true,
	attrOIDCToken: true, attrOIDCRequestToken: true,
}

// addConfigError adds an error about attr. Terraform prints the
// configuration line an attribute diagnostic points at, literal value
// included, so an error about a sensitive attribute carries no attribute
// path (its detail names the attribute instead) and cannot print a secret.
func addConfigError(diags *diag.Diagnostics, attr, summary, detail string) {
	if sensitiveAttributes[attr] {
		diags.AddError(summary, detail)
		return
	}
	diags.AddAttributeError(path.Root(attr), summary, detail)
}
