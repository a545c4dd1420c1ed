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
