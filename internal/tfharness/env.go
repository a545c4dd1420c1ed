package tfharness

import (
	"slices"
	"strings"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// App is the mock's app registration the provider signs in as; its secret
// is a fixed value of the mock, never a real credential.
type App = mockgraph.ClientSecretApp

// Settings are what the harness itself puts in a terraform process's
// environment.
type Settings struct {
	CLIConfigFile string // TF_CLI_CONFIG_FILE
	TmpDir        string // TMPDIR: plugin sockets and plan scratch
	CAFile        string // SSL_CERT_FILE: the mock's CA
	App           App
	GraphEndpoint string // ARM_MSGRAPH_ENDPOINT
	AuthorityHost string // ARM_AUTHORITY_HOST
}

// scrubbedPrefixes name the caller's settings that would change what
// terraform or the provider does: Terraform's own (CLI config, log, data
// dir, variables), the provider's ARM_* and azidentity's AZURE_*
// credentials, the GitHub OIDC token the provider falls back to, and TLS
// trust, which must be the mock's CA alone.
var scrubbedPrefixes = []string{"TF_", "ARM_", "AZURE_", "ACTIONS_ID_TOKEN_REQUEST_", "SSL_CERT_"}

// scrubbedNames are managed identity endpoints azidentity reads.
// HTTP(S)_PROXY and NO_PROXY are kept: Go never proxies a loopback IP,
// which is all the mock listens on, and Terraform needs nothing else.
var scrubbedNames = []string{"IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT", "IMDS_ENDPOINT", "MSI_ENDPOINT", "MSI_SECRET"}

// Env is the environment of every terraform process: base (os.Environ())
// without the caller's Terraform, Azure and TLS settings, plus the
// harness's own. Without the scrub, a caller's ARM_USE_MSI=true met the
// harness's ARM_CLIENT_SECRET and the provider refused the conflict.
func Env(base []string, s Settings) []string {
	own := []string{
		"TF_CLI_CONFIG_FILE=" + s.CLIConfigFile,
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"CHECKPOINT_DISABLE=1",
		"TMPDIR=" + s.TmpDir,
		"SSL_CERT_FILE=" + s.CAFile,
	}
	app := s.App
	for _, v := range mockgraph.ProviderEnv(s.GraphEndpoint, s.AuthorityHost, &app) {
		own = append(own, v.Name+"="+v.Value)
	}
	var env []string
	for _, kv := range base {
		if !scrubbed(kv, own) {
			env = append(env, kv)
		}
	}
	return append(env, own...)
}

// scrubbed reports whether kv is a caller's setting to drop: one of the
// scrubbed kinds, or a variable the harness sets itself. Names are compared
// upper-cased, as Windows reads them.
func scrubbed(kv string, own []string) bool {
	name, _, _ := strings.Cut(kv, "=")
	name = strings.ToUpper(name)
	for _, p := range scrubbedPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return slices.Contains(scrubbedNames, name) || slices.ContainsFunc(own, func(o string) bool {
		return strings.HasPrefix(o, name+"=")
	})
}
