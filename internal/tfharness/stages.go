// Package stages runs the announced steps of the demo and bench commands:
// each step prints its name, and a failure names the step it happened in,
// so a newcomer knows where to look.
package stages

import (
	"context"
	"errors"
	"fmt"
	"os"
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
