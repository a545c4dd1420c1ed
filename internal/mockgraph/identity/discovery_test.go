package identity

import (
	"crypto/rsa"
	"encoding/base64"
	"math/big"
	"net/url"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

func TestDiscovery(t *testing.T) {
	f := newFixture(t)
	tb := f.base + "/" + tenantID
	for _, seg := range []string{tenantID, strings.ToUpper(tenantID), tenantDomain} {
		t.Run(seg, func(t *testing.T) {
			status, doc := f.getJSON(t, f.base+"/"+seg+"/v2.0/.well-known/openid-configuration")
			if status != 200 {
				t.Fatalf("status %d: %v", status, doc)
			}
			want := map[string]string{
				"issuer":                 tb + "/v2.0",
				"token_endpoint":         tb + "/oauth2/v2.0/token",
				"authorization_endpoint": tb + "/oauth2/v2.0/authorize",
				"jwks_uri":               tb + "/discovery/v2.0/keys",
			}
			for k, v := range want {
				if doc[k] != v {
					t.Errorf("%s = %v, want %s", k, doc[k], v)
				}
			}
			// MSAL requires the issuer on the authority's own scheme and host.
			iss, _ := doc["issuer"].(string)
			iu, err := url.Parse(iss)
			if err != nil || "https://"+iu.Host != f.base {
				t.Errorf("issuer host %v does not match %s", doc["issuer"], f.base)
			}
		})
	}

	t.Run("unknown tenant", func(t *testing.T) {
		status, body := f.getJSON(t, f.base+"/fabrikam.onmicrosoft.com/v2.0/.well-known/openid-configuration")
		if status != 400 {
			t.Fatalf("status = %d", status)
		}
		checkAADError(t, body, "invalid_tenant", 90002)
	})

	t.Run("jwks verifies issued tokens", func(t *testing.T) {
		_, doc := f.getJSON(t, f.base+"/"+tenantDomain+"/v2.0/.well-known/openid-configuration")
		jwksURI, _ := doc["jwks_uri"].(string)
		status, jwks := f.getJSON(t, jwksURI)
		if status != 200 {
			t.Fatalf("status = %d", status)
		}
		keys, _ := jwks["keys"].([]any)
		if len(keys) != 1 {
			t.Fatalf("keys = %v", jwks)
		}
		k, _ := keys[0].(map[string]any)
		pub := &rsa.PublicKey{N: new(big.Int).SetBytes(b64url(t, k["n"])), E: int(new(big.Int).SetBytes(b64url(t, k["e"])).Int64())}
		_, body, _ := f.post(t, tenantID, secretForm(f, secretApp, appSecret), nil)
		tok, _ := body["access_token"].(string)
		parsed, err := jwt.Parse(tok, func(tk *jwt.Token) (any, error) {
			if tk.Header["kid"] != k["kid"] {
				t.Errorf("token kid %v not in JWKS (%v)", tk.Header["kid"], k["kid"])
			}
			return pub, nil
		}, jwt.WithTimeFunc(f.clock.Now))
		if err != nil || !parsed.Valid {
			t.Fatalf("token does not verify with the published key: %v", err)
		}
	})

	t.Run("keys of unknown tenant", func(t *testing.T) {
		status, body := f.getJSON(t, f.base+"/nope/discovery/v2.0/keys")
		if status != 400 {
			t.Fatalf("status = %d", status)
		}
		checkAADError(t, body, "invalid_tenant", 90002)
	})
}

func b64url(t *testing.T, v any) []byte {
	t.Helper()
	s, _ := v.(string)
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("bad base64url %q: %v", s, err)
	}
	return b
}
