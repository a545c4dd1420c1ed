package mockgraph

import (
	"net/http"
	"strings"
	"time"
)

// The authority's own requests (token, OpenID discovery, keys, the GitHub
// OIDC token endpoint) are logged apart from Graph calls: Graph call counts
// stay meaningful, and a test can still prove that nothing at all reached
// the mock (a configuration refused at plan time must not even fetch a
// token) or which authority a token came from.

// Authority operations in AuthorityRequestLog.
const (
	OpToken       = "token"        // POST /{tenant}/oauth2/v2.0/token
	OpDiscovery   = "discovery"    // OpenID configuration and signing keys
	OpOIDCRequest = "oidc.request" // the GitHub-style OIDC token request URL
)

// AuthorityRequestLog returns the logged authority requests matching every
// given filter (all of them without a filter). Query strings and bodies are
// never logged: they carry secrets and assertions.
func (s *Server) AuthorityRequestLog(filter ...RequestLogFilter) []RequestLogEntry {
	f := RequestLogFilter{}
	if len(filter) > 0 {
		f = filter[0]
	}
	return s.authLog.query(f)
}

// serveAuthority serves and logs one authority request.
func (s *Server) serveAuthority(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w}
	s.authH.ServeHTTP(rec, r)
	status := rec.status
	if status == 0 {
		status = http.StatusOK
	}
	d := time.Since(start)
	s.authLog.add(RequestLogEntry{
		Time: start.UTC(), Method: r.Method, Path: r.URL.Path, Operation: authorityOperation(r.URL.Path),
		Status: status, Duration: d, DurationMS: float64(d.Microseconds()) / 1000,
		ClientRequestID: r.Header.Get("client-request-id"),
	})
}

func authorityOperation(path string) string {
	switch {
	case strings.HasSuffix(path, "/oauth2/v2.0/token") || strings.HasSuffix(path, "/oauth2/token"):
		return OpToken
	case strings.HasPrefix(path, "/_mock/oidc/github-token"):
		return OpOIDCRequest
	default:
		return OpDiscovery
	}
}
