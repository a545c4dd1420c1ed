package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

func TestVersion(t *testing.T) {
	var out, errb lockedBuffer
	if err := run([]string{"--version"}, &out, &errb, nil); err != nil || out.String() != "mockgraph dev\n" {
		t.Fatalf("--version: %v %q", err, out.String())
	}
}

func TestSeedSchemaCommand(t *testing.T) {
	var out, errb lockedBuffer
	if err := run([]string{"seed-schema"}, &out, &errb, nil); err != nil || out.String() != string(mockgraph.SeedSchema) {
		t.Fatalf("seed-schema: %v", err)
	}
	if !json.Valid([]byte(out.String())) {
		t.Fatal("seed-schema is not JSON")
	}
}

// TestBadSeedNamesTheField: a bad seed stops the command before it is
// ready, with the file and the path of each bad field.
func TestBadSeedNamesTheField(t *testing.T) {
	seed := filepath.Join(t.TempDir(), "seed.json")
	body := `{"tenants":[{"id":"t","users":[{"userPrincipalName":"a@t"},{"userPrincipalName":"b@t"},{"userPrincipalName":"c@t","phoneMethods":[{"phoneType":"mobile","phoneNumber":"+1 555-555-0100"}]}]}]}`
	if err := os.WriteFile(seed, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb lockedBuffer
	err := run([]string{"--seed", seed}, &out, &errb, make(chan struct{}))
	want := "--seed " + seed + `: tenants[0].users[2].phoneMethods[0].phoneNumber: "+1 555-555-0100" does not match`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("error %v, want prefix %q", err, want)
	}
	if out.String() != "" {
		t.Fatalf("printed a ready line: %q", out.String())
	}
	// A dangling group member is found while applying; still named.
	if err := os.WriteFile(seed, []byte(`{"tenants":[{"id":"t","groups":[{"id":"g","members":["ghost@t"]}]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"--seed", seed}, &out, &errb, make(chan struct{})); err == nil || !strings.Contains(err.Error(), "tenants[0].groups[0]: ") {
		t.Fatalf("dangling member: %v", err)
	}
}

func TestAdminCommand(t *testing.T) {
	rl := startCmd(t, "--seed", "../../../examples/mockgraph/seed.json", "--ca-out", filepath.Join(t.TempDir(), "ca.pem"))
	admin := func(args ...string) (string, error) {
		var out, errb lockedBuffer
		err := run(append([]string{"admin", "--url", rl.AdminURL, "--ca-file", rl.CAFile}, args...), &out, &errb, nil)
		return out.String(), err
	}
	out, err := admin("POST", "/faults", `{"id":"t1","kind":"throttle","match":"write","count":2}`)
	if err != nil || !strings.Contains(out, `"remaining":2`) {
		t.Fatalf("POST /faults: %v %q", err, out)
	}
	// Body from a file, answer to a file; the path may leave out its slash.
	dir := t.TempDir()
	body := filepath.Join(dir, "body.json")
	if err := os.WriteFile(body, []byte(`{"smsSignInEnabled":false}`), 0o600); err != nil {
		t.Fatal(err)
	}
	answer := filepath.Join(dir, "deep", "answer.json")
	if _, err := admin("--out", answer, "patch", "tenants/contoso.onmicrosoft.com/users/adele@contoso.onmicrosoft.com/phoneMethods/3179e48a-750b-4051-897c-87b9720928f7", "@"+body); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(answer); err != nil || string(b) != "null\n" {
		t.Fatalf("204 answer in --out: %q %v", b, err)
	}
	out, err = admin("GET", "/tenants/contoso.onmicrosoft.com/users/adele@contoso.onmicrosoft.com/phoneMethods")
	if err != nil || !strings.Contains(out, `"smsSignInState":"notEnabled"`) {
		t.Fatalf("after PATCH: %v %q", err, out)
	}
	// A refusal is an error with the mock's message.
	if _, err := admin("DELETE", "/faults/nope"); err == nil || !strings.Contains(err.Error(), "404") || !strings.Contains(err.Error(), "no fault with id nope") {
		t.Fatalf("DELETE missing fault: %v", err)
	}
	// The URL and CA can come from the environment, as --env-file names them.
	t.Setenv("MOCKGRAPH_ADMIN_URL", rl.AdminURL)
	t.Setenv("MOCKGRAPH_CA_FILE", rl.CAFile)
	var o, e lockedBuffer
	if err := run([]string{"admin", "GET", "/health"}, &o, &e, nil); err != nil || !strings.Contains(o.String(), `"ok"`) {
		t.Fatalf("from the environment: %v %q", err, o.String())
	}
	t.Setenv("MOCKGRAPH_ADMIN_URL", "")
	if err := run([]string{"admin", "GET", "/health"}, &o, &e, nil); err == nil || !strings.Contains(err.Error(), "MOCKGRAPH_ADMIN_URL") {
		t.Fatalf("without a URL: %v", err)
	}
	if err := run([]string{"admin", "GET"}, &o, &e, nil); err == nil {
		t.Fatal("admin with one argument accepted")
	}
}

// TestHelpHasTheAdminReference: --help documents every admin route.
func TestHelpHasTheAdminReference(t *testing.T) {
	var out, errb lockedBuffer
	_ = run([]string{"--help"}, &out, &errb, nil)
	if !strings.Contains(errb.String(), mockgraph.AdminAPIReference()) {
		t.Fatalf("--help lacks the admin API reference:\n%s", errb.String())
	}
}
