package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/graph"
)

// driftGen is the generation of numbers set out of band: neither the
// number written nor the one before it, so it cannot be replication lag.
const driftGen = 4

// Drift cases, in the order they run. "recent" plans run seconds after the
// create's apply, while the recent-write marker is set; "settled" plans
// run after `terraform apply -refresh-only` has cleared it, as a plan does
// once the write is old.
const (
	driftCleanRecent  = "clean, just after apply"
	driftRecent       = "drift, just after apply"
	driftCleanSettled = "clean, marker cleared"
	driftSettled      = "drift, marker cleared"
	driftDataClean    = "terraform_data clean"
	driftDataChanged  = "terraform_data, every input changed"
)

// driftResult is one no-change or drift plan.
type driftResult struct {
	N int `json:"n"`
	// Build is "before" for -before-provider's plans, empty for this build.
	Build       string        `json:"build,omitempty"`
	Case        string        `json:"case"`
	Wall        time.Duration `json:"-"`
	CPU         time.Duration `json:"-"`
	ProviderCPU time.Duration `json:"-"`
	Gets        int           `json:"get_requests"`
	ExitCode    int           `json:"exit_code"`
	WallMS      float64       `json:"wall_ms"`
	CPUMS       float64       `json:"cpu_ms"`
	ProvCPUMS   float64       `json:"provider_cpu_ms"`
}

// runDrift measures, after the create of s.n phones, a no-change plan and a
// plan that finds every number changed out of band, first right after the
// apply and then with the marker cleared, and the same pair on
// terraform_data (its configuration's input changed instead) to tell
// Terraform's share of a drift plan from the provider's. It leaves the
// tenant, the state and the configurations as it found them.
func (s *scenario) runDrift(ctx context.Context) ([]driftResult, error) {
	return s.runDriftOn(ctx, s.provider, "", true)
}

// runDriftBefore runs the same plans with -before-provider's build on its
// own state, which it creates first and destroys after: its recent-write
// marker is its own, so "just after apply" means after its own apply. The
// tenant must have no phones when it starts.
func (s *scenario) runDriftBefore(ctx context.Context) ([]driftResult, error) {
	ws := s.beforeDrift
	if err := writeConfig(ws.dir, entraauthConfig, s.n, 0); err != nil {
		return nil, err
	}
	if _, _, err := s.mutate(ctx, ws, opCreate); err != nil {
		return nil, fmt.Errorf("before build, create: %w", err)
	}
	out, err := s.runDriftOn(ctx, ws, "before", false)
	if err != nil {
		return out, err
	}
	if _, _, err := s.mutate(ctx, ws, opDestroy, "-destroy"); err != nil {
		return out, fmt.Errorf("before build, destroy: %w", err)
	}
	return out, nil
}

// runDriftOn is runDrift on the provider workspace ws, labelled build,
// with the terraform_data pair when withData.
func (s *scenario) runDriftOn(ctx context.Context, ws *workspace, build string, withData bool) ([]driftResult, error) {
	var out []driftResult
	plan := func(ws *workspace, name string, wantExit int) error {
		st, err := s.runStep(ctx, ws, append([]string{"plan", "-detailed-exitcode"}, s.flags()...)...)
		if err != nil {
			return err
		}
		if st.Result.ExitCode != wantExit {
			return fmt.Errorf("%s: plan exited %d, want %d:\n%s", name, st.Result.ExitCode, wantExit, tail(st.Result.LogFile, 30))
		}
		r := driftResult{N: s.n, Build: build, Case: name, Wall: st.Result.Wall, CPU: st.Result.CPU, ProviderCPU: st.Result.Provider.CPU,
			Gets: st.Reqs.ByMethod[http.MethodGet], ExitCode: st.Result.ExitCode}
		r.WallMS, r.CPUMS, r.ProvCPUMS = ms(r.Wall), ms(r.CPU), ms(r.ProviderCPU)
		out = append(out, r)
		return nil
	}
	setNumbers := func(gen int) error {
		for i := 1; i <= s.n; i++ {
			if err := s.srv.SetPhoneNumberOutOfBand(benchTenantID, userUPN(i), graph.PhoneTypeMobile.MethodID(), phoneNumber(gen, i)); err != nil {
				return err
			}
		}
		return nil
	}
	steps := []func() error{
		func() error { return plan(ws, driftCleanRecent, 0) },
		func() error { return setNumbers(driftGen) },
		func() error { return plan(ws, driftRecent, 2) },
		func() error { return setNumbers(0) },
		func() error {
			r, err := ws.terraform(ctx, append([]string{"apply", "-refresh-only", "-auto-approve"}, s.flags()...)...)
			if err != nil {
				return err
			}
			return r.mustSucceed()
		},
		func() error { return plan(ws, driftCleanSettled, 0) },
		func() error { return setNumbers(driftGen) },
		func() error { return plan(ws, driftSettled, 2) },
		func() error { return setNumbers(0) },
	}
	if withData {
		steps = append(steps,
			func() error { return plan(s.baseline, driftDataClean, 0) },
			func() error { return writeConfig(s.baseline.dir, terraformDataConfig, s.n, driftGen) },
			func() error { return plan(s.baseline, driftDataChanged, 2) },
			func() error { return writeConfig(s.baseline.dir, terraformDataConfig, s.n, 0) },
		)
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return out, err
		}
	}
	return out, nil
}

// driftRatio is a drift case's wall over its clean counterpart's, for
// build ("" is this one).
func driftRatio(rs []driftResult, build, drift, clean string) (float64, bool) {
	var d, c time.Duration
	for _, r := range rs {
		if r.Build != build {
			continue
		}
		switch r.Case {
		case drift:
			d = r.Wall
		case clean:
			c = r.Wall
		}
	}
	if d == 0 || c == 0 {
		return 0, false
	}
	return ratio(d, c), true
}
