package tfharness

import (
	"errors"
	"os/exec"
	"testing"
)

func TestExitCode(t *testing.T) {
	t.Parallel()
	if got, err := ExitCode(exec.Command("sh", "-c", "exit 2").Run()); got != 2 || err != nil {
		t.Errorf("exit 2: got %d, %v; want 2 and no error", got, err)
	}
	if got, err := ExitCode(nil); got != 0 || err != nil {
		t.Errorf("success: got %d, %v; want 0 and no error", got, err)
	}
	notRun := errors.New("exec: not started")
	if _, err := ExitCode(notRun); !errors.Is(err, notRun) {
		t.Errorf("a command that did not run: got %v; want its error back", err)
	}
}
