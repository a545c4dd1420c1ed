// Command bench is `make bench`: it drives the real terraform binary with
// dev_overrides against the in-process mock Graph and measures what a plan
// or apply of N phone methods costs (wall time, Graph requests per resource,
// provider memory) against a floor: Terraform's own cost for as many
// built-in terraform_data resources plus requests x latency / parallelism.
// It also times the provider's start-up and runs a throttled scenario:
// create and destroy under a scaled-down write budget, and a refresh (a
// no-change plan) under a scaled-down read budget.
//
// Everything lives in a temporary directory removed at the end (the CLI
// config too, so ~/.terraformrc is never touched); the mock listens on
// loopback only. Results go to bench-results/<timestamp>.txt and .json.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/entraauth/terraform-provider-entraauth/internal/tfharness"
)

func main() {
	cfg, err := parseConfig(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	tfharness.Main("bench", func(ctx context.Context) error { return run(ctx, cfg) })
}
