package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
	"github.com/entraauth/terraform-provider-entraauth/internal/tfharness"
)

// results is everything one run measured; report.go renders it.
type results struct {
	Started     time.Time        `json:"started"`
	Terraform   string           `json:"terraform_version"`
	Latency     string           `json:"latency"`
	Parallelism int              `json:"parallelism"`
	Sizes       []int            `json:"sizes"`
	Startup     startupStats     `json:"provider_binary"`
	Ops         []opResult       `json:"operations"`
	Throttled   []throttleResult `json:"throttled"`
	Listing     *listResult      `json:"listing,omitempty"`
	Drift       []driftResult    `json:"drift"`
	Targets     []target         `json:"targets"`

	// The machine is shared: its load says how far to trust the walls.
	CPUs      int    `json:"cpus"`
	LoadStart string `json:"loadavg_start"`
	LoadEnd   string `json:"loadavg_end"`
}

// loadAvg is the 1, 5 and 15 minute load averages.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func run(ctx context.Context, cfg config) error {
	res := &results{Started: time.Now().UTC(), Latency: cfg.Latency.String(), Parallelism: cfg.Parallelism, Sizes: cfg.Sizes,
		CPUs: runtime.NumCPU(), LoadStart: loadAvg()}
	tf, err := tfharness.FindTerraform()
	if err != nil {
		return err
	}
	provider, err := filepath.Abs(cfg.Provider)
	if err != nil {
		return err
	}
	if filepath.Base(provider) != tfharness.ProviderExe {
		return tfharness.Fail("check prerequisites", fmt.Errorf("-provider must name a file called %s (dev_overrides looks it up by name), got %s", tfharness.ProviderExe, provider))
	}
	wd, err := tfharness.NewWorkdir("entraauth-bench-")
	if err != nil {
		return err
	}
	defer wd.Close()
	work := wd.Dir
	logs := filepath.Join(work, "logs")
	if err := os.MkdirAll(logs, 0o755); err != nil {
		return err
	}

	var srv *mockgraph.Server
	var auth *authorityCounter
	defer func() {
		if auth != nil {
			auth.Close()
		}
	}()

	var env, beforeEnv []string
	users := max(cfg.ThrottleN, cfg.Sizes[0])
	for _, n := range cfg.Sizes {
		users = max(users, n)
	}
	if err := tfharness.RunStages(ctx,
		tfharness.Stage{Name: "check the terraform binary", Fn: func() error {
			out, err := exec.CommandContext(ctx, tf, "version").Output()
			if err != nil {
				return err
			}
			res.Terraform = strings.SplitN(strings.TrimSpace(string(out)), "\n", 2)[0]
			fmt.Println(res.Terraform)
			return nil
		}},
		tfharness.Stage{Name: "measure the provider binary (size, time to plugin handshake)", Fn: func() error {
			st, err := measureStartup(ctx, provider, cfg.StartupRuns, work)
			res.Startup = st
			if err == nil {
				fmt.Printf("%s: %s, handshake median %.1f ms over %d runs (%s)\n", provider, formatBytes(st.SizeBytes), st.MedianMS, len(st.Runs), st.Handshake)
			}
			return err
		}},
		tfharness.Stage{Name: fmt.Sprintf("start the mock Graph (%d users, SMS sign-in allowed for all users, latency %s)", users, cfg.Latency), Fn: func() error {
			s, err := wd.StartMock(mockOptions(users, cfg.Latency))
			if err != nil {
				return err
			}
			srv = s
			if auth, err = startAuthorityCounter(srv.GraphEndpoint(), srv.CA()); err != nil {
				return err
			}
			// There is no mirror on purpose: nothing may be fetched from a
			// registry, and terraform_data is built into Terraform.
			if err := wd.WriteCLIConfig(tfharness.CLIConfig{PluginDir: filepath.Dir(provider)}); err != nil {
				return err
			}
			settings := wd.Settings(benchApp)
			settings.AuthorityHost = auth.AuthorityHost()
			env = tfharness.Env(os.Environ(), settings)
			fmt.Printf("graph %s, authority (counted) %s, CLI config %s\n", srv.GraphEndpoint(), auth.AuthorityHost(), wd.CLIConfigFile())
			return nil
		}},
	); err != nil {
		return err
	}
	if cfg.BeforeProvider != "" {
		if beforeEnv, err = beforeBuildEnv(cfg.BeforeProvider, work, env); err != nil {
			return err
		}
	}

	sizes := cfg.Sizes
	if cfg.OnlyThrottled {
		sizes = nil
	}
	for _, n := range sizes {
		root := filepath.Join(work, fmt.Sprintf("n%d", n))
		sc := &scenario{cfg: cfg, srv: srv, auth: auth, n: n,
			provider: newWorkspace(root, "entraauth", tf, env, logs),
			baseline: newWorkspace(root, "terraform_data", tf, env, logs)}
		if cfg.PprofDir != "" {
			sc.provider.pprofDir = filepath.Join(cfg.PprofDir, fmt.Sprintf("n%d", n))
		}
		if beforeEnv != nil {
			sc.before = newWorkspace(root, "entraauth", tf, beforeEnv, logs)
			sc.before.name = "entraauth-before"
			sc.beforeDrift = newWorkspace(root, "entraauth-before", tf, beforeEnv, logs)
			sc.beforeDrift.name = "entraauth-before-drift"
			if cfg.PprofDir != "" {
				sc.before.pprofDir = filepath.Join(cfg.PprofDir, fmt.Sprintf("n%d", n), "before")
			}
		}
		if err := tfharness.Run(ctx, fmt.Sprintf("N=%d: write configurations, terraform init of the terraform_data one", n), func() error {
			for _, ws := range []*workspace{sc.baseline, sc.provider} {
				if err := writeConfig(ws.dir, configFor(ws, opCreate), n, 0); err != nil {
					return err
				}
			}
			// Only the baseline is initialised: with dev_overrides Terraform
			// says to skip init, and init of the provider's configuration
			// would query registry.terraform.io.
			r, err := sc.baseline.terraform(ctx, "init", "-input=false", "-no-color")
			if err != nil {
				return err
			}
			return r.mustSucceed()
		}); err != nil {
			return err
		}
		ops := []string{opCreate, opPlan, opUpdate, opDestroy}
		if cfg.RefreshOps {
			ops = []string{opCreate, opPlan, opDestroy}
		} else if n == cfg.Sizes[0] && n <= maxDefaultScenarioN {
			ops = append(ops, opCreateNoSMS, opDestroyNoSMS)
		}
		for _, op := range ops {
			if err := tfharness.Run(ctx, fmt.Sprintf("N=%d: %s", n, opTitle(op)), func() error {
				r, err := sc.operation(ctx, op)
				if err == nil {
					res.Ops = append(res.Ops, r)
				}
				return err
			}); err != nil {
				return err
			}
			if op == opPlan && sc.before != nil {
				if err := tfharness.Run(ctx, fmt.Sprintf("N=%d: no-change plan (refresh) with the earlier build %s", n, cfg.BeforeProvider), func() error {
					r, err := sc.operation(ctx, opPlanBefore)
					if err == nil {
						res.Ops = append(res.Ops, r)
					}
					return err
				}); err != nil {
					return err
				}
			}
			if op == opDestroy && n == cfg.DriftN && sc.before != nil {
				if err := tfharness.Run(ctx, fmt.Sprintf("N=%d: drift plans with the earlier build (its own create and destroy)", n), func() error {
					d, err := sc.runDriftBefore(ctx)
					res.Drift = append(res.Drift, d...)
					return err
				}); err != nil {
					return err
				}
			}
			if op == opPlan && n == cfg.DriftN {
				if err := tfharness.Run(ctx, fmt.Sprintf("N=%d: drift plans (numbers changed out of band) against clean plans", n), func() error {
					d, err := sc.runDrift(ctx)
					res.Drift = append(res.Drift, d...)
					return err
				}); err != nil {
					return err
				}
			}
		}
	}

	if cfg.ThrottleN > 0 {
		n := cfg.ThrottleN
		sc := &scenario{cfg: cfg, srv: srv, auth: auth, n: n,
			provider: newWorkspace(filepath.Join(work, "throttled"), "entraauth", tf, env, logs)}
		name := fmt.Sprintf("throttled: N=%d, write budget %d per %s (create, destroy), read budget %d per %s (refresh)",
			n, cfg.ThrottleCapacity, cfg.ThrottleWindow, cfg.ThrottleReadCapacity, cfg.ThrottleReadWindow)
		if err := tfharness.Run(ctx, name, func() error {
			r, err := runThrottled(ctx, sc)
			res.Throttled = r
			return err
		}); err != nil {
			return err
		}
	}

	if cfg.ListUsers > 0 {
		name := fmt.Sprintf("listing: terraform query over %d users (one mobile each) at Graph's read budget", cfg.ListUsers)
		if err := tfharness.Run(ctx, name, func() error {
			queryTF, err := filepath.Abs(cfg.QueryTerraform)
			if err != nil {
				return err
			}
			r, err := listingScenario(ctx, srv, cfg.Latency, cfg.ListUsers, queryTF, env, work, logs)
			res.Listing = r
			return err
		}); err != nil {
			return err
		}
	}

	res.Targets = evaluateTargets(res)
	res.LoadEnd = loadAvg()
	return tfharness.Run(ctx, "results", func() error {
		txt := renderTable(res)
		fmt.Print("\n" + txt)
		txtFile, jsonFile, err := writeResults(cfg.OutDir, res, txt)
		if err == nil {
			fmt.Printf("\nwritten to %s and %s\n", txtFile, jsonFile)
		}
		return err
	})
}

func opTitle(op string) string {
	switch op {
	case opCreate:
		return "create every phone (apply from empty)"
	case opPlan:
		return "no-change plan (refresh)"
	case opUpdate:
		return "change every number (apply)"
	case opDestroy:
		return "destroy"
	case opCreateNoSMS:
		return "create every phone without sms_sign_in_enabled (apply from empty)"
	case opDestroyNoSMS:
		return "destroy (phones without sms_sign_in_enabled)"
	}
	return op
}

// beforeBuildEnv is env with a CLI config of its own whose dev_overrides
// points at -before-provider's directory.
func beforeBuildEnv(binary, work string, env []string) ([]string, error) {
	abs, err := filepath.Abs(binary)
	if err != nil {
		return nil, err
	}
	if filepath.Base(abs) != tfharness.ProviderExe {
		return nil, tfharness.Fail("check prerequisites", fmt.Errorf("-before-provider must name a file called %s in its own directory, got %s", tfharness.ProviderExe, abs))
	}
	if _, err := os.Stat(abs); err != nil {
		return nil, tfharness.Fail("check prerequisites", err)
	}
	rc := filepath.Join(work, "before.tfrc")
	if err := os.WriteFile(rc, []byte(tfharness.CLIConfig{PluginDir: filepath.Dir(abs)}.HCL()), 0o644); err != nil {
		return nil, err
	}
	out := make([]string, 0, len(env))
	for _, kv := range env {
		if !strings.HasPrefix(kv, "TF_CLI_CONFIG_FILE=") {
			out = append(out, kv)
		}
	}
	return append(out, "TF_CLI_CONFIG_FILE="+rc), nil
}
