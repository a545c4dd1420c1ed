package mockgraph

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph/identity"
)

const reqInfoKey ctxKey = 2

// reqInfo collects what the request log reports about one Graph call.
type reqInfo struct {
	op     string
	tenant string
	fault  string
	// noResponse: the client left during an injected delay, before the
	// request was served; nothing was applied and nothing answered.
	noResponse bool
}

func infoFrom(ctx context.Context) *reqInfo {
	if v, ok := ctx.Value(reqInfoKey).(*reqInfo); ok {
		return v
	}
	return &reqInfo{}
}

// statusRecorder remembers the status written, for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (drop faults).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// discardWriter swallows the response of a request whose connection a drop
// fault is about to close.
type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}

// serveGraph wraps every /v1.0 call: correlation ids, the request log,
// faults, authentication, the write or read budget, then the handler.
func (s *Server) serveGraph(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	ids := requestIDs{RequestID: newUUID(), ClientRequestID: r.Header.Get("client-request-id")}
	if ids.ClientRequestID == "" {
		// Graph echoes its own id when the client sent none.
		ids.ClientRequestID = ids.RequestID
	}
	info := &reqInfo{}
	ctx := context.WithValue(context.WithValue(r.Context(), requestIDsKey, ids), reqInfoKey, info)
	r = r.WithContext(ctx)
	h := w.Header()
	h.Set("request-id", ids.RequestID)
	h.Set("client-request-id", ids.ClientRequestID)
	h.Set("x-ms-ags-diagnostic", `{"ServerInfo":{"DataCenter":"Mock","Slice":"E","Ring":"0","ScaleUnit":"000","RoleInstance":"mockgraph"}}`)
	h.Set("Strict-Transport-Security", "max-age=31536000")
	rec := &statusRecorder{ResponseWriter: w}
	dropped := s.graph(rec, r, info)
	status := rec.status
	if info.noResponse {
		status = 0
	} else if dropped != nil {
		// The entry is logged before the connection closes: a client that
		// sees the drop must find it in the request log.
		defer func() { _ = dropped.Close() }()
		status = 0
	} else if status == 0 {
		status = http.StatusOK
	}
	d := time.Since(start)
	s.logger.Debug("graph request", "method", r.Method, "path", r.URL.Path, "status", status, "duration", d, "request_id", ids.RequestID, "fault", info.fault)
	s.log.add(RequestLogEntry{
		Time: start.UTC(), Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
		Operation: info.op, Tenant: info.tenant, Status: status,
		Duration: d, DurationMS: float64(d.Microseconds()) / 1000,
		RequestID: ids.RequestID, ClientRequestID: ids.ClientRequestID, Fault: info.fault,
	})
	if info.noResponse {
		// Returning without a write would let net/http send an empty 200,
		// which a client that has not yet seen its own cancel could read:
		// Graph never answers a call it did not serve. ErrAbortHandler
		// makes net/http close the connection (reset the stream) instead.
		panic(http.ErrAbortHandler)
	}
}

// graph routes and serves one call. When a drop fault applies it returns the
// hijacked connection, which the caller closes once the call is logged.
func (s *Server) graph(w http.ResponseWriter, r *http.Request, info *reqInfo) net.Conn {
	rt := parseRoute(r.URL.Path)
	op := rt.ops[r.Method]
	info.op = op

	delay, f := s.faults.pick(r.Method, op, r.URL.Path)
	if delay > 0 {
		// net/http notices a client that hangs up only once the request
		// body has been read, so read it before waiting.
		if r.Body != nil {
			b, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
			_ = r.Body.Close()
			if err != nil {
				info.noResponse = true
				return nil
			}
			r.Body = io.NopCloser(bytes.NewReader(b))
		}
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			// The client gave up before anything was applied.
			info.fault = FaultLatency
			info.noResponse = true
			return nil
		}
	}
	if f != nil && f.Kind != FaultDrop && f.Kind != FaultSlowResponse {
		info.fault = f.Kind
		writeFault(w, r, f)
		return nil
	}
	if rt.kind == "" {
		writeRule(w, r, ruleRouteNotFound, "Resource not found for the segment '"+r.URL.Path+"'.")
		return nil
	}
	if op == "" {
		w.Header().Set("Allow", allowHeader(rt.ops))
		writeRule(w, r, ruleMethodNotAllowed, "")
		return nil
	}
	p, err := s.authenticate(r)
	if err != nil {
		var ae *identity.AuthError
		if errors.As(err, &ae) {
			status := ae.Status
			if status == 0 {
				status = http.StatusUnauthorized
			}
			code := ae.Code
			if code == "" {
				code = "InvalidAuthenticationToken"
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"`)
			writeGraphError(w, r, status, code, ae.Message)
		} else {
			writeRule(w, r, ruleUnauthenticated, err.Error())
		}
		return nil
	}
	t := s.store.tenant(p.TenantID)
	if t == nil {
		writeRule(w, r, ruleTenantUnknown, "")
		return nil
	}
	info.tenant = t.ID
	if rt.me && !p.Delegated() {
		writeRule(w, r, ruleMeNotDelegated, "")
		return nil
	}
	// Each call spends a token of its tenant's write or read budget (reads
	// are every call that is not a write: the GETs).
	budget, fault := s.reads, FaultReadBudget
	if isWrite(op) {
		budget, fault = s.throttle, FaultWriteBudget
	}
	if ok, wait := budget.take(t.ID); !ok {
		info.fault = fault
		writeFault(w, r, &Fault{Kind: FaultThrottle, RetryAfterSeconds: wait})
		return nil
	}
	rc := &reqCtx{principal: p, tenant: t, op: op}
	if f != nil && f.Kind == FaultDrop {
		info.fault = FaultDrop
		s.dispatch(&discardWriter{h: http.Header{}}, r, rc, rt)
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			return conn
		}
		// Hijacking is impossible (HTTP/2): fail the request instead.
		writeRule(w, r, ruleServiceUnavailable, "connection drop requested but not possible: "+err.Error())
		return nil
	}
	if f != nil && f.Kind == FaultSlowResponse {
		info.fault = FaultSlowResponse
		s.serveSlowly(w, r, rc, rt, f.delay())
		return nil
	}
	s.dispatch(w, r, rc, rt)
	return nil
}

// serveSlowly applies the request at once and sends its response only after
// delay: a client that gives up earlier has lost the response to a write
// Graph made. The response is still written (into a closed connection when
// the client left) so the request log shows what Graph answered.
func (s *Server) serveSlowly(w http.ResponseWriter, r *http.Request, rc *reqCtx, rt route, delay time.Duration) {
	buf := &bufferedResponse{h: http.Header{}}
	s.dispatch(buf, r, rc, rt)
	select {
	case <-time.After(delay):
	case <-r.Context().Done():
	}
	for k, v := range buf.h {
		w.Header()[k] = v
	}
	if buf.status == 0 {
		buf.status = http.StatusOK
	}
	w.WriteHeader(buf.status)
	_, _ = w.Write(buf.body.Bytes())
}

// bufferedResponse holds a response until a slow_response fault releases it.
type bufferedResponse struct {
	h      http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.h }

func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

func (b *bufferedResponse) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (s *Server) dispatch(w http.ResponseWriter, r *http.Request, rc *reqCtx, rt route) {
	switch rt.kind {
	case "policy":
		s.handlePolicy(w, r, rc)
	case "methodConfiguration":
		s.handleMethodConfiguration(w, r, rc, rt.configID)
	case "policyRoot":
		s.handlePolicyRoot(w, r, rc)
	case kindUsers, kindUser, kindGroupMembers:
		s.handleDirectory(w, r, rc, rt)
	case kindEmailMethods, kindEmailMethod, kindTAPMethods, kindTAPMethod, kindMethods, kindMethod:
		s.handleUserMethods(w, r, rc, rt)
	default:
		s.handlePhone(w, r, rc, rt)
	}
}

func (s *Server) authenticate(r *http.Request) (*identity.Principal, error) {
	if s.opts.Authenticate != nil {
		return s.opts.Authenticate(r)
	}
	return s.authority.Authenticate(r)
}

func allowHeader(ops map[string]string) string {
	out := ""
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete} {
		if _, ok := ops[m]; ok {
			if out != "" {
				out += ", "
			}
			out += m
		}
	}
	return out
}
