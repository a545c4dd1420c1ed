package graph

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	khttp "github.com/microsoft/kiota-http-go"
)

// maxLoggedBody bounds bodies written to TRACE logs.
const maxLoggedBody = 8 << 10

// jwtPattern matches anything shaped like a JWT (access tokens, client
// assertions, OIDC tokens), masked wherever it appears in a log line.
var jwtPattern = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`)

// phonePattern matches a phone number written the way Graph writes one
// ("+{country code} {number}x{extension}") or looser ("+1 (425) 555-0100"):
// state holds phone numbers, the provider's log lines never do. A "+" is
// required so that dates, ids and durations are left alone.
var phonePattern = regexp.MustCompile(`\+[0-9][0-9 ().-]{4,}[0-9]`)

// phoneNumberMember matches the string value of a JSON "phoneNumber" member,
// whatever its format or escaping, so a body is masked even where
// phonePattern would not recognise the number; and of "temporaryAccessPass"
// (the pass Graph returns once, a secret) and "emailAddress" (personal
// data, like phone numbers).
var phoneNumberMember = regexp.MustCompile(`(?i)("(?:phoneNumber|temporaryAccessPass|emailAddress)"\s*:\s*")(?:[^"\\]|\\.)*(")`)

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

// context returns ctx with tflog masking of the secrets, of JWTs and of
// phone numbers. tflog masks the message and string field values only, so
// map fields (headers) go through mask themselves.
func (m *masker) context(ctx context.Context) context.Context {
	if len(m.secrets) > 0 {
		ctx = tflog.MaskAllFieldValuesStrings(ctx, m.secrets...)
		ctx = tflog.MaskMessageStrings(ctx, m.secrets...)
	}
	ctx = tflog.MaskAllFieldValuesRegexes(ctx, jwtPattern, phonePattern)
	ctx = tflog.MaskMessageRegexes(ctx, jwtPattern, phonePattern)
	return ctx
}

// mask applies the same masking as context to one string.
func (m *masker) mask(s string) string {
	for _, secret := range m.secrets {
		s = strings.ReplaceAll(s, secret, "***")
	}
	s = jwtPattern.ReplaceAllString(s, "***")
	return phonePattern.ReplaceAllString(s, "***")
}

func (m *masker) maskHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		if sensitiveHeaders[http.CanonicalHeaderKey(k)] {
			out[k] = "***"
			continue
		}
		out[k] = m.mask(strings.Join(v, ", "))
	}
	return out
}

// loggedBody is a body as logged: phoneNumber, temporaryAccessPass and
// emailAddress values masked, then bounded.
func loggedBody(b []byte) string {
	b = phoneNumberMember.ReplaceAll(b, []byte("${1}***${2}"))
	if len(b) > maxLoggedBody {
		return string(b[:maxLoggedBody]) + "...(truncated)"
	}
	return string(b)
}

// loggedURL is a URL as logged: percent-decoded, so that phonePattern also
// finds a number in an encoded query ($filter=phoneNumber eq '%2B1...').
func loggedURL(u *url.URL) string {
	s := u.String()
	if d, err := url.PathUnescape(s); err == nil {
		return d
	}
	return s
}

// ProviderLogLevelEnv is where terraform-plugin-go reads the level of the
// provider's logger from (TF_LOG_PROVIDER_ and the provider's name); unset,
// the logger writes TRACE and Terraform filters. The provider's main sets
// it to OFF when Terraform would drop the lines.
const ProviderLogLevelEnv = "TF_LOG_PROVIDER_ENTRAAUTH"

// requestLogger is the pipeline's logging middleware: method, URL, status
// and duration at DEBUG; masked headers and bodies at TRACE.
type requestLogger struct {
	masker *masker
	// level is the provider logger's level when the client was built:
	// above DEBUG the middleware passes requests through untouched, above
	// TRACE it skips the bodies. Building and masking the lines cost a
	// tenth of the provider's CPU on a refresh, for lines nobody sees.
	level hclog.Level
}

func newRequestLogger(m *masker, getenv func(string) string) *requestLogger {
	return &requestLogger{masker: m, level: hclog.LevelFromString(getenv(ProviderLogLevelEnv))}
}

// logs reports whether lines at level are written.
func (l *requestLogger) logs(level hclog.Level) bool {
	return l.level == hclog.NoLevel || l.level <= level
}

// Intercept implements khttp.Middleware. The response body is read here
// whatever the level: a body cut off mid-read is then a transport failure
// of this attempt, which the retry loop retries, not a parse error later.
func (l *requestLogger) Intercept(p khttp.Pipeline, i int, req *http.Request) (*http.Response, error) {
	debug, trace := l.logs(hclog.Debug), l.logs(hclog.Trace)
	ctx := req.Context()
	if debug {
		ctx = l.masker.context(ctx)
	}
	if trace {
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
			"method": req.Method, "url": loggedURL(req.URL),
			"headers": l.masker.maskHeaders(req.Header), "body": loggedBody(reqBody),
		})
	}
	start := time.Now()
	resp, err := p.Next(req, i)
	var fields map[string]any
	if debug {
		fields = map[string]any{
			"method": req.Method, "url": loggedURL(req.URL),
			"duration_ms":       time.Since(start).Milliseconds(),
			"client_request_id": req.Header.Get("client-request-id"),
		}
	}
	if err != nil {
		if debug {
			fields["error"] = err.Error()
			tflog.Debug(ctx, "Graph request failed", fields)
		}
		return resp, err
	}
	if debug {
		fields["status"] = resp.StatusCode
		fields["request_id"] = resp.Header.Get("request-id")
		tflog.Debug(ctx, "Graph response", fields)
	}
	if resp.Body != nil {
		b, rerr := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if rerr != nil {
			// A body cut off mid-read is a transport failure, retried as one.
			return nil, rerr
		}
		resp.Body = io.NopCloser(bytes.NewReader(b))
		if trace {
			tflog.Trace(ctx, "Graph response body", map[string]any{
				"status": resp.StatusCode, "headers": l.masker.maskHeaders(resp.Header), "body": loggedBody(b),
			})
		}
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
