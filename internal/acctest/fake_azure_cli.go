package acctest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// FakeAzureCLI describes a stand-in for the Azure CLI (az) for sign-in
// tests: azidentity's AzureCLICredential runs
// `az account get-access-token -o json --resource <graph> [--tenant <t>]`
// through /bin/sh and reads its JSON (accessToken, expires_on) or, on a
// non-zero exit, its stderr; the provider also runs
// `az account show --query tenantId -o tsv` to name the CLI's tenant.
type FakeAzureCLI struct {
	// Tenant is the tenant the CLI is signed in to; "" means no account is
	// signed in: every "az account" command then fails as az does
	// ("ERROR: Please run 'az login' to setup account.").
	Tenant string
	// TokenError, when not empty, is what "az account get-access-token"
	// writes to stderr before exiting with 1 (az's "ERROR: ..." lines).
	TokenError string
	// AccessToken is printed by a successful get-access-token.
	AccessToken string
}

// WriteFakeAzureCLI writes f as an executable "az" into a new temporary
// directory and returns the directory, to be put on PATH. The script uses
// shell built-ins only, so it works with a PATH holding nothing else.
// Every run appends its arguments as one line to FakeAzureCLICalls.
func WriteFakeAzureCLI(t testing.TB, f FakeAzureCLI) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake Azure CLI is a POSIX shell script")
	}
	dir := t.TempDir()
	calls := filepath.Join(dir, "calls.log")
	var b strings.Builder
	b.WriteString("#!/bin/sh\n# Fake Azure CLI written by acctest.WriteFakeAzureCLI.\n")
	fmt.Fprintf(&b, "printf '%%s\\n' \"$*\" >> %s\n", shQuote(calls))
	if f.Tenant == "" {
		b.WriteString("case \"$1 $2\" in\n'account '*)\n  printf '%s\\n' \"ERROR: Please run 'az login' to setup account.\" >&2\n  exit 1 ;;\nesac\n")
	}
	b.WriteString("case \"$1 $2\" in\n")
	fmt.Fprintf(&b, "'account show')\n  printf '%%s\\n' %s\n  exit 0 ;;\n", shQuote(f.Tenant))
	b.WriteString("'account get-access-token')\n")
	if f.TokenError != "" {
		fmt.Fprintf(&b, "  printf '%%s\\n' %s >&2\n  exit 1 ;;\n", shQuote(f.TokenError))
	} else {
		fmt.Fprintf(&b, "  printf '%%s\\n' %s\n  exit 0 ;;\n",
			shQuote(fmt.Sprintf(`{"accessToken": %q, "expires_on": 4102444800, "tenant": %q, "tokenType": "Bearer"}`, f.AccessToken, f.Tenant)))
	}
	b.WriteString("esac\nprintf '%s\\n' \"ERROR: the fake az does not know this command: $*\" >&2\nexit 2\n")
	if err := os.WriteFile(filepath.Join(dir, "az"), []byte(b.String()), 0o755); err != nil { // #nosec G306 -- an executable for the test
		t.Fatal(err)
	}
	return dir
}

// FakeAzureCLICalls returns the argument lines of every run of the fake az
// in dir, oldest first.
func FakeAzureCLICalls(t testing.TB, dir string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "calls.log"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// shQuote quotes s as one POSIX shell word.
func shQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
