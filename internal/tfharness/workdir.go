// Package tfharness is what make demo and make bench share to drive the
// real terraform binary against the in-process mock Graph: a temporary
// working directory, the mock with its own CA, a CLI config that installs
// the freshly built provider, a scrubbed environment for every terraform
// process, and announced stages whose failures name the stage, so a
// newcomer knows where to look.
package tfharness

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph/tlsca"
)

// Workdir is one run's temporary directory. The CLI config, the mock's CA,
// plugin sockets and state all live in it, so the user's ~/.terraformrc and
// system trust store are never touched and Close leaves nothing behind.
type Workdir struct {
	Dir  string
	Mock *mockgraph.Server // nil until StartMock
}

// NewWorkdir creates the directory under the system temporary directory.
func NewWorkdir(prefix string) (*Workdir, error) {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return nil, err
	}
	return &Workdir{Dir: dir}, nil
}

// CLIConfigFile is where WriteCLIConfig puts the run's TF_CLI_CONFIG_FILE.
func (w *Workdir) CLIConfigFile() string { return filepath.Join(w.Dir, "terraform.rc") }

// CAFile is the mock CA's certificate, the terraform processes' SSL_CERT_FILE.
func (w *Workdir) CAFile() string { return filepath.Join(w.Dir, "mockgraph-ca.pem") }

// StartMock serves the mock Graph over TLS with a fresh CA written to
// CAFile; opts.CA and opts.CAFile are set here.
func (w *Workdir) StartMock(opts mockgraph.Options) (*mockgraph.Server, error) {
	ca, err := tlsca.New()
	if err != nil {
		return nil, err
	}
	if err := ca.WriteCertFile(w.CAFile()); err != nil {
		return nil, err
	}
	opts.CA, opts.CAFile = ca, w.CAFile()
	srv, err := mockgraph.Start(opts)
	if err != nil {
		return nil, err
	}
	w.Mock = srv
	return srv, nil
}

// WriteCLIConfig writes c to CLIConfigFile.
func (w *Workdir) WriteCLIConfig(c CLIConfig) error {
	return os.WriteFile(w.CLIConfigFile(), []byte(c.HCL()), 0o600)
}

// Settings are the run's environment settings with the mock's own
// endpoints; a caller that puts a proxy in front of the authority
// replaces AuthorityHost.
func (w *Workdir) Settings(app App) Settings {
	return Settings{
		CLIConfigFile: w.CLIConfigFile(),
		TmpDir:        w.Dir,
		CAFile:        w.CAFile(),
		App:           app,
		GraphEndpoint: w.Mock.GraphEndpoint(),
		AuthorityHost: w.Mock.AuthorityHost(),
	}
}

// Close stops the mock, then removes the directory.
func (w *Workdir) Close() {
	if w.Mock != nil {
		w.Mock.Close()
		fmt.Println("\n== mock Graph stopped")
	}
	_ = os.RemoveAll(w.Dir)
	fmt.Printf("\n== cleaned up %s\n", w.Dir)
}

// CLIEnv names the CLI make demo and make bench drive (make demo TF=tofu
// sets it): a name on PATH or a path; terraform when unset.
const CLIEnv = "ENTRAAUTH_TF"

// FindTerraform is the CLI to drive: $ENTRAAUTH_TF (terraform or tofu, on
// PATH or a path), else terraform on PATH.
func FindTerraform() (string, error) {
	name := os.Getenv(CLIEnv)
	if name == "" {
		name = "terraform"
	}
	tf, err := exec.LookPath(name)
	if err != nil {
		return "", Fail("check prerequisites", fmt.Errorf(
			"%s is not on PATH; install Terraform 1.11 or newer (https://developer.hashicorp.com/terraform/install, or your package manager) or OpenTofu 1.12 or newer (%s=tofu) and try again", name, CLIEnv))
	}
	return tf, nil
}

// Command is terraform with args in dir. When ctx ends, terraform gets an
// interrupt rather than a kill, so it stops its provider processes and
// unlocks the state; it is killed 10 s later.
func Command(ctx context.Context, tfBin, dir string, env []string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, tfBin, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	return cmd
}

// ExitCode is the exit status of a terraform command that ran to the end
// (plan -detailed-exitcode makes 2 mean "changes"), or err when it did not.
func ExitCode(err error) (int, error) {
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), nil
	}
	return 0, err
}
