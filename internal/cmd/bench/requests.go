package main

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// reqCounts are the Graph calls of one terraform command, from the mock's
// request log (which holds Graph calls only: token requests are counted by
// the authority counter).
type reqCounts struct {
	Total     int            `json:"total"`
	ByMethod  map[string]int `json:"by_method"`
	ByOp      map[string]int `json:"by_operation"`
	Failed    int            `json:"failed"`    // non-2xx answers, 429s included
	Throttled int            `json:"throttled"` // 429s

	// Successful writes and the span from the first write's start to the
	// last successful write's end, for the throttled scenario; the same for
	// reads (GET), for its refresh under the read budget.
	Writes    int           `json:"writes_ok"`
	WriteSpan time.Duration `json:"-"`
	Reads     int           `json:"reads_ok"`
	ReadSpan  time.Duration `json:"-"`
}

// span tracks the first start and last successful end of one kind of call.
type span struct{ first, last time.Time }

func (s *span) add(e mockgraph.RequestLogEntry, ok bool) {
	if s.first.IsZero() || e.Time.Before(s.first) {
		s.first = e.Time
	}
	if ok {
		if end := e.Time.Add(e.Duration); end.After(s.last) {
			s.last = end
		}
	}
}

func (s span) length() time.Duration {
	if s.last.IsZero() {
		return 0
	}
	return s.last.Sub(s.first)
}

// countRequests summarises log entries.
func countRequests(entries []mockgraph.RequestLogEntry) reqCounts {
	c := reqCounts{ByMethod: map[string]int{}, ByOp: map[string]int{}}
	var writes, reads span
	for _, e := range entries {
		c.Total++
		c.ByMethod[strings.ToUpper(e.Method)]++
		op := e.Operation
		if op == "" {
			op = "unrouted"
		}
		c.ByOp[op]++
		ok := e.Status >= 200 && e.Status < 300
		if !ok {
			c.Failed++
		}
		if e.Status == http.StatusTooManyRequests {
			c.Throttled++
		}
		switch {
		case isWriteMethod(e.Method):
			writes.add(e, ok)
			if ok {
				c.Writes++
			}
		case strings.EqualFold(e.Method, http.MethodGet):
			reads.add(e, ok)
			if ok {
				c.Reads++
			}
		}
	}
	c.WriteSpan, c.ReadSpan = writes.length(), reads.length()
	return c
}

// isWriteMethod: every Graph write of this API is POST, PATCH or DELETE.
func isWriteMethod(m string) bool {
	switch strings.ToUpper(m) {
	case http.MethodPost, http.MethodPatch, http.MethodDelete, http.MethodPut:
		return true
	}
	return false
}

// add merges two commands' counts (plan -out and apply of one operation).
func (c reqCounts) add(o reqCounts) reqCounts {
	out := reqCounts{
		Total: c.Total + o.Total, Failed: c.Failed + o.Failed, Throttled: c.Throttled + o.Throttled,
		// Spans add up because the two commands run one after the other.
		Writes: c.Writes + o.Writes, WriteSpan: c.WriteSpan + o.WriteSpan,
		Reads: c.Reads + o.Reads, ReadSpan: c.ReadSpan + o.ReadSpan,
		ByMethod: map[string]int{}, ByOp: map[string]int{},
	}
	for _, m := range []map[string]int{c.ByMethod, o.ByMethod} {
		for k, v := range m {
			out.ByMethod[k] += v
		}
	}
	for _, m := range []map[string]int{c.ByOp, o.ByOp} {
		for k, v := range m {
			out.ByOp[k] += v
		}
	}
	return out
}

// methodOrder lists methods in the table's order.
var methodOrder = []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete}

// perResource renders counts divided by n, e.g. "GET 1.00 POST 2.00", or
// "none" when there were no calls.
func (c reqCounts) perResource(n int) string {
	if c.Total == 0 || n == 0 {
		return "none"
	}
	var parts []string
	seen := map[string]bool{}
	for _, m := range methodOrder {
		if v := c.ByMethod[m]; v > 0 {
			parts = append(parts, fmt.Sprintf("%s %.2f", m, float64(v)/float64(n)))
		}
		seen[m] = true
	}
	var rest []string
	for m := range c.ByMethod {
		if !seen[m] {
			rest = append(rest, m)
		}
	}
	sort.Strings(rest)
	for _, m := range rest {
		parts = append(parts, fmt.Sprintf("%s %.2f", m, float64(c.ByMethod[m])/float64(n)))
	}
	return strings.Join(parts, " ")
}

// perResourceOf is the number of calls with the method per resource.
func (c reqCounts) perResourceOf(method string, n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(c.ByMethod[method]) / float64(n)
}
