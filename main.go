// Command terraform-provider-entraauth is the Terraform provider for
// Microsoft Entra ID users' phone authentication methods.
package main

import (
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/entraauth/terraform-provider-entraauth/internal/protocol"
	"github.com/entraauth/terraform-provider-entraauth/internal/provider"
)

// version is set by goreleaser through -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	} else {
		silenceDiscardedLogs(os.Getenv, os.Setenv)
	}
	tuning, err := protocol.TuningFromEnv()
	if err != nil {
		// Terraform shows a provider's stderr in its log (TF_LOG).
		log.Print(err.Error())
	}
	tuneGarbageCollector(tuning, os.Getenv)
	stopProfiling := startProfiling()
	// providerserver.Serve with the framework's server, as protocol.NewServer
	// explains, through a server that lets go of each request's context and,
	// with tuning on, answers two requests itself.
	err = tf6server.Serve("registry.terraform.io/entraauth/entraauth", protocol.NewServer(provider.New(version)), opts...)
	stopProfiling()
	if err != nil {
		log.Fatal(err.Error())
	}
}
