package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph/tlsca"
	"github.com/entraauth/terraform-provider-entraauth/internal/stages"
)

// Paths are relative to the repository root, where make runs the demo.
const (
	configDir = "examples/demo"
	seedFile  = "examples/demo/mockgraph-seed.json"
)

func run(ctx context.Context) error {
	tf, err := exec.LookPath("terraform")
	if err != nil {
		return stages.Fail("check prerequisites", fmt.Errorf(
			"terraform is not on PATH; install Terraform 1.11 or newer (https://developer.hashicorp.com/terraform/install, or your package manager) and run make demo again"))
	}
	work, err := os.MkdirTemp("", "entraauth-demo-")
	if err != nil {
		return err
	}
	defer func() {
		_ = os.RemoveAll(work)
		fmt.Printf("\n== cleaned up %s\n", work)
	}()

	ws := &workspace{dir: work, tfBin: tf}
	var srv *mockgraph.Server
	defer func() {
		if srv != nil {
			srv.Close()
			fmt.Println("\n== mock Graph stopped")
		}
	}()

	steps := []struct {
		name string
		fn   func() error
	}{
		{"build the provider", func() error { return ws.buildProvider(ctx) }},
		{"start the mock Graph with the demo tenant", func() error {
			var err error
			srv, err = startMock(work)
			if err == nil {
				ws.mock = srv
				fmt.Printf("graph endpoint %s, authority %s\n", srv.GraphEndpoint(), srv.AuthorityHost())
			}
			return err
		}},
		{"write a Terraform CLI config with dev_overrides (in the temp dir only)", ws.writeCLIConfig},
		{"terraform init", func() error { return ws.terraform(ctx, "init", "-input=false", "-no-color") }},
		{"terraform plan", func() error { return ws.terraform(ctx, "plan", "-input=false", "-no-color", "-out=demo.tfplan") }},
		{"terraform apply", func() error { return ws.terraform(ctx, "apply", "-input=false", "-no-color", "demo.tfplan") }},
		{"terraform output", func() error { return ws.terraform(ctx, "output", "-no-color") }},
		{"terraform plan -detailed-exitcode on the unchanged tenant (expect exit 0: no phantom drift)", func() error {
			return ws.expectPlanExit(ctx, 0)
		}},
		{"change the tenant out of band (as an admin in the portal would)", ws.driftTenant},
		{"terraform plan -detailed-exitcode after the out-of-band change (expect exit 2: drift)", func() error {
			return ws.expectPlanExit(ctx, 2)
		}},
		{"terraform destroy", func() error { return ws.terraform(ctx, "destroy", "-input=false", "-no-color", "-auto-approve") }},
		{"check the mock tenant holds no phone methods", ws.expectEmptyTenant},
	}
	for _, s := range steps {
		if err := stages.Run(ctx, s.name, s.fn); err != nil {
			return err
		}
	}
	return nil
}

// startMock serves the demo tenant over TLS with a CA written into work, so
// terraform and the provider trust it through SSL_CERT_FILE.
func startMock(work string) (*mockgraph.Server, error) {
	seed, err := mockgraph.ReadSeedFile(seedFile)
	if err != nil {
		return nil, err
	}
	ca, err := tlsca.New()
	if err != nil {
		return nil, err
	}
	caFile := filepath.Join(work, "mockgraph-ca.pem")
	if err := ca.WriteCertFile(caFile); err != nil {
		return nil, err
	}
	return mockgraph.Start(mockgraph.Options{Seed: seed, CA: ca, CAFile: caFile})
}
