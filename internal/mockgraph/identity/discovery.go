package identity

import (
	"net/http"
	"net/url"
)

// openIDConfiguration mirrors the fields Entra's v2.0 discovery document
// carries. MSAL Go requires authorization_endpoint, token_endpoint and an
// issuer on the authority's own scheme and host; the rest is for fidelity.
type openIDConfiguration struct {
	TokenEndpoint                     string   `json:"token_endpoint"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	JWKSURI                           string   `json:"jwks_uri"`
	ResponseModesSupported            []string `json:"response_modes_supported"`
	SubjectTypesSupported             []string `json:"subject_types_supported"`
	IDTokenSigningAlgValuesSupported  []string `json:"id_token_signing_alg_values_supported"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	ScopesSupported                   []string `json:"scopes_supported"`
	Issuer                            string   `json:"issuer"`
	RequestURIParameterSupported      bool     `json:"request_uri_parameter_supported"`
	UserinfoEndpoint                  string   `json:"userinfo_endpoint"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	DeviceAuthorizationEndpoint       string   `json:"device_authorization_endpoint"`
	HTTPLogoutSupported               bool     `json:"http_logout_supported"`
	FrontchannelLogoutSupported       bool     `json:"frontchannel_logout_supported"`
	EndSessionEndpoint                string   `json:"end_session_endpoint"`
	ClaimsSupported                   []string `json:"claims_supported"`
	TenantRegionScope                 *string  `json:"tenant_region_scope"`
	CloudInstanceName                 string   `json:"cloud_instance_name"`
	CloudGraphHostName                string   `json:"cloud_graph_host_name"`
	MSGraphHost                       string   `json:"msgraph_host"`
	RBACURL                           string   `json:"rbac_url"`
}

func (a *Authority) serveDiscovery(w http.ResponseWriter, r *http.Request) {
	seg := r.PathValue("tenant")
	t, ok := a.LookupTenant(seg)
	if !ok {
		a.writeAADError(w, r, errDiscoveryUnknownTenant(seg))
		return
	}
	base := a.base(r)
	host := base
	if u, err := url.Parse(base); err == nil {
		host = u.Host
	}
	// Endpoints name the tenant by id even when asked by domain, as Entra's do.
	tb := base + "/" + t.ID
	writeJSON(w, http.StatusOK, openIDConfiguration{
		TokenEndpoint:                     tb + "/oauth2/v2.0/token",
		TokenEndpointAuthMethodsSupported: []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		JWKSURI:                           tb + "/discovery/v2.0/keys",
		ResponseModesSupported:            []string{"query", "fragment", "form_post"},
		SubjectTypesSupported:             []string{"pairwise"},
		IDTokenSigningAlgValuesSupported:  []string{"RS256"},
		ResponseTypesSupported:            []string{"code", "id_token", "code id_token", "id_token token"},
		ScopesSupported:                   []string{"openid", "profile", "email", "offline_access"},
		Issuer:                            a.issuerFor(base, t.ID),
		UserinfoEndpoint:                  base + "/oidc/userinfo",
		AuthorizationEndpoint:             tb + "/oauth2/v2.0/authorize",
		DeviceAuthorizationEndpoint:       tb + "/oauth2/v2.0/devicecode",
		HTTPLogoutSupported:               true,
		FrontchannelLogoutSupported:       true,
		EndSessionEndpoint:                tb + "/oauth2/v2.0/logout",
		ClaimsSupported: []string{"sub", "iss", "cloud_instance_name", "cloud_instance_host_name",
			"cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce",
			"preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"},
		CloudInstanceName:  host,
		CloudGraphHostName: host,
		MSGraphHost:        host,
		RBACURL:            base,
	})
}

func (a *Authority) serveKeys(w http.ResponseWriter, r *http.Request) {
	seg := r.PathValue("tenant")
	t, ok := a.LookupTenant(seg)
	if !ok {
		a.writeAADError(w, r, errDiscoveryUnknownTenant(seg))
		return
	}
	writeJSON(w, http.StatusOK, a.signer.jwks(a.issuerFor(a.base(r), t.ID)))
}

// issuerFor is the iss of tokens for a tenant and of its discovery document.
func (a *Authority) issuerFor(base, tenantID string) string {
	return base + "/" + tenantID + "/v2.0"
}
