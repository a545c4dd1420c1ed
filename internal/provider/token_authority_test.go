package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entraauth/terraform-provider-entraauth/internal/acctest"
	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph"
)

// TestAccTokenRequestsGoOnlyToConfiguredAuthority: the provider block
// names mock A; the ARM_* variables name a decoy mock B (authority, Graph
// endpoint, tenant, OIDC request URL and token). The attributes win, so
// every token, discovery and OIDC request reaches A under A's tenant, and B
// receives nothing at all. It sets the process environment, so it cannot
// run in parallel.
func TestAccTokenRequestsGoOnlyToConfiguredAuthority(t *testing.T) {
	e := newAccEnv(t)
	decoy := acctest.NewMock(t, acctest.Options{})
	for k, v := range map[string]string{
		"ARM_AUTHORITY_HOST": decoy.AuthorityHost(), "ARM_MSGRAPH_ENDPOINT": decoy.GraphEndpoint(),
		"ARM_TENANT_ID": decoy.TenantID, "ARM_CLIENT_ID": decoy.ClientID,
		"ARM_OIDC_REQUEST_URL":   decoy.Server.Authority().GitHubTokenRequestURL(),
		"ARM_OIDC_REQUEST_TOKEN": decoy.Server.Authority().IssueOIDCRequestToken(acctest.OIDCSubject),
		"ARM_CLIENT_SECRET":      "", "ARM_USE_OIDC": "", "ARM_USE_CLI": "false",
	} {
		t.Setenv(k, v)
	}
	oidcRequest := fmt.Sprintf("use_oidc = true\n  oidc_request_token = %q\n  oidc_request_url = %q",
		e.mock.Authority().IssueOIDCRequestToken(acctest.OIDCSubject), e.mock.Authority().GitHubTokenRequestURL())
	providerBlock := func(creds string) string {
		return fmt.Sprintf("provider \"entraauth\" {\n  tenant_id = %q\n  client_id = %q\n  msgraph_endpoint = %q\n  authority_host = %q\n  %s\n}\n",
			e.tenant, e.m.ClientID, e.m.GraphEndpoint(), e.m.AuthorityHost(), creds)
	}
	phone := func(n string) string {
		return phoneConfig{Name: "p", UserID: accAdeleID, PhoneType: "mobile", PhoneNumber: n}.String()
	}
	e.test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config: providerBlock(fmt.Sprintf("client_secret = %q", e.m.ClientSecret)) + phone("+1 4255550101"),
				Check: resource.ComposeTestCheckFunc(e.checkGraphPhone(accAdeleID, "mobile", "+1 4255550101", ""),
					checkAuthorityRequests(e.mock, e.tenant, false), checkNoRequests(decoy.Server, "the decoy mock")),
			},
			{
				Config: providerBlock(oidcRequest) + phone("+1 4255550102"),
				Check: resource.ComposeTestCheckFunc(e.checkGraphPhone(accAdeleID, "mobile", "+1 4255550102", ""),
					checkAuthorityRequests(e.mock, e.tenant, true), checkNoRequests(decoy.Server, "the decoy mock")),
			},
		},
	}, acctest.Serial("t.Setenv: the ARM_* variables point at the decoy"))
	if err := checkNoRequests(decoy.Server, "the decoy mock")(nil); err != nil {
		t.Error(err)
	}
}

// checkAuthorityRequests: the mock saw token requests, every one a POST to
// the configured tenant's v2.0 token endpoint, every discovery request
// under that tenant, and OIDC requests (only when wantOIDC) at the
// configured request URL's path.
func checkAuthorityRequests(mock *mockgraph.Server, tenant string, wantOIDC bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		log := mock.AuthorityRequestLog()
		tokens, oidc := 0, 0
		for _, r := range log {
			switch r.Operation {
			case mockgraph.OpToken:
				tokens++
				if r.Method != "POST" || r.Path != "/"+tenant+"/oauth2/v2.0/token" {
					return fmt.Errorf("token request %s %s is not the configured tenant's token endpoint", r.Method, r.Path)
				}
			case mockgraph.OpOIDCRequest:
				oidc++
				if r.Path != "/_mock/oidc/github-token" {
					return fmt.Errorf("OIDC request to %s", r.Path)
				}
			default:
				if !strings.HasPrefix(r.Path, "/"+tenant+"/") {
					return fmt.Errorf("discovery request %s %s is not under the configured tenant", r.Method, r.Path)
				}
			}
		}
		if tokens == 0 {
			return fmt.Errorf("the configured authority received no token request (%d requests)", len(log))
		}
		if wantOIDC != (oidc > 0) {
			return fmt.Errorf("%d OIDC token requests reached the configured request URL; want some: %v", oidc, wantOIDC)
		}
		if len(mock.RequestLog()) == 0 {
			return fmt.Errorf("the configured Graph endpoint received no request")
		}
		return nil
	}
}

// checkNoRequests: neither Graph nor the authority of the mock was called.
func checkNoRequests(mock *mockgraph.Server, what string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		graphCalls, authCalls := mock.RequestLog(), mock.AuthorityRequestLog()
		if len(graphCalls) > 0 || len(authCalls) > 0 {
			var paths []string
			for _, r := range append(graphCalls, authCalls...) {
				paths = append(paths, r.Method+" "+r.Path)
			}
			return fmt.Errorf("%s received %d Graph and %d authority requests: %s", what, len(graphCalls), len(authCalls), strings.Join(paths, ", "))
		}
		return nil
	}
}
