package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

// Names of the settings that code reads or names one by one (the
// credential choice, the endpoints, messages). They are only names: what a
// setting is lives in providerSettings.
const (
	attrTenantID                  = "tenant_id"
	attrClientID                  = "client_id"
	attrClientIDFilePath          = "client_id_file_path"
	attrClientSecret              = "client_secret"
	attrClientSecretFilePath      = "client_secret_file_path"
	attrClientCertificate         = "client_certificate"
	attrClientCertificatePath     = "client_certificate_path"
	attrClientCertificatePassword = "client_certificate_password"
	attrUseOIDC                   = "use_oidc"
	attrOIDCToken                 = "oidc_token"
	attrOIDCTokenFilePath         = "oidc_token_file_path"
	attrOIDCRequestToken          = "oidc_request_token"
	attrOIDCRequestURL            = "oidc_request_url"
	attrUseMSI                    = "use_msi"
	attrUseCLI                    = "use_cli"
	attrEnvironment               = "environment"
	attrMSGraphEndpoint           = "msgraph_endpoint"
	attrAuthorityHost             = "authority_host"
)

// settingKind is the Terraform type of a provider setting.
type settingKind int

const (
	kindString settingKind = iota
	kindBool
)

// providerSetting is one attribute of the provider block.
type providerSetting struct {
	name string
	kind settingKind
	// env are the environment variables read, in order, when the attribute
	// is not set; the first non-empty one wins.
	env []string
	// sensitive marks the schema attribute Sensitive and keeps errors about
	// it from pointing at its configuration line (see addConfigError).
	sensitive bool
	// description is the schema's Description and MarkdownDescription; the
	// sentence naming env is added to it.
	description string
	// validators are the schema validators of a kindString setting.
	validators []validator.String
}

// providerSettings is the provider block: the schema, the merge with the
// environment, the unknown-value check and the handling of secrets all
// come from this table, so a new attribute is one entry here. The ARM_*
// names match the Azure providers; the file-path variables follow
// azurerm's naming.
var providerSettings = []providerSetting{
	{name: attrTenantID, kind: kindString, env: []string{"ARM_TENANT_ID"},
		description: "The Microsoft Entra tenant (directory) ID to authenticate to. Required for client secret, client certificate and OIDC authentication."},
	{name: attrClientID, kind: kindString, env: []string{"ARM_CLIENT_ID"},
		description: "The client (application) ID of the app registration, or of a user-assigned managed identity."},
	{name: attrClientIDFilePath, kind: kindString, env: []string{"ARM_CLIENT_ID_FILE_PATH"},
		description: "Path to a file holding the client ID; conflicts with a different `client_id`."},
	{name: attrClientSecret, kind: kindString, env: []string{"ARM_CLIENT_SECRET"}, sensitive: true,
		description: "A client secret of the app registration."},
	{name: attrClientSecretFilePath, kind: kindString, env: []string{"ARM_CLIENT_SECRET_FILE_PATH"},
		description: "Path to a file holding the client secret; conflicts with `client_secret`."},
	{name: attrClientCertificate, kind: kindString, env: []string{"ARM_CLIENT_CERTIFICATE"}, sensitive: true,
		description: "A base64-encoded PKCS#12 (.pfx) archive holding the app registration's certificate and private key; conflicts with `client_certificate_path`."},
	{name: attrClientCertificatePath, kind: kindString, env: []string{"ARM_CLIENT_CERTIFICATE_PATH"},
		description: "Path to a PKCS#12 (.pfx) file holding the app registration's certificate and private key."},
	{name: attrClientCertificatePassword, kind: kindString, env: []string{"ARM_CLIENT_CERTIFICATE_PASSWORD"}, sensitive: true,
		description: "The password of the PKCS#12 archive, when it has one."},
	{name: attrUseOIDC, kind: kindBool, env: []string{"ARM_USE_OIDC"},
		description: "Authenticate with an OIDC token (workload identity federation, e.g. GitHub Actions or Azure DevOps). Defaults to `false`."},
	{name: attrOIDCToken, kind: kindString, env: []string{"ARM_OIDC_TOKEN"}, sensitive: true,
		description: "The OIDC token to exchange for an access token."},
	{name: attrOIDCTokenFilePath, kind: kindString, env: []string{"ARM_OIDC_TOKEN_FILE_PATH"},
		description: "Path to a file holding the OIDC token, read again on each token request so rotated tokens are picked up."},
	{name: attrOIDCRequestToken, kind: kindString, env: []string{"ARM_OIDC_REQUEST_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN"}, sensitive: true,
		description: "The bearer token for the OIDC token request URL (GitHub Actions style)."},
	{name: attrOIDCRequestURL, kind: kindString, env: []string{"ARM_OIDC_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_URL"},
		description: "The URL from which to request an OIDC token (GitHub Actions style); `audience=api://AzureADTokenExchange` is added."},
	{name: attrUseMSI, kind: kindBool, env: []string{"ARM_USE_MSI"},
		description: "Authenticate with a managed identity of the machine running Terraform; `client_id` selects a user-assigned identity. Defaults to `false`."},
	{name: attrUseCLI, kind: kindBool, env: []string{"ARM_USE_CLI"},
		description: "Authenticate with the account signed in to the Azure CLI when no other credential is configured. Defaults to `true`."},
	{name: attrEnvironment, kind: kindString, env: []string{"ARM_ENVIRONMENT"},
		description: fmt.Sprintf("The Microsoft cloud: one of %s. Defaults to `global`. From the environment variable, azurerm's `public` and `usgovernment` are accepted as `global` and `usgovernmentl4`. "+
			"Enabling or disabling SMS sign-in is not available in `china`.", quoteList(graph.EnvironmentNames())),
		validators: []validator.String{stringvalidator.OneOf(graph.EnvironmentNames()...)}},
	{name: attrMSGraphEndpoint, kind: kindString, env: []string{"ARM_MSGRAPH_ENDPOINT"},
		description: "Overrides the cloud's Microsoft Graph endpoint (e.g. a private cloud or a test server), without `/v1.0`. Must be `https://`, or `http://` on a loopback host only."},
	{name: attrAuthorityHost, kind: kindString, env: []string{"ARM_AUTHORITY_HOST", "AZURE_AUTHORITY_HOST"},
		description: "Overrides the cloud's Microsoft Entra authority host (e.g. `https://login.microsoftonline.us`). A custom host turns off instance discovery. Must be `https://`."},
}

// settingNamed returns the table's entry for an attribute.
func settingNamed(name string) (providerSetting, bool) {
	for _, s := range providerSettings {
		if s.name == name {
			return s, true
		}
	}
	return providerSetting{}, false
}

// envVars are the environment variables of an attribute, in order.
func envVars(name string) []string {
	s, _ := settingNamed(name)
	return s.env
}

// isSensitive says whether an attribute holds a secret.
func isSensitive(name string) bool {
	s, _ := settingNamed(name)
	return s.sensitive
}

// schemaAttribute is the setting's optional schema attribute; its
// description ends with the variables the code reads.
func (s providerSetting) schemaAttribute() schema.Attribute {
	d := s.description + s.envHint()
	if s.kind == kindBool {
		return schema.BoolAttribute{Optional: true, Sensitive: s.sensitive, Description: d, MarkdownDescription: d}
	}
	return schema.StringAttribute{Optional: true, Sensitive: s.sensitive, Description: d, MarkdownDescription: d, Validators: s.validators}
}

// envHint renders "Can also be set with the `ARM_X` environment variable",
// so the docs name the variables the code reads.
func (s providerSetting) envHint() string {
	if len(s.env) == 0 {
		return ""
	}
	quoted := make([]string, len(s.env))
	for i, v := range s.env {
		quoted[i] = "`" + v + "`"
	}
	plural := ""
	if len(s.env) > 1 {
		plural = "s (first set wins)"
	}
	return " Can also be set with the " + strings.Join(quoted, " or ") + " environment variable" + plural + "; the attribute wins."
}

// configValues are the provider block's values by attribute name: a
// types.String or a types.Bool, as the setting's kind says.
type configValues map[string]attr.Value

// readConfig reads every setting of the table from the provider block.
func readConfig(ctx context.Context, cfg tfsdk.Config) (configValues, diag.Diagnostics) {
	var diags diag.Diagnostics
	vals := configValues{}
	for _, s := range providerSettings {
		p := path.Root(s.name)
		switch s.kind {
		case kindBool:
			var v types.Bool
			diags.Append(cfg.GetAttribute(ctx, p, &v)...)
			vals[s.name] = v
		default:
			var v types.String
			diags.Append(cfg.GetAttribute(ctx, p, &v)...)
			vals[s.name] = v
		}
	}
	return vals, diags
}

// unknownValues refuses settings not known until apply: the provider is
// configured before apply and cannot authenticate without them.
func unknownValues(vals configValues) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, s := range providerSettings {
		if v := vals[s.name]; v != nil && v.IsUnknown() {
			diags.AddAttributeError(path.Root(s.name), "Unknown provider configuration value",
				fmt.Sprintf("The provider cannot authenticate because %s is not known until apply. Set it to a literal or a variable, or use %s.", s.name, strings.Join(s.env, " or ")))
		}
	}
	return diags
}
