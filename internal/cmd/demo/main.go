// Command demo is `make demo`: it builds the provider, starts the mock Graph
// with a demo tenant, and drives the real terraform binary through apply,
// a clean re-plan, out-of-band drift, a drift plan and destroy.
//
// It never touches the user's own Terraform configuration: the CLI config
// with dev_overrides, the state and the mock's CA live in a temporary
// directory that is removed at the end, whatever happens.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx)
	stop()
	if err != nil {
		var se *stageError
		if errors.As(err, &se) {
			fmt.Fprintf(os.Stderr, "\n== demo failed at stage %q: %v\n", se.stage, se.err)
		} else {
			fmt.Fprintf(os.Stderr, "\n== demo failed: %v\n", err)
		}
		os.Exit(1)
	}
	fmt.Println("\n== demo finished: everything was created, drift was detected, and everything was destroyed")
}

// stageError names the stage that failed, so the message says where to look.
type stageError struct {
	stage string
	err   error
}

func (e *stageError) Error() string { return e.stage + ": " + e.err.Error() }
func (e *stageError) Unwrap() error { return e.err }

// stage announces a step and wraps its failure with the step's name.
func stage(name string, fn func() error) error {
	fmt.Printf("\n== %s\n", name)
	if err := fn(); err != nil {
		return &stageError{stage: name, err: err}
	}
	return nil
}
