package main

import (
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph/tlsca"
)

// authorityCounter sits between the provider and the mock's authority and
// counts token and discovery requests, which the mock's request log (Graph
// calls only) does not record. Graph calls go straight to the mock, so the
// proxy adds nothing to them.
//
// Discovery documents name the mock's own URL as token endpoint and issuer;
// the proxy rewrites them to its own URL, or MSAL would send the token
// request past it (MSAL also wants the issuer on the authority's host).
type authorityCounter struct {
	upstream string // the mock's base URL
	base     string // the proxy's base URL
	srv      *http.Server
	ln       net.Listener

	token     atomic.Int64
	discovery atomic.Int64
	other     atomic.Int64
}

// authCounts is a snapshot of the authority requests seen.
type authCounts struct {
	Token     int64 `json:"token"`
	Discovery int64 `json:"discovery"`
	Other     int64 `json:"other"`
}

// startAuthorityCounter listens on an OS-chosen loopback port with a leaf of
// the mock's CA, so SSL_CERT_FILE trusts it too.
func startAuthorityCounter(upstream string, ca *tlsca.CA) (*authorityCounter, error) {
	up, err := url.Parse(strings.TrimRight(upstream, "/"))
	if err != nil {
		return nil, err
	}
	cfg, err := ca.ServerTLSConfig()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	a := &authorityCounter{upstream: up.String(), base: "https://" + ln.Addr().String(), ln: ln}
	rp := httputil.NewSingleHostReverseProxy(up)
	rp.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: ca.Pool(), MinVersion: tls.VersionTLS12}}
	rp.ModifyResponse = a.rewriteDiscovery
	a.srv = &http.Server{Handler: a.count(rp), ReadHeaderTimeout: 0}
	go func() { _ = a.srv.Serve(tls.NewListener(ln, cfg)) }()
	return a, nil
}

// AuthorityHost is what the provider gets as ARM_AUTHORITY_HOST.
func (a *authorityCounter) AuthorityHost() string { return a.base + "/" }

func (a *authorityCounter) count(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch p := r.URL.Path; {
		case strings.HasSuffix(p, "/oauth2/v2.0/token"):
			a.token.Add(1)
		case strings.HasSuffix(p, "/.well-known/openid-configuration"):
			a.discovery.Add(1)
		default:
			a.other.Add(1)
		}
		next.ServeHTTP(w, r)
	})
}

// rewriteDiscovery points the discovery document's URLs at the proxy.
func (a *authorityCounter) rewriteDiscovery(resp *http.Response) error {
	if !strings.HasSuffix(resp.Request.URL.Path, "/.well-known/openid-configuration") || resp.StatusCode != http.StatusOK {
		return nil
	}
	if resp.Header.Get("Content-Encoding") != "" {
		return errors.New("authority counter: compressed discovery document cannot be rewritten")
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	b = bytes.ReplaceAll(b, []byte(a.upstream), []byte(a.base))
	resp.Body = io.NopCloser(bytes.NewReader(b))
	resp.ContentLength = int64(len(b))
	resp.Header.Set("Content-Length", strconv.Itoa(len(b)))
	return nil
}

// take returns the counts since the last take and starts again from zero.
func (a *authorityCounter) take() authCounts {
	return authCounts{Token: a.token.Swap(0), Discovery: a.discovery.Swap(0), Other: a.other.Swap(0)}
}

// Close stops the proxy.
func (a *authorityCounter) Close() { _ = a.srv.Close() }
