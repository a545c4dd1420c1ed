package tfharness

import (
	"slices"
	"strings"
	"testing"
)

func TestEnvScrubsTheCallersSettings(t *testing.T) {
	t.Parallel()
	caller := []string{
		"PATH=/usr/bin",
		"HOME=/home/dev",
		"LANG=C.UTF-8",
		"HTTPS_PROXY=http://proxy.example.test:3128",
		"NO_PROXY=.corp.example.test",
		// The reported failure: managed identity next to the harness's secret.
		"ARM_USE_MSI=true",
		"ARM_CLIENT_ID=x",
		"ARM_CLIENT_SECRET=callers-secret",
		"ARM_TENANT_ID=callers-tenant",
		"ARM_USE_OIDC=true",
		"ARM_OIDC_TOKEN=callers-token",
		"ARM_CLIENT_CERTIFICATE_PATH=/home/dev/cert.pfx",
		"ARM_MSGRAPH_ENDPOINT=https://graph.microsoft.com",
		"ARM_ENVIRONMENT=usgovernment",
		"arm_use_cli=true",
		"AZURE_CLIENT_ID=callers-client",
		"AZURE_TENANT_ID=callers-tenant",
		"AZURE_FEDERATED_TOKEN_FILE=/var/run/token",
		"AZURE_AUTHORITY_HOST=https://login.microsoftonline.us/",
		"TF_CLI_CONFIG_FILE=/home/dev/.terraformrc",
		"TF_LOG=TRACE",
		"TF_LOG_PATH=/home/dev/tf.log",
		"TF_DATA_DIR=/home/dev/.tfdata",
		"TF_PLUGIN_CACHE_DIR=/home/dev/.tfcache",
		"TF_VAR_tenant=prod",
		"TF_IN_AUTOMATION=",
		"SSL_CERT_FILE=/home/dev/corp-ca.pem",
		"SSL_CERT_DIR=/home/dev/certs",
		"ACTIONS_ID_TOKEN_REQUEST_URL=https://token.actions.example.test",
		"ACTIONS_ID_TOKEN_REQUEST_TOKEN=gh-token",
		"IDENTITY_ENDPOINT=http://169.254.169.254/identity",
		"MSI_ENDPOINT=http://169.254.169.254/msi",
		"TMPDIR=/home/dev/tmp",
		"CHECKPOINT_DISABLE=",
	}
	got := Env(caller, Settings{
		CLIConfigFile: "/work/terraform.rc",
		TmpDir:        "/work",
		CAFile:        "/work/mockgraph-ca.pem",
		App:           App{TenantID: "mock-tenant", ClientID: "mock-client", ClientSecret: "mock-secret"},
		GraphEndpoint: "https://127.0.0.1:4443",
		AuthorityHost: "https://127.0.0.1:4443/",
	})
	want := []string{
		"PATH=/usr/bin",
		"HOME=/home/dev",
		"LANG=C.UTF-8",
		"HTTPS_PROXY=http://proxy.example.test:3128",
		"NO_PROXY=.corp.example.test",
		"TF_CLI_CONFIG_FILE=/work/terraform.rc",
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"CHECKPOINT_DISABLE=1",
		"TMPDIR=/work",
		"SSL_CERT_FILE=/work/mockgraph-ca.pem",
		"ARM_MSGRAPH_ENDPOINT=https://127.0.0.1:4443",
		"ARM_AUTHORITY_HOST=https://127.0.0.1:4443/",
		"ARM_TENANT_ID=mock-tenant",
		"ARM_CLIENT_ID=mock-client",
		"ARM_CLIENT_SECRET=mock-secret",
		"ARM_USE_CLI=false",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Env =\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestEnvSetsEachVariableOnce(t *testing.T) {
	t.Parallel()
	got := Env([]string{"PATH=/usr/bin", "TMPDIR=/tmp", "CHECKPOINT_DISABLE=0"}, Settings{TmpDir: "/work"})
	seen := map[string]string{}
	for _, kv := range got {
		name, _, _ := strings.Cut(kv, "=")
		if prev, dup := seen[name]; dup {
			t.Errorf("%s set twice: %q and %q", name, prev, kv)
		}
		seen[name] = kv
	}
}
