package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/tfharness"
)

// pprofDirEnv is the provider's switch for writing profiles (main's
// profiling.go).
const pprofDirEnv = "ENTRAAUTH_PPROF_DIR"

// workspace is one Terraform working directory inside the run's temporary
// directory; every terraform process gets the run's CLI config and env.
type workspace struct {
	name  string // "entraauth" or "terraform_data"
	dir   string
	tfBin string
	env   []string
	logs  string // directory for each command's output
	seq   int
	// pprofDir, when set, receives the provider's CPU and heap profiles of
	// each command, in a directory named like its log (-pprof).
	pprofDir string
}

// tfResult is one terraform command: exit code, wall time and the provider
// processes it started.
type tfResult struct {
	Args     []string
	ExitCode int
	Wall     time.Duration
	CPU      time.Duration // terraform's user+system time, the providers it waited for included
	Provider providerStats
	LogFile  string
	Errors   []string // "Error: ..." summaries from the output
}

// terraform runs one command with its output in a log file (a 1,000
// resource apply prints too much for the terminal) while polling the
// provider's peak memory.
func (w *workspace) terraform(ctx context.Context, args ...string) (tfResult, error) {
	w.seq++
	logFile := filepath.Join(w.logs, fmt.Sprintf("%s-%02d-%s.log", w.name, w.seq, args[0]))
	out, err := os.Create(logFile)
	if err != nil {
		return tfResult{}, err
	}
	defer out.Close()
	env := w.env
	if w.pprofDir != "" {
		dir := filepath.Join(w.pprofDir, strings.TrimSuffix(filepath.Base(logFile), ".log"))
		env = append(slices.Clip(env), pprofDirEnv+"="+dir)
	}
	cmd := tfharness.Command(ctx, w.tfBin, w.dir, env, args...)
	cmd.Stdout, cmd.Stderr = out, out

	fmt.Printf("$ terraform %s   (%s)\n", strings.Join(args, " "), w.name)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return tfResult{}, err
	}
	mon := watchProviders(cmd.Process.Pid, tfharness.ProviderExe)
	err = cmd.Wait()
	wall := time.Since(start)
	res := tfResult{Args: args, Wall: wall, Provider: mon.stop(), LogFile: logFile}
	if ps := cmd.ProcessState; ps != nil {
		// wait4's rusage covers terraform and the children it reaped.
		res.CPU = ps.UserTime() + ps.SystemTime()
	}
	if res.ExitCode, err = tfharness.ExitCode(err); err != nil {
		return res, err
	}
	res.Errors = errorSummaries(logFile)
	fmt.Printf("  exit %d in %s, CPU %s", res.ExitCode, wall.Round(time.Millisecond), res.CPU.Round(time.Millisecond))
	if res.Provider.Processes > 0 {
		fmt.Printf(", %d provider process(es), peak %s, provider CPU %s", res.Provider.Processes, formatBytes(res.Provider.PeakBytes), res.Provider.CPU.Round(time.Millisecond))
	}
	fmt.Println()
	return res, ctx.Err()
}

// mustSucceed turns a failed command into an error carrying its last lines.
func (r tfResult) mustSucceed(allowed ...int) error {
	if r.ExitCode == 0 {
		return nil
	}
	for _, a := range allowed {
		if r.ExitCode == a {
			return nil
		}
	}
	return fmt.Errorf("terraform %s exited %d:\n%s", strings.Join(r.Args, " "), r.ExitCode, tail(r.LogFile, 30))
}

// errorSummaries returns the "Error: ..." lines of a -no-color log.
func errorSummaries(logFile string) []string {
	b, err := os.ReadFile(logFile)
	if err != nil {
		return nil
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(strings.TrimLeft(line, "│╷╵ "))
		if strings.HasPrefix(line, "Error: ") {
			out = append(out, line)
		}
	}
	return out
}

// tail is the last n lines of a file, for failure messages.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(no output: " + err.Error() + ")"
	}
	lines := strings.Split(string(bytes.TrimRight(b, "\n")), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
