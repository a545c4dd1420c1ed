package main

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// config is what one benchmark run measures; every field has a flag.
type config struct {
	Sizes       []int         // N users per scenario
	Latency     time.Duration // the mock's latency on every Graph call
	Parallelism int           // terraform -parallelism
	Provider    string        // the provider binary (built by make)
	OutDir      string        // where the table and JSON go

	ThrottleN        int           // users in the throttled scenario (0: the largest size)
	ThrottleCapacity int           // write budget bucket size
	ThrottleWindow   time.Duration // time to refill the whole bucket

	ThrottleReadCapacity int           // read budget bucket size, for the refresh
	ThrottleReadWindow   time.Duration // time to refill the whole read bucket

	StartupRuns int // provider start-ups timed (median reported)

	// PlanRuns is how many times each no-change plan runs (terraform_data,
	// then the provider, per round); the round with the median wall/floor
	// is reported, with every round's ratio beside it. One run of a 4 s
	// plan on a 2-core machine varies by about 4% from the next.
	PlanRuns int

	OnlyThrottled bool // skip the per-size operations (a second look at throttling)

	ListUsers      int    // users in the listing scenario (0: skip it)
	QueryTerraform string // Terraform 1.14+ for terraform query
	PprofDir       string // provider CPU and heap profiles of every command go here

	DriftN int // users in the drift plans (0: the smallest size; negative: skip them)

	RefreshOps bool // per size only create, the no-change plan and destroy (a quicker look at refresh cost)

	// BeforeProvider is a provider binary of an earlier build: per size its
	// no-change plan runs on the same state right after this build's, and
	// at the drift size its own create, drift plans and destroy, so the
	// before/after table compares the two in one run on one machine load.
	BeforeProvider string
}

// parseConfig reads the flags; the defaults are the issue's: N=100 and
// 1,000, 20 ms latency, Terraform's default parallelism of 10.
func parseConfig(args []string) (config, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	sizes := fs.String("n", "100,1000", "comma-separated numbers of users, one scenario each")
	c := config{}
	fs.DurationVar(&c.Latency, "latency", 20*time.Millisecond, "latency the mock adds to every Graph call")
	fs.IntVar(&c.Parallelism, "parallelism", 10, "terraform -parallelism")
	fs.StringVar(&c.Provider, "provider", "bin/terraform-provider-entraauth", "provider binary to benchmark (dev_overrides points at its directory)")
	fs.StringVar(&c.OutDir, "out", "bench-results", "directory for the result table (.txt) and .json")
	fs.IntVar(&c.ThrottleN, "throttle-n", 0, "users in the throttled scenario (0: the largest -n, at most 1000; negative: skip it)")
	fs.IntVar(&c.ThrottleCapacity, "throttle-capacity", 0, "write budget capacity in the throttled scenario (0: 60, fewer for small N so the run still needs about 10 refills)")
	fs.DurationVar(&c.ThrottleWindow, "throttle-window", time.Second, "write budget refill window in the throttled scenario")
	fs.IntVar(&c.ThrottleReadCapacity, "throttle-read-capacity", 0, "read budget capacity for the throttled scenario's refresh (0: N/10, between 2 and 350, so the refresh needs about 10 refills)")
	fs.DurationVar(&c.ThrottleReadWindow, "throttle-read-window", time.Second, "read budget refill window in the throttled scenario")
	fs.IntVar(&c.StartupRuns, "startup-runs", 11, "provider start-ups to time")
	fs.IntVar(&c.PlanRuns, "plan-runs", 3, "rounds of each no-change plan (terraform_data then the provider); the round with the median wall/floor is reported")
	fs.BoolVar(&c.OnlyThrottled, "only-throttled", false, "run only the throttled scenario (with -throttle-n or the largest -n)")
	fs.IntVar(&c.ListUsers, "list-users", 10000, "users in the listing scenario (terraform query over all users at Graph's read budget; 0: skip it)")
	fs.StringVar(&c.QueryTerraform, "query-terraform", "bin/terraform", "Terraform 1.14+ for the listing scenario's terraform query")
	fs.IntVar(&c.DriftN, "drift-n", 0, "run the drift plans (clean and drifted, just after apply and with the recent-write marker cleared, and on terraform_data) at this size, one of -n (0: the smallest when it is at most 1000; negative: skip them)")
	fs.BoolVar(&c.RefreshOps, "refresh-ops", false, "per size, run only create, the no-change plan (and drift plans) and destroy: skip the update and the runs without sms_sign_in_enabled")
	fs.StringVar(&c.BeforeProvider, "before-provider", "", "provider binary of an earlier build (named "+"terraform-provider-entraauth, in its own directory) to compare with: its refresh at every size and its drift plans, in the same run")
	fs.StringVar(&c.PprofDir, "pprof", "", "directory for the provider's CPU and heap profiles, one subdirectory per terraform command (off when empty)")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	var err error
	if c.Sizes, err = parseSizes(*sizes); err != nil {
		return config{}, err
	}
	if c.Parallelism < 1 {
		return config{}, errors.New("-parallelism must be at least 1")
	}
	if c.Latency < 0 {
		return config{}, errors.New("-latency must not be negative")
	}
	if c.ThrottleN == 0 {
		c.ThrottleN = min(c.Sizes[len(c.Sizes)-1], maxDefaultScenarioN)
	}
	if c.DriftN == 0 && c.Sizes[0] <= maxDefaultScenarioN {
		c.DriftN = c.Sizes[0]
	}
	if c.ThrottleCapacity == 0 {
		c.ThrottleCapacity = throttleCapacity(c.ThrottleN)
	}
	if c.ThrottleN > 0 && (c.ThrottleCapacity < 1 || c.ThrottleWindow <= 0) {
		return config{}, errors.New("-throttle-capacity and -throttle-window must be positive")
	}
	if c.ThrottleReadCapacity == 0 {
		c.ThrottleReadCapacity = throttleReadCapacity(c.ThrottleN)
	}
	if c.ThrottleN > 0 && (c.ThrottleReadCapacity < 1 || c.ThrottleReadWindow <= 0) {
		return config{}, errors.New("-throttle-read-capacity and -throttle-read-window must be positive")
	}
	if c.PlanRuns < 1 {
		return config{}, errors.New("-plan-runs must be at least 1")
	}
	if c.StartupRuns < 1 {
		c.StartupRuns = 1
	}
	return c, nil
}

// parseSizes reads "100,1000" (also "1_000" or "1e3" are refused: plain
// integers only, so a typo cannot silently become a huge run).
func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 || n > 99999 {
			return nil, fmt.Errorf("-n: %q is not a number of users between 1 and 99999", f)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, errors.New("-n: no sizes given")
	}
	return out, nil
}

// maxDefaultScenarioN bounds the sizes the extra scenarios (throttled,
// drift, create without SMS sign-in) run at by default: they measure rates
// and ratios, which 1,000 phones show, and at 5,000 each terraform command
// takes minutes, so make bench N=5000 would run for well over an hour.
const maxDefaultScenarioN = 1000

// throttleCapacity is the default bucket for n users (2 writes each with
// SMS sign-in): Graph's sustained 60 writes/s with a 1 s window once n is
// large enough (a bucket 300 times smaller than Graph's 18,000, so 1,000
// users need about 30 refills), and at least ten refills for small n.
func throttleCapacity(n int) int {
	return min(60, max(2, 2*n/10))
}

// throttleReadCapacity is the default read bucket for a refresh of n users
// (one GET each): about ten refills, at most 350 per second (the mock's
// default read budget, GraphReadBudget, is 3,500 per 10 seconds).
func throttleReadCapacity(n int) int {
	return min(350, max(2, n/10))
}
