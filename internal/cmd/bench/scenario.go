package main

import (
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// Operation names, in the order they run. The -nosms pair runs at the
// smallest size only, with sms_sign_in_enabled left unset.
const (
	opCreate       = "create"
	opPlan         = "plan"
	opUpdate       = "update"
	opDestroy      = "destroy"
	opCreateNoSMS  = "create-nosms"
	opDestroyNoSMS = "destroy-nosms"
	// opRefresh is the throttled scenario's no-change plan under the read budget.
	opRefresh = "refresh"
	// opPlanBefore is the no-change plan of -before-provider's build on the
	// state this build just planned.
	opPlanBefore = "plan-before"
)

// step is one terraform command with the Graph and authority calls it made.
type step struct {
	Result tfResult
	Reqs   reqCounts
	Auth   authCounts
	// HarnessCPU is this process's CPU meanwhile: the in-process mock
	// (TLS, token checks, JSON) and the /proc poller share the machine's
	// cores with terraform, so their cost is shown rather than assumed small.
	HarnessCPU time.Duration
}

// opResult is one operation at one size. Mutating operations run as
// `plan -out` then `apply <plan>` (the usual CI shape), so the refresh a
// plan does is counted apart from the operation's own requests.
type opResult struct {
	N        int           `json:"n"`
	Op       string        `json:"op"`
	Wall     time.Duration `json:"-"`
	Baseline time.Duration `json:"-"` // the same operation on terraform_data
	Floor    time.Duration `json:"-"`
	Ratio    float64       `json:"wall_over_floor"`

	PlanReqs  reqCounts     `json:"plan_step_requests"`  // refresh (create: none)
	ApplyReqs reqCounts     `json:"apply_step_requests"` // the operation's own calls
	Auth      authCounts    `json:"authority_requests"`
	Provider  providerStats `json:"provider_process"`

	// CPU of the operation's terraform processes (their providers
	// included), and of the terraform_data baseline: on a shared 2-core
	// machine this says whether wall time went to waiting or to work.
	CPU           time.Duration `json:"-"`
	BaselineCPU   time.Duration `json:"-"`
	HarnessCPU    time.Duration `json:"-"` // the bench process (mock, poller) during the provider's commands
	CPUMS         float64       `json:"cpu_ms"`
	BaselineCPUMS float64       `json:"terraform_data_cpu_ms"`
	HarnessCPUMS  float64       `json:"harness_cpu_ms"`
	ExitCodes     []int         `json:"exit_codes"`
	Notes         []string      `json:"notes,omitempty"`

	WallMS     float64 `json:"wall_ms"`
	BaselineMS float64 `json:"terraform_data_wall_ms"`
	FloorMS    float64 `json:"floor_ms"`

	// Rounds are a no-change plan's repetitions (-plan-runs), in the order
	// they ran; the figures above are the median round's.
	Rounds []planRound `json:"plan_rounds,omitempty"`
}

// planRound is one round of a no-change plan: terraform_data's, then the
// provider's, on the same machine load.
type planRound struct {
	WallMS     float64 `json:"wall_ms"`
	BaselineMS float64 `json:"terraform_data_wall_ms"`
	Ratio      float64 `json:"wall_over_floor"`
}

// totalReqs is every Graph call of the operation.
func (o opResult) totalReqs() reqCounts { return o.PlanReqs.add(o.ApplyReqs) }

// scenario drives one size: the provider's and terraform_data's
// workspaces side by side, each operation on both in turn, so the two see
// the same machine load.
type scenario struct {
	cfg      config
	srv      *mockgraph.Server
	auth     *authorityCounter
	provider *workspace
	baseline *workspace
	// before, with -before-provider, is the earlier build on the provider's
	// directory and state; beforeDrift is its own directory for its drift
	// plans.
	before      *workspace
	beforeDrift *workspace
	n           int
}

// runStep runs one terraform command and collects what it cost.
func (s *scenario) runStep(ctx context.Context, ws *workspace, args ...string) (step, error) {
	s.srv.ResetRequestLog()
	s.auth.take()
	before := selfCPU()
	res, err := ws.terraform(ctx, args...)
	st := step{Result: res, Reqs: countRequests(s.srv.RequestLog()), Auth: s.auth.take(), HarnessCPU: selfCPU() - before}
	return st, err
}

func (s *scenario) flags() []string {
	return []string{"-input=false", "-no-color", "-parallelism=" + strconv.Itoa(s.cfg.Parallelism)}
}

// mutate runs plan -out and apply of one operation on one workspace.
func (s *scenario) mutate(ctx context.Context, ws *workspace, op string, planArgs ...string) (plan, apply step, err error) {
	planFile := op + ".tfplan"
	args := append(append([]string{"plan"}, s.flags()...), "-out="+planFile)
	if plan, err = s.runStep(ctx, ws, append(args, planArgs...)...); err != nil {
		return plan, apply, err
	}
	if err = plan.Result.mustSucceed(); err != nil {
		return plan, apply, err
	}
	apply, err = s.runStep(ctx, ws, append(append([]string{"apply"}, s.flags()...), planFile)...)
	if err != nil {
		return plan, apply, err
	}
	return plan, apply, apply.Result.mustSucceed()
}

// operation measures op on terraform_data, then on the provider.
func (s *scenario) operation(ctx context.Context, op string) (opResult, error) {
	r := opResult{N: s.n, Op: op}
	var planArgs []string
	switch op {
	case opCreate, opUpdate, opCreateNoSMS:
		gen := 0
		if op == opUpdate {
			gen = 1
		}
		for _, ws := range []*workspace{s.baseline, s.provider} {
			if err := writeConfig(ws.dir, configFor(ws, op), s.n, gen); err != nil {
				return r, err
			}
		}
	case opDestroy, opDestroyNoSMS:
		planArgs = []string{"-destroy"}
	}

	var err error
	switch op {
	case opPlan:
		err = s.measurePlan(ctx, &r, s.provider)
	case opPlanBefore:
		err = s.measurePlan(ctx, &r, s.before)
	default:
		err = s.measureMutation(ctx, &r, planArgs)
	}
	if err != nil {
		return r, err
	}
	r.Floor = floorOf(r.Baseline, r.totalReqs().Total, s.cfg.Latency, s.cfg.Parallelism)
	r.Ratio = ratio(r.Wall, r.Floor)
	r.WallMS, r.BaselineMS, r.FloorMS = ms(r.Wall), ms(r.Baseline), ms(r.Floor)
	r.CPUMS, r.BaselineCPUMS, r.HarnessCPUMS = ms(r.CPU), ms(r.BaselineCPU), ms(r.HarnessCPU)
	r.Notes = append(r.Notes, s.checkTenant(op)...)
	fmt.Printf("  %s N=%d: wall %s, terraform_data %s, floor %s, ratio %.3f%s, requests/resource: refresh %s | %s\n",
		op, s.n, r.Wall.Round(time.Millisecond), r.Baseline.Round(time.Millisecond), r.Floor.Round(time.Millisecond), r.Ratio,
		r.roundsNote(), r.PlanReqs.perResource(s.n), r.ApplyReqs.perResource(s.n))
	return r, nil
}

// measurePlan runs plan -detailed-exitcode on the baseline, then on the
// provider's workspace ws, -plan-runs times, and keeps the round with the
// median wall/floor (its wall, CPU and requests; the provider's peak
// memory is the largest of any round).
func (s *scenario) measurePlan(ctx context.Context, r *opResult, ws *workspace) error {
	args := append([]string{"plan", "-detailed-exitcode"}, s.flags()...)
	type round struct{ base, prov step }
	var rounds []round
	var peak int64
	for range s.cfg.PlanRuns {
		base, err := s.runStep(ctx, s.baseline, args...)
		if err != nil {
			return err
		}
		if err := base.Result.mustSucceed(); err != nil {
			return err
		}
		prov, err := s.runStep(ctx, ws, args...)
		if err != nil {
			return err
		}
		// Exit 2 is a phantom diff: worth reporting, not worth stopping for.
		if err := prov.Result.mustSucceed(2); err != nil {
			return err
		}
		if prov.Result.ExitCode == 2 {
			r.Notes = append(r.Notes, "plan after apply is not empty (exit 2): the provider reports a diff on an unchanged tenant")
		}
		peak = max(peak, prov.Result.Provider.PeakBytes)
		rounds = append(rounds, round{base, prov})
		floor := floorOf(base.Result.Wall, prov.Reqs.Total, s.cfg.Latency, s.cfg.Parallelism)
		r.Rounds = append(r.Rounds, planRound{WallMS: ms(prov.Result.Wall), BaselineMS: ms(base.Result.Wall), Ratio: ratio(prov.Result.Wall, floor)})
	}
	m := rounds[medianRound(r.Rounds)]
	r.Baseline, r.Wall = m.base.Result.Wall, m.prov.Result.Wall
	r.BaselineCPU, r.CPU, r.HarnessCPU = m.base.Result.CPU, m.prov.Result.CPU, m.prov.HarnessCPU
	r.PlanReqs, r.Auth, r.Provider = m.prov.Reqs, m.prov.Auth, m.prov.Result.Provider
	r.Provider.PeakBytes = peak
	r.ExitCodes = nil
	for _, rd := range rounds {
		r.ExitCodes = append(r.ExitCodes, rd.prov.Result.ExitCode)
	}
	return nil
}

// medianRound is the index of the round with the median wall/floor (the
// lower middle one of an even number).
func medianRound(rounds []planRound) int {
	idx := make([]int, len(rounds))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(rounds[a].Ratio, rounds[b].Ratio) })
	return idx[(len(idx)-1)/2]
}

// roundsNote is ", median of 3: 1.121 1.134 1.160" for a repeated plan
// (the rounds' ratios, sorted), empty otherwise.
func (o opResult) roundsNote() string {
	if len(o.Rounds) < 2 {
		return ""
	}
	rs := make([]float64, 0, len(o.Rounds))
	for _, rd := range o.Rounds {
		rs = append(rs, rd.Ratio)
	}
	slices.Sort(rs)
	var b strings.Builder
	fmt.Fprintf(&b, " (median of %d:", len(rs))
	for _, x := range rs {
		fmt.Fprintf(&b, " %.3f", x)
	}
	b.WriteString(")")
	return b.String()
}

// measureMutation runs plan -out and apply on the baseline, then on the
// provider.
func (s *scenario) measureMutation(ctx context.Context, r *opResult, planArgs []string) error {
	bp, ba, err := s.mutate(ctx, s.baseline, r.Op, planArgs...)
	if err != nil {
		return fmt.Errorf("terraform_data: %w", err)
	}
	pp, pa, err := s.mutate(ctx, s.provider, r.Op, planArgs...)
	if err != nil {
		return fmt.Errorf("entraauth: %w", err)
	}
	r.Baseline = bp.Result.Wall + ba.Result.Wall
	r.Wall = pp.Result.Wall + pa.Result.Wall
	r.BaselineCPU = bp.Result.CPU + ba.Result.CPU
	r.CPU = pp.Result.CPU + pa.Result.CPU
	r.HarnessCPU = pp.HarnessCPU + pa.HarnessCPU
	r.PlanReqs, r.ApplyReqs = pp.Reqs, pa.Reqs
	r.Auth = authCounts{Token: pp.Auth.Token + pa.Auth.Token, Discovery: pp.Auth.Discovery + pa.Auth.Discovery, Other: pp.Auth.Other + pa.Auth.Other}
	r.Provider = sumProviders(pp.Result.Provider, pa.Result.Provider)
	r.ExitCodes = []int{pp.Result.ExitCode, pa.Result.ExitCode}
	return nil
}

// checkTenant compares the mock's state with what the operation should
// have left, so a run that "succeeds" without doing the work is noticed.
func (s *scenario) checkTenant(op string) []string {
	gen := 0
	if op == opUpdate {
		gen = 1
	}
	with, ready, total, err := mobileState(s.srv, s.n, func(i int) string { return phoneNumber(gen, i) })
	destroy := op == opDestroy || op == opDestroyNoSMS
	if op == opCreateNoSMS {
		ready = s.n // not managed: whatever Graph decided is fine
	}
	switch {
	case err != nil:
		return []string{"cannot read the mock tenant: " + err.Error()}
	case destroy && total != 0:
		return []string{fmt.Sprintf("%d phone methods left after destroy", total)}
	case !destroy && (with != s.n || ready != s.n):
		return []string{fmt.Sprintf("mock tenant: %d of %d users have the configured mobile, %d ready for SMS sign-in", with, s.n, ready)}
	}
	return nil
}

// sumProviders merges two commands: processes and CPU add up, the peak is
// the larger one.
func sumProviders(a, b providerStats) providerStats {
	out := providerStats{Processes: a.Processes + b.Processes, PeakBytes: a.PeakBytes, CPU: a.CPU + b.CPU}
	out.CPUMS = ms(out.CPU)
	if b.PeakBytes > out.PeakBytes {
		out.PeakBytes = b.PeakBytes
	}
	return out
}

// configFor picks the workspace's main.tf for an operation.
func configFor(ws *workspace, op string) string {
	switch {
	case ws.name == "terraform_data":
		return terraformDataConfig
	case op == opCreateNoSMS:
		return entraauthNoSMSConfig
	}
	return entraauthConfig
}

// newWorkspace prepares a directory for one configuration of one size.
func newWorkspace(root, name, tfBin string, env []string, logs string) *workspace {
	return &workspace{name: name, dir: filepath.Join(root, name), tfBin: tfBin, env: env, logs: logs}
}
