package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/entraauth/terraform-provider-entraauth/internal/tfharness"
)

// workspace is the demo's temporary directory: provider binary, mirror,
// CLI config, a copy of the configuration and its state.
type workspace struct {
	*tfharness.Workdir
	tfBin    string
	registry string // where the CLI resolves entraauth/entraauth (tfharness.RegistryFor)
}

// demoApp is the app registered in examples/demo/mockgraph-seed.json.
var demoApp = tfharness.App{ClientID: demoClientID, ClientSecret: demoClientSecret}

func (w *workspace) tfDir() string { return filepath.Join(w.Dir, "config") }

func (w *workspace) cliConfig() tfharness.CLIConfig {
	return tfharness.CLIConfig{PluginDir: filepath.Join(w.Dir, "plugins"), MirrorDir: filepath.Join(w.Dir, "mirror"), Registry: w.registry}
}

func (w *workspace) buildProvider(ctx context.Context) error {
	out := filepath.Join(w.cliConfig().PluginDir, tfharness.ProviderExe)
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, ".")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build: %w", err)
	}
	// init resolves the provider from the mirror, offline, instead of
	// asking the public registry, where this build is not published.
	if err := w.cliConfig().PlaceInMirror(out); err != nil {
		return err
	}
	fmt.Println("built", out)
	return nil
}

// writeCLIConfig points Terraform at the freshly built binary: dev_overrides
// for plan and apply, the local mirror for init.
func (w *workspace) writeCLIConfig() error {
	if err := w.WriteCLIConfig(w.cliConfig()); err != nil {
		return err
	}
	if err := os.MkdirAll(w.tfDir(), 0o755); err != nil {
		return err
	}
	src, err := os.ReadFile(filepath.Join(configDir, "main.tf"))
	if err != nil {
		return err
	}
	fmt.Print(w.cliConfig().HCL())
	return os.WriteFile(filepath.Join(w.tfDir(), "main.tf"), src, 0o644)
}

func (w *workspace) command(ctx context.Context, args ...string) *exec.Cmd {
	app := demoApp
	app.TenantID = w.Mock.Tenants()[0].ID
	cmd := tfharness.Command(ctx, w.tfBin, w.tfDir(), tfharness.Env(os.Environ(), w.Settings(app)), args...)
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
	got, err := tfharness.ExitCode(w.command(ctx, args...).Run())
	if err != nil {
		return err
	}
	fmt.Printf("terraform plan -detailed-exitcode exited %d\n", got)
	if got != want {
		return fmt.Errorf("terraform plan -detailed-exitcode exited %d, want %d", got, want)
	}
	return nil
}
