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

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"5", 5 * time.Second},
		{" 2 ", 2 * time.Second},
		{"0.5", 500 * time.Millisecond},
		{"0", 0},
		{"-3", 0},
		{"soon", 0},
		{now.Add(7 * time.Second).Format(http.TimeFormat), 7 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
		{now.Add(3 * time.Second).Format(time.RFC850), 3 * time.Second},
	}
	for _, c := range cases {
		if got := parseRetryAfter(c.in, now); got != c.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

// throttled builds the error kiota returns for a 429 with Retry-After.
func throttled(retryAfter string) error {
	e := odataerrors.NewODataError()
	e.ResponseStatusCode = 429
	h := abstractions.NewResponseHeaders()
	if retryAfter != "" {
		h.Add("Retry-After", retryAfter)
	}
	e.ResponseHeaders = h
	main := odataerrors.NewMainError()
	code, msg := "TooManyRequests", "slow down"
	main.SetCode(&code)
	main.SetMessage(&msg)
	e.SetErrorEscaped(main)
	return e
}

func testClient() *Client {
	return &Client{retryBaseDelay: time.Millisecond, attemptTimeout: time.Minute}
}

func TestRunRetriesThrottlingUntilSuccess(t *testing.T) {
	t.Parallel()
	c := testClient()
	attempts := 0
	err := c.run(context.Background(), "op", retryPolicy{}, func(context.Context) error {
		attempts++
		if attempts < 4 {
			return throttled("0.01")
		}
		return nil
	})
	if err != nil || attempts != 4 {
		t.Fatalf("err=%v attempts=%d, want nil after 4", err, attempts)
	}
}

func TestRunStopsAtDeadline(t *testing.T) {
	t.Parallel()
	c := testClient()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	attempts := 0
	// Retry-After far beyond the deadline: the loop must give up at once with
	// Graph's error rather than sleep past the caller's deadline.
	err := c.run(ctx, "create phone method", retryPolicy{}, func(context.Context) error {
		attempts++
		return throttled("3600")
	})
	if attempts != 1 {
		t.Fatalf("attempts = %d, want 1", attempts)
	}
	if StatusCode(err) != 429 || !strings.Contains(err.Error(), "deadline") {
		t.Fatalf("err = %v, want a throttling error mentioning the deadline", err)
	}
	if ctx.Err() != nil {
		t.Fatal("the loop waited until the deadline instead of giving up")
	}
	if StopReasonOf(err) != StoppedByDeadline {
		t.Errorf("stop reason %v, want StoppedByDeadline", StopReasonOf(err))
	}
}

func TestRunRetriesUntilContextEnds(t *testing.T) {
	t.Parallel()
	c := testClient()
	ctx, cancel := context.WithCancel(context.Background())
	attempts := 0
	err := c.run(ctx, "op", retryPolicy{}, func(context.Context) error {
		attempts++
		if attempts == 5 {
			cancel() // the operation's deadline passes during the wait
		}
		return throttled("0.001")
	})
	if attempts != 5 || StatusCode(err) != 429 || !strings.Contains(err.Error(), "gave up after 5") {
		t.Fatalf("attempts=%d err=%v", attempts, err)
	}
	if StopReasonOf(err) != StoppedByInterrupt {
		t.Errorf("stop reason %v, want StoppedByInterrupt (the context was cancelled)", StopReasonOf(err))
	}
}

// TestRunSaysWhyItStopped: callers act on the reason instead of re-deriving
// the retry policy from the status.
func TestRunSaysWhyItStopped(t *testing.T) {
	t.Parallel()
	c := testClient()
	final := func() error {
		e := abstractions.NewApiError()
		e.ResponseStatusCode = 400
		return e
	}
	err := c.run(context.Background(), "op", retryPolicy{}, func(context.Context) error { return final() })
	if StopReasonOf(err) != StoppedByAnswer || StatusCode(err) != 400 {
		t.Errorf("final answer: reason %v, err %v", StopReasonOf(err), err)
	}

	// Throttled until the deadline passes during a wait.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	err = c.run(ctx, "op", retryPolicy{}, func(context.Context) error { return throttled("0.05") })
	if StopReasonOf(err) != StoppedByDeadline || StatusCode(err) != 429 {
		t.Errorf("deadline: reason %v, err %v", StopReasonOf(err), err)
	}

	// An attempt that fails because the operation was cancelled.
	ictx, icancel := context.WithCancel(context.Background())
	err = c.run(ictx, "op", retryPolicy{}, func(context.Context) error {
		icancel()
		return final()
	})
	if StopReasonOf(err) != StoppedByInterrupt {
		t.Errorf("interrupted attempt: reason %v, err %v", StopReasonOf(err), err)
	}

	// Bare context errors, e.g. from a wait outside Graph.
	if StopReasonOf(context.Canceled) != StoppedByInterrupt || StopReasonOf(context.DeadlineExceeded) != StoppedByDeadline || StopReasonOf(errors.New("x")) != StoppedByAnswer {
		t.Error("context errors mapped wrongly")
	}
}

func TestRunNotFoundRetriesOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	notFound := func() error {
		e := abstractions.NewApiError()
		e.ResponseStatusCode = 404
		return e
	}
	c := testClient()
	attempts := 0
	err := c.run(context.Background(), "get", retryPolicy{}, func(context.Context) error {
		attempts++
		return notFound()
	})
	if attempts != 1 || !IsNotFound(err) {
		t.Fatalf("without the option: attempts=%d err=%v", attempts, err)
	}

	attempts = 0
	err = c.run(context.Background(), "get", retryPolicy{notFoundRetries: 3}, func(context.Context) error {
		attempts++
		return notFound()
	})
	if attempts != 4 || !IsNotFound(err) {
		t.Fatalf("bounded: attempts=%d err=%v, want 4 and a 404", attempts, err)
	}

	attempts = 0
	err = c.run(context.Background(), "get", retryPolicy{notFoundRetries: 3}, func(context.Context) error {
		attempts++
		if attempts < 3 {
			return notFound()
		}
		return nil
	})
	if attempts != 3 || err != nil {
		t.Fatalf("eventually consistent: attempts=%d err=%v", attempts, err)
	}
}

func TestRunDoesNotRetryClientErrors(t *testing.T) {
	t.Parallel()
	c := testClient()
	attempts := 0
	err := c.run(context.Background(), "op", retryPolicy{}, func(context.Context) error {
		attempts++
		e := abstractions.NewApiError()
		e.ResponseStatusCode = 400
		return e
	})
	if attempts != 1 || !IsBadRequest(err) {
		t.Fatalf("attempts=%d err=%v", attempts, err)
	}
}

func TestRunTransportErrorsRetried(t *testing.T) {
	t.Parallel()
	c := testClient()
	attempts := 0
	err := c.run(context.Background(), "op", retryPolicy{}, func(ctx context.Context) error {
		attempts++
		if attempts == 3 {
			return nil
		}
		markTransportError(t, ctx)
		return errConnReset
	})
	if attempts != 3 || err != nil {
		t.Errorf("attempts=%d err=%v, want success on the 3rd", attempts, err)
	}

	// An error before any request (e.g. a refused token) is not retried.
	attempts = 0
	err = c.run(context.Background(), "op", retryPolicy{}, func(context.Context) error {
		attempts++
		return errConnReset
	})
	if attempts != 1 || err == nil {
		t.Errorf("token-style error: attempts=%d err=%v", attempts, err)
	}
}

var errConnReset = &connResetError{}

type connResetError struct{}

func (*connResetError) Error() string { return "read tcp 127.0.0.1:1: connection reset by peer" }

func TestRunGiveUpKeepsTransportErrorText(t *testing.T) {
	t.Parallel()
	c := testClient()
	// Back-off doubles from 1ms until the next wait would pass the deadline.
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	err := c.run(ctx, "list phone methods", retryPolicy{}, func(ctx context.Context) error {
		markTransportError(t, ctx)
		return errConnReset
	})
	msg := err.Error()
	if !strings.Contains(msg, "connection reset by peer") || !strings.Contains(msg, "gave up after") || !strings.HasPrefix(msg, "list phone methods: ") {
		t.Errorf("message %q", msg)
	}
}

// markTransportError records what the observe middleware records for a
// dropped connection.
func markTransportError(t *testing.T, ctx context.Context) {
	o, ok := ctx.Value(observationKey{}).(*observation)
	if !ok {
		t.Fatal("no observation slot in the attempt context")
	}
	o.transportErr = errConnReset
}

// TestStopReasons: a cancelled operation (Ctrl-C) is an interrupt even when
// the last Graph error is a retryable one; a passed deadline, a deadline
// error or a final 429/503/504 is a deadline stop; any other Graph error is
// Graph's answer.
func TestStopReasons(t *testing.T) {
	t.Parallel()
	refused := func() error {
		e := abstractions.NewApiError()
		e.ResponseStatusCode = 400
		return e
	}
	live := context.Background()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	// A cancelled parent under the operation's own deadline, as in Create.
	interruptedOp, cancel3 := context.WithTimeout(cancelled, time.Hour)
	defer cancel3()
	soon, cancel4 := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel4()
	for _, c := range []struct {
		name string
		ctx  context.Context
		err  func() error
		want StopReason
	}{
		{"cancelled, transport error", cancelled, func() error { return fmt.Errorf("post: %w", context.Canceled) }, StoppedByInterrupt},
		{"cancelled, last error throttled", cancelled, func() error { return throttled("1") }, StoppedByInterrupt},
		{"cancelled parent under the operation deadline", interruptedOp, refused, StoppedByInterrupt},
		{"deadline passed", expired, func() error { return fmt.Errorf("post: %w", context.DeadlineExceeded) }, StoppedByDeadline},
		{"deadline passed, last error throttled", expired, func() error { return throttled("1") }, StoppedByDeadline},
		{"gave up before the deadline: throttled", soon, func() error { return throttled("3600") }, StoppedByDeadline},
		{"deadline error only", live, func() error { return fmt.Errorf("x: %w", context.DeadlineExceeded) }, StoppedByDeadline},
		{"cancel error only", live, func() error { return fmt.Errorf("x: %w", context.Canceled) }, StoppedByInterrupt},
		{"graph refusal", live, refused, StoppedByAnswer},
		{"plain error", live, func() error { return errors.New("boom") }, StoppedByAnswer},
	} {
		err := testClient().run(c.ctx, "create phone method", retryPolicy{}, func(context.Context) error { return c.err() })
		if got := StopReasonOf(err); got != c.want {
			t.Errorf("%s: StopReasonOf = %d; want %d (%v)", c.name, got, c.want, err)
		}
	}
}
