package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"
)

// renderTable is the run's one table: operations, the throttled scenario,
// the binary, and every target with MET/MISSED.
func renderTable(r *results) string {
	var b strings.Builder
	fmt.Fprintf(&b, "entraauth benchmark %s  %s  mock latency %s  -parallelism=%s\n",
		r.Started.Format(time.RFC3339), r.Terraform, r.Latency, fmt.Sprint(r.Parallelism))
	fmt.Fprintf(&b, "provider binary %s, start-up to plugin handshake: median %.1f ms of %d runs\n",
		formatBytes(r.Startup.SizeBytes), r.Startup.MedianMS, len(r.Startup.RunsMS))
	fmt.Fprintf(&b, "machine: %d CPUs, load average %s at start, %s at end\n\n", r.CPUs, r.LoadStart, r.LoadEnd)

	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	if len(r.Ops) == 0 {
		b.WriteString("(operations not run: -only-throttled)\n")
	} else {
		fmt.Fprintln(tw, "N\toperation\twall\tterraform_data\tfloor\twall/floor\t refresh req/res\t operation req/res\ttoken\tproviders\tpeak RSS\tCPU\tprovider CPU\tprovider CPU/res\ttf_data CPU\tmock CPU\t")
		for _, o := range r.Ops {
			refresh := o.PlanReqs.perResource(o.N)
			opReqs := o.ApplyReqs.perResource(o.N)
			if o.Op == opPlan || o.Op == opPlanBefore {
				opReqs = "-"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%.3f\t %s\t %s\t%d\t%d\t%s\t%s\t%s\t%.2f ms\t%s\t%s\t\n",
				o.N, o.Op, fmtDur(o.Wall), fmtDur(o.Baseline), fmtDur(o.Floor), o.Ratio,
				refresh, opReqs, o.Auth.Token, o.Provider.Processes, formatBytes(o.Provider.PeakBytes),
				fmtDur(o.CPU), fmtDur(o.Provider.CPU), o.Provider.perResourceMS(o.N), fmtDur(o.BaselineCPU), fmtDur(o.HarnessCPU))
		}
	}
	tw.Flush()
	for _, o := range r.Ops {
		if note := o.roundsNote(); note != "" {
			fmt.Fprintf(&b, "  N=%d %s: wall/floor of the round shown%s\n", o.N, o.Op, note)
		}
	}
	renderBeforeAfter(&b, r)

	if len(r.Throttled) > 0 {
		b.WriteString("\nthrottled (budgets scaled down: writes for create and destroy, reads for the refresh)\n")
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "N\toperation\tbudget\twall\tcalls ok\t429s\tspan\tachieved/s\tbudget/s\tbudget used\texit\tfailed\t")
		for _, t := range r.Throttled {
			fmt.Fprintf(tw, "%d\t%s\t%s %d/%s\t%s\t%d %ss\t%d\t%.1fs\t%.1f\t%.1f\t%.0f%%\t%d\t%d\t\n",
				t.N, t.Op, t.Budget, t.Capacity, t.Window, fmtDur(t.Wall), t.OK, t.Budget, t.Throttled, t.SpanS,
				t.Achieved, t.BudgetRate, 100*t.BudgetUse, t.ExitCode, t.FailedInTenant)
		}
		tw.Flush()
		for _, t := range r.Throttled {
			for i, e := range t.Errors {
				if i == 3 {
					fmt.Fprintf(&b, "  ... %d more errors\n", len(t.Errors)-3)
					break
				}
				fmt.Fprintf(&b, "  %s N=%d: %s\n", t.Op, t.N, e)
			}
		}
	}

	if r.Listing != nil {
		r.Listing.print(&b)
	}

	if len(r.Drift) > 0 {
		fmt.Fprintf(&b, "\ndrift plans, N=%d (numbers changed out of band to values neither written nor before: not replication lag)\n", r.Drift[0].N)
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "build\tcase\twall\tCPU\tprovider CPU\tGETs\texit\t")
		for _, d := range r.Drift {
			build := d.Build
			if build == "" {
				build = "this"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t\n", build, d.Case, fmtDur(d.Wall), fmtDur(d.CPU), fmtDur(d.ProviderCPU), d.Gets, d.ExitCode)
		}
		tw.Flush()
	}

	b.WriteString("\ntargets\n")
	tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, t := range r.Targets {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.Status, t.Name, t.Target, t.Measured)
	}
	tw.Flush()

	var notes []string
	for _, o := range r.Ops {
		for _, n := range o.Notes {
			notes = append(notes, fmt.Sprintf("N=%d %s: %s", o.N, o.Op, n))
		}
	}
	if len(notes) > 0 {
		b.WriteString("\nnotes\n")
		for _, n := range notes {
			b.WriteString("  " + n + "\n")
		}
	}
	return b.String()
}

// writeResults writes <dir>/<timestamp>.txt and .json.
func writeResults(dir string, r *results, table string) (string, string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", err
	}
	base := filepath.Join(dir, r.Started.Format("20060102T150405Z"))
	if err := os.WriteFile(base+".txt", []byte(table), 0o644); err != nil {
		return "", "", err
	}
	j, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", "", err
	}
	if err := os.WriteFile(base+".json", append(j, '\n'), 0o644); err != nil {
		return "", "", err
	}
	return base + ".txt", base + ".json", nil
}

// formatBytes prints decimal megabytes, the unit of the 40 MB target.
func formatBytes(n int64) string {
	if n <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}

// fmtDur prints seconds with millisecond precision.
func fmtDur(d time.Duration) string { return fmt.Sprintf("%.2fs", d.Seconds()) }

// renderBeforeAfter is the -before-provider comparison: per size the two
// builds' no-change plans on the same state, each against its own
// terraform_data run, and the drift plans' ratios to clean plans.
func renderBeforeAfter(b *strings.Builder, r *results) {
	before := map[int]opResult{}
	for _, o := range r.Ops {
		if o.Op == opPlanBefore {
			before[o.N] = o
		}
	}
	if len(before) == 0 {
		return
	}
	b.WriteString("\nbefore/after: no-change plan (refresh) on the same state, before = -before-provider, after = this build\n")
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "N\tpeak RSS before\tafter\tprovider CPU/res before\tafter\twall/floor before\tafter\t")
	for _, o := range r.Ops {
		p, ok := before[o.N]
		if o.Op != opPlan || !ok {
			continue
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%.2f ms\t%.2f ms\t%.3f\t%.3f\t\n", o.N,
			formatBytes(p.Provider.PeakBytes), formatBytes(o.Provider.PeakBytes),
			p.Provider.perResourceMS(p.N), o.Provider.perResourceMS(o.N), p.Ratio, o.Ratio)
	}
	tw.Flush()
	for _, c := range []struct{ drift, clean, name string }{
		{driftRecent, driftCleanRecent, "drift plan / clean plan just after apply"},
		{driftSettled, driftCleanSettled, "drift plan / clean plan, marker cleared"},
	} {
		pb, okb := driftRatio(r.Drift, "before", c.drift, c.clean)
		pa, oka := driftRatio(r.Drift, "", c.drift, c.clean)
		if okb && oka {
			fmt.Fprintf(b, "%s: before %.2fx, after %.2fx\n", c.name, pb, pa)
		}
	}
}
