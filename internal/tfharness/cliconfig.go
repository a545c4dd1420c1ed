package tfharness

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// The provider as Terraform addresses and finds it.
const (
	ProviderSource = "entraauth/entraauth"
	// ProviderExe is the binary's name; dev_overrides looks it up by name.
	ProviderExe = "terraform-provider-entraauth"
	// MirrorVersion is the version the filesystem mirror offers to init.
	MirrorVersion = "0.0.1"
)

// CLIConfig is the provider_installation block of the run's CLI config.
type CLIConfig struct {
	// PluginDir holds ProviderExe; dev_overrides makes plan and apply use it.
	PluginDir string
	// MirrorDir, when set, is a filesystem mirror (see PlaceInMirror) so
	// that terraform init resolves the provider offline, and every other
	// provider comes from its registry. Without it nothing may be fetched,
	// and only configurations without a provider to install can be inited.
	MirrorDir string
	// Registry is the host the CLI resolves entraauth/entraauth against
	// (RegistryFor): the mirror must hold the provider under it. Empty is
	// registry.terraform.io.
	Registry string
}

// providerFQN is the provider's full address on the CLI's registry.
func (c CLIConfig) providerFQN() string {
	if c.Registry == "" {
		return TerraformRegistry + "/" + ProviderSource
	}
	return c.Registry + "/" + ProviderSource
}

// HCL renders the CLI config.
func (c CLIConfig) HCL() string {
	var b strings.Builder
	fmt.Fprintf(&b, "provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n", ProviderSource, c.PluginDir)
	if c.MirrorDir != "" {
		fmt.Fprintf(&b, "  filesystem_mirror {\n    path    = %q\n    include = [%q]\n  }\n", c.MirrorDir, c.providerFQN())
		fmt.Fprintf(&b, "  direct {\n    exclude = [%q]\n  }\n", c.providerFQN())
	}
	b.WriteString("}\n")
	return b.String()
}

// PlaceInMirror links binary into MirrorDir in the unpacked mirror layout
// at MirrorVersion, because this build is not published on any registry.
func (c CLIConfig) PlaceInMirror(binary string) error {
	mirrored := filepath.Join(c.MirrorDir, c.providerFQN(), MirrorVersion,
		runtime.GOOS+"_"+runtime.GOARCH, ProviderExe+"_v"+MirrorVersion)
	if err := os.MkdirAll(filepath.Dir(mirrored), 0o755); err != nil {
		return err
	}
	if err := os.Link(binary, mirrored); err != nil {
		return fmt.Errorf("placing the provider in the local mirror: %w", err)
	}
	return nil
}
