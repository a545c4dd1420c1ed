package mockgraph

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestAuthorityRequestLog: token and discovery requests are logged apart
// from Graph calls, without their bodies, and reset with the Graph log.
func TestAuthorityRequestLog(t *testing.T) {
	s := startTest(t, Options{})
	c := testClient(s)
	resp, err := c.Get(s.AuthorityHost() + tenantID + "/v2.0/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"nobody"}, "client_secret": {"s3cret-value"}, "scope": {s.GraphEndpoint() + "/.default"}}
	resp, err = c.Post(s.AuthorityHost()+tenantID+"/oauth2/v2.0/token", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	log := s.AuthorityRequestLog()
	if len(log) != 2 || log[0].Operation != OpDiscovery || log[0].Status != http.StatusOK || log[1].Operation != OpToken || log[1].Status == http.StatusOK {
		t.Fatalf("authority log: %+v", log)
	}
	if n := len(s.AuthorityRequestLog(RequestLogFilter{Operation: OpToken})); n != 1 {
		t.Fatalf("token requests: %d", n)
	}
	for _, e := range log {
		if strings.Contains(e.Path+e.Query, "s3cret") {
			t.Fatalf("secret in log entry %+v", e)
		}
	}
	if n := len(s.RequestLog()); n != 0 {
		t.Fatalf("authority requests in the Graph log: %d", n)
	}
	s.ResetRequestLog()
	if n := len(s.AuthorityRequestLog()); n != 0 {
		t.Fatalf("after reset: %d", n)
	}
}
