package graph

import (
	"testing"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
)

// TestMain trusts the process CA (SSL_CERT_FILE) before any TLS handshake,
// so the mock tests reach the mock over verified TLS.
func TestMain(m *testing.M) { acctest.Main(m) }
