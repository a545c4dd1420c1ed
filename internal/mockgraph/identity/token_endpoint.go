package identity

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
)

const (
	grantClientCredentials = "client_credentials"
	assertionTypeJWTBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	// maxTokenRequestBody bounds the form; a certificate chain in x5c is the
	// largest legitimate content and stays well below it.
	maxTokenRequestBody = 256 << 10
)

// OIDC scopes MSAL appends to every request; client credentials ignore them.
var oidcScopes = map[string]bool{"openid": true, "offline_access": true, "profile": true, "email": true}

// tokenResponse is Entra's success body for client credentials (no scope,
// no refresh token).
type tokenResponse struct {
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	ExtExpiresIn int64  `json:"ext_expires_in"`
	AccessToken  string `json:"access_token"`
}

func (a *Authority) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		a.writeAADError(w, r, errPostOnly(r.Method))
		return
	}
	seg := r.PathValue("tenant")
	t, ok := a.LookupTenant(seg)
	if !ok {
		a.writeAADError(w, r, errUnknownTenant(seg))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxTokenRequestBody)
	if err := r.ParseForm(); err != nil {
		a.writeAADError(w, r, errBadBody())
		return
	}
	form := r.PostForm

	grant := form.Get("grant_type")
	if grant == "" {
		a.writeAADError(w, r, errMissingParam("grant_type"))
		return
	}
	if grant != grantClientCredentials {
		a.writeAADError(w, r, errUnsupportedGrant(grant))
		return
	}

	clientID, secret := form.Get("client_id"), form.Get("client_secret")
	if u, p, ok := r.BasicAuth(); ok { // client_secret_basic (RFC 6749 §2.3.1)
		u, _ = url.QueryUnescape(u)
		p, _ = url.QueryUnescape(p)
		if clientID == "" {
			clientID = u
		}
		if secret == "" {
			secret = p
		}
	}
	if clientID == "" {
		a.writeAADError(w, r, errMissingParam("client_id"))
		return
	}
	scope := form.Get("scope")
	if strings.TrimSpace(scope) == "" {
		a.writeAADError(w, r, errMissingParam("scope"))
		return
	}

	a.mu.RLock()
	app := a.apps[newAppKey(t.ID, clientID)] // appState is never mutated, only replaced
	a.mu.RUnlock()
	if app == nil {
		a.writeAADError(w, r, errUnknownApp(clientID, t.ID))
		return
	}

	base := a.base(r)
	if e, bad := checkScope(scope, base); bad {
		a.writeAADError(w, r, e)
		return
	}

	assertion := form.Get("client_assertion")
	var acr string
	switch {
	case secret != "" && assertion != "":
		a.writeAADError(w, r, errTwoCredentials())
		return
	case secret != "":
		if !secretMatches(app.app.Secrets, secret) {
			if secretMatches(app.app.ExpiredSecrets, secret) {
				a.writeAADError(w, r, errExpiredSecret(app.app.ClientID))
				return
			}
			a.writeAADError(w, r, errBadSecret(app.app.ClientID))
			return
		}
		acr = "1"
	case assertion != "":
		at := form.Get("client_assertion_type")
		if at == "" {
			a.writeAADError(w, r, errMissingParam("client_assertion_type"))
			return
		}
		if at != assertionTypeJWTBearer {
			a.writeAADError(w, r, errAssertionType(at))
			return
		}
		if e, bad := a.verifyClientAssertion(assertion, base, seg, &t, app); bad {
			a.writeAADError(w, r, e)
			return
		}
		acr = "2"
	default:
		a.writeAADError(w, r, errNoCredential())
		return
	}

	tok, exp, err := a.mintAccessToken(accessTokenRequest{
		base: base, tenantID: t.ID, clientID: app.app.ClientID, oid: app.oid, acr: acr, roles: app.app.Roles,
	})
	if err != nil {
		a.writeAADError(w, r, errServer())
		return
	}
	secs := int64(exp.Sub(a.now()).Seconds())
	writeJSON(w, http.StatusOK, tokenResponse{TokenType: "Bearer", ExpiresIn: secs, ExtExpiresIn: secs, AccessToken: tok})
}

// checkScope accepts exactly one "<resource>/.default" scope whose resource
// is the mock itself (plus MSAL's OIDC scopes): tokens do not cross clouds,
// so a scope for graph.microsoft.com is refused as Entra refuses an unknown
// resource.
func checkScope(scope, base string) (aadError, bool) {
	var resources []string
	for _, s := range strings.Fields(scope) {
		if !oidcScopes[s] {
			resources = append(resources, s)
		}
	}
	if len(resources) != 1 {
		return errInvalidScope(scope), true
	}
	res, ok := strings.CutSuffix(resources[0], "/.default")
	if !ok {
		return errInvalidScope(resources[0]), true
	}
	if !sameOrigin(res, base) {
		return errInvalidScope(resources[0]), true
	}
	return aadError{}, false
}

// sameOrigin reports whether resource names the same scheme and host:port as
// base, with no path beyond "/".
func sameOrigin(resource, base string) bool {
	ru, err := url.Parse(resource)
	if err != nil {
		return false
	}
	bu, err := url.Parse(base)
	if err != nil {
		return false
	}
	return strings.EqualFold(ru.Scheme, bu.Scheme) && strings.EqualFold(ru.Host, bu.Host) &&
		(ru.Path == "" || ru.Path == "/") && ru.RawQuery == "" && ru.Fragment == ""
}

// secretMatches compares in constant time and tries every secret, so timing
// reveals neither which secret matched nor how much of one.
func secretMatches(secrets []string, got string) bool {
	ok := 0
	for _, s := range secrets {
		ok |= subtle.ConstantTimeCompare([]byte(s), []byte(got))
	}
	return ok == 1
}
