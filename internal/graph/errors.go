package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
)

// Error is the one error type returned by Client operations for failed Graph
// responses. Resources branch on StatusCode and Code, never on Message.
type Error struct {
	// Operation names what was attempted, e.g. "create phone method".
	Operation string
	// StatusCode is the HTTP status (0 when no response was received).
	StatusCode int
	// Code is Graph's error code, e.g. "Authorization_RequestDenied".
	Code string
	// Message is Graph's error message.
	Message string
	// RequestID is Graph's request-id; Microsoft support needs it.
	RequestID string
	// ClientRequestID is the client-request-id the provider sent.
	ClientRequestID string
	// Date is the innerError date, as sent.
	Date string
	// RetryAfter is the server's Retry-After, when present.
	RetryAfter time.Duration
	// Err is the underlying error (the SDK error or a transport error).
	Err error
	// Stop says why the operation ended with this error: Graph's final
	// answer, the operation's deadline, or an interrupt.
	Stop StopReason
}

// Error formats as "<operation>: HTTP 403 Authorization_RequestDenied:
// <message> (request-id: ...)" so users can act on it and quote the id.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Operation != "" {
		b.WriteString(e.Operation)
		b.WriteString(": ")
	}
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, "HTTP %d", e.StatusCode)
		if e.Code != "" {
			b.WriteString(" " + e.Code)
		}
	} else if e.Code != "" {
		b.WriteString(e.Code)
	}
	msg := e.Message
	if msg == "" && e.StatusCode != 0 {
		msg = http.StatusText(e.StatusCode)
	}
	if msg != "" {
		if e.StatusCode != 0 || e.Code != "" {
			b.WriteString(": ")
		}
		b.WriteString(msg)
	}
	var ids []string
	if e.RequestID != "" {
		ids = append(ids, "request-id: "+e.RequestID)
	}
	if e.ClientRequestID != "" {
		ids = append(ids, "client-request-id: "+e.ClientRequestID)
	}
	if e.Date != "" {
		ids = append(ids, "date: "+e.Date)
	}
	if len(ids) > 0 {
		b.WriteString(" (" + strings.Join(ids, ", ") + ")")
	}
	return b.String()
}

// Unwrap exposes the underlying error (e.g. context.DeadlineExceeded).
func (e *Error) Unwrap() error { return e.Err }

// IsNotFound reports a 404 from Graph.
func IsNotFound(err error) bool { return statusIs(err, http.StatusNotFound) }

// IsBadRequest reports a 400 from Graph (invalid input).
func IsBadRequest(err error) bool { return statusIs(err, http.StatusBadRequest) }

// IsForbidden reports a 403 from Graph (missing permission or role).
func IsForbidden(err error) bool { return statusIs(err, http.StatusForbidden) }

// IsUnauthorized reports a 401 from Graph (token refused).
func IsUnauthorized(err error) bool { return statusIs(err, http.StatusUnauthorized) }

// StatusCode returns the HTTP status of a Graph error, or 0.
func StatusCode(err error) int {
	var ge *Error
	if errors.As(err, &ge) {
		return ge.StatusCode
	}
	return 0
}

func statusIs(err error, status int) bool { return StatusCode(err) == status }

func isRetryableStatus(status int) bool {
	return status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout
}

// translateError turns whatever the SDK returned into an *Error. It never
// calls ODataError.Error(), which dereferences nil when the body lacked
// "error". obs (may be nil) is what the pipeline saw of the last response,
// used when the SDK error carries no status (e.g. an unparsable body).
func translateError(operation string, err error, obs *observation) *Error {
	if err == nil {
		return nil
	}
	var existing *Error
	if errors.As(err, &existing) {
		return existing
	}
	out := &Error{Operation: operation, Err: err}

	var odata *odataerrors.ODataError
	var apiErr *abstractions.ApiError
	var apiErrorable abstractions.ApiErrorable
	switch {
	case errors.As(err, &odata):
		out.StatusCode = odata.ResponseStatusCode
		applyHeaders(out, odata.ResponseHeaders)
		if main := odata.GetErrorEscaped(); main != nil {
			out.Code = deref(main.GetCode())
			out.Message = deref(main.GetMessage())
			if inner := main.GetInnerError(); inner != nil {
				if v := deref(inner.GetRequestId()); v != "" {
					out.RequestID = v
				}
				if v := deref(inner.GetClientRequestId()); v != "" {
					out.ClientRequestID = v
				}
				if d := inner.GetDate(); d != nil {
					out.Date = d.UTC().Format(time.RFC3339)
				}
			}
		}
		if out.Message == "" {
			out.Message = "the response body did not contain a Graph error"
		}
	case errors.As(err, &apiErr):
		out.StatusCode = apiErr.ResponseStatusCode
		applyHeaders(out, apiErr.ResponseHeaders)
		out.Message = apiErrorMessage(apiErr.ResponseStatusCode)
	case errors.As(err, &apiErrorable):
		out.StatusCode = apiErrorable.GetStatusCode()
		applyHeaders(out, apiErrorable.GetResponseHeaders())
		out.Message = apiErrorMessage(out.StatusCode)
	}

	// The pipeline's view fills what the SDK error lacked, e.g. when a
	// non-JSON error body made deserialisation fail outright.
	if obs != nil && obs.status >= 400 {
		if out.StatusCode == 0 {
			out.StatusCode = obs.status
			out.Message = "the response body could not be read as a Graph error (" + describeParseError(err) + ")"
		}
		if out.RequestID == "" {
			out.RequestID = obs.header.Get("request-id")
		}
		if out.ClientRequestID == "" {
			out.ClientRequestID = obs.header.Get("client-request-id")
		}
		if out.RetryAfter == 0 {
			out.RetryAfter = parseRetryAfter(obs.header.Get("Retry-After"), time.Now())
		}
	}
	if out.StatusCode == 0 && out.Message == "" {
		// No response (token refused, connection failed, deadline): the
		// underlying error is the message.
		out.Message = err.Error()
		if errors.Is(err, context.DeadlineExceeded) {
			out.Message = "timed out: " + out.Message
		}
	}
	return out
}

// apiErrorMessage replaces the SDK's wording about "error factories" with
// something a user can act on.
func apiErrorMessage(status int) string {
	if status == 0 {
		return ""
	}
	return http.StatusText(status) + " (the response had no Graph error body)"
}

func describeParseError(err error) string {
	s := err.Error()
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

func applyHeaders(out *Error, h *abstractions.ResponseHeaders) {
	if h == nil {
		return
	}
	get := func(name string) string {
		if v := h.Get(name); len(v) > 0 { // Get lower-cases the key
			return v[0]
		}
		return ""
	}
	out.RequestID = get("request-id")
	out.ClientRequestID = get("client-request-id")
	out.RetryAfter = parseRetryAfter(get("Retry-After"), time.Now())
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
