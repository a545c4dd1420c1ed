package tfharness

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestCLIConfigHCL(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		c    CLIConfig
		want string
	}{
		{"dev_overrides only: nothing may be fetched", CLIConfig{PluginDir: "/w/plugins"}, `provider_installation {
  dev_overrides {
    "entraauth/entraauth" = "/w/plugins"
  }
}
`},
		{"with a mirror for an offline init", CLIConfig{PluginDir: "/w/plugins", MirrorDir: "/w/mirror"}, `provider_installation {
  dev_overrides {
    "entraauth/entraauth" = "/w/plugins"
  }
  filesystem_mirror {
    path    = "/w/mirror"
    include = ["registry.terraform.io/entraauth/entraauth"]
  }
  direct {
    exclude = ["registry.terraform.io/entraauth/entraauth"]
  }
}
`},
	} {
		if got := tt.c.HCL(); got != tt.want {
			t.Errorf("%s:\n%s\nwant\n%s", tt.name, got, tt.want)
		}
	}
}

func TestPlaceInMirrorUsesTheUnpackedLayout(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bin := filepath.Join(dir, ProviderExe)
	if err := os.WriteFile(bin, []byte("provider"), 0o755); err != nil {
		t.Fatal(err)
	}
	c := CLIConfig{PluginDir: dir, MirrorDir: filepath.Join(dir, "mirror")}
	if err := c.PlaceInMirror(bin); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(c.MirrorDir, "registry.terraform.io", "entraauth", "entraauth", "0.0.1",
		runtime.GOOS+"_"+runtime.GOARCH, "terraform-provider-entraauth_v0.0.1")
	if _, err := os.Stat(want); err != nil {
		t.Errorf("mirrored binary not at %s: %v", want, err)
	}
}
