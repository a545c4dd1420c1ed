package provider_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	goversion "github.com/hashicorp/go-version"
)

// TestExamplesValidate runs `terraform validate` on every example the docs
// show, against the provider built from this tree, so a renamed attribute
// or a typo in an example fails the suite instead of a reader.
// Each .tf file under examples/provider, examples/resources,
// examples/data-sources and examples/functions stands alone; examples/demo
// is one module.
func TestExamplesValidate(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1: this test builds the provider and runs the terraform CLI")
	}
	cli := acctest.MustCLI(t)
	tf := cli.Path
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	plugins := filepath.Join(work, "plugins")
	build := exec.Command("go", "build", "-o", filepath.Join(plugins, "terraform-provider-entraauth"), ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	rc := filepath.Join(work, "terraform.rc")
	cfg := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", "entraauth/entraauth", plugins)
	if err := os.WriteFile(rc, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}

	modules := map[string][]string{} // name -> files making up one module
	for _, dir := range []string{"examples/provider", "examples/resources", "examples/data-sources", "examples/functions"} {
		files, _ := filepath.Glob(filepath.Join(root, dir, "*.tf"))
		nested, _ := filepath.Glob(filepath.Join(root, dir, "*", "*.tf"))
		for _, f := range append(files, nested...) {
			rel, _ := filepath.Rel(root, f)
			modules[rel] = []string{f}
		}
	}
	queries, _ := filepath.Glob(filepath.Join(root, "examples/list-resources/*/*.tfquery.hcl"))
	for _, f := range queries {
		rel, _ := filepath.Rel(root, f)
		modules[rel] = []string{f}
	}
	demo, _ := filepath.Glob(filepath.Join(root, "examples/demo/*.tf"))
	modules["examples/demo"] = demo
	if len(modules) < 2 {
		t.Fatalf("found %d example modules; the examples directory moved?", len(modules))
	}

	version := cli.Version
	for name, files := range modules {
		t.Run(name, func(t *testing.T) {
			if strings.HasSuffix(name, ".tfquery.hcl") {
				acctest.SkipOnOpenTofu(t, "list resources and the query command")
			}
			if needs := newestFeatureIn(files); needs != "" && version.LessThan(goversion.Must(goversion.NewVersion(needs))) {
				t.Skipf("%s is below %s, which the example needs: skipping", cli, needs)
			}
			dir := t.TempDir()
			for _, f := range files {
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if !declaresRequiredProviders(files) {
				// Doc snippets leave out required_providers; Terraform would
				// otherwise look for hashicorp/entraauth.
				versions := "terraform {\n  required_providers {\n    entraauth = {\n      source = \"entraauth/entraauth\"\n    }\n  }\n}\n"
				if err := os.WriteFile(filepath.Join(dir, "zz_versions.tf"), []byte(versions), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			args := []string{"validate", "-no-color"}
			if strings.HasSuffix(name, ".tfquery.hcl") {
				args = append(args, "-query")
			}
			cmd := exec.Command(tf, args...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("terraform validate %s: %v\n%s", name, err, out)
			}
		})
	}
}

func declaresRequiredProviders(files []string) bool {
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err == nil && strings.Contains(string(b), "required_providers") {
			return true
		}
	}
	return false
}

// newestFeatureIn is the Terraform version an example needs beyond the
// supported minimum (1.11): import blocks naming an identity need 1.12,
// query files 1.14.
func newestFeatureIn(files []string) string {
	for _, f := range files {
		b, err := os.ReadFile(f)
		switch {
		case strings.HasSuffix(f, ".tfquery.hcl"):
			return "1.14.0" // list blocks and terraform query
		case err == nil && strings.Contains(string(b), "identity = {"):
			return "1.12.0"
		}
	}
	return ""
}
