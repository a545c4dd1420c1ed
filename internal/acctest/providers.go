package acctest

import (
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/entraauth/terraform-provider-entraauth/internal/protocol"
)

// ProtoV6ProviderFactories serves newProvider in-process as "entraauth" for
// terraform-plugin-testing. It takes the constructor (provider.New(version))
// rather than importing the provider package, so provider tests can use
// this package without an import cycle.
func ProtoV6ProviderFactories(newProvider func() provider.Provider) map[string]func() (tfprotov6.ProviderServer, error) {
	p := newProvider()
	return map[string]func() (tfprotov6.ProviderServer, error){
		// The server main serves, so every acceptance test runs through it.
		"entraauth": func() (tfprotov6.ProviderServer, error) {
			return protocol.NewServer(func() provider.Provider { return p })(), nil
		},
	}
}
