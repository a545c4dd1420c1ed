package tfharness

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

func TestRunStagesStopsAtTheFirstFailure(t *testing.T) {
	boom := errors.New("boom")
	var ran []string
	stage := func(name string, err error) Stage {
		return Stage{Name: name, Fn: func() error { ran = append(ran, name); return err }}
	}
	err := RunStages(context.Background(), stage("one", nil), stage("two", boom), stage("three", nil))
	var se *Error
	if !errors.As(err, &se) || se.Stage != "two" || !errors.Is(err, boom) {
		t.Fatalf("got %v; want stage two's failure wrapping boom", err)
	}
	if len(ran) != 2 {
		t.Fatalf("ran %v; want one and two only", ran)
	}
}
