package identity

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

func TestFederatedIssuerDiscovery(t *testing.T) {
	f := newFixture(t)
	if f.a.FederatedIssuer() != f.base+"/_mock/oidc" {
		t.Fatalf("FederatedIssuer = %q", f.a.FederatedIssuer())
	}
	status, doc := f.getJSON(t, f.base+"/_mock/oidc/.well-known/openid-configuration")
	if status != 200 || doc["issuer"] != f.a.FederatedIssuer() || doc["jwks_uri"] != f.a.FederatedIssuer()+"/keys" {
		t.Fatalf("status %d, doc %v", status, doc)
	}
	jwksURI, _ := doc["jwks_uri"].(string)
	status, jwks := f.getJSON(t, jwksURI)
	keys, _ := jwks["keys"].([]any)
	if status != 200 || len(keys) != 1 {
		t.Fatalf("status %d, jwks %v", status, jwks)
	}
	if k, _ := keys[0].(map[string]any); k["kid"] == f.a.signer.kid {
		t.Fatal("the external issuer publishes the Entra signing key")
	}
}

// TestGitHubTokenEndpoint drives the request-URL flow a CI client uses:
// bearer request token in, {"value": id token} out, then the id token is
// exchanged at the token endpoint.
func TestGitHubTokenEndpoint(t *testing.T) {
	f := newFixture(t)
	reqTok := f.a.IssueOIDCRequestToken(fedSubject)
	wrongSubject := f.a.IssueOIDCRequestToken("repo:someone/else:ref:refs/heads/main")
	if reqTok == wrongSubject || len(reqTok) < 32 {
		t.Fatal("request tokens are not unique random values")
	}
	reqURL := f.a.GitHubTokenRequestURL()

	tests := []struct {
		name      string
		auth      string
		audience  string
		status    int
		exchange  bool // the id token should buy an access token for fedApp
		wantError int  // AADSTS code when the exchange is refused
	}{
		{name: "no authorization", status: 401},
		{name: "unknown request token", auth: "Bearer nope", status: 401},
		{name: "wrong scheme", auth: "token " + reqTok, status: 401},
		{name: "Entra audience", auth: "Bearer " + reqTok, audience: DefaultFederatedAudience, status: 200, exchange: true},
		{name: "default audience is not trusted", auth: "Bearer " + reqTok, status: 200, wantError: 70021},
		{name: "subject not trusted", auth: "Bearer " + wrongSubject, audience: DefaultFederatedAudience, status: 200, wantError: 70021},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u := reqURL
			if tc.audience != "" {
				u += "&audience=" + url.QueryEscape(tc.audience)
			}
			req, err := http.NewRequest(http.MethodGet, u, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			status, body, _ := f.do(t, req)
			if status != tc.status {
				t.Fatalf("status = %d, want %d (%v)", status, tc.status, body)
			}
			if status != 200 {
				if _, ok := body["value"]; ok {
					t.Fatal("refusal carries a token")
				}
				return
			}
			idTok, _ := body["value"].(string)
			claims := jwt.MapClaims{}
			if _, _, err := jwt.NewParser().ParseUnverified(idTok, claims); err != nil {
				t.Fatal(err)
			}
			if iss, _ := claims.GetIssuer(); iss != f.a.FederatedIssuer() {
				t.Errorf("iss = %q", iss)
			}
			if tc.audience != "" {
				if aud, _ := claims.GetAudience(); len(aud) != 1 || aud[0] != tc.audience {
					t.Errorf("aud = %v", aud)
				}
			}
			st, tb, raw := f.post(t, tenantID, assertionForm(f, fedApp, idTok), nil)
			if tc.exchange {
				if st != 200 {
					t.Fatalf("exchange refused: %s", raw)
				}
				checkTokenResponse(t, f, tb, fedApp, []string{roleWrite})
				return
			}
			if st != 401 {
				t.Fatalf("exchange status = %d: %s", st, raw)
			}
			checkAADError(t, tb, "invalid_client", tc.wantError)
		})
	}
}
