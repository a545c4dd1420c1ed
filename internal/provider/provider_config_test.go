package provider

import (
	"context"
	"encoding/base64"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

// testProvider is a provider whose environment and files are maps, so these
// tests never touch the process environment and can run in parallel.
func testProvider(env map[string]string, files map[string][]byte) *entraAuthProvider {
	return newProvider("test", func(k string) string { return env[k] }, func(name string) ([]byte, error) {
		if b, ok := files[name]; ok {
			return b, nil
		}
		// The error os.ReadFile gives, so messages name the path as they do for real.
		return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.ENOENT}
	})
}

// providerConfig builds the provider block from attribute values (strings,
// bools, or tftypes.UnknownValue); the rest are null.
func providerConfig(t *testing.T, p *entraAuthProvider, attrs map[string]any) tfsdk.Config {
	t.Helper()
	var sr provider.SchemaResponse
	p.Schema(context.Background(), provider.SchemaRequest{}, &sr)
	typ, ok := sr.Schema.Type().TerraformType(context.Background()).(tftypes.Object)
	if !ok {
		t.Fatal("the provider schema is not an object")
	}
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, attrs[name]) // nil: null
	}
	for name := range attrs {
		if _, ok := typ.AttributeTypes[name]; !ok {
			t.Fatalf("unknown attribute %q", name)
		}
	}
	return tfsdk.Config{Raw: tftypes.NewValue(typ, vals), Schema: sr.Schema}
}

func configure(t *testing.T, p *entraAuthProvider, attrs map[string]any) provider.ConfigureResponse {
	t.Helper()
	var resp provider.ConfigureResponse
	p.Configure(context.Background(), provider.ConfigureRequest{Config: providerConfig(t, p, attrs)}, &resp)
	return resp
}

func validate(t *testing.T, p *entraAuthProvider, attrs map[string]any) diag.Diagnostics {
	t.Helper()
	var resp provider.ValidateConfigResponse
	p.ValidateConfig(context.Background(), provider.ValidateConfigRequest{Config: providerConfig(t, p, attrs)}, &resp)
	return resp.Diagnostics
}

func diagText(d diag.Diagnostics) string {
	var b strings.Builder
	for _, x := range d {
		b.WriteString(x.Severity().String() + ": " + x.Summary() + ": " + x.Detail() + "\n")
	}
	return b.String()
}

// requireError checks an error diagnostic mentions every fragment.
func requireError(t *testing.T, d diag.Diagnostics, fragments ...string) {
	t.Helper()
	if !d.HasError() {
		t.Fatalf("no error; diagnostics:\n%s", diagText(d))
	}
	text := diagText(d)
	for _, f := range fragments {
		if !strings.Contains(text, f) {
			t.Errorf("diagnostics lack %q:\n%s", f, text)
		}
	}
}

// credentialsFor resolves like Configure and returns the Graph config.
func credentialsFor(t *testing.T, p *entraAuthProvider, attrs map[string]any) (graph.Config, diag.Diagnostics) {
	t.Helper()
	vals, d := readConfig(context.Background(), providerConfig(t, p, attrs))
	if d.HasError() {
		t.Fatal(diagText(d))
	}
	s, d := p.resolveSettings(vals)
	if d.HasError() {
		return graph.Config{}, d
	}
	c, d2 := p.clientConfig(s)
	d.Append(d2...)
	return c, d
}

const (
	tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	client = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
)

func TestConfigureClientSecretAttributes(t *testing.T) {
	t.Parallel()
	p := testProvider(nil, nil)
	resp := configure(t, p, map[string]any{attrTenantID: tenant, attrClientID: client, attrClientSecret: "s3cret-value"})
	if resp.Diagnostics.HasError() {
		t.Fatal(diagText(resp.Diagnostics))
	}
	data, ok := resp.ResourceData.(*providerData)
	if !ok || data.Client == nil || resp.DataSourceData != resp.ResourceData {
		t.Fatalf("provider data %T %v", resp.ResourceData, resp.ResourceData)
	}
	e := data.Client.Endpoints()
	if e.GraphEndpoint != "https://graph.microsoft.com" || e.Scope != "https://graph.microsoft.com/.default" || e.CustomAuthority {
		t.Errorf("endpoints %+v", e)
	}
	cfg, d := credentialsFor(t, p, map[string]any{attrTenantID: tenant, attrClientID: client, attrClientSecret: "s3cret-value"})
	if d.HasError() || cfg.Credentials.Kind != graph.CredentialClientSecret || cfg.Credentials.ClientSecret != "s3cret-value" || cfg.Version != "test" {
		t.Errorf("config %+v %s", cfg.Credentials, diagText(d))
	}
}

func TestConfigureEnvironmentFallbackAttributeWins(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"ARM_TENANT_ID": "env-tenant", "ARM_CLIENT_ID": client, "ARM_CLIENT_SECRET": "env-secret",
		"ARM_ENVIRONMENT": "usgovernmentl4",
	}
	p := testProvider(env, nil)
	cfg, d := credentialsFor(t, p, map[string]any{attrTenantID: tenant})
	if d.HasError() {
		t.Fatal(diagText(d))
	}
	c := cfg.Credentials
	if c.TenantID != tenant || c.ClientID != client || c.ClientSecret != "env-secret" || c.Kind != graph.CredentialClientSecret {
		t.Errorf("credentials %+v", c)
	}
	if cfg.Endpoints.GraphEndpoint != "https://graph.microsoft.us" || cfg.Endpoints.AuthorityHost != "https://login.microsoftonline.us" ||
		cfg.Endpoints.Scope != "https://graph.microsoft.us/.default" {
		t.Errorf("endpoints %+v", cfg.Endpoints)
	}
	cfg, d = credentialsFor(t, p, map[string]any{attrEnvironment: "usgovernmentl5"})
	if d.HasError() || cfg.Endpoints.GraphEndpoint != "https://dod-graph.microsoft.us" {
		t.Errorf("attribute must win over ARM_ENVIRONMENT: %+v %s", cfg.Endpoints, diagText(d))
	}
	secret := map[string]any{attrTenantID: tenant, attrClientID: client, attrClientSecret: "x"}
	cfg, d = credentialsFor(t, testProvider(map[string]string{"ARM_ENVIRONMENT": "public"}, nil), secret)
	if d.HasError() || cfg.Endpoints.Cloud.Name != "global" {
		t.Errorf("azurerm's ARM_ENVIRONMENT=public: %+v %s", cfg.Endpoints, diagText(d))
	}
}

func TestConfigureOverridesAndAuthorityFallback(t *testing.T) {
	t.Parallel()
	p := testProvider(map[string]string{"AZURE_AUTHORITY_HOST": "https://login.example.test/"}, nil)
	cfg, d := credentialsFor(t, p, map[string]any{
		attrTenantID: tenant, attrClientID: client, attrClientSecret: "x", attrMSGraphEndpoint: "http://127.0.0.1:8080/",
	})
	if d.HasError() {
		t.Fatal(diagText(d))
	}
	e := cfg.Endpoints
	if e.GraphEndpoint != "http://127.0.0.1:8080" || e.Scope != "http://127.0.0.1:8080/.default" ||
		e.AuthorityHost != "https://login.example.test" || !e.CustomAuthority {
		t.Errorf("endpoints %+v", e)
	}
	p = testProvider(map[string]string{"AZURE_AUTHORITY_HOST": "https://second.test", "ARM_AUTHORITY_HOST": "https://first.test"}, nil)
	cfg, _ = credentialsFor(t, p, map[string]any{attrTenantID: tenant, attrClientID: client, attrClientSecret: "x"})
	if cfg.Endpoints.AuthorityHost != "https://first.test" {
		t.Errorf("ARM_AUTHORITY_HOST must come before AZURE_AUTHORITY_HOST: %s", cfg.Endpoints.AuthorityHost)
	}
}

// withAttrs copies base and sets name/value pairs.
func withAttrs(base map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return out
}

func TestValidateConfigIgnoresEnvironment(t *testing.T) {
	t.Parallel()
	p := testProvider(map[string]string{"ARM_CLIENT_SECRET": "x", "ARM_USE_MSI": "true"}, nil)
	if d := validate(t, p, map[string]any{attrUseOIDC: true}); d.HasError() {
		t.Errorf("validate must judge the block alone:\n%s", diagText(d))
	}
	if d := validate(t, p, map[string]any{attrClientSecret: tftypes.UnknownValue, attrUseMSI: true}); d.HasError() {
		t.Errorf("unknown values are not conflicts yet:\n%s", diagText(d))
	}
}

func TestConfigureCredentialSelection(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		env   map[string]string
		attrs map[string]any
		want  graph.CredentialKind
	}{
		{"default is the Azure CLI", nil, map[string]any{}, graph.CredentialAzureCLI},
		{"use_cli true with tenant", nil, map[string]any{attrUseCLI: true, attrTenantID: tenant}, graph.CredentialAzureCLI},
		// Selection only: the managed identity is never asked for a token here
		// (that would contact 169.254.169.254).
		{"managed identity", nil, map[string]any{attrUseMSI: true}, graph.CredentialManagedIdentity},
		{"managed identity from env", map[string]string{"ARM_USE_MSI": "true", "ARM_CLIENT_ID": client}, map[string]any{}, graph.CredentialManagedIdentity},
		{"oidc token", nil, map[string]any{attrUseOIDC: true, attrOIDCToken: "tok", attrTenantID: tenant, attrClientID: client}, graph.CredentialOIDC},
		{"secret beats the CLI default", map[string]string{"ARM_CLIENT_SECRET": "x", "ARM_TENANT_ID": tenant, "ARM_CLIENT_ID": client}, map[string]any{}, graph.CredentialClientSecret},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := testProvider(c.env, nil)
			cfg, d := credentialsFor(t, p, c.attrs)
			if d.HasError() || cfg.Credentials.Kind != c.want {
				t.Fatalf("kind %q, want %q\n%s", cfg.Credentials.Kind, c.want, diagText(d))
			}
			resp := configure(t, p, c.attrs)
			if resp.Diagnostics.HasError() || resp.ResourceData == nil {
				t.Fatalf("configure:\n%s", diagText(resp.Diagnostics))
			}
		})
	}
}

func TestConfigureOIDCSources(t *testing.T) {
	t.Parallel()
	base := map[string]any{attrUseOIDC: true, attrTenantID: tenant, attrClientID: client}
	github := map[string]string{
		"ACTIONS_ID_TOKEN_REQUEST_URL":   "https://token.actions.example/?api-version=2.0",
		"ACTIONS_ID_TOKEN_REQUEST_TOKEN": "gh-request-token",
	}
	cfg, d := credentialsFor(t, testProvider(github, nil), base)
	if d.HasError() || cfg.Credentials.OIDCRequestURL != github["ACTIONS_ID_TOKEN_REQUEST_URL"] || cfg.Credentials.OIDCRequestToken != "gh-request-token" {
		t.Fatalf("GitHub fallback: %+v %s", cfg.Credentials, diagText(d))
	}
	arm := withStrings(github, "ARM_OIDC_REQUEST_URL", "https://arm.example/token", "ARM_OIDC_REQUEST_TOKEN", "arm-request-token")
	cfg, _ = credentialsFor(t, testProvider(arm, nil), base)
	if cfg.Credentials.OIDCRequestURL != "https://arm.example/token" || cfg.Credentials.OIDCRequestToken != "arm-request-token" {
		t.Errorf("ARM_OIDC_REQUEST_* must come before ACTIONS_*: %+v", cfg.Credentials)
	}
	cfg, _ = credentialsFor(t, testProvider(github, nil), withAttrs(base, attrOIDCTokenFilePath, "/var/run/token"))
	if cfg.Credentials.OIDCTokenFilePath != "/var/run/token" || cfg.Credentials.OIDCRequestURL != "" {
		t.Errorf("a token file comes before a request URL: %+v", cfg.Credentials)
	}
}

func withStrings(base map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

func TestConfigureClientCertificate(t *testing.T) {
	t.Parallel()
	pfx, _ := acctest.NewClientCertificate(t, "pfx-pass")
	files := map[string][]byte{"/certs/app.pfx": pfx}
	base := map[string]any{attrTenantID: tenant, attrClientID: client}

	p := testProvider(nil, files)
	resp := configure(t, p, withAttrs(base, attrClientCertificatePath, "/certs/app.pfx", attrClientCertificatePassword, "pfx-pass"))
	if resp.Diagnostics.HasError() {
		t.Fatal(diagText(resp.Diagnostics))
	}
	if strings.Contains(diagText(resp.Diagnostics), "pfx-pass") {
		t.Error("a diagnostic shows the password")
	}

	env := map[string]string{"ARM_CLIENT_CERTIFICATE": base64.StdEncoding.EncodeToString(pfx), "ARM_CLIENT_CERTIFICATE_PASSWORD": "pfx-pass"}
	cfg, d := credentialsFor(t, testProvider(env, nil), base)
	if d.HasError() || cfg.Credentials.Kind != graph.CredentialClientCertificate || string(cfg.Credentials.ClientCertificate) != string(pfx) {
		t.Errorf("base64 from env: %s", diagText(d))
	}
}

func TestConfigureFilePaths(t *testing.T) {
	t.Parallel()
	files := map[string][]byte{"/id": []byte(client + "\n"), "/secret": []byte(" file-secret \n"), "/empty": nil}
	p := testProvider(nil, files)
	cfg, d := credentialsFor(t, p, map[string]any{attrTenantID: tenant, attrClientIDFilePath: "/id", attrClientSecretFilePath: "/secret"})
	if d.HasError() || cfg.Credentials.ClientID != client || cfg.Credentials.ClientSecret != "file-secret" {
		t.Fatalf("%+v %s", cfg.Credentials, diagText(d))
	}
	cfg, d = credentialsFor(t, p, map[string]any{attrTenantID: tenant, attrClientID: client, attrClientIDFilePath: "/id", attrClientSecret: "x"})
	if d.HasError() || cfg.Credentials.ClientID != client {
		t.Errorf("the same id twice is fine: %s", diagText(d))
	}
}

func TestConfigureChinaWarnsAboutSMSSignIn(t *testing.T) {
	t.Parallel()
	p := testProvider(nil, nil)
	resp := configure(t, p, map[string]any{attrEnvironment: "china", attrTenantID: tenant, attrClientID: client, attrClientSecret: "x"})
	if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 {
		t.Fatalf("want one warning:\n%s", diagText(resp.Diagnostics))
	}
	if !strings.Contains(diagText(resp.Diagnostics), "enableSmsSignIn") {
		t.Errorf("warning: %s", diagText(resp.Diagnostics))
	}
	data, ok := resp.ResourceData.(*providerData)
	if !ok {
		t.Fatalf("provider data %T", resp.ResourceData)
	}
	if data.Client.SMSSignInAvailable() || data.Client.Endpoints().GraphEndpoint != "https://microsoftgraph.chinacloudapi.cn" {
		t.Errorf("china endpoints %+v", data.Client.Endpoints())
	}
	resp = configure(t, p, map[string]any{attrTenantID: tenant, attrClientID: client, attrClientSecret: "x"})
	if resp.Diagnostics.WarningsCount() != 0 {
		t.Errorf("global must not warn:\n%s", diagText(resp.Diagnostics))
	}
}

func TestConfigureUnknownValues(t *testing.T) {
	t.Parallel()
	p := testProvider(nil, nil)
	resp := configure(t, p, map[string]any{attrTenantID: tftypes.UnknownValue, attrClientID: client, attrClientSecret: "x"})
	requireError(t, resp.Diagnostics, "Unknown provider configuration value", "tenant_id", "ARM_TENANT_ID")
}

// TestConfigureUnknownValuesEverySetting: every setting of the table is
// checked for unknown values, in the table's order, each message naming
// the setting and its variables.
func TestConfigureUnknownValuesEverySetting(t *testing.T) {
	t.Parallel()
	attrs := map[string]any{}
	for _, st := range providerSettings {
		attrs[st.name] = tftypes.UnknownValue
	}
	d := configure(t, testProvider(nil, nil), attrs).Diagnostics
	if len(d) != len(providerSettings) {
		t.Fatalf("want one error per setting:\n%s", diagText(d))
	}
	for i, st := range providerSettings {
		want := fmt.Sprintf("The provider cannot authenticate because %s is not known until apply. Set it to a literal or a variable, or use %s.", st.name, strings.Join(st.env, " or "))
		if d[i].Summary() != "Unknown provider configuration value" || d[i].Detail() != want {
			t.Errorf("diagnostic %d: %s: %s\nwant: %s", i, d[i].Summary(), d[i].Detail(), want)
		}
	}
}

// TestResolveSettingsEveryVariable: each variable of each setting is read
// when the attribute is unset, the first set one wins, and the attribute
// wins over all of them.
func TestResolveSettingsEveryVariable(t *testing.T) {
	t.Parallel()
	value := func(st providerSetting, i int) (env string, attr any) {
		if st.kind == kindBool {
			b := i%2 == 0
			return strconv.FormatBool(b), b
		}
		return fmt.Sprintf("value-%d", i), fmt.Sprintf("value-%d", i)
	}
	resolved := func(s settings, st providerSetting) (string, string) {
		if st.kind == kindBool {
			return strconv.FormatBool(s.flags[st.name]), s.flagSet[st.name].source
		}
		return s.get(st.name), s.str[st.name].source
	}
	resolve := func(env map[string]string, attrs map[string]any) settings {
		t.Helper()
		p := testProvider(env, nil)
		vals, d := readConfig(context.Background(), providerConfig(t, p, attrs))
		if d.HasError() {
			t.Fatal(diagText(d))
		}
		s, d := p.resolveSettings(vals)
		if d.HasError() {
			t.Fatal(diagText(d))
		}
		return s
	}
	for _, st := range providerSettings {
		for i := range st.env {
			// Variables i.. set, each to its own value: variable i wins.
			env := map[string]string{}
			for j := i; j < len(st.env); j++ {
				env[st.env[j]], _ = value(st, j)
			}
			wantValue, _ := value(st, i)
			if v, src := resolved(resolve(env, nil), st); v != wantValue || src != st.env[i] {
				t.Errorf("%s with %v: %q from %q, want %q from %s", st.name, env, v, src, wantValue, st.env[i])
			}
		}
		env := map[string]string{}
		for j, e := range st.env {
			env[e], _ = value(st, j)
		}
		wantValue, attr := value(st, len(st.env))
		if v, src := resolved(resolve(env, map[string]any{st.name: attr}), st); v != wantValue || src != "attribute" {
			t.Errorf("%s set with %v: %q from %q, want the attribute's %q", st.name, env, v, src, wantValue)
		}
	}
}

// TestBadProviderConfigStages runs the bad provider configurations of the
// acceptance table through ValidateConfig and Configure directly: a case
// the block alone decides is refused by ValidateConfig (so `terraform
// validate` reports it), the others pass it untouched; Configure refuses
// every case but the schema validator's with exactly the same one
// diagnostic, and hands no client to resources.
func TestBadProviderConfigStages(t *testing.T) {
	t.Parallel()
	base := map[string]any{
		attrTenantID: tenant, attrClientID: client, attrClientSecret: "x-secret",
		attrMSGraphEndpoint: "https://127.0.0.1:1", attrAuthorityHost: "https://127.0.0.1:2", attrUseCLI: false,
	}
	for _, c := range badProviderConfigs(t) {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			attrs := withAttrs(base)
			for _, a := range c.unset {
				delete(attrs, a)
			}
			for a, raw := range c.set {
				switch raw {
				case "true", "false":
					attrs[a] = raw == "true"
				default:
					v, err := strconv.Unquote(raw)
					if err != nil {
						t.Fatalf("%s = %s: %v", a, raw, err)
					}
					attrs[a] = v
				}
			}
			p := testProvider(c.env, c.files)
			want := c.summary + ": " + c.detail
			vd := validate(t, p, attrs)
			switch c.stage {
			case stageValidate:
				requireOnlyError(t, "ValidateConfig", vd, want)
			default:
				if len(vd) != 0 {
					t.Errorf("ValidateConfig must leave this to %q:\n%s", c.stage, diagText(vd))
				}
			}
			if c.stage == stageSchema {
				return // Terraform stops at the schema validator; Configure never sees it
			}
			resp := configure(t, p, attrs)
			requireOnlyError(t, "Configure", resp.Diagnostics, want)
			if resp.ResourceData != nil || resp.DataSourceData != nil {
				t.Error("a refused configuration must not produce a client")
			}
		})
	}
}

// requireOnlyError checks d is exactly one error diagnostic "summary: detail".
func requireOnlyError(t *testing.T, stage string, d diag.Diagnostics, want string) {
	t.Helper()
	if len(d) != 1 || d[0].Severity() != diag.SeverityError || d[0].Summary()+": "+d[0].Detail() != want {
		t.Errorf("%s diagnostics:\n%s\nwant exactly one error:\n%s", stage, diagText(d), want)
	}
}
