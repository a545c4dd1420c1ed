package identity

import "net/http"

// Handler serves the authority endpoints under the root path:
//
//	GET  /{tenant}/v2.0/.well-known/openid-configuration
//	GET  /{tenant}/discovery/v2.0/keys
//	POST /{tenant}/oauth2/v2.0/token   (client_credentials with client_secret,
//	     or client_assertion: certificate-signed JWT or federated OIDC token)
//
// and the mock's own external OIDC issuer (standing in for GitHub Actions or
// Azure DevOps) under /_mock/oidc/ (discovery, keys, and a GitHub-style
// request endpoint). Errors use the AAD OAuth error shape
// ({"error","error_description","error_codes",...}).
func (a *Authority) Handler() http.Handler {
	// Built once: callers may ask for the handler on every request.
	a.handlerOnce.Do(func() { a.handler = a.newMux() })
	return a.handler
}

func (a *Authority) newMux() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{tenant}/v2.0/.well-known/openid-configuration", a.serveDiscovery)
	mux.HandleFunc("GET /{tenant}/discovery/v2.0/keys", a.serveKeys)
	// Any method: Entra answers a GET on the token endpoint with an OAuth
	// error, not a bare 405, and clients surface that text.
	mux.HandleFunc("/{tenant}/oauth2/v2.0/token", a.serveToken)

	mux.HandleFunc("GET "+federatedIssuerPath+"/.well-known/openid-configuration", a.serveFederatedDiscovery)
	mux.HandleFunc("GET "+federatedIssuerPath+"/keys", a.serveFederatedKeys)
	mux.HandleFunc("GET "+federatedIssuerPath+"/github-token", a.serveGitHubToken)
	return mux
}
