package tfharness

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
)

// The registries a bare provider source such as entraauth/entraauth
// resolves against: Terraform's, and OpenTofu's own.
const (
	TerraformRegistry = "registry.terraform.io"
	OpenTofuRegistry  = "registry.opentofu.org"
)

// versionLine is the line of `terraform version` / `tofu version` that
// names the product; a warning about the CLI configuration may come first.
var versionLine = regexp.MustCompile(`(?m)^(Terraform|OpenTofu) v(\S+)`)

// IdentifyCLI runs `tfBin version` and returns the product, "Terraform" or
// "OpenTofu", and its version, e.g. "1.12.6".
func IdentifyCLI(tfBin string) (product, version string, err error) {
	cmd := exec.Command(tfBin, "version")
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", "", fmt.Errorf("%s version: %v\n%s", tfBin, err, out)
	}
	m := versionLine.FindSubmatch(out)
	if m == nil {
		return "", "", fmt.Errorf("%s version printed no \"Terraform v...\" or \"OpenTofu v...\" line:\n%s", tfBin, out)
	}
	return string(m[1]), string(m[2]), nil
}

// RegistryFor is the registry host the CLI product resolves bare sources
// against.
func RegistryFor(product string) string {
	if product == "OpenTofu" {
		return OpenTofuRegistry
	}
	return TerraformRegistry
}
