package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
)

// ValidateConfig implements provider.ProviderWithValidateConfig. It checks
// what the provider block alone decides (conflicting credentials, unusable
// endpoints, a malformed tenant) so `terraform validate` reports it; values
// that may come from the environment, such as a missing tenant, are checked
// in Configure.
func (p *entraAuthProvider) ValidateConfig(ctx context.Context, req provider.ValidateConfigRequest, resp *provider.ValidateConfigResponse) {
	vals, diags := readConfig(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	attrsOnly := *p
	attrsOnly.getenv = func(string) string { return "" }
	s, diags := attrsOnly.resolveSettings(vals) // unknown values count as unset
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(conflicts(s)...)
	resp.Diagnostics.Append(tenantIDDiags(s)...)
	// The environment attribute has its own OneOf validator; checking it
	// here again would report it twice.
	delete(s.str, attrEnvironment)
	_, diags = resolveEndpoints(s)
	resp.Diagnostics.Append(diags...)
}

// tenantIDDiags refuses a tenant that cannot be part of the token endpoint's
// URL. azidentity refuses it too, but its message names neither the
// attribute nor the value.
func tenantIDDiags(s settings) diag.Diagnostics {
	var diags diag.Diagnostics
	v := s.get(attrTenantID)
	if v == "" || validTenantID(v) {
		return diags
	}
	diags.AddAttributeError(path.Root(attrTenantID), "Invalid tenant ID",
		fmt.Sprintf("%s is %q, which is not a tenant ID: it may contain only letters, digits, \".\" and \"-\". "+
			"Use the directory (tenant) ID, e.g. \"00000000-0000-0000-0000-000000000000\", or one of its domains, e.g. \"contoso.onmicrosoft.com\".",
			s.from(attrTenantID), v))
	return diags
}

// validTenantID is azidentity's rule: ASCII letters, digits, "." and "-",
// and not a path segment of its own ("." or "..").
func validTenantID(v string) bool {
	for _, r := range v {
		letterOrDigit := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		if !letterOrDigit && r != '.' && r != '-' {
			return false
		}
	}
	return v != "." && v != ".."
}
