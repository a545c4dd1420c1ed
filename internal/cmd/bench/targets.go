package main

import (
	"fmt"
	"net/http"
)

// Thresholds from the issue. They are printed beside the figures, never
// asserted: a benchmark measures, a missed target is a finding.
const (
	maxRefreshGETs         = 1.0
	maxCreateRequests      = 3.0 // with SMS sign-in
	maxCreateRequestsNoSMS = 1.0
	maxUpdatePATCH         = 1.0
	maxUpdateGETs          = 1.0
	maxDestroyDELETE       = 1.0
	maxWallOverFloor       = 1.3
	wallTargetMinN         = 1000 // the wall target is stated for N = 1,000
	minBudgetUse           = 0.9
	maxBinaryBytes         = 40_000_000
	maxStartupMS           = 50.0
	maxPlanWallOverFloor   = 1.15 // issue 14: refresh at N >= 1,000
	maxRefreshPeakBytes    = 64_000_000
	maxRefreshPeakSpread   = 0.10 // peak RSS flat within 10% across N
	maxRefreshCPUPerResMS  = 2.0
	maxDriftOverClean      = 1.3
	statusMet              = "MET"
	statusMissed           = "MISSED"
	statusNotApplicable    = "n/a"
)

// target is one line of the targets table.
type target struct {
	Name     string `json:"name"`
	Target   string `json:"target"`
	Measured string `json:"measured"`
	Status   string `json:"status"` // MET, MISSED or n/a (not measured)
}

func status(ok bool) string {
	if ok {
		return statusMet
	}
	return statusMissed
}

// evaluateTargets compares every measured figure with its target.
func evaluateTargets(r *results) []target {
	var out []target
	bigN := 0
	for _, o := range r.Ops {
		n := o.N
		c := o.ApplyReqs
		switch o.Op {
		case opPlan:
			get := o.PlanReqs.perResourceOf(http.MethodGet, n)
			other := o.PlanReqs.Total - o.PlanReqs.ByMethod[http.MethodGet]
			out = append(out, target{
				Name: fmt.Sprintf("refresh, N=%d", n), Target: "1 GET per resource",
				Measured: o.PlanReqs.perResource(n),
				Status:   status(get <= maxRefreshGETs && other == 0),
			})
		case opCreate:
			per := float64(c.Total) / float64(n)
			out = append(out, target{
				Name: fmt.Sprintf("create with SMS sign-in, N=%d", n), Target: "<= 3 requests per resource",
				Measured: c.perResource(n), Status: status(per <= maxCreateRequests),
			})
		case opUpdate:
			patch, get := c.perResourceOf(http.MethodPatch, n), c.perResourceOf(http.MethodGet, n)
			other := c.Total - c.ByMethod[http.MethodPatch] - c.ByMethod[http.MethodGet]
			out = append(out, target{
				Name: fmt.Sprintf("number update, N=%d", n), Target: "1 PATCH + <= 1 GET per resource",
				Measured: c.perResource(n),
				Status:   status(patch <= maxUpdatePATCH && get <= maxUpdateGETs && other == 0),
			})
		case opCreateNoSMS:
			per := float64(c.Total) / float64(n)
			out = append(out, target{
				Name: fmt.Sprintf("create without SMS sign-in, N=%d", n), Target: "1 request per resource",
				Measured: c.perResource(n), Status: status(per <= maxCreateRequestsNoSMS),
			})
		case opDestroy, opDestroyNoSMS:
			del := c.perResourceOf(http.MethodDelete, n)
			other := c.Total - c.ByMethod[http.MethodDelete]
			out = append(out, target{
				Name: fmt.Sprintf("%s, N=%d", o.Op, n), Target: "1 DELETE per resource",
				Measured: c.perResource(n), Status: status(del <= maxDestroyDELETE && other == 0),
			})
		}
		if (o.Op == opCreate || o.Op == opPlan || o.Op == opUpdate) && n >= wallTargetMinN {
			out = append(out, target{
				Name: fmt.Sprintf("%s wall, N=%d", o.Op, n), Target: "<= 1.3x floor",
				Measured: fmt.Sprintf("%.2fx (%s / %s)", o.Ratio, fmtDur(o.Wall), fmtDur(o.Floor)),
				Status:   status(o.Ratio <= maxWallOverFloor),
			})
		}
		bigN = max(bigN, n)
	}
	out = append(out, refreshTargets(r)...)
	if len(r.Ops) > 0 && bigN < wallTargetMinN {
		out = append(out, target{Name: "apply and plan wall", Target: "<= 1.3x floor at N=1000",
			Measured: fmt.Sprintf("not measured (largest N is %d)", bigN), Status: statusNotApplicable})
	}
	for _, t := range r.Throttled {
		out = append(out, target{
			Name: fmt.Sprintf("throttled %s, N=%d", t.Op, t.N), Target: fmt.Sprintf(">= 90%% of %s budget, 0 failed", t.Budget),
			Measured: fmt.Sprintf("%.0f%% (%.1f of %.1f %ss/s), %d failed, exit %d", 100*t.BudgetUse, t.Achieved, t.BudgetRate, t.Budget, t.FailedInTenant, t.ExitCode),
			Status:   status(t.BudgetUse >= minBudgetUse && t.FailedInTenant == 0 && t.ExitCode == 0),
		})
	}
	if r.Startup.SizeBytes > 0 {
		out = append(out,
			target{Name: "provider binary size", Target: "< 40 MB", Measured: formatBytes(r.Startup.SizeBytes), Status: status(r.Startup.SizeBytes < maxBinaryBytes)},
			target{Name: "provider start-up (to handshake)", Target: "< 50 ms", Measured: fmt.Sprintf("%.1f ms median", r.Startup.MedianMS), Status: status(r.Startup.MedianMS < maxStartupMS)},
		)
	}
	return out
}

// refreshTargets are issue 14's: a no-change plan's provider memory flat in
// N and small, its provider CPU per resource, its wall against the floor
// at N >= 1,000, and drift plans about as fast as clean ones.
func refreshTargets(r *results) []target {
	var out []target
	var lo, hi int64
	var loN, hiN int
	for _, o := range r.Ops {
		if o.Op != opPlan {
			continue
		}
		out = append(out, target{
			Name: fmt.Sprintf("refresh provider CPU, N=%d", o.N), Target: "<= 2 ms per resource",
			Measured: fmt.Sprintf("%.2f ms (%s)", o.Provider.perResourceMS(o.N), fmtDur(o.Provider.CPU)),
			Status:   status(o.Provider.perResourceMS(o.N) <= maxRefreshCPUPerResMS),
		})
		if o.N >= wallTargetMinN {
			out = append(out, target{
				Name: fmt.Sprintf("refresh wall, N=%d", o.N), Target: "<= 1.15x floor",
				Measured: fmt.Sprintf("%.3fx (%s / %s)%s", o.Ratio, fmtDur(o.Wall), fmtDur(o.Floor), o.roundsNote()),
				Status:   status(o.Ratio <= maxPlanWallOverFloor),
			})
		}
		if lo == 0 || o.Provider.PeakBytes < lo {
			lo, loN = o.Provider.PeakBytes, o.N
		}
		if o.Provider.PeakBytes > hi {
			hi, hiN = o.Provider.PeakBytes, o.N
		}
	}
	if hi > 0 {
		spread := float64(hi-lo) / float64(lo)
		out = append(out, target{
			Name: "refresh peak RSS across N", Target: "< 64 MB, flat within 10%",
			Measured: fmt.Sprintf("%s (N=%d) to %s (N=%d), +%.0f%%", formatBytes(lo), loN, formatBytes(hi), hiN, 100*spread),
			Status:   status(hi < maxRefreshPeakBytes && spread <= maxRefreshPeakSpread),
		})
	}
	for _, c := range []struct{ drift, clean, name string }{
		{driftRecent, driftCleanRecent, "drift plan just after apply"},
		{driftSettled, driftCleanSettled, "drift plan, marker cleared"},
		{driftDataChanged, driftDataClean, "terraform_data changed plan (Terraform's share)"},
	} {
		if q, ok := driftRatio(r.Drift, "", c.drift, c.clean); ok {
			t := target{Name: c.name, Target: "<= 1.3x clean plan", Measured: fmt.Sprintf("%.2fx", q), Status: status(q <= maxDriftOverClean)}
			if c.drift == driftDataChanged {
				t.Target, t.Status = "(reference)", statusNotApplicable
			}
			out = append(out, t)
		}
	}
	return out
}
