package provider

import (
	"context"
	"strings"
	"sync"
)

// userLocks serialises the Graph writes of one user. Graph's phone rules are
// per user (one phone per type, mobile before alternateMobile, no mobile
// delete while an alternateMobile exists), so two resources of the same user
// must not race; different users never wait for each other.
type userLocks struct {
	mu    sync.Mutex
	locks map[string]*userLock
}

type userLock struct {
	sem  chan struct{} // a one-slot semaphore, so waiting can honour ctx
	refs int
}

// phoneMethodLocks is shared by every resource instance in the provider
// process: aliases of one tenant get separate clients but must share locks.
var phoneMethodLocks = &userLocks{locks: map[string]*userLock{}}

// userLockKey names a user of one Graph endpoint. A user referenced once by
// object id and once by UPN gets two keys: the provider cannot tell they are
// the same without an extra lookup, and Graph's own rules still apply.
func userLockKey(graphEndpoint, userID string) string {
	return strings.ToLower(graphEndpoint) + " " + strings.ToLower(userID)
}

// lock waits for the user's lock, or for ctx to end.
func (l *userLocks) lock(ctx context.Context, key string) (unlock func(), err error) {
	l.mu.Lock()
	ul := l.locks[key]
	if ul == nil {
		ul = &userLock{sem: make(chan struct{}, 1)}
		l.locks[key] = ul
	}
	ul.refs++
	l.mu.Unlock()

	release := func() {
		l.mu.Lock()
		ul.refs--
		if ul.refs == 0 {
			delete(l.locks, key)
		}
		l.mu.Unlock()
	}
	select {
	case ul.sem <- struct{}{}:
	case <-ctx.Done():
		release()
		return nil, ctx.Err()
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			<-ul.sem
			release()
		})
	}, nil
}
