package main

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
	"github.com/entraauth/terraform-provider-entraauth/internal/tfharness"
)

// exampleModule is the worked example of the guide "Testing modules offline
// with the mock Graph" (docs/guides/testing-modules-offline.md).
var exampleModule = filepath.Join("..", "..", "..", "examples", "modules", "sms-sign-in-rollout")

// TestExampleModuleTerraformTest runs the example module's own test suite
// (tests/*.tftest.hcl) with the real `terraform test`, against this command
// started from the module's seed with --env-file, as the guide does: the
// provider and mockgraph are built from this tree, the helper module calls
// `mockgraph admin` for the drift and throttling cases. Every run block
// must pass; none may be skipped.
func TestExampleModuleTerraformTest(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1: this test builds the provider and mockgraph and runs terraform test")
	}
	t.Parallel()
	// The CLI under test (TF_ACC_TERRAFORM_PATH, else terraform on PATH):
	// `terraform test` or `tofu test`.
	tfCLI := acctest.MustCLI(t)
	tfBin := tfCLI.Path
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	// The provider through a local mirror (init is offline), and mockgraph
	// on PATH for the tests' admin helper.
	cli := tfharness.CLIConfig{PluginDir: filepath.Join(work, "plugins"), MirrorDir: filepath.Join(work, "mirror"), Registry: tfharness.RegistryFor(tfCLI.Name)}
	provider := filepath.Join(cli.PluginDir, tfharness.ProviderExe)
	binDir := filepath.Join(work, "bin")
	goBuild(ctx, t, root, provider, ".")
	goBuild(ctx, t, root, filepath.Join(binDir, "mockgraph"), "./internal/cmd/mockgraph")
	if err := cli.PlaceInMirror(provider); err != nil {
		t.Fatal(err)
	}
	rc := filepath.Join(work, "terraform.rc")
	if err := os.WriteFile(rc, []byte(cli.HCL()), 0o600); err != nil {
		t.Fatal(err)
	}

	module := filepath.Join(work, "module")
	copyModule(t, exampleModule, module)
	seed := filepath.Join(module, "tests", "mockgraph-seed.json")
	envFile := filepath.Join(work, "mockgraph.env")
	rl := startCmd(t, "--seed", seed, "--ca-out", filepath.Join(work, "ca.pem"), "--env-file", envFile)

	env := tfharness.Env(os.Environ(), tfharness.Settings{
		CLIConfigFile: rc,
		TmpDir:        work,
		CAFile:        rl.CAFile,
		App:           seedApp(t, seed),
		GraphEndpoint: rl.GraphEndpoint,
		AuthorityHost: rl.AuthorityHost,
	})
	// What the guide sources from --env-file; the harness already set the
	// ARM_ endpoints, and they must agree with the file.
	for name, value := range readEnvFile(t, envFile) {
		if strings.HasPrefix(name, "ARM_") {
			if want := "=" + value; !containsEnv(env, name+want) {
				t.Errorf("--env-file %s=%s disagrees with the ready line", name, value)
			}
			continue
		}
		env = append(env, name+"="+value)
	}
	env = append(env, "PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"))

	t.Run("terraform test", func(t *testing.T) {
		terraform := func(args ...string) (string, error) {
			cmd := tfharness.Command(ctx, tfBin, module, env, args...)
			out, err := cmd.CombinedOutput()
			return string(out), err
		}
		if out, err := terraform("init", "-no-color", "-input=false"); err != nil {
			t.Fatalf("terraform init: %v\n%s", err, out)
		}
		out, err := terraform("test", "-no-color")
		t.Logf("terraform test:\n%s", out)
		if err != nil {
			t.Fatalf("terraform test: %v", err)
		}
		runs := countRunBlocks(t, module)
		m := regexp.MustCompile(`Success! (\d+) passed, 0 failed\.`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no success line in terraform test's output")
		}
		if passed, _ := strconv.Atoi(m[1]); passed != runs {
			t.Fatalf("%d run blocks passed, the test files have %d (skipped runs?)", passed, runs)
		}
	})

	// The guide's Go example (terraform-plugin-testing) starts its own mock
	// and trusts its CA through SSL_CERT_DIR, so the harness's endpoints
	// and SSL_CERT_FILE are left out; init still uses the mirror.
	t.Run("go test", func(t *testing.T) {
		var goEnv []string
		for _, kv := range env {
			name, _, _ := strings.Cut(kv, "=")
			if name != "SSL_CERT_FILE" && name != "ARM_MSGRAPH_ENDPOINT" && name != "ARM_AUTHORITY_HOST" {
				goEnv = append(goEnv, kv)
			}
		}
		cmd := exec.CommandContext(ctx, "go", "test", "-count=1", "-v", "-run", "^TestRolloutWithPluginTesting$", "./examples/modules/sms-sign-in-rollout/gotest")
		cmd.Dir = root
		// The same CLI drives terraform-plugin-testing there.
		cmd.Env = append(goEnv, "TF_ACC=1", "TF_ACC_TERRAFORM_PATH="+tfBin)
		out, err := cmd.CombinedOutput()
		t.Logf("go test:\n%s", out)
		if err != nil {
			t.Fatalf("go test: %v", err)
		}
		if !strings.Contains(string(out), "--- PASS: TestRolloutWithPluginTesting") {
			t.Fatal("TestRolloutWithPluginTesting did not pass (skipped?)")
		}
	})
}

func goBuild(ctx context.Context, t *testing.T, root, out, pkg string) {
	t.Helper()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, b)
	}
}

// copyModule copies the module's sources, leaving out what a local
// terraform init or test left behind.
func copyModule(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		name := d.Name()
		if name == ".terraform" || name == ".terraform.lock.hcl" || strings.HasPrefix(name, "terraform.tfstate") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// seedApp is the first app of the seed's first tenant: the credentials the
// test files' provider blocks use.
func seedApp(t *testing.T, seedFile string) tfharness.App {
	t.Helper()
	sd, err := mockgraph.ReadSeedFile(seedFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(sd.Tenants) == 0 || len(sd.Tenants[0].Apps) == 0 || len(sd.Tenants[0].Apps[0].Secrets) == 0 {
		t.Fatalf("%s: want a tenant with an app that has a secret", seedFile)
	}
	app := sd.Tenants[0].Apps[0]
	return tfharness.App{TenantID: sd.Tenants[0].ID, ClientID: app.ClientID, ClientSecret: app.Secrets[0]}
}

func readEnvFile(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("--env-file: %v", err)
	}
	vars := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		name, value, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("--env-file line %q is not NAME=value", line)
		}
		vars[name] = value
	}
	return vars
}

func containsEnv(env []string, kv string) bool {
	for _, e := range env {
		if e == kv {
			return true
		}
	}
	return false
}

func countRunBlocks(t *testing.T, module string) int {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(module, "tests", "*.tftest.hcl"))
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		n += len(regexp.MustCompile(`(?m)^run "`).FindAll(b, -1))
	}
	if n == 0 {
		t.Fatalf("no run blocks in %s/tests", module)
	}
	return n
}

// TestEnvFile: --env-file holds what the ready line says, and goes away
// when the mock stops.
func TestEnvFile(t *testing.T) {
	envFile := filepath.Join(t.TempDir(), "mockgraph.env")
	var rl readyLine
	t.Run("running", func(t *testing.T) {
		rl = startCmd(t, "--seed", "../../../examples/mockgraph/seed.json", "--env-file", envFile)
		got := readEnvFile(t, envFile)
		want := map[string]string{
			"ARM_MSGRAPH_ENDPOINT": rl.GraphEndpoint,
			"ARM_AUTHORITY_HOST":   rl.AuthorityHost,
			"MOCKGRAPH_ADMIN_URL":  rl.AdminURL,
			"MOCKGRAPH_CA_FILE":    rl.CAFile,
		}
		gotJSON, _ := json.Marshal(got)
		wantJSON, _ := json.Marshal(want)
		if string(gotJSON) != string(wantJSON) {
			t.Fatalf("env file %s, want %s", gotJSON, wantJSON)
		}
	})
	if _, err := os.Stat(envFile); !os.IsNotExist(err) {
		t.Fatalf("env file left behind after stop: %v", err)
	}
}
