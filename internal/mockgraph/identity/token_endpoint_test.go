package identity

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func secretForm(f *fixture, clientID, secret string) url.Values {
	return url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {clientID},
		"client_secret": {secret},
		// MSAL appends the OIDC scopes to every request.
		"scope": {f.scope() + " openid offline_access profile"},
	}
}

func assertionForm(f *fixture, clientID, assertion string) url.Values {
	return url.Values{
		"grant_type":            {"client_credentials"},
		"client_id":             {clientID},
		"client_assertion_type": {assertionTypeJWTBearer},
		"client_assertion":      {assertion},
		"client_info":           {"1"},
		"scope":                 {f.scope() + " openid offline_access profile"},
	}
}

func TestTokenEndpoint(t *testing.T) {
	f := newFixture(t)
	c := testCerts(t)
	good, unregistered, expired := c[0], c[1], c[2]
	foreignKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	fedToken := func(subject, audience string, ttl time.Duration) string {
		tok, err := f.a.MintFederatedToken(subject, audience, ttl)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	// A token claiming the mock's issuer but signed by a key it never published.
	forged := func() string {
		now := f.clock.Now()
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
			"iss": f.a.FederatedIssuer(), "sub": fedSubject, "aud": DefaultFederatedAudience,
			"iat": now.Unix(), "exp": now.Add(time.Minute).Unix(),
		})
		tok.Header["kid"] = f.a.fedSigner.kid
		s, err := tok.SignedString(foreignKey)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	foreignIssuer := func() string {
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
			"iss": "https://token.actions.githubusercontent.com", "sub": "repo:elsewhere/repo:ref:refs/heads/main",
			"aud": DefaultFederatedAudience, "exp": f.clock.Now().Add(time.Minute).Unix(),
		})
		s, err := tok.SignedString(foreignKey)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	with := func(v url.Values, k, val string) url.Values {
		out := url.Values{}
		for kk, vv := range v {
			out[kk] = slices.Clone(vv)
		}
		if val == "" {
			out.Del(k)
		} else {
			out.Set(k, val)
		}
		return out
	}

	tests := []struct {
		name      string
		seg       string
		form      url.Values
		basic     *[2]string
		status    int
		wantErr   string // OAuth "error"; empty for success
		wantCode  int
		wantApp   string
		wantRoles []string
	}{
		// client_secret
		{name: "secret by tenant id", seg: tenantID, form: secretForm(f, secretApp, appSecret), status: 200, wantApp: secretApp, wantRoles: []string{roleWrite}},
		{name: "secret by domain, any case", seg: strings.ToUpper(tenantDomain), form: secretForm(f, secretApp, appSecret), status: 200, wantApp: secretApp},
		{name: "secret by lower-cased tenant id", seg: strings.ToLower(tenantID), form: secretForm(f, secretApp, "old-secret"), status: 200, wantApp: secretApp},
		{name: "secret by HTTP basic", seg: tenantID, form: with(secretForm(f, "", ""), "client_secret", ""), basic: &[2]string{secretApp, appSecret}, status: 200, wantApp: secretApp},
		{name: "wrong secret", seg: tenantID, form: secretForm(f, secretApp, "wrong"), status: 401, wantErr: "invalid_client", wantCode: 7000215},
		{name: "expired secret", seg: tenantID, form: secretForm(f, secretApp, "expired-secret"), status: 401, wantErr: "invalid_client", wantCode: 7000222},
		{name: "secret of another app", seg: tenantID, form: secretForm(f, certApp, appSecret), status: 401, wantErr: "invalid_client", wantCode: 7000215},
		{name: "unknown app", seg: tenantID, form: secretForm(f, "00000000-0000-0000-0000-00000000dead", appSecret), status: 400, wantErr: "unauthorized_client", wantCode: 700016},
		{name: "app of another tenant", seg: tenantID, form: secretForm(f, readerApp, appSecret), status: 400, wantErr: "unauthorized_client", wantCode: 700016},
		{name: "unknown tenant", seg: "00000000-0000-0000-0000-000000000bad", form: secretForm(f, secretApp, appSecret), status: 400, wantErr: "invalid_request", wantCode: 90002},
		{name: "unknown domain", seg: "fabrikam.onmicrosoft.com", form: secretForm(f, secretApp, appSecret), status: 400, wantErr: "invalid_request", wantCode: 90002},
		{name: "global Graph scope", seg: tenantID, form: with(secretForm(f, secretApp, appSecret), "scope", "https://graph.microsoft.com/.default"), status: 400, wantErr: "invalid_scope", wantCode: 70011},
		{name: "scope without .default", seg: tenantID, form: with(secretForm(f, secretApp, appSecret), "scope", f.base+"/User.Read"), status: 400, wantErr: "invalid_scope", wantCode: 70011},
		{name: "only OIDC scopes", seg: tenantID, form: with(secretForm(f, secretApp, appSecret), "scope", "openid profile"), status: 400, wantErr: "invalid_scope", wantCode: 70011},
		{name: "two resources", seg: tenantID, form: with(secretForm(f, secretApp, appSecret), "scope", f.scope()+" https://graph.microsoft.com/.default"), status: 400, wantErr: "invalid_scope", wantCode: 70011},
		{name: "missing scope", seg: tenantID, form: with(secretForm(f, secretApp, appSecret), "scope", ""), status: 400, wantErr: "invalid_request", wantCode: 900144},
		{name: "missing client_id", seg: tenantID, form: with(secretForm(f, secretApp, appSecret), "client_id", ""), status: 400, wantErr: "invalid_request", wantCode: 900144},
		{name: "password grant", seg: tenantID, form: with(secretForm(f, secretApp, appSecret), "grant_type", "password"), status: 400, wantErr: "unsupported_grant_type", wantCode: 70003},
		{name: "no credential", seg: tenantID, form: with(secretForm(f, secretApp, appSecret), "client_secret", ""), status: 401, wantErr: "invalid_client", wantCode: 7000218},

		// certificate-signed client assertion
		{name: "certificate PS256 x5t#S256", seg: tenantID, form: assertionForm(f, certApp, f.certAssertion(t, assertionOpts{signer: good.key, cert: good.cert})), status: 200, wantApp: certApp, wantRoles: []string{roleWrite}},
		{name: "certificate RS256 x5t with x5c", seg: tenantID, form: assertionForm(f, certApp, f.certAssertion(t, assertionOpts{signer: good.key, cert: good.cert, method: jwt.SigningMethodRS256, header: "x5t", x5cCert: true})), status: 200, wantApp: certApp},
		{name: "certificate without thumbprint", seg: tenantID, form: assertionForm(f, certApp, f.certAssertion(t, assertionOpts{signer: good.key, cert: good.cert, header: "none"})), status: 200, wantApp: certApp},
		{name: "certificate aud names the domain", seg: tenantDomain, form: assertionForm(f, certApp, f.certAssertion(t, assertionOpts{signer: good.key, cert: good.cert, claims: jwt.MapClaims{"aud": f.tokenURL(tenantDomain)}})), status: 200, wantApp: certApp},
		{name: "certificate bad key", seg: tenantID, form: assertionForm(f, certApp, f.certAssertion(t, assertionOpts{signer: foreignKey, cert: good.cert})), status: 401, wantErr: "invalid_client", wantCode: 700027},
		{name: "certificate not registered", seg: tenantID, form: assertionForm(f, certApp, f.certAssertion(t, assertionOpts{signer: unregistered.key, cert: unregistered.cert})), status: 401, wantErr: "invalid_client", wantCode: 700027},
		{name: "certificate itself expired", seg: tenantID, form: assertionForm(f, certApp, f.certAssertion(t, assertionOpts{signer: expired.key, cert: expired.cert})), status: 401, wantErr: "invalid_client", wantCode: 700027},
		{name: "assertion expired", seg: tenantID, form: assertionForm(f, certApp, f.certAssertion(t, assertionOpts{signer: good.key, cert: good.cert, claims: jwt.MapClaims{"exp": f.clock.Now().Add(-time.Hour).Unix(), "nbf": f.clock.Now().Add(-2 * time.Hour).Unix()}})), status: 401, wantErr: "invalid_client", wantCode: 700024},
		{name: "assertion not yet valid", seg: tenantID, form: assertionForm(f, certApp, f.certAssertion(t, assertionOpts{signer: good.key, cert: good.cert, claims: jwt.MapClaims{"nbf": f.clock.Now().Add(time.Hour).Unix(), "exp": f.clock.Now().Add(2 * time.Hour).Unix()}})), status: 401, wantErr: "invalid_client", wantCode: 700024},
		{name: "assertion without exp", seg: tenantID, form: assertionForm(f, certApp, f.certAssertion(t, assertionOpts{signer: good.key, cert: good.cert, claims: jwt.MapClaims{"exp": nil}})), status: 401, wantErr: "invalid_client", wantCode: 700024},
		{name: "assertion wrong audience", seg: tenantID, form: assertionForm(f, certApp, f.certAssertion(t, assertionOpts{signer: good.key, cert: good.cert, claims: jwt.MapClaims{"aud": "https://login.microsoftonline.com/" + tenantID + "/oauth2/v2.0/token"}})), status: 401, wantErr: "invalid_client", wantCode: 700023},
		{name: "assertion audience of another tenant", seg: tenantID, form: assertionForm(f, certApp, f.certAssertion(t, assertionOpts{signer: good.key, cert: good.cert, claims: jwt.MapClaims{"aud": f.tokenURL(otherTenant)}})), status: 401, wantErr: "invalid_client", wantCode: 700023},
		{name: "assertion sub is another app", seg: tenantID, form: assertionForm(f, certApp, f.certAssertion(t, assertionOpts{signer: good.key, cert: good.cert, claims: jwt.MapClaims{"sub": secretApp}})), status: 401, wantErr: "invalid_client", wantCode: 700021},
		{name: "assertion alg none", seg: tenantID, form: assertionForm(f, certApp, noneToken(t, jwt.MapClaims{"iss": certApp, "sub": certApp, "aud": f.tokenURL(tenantID), "exp": time.Now().Add(time.Minute).Unix()})), status: 401, wantErr: "invalid_client", wantCode: 700027},
		{name: "assertion malformed", seg: tenantID, form: assertionForm(f, certApp, "not.a.jwt"), status: 401, wantErr: "invalid_client", wantCode: 50027},
		{name: "assertion type wrong", seg: tenantID, form: with(assertionForm(f, certApp, "x.y.z"), "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:saml2-bearer"), status: 400, wantErr: "invalid_request", wantCode: 700025},
		{name: "assertion type missing", seg: tenantID, form: with(assertionForm(f, certApp, "x.y.z"), "client_assertion_type", ""), status: 400, wantErr: "invalid_request", wantCode: 900144},
		{name: "secret and assertion", seg: tenantID, form: with(assertionForm(f, secretApp, "x.y.z"), "client_secret", appSecret), status: 400, wantErr: "invalid_request", wantCode: 7000219},

		// federated (workload identity federation)
		{name: "federated", seg: tenantID, form: assertionForm(f, fedApp, fedToken(fedSubject, DefaultFederatedAudience, 0)), status: 200, wantApp: fedApp, wantRoles: []string{roleWrite}},
		{name: "federated custom audience", seg: tenantDomain, form: assertionForm(f, fedApp, fedToken("system:serviceaccount:ci:runner", "api://custom-audience", time.Minute)), status: 200, wantApp: fedApp},
		{name: "federated wrong subject", seg: tenantID, form: assertionForm(f, fedApp, fedToken("repo:entraauth/terraform-provider-entraauth:ref:refs/heads/evil", DefaultFederatedAudience, 0)), status: 401, wantErr: "invalid_client", wantCode: 70021},
		{name: "federated subject differs in case", seg: tenantID, form: assertionForm(f, fedApp, fedToken(strings.ToUpper(fedSubject), DefaultFederatedAudience, 0)), status: 401, wantErr: "invalid_client", wantCode: 70021},
		{name: "federated wrong audience", seg: tenantID, form: assertionForm(f, fedApp, fedToken(fedSubject, "api://custom-audience", 0)), status: 401, wantErr: "invalid_client", wantCode: 70021},
		{name: "federated to an app without that credential", seg: tenantID, form: assertionForm(f, secretApp, fedToken(fedSubject, DefaultFederatedAudience, 0)), status: 401, wantErr: "invalid_client", wantCode: 70021},
		{name: "federated wrong issuer", seg: tenantID, form: assertionForm(f, fedApp, foreignIssuer()), status: 401, wantErr: "invalid_client", wantCode: 50166},
		{name: "federated forged signature", seg: tenantID, form: assertionForm(f, fedApp, forged()), status: 401, wantErr: "invalid_client", wantCode: 700027},
		{name: "federated expired", seg: tenantID, form: assertionForm(f, fedApp, func() string {
			f.clock.Advance(-2 * time.Hour)
			defer f.clock.Advance(2 * time.Hour)
			return fedToken(fedSubject, DefaultFederatedAudience, 10*time.Minute)
		}()), status: 401, wantErr: "invalid_client", wantCode: 700024},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body, raw := f.post(t, tc.seg, tc.form, tc.basic)
			if status != tc.status {
				t.Fatalf("status = %d, want %d; body %s", status, tc.status, raw)
			}
			for _, k := range []string{"client_secret", "client_assertion"} {
				if v := tc.form.Get(k); len(v) > 8 && strings.Contains(raw, v) {
					t.Fatalf("response echoes %s", k)
				}
			}
			if strings.Contains(raw, appSecret) {
				t.Fatal("response echoes a secret")
			}
			if tc.wantErr != "" {
				checkAADError(t, body, tc.wantErr, tc.wantCode)
				return
			}
			checkTokenResponse(t, f, body, tc.wantApp, tc.wantRoles)
		})
	}
}

func checkAADError(t *testing.T, body map[string]any, wantErr string, wantCode int) {
	t.Helper()
	if body["error"] != wantErr {
		t.Errorf("error = %v, want %s", body["error"], wantErr)
	}
	codes, _ := body["error_codes"].([]any)
	if len(codes) != 1 || codes[0] != float64(wantCode) {
		t.Errorf("error_codes = %v, want [%d]", body["error_codes"], wantCode)
	}
	desc, _ := body["error_description"].(string)
	if !strings.HasPrefix(desc, fmt.Sprintf("AADSTS%d: ", wantCode)) {
		t.Errorf("error_description = %q", desc)
	}
	for _, k := range []string{"timestamp", "trace_id", "correlation_id"} {
		if s, _ := body[k].(string); s == "" {
			t.Errorf("%s missing", k)
		}
	}
	if _, ok := body["access_token"]; ok {
		t.Error("refusal carries an access token")
	}
}

func checkTokenResponse(t *testing.T, f *fixture, body map[string]any, wantApp string, wantRoles []string) {
	t.Helper()
	if body["token_type"] != "Bearer" {
		t.Errorf("token_type = %v", body["token_type"])
	}
	if body["expires_in"] != float64(3600) || body["ext_expires_in"] != float64(3600) {
		t.Errorf("expires_in = %v, ext_expires_in = %v, want 3600", body["expires_in"], body["ext_expires_in"])
	}
	tok, _ := body["access_token"].(string)
	p, err := f.a.Authenticate(f.graphRequest(tok))
	if err != nil {
		t.Fatalf("issued token does not authenticate: %v", err)
	}
	if p.TenantID != tenantID || p.AppID != wantApp || p.Delegated() {
		t.Errorf("principal = %+v", p)
	}
	if wantRoles != nil && !slices.Equal(p.Roles, wantRoles) {
		t.Errorf("roles = %v, want %v", p.Roles, wantRoles)
	}
	claims := jwt.MapClaims{}
	parsed, _, err := jwt.NewParser().ParseUnverified(tok, claims)
	if err != nil {
		t.Fatal(err)
	}
	if parsed.Header["kid"] == nil || parsed.Method.Alg() != "RS256" {
		t.Errorf("header = %v", parsed.Header)
	}
	oid, _ := f.a.ServicePrincipalID(tenantID, wantApp)
	want := map[string]any{
		"aud": f.base, "iss": f.base + "/" + tenantID + "/v2.0", "tid": tenantID,
		"appid": wantApp, "azp": wantApp, "oid": oid, "idtyp": "app",
	}
	for k, v := range want {
		if claims[k] != v {
			t.Errorf("claim %s = %v, want %v", k, claims[k], v)
		}
	}
	iat, _ := claims["iat"].(float64)
	exp, _ := claims["exp"].(float64)
	if exp-iat != 3600 {
		t.Errorf("lifetime = %vs, want 3600", exp-iat)
	}
}

// noneToken is an unsigned JWT (alg none), which must never be accepted.
func noneToken(t *testing.T, c jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodNone, c).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTokenEndpointRefusesGET(t *testing.T) {
	f := newFixture(t)
	req, err := http.NewRequest(http.MethodGet, f.tokenURL(tenantID), nil)
	if err != nil {
		t.Fatal(err)
	}
	status, body, _ := f.do(t, req)
	if status != 400 {
		t.Fatalf("status = %d", status)
	}
	checkAADError(t, body, "invalid_request", 900561)
}

func TestTokenErrorEchoesCorrelationID(t *testing.T) {
	f := newFixture(t)
	const corr = "0b5c8f4e-3d2a-4c1b-9e8f-7a6b5c4d3e2f"
	for _, id := range []string{corr, "<script>"} {
		req, err := http.NewRequest(http.MethodPost, f.tokenURL(tenantID), strings.NewReader(secretForm(f, secretApp, "wrong").Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("client-request-id", id)
		_, body, raw := f.do(t, req)
		got, _ := body["correlation_id"].(string)
		if id == corr && got != corr {
			t.Errorf("correlation_id = %q, want the client's %q", got, corr)
		}
		if id != corr && (got == id || strings.Contains(raw, id)) {
			t.Errorf("non-GUID client-request-id reflected: %q", got)
		}
	}
}
