// Command terraform-provider-entraauth is the Terraform provider for
// Microsoft Entra ID users' phone authentication methods.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/entraauth/terraform-provider-entraauth/internal/provider"
)

// version is set by goreleaser through -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/entraauth/entraauth",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
