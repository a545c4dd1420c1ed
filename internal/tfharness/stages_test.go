package stages

import (
	"context"
	"errors"
	"testing"
)

func TestRunNamesTheFailingStage(t *testing.T) {
	boom := errors.New("boom")
	err := Run(context.Background(), "outer", func() error {
		return Run(context.Background(), "inner", func() error { return boom })
	})
	var se *Error
	if !errors.As(err, &se) || se.Stage != "inner" || !errors.Is(err, boom) {
		t.Fatalf("got %v; want the inner stage's failure wrapping boom", err)
	}
	if err := Run(context.Background(), "ok", func() error { return nil }); err != nil {
		t.Fatalf("successful stage returned %v", err)
	}
}

func TestRunStopsWhenInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	err := Run(ctx, "late", func() error { ran = true; return nil })
	if ran || !errors.Is(err, context.Canceled) {
		t.Fatalf("ran=%v err=%v; want the stage skipped with context.Canceled", ran, err)
	}
}
