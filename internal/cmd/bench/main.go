// Command bench is `make bench`: it drives the real terraform binary with
// dev_overrides against the in-process mock Graph and measures what a plan
// or apply of N phone methods costs (wall time, Graph requests per resource,
// provider memory) against a floor: Terraform's own cost for as many
// built-in terraform_data resources plus requests x latency / parallelism.
// It also times the provider's start-up and runs a throttled scenario.
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
	"os/signal"
	"syscall"
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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err = run(ctx, cfg)
	stop()
	if err != nil {
		var se *stageError
		if errors.As(err, &se) {
			fmt.Fprintf(os.Stderr, "\n== bench failed at stage %q: %v\n", se.stage, se.err)
		} else {
			fmt.Fprintf(os.Stderr, "\n== bench failed: %v\n", err)
		}
		os.Exit(1)
	}
}

// stageError names the stage that failed, so the message says where to look.
type stageError struct {
	stage string
	err   error
}

func (e *stageError) Error() string { return e.stage + ": " + e.err.Error() }
func (e *stageError) Unwrap() error { return e.err }

// stage announces a step and wraps its failure with the step's name.
func stage(ctx context.Context, name string, fn func() error) error {
	if err := ctx.Err(); err != nil {
		return &stageError{stage: name, err: fmt.Errorf("interrupted: %w", err)}
	}
	fmt.Printf("\n== %s\n", name)
	if err := fn(); err != nil {
		var se *stageError
		if errors.As(err, &se) {
			return err // already names the inner stage
		}
		return &stageError{stage: name, err: err}
	}
	return nil
}
