package tfharness

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// Error is a failure inside a named stage.
type Error struct {
	Stage string
	Err   error
}

func (e *Error) Error() string { return e.Stage + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Fail returns err as a failure of stage name.
func Fail(name string, err error) error { return &Error{Stage: name, Err: err} }

// Run announces a stage, runs fn and wraps its failure with the stage's name;
// a failure that already names an inner stage is passed on as it is.
func Run(ctx context.Context, name string, fn func() error) error {
	if err := ctx.Err(); err != nil {
		return Fail(name, fmt.Errorf("interrupted: %w", err))
	}
	fmt.Printf("\n== %s\n", name)
	if err := fn(); err != nil {
		var se *Error
		if errors.As(err, &se) {
			return err
		}
		return Fail(name, err)
	}
	return nil
}

// Stage is one announced step of a fixed sequence.
type Stage struct {
	Name string
	Fn   func() error
}

// RunStages runs stages in order and stops at the first failure.
func RunStages(ctx context.Context, stages ...Stage) error {
	for _, s := range stages {
		if err := Run(ctx, s.Name, s.Fn); err != nil {
			return err
		}
	}
	return nil
}

// Main runs run with a context that Ctrl-C or SIGTERM cancels, so deferred
// clean-up (mock, temporary directory) still happens; on failure it reports
// the failed stage and exits 1.
func Main(program string, run func(context.Context) error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx)
	stop()
	if err != nil {
		Exit(program, err)
	}
}

// Exit reports err (naming its stage when it has one) on stderr and exits 1.
func Exit(program string, err error) {
	var se *Error
	if errors.As(err, &se) {
		fmt.Fprintf(os.Stderr, "\n== %s failed at stage %q: %v\n", program, se.Stage, se.Err)
	} else {
		fmt.Fprintf(os.Stderr, "\n== %s failed: %v\n", program, err)
	}
	os.Exit(1)
}
