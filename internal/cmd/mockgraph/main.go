// Command mockgraph runs the mock Microsoft Graph (phone authentication
// methods, SMS policy) and its Entra token endpoint on loopback, for
// acceptance tests, demos and benchmarks.
//
// When ready it prints exactly one JSON line on stdout:
//
//	{"graph_endpoint":"https://127.0.0.1:41234","authority_host":"https://127.0.0.1:41234/",
//	 "ca_file":"/tmp/mockgraph-ca.pem","admin_url":"https://127.0.0.1:41234/_mock","tenants":["..."]}
//
// and logs to stderr. SIGINT or SIGTERM stops it. --env-file also writes
// the endpoints as NAME=value lines for a shell or a CI job.
//
//	mockgraph --version            the version (set at release by ldflags)
//	mockgraph admin METHOD PATH    call the admin API (see --help)
//	mockgraph seed-schema          print the seed format's JSON Schema
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph/tlsca"
)

// version is set at release: -ldflags "-X main.version={{ .Version }}".
var version = "dev"

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr, nil); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "mockgraph:", err)
		os.Exit(1)
	}
}

type config struct {
	listen, seed, caOut, caCert, caKey, faults, writeBudget, envFile string
	plain                                                            bool
	latency, jitter                                                  time.Duration
	verbose, version                                                 bool
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("mockgraph", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.listen, "listen", "127.0.0.1:0", "listen address; loopback only (port 0: the OS picks)")
	fs.StringVar(&c.seed, "seed", "", "seed JSON file (tenants, apps, users, groups, phones, SMS policy, faults)")
	fs.StringVar(&c.caOut, "ca-out", "", "write the CA certificate (PEM) here; default: a temp file removed on exit")
	fs.StringVar(&c.caCert, "ca-cert", "", "reuse this CA certificate (PEM, with --ca-key)")
	fs.StringVar(&c.caKey, "ca-key", "", "private key of --ca-cert (PEM)")
	fs.BoolVar(&c.plain, "plain-http", false, "serve plain HTTP instead of TLS")
	fs.DurationVar(&c.latency, "latency", 0, "fixed latency added to every Graph call")
	fs.DurationVar(&c.jitter, "jitter", 0, "random extra latency, up to this much")
	fs.StringVar(&c.writeBudget, "write-budget", "18000/5m", "per-tenant write token bucket as CAPACITY/WINDOW (Graph: 18000/5m), or off")
	fs.StringVar(&c.faults, "faults", "", "JSON file with a fault or an array of faults to install at start")
	fs.BoolVar(&c.verbose, "v", false, "log every request to stderr")
	fs.StringVar(&c.envFile, "env-file", "", "when ready, also write the endpoints to this file as NAME=value lines ("+strings.Join(envFileNames, ", ")+")")
	fs.BoolVar(&c.version, "version", false, "print the version and exit")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageHead)
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), usageTail)
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if c.version {
		return c, nil
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if (c.caCert == "") != (c.caKey == "") {
		return nil, errors.New("--ca-cert and --ca-key go together")
	}
	if c.plain && (c.caCert != "" || c.caOut != "") {
		return nil, errors.New("--plain-http has no CA: drop --ca-cert/--ca-key/--ca-out")
	}
	return c, nil
}

// parseWriteBudget reads CAPACITY/WINDOW or "off".
func parseWriteBudget(s string) (mockgraph.WriteBudget, error) {
	if strings.EqualFold(s, "off") {
		return mockgraph.WriteBudget{Disabled: true}, nil
	}
	capS, winS, ok := strings.Cut(s, "/")
	if !ok {
		return mockgraph.WriteBudget{}, fmt.Errorf("--write-budget %q: want CAPACITY/WINDOW like 18000/5m, or off", s)
	}
	n, err := strconv.Atoi(capS)
	if err != nil || n <= 0 {
		return mockgraph.WriteBudget{}, fmt.Errorf("--write-budget %q: capacity must be a positive integer", s)
	}
	w, err := time.ParseDuration(winS)
	if err != nil || w <= 0 {
		return mockgraph.WriteBudget{}, fmt.Errorf("--write-budget %q: window must be a positive duration", s)
	}
	return mockgraph.WriteBudget{Capacity: n, Window: mockgraph.Duration(w)}, nil
}

// run starts the server and blocks until a signal arrives (or stop is
// closed, for tests).
func run(args []string, stdout, stderr io.Writer, stop <-chan struct{}) error {
	if len(args) > 0 {
		switch args[0] {
		case "admin":
			return runAdmin(args[1:], stdout, stderr)
		case "seed-schema":
			_, err := stdout.Write(mockgraph.SeedSchema)
			return err
		}
	}
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if c.version {
		_, err := fmt.Fprintf(stdout, "mockgraph %s\n", version)
		return err
	}
	level := slog.LevelInfo
	if c.verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	budget, err := parseWriteBudget(c.writeBudget)
	if err != nil {
		return err
	}
	opts := mockgraph.Options{
		Addr: c.listen, PlainHTTP: c.plain, Latency: c.latency, Jitter: c.jitter,
		WriteBudget: &budget, Logger: logger,
	}
	if c.seed != "" {
		if opts.Seed, err = mockgraph.ReadSeedFile(c.seed); err != nil {
			return seedFileError(c.seed, err)
		}
	}
	if c.faults != "" {
		b, err := os.ReadFile(c.faults)
		if err != nil {
			return err
		}
		if opts.Faults, err = mockgraph.ParseFaults(b); err != nil {
			return fmt.Errorf("--faults %s: %w", c.faults, err)
		}
	}
	if !c.plain {
		if c.caCert != "" {
			if opts.CA, err = tlsca.Load(c.caCert, c.caKey); err != nil {
				return err
			}
		} else if opts.CA, err = tlsca.New(); err != nil {
			return err
		}
		opts.CAFile = c.caOut
		if opts.CAFile == "" && c.caCert != "" {
			opts.CAFile = c.caCert
		}
		if opts.CAFile == "" {
			// A file we chose is ours to remove when the server stops.
			opts.CAFile = filepath.Join(os.TempDir(), fmt.Sprintf("mockgraph-ca-%d.pem", os.Getpid()))
			defer os.Remove(opts.CAFile)
		}
		if opts.CAFile != c.caCert {
			if err := opts.CA.WriteCertFile(opts.CAFile); err != nil {
				return err
			}
		}
	}
	// Catch signals before announcing readiness: a script may signal as
	// soon as it has read the line.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sig)

	srv, err := mockgraph.Start(opts)
	if err != nil {
		if c.seed != "" {
			return seedFileError(c.seed, err)
		}
		return err
	}
	defer srv.Close()
	info := srv.Info("")
	if c.envFile != "" {
		if err := writeEnvFile(c.envFile, info); err != nil {
			return err
		}
		defer os.Remove(c.envFile)
	}

	line, err := json.Marshal(info)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintln(stdout, string(line)); err != nil {
		return err
	}
	logger.Info("mockgraph ready", "graph_endpoint", srv.GraphEndpoint(), "admin_url", srv.AdminURL(), "ca_file", opts.CAFile)

	select {
	case s := <-sig:
		logger.Info("stopping", "signal", s.String())
	case <-stop:
	}
	return nil
}
