// Package provider implements the entraauth Terraform provider: its
// configuration and, in later files, its resources and data sources.
package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

var (
	_ provider.Provider                   = (*entraAuthProvider)(nil)
	_ provider.ProviderWithValidateConfig = (*entraAuthProvider)(nil)
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
	return []func() resource.Resource{NewPhoneAuthenticationMethodResource}
}

// DataSources implements provider.Provider.
func (p *entraAuthProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewPhoneAuthenticationMethodDataSource, NewPhoneAuthenticationMethodsDataSource}
}

// envHint renders "`name` (or `ARM_X`)" in descriptions, so docs name the
// variable the code reads (both come from attributeEnv).
func envHint(attr string) string {
	vars := attributeEnv[attr]
	if len(vars) == 0 {
		return ""
	}
	quoted := make([]string, len(vars))
	for i, v := range vars {
		quoted[i] = "`" + v + "`"
	}
	return " Can also be set with the " + strings.Join(quoted, " or ") + " environment variable" + plural(len(vars)) + "; the attribute wins."
}

func plural(n int) string {
	if n > 1 {
		return "s (first set wins)"
	}
	return ""
}

// Schema implements provider.Provider.
func (p *entraAuthProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	str := func(desc, attr string, sensitive bool, validators ...validator.String) schema.StringAttribute {
		d := desc + envHint(attr)
		return schema.StringAttribute{Optional: true, Sensitive: sensitive, Description: d, MarkdownDescription: d, Validators: validators}
	}
	boolean := func(desc, attr string) schema.BoolAttribute {
		d := desc + envHint(attr)
		return schema.BoolAttribute{Optional: true, Description: d, MarkdownDescription: d}
	}
	envs := graph.EnvironmentNames()
	resp.Schema = schema.Schema{
		Description: "Manages Microsoft Entra ID users' phone authentication methods through Microsoft Graph. " +
			"Authenticates like the Azure providers (service principal with a client secret or certificate, OIDC workload identity federation, managed identity, or the Azure CLI) and reads the same `ARM_*` environment variables.",
		Attributes: map[string]schema.Attribute{
			attrTenantID:                  str("The Microsoft Entra tenant (directory) ID to authenticate to. Required for client secret, client certificate and OIDC authentication.", attrTenantID, false),
			attrClientID:                  str("The client (application) ID of the app registration, or of a user-assigned managed identity.", attrClientID, false),
			attrClientIDFilePath:          str("Path to a file holding the client ID; conflicts with a different `client_id`.", attrClientIDFilePath, false),
			attrClientSecret:              str("A client secret of the app registration.", attrClientSecret, true),
			attrClientSecretFilePath:      str("Path to a file holding the client secret; conflicts with `client_secret`.", attrClientSecretFilePath, false),
			attrClientCertificate:         str("A base64-encoded PKCS#12 (.pfx) archive holding the app registration's certificate and private key; conflicts with `client_certificate_path`.", attrClientCertificate, true),
			attrClientCertificatePath:     str("Path to a PKCS#12 (.pfx) file holding the app registration's certificate and private key.", attrClientCertificatePath, false),
			attrClientCertificatePassword: str("The password of the PKCS#12 archive, when it has one.", attrClientCertificatePassword, true),
			attrUseOIDC:                   boolean("Authenticate with an OIDC token (workload identity federation, e.g. GitHub Actions or Azure DevOps). Defaults to `false`.", attrUseOIDC),
			attrOIDCToken:                 str("The OIDC token to exchange for an access token.", attrOIDCToken, true),
			attrOIDCTokenFilePath:         str("Path to a file holding the OIDC token, read again on each token request so rotated tokens are picked up.", attrOIDCTokenFilePath, false),
			attrOIDCRequestToken:          str("The bearer token for the OIDC token request URL (GitHub Actions style).", attrOIDCRequestToken, true),
			attrOIDCRequestURL:            str("The URL from which to request an OIDC token (GitHub Actions style); `audience=api://AzureADTokenExchange` is added.", attrOIDCRequestURL, false),
			attrUseMSI:                    boolean("Authenticate with a managed identity of the machine running Terraform; `client_id` selects a user-assigned identity. Defaults to `false`.", attrUseMSI),
			attrUseCLI:                    boolean("Authenticate with the account signed in to the Azure CLI when no other credential is configured. Defaults to `true`.", attrUseCLI),
			attrEnvironment: str(fmt.Sprintf("The Microsoft cloud: one of %s. Defaults to `global`. From the environment variable, azurerm's `public` and `usgovernment` are accepted as `global` and `usgovernmentl4`. Enabling or disabling SMS sign-in is not available in `china`.", quoteList(envs)), attrEnvironment, false,
				stringvalidator.OneOf(envs...)),
			attrMSGraphEndpoint: str("Overrides the cloud's Microsoft Graph endpoint (e.g. a private cloud or a test server), without `/v1.0`. Must be `https://`, or `http://` on a loopback host only.", attrMSGraphEndpoint, false),
			attrAuthorityHost:   str("Overrides the cloud's Microsoft Entra authority host (e.g. `https://login.microsoftonline.us`). A custom host turns off instance discovery. Must be `https://`.", attrAuthorityHost, false),
		},
	}
}

func quoteList(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = "`" + v + "`"
	}
	return strings.Join(q, ", ")
}
