package main

import (
	"context"
	"fmt"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
	"github.com/entraauth/terraform-provider-entraauth/internal/tfharness"
)

// Paths are relative to the repository root, where make runs the demo.
const (
	configDir = "examples/demo"
	seedFile  = "examples/demo/mockgraph-seed.json"
)

func run(ctx context.Context) error {
	tf, err := tfharness.FindTerraform()
	if err != nil {
		return err
	}
	product, version, err := tfharness.IdentifyCLI(tf)
	if err != nil {
		return tfharness.Fail("check prerequisites", err)
	}
	fmt.Printf("== driving %s %s (%s)\n", product, version, tf)
	wd, err := tfharness.NewWorkdir("entraauth-demo-")
	if err != nil {
		return err
	}
	defer wd.Close()
	ws := &workspace{Workdir: wd, tfBin: tf, registry: tfharness.RegistryFor(product)}

	return tfharness.RunStages(ctx,
		tfharness.Stage{Name: "build the provider", Fn: func() error { return ws.buildProvider(ctx) }},
		tfharness.Stage{Name: "start the mock Graph with the demo tenant", Fn: func() error {
			seed, err := mockgraph.ReadSeedFile(seedFile)
			if err != nil {
				return err
			}
			srv, err := wd.StartMock(mockgraph.Options{Seed: seed})
			if err == nil {
				fmt.Printf("graph endpoint %s, authority %s\n", srv.GraphEndpoint(), srv.AuthorityHost())
			}
			return err
		}},
		tfharness.Stage{Name: "write a Terraform CLI config with dev_overrides (in the temp dir only)", Fn: ws.writeCLIConfig},
		tfharness.Stage{Name: "terraform init", Fn: func() error { return ws.terraform(ctx, "init", "-input=false", "-no-color") }},
		tfharness.Stage{Name: "terraform plan", Fn: func() error {
			return ws.terraform(ctx, "plan", "-input=false", "-no-color", "-out=demo.tfplan")
		}},
		tfharness.Stage{Name: "terraform apply", Fn: func() error { return ws.terraform(ctx, "apply", "-input=false", "-no-color", "demo.tfplan") }},
		tfharness.Stage{Name: "terraform output", Fn: func() error { return ws.terraform(ctx, "output", "-no-color") }},
		tfharness.Stage{Name: "terraform plan -detailed-exitcode on the unchanged tenant (expect exit 0: no phantom drift)", Fn: func() error {
			return ws.expectPlanExit(ctx, 0)
		}},
		tfharness.Stage{Name: "change the tenant out of band (as an admin in the portal would)", Fn: ws.driftTenant},
		tfharness.Stage{Name: "terraform plan -detailed-exitcode after the out-of-band change (expect exit 2: drift)", Fn: func() error {
			return ws.expectPlanExit(ctx, 2)
		}},
		tfharness.Stage{Name: "terraform destroy", Fn: func() error {
			return ws.terraform(ctx, "destroy", "-input=false", "-no-color", "-auto-approve")
		}},
		tfharness.Stage{Name: "check the mock tenant holds no phone methods and the SMS and passkey policies were left as they were", Fn: ws.expectEmptyTenant},
	)
}
