package main

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// TestMain lets the test binary act as the command in a child process, so
// the signal test needs no separate build.
func TestMain(m *testing.M) {
	if os.Getenv("MOCKGRAPH_AS_COMMAND") == "1" {
		os.Args = append([]string{"mockgraph"}, os.Args[1:]...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestCommandStopsOnSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		cmd := exec.Command(os.Args[0], "--seed", "../../../examples/mockgraph/seed.json", "--ca-out", t.TempDir()+"/ca.pem")
		cmd.Env = append(os.Environ(), "MOCKGRAPH_AS_COMMAND=1")
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err != nil {
			_ = cmd.Process.Kill()
			t.Fatalf("no ready line: %v", err)
		}
		var rl readyLine
		if err := json.Unmarshal([]byte(line), &rl); err != nil || rl.GraphEndpoint == "" {
			_ = cmd.Process.Kill()
			t.Fatalf("ready line %q: %v", line, err)
		}
		t.Logf("ready after %v", time.Since(start))
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("%v: exit %v", sig, err)
			}
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatalf("%v: did not stop", sig)
		}
	}
}
