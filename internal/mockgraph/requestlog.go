package mockgraph

import (
	"strings"
	"sync"
	"time"
)

// RequestLogEntry is one Graph call as the mock saw it. Status 0 means no
// response was sent: a drop fault closed the connection after applying the
// request, or the client gave up during a latency fault's delay (Fault
// "latency"; nothing was applied). A slow_response entry has the status
// Graph answered, whether or not the client was still there to read it.
type RequestLogEntry struct {
	Time            time.Time     `json:"time"`
	Method          string        `json:"method"`
	Path            string        `json:"path"`
	Query           string        `json:"query,omitempty"`
	Operation       string        `json:"operation,omitempty"`
	Tenant          string        `json:"tenant,omitempty"`
	Status          int           `json:"status"`
	Duration        time.Duration `json:"-"`
	DurationMS      float64       `json:"duration_ms"`
	RequestID       string        `json:"request_id"`
	ClientRequestID string        `json:"client_request_id,omitempty"`
	Fault           string        `json:"fault,omitempty"`
}

// RequestLogFilter selects entries; zero fields match everything.
type RequestLogFilter struct {
	Method     string
	Operation  string
	PathPrefix string
	Status     int
	Since      time.Time
}

func (f RequestLogFilter) match(e *RequestLogEntry) bool {
	return (f.Method == "" || strings.EqualFold(f.Method, e.Method)) &&
		(f.Operation == "" || strings.EqualFold(f.Operation, e.Operation)) &&
		(f.PathPrefix == "" || strings.HasPrefix(strings.ToLower(e.Path), strings.ToLower(f.PathPrefix))) &&
		(f.Status == 0 || f.Status == e.Status) &&
		(f.Since.IsZero() || !e.Time.Before(f.Since))
}

// requestLog keeps the most recent entries (bounded so a long benchmark
// cannot exhaust memory).
type requestLog struct {
	mu      sync.Mutex
	entries []RequestLogEntry
	limit   int
}

func (l *requestLog) add(e RequestLogEntry) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.limit > 0 && len(l.entries) >= l.limit {
		// Drop the oldest half at once so appends stay amortised O(1).
		n := copy(l.entries, l.entries[len(l.entries)/2:])
		l.entries = l.entries[:n]
	}
	l.entries = append(l.entries, e)
}

func (l *requestLog) query(f RequestLogFilter) []RequestLogEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := []RequestLogEntry{}
	for i := range l.entries {
		if f.match(&l.entries[i]) {
			out = append(out, l.entries[i])
		}
	}
	return out
}

func (l *requestLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = nil
}
