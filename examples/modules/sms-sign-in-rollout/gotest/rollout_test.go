// Package gotest shows the mock under a Go test with
// terraform-plugin-testing: start mockgraph from the module's seed, point
// the provider at it through the environment, apply a configuration, then
// check Graph itself through the mock's admin API. It needs mockgraph on
// PATH and TF_ACC=1; terraform init installs the provider as usual
// (registry or mirror).
//
// terraform-plugin-testing tests root configurations: it refuses module
// blocks and resources with string for_each keys, so the module itself is
// tested with terraform test (../tests), and Go tests suit single
// configurations and provider behaviour.
package gotest

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// mockGraph is mockgraph's ready line.
type mockGraph struct {
	GraphEndpoint string `json:"graph_endpoint"`
	AuthorityHost string `json:"authority_host"`
	CAFile        string `json:"ca_file"`
	AdminURL      string `json:"admin_url"`
}

// startMockGraph runs mockgraph from seed until the test ends and points
// the provider at it. The CA goes in SSL_CERT_DIR, which adds it to the
// system roots (Linux), so terraform init can still reach the registry.
func startMockGraph(t *testing.T, seed string) mockGraph {
	t.Helper()
	caDir := t.TempDir()
	cmd := exec.Command("mockgraph", "--seed", seed, "--ca-out", filepath.Join(caDir, "mockgraph-ca.pem"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start mockgraph: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadBytes('\n')
	if err != nil {
		t.Fatalf("mockgraph did not start: %v", err)
	}
	var m mockGraph
	if err := json.Unmarshal(line, &m); err != nil {
		t.Fatalf("mockgraph ready line %q: %v", line, err)
	}
	t.Setenv("ARM_MSGRAPH_ENDPOINT", m.GraphEndpoint)
	t.Setenv("ARM_AUTHORITY_HOST", m.AuthorityHost)
	t.Setenv("SSL_CERT_DIR", caDir)
	return m
}

// adminGet reads the mock's admin API into out.
func (m mockGraph) adminGet(path string, out any) error {
	pem, err := os.ReadFile(m.CAFile)
	if err != nil {
		return err
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	resp, err := client.Get(m.AdminURL + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func TestRolloutWithPluginTesting(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1 (and put mockgraph on PATH) to run")
	}
	if _, err := exec.LookPath("mockgraph"); err != nil {
		t.Skip("mockgraph is not on PATH")
	}
	mock := startMockGraph(t, "../tests/mockgraph-seed.json")
	resource.Test(t, resource.TestCase{
		ExternalProviders: map[string]resource.ExternalProvider{
			"entraauth": {Source: "entraauth/entraauth"},
		},
		Steps: []resource.TestStep{{
			Config: `
provider "entraauth" {
  # The app registered in the seed.
  tenant_id     = "4f3c1a2b-7e6d-4c5b-9a8f-000000000a01"
  client_id     = "9b8a7c6d-5e4f-4a3b-8c2d-000000000a02"
  client_secret = "mock-secret-terraform-test"
  use_cli       = false
}

resource "entraauth_phone_authentication_method" "adele" {
  user_id             = "adele@contoso.onmicrosoft.com"
  phone_type          = "mobile"
  phone_number        = "+1 5555550101"
  sms_sign_in_enabled = true
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				// Terraform's state.
				statecheck.ExpectKnownValue("entraauth_phone_authentication_method.adele",
					tfjsonpath.New("sms_sign_in_state"), knownvalue.StringExact("ready")),
				// Graph itself, through the admin API.
				graphCheck(func() error {
					var phones struct {
						Value []struct {
							PhoneNumber    string `json:"phoneNumber"`
							SMSSignInState string `json:"smsSignInState"`
						} `json:"value"`
					}
					if err := mock.adminGet("/tenants/contoso.onmicrosoft.com/users/adele@contoso.onmicrosoft.com/phoneMethods", &phones); err != nil {
						return err
					}
					if len(phones.Value) != 1 || phones.Value[0].PhoneNumber != "+1 5555550101" || phones.Value[0].SMSSignInState != "ready" {
						return fmt.Errorf("Graph holds %+v", phones.Value)
					}
					return nil
				}),
			},
		}},
	})
}

// graphCheck is a state check that looks at the mock rather than the state.
type graphCheck func() error

func (f graphCheck) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f()
}
