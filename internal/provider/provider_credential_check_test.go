package provider

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// The plan-time sign-in check (provider_credential_check.go): every case
// is a real `terraform plan` of a new phone against its own mock, failing
// with exactly one diagnostic, whose whole summary and detail are given,
// and without a single Graph request. Cases whose credential talks to the
// mock's authority may leave their refused token request in its log;
// the Azure CLI and managed identity cases leave nothing at all.

const (
	// signInCLIWhy is why the provider falls back to the Azure CLI.
	signInCLIWhy = "no other credential is configured (none of client_secret, client_certificate, use_oidc or use_msi is set in the provider block or in its ARM_* variable), " +
		"so it falls back to the Azure CLI (use_cli defaults to true)"
	signInOtherCredentials = "configure another credential: tenant_id (ARM_TENANT_ID) and client_id (ARM_CLIENT_ID) with client_secret (ARM_CLIENT_SECRET) or client_certificate_path (ARM_CLIENT_CERTIFICATE_PATH), " +
		"use_oidc (ARM_USE_OIDC) = true in CI, or use_msi (ARM_USE_MSI) = true on an Azure resource with a managed identity"
	signInSecretFix = "Check that the secret is the secret's value (not its ID) and belongs to this app registration. If it was deleted or has expired, " +
		"create a new one under the app registration's Certificates & secrets and set it in client_secret (ARM_CLIENT_SECRET) or client_secret_file_path (ARM_CLIENT_SECRET_FILE_PATH)."
	signInOIDCFix = "Add a federated credential to the app registration whose issuer and subject match the token's and whose audience is api://AzureADTokenExchange " +
		"(in GitHub Actions the subject is e.g. repo:ORG/REPO:ref:refs/heads/main or repo:ORG/REPO:environment:NAME), and check client_id (ARM_CLIENT_ID) and tenant_id (ARM_TENANT_ID)."
)

func signInDetail(kind, why, what, fix string) string {
	return fmt.Sprintf("The provider signs in with %s because %s.\n\n%s\n\n%s", kind, why, what, fix)
}

// signInPlanStep is the step of every case: plan a new phone and fail
// with exactly this diagnostic.
func signInPlanStep(config, summary, detail string) tfresource.TestStep {
	return tfresource.TestStep{Config: config + "\n" + validPhone.String(), PlanOnly: true, ExpectError: exactDiagnostic(summary, detail)}
}

// requireNoGraphRequests fails the test if Graph was called; token
// requests may have reached the authority, each to the tenant's token
// endpoint (or discovery under the tenant).
func (e *accEnv) requireNoGraphRequests(t *testing.T, what string) {
	t.Helper()
	for _, r := range e.mock.RequestLog() {
		t.Errorf("%s: a Graph request reached the mock: %s %s (%d)", what, r.Method, r.Path, r.Status)
	}
	for _, r := range e.mock.AuthorityRequestLog() {
		if r.Operation == mockgraph.OpToken && r.Path != "/"+e.tenant+"/oauth2/v2.0/token" {
			t.Errorf("%s: token request to %s", what, r.Path)
		}
	}
}

// TestAccSignInCheck_servicePrincipal: credentials the authority refuses,
// or whose OIDC token cannot be had, fail the plan of a create.
func TestAccSignInCheck_servicePrincipal(t *testing.T) {
	t.Parallel()
	type spCase struct {
		name  string
		setup func(e *accEnv) (config string, env map[string]string, files map[string][]byte, summary, detail string)
	}
	q := func(s string) string { return fmt.Sprintf("%q", s) }
	secret := []string{attrClientSecret}
	tokenURL := func(e *accEnv) string { return e.m.AuthorityHost() + "/" + e.tenant + "/oauth2/v2.0/token" }
	cases := []spCase{
		{"client_secret_wrong", func(e *accEnv) (string, map[string]string, map[string][]byte, string, string) {
			return e.providerBlock(nil, map[string]string{attrClientSecret: q("wrong-secret")}), nil, nil, "Client secret refused",
				signInDetail("a client secret", "client_secret is set in the provider block",
					fmt.Sprintf("The authority (%s) refused the sign-in of client_id %q in tenant %q: AADSTS7000215: Invalid client secret provided. "+
						"Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.",
						tokenURL(e), e.m.ClientID, e.tenant, e.m.ClientID),
					signInSecretFix)
		}},
		{"client_secret_expired", func(e *accEnv) (string, map[string]string, map[string][]byte, string, string) {
			return e.providerBlock(nil, map[string]string{attrClientSecret: q(e.m.ExpiredClientSecret())}), nil, nil, "Client secret expired",
				signInDetail("a client secret", "client_secret is set in the provider block",
					fmt.Sprintf("The authority (%s) refused the sign-in of client_id %q in tenant %q: AADSTS7000222: The provided client secret keys for app '%s' are expired. "+
						"Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.",
						tokenURL(e), e.m.ClientID, e.tenant, e.m.ClientID),
					signInSecretFix)
		}},
		{"client_secret_from_environment_wrong", func(e *accEnv) (string, map[string]string, map[string][]byte, string, string) {
			return e.providerBlock(secret, nil), map[string]string{"ARM_CLIENT_SECRET": "wrong-secret-from-env"}, nil, "Client secret refused",
				signInDetail("a client secret", "ARM_CLIENT_SECRET is set",
					fmt.Sprintf("The authority (%s) refused the sign-in of client_id %q in tenant %q: AADSTS7000215: Invalid client secret provided. "+
						"Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.",
						tokenURL(e), e.m.ClientID, e.tenant, e.m.ClientID),
					signInSecretFix)
		}},
		{"app_not_in_tenant", func(e *accEnv) (string, map[string]string, map[string][]byte, string, string) {
			other := "0ccc0c0c-0000-4000-8000-00000000000c"
			return e.providerBlock(nil, map[string]string{attrClientID: q(other)}), nil, nil, "App registration not found in the tenant",
				signInDetail("a client secret", "client_secret is set in the provider block",
					fmt.Sprintf("The authority (%s) refused the sign-in of client_id %q in tenant %q: AADSTS700016: Application with identifier '%s' was not found in the directory '%s'. "+
						"This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. "+
						"You may have sent your authentication request to the wrong tenant.", tokenURL(e), other, e.tenant, other, e.tenant),
					"Check client_id (ARM_CLIENT_ID) and tenant_id (ARM_TENANT_ID): the app must be registered in that tenant, or consented to by it.")
		}},
		{"client_certificate_not_registered", func(e *accEnv) (string, map[string]string, map[string][]byte, string, string) {
			pfx, _ := acctest.NewClientCertificate(t, "") // the app trusts no certificate
			return e.providerBlock(secret, map[string]string{attrClientCertificatePath: q("/certs/app.pfx")}), nil, map[string][]byte{"/certs/app.pfx": pfx},
				"Client certificate refused",
				signInDetail("a client certificate", "client_certificate_path is set in the provider block",
					fmt.Sprintf("The authority (%s) refused the sign-in of client_id %q in tenant %q: AADSTS700027: "+
						"The certificate with identifier used to sign the client assertion is not registered on application.", tokenURL(e), e.m.ClientID, e.tenant),
					"Upload the certificate (its public part, .cer or .pem) to the app registration's Certificates & secrets, or set client_certificate_path (ARM_CLIENT_CERTIFICATE_PATH) "+
						"or client_certificate (ARM_CLIENT_CERTIFICATE) to the certificate registered there.")
		}},
		{"oidc_token_file_missing", func(e *accEnv) (string, map[string]string, map[string][]byte, string, string) {
			missing := filepath.Join(t.TempDir(), "federated-token")
			return e.providerBlock(secret, nil), map[string]string{"ARM_USE_OIDC": "true", "ARM_OIDC_TOKEN_FILE_PATH": missing}, nil, "OIDC token unavailable",
				signInDetail("an OIDC token (workload identity federation)", "ARM_USE_OIDC is true",
					fmt.Sprintf("The OIDC token could not be obtained, so the provider had nothing to exchange for an access token: reading the OIDC token file: open %s: no such file or directory.", missing),
					"Check that oidc_token_file_path (ARM_OIDC_TOKEN_FILE_PATH) names the file your CI system writes the token to (e.g. AZURE_FEDERATED_TOKEN_FILE), and that it exists when Terraform runs.")
		}},
		{"oidc_request_refused", func(e *accEnv) (string, map[string]string, map[string][]byte, string, string) {
			auth := e.mock.Authority()
			u := auth.GitHubTokenRequestURL()
			return e.providerBlock(secret, map[string]string{attrUseOIDC: "true", attrOIDCRequestURL: q(u), attrOIDCRequestToken: q("not-a-request-token")}), nil, nil,
				"OIDC token unavailable",
				signInDetail("an OIDC token (workload identity federation)", "use_oidc = true is set in the provider block",
					fmt.Sprintf("The OIDC token could not be obtained, so the provider had nothing to exchange for an access token: requesting the OIDC token: HTTP 401 from %s.", strings.SplitN(u, "?", 2)[0]),
					`In GitHub Actions, give the job the permission "id-token: write"; elsewhere check oidc_request_url (ARM_OIDC_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_URL) and oidc_request_token (ARM_OIDC_REQUEST_TOKEN, ACTIONS_ID_TOKEN_REQUEST_TOKEN).`)
		}},
		{"oidc_token_rejected", func(e *accEnv) (string, map[string]string, map[string][]byte, string, string) {
			auth := e.mock.Authority()
			subject := "repo:someone/else:ref:refs/heads/main"
			tok, err := auth.MintFederatedToken(subject, graph.OIDCAudience, 0)
			e.must(err)
			return e.providerBlock(secret, map[string]string{attrUseOIDC: "true", attrOIDCToken: q(tok)}), nil, nil, "OIDC token refused",
				signInDetail("an OIDC token (workload identity federation)", "use_oidc = true is set in the provider block",
					fmt.Sprintf("The authority (%s) refused the sign-in of client_id %q in tenant %q: AADSTS70021: No matching federated identity record found for presented assertion. "+
						"Assertion Issuer: '%s'. Assertion Subject: '%s'. Assertion Audience: '[%s]'.", tokenURL(e), e.m.ClientID, e.tenant, auth.FederatedIssuer(), subject, graph.OIDCAudience),
					signInOIDCFix)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newAccEnv(t)
			config, env, files, summary, detail := c.setup(e)
			e.test(t, tfresource.TestCase{
				ProtoV6ProviderFactories: hermeticFactories(env, files),
				Steps:                    []tfresource.TestStep{signInPlanStep(config, summary, detail)},
			})
			e.requireNoGraphRequests(t, c.name)
		})
	}
}

// TestAccSignInCheck_azureCLIAndManagedIdentity: the Azure CLI fallback
// and a managed identity, through a fake az on PATH (or none) and a
// managed identity endpoint on a closed loopback port. azidentity finds
// both through the process environment (PATH, IDENTITY_ENDPOINT), so this
// test sets it and cannot run in parallel. The provider's own settings
// come from the provider block only (hermetic environment).
func TestAccSignInCheck_azureCLIAndManagedIdentity(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	// Terraform is found before PATH is replaced by the fake az's directory.
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		tf, err := exec.LookPath("terraform")
		if err != nil {
			t.Fatalf("terraform is not on PATH: %v", err)
		}
		t.Setenv("TF_ACC_TERRAFORM_PATH", tf)
	}
	for _, k := range []string{"IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT", "MSI_ENDPOINT", "MSI_SECRET", "IMDS_ENDPOINT"} {
		t.Setenv(k, "")
	}
	q := func(s string) string { return fmt.Sprintf("%q", s) }
	// The Azure CLI cases: nothing but the mock's endpoints in the block
	// (and the tenant where the case says), so the provider falls back to az.
	cliOnly := []string{attrTenantID, attrClientID, attrClientSecret, attrUseCLI}
	const otherTenant = "99999999-9999-4999-8999-999999999999"

	type cliCase struct {
		name       string
		withTenant bool
		az         *acctest.FakeAzureCLI // nil: no az on PATH
		summary    string
		detail     func(e *accEnv) string
		// wantCalls are the fake az's runs (%s: the Graph endpoint, %t: the tenant).
		wantCalls []string
	}
	expiredErr := "ERROR: AADSTS700082: The refresh token has expired due to inactivity. The token was issued on 2026-05-01T08:00:00.0000000Z and was inactive for 90.00:00:00. " +
		"Trace ID: 0a1b2c3d-0000-4000-8000-000000000001 Correlation ID: 0a1b2c3d-0000-4000-8000-000000000002 Timestamp: 2026-11-27 07:00:00Z\n" +
		"Interactive authentication is needed. Please run:\naz login --scope https://graph.microsoft.com//.default"
	otherTenantErr := "ERROR: AADSTS50020: User account 'adele@fabrikam.example' from identity provider 'https://sts.windows.net/" + otherTenant + "/' does not exist in tenant 'Contoso' " +
		"and cannot access the application '04b07795-8ddb-461a-bbee-02f9e1bf7b46'(Microsoft Azure CLI) in that tenant.\n" +
		"Interactive authentication is needed. Please run:\naz login --tenant TENANT --scope https://graph.microsoft.com//.default"
	cases := []cliCase{
		{name: "cli_not_installed", summary: "Azure CLI not found",
			detail: func(*accEnv) string {
				return signInDetail("the Azure CLI", signInCLIWhy, "The Azure CLI (az) is not on the PATH, so it cannot provide a token.",
					`Install the Azure CLI and run "az login", or `+signInOtherCredentials+".")
			}},
		{name: "cli_not_logged_in", withTenant: true, az: &acctest.FakeAzureCLI{}, summary: "Azure CLI not signed in",
			detail: func(e *accEnv) string {
				return signInDetail("the Azure CLI", signInCLIWhy, `The Azure CLI has no signed-in account (az said: "Please run 'az login' to setup account").`,
					fmt.Sprintf(`Run "az login --tenant %s" and plan again, or %s.`, e.tenant, signInOtherCredentials))
			},
			wantCalls: []string{"account get-access-token -o json --resource %s --tenant %t"}},
		{name: "cli_login_expired", withTenant: true, az: &acctest.FakeAzureCLI{Tenant: "TENANT", TokenError: expiredErr}, summary: "Azure CLI sign-in expired",
			detail: func(e *accEnv) string {
				return signInDetail("the Azure CLI", signInCLIWhy,
					`The Azure CLI's sign-in has expired or must be renewed, so it cannot get a token (az said: "AADSTS700082: The refresh token has expired due to inactivity. `+
						`The token was issued on 2026-05-01T08:00:00.0000000Z and was inactive for 90.00:00:00. Trace ID: 0a1b2c3d-0000-4000-8000-000000000001 `+
						`Correlation ID: 0a1b2c3d-0000-4000-8000-000000000002 Timestamp: 2026-11-27 07:00:00Z").`,
					fmt.Sprintf(`Run "az login --tenant %s" again and plan again.`, e.tenant))
			},
			wantCalls: []string{"account get-access-token -o json --resource %s --tenant %t", "account show --query tenantId -o tsv"}},
		{name: "cli_other_tenant", withTenant: true, az: &acctest.FakeAzureCLI{Tenant: otherTenant, TokenError: otherTenantErr}, summary: "Azure CLI signed in to another tenant",
			detail: func(e *accEnv) string {
				return signInDetail("the Azure CLI", signInCLIWhy,
					fmt.Sprintf(`tenant_id is %q, but the Azure CLI is signed in to tenant %q and cannot get a token for %q `+
						`(az said: "AADSTS50020: User account 'adele@fabrikam.example' from identity provider 'https://sts.windows.net/%s/' does not exist in tenant 'Contoso' `+
						`and cannot access the application '04b07795-8ddb-461a-bbee-02f9e1bf7b46'(Microsoft Azure CLI) in that tenant").`, e.tenant, otherTenant, e.tenant, otherTenant),
					fmt.Sprintf(`Run "az login --tenant %s" with an account of that tenant and plan again, or correct tenant_id (ARM_TENANT_ID) if the CLI's tenant is the one you meant.`, e.tenant))
			},
			wantCalls: []string{"account get-access-token -o json --resource %s --tenant %t", "account show --query tenantId -o tsv"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newAccEnv(t)
			dir := t.TempDir() // no az
			if c.az != nil {
				az := *c.az
				if az.Tenant == "TENANT" {
					az.Tenant = e.tenant
				}
				az.TokenError = strings.ReplaceAll(az.TokenError, "TENANT", e.tenant)
				dir = acctest.WriteFakeAzureCLI(t, az)
			}
			t.Setenv("PATH", dir)
			unset, set := cliOnly, map[string]string(nil)
			if c.withTenant {
				set = map[string]string{attrTenantID: q(e.tenant)}
			}
			e.test(t, tfresource.TestCase{
				ProtoV6ProviderFactories: hermeticFactories(nil, nil),
				Steps:                    []tfresource.TestStep{signInPlanStep(e.providerBlock(unset, set), c.summary, c.detail(e))},
			}, acctest.Serial("t.Setenv: PATH, TF_ACC_TERRAFORM_PATH and the managed identity variables"))
			e.requireNoRequests(t, c.name)
			if c.az != nil {
				var want []string
				for _, w := range c.wantCalls {
					want = append(want, strings.NewReplacer("%s", e.m.GraphEndpoint(), "%t", e.tenant).Replace(w))
				}
				if got := acctest.FakeAzureCLICalls(t, dir); !slices.Equal(got, want) {
					t.Errorf("az runs:\n  %s\nwant (one sign-in per plan):\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
				}
			}
		})
	}

	t.Run("managed_identity_unreachable", func(t *testing.T) {
		e := newAccEnv(t)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close() // nothing listens there now: the endpoint is unreachable
		endpoint := "http://" + addr + "/msi/token"
		t.Setenv("IDENTITY_ENDPOINT", endpoint) // App Service's managed identity variables
		t.Setenv("IDENTITY_HEADER", "identity-header")
		e.test(t, tfresource.TestCase{
			ProtoV6ProviderFactories: hermeticFactories(nil, nil),
			Steps: []tfresource.TestStep{signInPlanStep(e.providerBlock(cliOnly, map[string]string{attrUseMSI: "true"}), "Managed identity endpoint unreachable",
				signInDetail("a managed identity", "use_msi = true is set in the provider block",
					fmt.Sprintf("The managed identity endpoint %s (App Service, from IDENTITY_ENDPOINT) could not be reached: connect: connection refused. "+
						"Terraform is not running on an Azure resource with a managed identity, or the endpoint is down.", endpoint),
					"Run Terraform on an Azure resource that has a managed identity assigned (a VM, App Service, Functions, Container Apps, or an AKS pod with workload identity), "+
						"with client_id (ARM_CLIENT_ID) set to the identity's client ID when it is user-assigned; or unset use_msi (ARM_USE_MSI) and configure another credential: "+
						"tenant_id (ARM_TENANT_ID) and client_id (ARM_CLIENT_ID) with client_secret (ARM_CLIENT_SECRET) or client_certificate_path (ARM_CLIENT_CERTIFICATE_PATH), "+
						"use_oidc (ARM_USE_OIDC) = true in CI, or the Azure CLI on a workstation (the default when no other credential is set)."))},
		}, acctest.Serial("t.Setenv: the managed identity endpoint"))
		e.requireNoRequests(t, "managed_identity_unreachable")
	})
}

// TestAccSignInCheck_requestsOnlyWhenNeeded: a plan with nothing to do
// sends nothing (even with a secret the authority would refuse), a plan
// that refreshes gains no token request from the check, a plan whose
// apply needs Graph signs in once per provider process, an apply's Graph
// calls reuse the check's token, and a refresh that cannot sign in
// carries the same explanation.
func TestAccSignInCheck_requestsOnlyWhenNeeded(t *testing.T) {
	e := newAccEnv(t)
	phone := phoneConfig{Name: "p", UserID: accAdeleID, PhoneType: "mobile", PhoneNumber: "+1 4255550170"}
	changed := phone
	changed.PhoneNumber = "+1 4255550171"
	good := e.providerBlock(nil, nil)
	wrong := e.providerBlock(nil, map[string]string{attrClientSecret: fmt.Sprintf("%q", "wrong-secret")})
	// expect checks what the previous step sent ("*": any Graph calls),
	// then clears the logs.
	expect := func(step string, tokens int, graphMethods ...string) func() {
		return func() {
			t.Helper()
			if n := len(e.mock.AuthorityRequestLog(mockgraph.RequestLogFilter{Operation: mockgraph.OpToken})); n != tokens {
				t.Errorf("%s: %d token requests, want %d", step, n, tokens)
			}
			var got []string
			for _, r := range e.mock.RequestLog() {
				got = append(got, r.Method)
			}
			if !slices.Equal(graphMethods, []string{"*"}) && !slices.Equal(got, graphMethods) {
				t.Errorf("%s: Graph requests %v, want %v", step, got, graphMethods)
			}
			e.mock.ResetRequestLog()
		}
	}
	e.test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: hermeticFactories(nil, nil),
		Steps: []tfresource.TestStep{
			{Config: good + phone.String()},
			// A plan-only step runs a plan without refresh (nothing to do:
			// no request, although the secret is wrong), then one with
			// refresh, which fails reading the phone, with the explanation.
			{
				PreConfig: func() { e.mock.ResetRequestLog() },
				Config:    wrong + phone.String(), PlanOnly: true,
				ExpectError: errorRE("Cannot read phone method", "The provider signs in with a client secret because client_secret is set in the provider block.",
					"AADSTS7000215: Invalid client secret provided.", signInSecretFix),
			},
			// Nothing to do without refresh (no request); the refresh
			// plan's read signs in (one token) and its check adds nothing.
			{PreConfig: expect("no-op plan with a wrong secret, then its refresh", 1), Config: good + phone.String(), PlanOnly: true},
			// An update: the plan without refresh signs in for its check
			// (one token); the refresh plan's read signs in (one token),
			// and its check adds nothing: two provider processes, two tokens.
			{PreConfig: expect("no-op plan, then its refresh", 1, http.MethodGet), Config: good + changed.String(), PlanOnly: true, ExpectNonEmptyPlan: true},
			{PreConfig: expect("update plan, then its refresh", 2, http.MethodGet), Config: good + phone.String(), PlanOnly: true},
			// Applying an update: the plan's refresh signs in (one token), the
			// apply's check signs in and the update reuses its token (one),
			// the plan without refresh after it has nothing to do (none) and
			// the refresh plan's read signs in (one).
			{PreConfig: expect("no-op plan, then its refresh, again", 1, http.MethodGet), Config: good + changed.String()},
			{PreConfig: expect("apply of an update", 3, "*"), Config: good + changed.String(), PlanOnly: true},
		},
	})
}

// TestPlanNeedsGraph: create, update and delete need Graph at apply; a
// plan equal to the prior state does not.
func TestPlanNeedsGraph(t *testing.T) {
	t.Parallel()
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"n": tftypes.String}}
	obj := func(v string) tftypes.Value {
		return tftypes.NewValue(typ, map[string]tftypes.Value{"n": tftypes.NewValue(tftypes.String, v)})
	}
	null := tftypes.NewValue(typ, nil)
	req := func(state, plan tftypes.Value) resource.ModifyPlanRequest {
		return resource.ModifyPlanRequest{State: tfsdk.State{Raw: state}, Plan: tfsdk.Plan{Raw: plan}}
	}
	for name, tc := range map[string]struct {
		req  resource.ModifyPlanRequest
		want bool
	}{
		"create":  {req(null, obj("a")), true},
		"update":  {req(obj("a"), obj("b")), true},
		"delete":  {req(obj("a"), null), true},
		"no-op":   {req(obj("a"), obj("a")), false},
		"nothing": {req(null, null), false},
	} {
		if got := planNeedsGraph(tc.req); got != tc.want {
			t.Errorf("%s: planNeedsGraph = %v, want %v", name, got, tc.want)
		}
	}
	if d := checkSignInForPlan(t.Context(), nil, req(null, obj("a"))); d.HasError() {
		t.Errorf("no client (provider not configured): %v", d)
	}
}
