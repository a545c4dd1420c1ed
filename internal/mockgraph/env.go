package mockgraph

// EnvVar is one environment variable.
type EnvVar struct{ Name, Value string }

// ClientSecretApp is a mock tenant's app registration signing in with a
// client secret.
type ClientSecretApp struct {
	TenantID     string
	ClientID     string
	ClientSecret string
}

// ProviderEnv is the provider's ARM_* environment pointing at a mock: its
// Graph endpoint and authority host and, when app is not nil, the sign-in
// as that app with its client secret, with the Azure CLI fallback off. The
// test harness, make demo and make bench, and mockgraph --env-file all
// write these variables through it.
func ProviderEnv(graphEndpoint, authorityHost string, app *ClientSecretApp) []EnvVar {
	env := []EnvVar{
		{"ARM_MSGRAPH_ENDPOINT", graphEndpoint},
		{"ARM_AUTHORITY_HOST", authorityHost},
	}
	if app != nil {
		env = append(env,
			EnvVar{"ARM_TENANT_ID", app.TenantID},
			EnvVar{"ARM_CLIENT_ID", app.ClientID},
			EnvVar{"ARM_CLIENT_SECRET", app.ClientSecret},
			EnvVar{"ARM_USE_CLI", "false"},
		)
	}
	return env
}
