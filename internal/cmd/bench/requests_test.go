package main

import (
	"testing"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

func TestCountRequests(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	entries := []mockgraph.RequestLogEntry{
		{Time: t0, Method: "POST", Operation: "create", Status: 201, Duration: 20 * time.Millisecond},
		{Time: t0.Add(time.Second), Method: "POST", Operation: "enableSmsSignIn", Status: 429, Duration: time.Millisecond},
		{Time: t0.Add(2 * time.Second), Method: "post", Operation: "enableSmsSignIn", Status: 204, Duration: 20 * time.Millisecond},
		{Time: t0.Add(3 * time.Second), Method: "GET", Operation: "get", Status: 200, Duration: 20 * time.Millisecond},
		{Time: t0.Add(4 * time.Second), Method: "GET", Operation: "", Status: 404},
	}
	c := countRequests(entries)
	if c.Total != 5 || c.ByMethod["POST"] != 3 || c.ByMethod["GET"] != 2 {
		t.Errorf("totals: %+v", c)
	}
	if c.ByOp["enableSmsSignIn"] != 2 || c.ByOp["unrouted"] != 1 {
		t.Errorf("by operation: %v", c.ByOp)
	}
	if c.Failed != 2 || c.Throttled != 1 {
		t.Errorf("failed %d throttled %d, want 2 and 1", c.Failed, c.Throttled)
	}
	// Two successful writes; the span runs from the first write's start to
	// the end of the last successful one (reads do not count).
	if c.Writes != 2 || c.WriteSpan != 2*time.Second+20*time.Millisecond {
		t.Errorf("writes %d span %s", c.Writes, c.WriteSpan)
	}
	// One successful read (the 404 is not): the read span is that read.
	if c.Reads != 1 || c.ReadSpan != 20*time.Millisecond {
		t.Errorf("reads %d span %s", c.Reads, c.ReadSpan)
	}
}

// TestCountRequestsThrottledReads: a refresh under the read budget, whose
// span runs from the first GET (refused or not) to the last successful one.
func TestCountRequestsThrottledReads(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	entries := []mockgraph.RequestLogEntry{
		{Time: t0, Method: "GET", Operation: "get", Status: 429, Duration: time.Millisecond, Fault: mockgraph.FaultReadBudget},
		{Time: t0.Add(100 * time.Millisecond), Method: "GET", Operation: "get", Status: 200, Duration: 10 * time.Millisecond},
		{Time: t0.Add(time.Second), Method: "GET", Operation: "get", Status: 200, Duration: 10 * time.Millisecond},
		{Time: t0.Add(3 * time.Second), Method: "GET", Operation: "get", Status: 429, Duration: time.Millisecond, Fault: mockgraph.FaultReadBudget},
	}
	c := countRequests(entries)
	if c.Reads != 2 || c.Throttled != 2 || c.Writes != 0 || c.WriteSpan != 0 {
		t.Errorf("counts %+v", c)
	}
	if c.ReadSpan != time.Second+10*time.Millisecond {
		t.Errorf("read span %s, want 1.01s", c.ReadSpan)
	}
	if sum := c.add(c); sum.Reads != 4 || sum.ReadSpan != 2*c.ReadSpan {
		t.Errorf("add: %+v", sum)
	}
}

func TestCountRequestsEmpty(t *testing.T) {
	c := countRequests(nil)
	if c.Total != 0 || c.WriteSpan != 0 || c.perResource(10) != "none" {
		t.Errorf("empty log: %+v %q", c, c.perResource(10))
	}
}

func TestPerResource(t *testing.T) {
	c := reqCounts{Total: 450, ByMethod: map[string]int{"PATCH": 100, "GET": 200, "POST": 100, "PUT": 50}}
	if got, want := c.perResource(100), "GET 2.00 POST 1.00 PATCH 1.00 PUT 0.50"; got != want {
		t.Errorf("perResource = %q, want %q", got, want)
	}
	if got := c.perResourceOf("GET", 100); got != 2 {
		t.Errorf("perResourceOf(GET) = %v", got)
	}
}

func TestAdd(t *testing.T) {
	a := reqCounts{Total: 2, ByMethod: map[string]int{"GET": 2}, ByOp: map[string]int{"get": 2}}
	b := reqCounts{Total: 3, ByMethod: map[string]int{"GET": 1, "PATCH": 2}, ByOp: map[string]int{"get": 1, "update": 2}, Writes: 2, WriteSpan: time.Second}
	s := a.add(b)
	if s.Total != 5 || s.ByMethod["GET"] != 3 || s.ByMethod["PATCH"] != 2 || s.ByOp["update"] != 2 || s.Writes != 2 || s.WriteSpan != time.Second {
		t.Errorf("add = %+v", s)
	}
	if a.ByMethod["GET"] != 2 {
		t.Errorf("add changed its receiver: %v", a.ByMethod)
	}
}
