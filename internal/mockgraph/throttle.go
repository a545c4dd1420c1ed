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

// ReadBudget is the per-tenant token bucket for reads (every GET), apart
// from the write budget: Graph's identity limits count reads too, and a
// refresh of a large state meets 429 on GET. Same fields and JSON as
// WriteBudget; scale it down in tests, e.g. {Capacity: 10, Window: time.Second}.
type ReadBudget struct {
	Disabled bool     `json:"disabled,omitempty"`
	Capacity int      `json:"capacity"`
	Window   Duration `json:"window"`
}

// GraphReadBudget is the mock's default read budget: 3,500 reads per 10
// seconds (350/s) per tenant. Microsoft documents no read figure for the
// phone methods routes; the identity and access limits count reads in
// resource units with a quota per application and tenant of 3,500 (tenants
// under 50 users), 5,000 or 8,000 per 10 seconds, and a GET costs at least
// one unit. The mock takes the smallest bucket at one unit per GET: a
// choice, not a documented figure (see FIDELITY.md).
var GraphReadBudget = ReadBudget{Capacity: 3500, Window: Duration(10 * time.Second)}

// The request log's Fault for a 429 answered by a budget (not by a throttle
// fault): the write budget or the read budget ran dry.
const (
	FaultWriteBudget = "write_budget"
	FaultReadBudget  = "read_budget"
)

type bucket struct {
	tokens float64
	last   time.Time
}

// throttle keeps one bucket per tenant for one kind of call (the server
// has one for writes and one for reads).
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

// take spends one token of the tenant; when the bucket is empty it
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
