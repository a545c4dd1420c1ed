package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

const usageHead = `Usage:
  mockgraph [flags]                   run the mock Graph and token endpoint on loopback
  mockgraph admin METHOD PATH [BODY]  call its admin API (mockgraph admin -h)
  mockgraph seed-schema               print the JSON Schema of --seed files
  mockgraph --version                 print the version

Runs a mock Microsoft Graph (phone authentication methods, SMS sign-in
policy, paged reads of users and group members) and Entra token endpoint
on loopback, for testing Terraform
configurations offline. When ready it prints one JSON line on stdout:
{"graph_endpoint", "authority_host", "ca_file", "admin_url", "tenants"}.
SIGINT or SIGTERM stops it.

Point the provider at it with msgraph_endpoint = graph_endpoint and
authority_host = authority_host (or ARM_MSGRAPH_ENDPOINT, ARM_AUTHORITY_HOST),
and trust ca_file with SSL_CERT_FILE. A bad --seed fails at start with the
path of the bad field, e.g. tenants[0].users[2].phoneMethods[0].phoneNumber.

Flags:
`

// usageTail is printed after the flags: the admin API reference, rendered
// from the mock's route table.
var usageTail = "\n" + mockgraph.AdminAPIReference()

// envFileVars are the variables --env-file writes: the provider's
// endpoints (mockgraph.ProviderEnv) and the mock's own admin URL and CA.
func envFileVars(info mockgraph.Info) []mockgraph.EnvVar {
	return append(mockgraph.ProviderEnv(info.GraphEndpoint, info.AuthorityHost, nil),
		mockgraph.EnvVar{Name: "MOCKGRAPH_ADMIN_URL", Value: info.AdminURL},
		mockgraph.EnvVar{Name: "MOCKGRAPH_CA_FILE", Value: info.CAFile})
}

// envFileNames are the names envFileVars writes, for --help.
var envFileNames = func() []string {
	var names []string
	for _, v := range envFileVars(mockgraph.Info{}) {
		names = append(names, v.Name)
	}
	return names
}()

// writeEnvFile writes the endpoints as NAME=value lines, readable by
// `set -a; . FILE; set +a` and by GitHub Actions' $GITHUB_ENV. It is
// renamed into place, so a reader never sees half a file. SSL_CERT_FILE is
// left to the caller: it replaces the system roots of every Go and OpenSSL
// program that sees it, including terraform init's registry downloads.
func writeEnvFile(path string, info mockgraph.Info) error {
	var b strings.Builder
	for _, v := range envFileVars(info) {
		if strings.ContainsAny(v.Value, "\n\r") {
			return fmt.Errorf("--env-file: %s has a line break: %q", v.Name, v.Value)
		}
		fmt.Fprintf(&b, "%s=%s\n", v.Name, v.Value)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".mockgraph-env-*")
	if err != nil {
		return fmt.Errorf("--env-file: %w", err)
	}
	if _, err := tmp.WriteString(b.String()); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("--env-file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("--env-file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("--env-file: %w", err)
	}
	return nil
}

// seedFileError names the seed file and lists each bad field on its own
// line: "--seed FILE: tenants[0].users[2].phoneMethods[0].phoneNumber: ...".
func seedFileError(file string, err error) error {
	var se *mockgraph.SeedError
	if !errors.As(err, &se) {
		return fmt.Errorf("--seed %s: %w", file, err)
	}
	lines := strings.Split(strings.ReplaceAll(err.Error(), "mockgraph: seed: ", ""), "\n")
	if len(lines) == 1 {
		return fmt.Errorf("--seed %s: %s", file, lines[0])
	}
	return fmt.Errorf("--seed %s: %d mistakes:\n  %s", file, len(lines), strings.Join(lines, "\n  "))
}
