package graph

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Retries are done here, around each whole operation, instead of by kiota's
// retry handler (which is left out of the pipeline): each attempt builds and
// serialises its request afresh, so a retried POST/PATCH body is always
// intact (kiota-http-go issue 183), and the loop is bounded by the caller's
// context deadline (the resource's timeout) rather than by 3 fixed attempts.

// defaultOperationTimeout bounds an operation whose caller gave no deadline,
// so a throttled tenant cannot make the provider spin forever.
const defaultOperationTimeout = 10 * time.Minute

// maxBackoff caps the exponential back-off used when Graph gives no
// Retry-After.
const maxBackoff = 30 * time.Second

// errStaleRead is an attempt's answer that Graph does not show a write yet
// (see WithExpected); it is retried like a 404 after a write.
var errStaleRead = errors.New("the read does not show the latest write yet")

// attemptFunc performs one attempt; its ctx carries the observation slot.
type attemptFunc func(ctx context.Context) error

// retryPolicy says which extra responses an operation retries. Every
// operation retries 429/503/504 and transport errors (no response): reads,
// PATCH, DELETE and enable/disable give the same end state when repeated,
// and CreatePhoneMethod reconciles a repeat that Graph refuses because the
// first attempt was applied (see there).
type retryPolicy struct {
	// notFoundRetries is how many extra attempts a 404 gets (eventual
	// consistency right after a write); 0 means a 404 is final.
	notFoundRetries int
	// userNotFoundFor is how long a 404 Request_ResourceNotFound (the user
	// is unknown) is retried: a user created moments ago, for example by
	// azuread_user in the same apply, is not found for a while.
	userNotFoundFor time.Duration
}

// UserReplicationWindow is how long writes retry a user Graph does not
// know yet. A choice: Hamilton, the SDK the azuread provider ran against
// real Graph, retries such 404s after related writes; replication usually
// takes seconds, and a minute keeps an unknown user failing well inside the
// default five-minute timeouts.
const UserReplicationWindow = time.Minute

// writePolicy is the retry policy of writes to a user's phones.
var writePolicy = retryPolicy{userNotFoundFor: UserReplicationWindow}

// IsUserNotFound reports Graph's 404 for an unknown user
// (Request_ResourceNotFound), as opposed to a missing phone (itemNotFound).
func IsUserNotFound(err error) bool {
	var ge *Error
	return errors.As(err, &ge) && ge.StatusCode == http.StatusNotFound && strings.EqualFold(ge.Code, "Request_ResourceNotFound")
}

// StopReason says why an operation ended without success. Callers act on
// it instead of re-deriving the retry policy: an operation that ended by
// its deadline or an interrupt may still have been applied by Graph.
type StopReason int

const (
	// StoppedByAnswer: Graph's answer was final (not retryable), or the
	// request could not be made at all.
	StoppedByAnswer StopReason = iota
	// StoppedByDeadline: the operation's deadline (the resource's timeout)
	// passed, or the next retry would have passed it.
	StoppedByDeadline
	// StoppedByInterrupt: the caller cancelled the operation (Terraform's
	// stop, e.g. Ctrl-C).
	StoppedByInterrupt
)

// StopReasonOf says why err ended an operation: the reason an *Error
// carries, or, for a bare context error (e.g. from a wait outside Graph),
// the context's.
func StopReasonOf(err error) StopReason {
	var ge *Error
	if errors.As(err, &ge) && ge.Stop != StoppedByAnswer {
		return ge.Stop
	}
	return contextStop(err)
}

// contextStop maps a context's error to a stop reason.
func contextStop(err error) StopReason {
	switch {
	case errors.Is(err, context.Canceled):
		return StoppedByInterrupt
	case errors.Is(err, context.DeadlineExceeded):
		return StoppedByDeadline
	}
	return StoppedByAnswer
}

// Grace periods for the check that follows a stopped write: the write may
// still have been applied (its answer was slow or lost, not the write), so
// one more read, outside the expired deadline, tells what Graph holds.
const (
	deadlineGracePeriod = 10 * time.Second
	// After an interrupt Terraform waits for the provider, and so does the
	// operator: the check is kept shorter.
	interruptGracePeriod = 5 * time.Second
)

// GraceContext outlives an operation that stopped by its deadline or an
// interrupt by a short grace period, for reading what Graph holds after a
// write that may have been applied. The caller's cancellation is
// deliberately not inherited: the check is short and keeps the state honest.
func GraceContext(ctx context.Context, reason StopReason) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), GracePeriod(reason))
}

// GracePeriod is how long GraceContext allows after reason.
func GracePeriod(reason StopReason) time.Duration {
	if reason == StoppedByInterrupt {
		return interruptGracePeriod
	}
	return deadlineGracePeriod
}

// run executes op with retries until success, a final error, or the
// context's deadline. The *Error it returns says why it stopped (Stop).
func (c *Client) run(ctx context.Context, operation string, policy retryPolicy, op attemptFunc) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultOperationTimeout)
		defer cancel()
	}
	notFoundLeft := policy.notFoundRetries
	start := time.Now()
	for attempt := 1; ; attempt++ {
		obs := &observation{}
		actx, cancel := context.WithTimeout(withObservation(ctx, obs), c.attemptTimeout)
		err := op(actx)
		cancel()
		if err == nil {
			return nil
		}
		gerr := translateError(operation, err, obs)

		room := untilDeadline(ctx)
		var delay time.Duration
		switch {
		case isRetryableStatus(gerr.StatusCode):
			delay = c.backoff(attempt)
			if gerr.RetryAfter > 0 {
				delay = retryAfterWithJitter(gerr.RetryAfter, room)
			}
		case policy.userNotFoundFor > 0 && IsUserNotFound(gerr) && time.Since(start) < policy.userNotFoundFor:
			// Short waits: the user usually appears within seconds.
			delay = min(c.backoff(attempt), 5*time.Second)
		case (gerr.StatusCode == http.StatusNotFound || errors.Is(err, errStaleRead)) && notFoundLeft > 0:
			notFoundLeft--
			delay = c.backoff(attempt)
		case gerr.StatusCode == 0 && obs.transportErr != nil && ctx.Err() == nil:
			delay = c.backoff(attempt)
		default:
			// A failure while the operation's own context ended is that
			// context's doing (a cancelled or expired request), not Graph's.
			if ctx.Err() != nil {
				gerr.Stop = contextStop(ctx.Err())
				gerr.Message = strings.TrimSpace(gerr.Message + fmt.Sprintf(" (gave up after %d attempt(s): %v)", attempt, ctx.Err()))
			} else if policy.userNotFoundFor > 0 && IsUserNotFound(gerr) {
				gerr.Message = strings.TrimSpace(gerr.Message + fmt.Sprintf(" (the user was still not found after %s of retries)", time.Since(start).Round(time.Second)))
			}
			return gerr
		}

		// Give up now if waiting would pass the deadline: the caller gets the
		// real Graph error (with its request-id) instead of a bare timeout.
		if room >= 0 && room < delay {
			gerr.Message = strings.TrimSpace(gerr.Message + fmt.Sprintf(" (gave up after %d attempt(s): the next retry, in %s, would pass the operation's deadline)", attempt, delay.Round(time.Millisecond)))
			gerr.Stop = StoppedByDeadline
			return gerr
		}
		tflog.Debug(ctx, "retrying Graph request", map[string]any{
			"operation": operation, "attempt": attempt, "status": gerr.StatusCode,
			"graph_code": gerr.Code, "request_id": gerr.RequestID, "delay": delay.String(),
		})
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			gerr.Message = strings.TrimSpace(gerr.Message + fmt.Sprintf(" (gave up after %d attempt(s): %v)", attempt, ctx.Err()))
			gerr.Stop = contextStop(ctx.Err())
			return gerr
		case <-t.C:
		}
	}
}

// backoff is exponential with jitter, starting at the client's base delay.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.retryBaseDelay
	for i := 1; i < attempt && d < maxBackoff; i++ {
		d *= 2
	}
	if d > maxBackoff {
		d = maxBackoff
	}
	// Up to 20% jitter spreads parallel resources hitting the same throttle.
	return d + time.Duration(rand.Int64N(int64(d)/5+1))
}

// maxRetryAfterJitter is the most added to Graph's Retry-After, as a
// fraction of it: throttled resources of one tenant all get the same
// Retry-After, and retrying at the same instant would re-burst the budget.
const maxRetryAfterJitter = 0.2

// retryAfterWithJitter waits Retry-After plus up to 20% of it, never less
// than Retry-After (Graph asks for at least that), and never past room, the
// time left before the deadline, when Retry-After itself fits in it (when
// it does not, the caller gives up anyway). room < 0 means no deadline.
func retryAfterWithJitter(retryAfter, room time.Duration) time.Duration {
	extra := time.Duration(rand.Int64N(int64(float64(retryAfter)*maxRetryAfterJitter) + 1))
	if room >= retryAfter && retryAfter+extra > room {
		extra = room - retryAfter
	}
	return retryAfter + extra
}

// untilDeadline is the time left before ctx's deadline, or -1 without one.
func untilDeadline(ctx context.Context) time.Duration {
	deadline, ok := ctx.Deadline()
	if !ok {
		return -1
	}
	return max(time.Until(deadline), 0)
}

// parseRetryAfter reads Retry-After as delta-seconds or an HTTP-date
// (RFC 9110 section 10.2.3); unusable or past values give 0.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs <= 0 || secs > 24*3600 {
			return 0
		}
		return time.Duration(secs * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}
