package provider

import (
	"encoding/base64"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
)

// providerBlock is the provider block for this test's mock (client secret,
// mock endpoints, use_cli = false) without the unset attributes and with
// set's attributes (raw HCL values) added or replaced.
func (e *accEnv) providerBlock(unset []string, set map[string]string) string {
	attrs := map[string]string{
		attrTenantID:        fmt.Sprintf("%q", e.m.TenantID),
		attrClientID:        fmt.Sprintf("%q", e.m.ClientID),
		attrClientSecret:    fmt.Sprintf("%q", e.m.ClientSecret),
		attrMSGraphEndpoint: fmt.Sprintf("%q", e.m.GraphEndpoint()),
		attrAuthorityHost:   fmt.Sprintf("%q", e.m.AuthorityHost()),
		attrUseCLI:          "false",
	}
	for _, a := range unset {
		delete(attrs, a)
	}
	for a, v := range set {
		attrs[a] = v
	}
	names := make([]string, 0, len(attrs))
	for a := range attrs {
		names = append(names, a)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("provider \"entraauth\" {\n")
	for _, a := range names {
		fmt.Fprintf(&b, "  %s = %s\n", a, attrs[a])
	}
	b.WriteString("}\n")
	return b.String()
}

// conflictDetail is the "Conflicting credentials" detail for these kinds.
func conflictDetail(kinds ...string) string {
	return "More than one kind of credential is configured:\n  - " + strings.Join(kinds, "\n  - ") +
		"\nConfigure exactly one: client_secret (ARM_CLIENT_SECRET), client_certificate (ARM_CLIENT_CERTIFICATE), use_oidc (ARM_USE_OIDC) or use_msi (ARM_USE_MSI)" +
		" (unset the attribute or the environment variable named above)."
}

func tenantDetail(from, value string) string {
	return fmt.Sprintf(`%s is %q, which is not a tenant ID: it may contain only letters, digits, "." and "-". `+
		`Use the directory (tenant) ID, e.g. "00000000-0000-0000-0000-000000000000", or one of its domains, e.g. "contoso.onmicrosoft.com".`, from, value)
}

// badProviderConfig is one refused provider configuration: the mock's
// valid block without unset and with set (raw HCL values), the only
// environment and files the provider sees, and the one diagnostic expected.
// noProbe, when not empty, says why the case cannot carry leakProbe.
type badProviderConfig struct {
	name            string
	stage           string
	unset           []string
	set             map[string]string
	env             map[string]string
	files           map[string][]byte
	summary, detail string
	noProbe         string
}

// Where a bad provider configuration is refused.
const (
	stageConfigure = ""         // Configure: may depend on the environment and files
	stageValidate  = "validate" // ValidateConfig: the block alone decides (terraform validate)
	stageSchema    = "schema"   // a schema validator of the attribute
)

// badProviderConfigs is the table of TestAccBadInput_providerConfig and
// TestBadProviderConfigStages.
func badProviderConfigs(t testing.TB) []badProviderConfig {
	t.Helper()
	pfx, _ := acctest.NewClientCertificate(t, "pfx-pass")
	cert := fmt.Sprintf("%q", base64.StdEncoding.EncodeToString(pfx))
	q := func(s string) string { return fmt.Sprintf("%q", s) }
	const (
		environments  = `Attribute environment value must be one of: ["china" "global" "usgovernmentl4" "usgovernmentl5"], got: `
		plainHTTP     = "uses plain http, which is accepted only for loopback hosts (127.0.0.1, ::1, localhost); use https"
		authorityHTTP = "must use https: token requests are never sent over plain http"
		// The refused value is where a late refusal would send the
		// probe's first request, and it cannot be the mock.
		authorityElsewhere = "the refused authority_host is not the mock: a refusal coming too late would send the token request there, " +
			"never to the mock (and azidentity refuses an authority host without https before sending anything)"
		oidcURLElsewhere = "the refused oidc_request_url is not the mock: a refusal coming too late would request the OIDC token there first, " +
			"and without it nothing reaches the mock"
		oidcWithoutRequestToken = "oidc_request_url is not the mock and the request token is missing: with the refusal gone, " +
			"the graph package refuses the credential (it needs both) and nothing can be sent, and the URL stays off loopback because this table, " +
			"shared with TestBadProviderConfigStages, has no per-mock values"
		oidcSources = "oidc_token (ARM_OIDC_TOKEN), oidc_token_file_path (ARM_OIDC_TOKEN_FILE_PATH), or oidc_request_url (ARM_OIDC_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_URL) " +
			"with oidc_request_token (ARM_OIDC_REQUEST_TOKEN, ACTIONS_ID_TOKEN_REQUEST_TOKEN)."
	)
	secret := []string{attrClientSecret}
	// Files the conflicting-credential cases name, present and usable, so
	// that a missing conflict check would go on to a token request (visible
	// in the mock's log) instead of stopping at an unreadable file.
	secretFile := map[string][]byte{"/secrets/client": []byte("secret-from-file\n")}
	certFile := map[string][]byte{"/certs/app.pfx": pfx}
	return []badProviderConfig{
		// Decided by the block alone: ValidateConfig, or a schema validator
		// (stage schema).
		{name: "secret_and_certificate", stage: stageValidate, set: map[string]string{attrClientCertificate: cert, attrClientCertificatePassword: q("pfx-pass")},
			summary: "Conflicting credentials", detail: conflictDetail("a client certificate: client_certificate", "a client secret: client_secret")},
		{name: "secret_and_managed_identity", stage: stageValidate, set: map[string]string{attrUseMSI: "true"},
			summary: "Conflicting credentials", detail: conflictDetail("a client secret: client_secret", "managed identity: use_msi = true")},
		{name: "oidc_and_managed_identity", stage: stageValidate, unset: secret, set: map[string]string{attrUseOIDC: "true", attrOIDCToken: q("oidc-token"), attrUseMSI: "true"},
			summary: "Conflicting credentials", detail: conflictDetail("OIDC: use_oidc = true", "managed identity: use_msi = true")},
		{name: "secret_value_and_file", stage: stageValidate, set: map[string]string{attrClientSecretFilePath: q("/secrets/client")}, files: secretFile,
			summary: "Conflicting provider configuration",
			detail:  "Both client_secret and client_secret_file_path are set; set only one of client_secret (ARM_CLIENT_SECRET) or client_secret_file_path (ARM_CLIENT_SECRET_FILE_PATH)."},
		{name: "certificate_value_and_file", stage: stageValidate, unset: secret, files: certFile,
			set:     map[string]string{attrClientCertificate: cert, attrClientCertificatePath: q("/certs/app.pfx"), attrClientCertificatePassword: q("pfx-pass")},
			summary: "Conflicting provider configuration",
			detail:  "Both client_certificate and client_certificate_path are set; set only one of client_certificate (ARM_CLIENT_CERTIFICATE) or client_certificate_path (ARM_CLIENT_CERTIFICATE_PATH)."},
		{name: "environment_unknown", stage: stageSchema, set: map[string]string{attrEnvironment: q("mars")},
			summary: "Invalid Attribute Value Match", detail: environments + `"mars"`},
		{name: "environment_azurerm_name_as_attribute", stage: stageSchema, set: map[string]string{attrEnvironment: q("public")},
			summary: "Invalid Attribute Value Match", detail: environments + `"public"`},
		{name: "graph_endpoint_plain_http_remote", stage: stageValidate, set: map[string]string{attrMSGraphEndpoint: q("http://graph.example.test")},
			summary: "Invalid endpoint", detail: `msgraph_endpoint: "http://graph.example.test" ` + plainHTTP},
		{name: "graph_endpoint_other_scheme", stage: stageValidate, set: map[string]string{attrMSGraphEndpoint: q("ftp://graph.example.test")},
			summary: "Invalid endpoint", detail: `msgraph_endpoint: "ftp://graph.example.test" must use https`},
		{name: "graph_endpoint_without_scheme", stage: stageValidate, set: map[string]string{attrMSGraphEndpoint: q("graph.microsoft.com")},
			summary: "Invalid endpoint", detail: `msgraph_endpoint: "graph.microsoft.com" has no host: write the whole URL, starting with "https://"`},
		{name: "graph_endpoint_malformed", stage: stageValidate, set: map[string]string{attrMSGraphEndpoint: q("https://graph example.test")},
			summary: "Invalid endpoint",
			detail:  `msgraph_endpoint: "https://graph example.test" is not a URL: parse "https://graph example.test": invalid character " " in host name`},
		{name: "graph_endpoint_with_query", stage: stageValidate, set: map[string]string{attrMSGraphEndpoint: q("https://graph.microsoft.com/?tenant=x")},
			summary: "Invalid endpoint", detail: `msgraph_endpoint: "https://graph.microsoft.com/?tenant=x" must not contain user info, a query or a fragment`},
		{name: "graph_endpoint_with_api_version", stage: stageValidate, set: map[string]string{attrMSGraphEndpoint: q("https://graph.microsoft.com/v1.0")},
			summary: "Invalid endpoint",
			detail:  `msgraph_endpoint: "https://graph.microsoft.com/v1.0" ends with the API version "/v1.0"; give the endpoint without it (e.g. https://graph.microsoft.com): the provider adds /v1.0 itself`},
		{name: "authority_plain_http_remote", stage: stageValidate, noProbe: authorityElsewhere, set: map[string]string{attrAuthorityHost: q("http://login.example.test")},
			summary: "Invalid endpoint", detail: `authority_host: "http://login.example.test" ` + authorityHTTP},
		{name: "authority_plain_http_loopback", stage: stageValidate, noProbe: authorityElsewhere, set: map[string]string{attrAuthorityHost: q("http://127.0.0.1:8443")},
			summary: "Invalid endpoint", detail: `authority_host: "http://127.0.0.1:8443" ` + authorityHTTP},
		{name: "authority_without_scheme", stage: stageValidate, noProbe: authorityElsewhere, set: map[string]string{attrAuthorityHost: q("login.microsoftonline.com")},
			summary: "Invalid endpoint", detail: `authority_host: "login.microsoftonline.com" has no host: write the whole URL, starting with "https://"`},
		{name: "tenant_invalid_characters", stage: stageValidate, set: map[string]string{attrTenantID: q("contoso tenant/..")},
			summary: "Invalid tenant ID", detail: tenantDetail("tenant_id", "contoso tenant/..")},
		{name: "tenant_dot_dot", stage: stageValidate, set: map[string]string{attrTenantID: q("..")},
			summary: "Invalid tenant ID", detail: tenantDetail("tenant_id", "..")},

		// Decided when the provider is configured (attributes merged with
		// the environment, files read).
		{name: "missing_tenant", unset: []string{attrTenantID},
			summary: "Missing tenant ID", detail: "Authentication with a client secret needs the tenant: set tenant_id (ARM_TENANT_ID)."},
		{name: "missing_client_id", unset: []string{attrClientID},
			summary: "Missing client ID",
			detail:  "Authentication with a client secret needs the app registration's client ID: set client_id (ARM_CLIENT_ID) or client_id_file_path (ARM_CLIENT_ID_FILE_PATH)."},
		{name: "no_credentials", unset: secret,
			summary: "No credentials configured",
			detail: "Configure one of client_secret (ARM_CLIENT_SECRET), client_certificate (ARM_CLIENT_CERTIFICATE), use_oidc (ARM_USE_OIDC) = true or use_msi (ARM_USE_MSI) = true, " +
				"or leave use_cli (ARM_USE_CLI) at its default (true) to use the Azure CLI's signed-in account."},
		{name: "certificate_without_password", unset: secret, set: map[string]string{attrClientCertificate: cert},
			summary: "Client certificate password",
			detail: "The provider signs in with a client certificate because client_certificate is set in the provider block.\n\n" +
				"The PKCS#12 archive is password protected, and no password is set.\n\nSet client_certificate_password (ARM_CLIENT_CERTIFICATE_PASSWORD) to the archive's password."},
		{name: "certificate_wrong_password", unset: secret, set: map[string]string{attrClientCertificate: cert, attrClientCertificatePassword: q("wrong")},
			summary: "Client certificate password",
			detail: "The provider signs in with a client certificate because client_certificate is set in the provider block.\n\n" +
				"The PKCS#12 archive cannot be opened with the password from client_certificate_password.\n\nSet client_certificate_password (ARM_CLIENT_CERTIFICATE_PASSWORD) to the archive's password."},
		{name: "certificate_not_base64", unset: secret, set: map[string]string{attrClientCertificate: q("%%not-base64%%")},
			summary: "Invalid client certificate",
			detail:  "client_certificate must be a base64-encoded PKCS#12 (.pfx) archive: illegal base64 data at input byte 0. To use a file, set client_certificate_path (ARM_CLIENT_CERTIFICATE_PATH) instead."},
		{name: "certificate_file_missing", unset: secret, set: map[string]string{attrClientCertificatePath: q("/certs/missing.pfx")},
			summary: "Cannot read client certificate",
			detail: "The provider signs in with a client certificate because client_certificate_path is set in the provider block.\n\n" +
				"The certificate file cannot be read: open /certs/missing.pfx: no such file or directory.\n\n" +
				"Set client_certificate_path (ARM_CLIENT_CERTIFICATE_PATH) to the path of a PKCS#12 (.pfx) file that Terraform can read, or give the archive base64-encoded in client_certificate (ARM_CLIENT_CERTIFICATE)."},
		{name: "secret_file_missing", unset: secret, set: map[string]string{attrClientSecretFilePath: q("/secrets/missing")},
			summary: "Cannot read client secret file", detail: "client_secret_file_path: open /secrets/missing: no such file or directory"},
		{name: "env_secret_file_missing", unset: secret, env: map[string]string{"ARM_CLIENT_SECRET_FILE_PATH": "/secrets/missing"},
			summary: "Cannot read client secret file", detail: "client_secret_file_path (from ARM_CLIENT_SECRET_FILE_PATH): open /secrets/missing: no such file or directory"},
		{name: "secret_file_empty", unset: secret, set: map[string]string{attrClientSecretFilePath: q("/secrets/empty")}, files: map[string][]byte{"/secrets/empty": []byte(" \n")},
			summary: "Empty client secret file", detail: `The file "/secrets/empty" named by client_secret_file_path is empty; it must hold the client secret.`},
		{name: "client_id_file_differs", set: map[string]string{attrClientIDFilePath: q("/ids/client")}, files: map[string][]byte{"/ids/client": []byte("another-client-id\n")},
			summary: "Conflicting client ID",
			detail:  "client_id and the file named by client_id_file_path hold different client IDs; set only one of client_id (ARM_CLIENT_ID) or client_id_file_path (ARM_CLIENT_ID_FILE_PATH)."},
		{name: "oidc_without_token", unset: secret, set: map[string]string{attrUseOIDC: "true"},
			summary: "Incomplete OIDC configuration",
			detail: "The provider signs in with an OIDC token (workload identity federation) because use_oidc = true is set in the provider block.\n\n" +
				"No OIDC token is configured, so there is nothing to exchange for an access token.\n\nSet " + oidcSources +
				` In GitHub Actions, give the job the permission "id-token: write": the provider then reads ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN itself.`},
		{name: "oidc_request_url_without_token", noProbe: oidcWithoutRequestToken, unset: secret, set: map[string]string{attrUseOIDC: "true", attrOIDCRequestURL: q("https://token.example.test/")},
			summary: "Incomplete OIDC configuration",
			detail:  "A token request needs both oidc_request_url (ARM_OIDC_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_URL) and oidc_request_token (ARM_OIDC_REQUEST_TOKEN, ACTIONS_ID_TOKEN_REQUEST_TOKEN)."},
		{name: "oidc_request_url_plain_http", noProbe: oidcURLElsewhere, unset: secret,
			set:     map[string]string{attrUseOIDC: "true", attrOIDCRequestURL: q("http://token.example.test/"), attrOIDCRequestToken: q("request-token")},
			summary: "Invalid OIDC request URL", detail: `oidc_request_url: "http://token.example.test/" ` + plainHTTP},
		{name: "env_boolean_not_boolean", env: map[string]string{"ARM_USE_MSI": "sometimes"},
			summary: "Invalid environment variable",
			detail:  `ARM_USE_MSI is "sometimes", which is not a boolean; use true or false (it sets the provider attribute use_msi).`},
		{name: "env_environment_unknown", env: map[string]string{"ARM_ENVIRONMENT": "german"},
			summary: "Invalid environment",
			detail:  `environment (from ARM_ENVIRONMENT): unknown environment "german": expected one of china, global, usgovernmentl4, usgovernmentl5`},
		{name: "env_managed_identity_and_attribute_secret", env: map[string]string{"ARM_USE_MSI": "true"},
			summary: "Conflicting credentials", detail: conflictDetail("a client secret: client_secret", "managed identity: use_msi (from ARM_USE_MSI) = true")},
		{name: "env_tenant_invalid_characters", unset: []string{attrTenantID}, env: map[string]string{"ARM_TENANT_ID": "contoso?tenant"},
			summary: "Invalid tenant ID", detail: tenantDetail("tenant_id (from ARM_TENANT_ID)", "contoso?tenant")},
		{name: "env_authority_plain_http", noProbe: authorityElsewhere, unset: []string{attrAuthorityHost}, env: map[string]string{"ARM_AUTHORITY_HOST": "http://login.example.test"},
			summary: "Invalid endpoint", detail: `authority_host (from ARM_AUTHORITY_HOST): "http://login.example.test" ` + authorityHTTP},
		{name: "env_graph_endpoint_with_api_version", unset: []string{attrMSGraphEndpoint}, env: map[string]string{"ARM_MSGRAPH_ENDPOINT": "https://graph.microsoft.com/beta"},
			summary: "Invalid endpoint",
			detail:  `msgraph_endpoint (from ARM_MSGRAPH_ENDPOINT): "https://graph.microsoft.com/beta" ends with the API version "/beta"; give the endpoint without it (e.g. https://graph.microsoft.com): the provider adds /v1.0 itself`},
	}
}

// providerCaseConfig is a provider case's configuration: its provider
// block, a resource (so Terraform configures the provider) and, unless the
// case says why not, leakProbe. A case that gives its own Graph endpoint
// (not the mock) gets a client secret the mock refuses: a leaked probe then
// stops at its token request, which the mock logs, instead of sending a GET
// to a host that is not the mock. A case that gives its own authority host
// or OIDC request URL must say why it has no probe: a leak would go there
// first, so the probe could not show it and would leave loopback.
func (e *accEnv) providerCaseConfig(t *testing.T, c badProviderConfig) string {
	t.Helper()
	gives := func(attr string) bool {
		if _, ok := c.set[attr]; ok {
			return true
		}
		for _, v := range envVars(attr) {
			if c.env[v] != "" {
				return true
			}
		}
		return false
	}
	if c.noProbe == "" && (gives(attrAuthorityHost) || gives(attrOIDCRequestURL)) {
		t.Fatalf("%s gives its own authority host or OIDC request URL: say in noProbe why it cannot carry the leak probe", c.name)
	}
	set := maps.Clone(c.set)
	if gives(attrMSGraphEndpoint) {
		if slices.Contains(c.unset, attrClientSecret) || gives(attrClientSecretFilePath) {
			t.Fatalf("%s gives its own Graph endpoint without the block's client secret: the probe's token would not be refused", c.name)
		}
		if set == nil {
			set = map[string]string{}
		}
		set[attrClientSecret] = fmt.Sprintf("%q", "refused-"+e.m.ClientSecret)
	}
	config := e.providerBlock(c.unset, set) + "\n" + validPhone.String()
	if c.noProbe == "" {
		config += "\n" + leakProbe.String()
	}
	return config
}

// TestAccBadInput_providerConfig: every bad provider configuration is
// refused with exactly one diagnostic, whose summary and detail are the
// ones in badProviderConfigs, before any request reaches Graph or the token
// endpoint: the leak probe (see providerCaseConfig) stays unread, whether
// the refusal comes from ValidateConfig, a schema validator or Configure.
// The provider sees only the case's environment and files (not the
// process's), and each case has its own mock, so its logs are its own.
func TestAccBadInput_providerConfig(t *testing.T) {
	t.Parallel()
	for _, c := range badProviderConfigs(t) {
		t.Run(c.name, func(t *testing.T) {
			e := newAccEnv(t)
			if c.noProbe != "" {
				t.Logf("no leak probe: %s", c.noProbe)
			}
			e.test(t, resource.TestCase{
				ProtoV6ProviderFactories: hermeticFactories(c.env, c.files),
				Steps: []resource.TestStep{{
					Config: e.providerCaseConfig(t, c), PlanOnly: true,
					ExpectError: exactDiagnostic(c.summary, c.detail),
				}},
			})
			e.requireNoRequests(t, c.name)
		})
	}
}
