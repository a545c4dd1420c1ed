package main

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

const adminUsage = `Usage: mockgraph admin [flags] METHOD PATH [BODY]

Calls the admin API of a running mock and prints the JSON answer (or writes
it to --out; an empty answer is written as null). Exits 1 on a status that
is not 2xx, with the mock's error on stderr. PATH is below the admin URL
(e.g. /faults or /tenants/contoso.onmicrosoft.com/users); BODY is JSON, or
@FILE to read it from a file. Used by terraform test helper modules
(local-exec), so no curl is needed:

  mockgraph admin POST /faults '{"kind":"throttle","match":"write","count":3,"retry_after_seconds":1}'
  mockgraph admin PATCH /tenants/contoso.onmicrosoft.com/users/adele@contoso.onmicrosoft.com/phoneMethods/3179e48a-750b-4051-897c-87b9720928f7 '{"smsSignInEnabled":false}'

Flags:
`

// runAdmin is `mockgraph admin`.
func runAdmin(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("mockgraph admin", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("url", os.Getenv("MOCKGRAPH_ADMIN_URL"), "the mock's admin_url (default $MOCKGRAPH_ADMIN_URL)")
	caFile := fs.String("ca-file", firstNonEmpty(os.Getenv("MOCKGRAPH_CA_FILE"), os.Getenv("SSL_CERT_FILE")), "the mock's CA certificate (default $MOCKGRAPH_CA_FILE, else $SSL_CERT_FILE)")
	out := fs.String("out", "", "write the answer to this file (parent directories are created) instead of stdout")
	timeout := fs.Duration("timeout", 30*time.Second, "give up after this long")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), adminUsage)
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), usageTail)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() < 2 || fs.NArg() > 3 {
		fs.Usage()
		return errors.New("admin: want METHOD PATH [BODY]")
	}
	if *url == "" {
		return errors.New("admin: no admin URL: pass --url or set MOCKGRAPH_ADMIN_URL (the mock's ready line and --env-file have it)")
	}
	method, path := strings.ToUpper(fs.Arg(0)), fs.Arg(1)
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	var body io.Reader
	if fs.NArg() == 3 {
		b := []byte(fs.Arg(2))
		if name, ok := strings.CutPrefix(fs.Arg(2), "@"); ok {
			var err error
			if b, err = os.ReadFile(name); err != nil {
				return fmt.Errorf("admin: %w", err)
			}
		}
		body = bytes.NewReader(b)
	}
	client, err := adminClient(*caFile, *timeout)
	if err != nil {
		return err
	}
	req, err := http.NewRequest(method, strings.TrimRight(*url, "/")+path, body)
	if err != nil {
		return fmt.Errorf("admin: %w", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("admin: %w", err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("admin: reading the answer: %w", err)
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("admin: %s %s: %s: %s", method, path, resp.Status, bytes.TrimSpace(answer))
	}
	if len(bytes.TrimSpace(answer)) == 0 {
		answer = []byte("null\n")
	}
	if *out == "" {
		_, err := stdout.Write(answer)
		return err
	}
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		return fmt.Errorf("admin: %w", err)
	}
	return os.WriteFile(*out, answer, 0o644)
}

// adminClient trusts caFile (PEM) when given, else the system roots.
func adminClient(caFile string, timeout time.Duration) (*http.Client, error) {
	tr := &http.Transport{} // no proxy: the mock is on loopback
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("admin: CA file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("admin: CA file %s holds no PEM certificate", caFile)
		}
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return &http.Client{Transport: tr, Timeout: timeout}, nil
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
