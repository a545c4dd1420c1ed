package identity

import (
	"crypto/rand"
	"crypto/sha1" // #nosec G505 -- x5t thumbprints are SHA-1 by definition
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// appKey identifies an app registration within its tenant; the same client
// id in another tenant is a different principal, as in Entra.
type appKey struct{ tenant, client string }

func newAppKey(tenantID, clientID string) appKey {
	return appKey{strings.ToLower(tenantID), strings.ToLower(clientID)}
}

// appState is a registered app plus what the token endpoint derives from it.
type appState struct {
	app   App
	oid   string // service principal object id, stable across AddApp calls
	certs []registeredCert
}

type registeredCert struct {
	cert   *x509.Certificate
	sha1   []byte
	sha256 []byte
}

// SetBaseURL tells the authority its own externally visible base URL (for
// example https://127.0.0.1:41234), known only once the listener is open; it
// is used for issuer, endpoints in discovery documents, and audiences.
func (a *Authority) SetBaseURL(baseURL string) {
	a.mu.Lock()
	a.baseURL = strings.TrimRight(baseURL, "/")
	a.mu.Unlock()
}

// BaseURL returns the base URL given to SetBaseURL ("" before that).
func (a *Authority) BaseURL() string {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.baseURL
}

// base is the configured base URL, or the one the request reached us on
// when SetBaseURL was never called (handy in tests using httptest).
func (a *Authority) base(r *http.Request) string {
	if b := a.BaseURL(); b != "" {
		return b
	}
	if r == nil {
		return ""
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// AddTenant registers a tenant (idempotent).
func (a *Authority) AddTenant(t Tenant) error {
	if strings.TrimSpace(t.ID) == "" {
		return errors.New("identity: tenant id is empty")
	}
	if strings.ContainsAny(t.ID+t.Domain, "/?# ") {
		return fmt.Errorf("identity: tenant %q: id and domain must be single URL path segments", t.ID)
	}
	id := strings.ToLower(t.ID)
	dom := strings.ToLower(t.Domain)
	a.mu.Lock()
	defer a.mu.Unlock()
	if dom != "" {
		if owner, ok := a.domains[dom]; ok && owner != id {
			return fmt.Errorf("identity: domain %q already belongs to tenant %q", t.Domain, owner)
		}
		if _, ok := a.tenants[dom]; ok && dom != id {
			return fmt.Errorf("identity: domain %q collides with a tenant id", t.Domain)
		}
	}
	if old, ok := a.tenants[id]; ok && old.Domain != "" && !strings.EqualFold(old.Domain, t.Domain) {
		delete(a.domains, strings.ToLower(old.Domain))
	}
	a.tenants[id] = &Tenant{ID: t.ID, Domain: t.Domain}
	if dom != "" {
		a.domains[dom] = id
	}
	return nil
}

// LookupTenant resolves a tenant by id or domain, case-insensitively, as
// the authority path segment is resolved (MSAL lower-cases authorities).
func (a *Authority) LookupTenant(idOrDomain string) (Tenant, bool) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	t := a.tenantLocked(idOrDomain)
	if t == nil {
		return Tenant{}, false
	}
	return *t, true
}

func (a *Authority) tenantLocked(idOrDomain string) *Tenant {
	k := strings.ToLower(idOrDomain)
	if t, ok := a.tenants[k]; ok {
		return t
	}
	if id, ok := a.domains[k]; ok {
		return a.tenants[id]
	}
	return nil
}

// AddApp registers an app in its tenant (App.TenantID must exist).
func (a *Authority) AddApp(app App) error {
	if strings.TrimSpace(app.ClientID) == "" {
		return errors.New("identity: app client_id is empty")
	}
	var certs []registeredCert
	for i, p := range app.Certificates {
		cs, err := parseCertificates(p)
		if err != nil {
			return fmt.Errorf("identity: app %s certificate %d: %w", app.ClientID, i, err)
		}
		certs = append(certs, cs...)
	}
	for i, fc := range app.FederatedCredentials {
		if fc.Issuer == "" || fc.Subject == "" {
			return fmt.Errorf("identity: app %s federated credential %d needs issuer and subject", app.ClientID, i)
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	t := a.tenantLocked(app.TenantID)
	if t == nil {
		return fmt.Errorf("identity: app %s: tenant %q is not registered", app.ClientID, app.TenantID)
	}
	// Deep copies, so the caller cannot change a registration behind our lock.
	app.TenantID = t.ID
	app.Secrets = slices.Clone(app.Secrets)
	app.ExpiredSecrets = slices.Clone(app.ExpiredSecrets)
	app.Certificates = slices.Clone(app.Certificates)
	app.Roles = slices.Clone(app.Roles)
	app.FederatedCredentials = slices.Clone(app.FederatedCredentials)
	for i := range app.FederatedCredentials {
		app.FederatedCredentials[i].Audiences = slices.Clone(app.FederatedCredentials[i].Audiences)
	}
	key := newAppKey(t.ID, app.ClientID)
	oid := newGUID()
	if old, ok := a.apps[key]; ok {
		oid = old.oid
	}
	a.apps[key] = &appState{app: app, oid: oid, certs: certs}
	return nil
}

// ServicePrincipalID returns the object id the mock assigned to an app's
// service principal (the oid claim of its app-only tokens).
func (a *Authority) ServicePrincipalID(tenantID, clientID string) (string, bool) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	t := a.tenantLocked(tenantID)
	if t == nil {
		return "", false
	}
	s, ok := a.apps[newAppKey(t.ID, clientID)]
	if !ok {
		return "", false
	}
	return s.oid, true
}

// parseCertificates reads every CERTIFICATE block of a PEM string and skips
// other blocks, so a PEM bundle holding a private key is accepted too.
func parseCertificates(p string) ([]registeredCert, error) {
	var out []registeredCert
	rest := []byte(p)
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, err
		}
		s1 := sha1.Sum(c.Raw) // #nosec G401 -- thumbprint
		s256 := sha256.Sum256(c.Raw)
		out = append(out, registeredCert{cert: c, sha1: s1[:], sha256: s256[:]})
	}
	if len(out) == 0 {
		return nil, errors.New("no PEM CERTIFICATE block")
	}
	return out, nil
}

// newGUID returns a random (version 4) GUID in Entra's lower-case form.
func newGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// RemoveApp deletes an app registration, so tests can revoke a credential
// set; tokens already issued stay valid until they expire, as in Entra.
func (a *Authority) RemoveApp(tenantID, clientID string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	t := a.tenantLocked(tenantID)
	if t == nil {
		return fmt.Errorf("identity: tenant %q is not registered", tenantID)
	}
	key := newAppKey(t.ID, clientID)
	if _, ok := a.apps[key]; !ok {
		return fmt.Errorf("identity: app %q is not registered in tenant %q", clientID, tenantID)
	}
	delete(a.apps, key)
	return nil
}
