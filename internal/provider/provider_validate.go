package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/provider"
)

// ValidateConfig implements provider.ProviderWithValidateConfig. It checks
// what the provider block alone decides (conflicting credentials, unusable
// endpoints) so `terraform validate` reports it; values that may come from
// the environment, such as a missing tenant, are checked in Configure.
func (p *entraAuthProvider) ValidateConfig(ctx context.Context, req provider.ValidateConfigRequest, resp *provider.ValidateConfigResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	attrsOnly := *p
	attrsOnly.getenv = func(string) string { return "" }
	s, diags := attrsOnly.resolveSettings(m) // unknown values count as unset
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(conflicts(s)...)
	// The environment attribute has its own OneOf validator; checking it
	// here again would report it twice.
	delete(s.str, attrEnvironment)
	_, diags = resolveEndpoints(s)
	resp.Diagnostics.Append(diags...)
}
