package main

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph/tlsca"
)

// lockedBuffer is a bytes.Buffer safe for the server goroutine and the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type readyLine struct {
	GraphEndpoint string   `json:"graph_endpoint"`
	AuthorityHost string   `json:"authority_host"`
	CAFile        string   `json:"ca_file"`
	AdminURL      string   `json:"admin_url"`
	Tenants       []string `json:"tenants"`
}

// startCmd runs the command in-process until the test ends.
func startCmd(t *testing.T, args ...string) readyLine {
	t.Helper()
	var stdout, stderr lockedBuffer
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- run(args, &stdout, &stderr, stop) }()
	t.Cleanup(func() {
		close(stop)
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if out := stdout.String(); strings.HasSuffix(out, "\n") {
			if strings.Count(out, "\n") != 1 {
				t.Fatalf("stdout must be exactly one line: %q", out)
			}
			var rl readyLine
			if err := json.Unmarshal([]byte(out), &rl); err != nil {
				t.Fatalf("ready line is not JSON: %q", out)
			}
			return rl
		}
		select {
		case err := <-done:
			t.Fatalf("exited early: %v; stderr: %s", err, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("not ready; stderr: %s", stderr.String())
	return readyLine{}
}

func TestCommandWithExampleSeed(t *testing.T) {
	caOut := filepath.Join(t.TempDir(), "ca.pem")
	rl := startCmd(t, "--seed", "../../../examples/mockgraph/seed.json", "--ca-out", caOut, "--latency", "1ms", "--write-budget", "100/1s")
	if !strings.HasPrefix(rl.GraphEndpoint, "https://127.0.0.1:") || rl.AdminURL != rl.GraphEndpoint+"/_mock" ||
		rl.AuthorityHost != rl.GraphEndpoint+"/" || rl.CAFile != caOut || len(rl.Tenants) != 1 {
		t.Fatalf("ready line %+v", rl)
	}
	pem, err := os.ReadFile(caOut)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("CA file is not PEM")
	}
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := c.Get(rl.AdminURL + "/writeBudget")
	if err != nil {
		t.Fatal(err)
	}
	var wb struct{ Capacity int }
	_ = json.NewDecoder(resp.Body).Decode(&wb)
	resp.Body.Close()
	if wb.Capacity != 100 {
		t.Fatalf("write budget %+v", wb)
	}
	resp, err = c.Get(rl.AdminURL + "/faults")
	if err != nil {
		t.Fatal(err)
	}
	var faults []map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&faults)
	resp.Body.Close()
	if len(faults) != 1 || faults[0]["kind"] != "latency" {
		t.Fatalf("faults %v", faults)
	}
}

func TestCommandPlainHTTPAndFaultsFile(t *testing.T) {
	faults := filepath.Join(t.TempDir(), "faults.json")
	if err := os.WriteFile(faults, []byte(`[{"kind":"throttle","match":"list","count":1,"retry_after_seconds":2}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	rl := startCmd(t, "--plain-http", "--faults", faults, "--write-budget", "off")
	if !strings.HasPrefix(rl.GraphEndpoint, "http://127.0.0.1:") || rl.CAFile != "" {
		t.Fatalf("ready line %+v", rl)
	}
	resp, err := http.Get(rl.AdminURL + "/faults")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var fs []map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&fs)
	if len(fs) != 1 || fs[0]["kind"] != "throttle" {
		t.Fatalf("faults %v", fs)
	}
}

func TestCommandReusesCA(t *testing.T) {
	dir := t.TempDir()
	cert, key := filepath.Join(dir, "ca.pem"), filepath.Join(dir, "ca-key.pem")
	ca, err := tlsca.New()
	if err != nil {
		t.Fatal(err)
	}
	if err := ca.WriteFiles(cert, key); err != nil {
		t.Fatal(err)
	}
	rl := startCmd(t, "--ca-cert", cert, "--ca-key", key)
	if rl.CAFile != cert {
		t.Fatalf("ca_file %q, want %q", rl.CAFile, cert)
	}
	pem, _ := os.ReadFile(cert)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := c.Get(rl.AdminURL + "/health")
	if err != nil {
		t.Fatalf("reused CA not trusted: %v", err)
	}
	resp.Body.Close()
}

func TestCommandFlagErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--listen", "0.0.0.0:0"},
		{"--listen", "10.0.0.1:8443"},
		{"--write-budget", "lots"},
		{"--write-budget", "10/never"},
		{"--ca-cert", "x.pem"},
		{"--plain-http", "--ca-out", "x.pem"},
		{"--seed", "does-not-exist.json"},
		{"--faults", "does-not-exist.json"},
		{"stray"},
	} {
		var out, errb lockedBuffer
		if err := run(args, &out, &errb, make(chan struct{})); err == nil {
			t.Errorf("%v: accepted", args)
		}
		if out.String() != "" {
			t.Errorf("%v: printed a ready line: %q", args, out.String())
		}
	}
	var out, errb lockedBuffer
	if err := run([]string{"--help"}, &out, &errb, nil); !errors.Is(err, flag.ErrHelp) || !strings.Contains(errb.String(), "--seed") && !strings.Contains(errb.String(), "-seed") {
		t.Fatalf("--help: %v %q", err, errb.String())
	}
}
