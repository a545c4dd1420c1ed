package provider

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
)

// loopbackChildEnv marks the child process of TestAccNoRequestLeavesLoopback.
const loopbackChildEnv = "ENTRAAUTH_LOOPBACK_CHILD"

// controlAuthority is the one host the child is meant to reach through the
// proxy: the usgovernmentl4 authority, which no other step uses. Seeing it
// proves the provider's transports honour the proxy variables, so any other
// non-loopback request would have been seen too.
const controlAuthority = "login.microsoftonline.us:443"

// TestAccNoRequestLeavesLoopback runs the provider in a child process (Go
// reads the proxy variables once per process, and never proxies loopback
// hosts) whose HTTPS_PROXY and HTTP_PROXY point at a recorder on loopback
// that refuses every request. The child creates and updates a phone with a
// custom authority_host (so azidentity must not run instance discovery
// against login.microsoftonline.com), with a client secret and with an OIDC
// request URL, and is refused msgraph_endpoint = "http://graph.example.test"
// as an attribute and as ARM_MSGRAPH_ENDPOINT. The recorder must see the
// control step's authority and nothing else: nothing left loopback.
func TestAccNoRequestLeavesLoopback(t *testing.T) {
	if os.Getenv(loopbackChildEnv) != "" {
		runLoopbackChild(t)
		return
	}
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (runs terraform against a local mock Graph)")
	}
	rec := startProxyRecorder(t)
	ctx, cancel := context.WithTimeout(context.Background(), 9*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestAccNoRequestLeavesLoopback$", "-test.count=1", "-test.v")
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch strings.ToUpper(name) {
		case "HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY", "REQUEST_METHOD":
			continue // REQUEST_METHOD would make Go ignore HTTP_PROXY (CGI)
		}
		env = append(env, kv)
	}
	proxy := "http://" + rec.addr
	cmd.Env = append(env, loopbackChildEnv+"=1", "TF_ACC=1", "CHECKPOINT_DISABLE=1",
		"HTTPS_PROXY="+proxy, "HTTP_PROXY="+proxy, "https_proxy="+proxy, "http_proxy="+proxy)
	out, err := cmd.CombinedOutput()
	if err != nil || !regexp.MustCompile(`(?m)^--- PASS: TestAccNoRequestLeavesLoopback `).Match(out) {
		// Go on: which hosts the proxy saw explains most failures.
		t.Errorf("child run failed (%v):\n%s", err, tail(out, 6000))
	}

	hosts := rec.hosts()
	if hosts[controlAuthority] == 0 {
		t.Errorf("the control request to %s did not reach the proxy, so the run proves nothing (seen: %v)", controlAuthority, hosts)
	}
	for h, n := range hosts {
		if h != controlAuthority {
			t.Errorf("%d request(s) to %s left loopback", n, h)
		}
	}
	t.Logf("proxy saw %v", hosts)
}

// runLoopbackChild is the child's run against its own mock on loopback.
func runLoopbackChild(t *testing.T) {
	e := newAccEnv(t)
	t.Setenv("ARM_MSGRAPH_ENDPOINT", "")
	block := func(lines ...string) string {
		return fmt.Sprintf("provider \"entraauth\" {\n  tenant_id = %q\n  client_id = %q\n  client_secret = %q\n  use_cli = false\n  %s\n}\n",
			e.tenant, e.m.ClientID, e.m.ClientSecret, strings.Join(lines, "\n  "))
	}
	mockEndpoints := fmt.Sprintf("msgraph_endpoint = %q\n  authority_host = %q", e.m.GraphEndpoint(), e.m.AuthorityHost())
	phone := func(n string) string {
		return phoneConfig{Name: "p", UserID: accAdeleID, PhoneType: "mobile", PhoneNumber: n}.String()
	}
	oidcBlock := fmt.Sprintf("provider \"entraauth\" {\n  tenant_id = %q\n  client_id = %q\n  use_cli = false\n  use_oidc = true\n  oidc_request_token = %q\n  oidc_request_url = %q\n  %s\n}\n",
		e.tenant, e.m.ClientID, e.mock.Authority().IssueOIDCRequestToken(acctest.OIDCSubject),
		e.mock.Authority().GitHubTokenRequestURL(), mockEndpoints)
	nothingYet := func() {
		if err := checkNoRequests(e.mock, "the mock")(nil); err != nil {
			t.Error(err)
		}
	}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				// Control: the usgovernmentl4 authority is not loopback, so
				// its token request goes to the proxy, which refuses it.
				Config:      block(`environment = "usgovernmentl4"`, fmt.Sprintf("msgraph_endpoint = %q", e.m.GraphEndpoint())) + phone("+1 4255550103"),
				ExpectError: regexp.MustCompile(`(?s)login\.microsoftonline\.us.*Forbidden|Forbidden.*login\.microsoftonline\.us`),
			},
			{
				PreConfig:   nothingYet,
				Config:      block(`msgraph_endpoint = "http://graph.example.test"`, fmt.Sprintf("authority_host = %q", e.m.AuthorityHost())) + phone("+1 4255550103"),
				ExpectError: errorRE("msgraph_endpoint", "plain http", "loopback"),
			},
			{
				PreConfig: func() {
					nothingYet()
					t.Setenv("ARM_MSGRAPH_ENDPOINT", "http://graph.example.test")
				},
				Config:      block(fmt.Sprintf("authority_host = %q", e.m.AuthorityHost())) + phone("+1 4255550103"),
				ExpectError: errorRE("ARM_MSGRAPH_ENDPOINT", "plain http", "loopback"),
			},
			{
				PreConfig: func() {
					nothingYet()
					t.Setenv("ARM_MSGRAPH_ENDPOINT", "") // empty is unset for the provider
				},
				Config: block(mockEndpoints) + phone("+1 4255550103"),
				Check:  e.checkGraphPhone(accAdeleID, "mobile", "+1 4255550103", ""),
			},
			{
				Config: oidcBlock + phone("+1 4255550104"),
				Check: resource.ComposeTestCheckFunc(e.checkGraphPhone(accAdeleID, "mobile", "+1 4255550104", ""),
					checkAuthorityRequests(e.mock, e.tenant, true)),
			},
		},
	}, acctest.Serial("t.Setenv: ARM_MSGRAPH_ENDPOINT"))
}

// proxyRecorder is an HTTP proxy on loopback that records the host of each
// request (CONNECT or plain) and refuses it: nothing is forwarded.
type proxyRecorder struct {
	addr string
	mu   sync.Mutex
	seen map[string]int
}

func startProxyRecorder(t *testing.T) *proxyRecorder {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &proxyRecorder{addr: ln.Addr().String(), seen: map[string]int{}}
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		host := req.Host
		if req.Method != http.MethodConnect && req.URL.Host != "" {
			host = req.URL.Host
		}
		r.mu.Lock()
		r.seen[host]++
		r.mu.Unlock()
		http.Error(w, "refused by the test's proxy recorder", http.StatusForbidden)
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return r
}

func (r *proxyRecorder) hosts() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]int, len(r.seen))
	for h, n := range r.seen {
		out[h] = n
	}
	return out
}

// tail is the end of a long output, for failure messages.
func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(bytes.TrimSpace(b))
}
