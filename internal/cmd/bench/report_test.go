package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func counts(byMethod map[string]int) reqCounts {
	c := reqCounts{ByMethod: byMethod, ByOp: map[string]int{}}
	for _, v := range byMethod {
		c.Total += v
	}
	return c
}

// sample is a run at N=1000 where every request target is met and only
// the create wall ratio is missed.
func sample() *results {
	n := 1000
	return &results{
		Started: time.Date(2026, 11, 22, 11, 5, 0, 0, time.UTC), Terraform: "Terraform v1.11.4", Latency: "20ms", Parallelism: 10,
		Startup: startupStats{SizeBytes: 22_000_000, MedianMS: 11, RunsMS: []float64{11}},
		Ops: []opResult{
			{N: n, Op: opCreate, Wall: 20 * time.Second, Floor: 10 * time.Second, Ratio: 2, ApplyReqs: counts(map[string]int{"POST": 2000})},
			{N: n, Op: opPlan, Wall: 6 * time.Second, Floor: 5 * time.Second, Ratio: 1.2, PlanReqs: counts(map[string]int{"GET": 1000})},
			{N: n, Op: opUpdate, Wall: 12 * time.Second, Floor: 10 * time.Second, Ratio: 1.2, ApplyReqs: counts(map[string]int{"PATCH": 1000, "GET": 1000})},
			{N: n, Op: opDestroy, Wall: 9 * time.Second, Floor: 5 * time.Second, Ratio: 1.8, ApplyReqs: counts(map[string]int{"DELETE": 1000})},
			{N: n, Op: opCreateNoSMS, Wall: 9 * time.Second, Floor: 5 * time.Second, Ratio: 1.8, ApplyReqs: counts(map[string]int{"POST": 1000})},
		},
		Throttled: []throttleResult{
			{N: n, Op: opCreate, Budget: budgetWrite, Capacity: 60, Window: time.Second, BudgetRate: 60, BudgetUse: 0.95, Achieved: 58},
			{N: n, Op: opRefresh, Budget: budgetRead, Capacity: 100, Window: time.Second, BudgetRate: 100, BudgetUse: 0.93, Achieved: 97, OK: 1000, Throttled: 250},
		},
	}
}

func statusOf(t *testing.T, ts []target, name string) string {
	t.Helper()
	for _, tg := range ts {
		if tg.Name == name {
			return tg.Status
		}
	}
	t.Fatalf("no target %q in %+v", name, ts)
	return ""
}

func TestEvaluateTargets(t *testing.T) {
	r := sample()
	ts := evaluateTargets(r)
	want := map[string]string{
		"create with SMS sign-in, N=1000":    statusMet,
		"refresh, N=1000":                    statusMet,
		"number update, N=1000":              statusMet,
		"destroy, N=1000":                    statusMet,
		"create wall, N=1000":                statusMissed,
		"plan wall, N=1000":                  statusMet,
		"update wall, N=1000":                statusMet,
		"throttled create, N=1000":           statusMet,
		"throttled refresh, N=1000":          statusMet,
		"provider binary size":               statusMet,
		"provider start-up (to handshake)":   statusMet,
		"create without SMS sign-in, N=1000": statusMet,
	}
	for name, st := range want {
		if got := statusOf(t, ts, name); got != st {
			t.Errorf("%s: %s, want %s", name, got, st)
		}
	}
}

// Each target must be able to fail: break each figure and watch it flip.
func TestEvaluateTargetsMisses(t *testing.T) {
	r := sample()
	r.Ops[0].ApplyReqs = counts(map[string]int{"POST": 3000, "GET": 1})
	r.Ops[1].PlanReqs = counts(map[string]int{"GET": 1000, "POST": 1})
	r.Ops[2].ApplyReqs = counts(map[string]int{"PATCH": 1000, "GET": 1000, "POST": 1000})
	r.Ops[3].ApplyReqs = counts(map[string]int{"DELETE": 1000, "GET": 1000})
	r.Ops[4].ApplyReqs = counts(map[string]int{"POST": 1000, "GET": 1})
	r.Throttled[0].FailedInTenant = 1
	r.Throttled[1].FailedInTenant = 1
	r.Startup.SizeBytes = 40_000_000
	r.Startup.MedianMS = 50
	ts := evaluateTargets(r)
	for _, name := range []string{"create with SMS sign-in, N=1000", "refresh, N=1000", "number update, N=1000", "destroy, N=1000", "create without SMS sign-in, N=1000",
		"throttled create, N=1000", "throttled refresh, N=1000", "provider binary size", "provider start-up (to handshake)"} {
		if got := statusOf(t, ts, name); got != statusMissed {
			t.Errorf("%s: %s, want %s", name, got, statusMissed)
		}
	}
	r = sample()
	r.Throttled[0].BudgetUse = 0.89
	if got := statusOf(t, evaluateTargets(r), "throttled create, N=1000"); got != statusMissed {
		t.Errorf("throttled at 89%%: %s", got)
	}
	r = sample()
	r.Throttled[1].BudgetUse = 0.89
	if got := statusOf(t, evaluateTargets(r), "throttled refresh, N=1000"); got != statusMissed {
		t.Errorf("refresh at 89%% of the read budget: %s", got)
	}
	r = sample()
	r.Throttled[1].ExitCode = 2
	if got := statusOf(t, evaluateTargets(r), "throttled refresh, N=1000"); got != statusMissed {
		t.Errorf("refresh with a non-empty plan: %s", got)
	}
}

func TestEvaluateTargetsSmallN(t *testing.T) {
	r := sample()
	for i := range r.Ops {
		r.Ops[i].N = 20
	}
	ts := evaluateTargets(r)
	if got := statusOf(t, ts, "apply and plan wall"); got != statusNotApplicable {
		t.Errorf("wall target at N=20: %s, want n/a", got)
	}
	for _, tg := range ts {
		if strings.HasSuffix(tg.Name, "wall, N=20") {
			t.Errorf("wall target evaluated at N=20: %+v", tg)
		}
	}
}

func TestRenderTableAndWrite(t *testing.T) {
	r := sample()
	r.Targets = evaluateTargets(r)
	txt := renderTable(r)
	for _, want := range []string{"Terraform v1.11.4", "create", "POST 2.00", "GET 1.00", "MISSED", "create wall, N=1000", "throttled", "95%", "read 100/1s", "1000 reads", "93%", ">= 90% of read budget"} {
		if !strings.Contains(txt, want) {
			t.Errorf("table lacks %q:\n%s", want, txt)
		}
	}
	dir := t.TempDir()
	txtFile, jsonFile, err := writeResults(dir, r, txt)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(txtFile) != "20261122T110500Z.txt" {
		t.Errorf("txt file %s", txtFile)
	}
	b, err := os.ReadFile(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("JSON does not parse: %v", err)
	}
	if ops, _ := back["operations"].([]any); len(ops) != 5 {
		t.Errorf("JSON operations: %v", back["operations"])
	}
}

func TestFormatBytes(t *testing.T) {
	if got := formatBytes(22_188_297); got != "22.2 MB" {
		t.Errorf("formatBytes = %q", got)
	}
	if got := formatBytes(0); got != "-" {
		t.Errorf("formatBytes(0) = %q", got)
	}
}

// TestBeforeAfterTable: with -before-provider the earlier build's refresh
// and drift plans are paired with this build's, and only this build's
// figures feed the targets.
func TestBeforeAfterTable(t *testing.T) {
	r := sample()
	r.Ops = append(r.Ops, opResult{N: 1000, Op: opPlanBefore, Wall: 12 * time.Second, Floor: 5 * time.Second, Ratio: 2.4,
		PlanReqs: counts(map[string]int{"GET": 1000}), Provider: providerStats{PeakBytes: 134_700_000, CPU: 8 * time.Second}})
	r.Ops[1].Provider = providerStats{PeakBytes: 40_100_000, CPU: 1900 * time.Millisecond}
	r.Drift = []driftResult{
		{N: 100, Case: driftCleanRecent, Wall: time.Second}, {N: 100, Case: driftRecent, Wall: 1200 * time.Millisecond},
		{N: 100, Build: "before", Case: driftCleanRecent, Wall: time.Second}, {N: 100, Build: "before", Case: driftRecent, Wall: 8 * time.Second},
	}
	txt := renderTable(r)
	for _, want := range []string{
		"before/after: no-change plan (refresh) on the same state",
		"134.7 MB", "40.1 MB", "8.00 ms", "1.90 ms", "2.40", "1.20",
		"drift plan / clean plan just after apply: before 8.00x, after 1.20x",
	} {
		if !strings.Contains(txt, want) {
			t.Errorf("table lacks %q:\n%s", want, txt)
		}
	}
	if got := statusOf(t, evaluateTargets(r), "drift plan just after apply"); got != statusMet {
		t.Errorf("the drift target read the earlier build's plans: %s", got)
	}
}

// TestMedianRound: the reported round of a repeated no-change plan is the
// one with the median wall/floor, and the note lists every round's ratio.
func TestMedianRound(t *testing.T) {
	rounds := []planRound{{Ratio: 1.18}, {Ratio: 1.11}, {Ratio: 1.14}}
	if got := medianRound(rounds); got != 2 {
		t.Errorf("medianRound = %d, want 2 (1.14)", got)
	}
	if got := medianRound([]planRound{{Ratio: 1.2}, {Ratio: 1.1}}); got != 1 {
		t.Errorf("medianRound of two = %d, want 1 (the lower)", got)
	}
	if got := medianRound([]planRound{{Ratio: 1.3}}); got != 0 {
		t.Errorf("medianRound of one = %d", got)
	}
	o := opResult{Rounds: rounds}
	if got, want := o.roundsNote(), " (median of 3: 1.110 1.140 1.180)"; got != want {
		t.Errorf("roundsNote = %q, want %q", got, want)
	}
	if got := (opResult{Rounds: rounds[:1]}).roundsNote(); got != "" {
		t.Errorf("one round noted as %q", got)
	}
	if _, err := parseConfig([]string{"-plan-runs", "0"}); err == nil {
		t.Error("-plan-runs 0 was accepted")
	}
}
