package main

import (
	"context"
	"fmt"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// The budget an operation of the throttled scenario spends.
const (
	budgetWrite = "write"
	budgetRead  = "read"
)

// throttleResult is one operation under a scaled-down budget: create and
// destroy spend the write budget, the refresh (a no-change plan) the read
// budget. Calls, span and rates are of the budget's kind only.
type throttleResult struct {
	N          int           `json:"n"`
	Op         string        `json:"op"`
	Budget     string        `json:"budget"` // "write" or "read"
	Capacity   int           `json:"budget_capacity"`
	Window     time.Duration `json:"-"`
	WindowS    float64       `json:"budget_window_s"`
	BudgetRate float64       `json:"budget_per_s"`

	Wall      time.Duration `json:"-"`
	WallMS    float64       `json:"wall_ms"`
	OK        int           `json:"calls_ok"` // successful writes (write budget) or reads (read budget)
	Throttled int           `json:"responses_429"`
	Span      time.Duration `json:"-"`
	SpanS     float64       `json:"span_s"`
	Achieved  float64       `json:"achieved_per_s"`
	BudgetUse float64       `json:"budget_use"` // calls / (capacity + rate x span)

	ExitCode int      `json:"exit_code"`
	Errors   []string `json:"errors,omitempty"`
	// FailedInTenant: create and destroy, users whose phone is not as
	// configured afterwards; refresh, resources whose read failed (an
	// "Error:" each) or any change the plan proposed.
	FailedInTenant int       `json:"failed_resources"`
	Requests       reqCounts `json:"requests"` // the apply (create, destroy) or the plan (refresh)
}

// newThrottleResult fills in the budget and the rates from the step's
// request counts.
func newThrottleResult(n int, op, kind string, b mockgraph.WriteBudget, wall time.Duration, st step) throttleResult {
	window := time.Duration(b.Window)
	rate := float64(b.Capacity) / window.Seconds()
	r := throttleResult{
		N: n, Op: op, Budget: kind, Capacity: b.Capacity, Window: window, WindowS: window.Seconds(), BudgetRate: rate,
		Wall: wall, Throttled: st.Reqs.Throttled, ExitCode: st.Result.ExitCode, Errors: st.Result.Errors, Requests: st.Reqs,
	}
	r.OK, r.Span = st.Reqs.Writes, st.Reqs.WriteSpan
	if kind == budgetRead {
		r.OK, r.Span = st.Reqs.Reads, st.Reqs.ReadSpan
	}
	r.WallMS, r.SpanS = ms(r.Wall), r.Span.Seconds()
	r.Achieved = writesPerSecond(r.OK, r.Span)
	r.BudgetUse = budgetUse(r.OK, b.Capacity, rate, r.Span)
	return r
}

func (r throttleResult) print() {
	fmt.Printf("  throttled %s N=%d: %d %ss in %.1fs = %.1f/s (%s budget %.1f/s, %.0f%% used), %d x 429, exit %d, %d failed\n",
		r.Op, r.N, r.OK, r.Budget, r.SpanS, r.Achieved, r.Budget, r.BudgetRate, 100*r.BudgetUse, r.Throttled, r.ExitCode, r.FailedInTenant)
}

// runThrottled applies n phones with the write budget scaled down,
// refreshes them (a no-change plan) with the read budget scaled down, and
// destroys them under the write budget again; then puts Graph's budgets
// back. The read budget binds the refresh only, so the other steps' reads
// (the destroy's refresh) meet Graph's read budget as in the unthrottled
// operations. Failures are results here, not errors: the figures say how
// many resources failed.
func runThrottled(ctx context.Context, s *scenario) ([]throttleResult, error) {
	wb := mockgraph.WriteBudget{Capacity: s.cfg.ThrottleCapacity, Window: mockgraph.Duration(s.cfg.ThrottleWindow)}
	rb := mockgraph.ReadBudget{Capacity: s.cfg.ThrottleReadCapacity, Window: mockgraph.Duration(s.cfg.ThrottleReadWindow)}
	s.srv.SetWriteBudget(wb)
	defer s.srv.SetWriteBudget(mockgraph.GraphWriteBudget)
	defer s.srv.SetReadBudget(mockgraph.GraphReadBudget)

	if err := writeConfig(s.provider.dir, entraauthConfig, s.n, 0); err != nil {
		return nil, err
	}
	var out []throttleResult
	for _, op := range []string{opCreate, opRefresh, opDestroy} {
		var r throttleResult
		if op == opRefresh {
			st, err := s.throttledRefresh(ctx, rb)
			if ctx.Err() != nil {
				return out, ctx.Err()
			}
			if err != nil {
				return out, fmt.Errorf("throttled %s: %w", op, err)
			}
			r = newThrottleResult(s.n, op, budgetRead, mockgraph.WriteBudget(rb), st.Result.Wall, st)
			r.FailedInTenant = len(r.Errors)
			if r.ExitCode == 1 {
				r.FailedInTenant = max(r.FailedInTenant, 1)
			}
			if r.ExitCode == 2 {
				r.Errors = append(r.Errors, "the plan after the refresh is not empty (exit 2)")
				r.FailedInTenant = max(r.FailedInTenant, 1)
			}
			if st.Reqs.Writes > 0 || st.Reqs.Total-st.Reqs.ByMethod["GET"] > 0 {
				r.Errors = append(r.Errors, fmt.Sprintf("the refresh made %d calls other than GET", st.Reqs.Total-st.Reqs.ByMethod["GET"]))
			}
		} else {
			var planArgs []string
			if op == opDestroy {
				planArgs = []string{"-destroy"}
			}
			plan, apply, err := s.mutate(ctx, s.provider, op, planArgs...)
			if ctx.Err() != nil {
				return out, ctx.Err()
			}
			if plan.Result.ExitCode != 0 {
				// Without a plan there is nothing to measure.
				return out, fmt.Errorf("throttled %s: %w", op, err)
			}
			r = newThrottleResult(s.n, op, budgetWrite, wb, plan.Result.Wall+apply.Result.Wall, apply)
		}
		with, ready, total, err := mobileState(s.srv, s.n, func(i int) string { return phoneNumber(0, i) })
		if err != nil {
			return out, err
		}
		switch op {
		case opCreate:
			r.FailedInTenant = s.n - min(with, ready)
		case opRefresh:
			// A refresh changes nothing in Graph.
			if missing := s.n - min(with, ready); missing > 0 {
				r.Errors = append(r.Errors, fmt.Sprintf("%d users lost their mobile during a refresh", missing))
				r.FailedInTenant += missing
			}
		case opDestroy:
			r.FailedInTenant = total
		}
		r.print()
		out = append(out, r)
	}
	return out, nil
}

// throttledRefresh runs a no-change plan (every resource refreshed) with
// the read budget scaled down to rb; Graph's read budget is back afterwards.
func (s *scenario) throttledRefresh(ctx context.Context, rb mockgraph.ReadBudget) (step, error) {
	s.srv.SetReadBudget(rb)
	defer s.srv.SetReadBudget(mockgraph.GraphReadBudget)
	st, err := s.runStep(ctx, s.provider, append([]string{"plan", "-detailed-exitcode"}, s.flags()...)...)
	if err != nil {
		return st, err
	}
	// Exit 2 (a diff) is a result; exit 1 too: its errors are counted.
	return st, nil
}
