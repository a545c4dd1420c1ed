// Package coordination owns every wait between the resources of one
// provider process: the per-user lock, the register of writes in flight,
// and the one wait loop that retries an operation Graph refused because
// another resource has not done its part yet.
//
// Terraform runs at most -parallelism operations at once and holds a slot
// for the whole of each one, so an operation that waits for another that
// has not started can hold the slot the other needs: at -parallelism=1 it
// always does. A wait here therefore continues only while an operation
// that can unblock it is under way (registered with Begin and not itself
// waiting) or Graph is still taking in a write that ended (a policy's
// propagation window). When neither is true for Grace, the operation is
// tried once more and the wait ends with ErrNothingToWaitFor, so no set of
// waits can hold each other up: see DESIGN.md, "Waiting between resources".
package coordination

import (
	"context"
	"strings"
	"sync"
	"time"
)

// Kind is what a registered operation does.
type Kind string

// The kinds of write the provider registers.
const (
	PhoneCreate  Kind = "phone create"
	PhoneUpdate  Kind = "phone update"
	PhoneDelete  Kind = "phone delete"
	PolicyChange Kind = "policy change"
)

// Scope names what an operation touches: a user of one Graph endpoint
// (UserScope) or a tenant's policy (PolicyScope).
type Scope struct {
	// endpoint is the Graph endpoint: waits look only at operations on
	// their own endpoint, so tests that share a process (each with its own
	// mock) never keep each other's waits alive.
	endpoint string
	name     string
}

// UserScope names a user of one Graph endpoint. A user referenced once by
// object id and once by UPN gets two scopes: telling them apart would cost
// a lookup, and Graph's own rules still apply.
func UserScope(graphEndpoint, userID string) Scope {
	return Scope{strings.ToLower(graphEndpoint), "user " + strings.ToLower(userID)}
}

// PolicyScope names the authentication methods policy of one Graph endpoint.
func PolicyScope(graphEndpoint string) Scope {
	return Scope{strings.ToLower(graphEndpoint), "policy"}
}

// Coordinator is the register of one provider process. Every resource
// instance shares Default: aliases of one tenant get separate Graph
// clients but must see each other's operations.
type Coordinator struct {
	mu      sync.Mutex
	ops     map[*Op]struct{}
	ended   map[opKey]ending // the last operation of a kind on a scope to end
	locks   map[Scope]*lock
	changed chan struct{} // closed and replaced whenever an operation ends or starts or stops waiting
	ends    uint64        // operations ended so far
	now     func() time.Time
	grace   time.Duration // Grace; shorter in tests
}

type opKey struct {
	scope Scope
	kind  Kind
}

// ending is when an operation ended, and its place in the order of ends.
type ending struct {
	at  time.Time
	seq uint64
}

// The end times kept: RunningOrEndedWithin asks at most maxWindow back.
const (
	maxEnded  = 1024
	maxWindow = 10 * time.Minute
)

// Default is the provider process's coordinator.
var Default = New()

// New returns an empty coordinator (tests use their own).
func New() *Coordinator {
	return &Coordinator{
		ops:     map[*Op]struct{}{},
		ended:   map[opKey]ending{},
		locks:   map[Scope]*lock{},
		changed: make(chan struct{}),
		now:     time.Now,
		grace:   Grace,
	}
}

// Op is an operation in flight, from Begin to End.
type Op struct {
	c       *Coordinator
	scope   Scope
	kind    Kind
	waiting bool
	once    sync.Once
}

// Begin registers an operation of kind on scope; call End when it returns
// to Terraform.
func (c *Coordinator) Begin(scope Scope, kind Kind) *Op {
	o := &Op{c: c, scope: scope, kind: kind}
	c.mu.Lock()
	c.ops[o] = struct{}{}
	c.mu.Unlock()
	return o
}

// End unregisters the operation and wakes every wait.
func (o *Op) End() {
	o.once.Do(func() {
		c := o.c
		c.mu.Lock()
		delete(c.ops, o)
		now := c.now()
		c.ends++
		c.ended[opKey{o.scope, o.kind}] = ending{at: now, seq: c.ends}
		if len(c.ended) > maxEnded {
			// One entry per user otherwise: keep only what a window can ask for.
			for k, e := range c.ended {
				if now.Sub(e.at) > maxWindow {
					delete(c.ended, k)
				}
			}
		}
		c.wakeLocked()
		c.mu.Unlock()
	})
}

// wakeLocked tells every wait that the register changed.
func (c *Coordinator) wakeLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// setWaiting marks the operation as waiting (it cannot unblock anyone) or
// working again.
func (o *Op) setWaiting(w bool) {
	c := o.c
	c.mu.Lock()
	o.waiting = w
	c.wakeLocked()
	c.mu.Unlock()
}

// Blocker says what can end a wait: UnderWay reports whether such an
// operation is in flight and not waiting (or Graph is still taking in one
// that ended), EndedSince whether one ended after a mark.
type Blocker struct {
	UnderWay   func() bool
	EndedSince func(mark) bool
}

// mark is a point in the order of ends.
type mark uint64

func (c *Coordinator) mark() mark {
	c.mu.Lock()
	defer c.mu.Unlock()
	return mark(c.ends)
}

// OtherWorking is under way while another operation of this process on
// the same Graph endpoint, of any kind and scope, is in flight and not
// waiting: the operation a wait
// needs may be running, or queued by Terraform behind it. That is how a
// wait for a resource that has not started yet (alternateMobile for its
// mobile) lasts while the apply makes progress, and ends when it cannot.
// Any operation ending may have been the one.
func (o *Op) OtherWorking() Blocker {
	c := o.c
	return Blocker{
		UnderWay: func() bool {
			return c.working(func(p *Op) bool { return p != o && p.scope.endpoint == o.scope.endpoint })
		},
		EndedSince: func(m mark) bool {
			c.mu.Lock()
			defer c.mu.Unlock()
			return c.ends > uint64(m)
		},
	}
}

// OtherWorkingOn is under way while another operation of kind on the op's
// own scope is in flight and not waiting.
func (o *Op) OtherWorkingOn(kind Kind) Blocker {
	c := o.c
	return Blocker{
		UnderWay: func() bool {
			return c.working(func(p *Op) bool { return p != o && p.scope == o.scope && p.kind == kind })
		},
		EndedSince: c.endedSince(o.scope, kind),
	}
}

// RunningOrEndedWithin is under way while an operation of kind on scope is
// in flight, or for window after the last one ended: Graph takes a while
// to apply some writes everywhere (a policy change reaching sign-in).
func (c *Coordinator) RunningOrEndedWithin(scope Scope, kind Kind, window time.Duration) Blocker {
	window = min(window, maxWindow)
	return Blocker{
		UnderWay: func() bool {
			if c.working(func(p *Op) bool { return p.scope == scope && p.kind == kind }) {
				return true
			}
			c.mu.Lock()
			defer c.mu.Unlock()
			last, ok := c.ended[opKey{scope, kind}]
			return ok && c.now().Sub(last.at) < window
		},
		EndedSince: c.endedSince(scope, kind),
	}
}

func (c *Coordinator) endedSince(scope Scope, kind Kind) func(mark) bool {
	return func(m mark) bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.ended[opKey{scope, kind}].seq > uint64(m)
	}
}

// working reports whether an operation that match accepts is in flight and
// not waiting.
func (c *Coordinator) working(match func(*Op) bool) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for p := range c.ops {
		if !p.waiting && match(p) {
			return true
		}
	}
	return false
}

// lock is a one-slot semaphore, so waiting for it can honour a context.
type lock struct {
	sem  chan struct{}
	refs int
}

// Lock serialises the Graph writes on one scope: Graph's phone rules are
// per user (one phone per type, mobile before alternateMobile), so two
// resources of one user must not race; different users never wait for
// each other. A holder never waits for another operation while holding it.
func (c *Coordinator) Lock(ctx context.Context, scope Scope) (unlock func(), err error) {
	c.mu.Lock()
	l := c.locks[scope]
	if l == nil {
		l = &lock{sem: make(chan struct{}, 1)}
		c.locks[scope] = l
	}
	l.refs++
	c.mu.Unlock()

	release := func() {
		c.mu.Lock()
		if l.refs--; l.refs == 0 {
			delete(c.locks, scope)
		}
		c.mu.Unlock()
	}
	select {
	case l.sem <- struct{}{}:
	case <-ctx.Done():
		release()
		return nil, ctx.Err()
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			<-l.sem
			release()
		})
	}, nil
}
