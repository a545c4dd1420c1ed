package provider

import (
	"testing"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
)

// TestMain trusts the mock's CA for the whole process (see acctest.Main)
// and lets ordering tests use the test binary as a poller.
func TestMain(m *testing.M) { acctest.Main(m) }
