package graph

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	khttp "github.com/microsoft/kiota-http-go"
)

// maxLoggedBody bounds bodies written to TRACE logs.
const maxLoggedBody = 8 << 10

// jwtPattern matches anything shaped like a JWT (access tokens, client
// assertions, OIDC tokens), masked wherever it appears in a log line.
var jwtPattern = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`)

// sensitiveHeaders are replaced by "***" in logs.
var sensitiveHeaders = map[string]bool{
	"Authorization": true, "Proxy-Authorization": true, "Cookie": true, "Set-Cookie": true,
}

// masker knows the configured secrets so that no log line can contain them,
// whichever field or message they end up in.
type masker struct {
	secrets []string
}

func newMasker(secrets ...string) *masker {
	m := &masker{}
	for _, s := range secrets {
		if strings.TrimSpace(s) != "" {
			m.secrets = append(m.secrets, s)
		}
	}
	return m
}

// context returns ctx with tflog masking of the secrets and of JWTs.
func (m *masker) context(ctx context.Context) context.Context {
	if len(m.secrets) > 0 {
		ctx = tflog.MaskAllFieldValuesStrings(ctx, m.secrets...)
		ctx = tflog.MaskMessageStrings(ctx, m.secrets...)
	}
	ctx = tflog.MaskAllFieldValuesRegexes(ctx, jwtPattern)
	ctx = tflog.MaskMessageRegexes(ctx, jwtPattern)
	return ctx
}

func maskHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		if sensitiveHeaders[http.CanonicalHeaderKey(k)] {
			out[k] = "***"
			continue
		}
		out[k] = strings.Join(v, ", ")
	}
	return out
}

func truncateBody(b []byte) string {
	if len(b) > maxLoggedBody {
		return string(b[:maxLoggedBody]) + "...(truncated)"
	}
	return string(b)
}

// requestLogger is the pipeline's logging middleware: method, URL, status
// and duration at DEBUG; masked headers and bodies at TRACE.
type requestLogger struct {
	masker *masker
}

// Intercept implements khttp.Middleware.
func (l *requestLogger) Intercept(p khttp.Pipeline, i int, req *http.Request) (*http.Response, error) {
	ctx := l.masker.context(req.Context())
	var reqBody []byte
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		reqBody = b
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	tflog.Trace(ctx, "Graph request", map[string]any{
		"method": req.Method, "url": req.URL.String(),
		"headers": maskHeaders(req.Header), "body": truncateBody(reqBody),
	})
	start := time.Now()
	resp, err := p.Next(req, i)
	fields := map[string]any{
		"method": req.Method, "url": req.URL.String(),
		"duration_ms":       time.Since(start).Milliseconds(),
		"client_request_id": req.Header.Get("client-request-id"),
	}
	if err != nil {
		fields["error"] = err.Error()
		tflog.Debug(ctx, "Graph request failed", fields)
		return resp, err
	}
	fields["status"] = resp.StatusCode
	fields["request_id"] = resp.Header.Get("request-id")
	tflog.Debug(ctx, "Graph response", fields)
	if resp.Body != nil {
		b, rerr := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if rerr != nil {
			// A body cut off mid-read is a transport failure, retried as one.
			return nil, rerr
		}
		resp.Body = io.NopCloser(bytes.NewReader(b))
		tflog.Trace(ctx, "Graph response body", map[string]any{
			"status": resp.StatusCode, "headers": maskHeaders(resp.Header), "body": truncateBody(b),
		})
	}
	return resp, nil
}

// authLoggingRoundTripper logs token and OIDC requests: method, URL without
// its query, and status only. Their bodies hold secrets, assertions and
// tokens, so they are never logged.
type authLoggingRoundTripper struct {
	next   http.RoundTripper
	masker *masker
}

// RoundTrip implements http.RoundTripper.
func (a authLoggingRoundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := a.masker.context(req.Context())
	u := *req.URL
	u.RawQuery, u.ForceQuery = "", false
	start := time.Now()
	resp, err := a.next.RoundTrip(req)
	fields := map[string]any{"method": req.Method, "url": u.String(), "duration_ms": time.Since(start).Milliseconds()}
	if err != nil {
		fields["error"] = err.Error()
		tflog.Debug(ctx, "authentication request failed", fields)
		return resp, err
	}
	fields["status"] = resp.StatusCode
	fields["request_id"] = resp.Header.Get("x-ms-request-id")
	tflog.Debug(ctx, "authentication request", fields)
	return resp, nil
}
