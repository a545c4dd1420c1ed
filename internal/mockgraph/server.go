package mockgraph

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph/identity"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph/tlsca"
)

// Options configure a mock server. The zero value is a TLS server on an
// OS-chosen loopback port with a fresh CA, Graph's write budget and no faults.
type Options struct {
	// Addr is the listen address; it must be a loopback IP (default 127.0.0.1:0).
	Addr string
	// PlainHTTP serves without TLS (msgraph-sdk-go refuses it except on localhost).
	PlainHTTP bool
	// CA signs the server certificate. Pass one CA to every mock of a test
	// process: Go reads SSL_CERT_FILE once per process, so they must share a
	// root. Nil creates a fresh CA.
	CA *tlsca.CA
	// Identity tunes the authority (token lifetime, clock).
	Identity identity.Options
	// Seed is applied before Start returns.
	Seed *Seed
	// Faults are installed at start; Latency/Jitter add a global latency fault.
	Faults  []Fault
	Latency time.Duration
	Jitter  time.Duration
	// WriteBudget is the per-tenant write token bucket; nil means Graph's
	// 18,000 writes per 5 minutes.
	WriteBudget *WriteBudget
	// ReadBudget is the per-tenant read (GET) token bucket, apart from the
	// write budget; nil means GraphReadBudget (3,500 reads per 10 seconds).
	ReadBudget *ReadBudget
	// RequestLogLimit bounds the request log (default 100,000 entries).
	RequestLogLimit int
	// Authenticate replaces token validation (tests of the Graph surface
	// that do not exercise the token endpoint). Nil uses the authority.
	Authenticate func(*http.Request) (*identity.Principal, error)
	// CAFile is where the caller wrote the CA certificate; Info reports it.
	CAFile string
	// Logger receives server logs; nil discards them.
	Logger *slog.Logger
	// Now is the Graph side's clock for the methods' createdDateTime and
	// Temporary Access Pass usability (nil: time.Now); tests move it to
	// make a pass expire or become valid.
	Now func() time.Time
}

// Server is a running mock of Microsoft Graph and its token endpoint.
type Server struct {
	opts      Options
	baseURL   string
	ca        *tlsca.CA
	authority *identity.Authority
	store     *store
	faults    *faultSet
	throttle  *throttle // writes
	reads     *throttle // reads (GET)
	log       *requestLog
	authLog   *requestLog
	http      *http.Server
	ln        net.Listener
	done      chan struct{}
	logger    *slog.Logger
	admin     *http.ServeMux
	authH     http.Handler // built once: Authority.Handler builds a new mux per call
}

// Start opens the listener, starts serving and applies opts.Seed and
// opts.Faults. Close it (t.Cleanup(s.Close)) when done.
func Start(opts Options) (*Server, error) {
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if err := requireLoopback(addr); err != nil {
		return nil, err
	}
	s := &Server{
		opts:     opts,
		store:    newStore(),
		faults:   &faultSet{},
		throttle: newThrottle(GraphWriteBudget),
		reads:    newThrottle(WriteBudget(GraphReadBudget)),
		log:      &requestLog{limit: opts.RequestLogLimit},
		authLog:  &requestLog{limit: opts.RequestLogLimit},
		done:     make(chan struct{}),
		logger:   opts.Logger,
	}
	s.admin = s.adminMux()
	if s.log.limit == 0 {
		s.log.limit = 100000
	}
	if s.logger == nil {
		s.logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opts.WriteBudget != nil {
		s.throttle.setBudget(*opts.WriteBudget)
	}
	if opts.ReadBudget != nil {
		s.reads.setBudget(WriteBudget(*opts.ReadBudget))
	}
	faults := append([]Fault(nil), opts.Faults...)
	if opts.Latency > 0 || opts.Jitter > 0 {
		faults = append([]Fault{{ID: "global-latency", Kind: FaultLatency, Latency: Duration(opts.Latency), Jitter: Duration(opts.Jitter)}}, faults...)
	}
	if _, err := s.faults.set(faults, true); err != nil {
		return nil, err
	}

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("mockgraph: listen %s: %w", addr, err)
	}
	scheme := "https"
	if opts.PlainHTTP {
		scheme = "http"
	} else {
		s.ca = opts.CA
		if s.ca == nil {
			if s.ca, err = tlsca.New(); err != nil {
				ln.Close()
				return nil, fmt.Errorf("mockgraph: create CA: %w", err)
			}
		}
		cfg, err := s.ca.ServerTLSConfig()
		if err != nil {
			ln.Close()
			return nil, fmt.Errorf("mockgraph: server certificate: %w", err)
		}
		cfg = cfg.Clone()
		// HTTP/1.1 only: drop faults hijack the connection, which HTTP/2 forbids.
		cfg.NextProtos = []string{"http/1.1"}
		ln = tls.NewListener(ln, cfg)
	}
	s.ln = ln
	s.baseURL = scheme + "://" + ln.Addr().String()
	s.authority = identity.New(opts.Identity)
	s.authority.SetBaseURL(s.baseURL)
	s.authH = s.authority.Handler()

	s.http = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.logger.Handler(), slog.LevelDebug),
	}
	go func() {
		defer close(s.done)
		if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.logger.Error("serve", "err", err)
		}
	}()
	if opts.Seed != nil {
		if err := s.ApplySeed(opts.Seed); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// requireLoopback refuses to listen anywhere but a loopback address: the
// mock has no real security and its admin API needs no token.
func requireLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("mockgraph: bad listen address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("mockgraph: refusing to listen on %q: only loopback addresses (127.0.0.1, ::1) are allowed", addr)
	}
	return nil
}

// ServeHTTP routes /v1.0 to Graph, /_mock/oidc/ to the authority's external
// issuer, /_mock/ to the admin API, and everything else to the authority.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == "/v1.0" || strings.HasPrefix(p, "/v1.0/"):
		s.serveGraph(w, r)
	case strings.HasPrefix(p, "/_mock/oidc/") || p == "/_mock/oidc":
		s.serveAuthority(w, r)
	case strings.HasPrefix(p, "/_mock/") || p == "/_mock":
		s.serveAdmin(w, r)
	default:
		s.serveAuthority(w, r)
	}
}

// now is the mock's clock (Options.Now), in UTC.
func (s *Server) now() time.Time {
	if s.opts.Now != nil {
		return s.opts.Now().UTC()
	}
	return time.Now().UTC()
}

// GraphEndpoint is the Graph base URL without /v1.0, e.g. https://127.0.0.1:41234.
func (s *Server) GraphEndpoint() string { return s.baseURL }

// AuthorityHost is the authority base URL (azidentity's AuthorityHost);
// tokens come from {AuthorityHost}/{tenant}/oauth2/v2.0/token.
func (s *Server) AuthorityHost() string { return s.baseURL + "/" }

// AdminURL is the base of the admin API, e.g. https://127.0.0.1:41234/_mock.
func (s *Server) AdminURL() string { return s.baseURL + "/_mock" }

// CA is the certificate authority the server certificate chains to (nil
// with PlainHTTP).
func (s *Server) CA() *tlsca.CA { return s.ca }

// Authority is the mock's token issuer and validator.
func (s *Server) Authority() *identity.Authority { return s.authority }

// Client returns an HTTP client that trusts the server's CA.
func (s *Server) Client() *http.Client {
	// A transport of its own (no proxy: the mock is on loopback), never a
	// shared default one whose settings a test could change.
	tr := &http.Transport{ForceAttemptHTTP2: false, MaxIdleConnsPerHost: 16, IdleConnTimeout: 30 * time.Second}
	if s.ca != nil {
		tr.TLSClientConfig = &tls.Config{RootCAs: s.ca.Pool()}
	}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// Close stops the server and waits for it to finish. It is safe to call twice.
func (s *Server) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.http.Shutdown(ctx); err != nil {
		_ = s.http.Close()
	}
	<-s.done
}

// Info is what the command prints when ready and GET /_mock/info returns.
type Info struct {
	GraphEndpoint string   `json:"graph_endpoint"`
	AuthorityHost string   `json:"authority_host"`
	CAFile        string   `json:"ca_file"`
	AdminURL      string   `json:"admin_url"`
	Tenants       []string `json:"tenants"`
}

// Info describes the running server; caFile is where the CA was written
// (empty if nowhere).
func (s *Server) Info(caFile string) Info {
	in := Info{GraphEndpoint: s.GraphEndpoint(), AuthorityHost: s.AuthorityHost(), CAFile: caFile, AdminURL: s.AdminURL(), Tenants: []string{}}
	if caFile == "" {
		in.CAFile = s.opts.CAFile
	}
	for _, t := range s.Tenants() {
		in.Tenants = append(in.Tenants, t.ID)
	}
	return in
}
