// Command demo is `make demo`: it builds the provider, starts the mock Graph
// with a demo tenant, and drives the real terraform binary through apply,
// a clean re-plan, out-of-band drift, a drift plan and destroy.
//
// It never touches the user's own Terraform configuration: the CLI config
// with dev_overrides, the state and the mock's CA live in a temporary
// directory that is removed at the end, whatever happens.
package main

import (
	"fmt"

	"github.com/entraauth/terraform-provider-entraauth/internal/tfharness"
)

func main() {
	tfharness.Main("demo", run)
	fmt.Println("\n== demo finished: everything was created, drift was detected, and everything was destroyed")
}
