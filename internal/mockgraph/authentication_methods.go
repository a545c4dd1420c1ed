package mockgraph

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// PasswordMethodID is the id of every user's password method (documented
// on passwordAuthenticationMethod).
const PasswordMethodID = "28c10230-6103-485e-b985-444c60001490"

// ErrAuthenticationMethodNotFound: the user has no such email method,
// Temporary Access Pass or other method (Go and admin API; admin 404).
var ErrAuthenticationMethodNotFound = errors.New("mockgraph: authentication method not found")

func errMethodMissing(what string) error {
	return fmt.Errorf("%w: %s", ErrAuthenticationMethodNotFound, what)
}

func errInvalidEmail(a string) error {
	return fmt.Errorf("mockgraph: %q is not a valid email address", a)
}

// methodPerms are the permissions of one kind of method: the broad
// UserAuthenticationMethod family plus its granular UserAuthMethod-X one.
type methodPerms struct{ readAll, writeAll, readSelf, writeSelf []string }

func newMethodPerms(granular string) methodPerms {
	fams := []string{"UserAuthenticationMethod"}
	if granular != "" {
		fams = append(fams, "UserAuthMethod-"+granular)
	}
	var p methodPerms
	for _, f := range fams {
		p.writeAll = append(p.writeAll, f+".ReadWrite.All")
		p.readAll = append(p.readAll, f+".ReadWrite.All", f+".Read.All")
		p.writeSelf = append(p.writeSelf, f+".ReadWrite", f+".ReadWrite.All")
		p.readSelf = append(p.readSelf, f+".ReadWrite", f+".Read", f+".ReadWrite.All", f+".Read.All")
	}
	return p
}

// Permissions of the email method, Temporary Access Pass and all-methods
// routes (each operation's page lists the broad and the granular family;
// the all-methods list only the broad one).
var (
	emailPerms     = newMethodPerms("Email")
	tapPerms       = newMethodPerms("TAP")
	allMethodPerms = newMethodPerms("")
)

// adminOnlyOp: operations a user cannot run on themself (create and update
// of email methods and passes are not self-service).
func adminOnlyOp(op string) bool {
	return op == OpEmailCreate || op == OpEmailUpdate || op == OpTAPCreate
}

// methodAccess is phoneAccess for the other kinds of method: the same
// delegated model (self-service reads and deletes with a self scope;
// everything else needs an .All scope and Authentication Administrator or
// Privileged Authentication Administrator; Global Reader reads, masked)
// with the kind's permissions. mask applies to phone numbers in the
// all-methods list.
func (rc *reqCtx) methodAccess(op string, target *user, perms methodPerms) (allowed, mask bool) {
	p := rc.principal
	write := isWrite(op)
	if !p.Delegated() {
		if write {
			return containsFold(p.Roles, perms.writeAll), false
		}
		return containsFold(p.Roles, perms.readAll), false
	}
	self := strings.EqualFold(p.UserID, target.ID)
	if self && !adminOnlyOp(op) {
		if write {
			return containsFold(p.Scopes, perms.writeSelf), false
		}
		return containsFold(p.Scopes, perms.readSelf), false
	}
	if !write && containsFold(p.DirectoryRoles, []string{roleGlobalReader}) && !containsFold(p.DirectoryRoles, adminRolesForOthers) {
		return containsFold(p.Scopes, perms.readAll), !self
	}
	if !containsFold(p.DirectoryRoles, adminRolesForOthers) {
		return false, false
	}
	if write {
		return containsFold(p.Scopes, perms.writeAll), false
	}
	mask = !self && !containsFold(p.DirectoryRoles, []string{rolePrivilegedAuthAdmin})
	return containsFold(p.Scopes, perms.readAll), mask
}

// handleUserMethods serves the email method, Temporary Access Pass and
// all-methods routes: user, access, then the kind's handler.
func (s *Server) handleUserMethods(w http.ResponseWriter, r *http.Request, rc *reqCtx, rt route) {
	t := rc.tenant
	key := rt.userKey
	if rt.me {
		key = rc.principal.UserID
	}
	perms := allMethodPerms
	switch rt.kind {
	case kindEmailMethods, kindEmailMethod:
		perms = emailPerms
	case kindTAPMethods, kindTAPMethod:
		perms = tapPerms
	}
	t.mu.RLock()
	u := t.user(key)
	if u != nil && time.Now().Before(u.visibleAt) {
		u = nil // still replicating: not found yet
	}
	t.mu.RUnlock()
	if u == nil {
		if !rc.principal.Delegated() && !containsFold(rc.principal.Roles, perms.readAll) {
			writeRule(w, r, rulePhoneAccessDenied, "")
			return
		}
		writeRule(w, r, ruleUserNotFound, "")
		return
	}
	if rc.op == OpTAPCreate && rc.principal.Delegated() && strings.EqualFold(rc.principal.UserID, u.ID) {
		writeRule(w, r, ruleTAPForSelf, "")
		return
	}
	allowed, mask := rc.methodAccess(rc.op, u, perms)
	if !allowed {
		writeRule(w, r, rulePhoneAccessDenied, "")
		return
	}
	switch rt.kind {
	case kindEmailMethods, kindEmailMethod:
		s.handleEmail(w, r, t, u, rt, rc.op)
	case kindTAPMethods, kindTAPMethod:
		s.handleTAP(w, r, t, u, rt, rc.op)
	default:
		s.handleMethods(w, r, t, u, rt, rc.op, mask)
	}
}

func methodsContext(u *user, entity bool) string {
	c := "https://graph.microsoft.com/v1.0/$metadata#users('" + u.ID + "')/authentication/methods"
	if entity {
		c += "/$entity"
	}
	return c
}

// handleMethods serves GET .../authentication/methods[/{id}].
func (s *Server) handleMethods(w http.ResponseWriter, r *http.Request, t *tenant, u *user, rt route, op string, mask bool) {
	now := s.now()
	t.mu.RLock()
	items := t.allMethods(u, now, mask)
	t.mu.RUnlock()
	if op == OpMethodList {
		writeJSON(w, http.StatusOK, map[string]any{"@odata.context": methodsContext(u, false), "value": items})
		return
	}
	for _, m := range items {
		if id, _ := m["id"].(string); strings.EqualFold(id, rt.methodID) {
			m["@odata.context"] = methodsContext(u, true)
			writeJSON(w, http.StatusOK, m)
			return
		}
	}
	writeRule(w, r, ruleAuthMethodNotFound, "")
}

// allMethods is every method of u as GET .../methods lists it: the
// password, the phones (masked when mask), the email method, the
// Temporary Access Passes (pass null) and the read-only methods in the
// order they were added (the order is a choice). Caller holds t.mu.
func (t *tenant) allMethods(u *user, now time.Time, mask bool) []map[string]any {
	out := []map[string]any{{
		"@odata.type":     "#microsoft.graph.passwordAuthenticationMethod",
		"id":              PasswordMethodID,
		"password":        nil,
		"createdDateTime": graphTime(u.created),
	}}
	for _, v := range t.views(u) {
		out = append(out, phoneJSON(maskView(v, mask), ""))
	}
	if v := u.emailView(); v != nil {
		out = append(out, emailJSON(*v, ""))
	}
	for _, m := range u.taps {
		out = append(out, tapJSON(t.tapView(u, m, now), false, ""))
	}
	for _, m := range u.extra {
		out = append(out, cloneJSON(m))
	}
	return out
}

// graphTime formats a time as Graph's DateTimeOffset values (UTC, RFC 3339).
func graphTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// Types the mock renders itself: AddAuthenticationMethod refuses them
// (use the email, pass and phone control APIs).
var ownMethodTypes = []string{
	"microsoft.graph.passwordAuthenticationMethod", "microsoft.graph.phoneAuthenticationMethod",
	"microsoft.graph.emailAuthenticationMethod", "microsoft.graph.temporaryAccessPassAuthenticationMethod",
}

// readOnlyMethodProps are the properties each read-only type has, set to
// null when not given (documented resource pages); softwareOath's
// secretKey is always null, as Graph returns it.
var readOnlyMethodProps = map[string][]string{
	"microsoft.graph.fido2AuthenticationMethod":                  {"displayName", "createdDateTime", "aaGuid", "model", "attestationCertificates", "attestationLevel"},
	"microsoft.graph.microsoftAuthenticatorAuthenticationMethod": {"displayName", "createdDateTime", "deviceTag", "phoneAppVersion"},
	"microsoft.graph.windowsHelloForBusinessAuthenticationMethod": {"displayName", "createdDateTime", "keyStrength"},
	"microsoft.graph.softwareOathAuthenticationMethod":           {"secretKey"},
	"microsoft.graph.platformCredentialAuthenticationMethod":     {"displayName", "createdDateTime", "keyStrength", "platform"},
}

// addExtraMethod stores a read-only method (Graph JSON with @odata.type)
// and returns its id. Caller holds t.mu for writing.
func (t *tenant) addExtraMethod(u *user, m map[string]any, now time.Time) (string, error) {
	m = cloneJSON(m)
	typ, _ := m["@odata.type"].(string)
	if strings.TrimSpace(typ) == "" {
		return "", errors.New("mockgraph: an authentication method needs an \"@odata.type\"")
	}
	bare := strings.TrimPrefix(typ, "#")
	for _, own := range ownMethodTypes {
		if strings.EqualFold(bare, own) {
			return "", fmt.Errorf("mockgraph: %s is served by its own control API (phones, email, Temporary Access Pass; every user has a password)", typ)
		}
	}
	id, _ := m["id"].(string)
	if id == "" {
		id = newUUID()
		m["id"] = id
	}
	for _, x := range t.allMethods(u, now, false) {
		if xid, _ := x["id"].(string); strings.EqualFold(xid, id) {
			return "", fmt.Errorf("mockgraph: user %s already has a method with id %q", u.UPN, id)
		}
	}
	for known, props := range readOnlyMethodProps {
		if !strings.EqualFold(bare, known) {
			continue
		}
		for _, p := range props {
			if _, ok := m[p]; !ok {
				m[p] = nil
			}
		}
		if _, ok := m["createdDateTime"]; ok && m["createdDateTime"] == nil {
			m["createdDateTime"] = graphTime(now)
		}
		if strings.EqualFold(known, "microsoft.graph.softwareOathAuthenticationMethod") {
			m["secretKey"] = nil
		}
		if a, ok := m["attestationCertificates"]; ok && a == nil {
			m["attestationCertificates"] = []any{}
		}
	}
	u.extra = append(u.extra, m)
	return id, nil
}

// AddAuthenticationMethod gives the user a method that Graph only lets
// one read (FIDO2 key, Authenticator app, Windows Hello, software OATH,
// platform credential, or any other @odata.type, listed as given). m holds
// "@odata.type" and the properties; an "id" is generated when absent. It
// returns the id.
func (s *Server) AddAuthenticationMethod(tenantKey, userKey string, m map[string]any) (string, error) {
	var id string
	err := s.withUser(tenantKey, userKey, func(t *tenant, u *user) error {
		var err error
		id, err = t.addExtraMethod(u, m, s.now())
		return err
	})
	return id, err
}

// AuthenticationMethods returns what GET .../authentication/methods
// returns for an application caller (numbers unmasked), in the same
// order, without faults or lag.
func (s *Server) AuthenticationMethods(tenantKey, userKey string) ([]map[string]any, error) {
	var out []map[string]any
	err := s.readUser(tenantKey, userKey, func(t *tenant, u *user) { out = t.allMethods(u, s.now(), false) })
	return out, err
}
