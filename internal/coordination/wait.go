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

// Back-off between attempts; an operation ending wakes every wait at once.
const (
	pollStart = 500 * time.Millisecond
	pollMax   = 5 * time.Second
)

// ErrNothingToWaitFor ends a wait when no operation that could unblock it
// was under way for Grace, and one more attempt was still refused.
var ErrNothingToWaitFor = errors.New("no operation of this provider that could unblock it was under way")

// Wait repeats attempt (which reports whether Graph took the operation)
// until it does, ctx ends (ctx.Err() is returned), or blocker has been
// false for Grace (ErrNothingToWaitFor after a last attempt). The op
// counts as waiting meanwhile, so it never keeps another wait alive.
// before, when not nil, is called before each sleep with its length.
func (o *Op) Wait(ctx context.Context, blocker Blocker, attempt func() bool, before func(time.Duration)) error {
	c := o.c
	o.setWaiting(true)
	defer o.setWaiting(false)
	delay := pollStart
	var idleSince time.Time
	for {
		c.mu.Lock()
		changed, ends := c.changed, c.ends
		c.mu.Unlock()

		now := c.now()
		sleep := delay
		if blocker() {
			idleSince = time.Time{}
		} else {
			if idleSince.IsZero() {
				idleSince = now
			}
			left := c.grace - now.Sub(idleSince)
			if left <= 0 {
				if attempt() {
					return nil
				}
				return ErrNothingToWaitFor
			}
			sleep = min(sleep, left)
		}
		if before != nil {
			before(sleep)
		}
		if !c.sleep(ctx, sleep, changed, ends) {
			return ctx.Err()
		}
		delay = min(delay*2, pollMax)
		if attempt() {
			return nil
		}
	}
}

// sleep waits for d, or until an operation ends (a change that is only
// another wait starting or stopping re-arms the wait); false when ctx
// ended first.
func (c *Coordinator) sleep(ctx context.Context, d time.Duration, changed <-chan struct{}, ends uint64) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
			return true
		case <-changed:
			c.mu.Lock()
			ended := c.ends != ends
			changed = c.changed
			c.mu.Unlock()
			if ended {
				return true
			}
		}
	}
}
