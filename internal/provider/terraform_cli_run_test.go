package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// reattachConfig is one entry of TF_REATTACH_PROVIDERS.
type reattachConfig struct {
	Protocol        string
	ProtocolVersion int
	Pid             int
	Test            bool
	Addr            struct{ Network, String string }
}

// serveForReattach serves each provider from this process until the test
// ends and returns TF_REATTACH_PROVIDERS naming them by their addresses.
func serveForReattach(t *testing.T, providers map[string]func() (tfprotov6.ProviderServer, error)) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	reattach := map[string]reattachConfig{}
	var closed []chan struct{}
	t.Cleanup(func() {
		cancel()
		for _, c := range closed {
			<-c
		}
	})
	for addr, factory := range providers {
		server, err := factory()
		if err != nil {
			t.Fatalf("provider %s: %v", addr, err)
		}
		configCh := make(chan *plugin.ReattachConfig, 1)
		closeCh := make(chan struct{})
		errCh := make(chan error, 1)
		go func() {
			errCh <- tf6server.Serve(addr, func() tfprotov6.ProviderServer { return server },
				tf6server.WithDebug(ctx, configCh, closeCh), tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
				// Provider logs follow TF_LOG as in terraform-plugin-testing, instead of stderr.
				tf6server.WithLoggingSink(t))
		}()
		select {
		case c := <-configCh:
			rc := reattachConfig{Protocol: string(c.Protocol), ProtocolVersion: c.ProtocolVersion, Pid: c.Pid, Test: c.Test}
			rc.Addr.Network, rc.Addr.String = c.Addr.Network(), c.Addr.String()
			reattach[addr] = rc
			closed = append(closed, closeCh)
		case err := <-errCh:
			t.Fatalf("serving provider %s: %v", addr, err)
		}
	}
	b, err := json.Marshal(reattach)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// tfCLIRun is a working directory in which the real terraform CLI runs
// with this provider (as entraauth/entraauth) and the msgraph stub (as
// microsoft/msgraph, for moves) served from this process, and a CLI
// configuration that can install nothing, so no provider is ever
// downloaded. It serves the tests that terraform-plugin-testing cannot
// drive: moves from another provider, and terraform query with
// -generate-config-out followed by apply.
type tfCLIRun struct {
	t       *testing.T
	tf, dir string
	env     []string
	lastOut string // combined output of the last run
}

func newTFCLIRun(t *testing.T) *tfCLIRun {
	t.Helper()
	tfCLI := acctest.MustCLI(t)
	tf := tfCLI.Path
	// entraauth/entraauth in required_providers, and microsoft/msgraph of
	// the moved-from state (written by Terraform, registry.terraform.io),
	// are addresses on the CLI's registry: OpenTofu resolves both against
	// its own.
	host := "registry.terraform.io"
	if tfCLI.OpenTofu() {
		host = "registry.opentofu.org"
	}
	dir := t.TempDir()
	empty := filepath.Join(dir, "no-providers")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	rc := filepath.Join(dir, "terraform.rc")
	cli := fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", empty)
	if err := os.WriteFile(rc, []byte(cli), 0o600); err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(dir, "work")
	if err := os.Mkdir(work, 0o755); err != nil {
		t.Fatal(err)
	}
	reattach := serveForReattach(t, map[string]func() (tfprotov6.ProviderServer, error){
		host + "/entraauth/entraauth": providerserver.NewProtocol6WithError(New("test")()),
		host + "/microsoft/msgraph":   providerserver.NewProtocol6WithError(msgraphStubProvider{}),
	})
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TF_") {
			env = append(env, kv)
		}
	}
	env = append(env, "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "TF_INPUT=0", "CHECKPOINT_DISABLE=1", "TF_REATTACH_PROVIDERS="+reattach)
	return &tfCLIRun{t: t, tf: tf, dir: work, env: env}
}

// write puts a file in the working directory.
func (r *tfCLIRun) write(name, content string) {
	r.t.Helper()
	if err := os.WriteFile(filepath.Join(r.dir, name), []byte(content), 0o600); err != nil {
		r.t.Fatal(err)
	}
}

// run runs terraform with args and returns its exit code; the combined
// output is kept for messages. A run that does not finish fails the test.
func (r *tfCLIRun) run(args ...string) int {
	r.t.Helper()
	cmd := exec.CommandContext(r.t.Context(), r.tf, append(args, "-no-color")...)
	cmd.Dir, cmd.Env = r.dir, r.env
	out, err := cmd.CombinedOutput()
	r.lastOut = string(out)
	if err == nil {
		return 0
	}
	if exit, ok := err.(*exec.ExitError); ok {
		return exit.ExitCode()
	}
	r.t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
	return -1
}

// must runs terraform and fails the test unless it exits 0.
func (r *tfCLIRun) must(args ...string) string {
	r.t.Helper()
	if code := r.run(args...); code != 0 {
		r.t.Fatalf("terraform %s exited %d:\n%s", strings.Join(args, " "), code, r.lastOut)
	}
	return r.lastOut
}

// version is terraform's version, e.g. "1.11.4".
func (r *tfCLIRun) version() string {
	r.t.Helper()
	cmd := exec.Command(r.tf, "version", "-json")
	cmd.Env = r.env
	out, err := cmd.Output()
	if err != nil {
		r.t.Fatalf("terraform version: %v", err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		r.t.Fatalf("terraform version -json: %v\n%s", err, out)
	}
	return v.Version
}
