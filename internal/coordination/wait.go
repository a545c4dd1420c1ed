package coordination

import (
	"context"
	"errors"
	"time"
)

// Grace is how long a wait goes on once nothing that can end it is under
// way. Terraform starts the operations of one run at about the same
// moment, not the same instant, and one queued behind another provider's
// resource starts when that ends; longer would only delay the error that
// a configuration needs depends_on (always so at -parallelism=1).
const Grace = 5 * time.Second

// Back-off between attempts while a blocker is under way; an operation
// that may have unblocked the wait ending wakes it at once.
const (
	pollStart = 500 * time.Millisecond
	pollMax   = 5 * time.Second
)

// ErrNothingToWaitFor ends a wait when no operation that could unblock it
// was under way for Grace.
var ErrNothingToWaitFor = errors.New("no operation of this provider that could unblock it was under way")

// Retry calls attempt, which reports whether Graph took the operation; when
// Graph refused it, Retry waits and calls it again each time b's operation
// may have changed Graph: when one ends, and with back-off while one is
// under way. It returns nil once attempt succeeds, ctx.Err() when ctx
// ends, or ErrNothingToWaitFor when b has not been under way for Grace
// and none of its operations ended meanwhile. While it waits the op does
// not count as working, so it never keeps another wait alive. before, when
// not nil, is called before each sleep with its length.
func (o *Op) Retry(ctx context.Context, b Blocker, attempt func() bool, before func(time.Duration)) error {
	c := o.c
	m := c.mark()
	if attempt() {
		return nil
	}
	o.setWaiting(true)
	defer o.setWaiting(false)
	delay := pollStart
	var idleSince time.Time
	for {
		now := c.now()
		sleep := delay
		if b.UnderWay() {
			idleSince = time.Time{}
		} else {
			if idleSince.IsZero() {
				idleSince = now
			}
			left := c.grace - now.Sub(idleSince)
			if left <= 0 {
				return ErrNothingToWaitFor
			}
			sleep = min(sleep, left)
		}
		if before != nil {
			before(sleep)
		}
		if !c.sleep(ctx, sleep, b, m) {
			return ctx.Err()
		}
		delay = min(delay*2, pollMax)
		if b.EndedSince(m) || b.UnderWay() {
			m = c.mark()
			if attempt() {
				return nil
			}
		}
	}
}

// sleep waits for d, or until one of b's operations ended after m; false
// when ctx ended first.
func (c *Coordinator) sleep(ctx context.Context, d time.Duration, b Blocker, m mark) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		c.mu.Lock()
		changed := c.changed
		c.mu.Unlock()
		if b.EndedSince(m) {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
			return true
		case <-changed:
		}
	}
}
