package provider

import (
	"bufio"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph/identity"
)

// providerLogModule is the @module of the provider's tflog lines: the
// root provider logger is named after the provider. Only this repository's
// code and terraform-plugin-framework-timeouts (which logs timeout
// defaults) write through it; the SDK's own lines are "sdk.*", Terraform
// core's have no @module or a core subsystem's. The test sink's JSON has no
// @caller, so the module is what tells the lines apart.
const providerLogModule = "entraauth"

// logSecretPhones are the numbers the run configures, one per step that
// writes; their national digits must not appear in the provider's own lines
// in any form (+1 4255550147, +14255550147, 14255550147 all contain them).
var logSecretPhones = []string{"+1 4255550147", "+1 4255550162", "+44 2079460958", "+44 7700900123", "+61 291920155"}

// TestAccLogsHoldNoSecrets runs Terraform at TRACE over create and update
// with a client secret, a password-protected client certificate, an OIDC
// token and an OIDC request token, plus six authentication failures (a
// wrong client secret, a revoked app, a wrong certificate password, and
// three the plan-time sign-in check refuses: a federated token no
// federated credential matches, an OIDC request token the endpoint
// refuses, a certificate the app does not trust). Both
// Terraform core's log and the in-process provider's log go to one file
// (TF_LOG_PATH_MASK: terraform-plugin-testing points Terraform's TF_LOG_PATH
// at it, and terraform-plugin-log's test sink writes the provider's tflog
// there), in JSON so every line can be attributed. No line may contain a
// credential or a token the mock issued, and the provider's own lines
// (@module "entraauth", see providerLogModule) may not contain a
// configured phone number. It sets the process environment, so it cannot
// run in parallel.
func TestAccLogsHoldNoSecrets(t *testing.T) {
	e := newAccEnv(t)
	logDir := t.TempDir()
	if d := os.Getenv("ENTRAAUTH_TEST_LOG_DIR"); d != "" {
		logDir = d // keep the log for reading
	}
	// JSON: TF_LOG for the provider's sink, TF_ACC_LOG for Terraform core.
	// TF_ACC_LOG_PATH would force the sink to plain text, so it is cleared.
	for k, v := range map[string]string{
		"TF_LOG": "JSON", "TF_ACC_LOG": "JSON", "TF_LOG_PATH_MASK": filepath.Join(logDir, "%s.log"),
		"TF_ACC_LOG_PATH": "", "TF_LOG_PATH": "", "TF_LOG_CORE": "", "TF_LOG_PROVIDER": "",
	} {
		t.Setenv(k, v)
	}
	for _, k := range e.m.EnvKeys() {
		t.Setenv(k, "") // only the provider blocks below configure the provider
	}
	logPath := filepath.Join(logDir, t.Name()+".log")
	// The sinks append; a kept log from an earlier run must not be scanned.
	if err := os.Remove(logPath); err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}

	auth := e.mock.Authority()
	certPassword := "pfx-password-" + randomSuffix(t)
	pfx, certPEM := acctest.NewClientCertificate(t, certPassword)
	pfxBase64 := base64.StdEncoding.EncodeToString(pfx)
	// The seeded app, now also trusting the certificate.
	e.must(auth.AddApp(identity.App{
		TenantID: e.tenant, ClientID: e.m.ClientID, Secrets: []string{e.m.ClientSecret}, Certificates: []string{certPEM},
		Roles:                acctest.DefaultRoles,
		FederatedCredentials: []identity.FederatedCredential{{Issuer: auth.FederatedIssuer(), Subject: acctest.OIDCSubject}},
	}))
	// An app whose registration is deleted before it is used.
	revokedClientID, revokedSecret := "0bb0b0b0-0000-4000-8000-00000000000e", "revoked-secret-"+randomSuffix(t)
	e.must(auth.AddApp(identity.App{TenantID: e.tenant, ClientID: revokedClientID, Secrets: []string{revokedSecret}, Roles: acctest.DefaultRoles}))
	e.must(auth.RemoveApp(e.tenant, revokedClientID))
	wrongSecret := "wrong-secret-" + randomSuffix(t)
	wrongCertPassword := "wrong-pfx-password-" + randomSuffix(t)
	oidcToken, err := auth.MintFederatedToken(acctest.OIDCSubject, graph.OIDCAudience, 0)
	e.must(err)
	oidcRequestToken := auth.IssueOIDCRequestToken(acctest.OIDCSubject)
	// Refused by the sign-in check (provider_credential_check.go); the last
	// step signs in, so the post-test destroy can:
	// a federated token no federated credential matches, a request token the
	// OIDC endpoint refuses, and a certificate the app does not trust.
	strangerToken, err := auth.MintFederatedToken("repo:stranger/infra:ref:refs/heads/main", graph.OIDCAudience, 0)
	e.must(err)
	wrongRequestToken := "wrong-oidc-request-token-" + randomSuffix(t)
	strangerPassword := "stranger-pfx-password-" + randomSuffix(t)
	strangerPfx, _ := acctest.NewClientCertificate(t, strangerPassword)
	strangerPfxBase64 := base64.StdEncoding.EncodeToString(strangerPfx)

	secretBlock := fmt.Sprintf("client_secret = %q", e.m.ClientSecret)
	certBlock := fmt.Sprintf("client_certificate = %q\n  client_certificate_password = %q", pfxBase64, certPassword)
	steps := []logSecretStep{
		{creds: secretBlock, phone: logSecretPhones[0]},
		{creds: secretBlock, phone: logSecretPhones[1]},
		{creds: fmt.Sprintf("client_secret = %q", wrongSecret), phone: logSecretPhones[1], fails: errorRE("AADSTS7000215")},
		{clientID: revokedClientID, creds: fmt.Sprintf("client_secret = %q", revokedSecret), phone: logSecretPhones[1], fails: errorRE("AADSTS700016")},
		{creds: certBlock, phone: logSecretPhones[2]},
		{creds: fmt.Sprintf("client_certificate = %q\n  client_certificate_password = %q", pfxBase64, wrongCertPassword), phone: logSecretPhones[2],
			fails: errorRE("Client certificate password", "cannot be opened with the password from client_certificate_password")},
		{creds: fmt.Sprintf("use_oidc = true\n  oidc_token = %q", strangerToken), phone: logSecretPhones[2], fails: errorRE("The provider signs in with an OIDC token", "AADSTS70021")},
		{creds: fmt.Sprintf("use_oidc = true\n  oidc_request_token = %q\n  oidc_request_url = %q", wrongRequestToken, auth.GitHubTokenRequestURL()), phone: logSecretPhones[2],
			fails: errorRE("The provider signs in with an OIDC token", "HTTP 401")},
		{creds: fmt.Sprintf("client_certificate = %q\n  client_certificate_password = %q", strangerPfxBase64, strangerPassword), phone: logSecretPhones[2],
			fails: errorRE("The provider signs in with a client certificate", "AADSTS700027")},
		{creds: fmt.Sprintf("use_oidc = true\n  oidc_token = %q", oidcToken), phone: logSecretPhones[3]},
		{creds: fmt.Sprintf("use_oidc = true\n  oidc_request_token = %q\n  oidc_request_url = %q", oidcRequestToken, auth.GitHubTokenRequestURL()), phone: logSecretPhones[4]},
	}

	// Failing steps are expected through ErrorCheck rather than ExpectError,
	// so that Terraform's error output (stderr) can be scanned too.
	var expected *regexp.Regexp
	var failures []string
	var testSteps []resource.TestStep
	for i, s := range steps {
		clientID := s.clientID
		if clientID == "" {
			clientID = e.m.ClientID
		}
		testSteps = append(testSteps, resource.TestStep{
			PreConfig: func() { expected = s.fails },
			Config: fmt.Sprintf("provider \"entraauth\" {\n  tenant_id = %q\n  client_id = %q\n  msgraph_endpoint = %q\n  authority_host = %q\n  use_cli = false\n  %s\n}\n",
				e.tenant, clientID, e.m.GraphEndpoint(), e.m.AuthorityHost(), s.creds) +
				phoneConfig{Name: "p", UserID: accAdeleID, PhoneType: "mobile", PhoneNumber: s.phone}.String(),
			Check: func(st *terraform.State) error {
				if s.fails != nil {
					return fmt.Errorf("step %d was expected to fail", i+1)
				}
				return e.checkGraphPhone(accAdeleID, "mobile", s.phone, "")(st)
			},
		})
	}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		ErrorCheck: func(err error) error {
			if expected != nil && expected.MatchString(err.Error()) {
				failures = append(failures, err.Error())
				return nil
			}
			return err
		},
		Steps: testSteps,
	}, acctest.Serial("t.Setenv: TF_LOG and the ARM_* variables"))
	if want := 6; len(failures) != want {
		t.Errorf("%d authentication failures seen, want %d", len(failures), want)
	}

	secrets := map[string]string{
		"client secret": e.m.ClientSecret, "wrong client secret": wrongSecret, "revoked app's secret": revokedSecret,
		"certificate password": certPassword, "wrong certificate password": wrongCertPassword, "PFX base64": pfxBase64,
		"PFX base64 prefix": pfxBase64[:64], "OIDC token": oidcToken, "OIDC request token": oidcRequestToken,
		"refused federated token": strangerToken, "refused OIDC request token": wrongRequestToken,
		"untrusted certificate password": strangerPassword, "untrusted PFX base64 prefix": strangerPfxBase64[:64],
	}
	counts := map[string]int{}
	for i, tok := range auth.IssuedTokens() {
		counts[tok.Kind]++
		secrets[fmt.Sprintf("issued %s #%d", tok.Kind, i)] = tok.Value
		if parts := strings.Split(tok.Value, "."); len(parts) == 3 {
			secrets[fmt.Sprintf("signature of issued %s #%d", tok.Kind, i)] = parts[2]
		}
	}
	// Non-vacuity: every kind of token existed during the run.
	for _, kind := range []string{identity.IssuedAccessToken, identity.IssuedFederatedToken, identity.IssuedOIDCRequestToken} {
		if counts[kind] == 0 {
			t.Errorf("the mock issued no %s during the run", kind)
		}
	}
	if counts[identity.IssuedAccessToken] < 4 {
		t.Errorf("the mock issued %d access tokens; one per credential kind (secret, certificate, OIDC token, OIDC request) expected", counts[identity.IssuedAccessToken])
	}

	stats := scanLogForSecrets(t, logPath, secrets)
	for i, f := range failures {
		for name, s := range secrets {
			if strings.Contains(f, s) {
				t.Errorf("Terraform's error output of failure %d contains the %s", i+1, name)
			}
		}
	}
	t.Logf("scanned %d log lines (%d Terraform core, %d provider, %d SDK, %d other) and %d error outputs for %d secrets and tokens (%d issued tokens: %v)",
		stats.lines, stats.core, stats.provider, stats.sdk, stats.other, len(failures), len(secrets), len(auth.IssuedTokens()), counts)
}

// logSecretStep is one Terraform run: credentials, the number, and, for
// authentication failures, the error expected.
type logSecretStep struct {
	clientID string
	creds    string
	phone    string
	fails    *regexp.Regexp
}

type logScanStats struct {
	lines, core, provider, sdk, other int
}

// scanLogForSecrets reads the JSON log, fails on any secret anywhere and on
// any configured number in the provider's own lines, and checks that the
// log really holds TRACE lines of both Terraform core and the provider,
// including the masked HTTP request logging.
func scanLogForSecrets(t *testing.T, path string, secrets map[string]string) logScanStats {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("no log was written: %v", err)
	}
	defer f.Close()
	var st logScanStats
	seen := map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			continue
		}
		st.lines++
		for name, s := range secrets {
			if strings.Contains(line, s) {
				t.Errorf("log line %d contains the %s: %.200s", st.lines, name, line)
			}
		}
		var entry map[string]any
		if err := json.Unmarshal([]byte(line), &entry); err != nil {
			st.other++
			continue
		}
		module, _ := entry["@module"].(string)
		level, _ := entry["@level"].(string)
		msg, _ := entry["@message"].(string)
		switch {
		case module == providerLogModule:
			st.provider++
			for _, phone := range logSecretPhones {
				national := phone[strings.Index(phone, " ")+1:]
				if strings.Contains(line, national) {
					t.Errorf("provider log line %d contains the phone number %s: %.300s", st.lines, phone, line)
				}
			}
			seen["provider "+level]++
			seen["provider "+msg]++
			if h, _ := entry["headers"].(map[string]any); msg == "Graph request" && h["Authorization"] == "***" {
				seen["masked Authorization"]++
			}
			if b, _ := entry["body"].(string); strings.Contains(b, `"phoneNumber":"***"`) {
				seen["masked phoneNumber"]++
			}
		case strings.HasPrefix(module, "sdk."):
			st.sdk++
		default:
			// Terraform core: its own lines carry no @module, its
			// subsystems' lines (e.g. unmanaged.provider.stdio) do.
			st.core++
			if module == "" {
				seen["core "+level]++
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading the log: %v", err)
	}
	for _, want := range []string{"core trace", "provider trace", "provider debug", "provider Graph request", "provider Graph response body",
		"provider authentication request", "masked Authorization", "masked phoneNumber"} {
		if seen[want] == 0 {
			t.Errorf("the log has no %q line, so the scan proves nothing (%d lines)", want, st.lines)
		}
	}
	return st
}

func randomSuffix(t *testing.T) string {
	t.Helper()
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
