package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"
)

// Terraform's go-plugin handshake: with this cookie the provider serves
// and prints "1|6|unix|/tmp/plugin...|grpc|" once it accepts connections.
const (
	magicCookieKey   = "TF_PLUGIN_MAGIC_COOKIE"
	magicCookieValue = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
)

// startupStats is the provider binary's size and its time to handshake.
type startupStats struct {
	SizeBytes int64           `json:"size_bytes"`
	Runs      []time.Duration `json:"-"`
	RunsMS    []float64       `json:"runs_ms"`
	Median    time.Duration   `json:"-"`
	MedianMS  float64         `json:"median_ms"`
	Handshake string          `json:"handshake_line"`
}

// measureStartup times exec until the handshake line, the moment Terraform
// could start talking to the provider: that is what each of Terraform's
// provider launches costs, unlike exec-to-exit without the cookie, which
// only measures printing a refusal. One untimed run warms the page cache.
func measureStartup(ctx context.Context, bin string, runs int, tmpDir string) (startupStats, error) {
	fi, err := os.Stat(bin)
	if err != nil {
		return startupStats{}, err
	}
	st := startupStats{SizeBytes: fi.Size()}
	for i := 0; i <= runs; i++ {
		d, line, err := timeHandshake(ctx, bin, tmpDir)
		if err != nil {
			return st, err
		}
		if i == 0 {
			continue
		}
		st.Runs = append(st.Runs, d)
		st.RunsMS = append(st.RunsMS, ms(d))
		st.Handshake = line
	}
	st.Median = median(st.Runs)
	st.MedianMS = ms(st.Median)
	return st, nil
}

// timeHandshake starts the provider as Terraform would and waits for its
// first stdout line, then kills it. Its plugin socket goes under tmpDir,
// which the run removes (a killed provider cannot remove it itself).
func timeHandshake(ctx context.Context, bin, tmpDir string) (time.Duration, string, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin)
	cmd.Env = append(os.Environ(), magicCookieKey+"="+magicCookieValue, "PLUGIN_PROTOCOL_VERSIONS=6", "TMPDIR="+tmpDir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 0, "", err
	}
	cmd.WaitDelay = 5 * time.Second
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, "", err
	}
	line, rerr := bufio.NewReader(stdout).ReadString('\n')
	d := time.Since(start)
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	if rerr != nil {
		return 0, "", fmt.Errorf("no handshake line from %s: %w", bin, rerr)
	}
	line = strings.TrimSpace(line)
	if !strings.HasPrefix(line, "1|6|") {
		return 0, "", fmt.Errorf("unexpected handshake line from %s: %q", bin, line)
	}
	// Only the protocol part: the rest is a random socket path.
	parts := strings.SplitN(line, "|", 4)
	return d, strings.Join(parts[:3], "|"), nil
}

// median of durations (the lower middle for an even count).
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
