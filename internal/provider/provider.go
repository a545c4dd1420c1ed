// Package provider implements the entraauth Terraform provider: its
// configuration, resources and data sources.
package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

var (
	_ provider.Provider                   = (*entraAuthProvider)(nil)
	_ provider.ProviderWithValidateConfig = (*entraAuthProvider)(nil)
	_ provider.ProviderWithListResources  = (*entraAuthProvider)(nil)
)

// entraAuthProvider is the provider; version is set by main from ldflags.
type entraAuthProvider struct {
	version string
	// getenv is os.Getenv, replaceable in unit tests so they can run in
	// parallel without touching the process environment.
	getenv func(string) string
	// readFile is os.ReadFile, replaceable in unit tests.
	readFile func(string) ([]byte, error)
}

// providerData is what Configure hands to resources and data sources.
type providerData struct {
	Client *graph.Client
}

// New returns a constructor of the provider for the given version.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return newProvider(version, nil, nil)
	}
}

// Metadata implements provider.Provider.
func (p *entraAuthProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "entraauth"
	resp.Version = p.version
}

// Resources implements provider.Provider.
func (p *entraAuthProvider) Resources(context.Context) []func() resource.Resource {
	out := []func() resource.Resource{NewPhoneAuthenticationMethodResource, NewEmailAuthenticationMethodResource, NewTemporaryAccessPassResource}
	for _, t := range methodPolicyTypes {
		out = append(out, newMethodPolicyResource(t))
	}
	return out
}

// methodPolicyTypes are the parts of the authentication methods policy,
// each a resource and a data source of the same name.
var methodPolicyTypes = []*methodPolicyType{
	smsPolicy, fido2Policy, authenticatorPolicy, tapPolicy, emailPolicy, voicePolicy, softwareOathPolicy, x509Policy, registrationCampaign,
}

// UnchangedPlanIsPrior implements protocol.UnchangedPlanner: the resource
// types whose plan, when the proposed new state equals the prior state,
// is the prior state (no attribute defaults; RequiresReplace and ModifyPlan
// change nothing then), so the server answers those plans without the
// framework's decoding and attribute walk. The phone method is the type a
// tenant has thousands of; TestUnchangedPlanIsPrior holds it to the claim.
func (p *entraAuthProvider) UnchangedPlanIsPrior() []string {
	return []string{"entraauth_phone_authentication_method"}
}

// DataSources implements provider.Provider.
func (p *entraAuthProvider) DataSources(context.Context) []func() datasource.DataSource {
	out := []func() datasource.DataSource{NewPhoneAuthenticationMethodDataSource, NewPhoneAuthenticationMethodsDataSource, NewAuthenticationMethodsPolicyDataSource, NewUserAuthenticationMethodsDataSource}
	for _, t := range methodPolicyTypes {
		out = append(out, newMethodPolicyDataSource(t))
	}
	return out
}

// ListResources implements provider.ProviderWithListResources: the list
// blocks of `terraform query` (Terraform 1.14+).
func (p *entraAuthProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewPhoneAuthenticationMethodListResource,
		NewEmailAuthenticationMethodListResource,
		NewTemporaryAccessPassListResource,
	}
}

// Schema implements provider.Provider: one optional attribute per entry
// of providerSettings.
func (p *entraAuthProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	attrs := make(map[string]schema.Attribute, len(providerSettings))
	for _, s := range providerSettings {
		attrs[s.name] = s.schemaAttribute()
	}
	resp.Schema = schema.Schema{
		Description: "Manages Microsoft Entra ID users' phone authentication methods through Microsoft Graph. " +
			"Authenticates like the Azure providers (service principal with a client secret or certificate, OIDC workload identity federation, managed identity, or the Azure CLI) and reads the same `ARM_*` environment variables.",
		Attributes: attrs,
	}
}

func quoteList(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = "`" + v + "`"
	}
	return strings.Join(q, ", ")
}

var _ provider.ProviderWithFunctions = (*entraAuthProvider)(nil)

// Functions implements provider.ProviderWithFunctions.
func (p *entraAuthProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{NewNormalizePhoneNumberFunction}
}
