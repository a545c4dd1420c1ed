package mockgraph

import (
	"math"
	"strings"
	"sync"
	"time"
)

// WriteBudget is the per-tenant token bucket for writes, shaped like
// Graph's identity limit: Capacity writes, refilled evenly over Window
// (Graph: 18,000 writes per 5 minutes, i.e. 60 writes/s). Scale it down in
// tests, e.g. {Capacity: 5, Window: time.Second}.
type WriteBudget struct {
	Disabled bool     `json:"disabled,omitempty"`
	Capacity int      `json:"capacity"`
	Window   Duration `json:"window"`
}

// GraphWriteBudget is the documented per-tenant write budget.
var GraphWriteBudget = WriteBudget{Capacity: 18000, Window: Duration(5 * time.Minute)}

type bucket struct {
	tokens float64
	last   time.Time
}

// throttle keeps one bucket per tenant.
type throttle struct {
	mu      sync.Mutex
	budget  WriteBudget
	buckets map[string]*bucket
	now     func() time.Time
}

func newThrottle(b WriteBudget) *throttle {
	return &throttle{budget: b, buckets: map[string]*bucket{}, now: time.Now}
}

// setBudget replaces the budget and refills every bucket.
func (th *throttle) setBudget(b WriteBudget) {
	th.mu.Lock()
	defer th.mu.Unlock()
	th.budget = b
	th.buckets = map[string]*bucket{}
}

func (th *throttle) get() WriteBudget {
	th.mu.Lock()
	defer th.mu.Unlock()
	return th.budget
}

// take spends one write token of the tenant; when the bucket is empty it
// returns how long until a token is back (rounded up to whole seconds, at
// least 1, as Retry-After carries seconds).
func (th *throttle) take(tenantID string) (bool, int) {
	th.mu.Lock()
	defer th.mu.Unlock()
	b := th.budget
	if b.Disabled || b.Capacity <= 0 || b.Window <= 0 {
		return true, 0
	}
	now := th.now()
	rate := float64(b.Capacity) / time.Duration(b.Window).Seconds()
	k := strings.ToLower(tenantID)
	bk := th.buckets[k]
	if bk == nil {
		bk = &bucket{tokens: float64(b.Capacity), last: now}
		th.buckets[k] = bk
	}
	bk.tokens = math.Min(float64(b.Capacity), bk.tokens+now.Sub(bk.last).Seconds()*rate)
	bk.last = now
	if bk.tokens >= 1 {
		bk.tokens--
		return true, 0
	}
	wait := math.Ceil((1 - bk.tokens) / rate)
	return false, int(math.Max(1, wait))
}
