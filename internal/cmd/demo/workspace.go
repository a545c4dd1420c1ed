package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// workspace is the demo's temporary directory: provider binary, CLI config,
// a copy of the configuration and its state.
type workspace struct {
	dir   string
	tfBin string
	mock  *mockgraph.Server
}

func (w *workspace) pluginDir() string { return filepath.Join(w.dir, "plugins") }
func (w *workspace) tfDir() string     { return filepath.Join(w.dir, "config") }
func (w *workspace) cliConfig() string { return filepath.Join(w.dir, "terraform.rc") }

// mirrorVersion is the version the local mirror offers to terraform init.
const mirrorVersion = "0.0.1"

func (w *workspace) mirrorDir() string { return filepath.Join(w.dir, "mirror") }

func (w *workspace) buildProvider(ctx context.Context) error {
	out := filepath.Join(w.pluginDir(), "terraform-provider-entraauth")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, ".")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build: %w", err)
	}
	// The same binary in an unpacked filesystem-mirror layout, so terraform
	// init resolves the provider offline instead of asking the public
	// registry, where this build is not published.
	mirrored := filepath.Join(w.mirrorDir(), "registry.terraform.io", "entraauth", "entraauth", mirrorVersion,
		runtime.GOOS+"_"+runtime.GOARCH, "terraform-provider-entraauth_v"+mirrorVersion)
	if err := os.MkdirAll(filepath.Dir(mirrored), 0o755); err != nil {
		return err
	}
	if err := os.Link(out, mirrored); err != nil {
		return fmt.Errorf("placing the provider in the local mirror: %w", err)
	}
	fmt.Println("built", out)
	return nil
}

// writeCLIConfig points Terraform at the freshly built binary: dev_overrides
// for plan and apply, the local mirror for init. TF_CLI_CONFIG_FILE
// (set only for the terraform processes the demo starts) keeps ~/.terraformrc untouched.
func (w *workspace) writeCLIConfig() error {
	rc := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "entraauth/entraauth" = %q
  }
  filesystem_mirror {
    path    = %q
    include = ["registry.terraform.io/entraauth/entraauth"]
  }
  direct {
    exclude = ["registry.terraform.io/entraauth/entraauth"]
  }
}
`, w.pluginDir(), w.mirrorDir())
	if err := os.WriteFile(w.cliConfig(), []byte(rc), 0o600); err != nil {
		return err
	}
	if err := os.MkdirAll(w.tfDir(), 0o755); err != nil {
		return err
	}
	src, err := os.ReadFile(filepath.Join(configDir, "main.tf"))
	if err != nil {
		return err
	}
	fmt.Print(rc)
	return os.WriteFile(filepath.Join(w.tfDir(), "main.tf"), src, 0o644)
}

// env is what the provider reads: the demo app's client secret and the mock's
// endpoints. The secret is a fixed demo value of the mock, never a real one.
func (w *workspace) env() []string {
	tenant := w.mock.Tenants()[0]
	return append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+w.cliConfig(),
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"CHECKPOINT_DISABLE=1",
		"SSL_CERT_FILE="+filepath.Join(w.dir, "mockgraph-ca.pem"),
		"ARM_TENANT_ID="+tenant.ID,
		"ARM_CLIENT_ID="+demoClientID,
		"ARM_CLIENT_SECRET="+demoClientSecret,
		"ARM_USE_CLI=false",
		"ARM_MSGRAPH_ENDPOINT="+w.mock.GraphEndpoint(),
		"ARM_AUTHORITY_HOST="+w.mock.AuthorityHost(),
	)
}

func (w *workspace) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, w.tfBin, args...)
	cmd.Dir = w.tfDir()
	cmd.Env = w.env()
	cmd.Stdin = nil
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd
}

func (w *workspace) terraform(ctx context.Context, args ...string) error {
	fmt.Println("$ terraform", args)
	return w.command(ctx, args...).Run()
}

// expectPlanExit runs plan -detailed-exitcode: 0 means no changes, 2 means
// changes, 1 an error.
func (w *workspace) expectPlanExit(ctx context.Context, want int) error {
	args := []string{"plan", "-input=false", "-no-color", "-detailed-exitcode"}
	fmt.Println("$ terraform", args)
	err := w.command(ctx, args...).Run()
	got := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		got = exit.ExitCode()
	case err != nil:
		return err
	}
	fmt.Printf("terraform plan -detailed-exitcode exited %d\n", got)
	if got != want {
		return fmt.Errorf("terraform plan -detailed-exitcode exited %d, want %d", got, want)
	}
	return nil
}
