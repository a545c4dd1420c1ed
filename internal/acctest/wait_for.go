package acctest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"time"
)

// waitForEnv makes the test binary, started again by a Terraform
// local-exec provisioner, poll a mock admin URL instead of running tests.
// Using the test binary itself means the tests need nothing beyond
// Terraform and /bin/sh on the machine (no curl).
const waitForEnv = "ENTRAAUTH_ACCTEST_WAIT_FOR_URL"

// waitForLimit bounds the poll so a provisioner can never hang a test run.
const waitForLimit = 5 * time.Minute

// WaitForCommand returns a shell command for a local-exec provisioner that
// blocks until GET url (a mock admin request-log query) returns a non-empty
// JSON array, and fails after a bounded time. The test package's TestMain
// must call Main.
func WaitForCommand(url string) string {
	return fmt.Sprintf("%s=%q %q", waitForEnv, url, os.Args[0])
}

// runWaitFor polls url; SSL_CERT_FILE (inherited from the test process
// through terraform) makes the mock's CA trusted.
func runWaitFor(url string) int {
	client := &http.Client{Timeout: 10 * time.Second}
	deadline := time.Now().Add(waitForLimit)
	for time.Now().Before(deadline) {
		if resp, err := client.Get(url); err == nil {
			var entries []json.RawMessage
			err := json.NewDecoder(resp.Body).Decode(&entries)
			_ = resp.Body.Close()
			if err == nil && len(entries) > 0 {
				return 0
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	fmt.Fprintf(os.Stderr, "acctest: nothing matched %s within %s\n", url, waitForLimit)
	return 1
}
