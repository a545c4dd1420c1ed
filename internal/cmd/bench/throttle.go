package main

import (
	"context"
	"fmt"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// throttleResult is one write-heavy operation under a scaled-down budget.
type throttleResult struct {
	N          int           `json:"n"`
	Op         string        `json:"op"`
	Capacity   int           `json:"budget_capacity"`
	Window     time.Duration `json:"-"`
	WindowS    float64       `json:"budget_window_s"`
	BudgetRate float64       `json:"budget_writes_per_s"`

	Wall       time.Duration `json:"-"`
	WallMS     float64       `json:"wall_ms"`
	Writes     int           `json:"writes_ok"`
	Throttled  int           `json:"responses_429"`
	WriteSpan  time.Duration `json:"-"`
	WriteSpanS float64       `json:"write_span_s"`
	Achieved   float64       `json:"achieved_writes_per_s"`
	BudgetUse  float64       `json:"budget_use"` // writes / (capacity + rate x span)

	ExitCode       int       `json:"apply_exit_code"`
	Errors         []string  `json:"errors,omitempty"`
	FailedInTenant int       `json:"failed_resources"` // users whose phone is not as configured afterwards
	Requests       reqCounts `json:"apply_step_requests"`
}

// runThrottled applies and destroys n phones with the write budget scaled
// down, then puts Graph's budget back. Failures are results here, not
// errors: the figures say how many resources failed.
func runThrottled(ctx context.Context, s *scenario) ([]throttleResult, error) {
	b := mockgraph.WriteBudget{Capacity: s.cfg.ThrottleCapacity, Window: mockgraph.Duration(s.cfg.ThrottleWindow)}
	s.srv.SetWriteBudget(b)
	defer s.srv.SetWriteBudget(mockgraph.GraphWriteBudget)
	rate := float64(b.Capacity) / s.cfg.ThrottleWindow.Seconds()

	if err := writeConfig(s.provider.dir, entraauthConfig, s.n, 0); err != nil {
		return nil, err
	}
	var out []throttleResult
	for _, op := range []string{opCreate, opDestroy} {
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
		r := throttleResult{
			N: s.n, Op: op, Capacity: b.Capacity, Window: s.cfg.ThrottleWindow, WindowS: s.cfg.ThrottleWindow.Seconds(), BudgetRate: rate,
			Wall: plan.Result.Wall + apply.Result.Wall, Writes: apply.Reqs.Writes, Throttled: apply.Reqs.Throttled,
			WriteSpan: apply.Reqs.WriteSpan, ExitCode: apply.Result.ExitCode, Errors: apply.Result.Errors, Requests: apply.Reqs,
		}
		r.WallMS, r.WriteSpanS = ms(r.Wall), r.WriteSpan.Seconds()
		r.Achieved = writesPerSecond(r.Writes, r.WriteSpan)
		r.BudgetUse = budgetUse(r.Writes, b.Capacity, rate, r.WriteSpan)
		with, ready, total, err := mobileState(s.srv, s.n, func(i int) string { return phoneNumber(0, i) })
		if err != nil {
			return out, err
		}
		if op == opCreate {
			r.FailedInTenant = s.n - min(with, ready)
		} else {
			r.FailedInTenant = total
		}
		fmt.Printf("  throttled %s N=%d: %d writes in %.1fs = %.1f/s (budget %.1f/s, %.0f%% used), %d x 429, exit %d, %d failed\n",
			op, s.n, r.Writes, r.WriteSpanS, r.Achieved, rate, 100*r.BudgetUse, r.Throttled, r.ExitCode, r.FailedInTenant)
		out = append(out, r)
	}
	return out, nil
}
