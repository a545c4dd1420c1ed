package identity

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// DelegatedClientID is the appid of delegated tokens minted by
// MintDelegatedToken: the Azure CLI's public client id, the app a user most
// often signs in with before running Terraform.
const DelegatedClientID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"

// Entra directory role names, as carried in Principal.DirectoryRoles.
const (
	RoleAuthenticationAdministrator           = "Authentication Administrator"
	RolePrivilegedAuthenticationAdministrator = "Privileged Authentication Administrator"
	RoleGlobalAdministrator                   = "Global Administrator"
	RoleGlobalReader                          = "Global Reader"
	RoleUserAdministrator                     = "User Administrator"
	RoleHelpdeskAdministrator                 = "Helpdesk Administrator"
)

// roleTemplateIDs maps role names to the built-in role template ids that
// Entra puts in the wids claim; names not listed travel in wids verbatim.
var roleTemplateIDs = map[string]string{
	RoleAuthenticationAdministrator:           "c4e39bd9-1100-46d3-8c65-fb160da0071f",
	RolePrivilegedAuthenticationAdministrator: "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
	RoleGlobalAdministrator:                   "62e90394-69f5-4237-9190-012177145e10",
	RoleGlobalReader:                          "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
	RoleUserAdministrator:                     "fe930be7-5e62-47db-91af-98c3a49a38b1",
	RoleHelpdeskAdministrator:                 "729827e3-9c14-49f7-bb1b-9608f156bbb8",
}

var roleNames = func() map[string]string {
	m := make(map[string]string, len(roleTemplateIDs))
	for name, id := range roleTemplateIDs {
		m[id] = name
	}
	return m
}()

// accessTokenRequest describes one access token to mint.
type accessTokenRequest struct {
	base     string
	tenantID string
	clientID string
	oid      string
	acr      string // "1" secret, "2" certificate or assertion, "0" public client
	roles    []string
	// delegated tokens only
	userID         string
	scopes         []string
	directoryRoles []string
	ttl            time.Duration
}

// mintAccessToken signs an access token shaped like Entra's v2.0 tokens for
// Graph, with the mock's base URL as audience.
func (a *Authority) mintAccessToken(req accessTokenRequest) (string, time.Time, error) {
	now := a.now()
	ttl := req.ttl
	if ttl <= 0 {
		ttl = a.lifetime
	}
	exp := now.Add(ttl)
	iss := a.issuerFor(req.base, req.tenantID)
	c := jwt.MapClaims{
		"aud":    req.base,
		"iss":    iss,
		"iat":    now.Unix(),
		"nbf":    now.Unix(),
		"exp":    exp.Unix(),
		"appid":  req.clientID,
		"azp":    req.clientID,
		"azpacr": req.acr,
		"idp":    iss,
		"oid":    req.oid,
		"sub":    req.oid,
		"tid":    req.tenantID,
		"uti":    newGUID(),
		"ver":    "2.0",
	}
	if req.userID != "" {
		c["idtyp"] = "user"
		if len(req.scopes) > 0 {
			c["scp"] = strings.Join(req.scopes, " ")
		}
		if len(req.directoryRoles) > 0 {
			wids := make([]string, 0, len(req.directoryRoles))
			for _, r := range req.directoryRoles {
				if id, ok := roleTemplateIDs[r]; ok {
					r = id
				}
				wids = append(wids, r)
			}
			c["wids"] = wids
		}
	} else {
		c["idtyp"] = "app"
	}
	if len(req.roles) > 0 {
		c["roles"] = slices.Clone(req.roles)
	}
	tok, err := a.signer.sign(c)
	if err == nil {
		a.issued.add(IssuedAccessToken, tok)
	}
	return tok, exp, err
}

// MintDelegatedToken returns a signed delegated access token for a user, so
// tests can call /me endpoints (the mock offers no interactive sign-in).
func (a *Authority) MintDelegatedToken(tenantID, userID string, scopes, directoryRoles []string, ttl time.Duration) (string, error) {
	if userID == "" {
		return "", errors.New("identity: delegated token needs a user id")
	}
	base := a.BaseURL()
	if base == "" {
		return "", errors.New("identity: SetBaseURL must be called before minting tokens")
	}
	t, ok := a.LookupTenant(tenantID)
	if !ok {
		return "", fmt.Errorf("identity: tenant %q is not registered", tenantID)
	}
	tok, _, err := a.mintAccessToken(accessTokenRequest{
		base: base, tenantID: t.ID, clientID: DelegatedClientID, oid: userID, acr: "0",
		userID: userID, scopes: scopes, directoryRoles: directoryRoles, ttl: ttl,
	})
	return tok, err
}

// MintAppToken returns an app-only access token for a registered app, with
// the app's roles, without a trip through the token endpoint; Graph-side
// tests use it to skip credential handling.
func (a *Authority) MintAppToken(tenantID, clientID string, ttl time.Duration) (string, error) {
	base := a.BaseURL()
	if base == "" {
		return "", errors.New("identity: SetBaseURL must be called before minting tokens")
	}
	a.mu.RLock()
	t := a.tenantLocked(tenantID)
	var app *appState
	if t != nil {
		app = a.apps[newAppKey(t.ID, clientID)]
	}
	var req accessTokenRequest
	if app != nil {
		req = accessTokenRequest{base: base, tenantID: t.ID, clientID: app.app.ClientID,
			oid: app.oid, acr: "1", roles: slices.Clone(app.app.Roles), ttl: ttl}
	}
	a.mu.RUnlock()
	if t == nil {
		return "", fmt.Errorf("identity: tenant %q is not registered", tenantID)
	}
	if app == nil {
		return "", fmt.Errorf("identity: app %q is not registered in tenant %q", clientID, tenantID)
	}
	tok, _, err := a.mintAccessToken(req)
	return tok, err
}
