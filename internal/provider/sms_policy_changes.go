package provider

import (
	"context"
	"strings"
	"sync"
	"time"
)

// A change of the SMS authentication method policy takes a while to reach
// sign-in: right after it, enableSmsSignIn may still be refused as not
// allowed by policy. So that a configuration that changes the policy and
// enables SMS sign-in for phones converges in one apply without depends_on,
// phone methods of this provider process that are refused by policy wait
// and retry while this provider is changing the policy, and for
// smsPolicyPropagation after it changed it. Outside that window a refusal
// fails at once, as before.
const (
	// smsPolicyPropagation is a choice: Microsoft documents no figure for
	// how long a policy change takes to reach sign-in; two minutes is well
	// within the default five-minute create and update timeouts.
	smsPolicyPropagation = 2 * time.Minute
	// smsPolicyChangeStart is how long a refused phone waits for a policy
	// change to start in this process: Terraform starts the policy and the
	// phones of one apply at the same moment, so the phone's refusal may
	// come before the policy resource has begun.
	smsPolicyChangeStart = 2 * time.Second
	smsPolicyPollStart   = 500 * time.Millisecond
	smsPolicyPollMax     = 5 * time.Second
)

// policyChanges records, per Graph endpoint, the policy writes of this
// provider process: how many are running and when the last one ended.
type policyChanges struct {
	mu       sync.Mutex
	running  map[string]int
	lastDone map[string]time.Time
}

// smsPolicyChanges is shared by every resource instance in the process.
var smsPolicyChanges = &policyChanges{running: map[string]int{}, lastDone: map[string]time.Time{}}

// begin records a policy write on endpoint; done ends it.
func (p *policyChanges) begin(endpoint string) (done func()) {
	key := strings.ToLower(endpoint)
	p.mu.Lock()
	p.running[key]++
	p.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			p.mu.Lock()
			p.running[key]--
			p.lastDone[key] = time.Now()
			p.mu.Unlock()
		})
	}
}

// mayStillPropagate reports whether a policy write on endpoint is running
// or ended less than smsPolicyPropagation before now.
func (p *policyChanges) mayStillPropagate(endpoint string, now time.Time) bool {
	key := strings.ToLower(endpoint)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.running[key] > 0 {
		return true
	}
	last, ok := p.lastDone[key]
	return ok && now.Sub(last) < smsPolicyPropagation
}

// awaitPropagation decides whether a refusal by policy is worth retrying:
// true while a change of this process may still be propagating, also when
// one starts within smsPolicyChangeStart; false at once otherwise, or when
// ctx ends.
func (p *policyChanges) awaitPropagation(ctx context.Context, endpoint string) bool {
	deadline := time.Now().Add(smsPolicyChangeStart)
	for {
		if p.mayStillPropagate(endpoint, time.Now()) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(100 * time.Millisecond):
		}
	}
}
