package acctest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"

	"github.com/entraauth/terraform-provider-entraauth/internal/tfharness"
	goversion "github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// CLI is the Terraform-compatible command line the acceptance tests drive:
// TF_ACC_TERRAFORM_PATH when set, else terraform on PATH (what
// terraform-plugin-testing runs too). It is either Terraform or OpenTofu;
// OpenTofu reports its own version numbers, which do not say which
// Terraform features it has, so tests ask OpenTofu() or SkipOnOpenTofu
// rather than compare numbers.
type CLI struct {
	Path    string
	Name    string // "Terraform" or "OpenTofu"
	Version *goversion.Version
}

// OpenTofu reports whether the CLI is OpenTofu.
func (c CLI) OpenTofu() bool { return c.Name == "OpenTofu" }

// String is e.g. "OpenTofu 1.12.6".
func (c CLI) String() string { return c.Name + " " + c.Version.String() }

var (
	cliOnce sync.Once
	cliVal  CLI
	cliErr  error
)

// FindCLI finds and identifies the CLI once per process.
func FindCLI() (CLI, error) {
	cliOnce.Do(func() {
		path := os.Getenv("TF_ACC_TERRAFORM_PATH")
		if path == "" {
			var err error
			if path, err = exec.LookPath("terraform"); err != nil {
				cliErr = errors.New("terraform is not on PATH (or set TF_ACC_TERRAFORM_PATH to a terraform or tofu binary)")
				return
			}
		}
		product, ver, err := tfharness.IdentifyCLI(path)
		if err != nil {
			cliErr = err
			return
		}
		v, err := goversion.NewVersion(ver)
		if err != nil {
			cliErr = fmt.Errorf("%s version: %w", path, err)
			return
		}
		cliVal = CLI{Path: path, Name: product, Version: v}
	})
	return cliVal, cliErr
}

// MustCLI is FindCLI for a test: it fails the test when there is no CLI.
func MustCLI(t testing.TB) CLI {
	t.Helper()
	c, err := FindCLI()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// SkipOnOpenTofu skips t when the CLI is OpenTofu, which lacks feature
// (e.g. "list resources and the query command"): the message says so.
func SkipOnOpenTofu(t testing.TB, feature string) {
	t.Helper()
	if c := MustCLI(t); c.OpenTofu() {
		t.Skipf("%s lacks %s: skipping", c, feature)
	}
}

// NotOpenTofu is a TerraformVersionCheck for TestCase.TerraformVersionChecks:
// it skips the case on OpenTofu, which lacks feature, with that reason.
// Put it before version checks such as tfversion.SkipBelow, whose numbers
// are Terraform's and mean nothing for OpenTofu.
func NotOpenTofu(feature string) tfversion.TerraformVersionCheck {
	return notOpenTofu(feature)
}

type notOpenTofu string

func (f notOpenTofu) CheckTerraformVersion(_ context.Context, _ tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	c, err := FindCLI()
	if err != nil {
		resp.Error = err
		return
	}
	if c.OpenTofu() {
		resp.Skip = fmt.Sprintf("%s lacks %s: skipping", c, string(f))
	}
}

// prepareOpenTofu lets `go test` drive OpenTofu given only
// TF_ACC_TERRAFORM_PATH: terraform-plugin-testing writes configurations
// without required_providers, which OpenTofu resolves against
// registry.opentofu.org, and it cannot parse `tofu version` when a warning
// about a missing TF_CLI_CONFIG_FILE comes first. Settings already made
// are kept.
func prepareOpenTofu() {
	if os.Getenv("TF_ACC") == "" {
		return
	}
	c, err := FindCLI()
	if err != nil || !c.OpenTofu() {
		return
	}
	if os.Getenv("TF_ACC_PROVIDER_HOST") == "" {
		_ = os.Setenv("TF_ACC_PROVIDER_HOST", "registry.opentofu.org")
	}
	if os.Getenv("TF_ACC_PROVIDER_NAMESPACE") == "" {
		_ = os.Setenv("TF_ACC_PROVIDER_NAMESPACE", "hashicorp")
	}
	if f := os.Getenv("TF_CLI_CONFIG_FILE"); f != "" {
		if _, err := os.Stat(f); err != nil {
			_ = os.Unsetenv("TF_CLI_CONFIG_FILE")
		}
	}
}
