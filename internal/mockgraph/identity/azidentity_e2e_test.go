package identity

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"software.sslmate.com/src/go-pkcs12"
)

// clientOptions point azidentity at the mock: custom authority host, no
// instance discovery (it would call login.microsoftonline.com), and a
// transport trusting only the mock's CA. No global state is touched.
func (f *fixture) clientOptions() azcore.ClientOptions {
	return azcore.ClientOptions{
		Cloud:     cloud.Configuration{ActiveDirectoryAuthorityHost: f.base + "/"},
		Transport: f.client,
		Retry:     policy.RetryOptions{MaxRetries: -1}, // refusals are final; fail fast
	}
}

// pkcs12Bundle is what a user downloads from a key vault: a password
// protected PKCS#12 file, in the legacy encoding azidentity can parse.
func pkcs12Bundle(t *testing.T, c *testCert, password string) []byte {
	t.Helper()
	data, err := pkcs12.LegacyDES.WithRand(rand.Reader).Encode(c.key, c.cert, nil, password)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestAzidentityEndToEnd(t *testing.T) {
	f := newFixture(t)
	c := testCerts(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	bundle := pkcs12Bundle(t, c[0], "pfx-password")
	certs, key, err := azidentity.ParseCertificates(bundle, []byte("pfx-password"))
	if err != nil {
		t.Fatalf("azidentity cannot parse the PKCS#12 bundle: %v", err)
	}
	otherCerts, otherKey, err := azidentity.ParseCertificates(pkcs12Bundle(t, c[1], ""), nil)
	if err != nil {
		t.Fatal(err)
	}

	// getAssertion from the GitHub-style request URL, as the provider's
	// OIDC request-URL flow does.
	reqTok := f.a.IssueOIDCRequestToken(fedSubject)
	fromRequestURL := func(ctx context.Context) (string, error) {
		u := f.a.GitHubTokenRequestURL() + "&audience=" + url.QueryEscape(DefaultFederatedAudience)
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return "", err
		}
		req.Header.Set("Authorization", "Bearer "+reqTok)
		resp, err := f.client.Do(req)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		var body struct {
			Value string `json:"value"`
		}
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || json.Unmarshal(raw, &body) != nil {
			return "", fmt.Errorf("request URL answered %d", resp.StatusCode)
		}
		return body.Value, nil
	}
	minted := func(subject string) func(context.Context) (string, error) {
		return func(context.Context) (string, error) {
			return f.a.MintFederatedToken(subject, DefaultFederatedAudience, 0)
		}
	}

	tests := []struct {
		name     string
		tenant   string
		cred     func(tenant string) (azcore.TokenCredential, error)
		scope    string
		wantApp  string
		wantCode string // AADSTS code in the error; empty for success
	}{
		{name: "client secret", tenant: tenantID, wantApp: secretApp, cred: func(tn string) (azcore.TokenCredential, error) {
			return azidentity.NewClientSecretCredential(tn, secretApp, appSecret,
				&azidentity.ClientSecretCredentialOptions{ClientOptions: f.clientOptions(), DisableInstanceDiscovery: true})
		}},
		{name: "client secret by domain", tenant: tenantDomain, wantApp: secretApp, cred: func(tn string) (azcore.TokenCredential, error) {
			return azidentity.NewClientSecretCredential(tn, secretApp, appSecret,
				&azidentity.ClientSecretCredentialOptions{ClientOptions: f.clientOptions(), DisableInstanceDiscovery: true})
		}},
		{name: "wrong client secret", tenant: tenantID, wantCode: "AADSTS7000215", cred: func(tn string) (azcore.TokenCredential, error) {
			return azidentity.NewClientSecretCredential(tn, secretApp, "wrong",
				&azidentity.ClientSecretCredentialOptions{ClientOptions: f.clientOptions(), DisableInstanceDiscovery: true})
		}},
		{name: "global Graph scope", tenant: tenantID, scope: "https://graph.microsoft.com/.default", wantCode: "AADSTS70011", cred: func(tn string) (azcore.TokenCredential, error) {
			return azidentity.NewClientSecretCredential(tn, secretApp, appSecret,
				&azidentity.ClientSecretCredentialOptions{ClientOptions: f.clientOptions(), DisableInstanceDiscovery: true})
		}},
		{name: "unknown tenant", tenant: "00000000-0000-0000-0000-000000000bad", wantCode: "AADSTS90002", cred: func(tn string) (azcore.TokenCredential, error) {
			return azidentity.NewClientSecretCredential(tn, secretApp, appSecret,
				&azidentity.ClientSecretCredentialOptions{ClientOptions: f.clientOptions(), DisableInstanceDiscovery: true})
		}},
		{name: "client certificate from PKCS#12", tenant: tenantID, wantApp: certApp, cred: func(tn string) (azcore.TokenCredential, error) {
			return azidentity.NewClientCertificateCredential(tn, certApp, certs, key,
				&azidentity.ClientCertificateCredentialOptions{ClientOptions: f.clientOptions(), DisableInstanceDiscovery: true})
		}},
		{name: "client certificate with chain (x5c)", tenant: tenantDomain, wantApp: certApp, cred: func(tn string) (azcore.TokenCredential, error) {
			return azidentity.NewClientCertificateCredential(tn, certApp, certs, key,
				&azidentity.ClientCertificateCredentialOptions{ClientOptions: f.clientOptions(), DisableInstanceDiscovery: true, SendCertificateChain: true})
		}},
		{name: "unregistered certificate", tenant: tenantID, wantCode: "AADSTS700027", cred: func(tn string) (azcore.TokenCredential, error) {
			return azidentity.NewClientCertificateCredential(tn, certApp, otherCerts, otherKey,
				&azidentity.ClientCertificateCredentialOptions{ClientOptions: f.clientOptions(), DisableInstanceDiscovery: true})
		}},
		{name: "client assertion minted", tenant: tenantID, wantApp: fedApp, cred: func(tn string) (azcore.TokenCredential, error) {
			return azidentity.NewClientAssertionCredential(tn, fedApp, minted(fedSubject),
				&azidentity.ClientAssertionCredentialOptions{ClientOptions: f.clientOptions(), DisableInstanceDiscovery: true})
		}},
		{name: "client assertion from request URL", tenant: tenantID, wantApp: fedApp, cred: func(tn string) (azcore.TokenCredential, error) {
			return azidentity.NewClientAssertionCredential(tn, fedApp, fromRequestURL,
				&azidentity.ClientAssertionCredentialOptions{ClientOptions: f.clientOptions(), DisableInstanceDiscovery: true})
		}},
		{name: "client assertion wrong subject", tenant: tenantID, wantCode: "AADSTS70021", cred: func(tn string) (azcore.TokenCredential, error) {
			return azidentity.NewClientAssertionCredential(tn, fedApp, minted("repo:evil/fork:pull_request"),
				&azidentity.ClientAssertionCredentialOptions{ClientOptions: f.clientOptions(), DisableInstanceDiscovery: true})
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cred, err := tc.cred(tc.tenant)
			if err != nil {
				t.Fatal(err)
			}
			scope := tc.scope
			if scope == "" {
				scope = f.scope()
			}
			tok, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{scope}})
			if tc.wantCode != "" {
				if err == nil {
					t.Fatal("token issued, want a refusal")
				}
				if !strings.Contains(err.Error(), tc.wantCode) {
					t.Fatalf("error lacks %s: %v", tc.wantCode, err)
				}
				for _, secret := range []string{appSecret, "wrong", "pfx-password"} {
					if strings.Contains(err.Error(), "'"+secret+"'") {
						t.Fatal("error echoes a secret")
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := time.Until(tok.ExpiresOn); d < 50*time.Minute || d > 61*time.Minute {
				t.Errorf("ExpiresOn in %v, want about 1h", d)
			}
			p, err := f.a.Authenticate(f.graphRequest(tok.Token))
			if err != nil {
				t.Fatalf("token from azidentity does not authenticate: %v", err)
			}
			if p.AppID != tc.wantApp || p.TenantID != tenantID || !slices.Contains(p.Roles, roleWrite) {
				t.Fatalf("principal = %+v", p)
			}
		})
	}
}
