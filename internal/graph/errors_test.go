package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
)

func odataError(status int, code, message, requestID string) *odataerrors.ODataError {
	e := odataerrors.NewODataError()
	e.ResponseStatusCode = status
	e.ResponseHeaders = abstractions.NewResponseHeaders()
	e.ResponseHeaders.Add("request-id", "hdr-"+requestID)
	main := odataerrors.NewMainError()
	main.SetCode(&code)
	main.SetMessage(&message)
	inner := odataerrors.NewInnerError()
	inner.SetRequestId(&requestID)
	cid := "cid-1"
	inner.SetClientRequestId(&cid)
	d := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	inner.SetDate(&d)
	main.SetInnerError(inner)
	e.SetErrorEscaped(main)
	return e
}

func TestTranslateODataError(t *testing.T) {
	t.Parallel()
	err := translateError("create phone method", odataError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.", "req-123"), nil)
	want := "create phone method: HTTP 403 Authorization_RequestDenied: Insufficient privileges to complete the operation. (request-id: req-123, client-request-id: cid-1, date: 2026-11-22T10:00:00Z)"
	if err.Error() != want {
		t.Errorf("got  %s\nwant %s", err.Error(), want)
	}
	if !IsForbidden(err) || err.Code != "Authorization_RequestDenied" || IsNotFound(err) {
		t.Errorf("helpers disagree: %+v", err)
	}
	wrapped := fmt.Errorf("context: %w", err)
	if StatusCode(wrapped) != 403 {
		t.Error("helpers must see through wrapping")
	}
}

// A JSON body without "error" yields an ODataError whose Error() panics;
// translation must not call it.
func TestTranslateODataErrorWithoutErrorObject(t *testing.T) {
	t.Parallel()
	e := odataerrors.NewODataError()
	e.ResponseStatusCode = 500
	h := abstractions.NewResponseHeaders()
	h.Add("Request-Id", "abc")
	e.ResponseHeaders = h
	var ge *Error
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("translation panicked: %v", r)
			}
		}()
		ge = translateError("get phone method", e, nil)
		_ = ge.Error()
	}()
	if ge.StatusCode != 500 || ge.RequestID != "abc" || ge.Code != "" {
		t.Errorf("got %+v", ge)
	}
	if !strings.Contains(ge.Error(), "HTTP 500") || !strings.Contains(ge.Error(), "request-id: abc") {
		t.Errorf("message: %s", ge.Error())
	}
}

func TestTranslateApiErrorEmptyBody(t *testing.T) {
	t.Parallel()
	e := &abstractions.ApiError{
		Message:            "The server returned an unexpected status code with no response body: 503",
		ResponseStatusCode: 503,
		ResponseHeaders:    abstractions.NewResponseHeaders(),
	}
	e.ResponseHeaders.Add("Retry-After", "7")
	ge := translateError("delete phone method", e, nil)
	if ge.StatusCode != 503 || ge.RetryAfter != 7*time.Second || !isRetryableStatus(ge.StatusCode) {
		t.Errorf("got %+v", ge)
	}
	if strings.Contains(ge.Error(), "factory") || !strings.HasPrefix(ge.Error(), "delete phone method: HTTP 503") {
		t.Errorf("message: %s", ge.Error())
	}
}

// An unparsable body (e.g. HTML from a proxy) reaches us as a plain error;
// the pipeline's observation supplies the status and ids.
func TestTranslatePlainErrorWithObservation(t *testing.T) {
	t.Parallel()
	obs := &observation{status: 502, header: http.Header{"Request-Id": {"r-9"}}}
	ge := translateError("list phone methods", errors.New("content type text/html does not have a factory registered to be parsed"), obs)
	if ge.StatusCode != 502 || ge.RequestID != "r-9" {
		t.Errorf("got %+v", ge)
	}
	if !strings.Contains(ge.Error(), "HTTP 502") || !strings.Contains(ge.Error(), "could not be read") {
		t.Errorf("message: %s", ge.Error())
	}
}

func TestTranslateTransportAndDeadline(t *testing.T) {
	t.Parallel()
	ge := translateError("get phone method", fmt.Errorf("Get ...: %w", context.DeadlineExceeded), &observation{})
	if ge.StatusCode != 0 || !errors.Is(ge, context.DeadlineExceeded) || !strings.Contains(ge.Error(), "timed out") {
		t.Errorf("got %+v / %s", ge, ge.Error())
	}
	if translateError("x", nil, nil) != nil {
		t.Error("nil must stay nil")
	}
	same := &Error{Operation: "a", StatusCode: 404}
	if translateError("b", same, nil) != same {
		t.Error("an *Error must pass through unchanged")
	}
}
