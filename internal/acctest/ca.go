// Package acctest is the shared harness for tests that talk to the mock
// Graph over TLS: one CA per test process trusted through SSL_CERT_FILE, a
// seeded mock per test, and provider configuration pointing at it.
package acctest

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph/tlsca"
)

var (
	caMu sync.Mutex
	ca   *tlsca.CA
)

// Main is a TestMain for packages using the mock:
//
//	func TestMain(m *testing.M) { acctest.Main(m) }
//
// It creates the process's CA and points SSL_CERT_FILE at it before any
// test runs. Started by WaitForCommand, it polls instead of testing. Go reads the system pool (and so SSL_CERT_FILE) once per
// process, which is why every mock of the process shares this one root.
// When the CLI is OpenTofu it also sets what terraform-plugin-testing needs
// to drive it (see prepareOpenTofu).
func Main(m *testing.M) {
	if url := os.Getenv(waitForEnv); url != "" {
		os.Exit(runWaitFor(url))
	}
	prepareOpenTofu()
	cleanup, err := SetupCA()
	if err != nil {
		fmt.Fprintln(os.Stderr, "acctest:", err)
		os.Exit(1)
	}
	code := m.Run()
	cleanup()
	os.Exit(code)
}

// SetupCA creates the process-wide CA, writes its certificate to a temporary
// file and sets SSL_CERT_FILE to it. Call it before anything loads the
// system certificate pool; cleanup removes the file.
func SetupCA() (cleanup func(), err error) {
	caMu.Lock()
	defer caMu.Unlock()
	if ca != nil {
		return func() {}, nil
	}
	c, err := tlsca.New()
	if err != nil {
		return nil, fmt.Errorf("create CA: %w", err)
	}
	dir, err := os.MkdirTemp("", "entraauth-acctest-ca-")
	if err != nil {
		return nil, err
	}
	file := filepath.Join(dir, "ca.pem")
	if err := c.WriteCertFile(file); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := os.Setenv("SSL_CERT_FILE", file); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	ca = c
	return func() { os.RemoveAll(dir) }, nil
}

// CA returns the process-wide CA; tests fail if Main or SetupCA did not run.
func CA(t testing.TB) *tlsca.CA {
	t.Helper()
	caMu.Lock()
	defer caMu.Unlock()
	if ca == nil {
		t.Fatal("acctest: no CA; call acctest.Main from TestMain")
	}
	return ca
}
