package mockgraph

import (
	"crypto/sha256"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// GenerateUsers adds Count users at once (seed "generateUsers", admin
// POST /_mock/tenants/{tenant}/generateUsers, Server.GenerateUsers):
// user number n (Start, Start+1, ...) gets the UPN fmt.Sprintf(UPNPattern, n)
// and the display name fmt.Sprintf(DisplayNamePattern, n). Ids are derived
// from the tenant and the UPN, so the same seed gives the same ids every
// run; a UPN that exists already keeps its user. Each generated user joins
// the Groups listed (group ids of the tenant).
//
//	"generateUsers": {"count": 10000, "upnPattern": "user%05d@contoso.onmicrosoft.com", "groups": ["..."]}
type GenerateUsers struct {
	Count int `json:"count"`
	// UPNPattern has one integer verb (%d, %05d); default
	// "user%05d@" + the tenant's domain.
	UPNPattern string `json:"upnPattern,omitempty"`
	// DisplayNamePattern has at most one integer verb; default "User %d".
	DisplayNamePattern string `json:"displayNamePattern,omitempty"`
	// Start is the first number (default 1).
	Start int `json:"start,omitempty"`
	// Groups are ids of groups (already in the tenant or in the same
	// seed) every generated user becomes a direct member of.
	Groups []string `json:"groups,omitempty"`
}

// MaxGeneratedUsers bounds one GenerateUsers call (memory, not realism).
const MaxGeneratedUsers = 1_000_000

var intVerb = regexp.MustCompile(`%0?[0-9]*d`)

func (g GenerateUsers) validate(domain string) error {
	if g.Count < 0 || g.Count > MaxGeneratedUsers {
		return fmt.Errorf("count %d is not between 0 and %d", g.Count, MaxGeneratedUsers)
	}
	if g.Start < 0 {
		return fmt.Errorf("start %d is negative", g.Start)
	}
	if g.UPNPattern == "" && domain == "" {
		return fmt.Errorf("upnPattern is required when the tenant has no domain")
	}
	if g.UPNPattern != "" {
		if err := checkPattern(g.UPNPattern, true); err != nil {
			return fmt.Errorf("upnPattern %q: %v", g.UPNPattern, err)
		}
		if !strings.Contains(g.UPNPattern, "@") {
			return fmt.Errorf("upnPattern %q: a user principal name needs an @domain", g.UPNPattern)
		}
	}
	if g.DisplayNamePattern != "" {
		if err := checkPattern(g.DisplayNamePattern, false); err != nil {
			return fmt.Errorf("displayNamePattern %q: %v", g.DisplayNamePattern, err)
		}
	}
	return nil
}

// checkPattern allows exactly one integer verb (at most one when optional)
// and no other verb ("%%" is a literal %).
func checkPattern(p string, required bool) error {
	rest := strings.ReplaceAll(p, "%%", "")
	n := len(intVerb.FindAllStringIndex(rest, -1))
	if strings.Count(intVerb.ReplaceAllString(rest, ""), "%") > 0 {
		return fmt.Errorf("only one integer verb such as %%d or %%05d is allowed")
	}
	switch {
	case n > 1:
		return fmt.Errorf("has %d integer verbs, want one", n)
	case n == 0 && required:
		return fmt.Errorf("needs an integer verb such as %%d or %%05d, or every user would get the same name")
	}
	return nil
}

func (g GenerateUsers) names(domain string, n int) (upn, display string) {
	up := g.UPNPattern
	if up == "" {
		up = "user%05d@" + domain
	}
	dp := g.DisplayNamePattern
	if dp == "" {
		dp = "User %d"
	}
	upn = fmt.Sprintf(up, n)
	if intVerb.MatchString(strings.ReplaceAll(dp, "%%", "")) {
		display = fmt.Sprintf(dp, n)
	} else {
		display = strings.ReplaceAll(dp, "%%", "%")
	}
	return upn, display
}

// stableUserID derives an object id (GUID shaped, version 4 bits) from the
// tenant and the UPN.
func stableUserID(tenantID, upn string) string {
	h := sha256.Sum256([]byte(strings.ToLower(tenantID) + "\x00" + strings.ToLower(upn)))
	b := h[:16]
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// generateUsers applies g. Caller holds t.mu for writing.
func (t *tenant) generateUsers(g GenerateUsers) (int, error) {
	if err := g.validate(t.Domain); err != nil {
		return 0, err
	}
	var groups []*group
	for _, id := range g.Groups {
		grp := t.groups[strings.ToLower(id)]
		if grp == nil {
			return 0, fmt.Errorf("group %q is not a group of tenant %q", id, t.ID)
		}
		groups = append(groups, grp)
	}
	start := g.Start
	if start == 0 {
		start = 1
	}
	for n := start; n < start+g.Count; n++ {
		upn, display := g.names(t.Domain, n)
		su := User{UserPrincipalName: upn, DisplayName: display}
		if t.byUPN[strings.ToLower(upn)] == nil {
			su.ID = stableUserID(t.ID, upn)
		}
		u, err := t.addUser(su)
		if err != nil {
			return 0, err
		}
		uk := strings.ToLower(u.ID)
		for _, grp := range groups {
			grp.members[uk] = struct{}{}
			u.groups[strings.ToLower(grp.ID)] = struct{}{}
		}
	}
	t.dirGen++
	return g.Count, nil
}

// applySeedDirectory adds a seed tenant's groups (first all of them with
// their user members, then their nested groups, so a group may nest one
// listed after it) and its generated users. Caller holds t.mu for writing.
func (t *tenant) applySeedDirectory(at string, st SeedTenant) error {
	for i, g := range st.Groups {
		flat := g
		flat.Groups = nil
		if err := t.addGroup(flat); err != nil {
			return seedErr(fmt.Sprintf("%s.groups[%d]", at, i), "%v", err)
		}
	}
	for i, g := range st.Groups {
		if len(g.Groups) == 0 {
			continue
		}
		if err := t.addGroup(g); err != nil {
			return seedErr(fmt.Sprintf("%s.groups[%d].groups", at, i), "%v", err)
		}
	}
	if st.GenerateUsers != nil {
		if _, err := t.generateUsers(*st.GenerateUsers); err != nil {
			return seedErr(at+".generateUsers", "%v", err)
		}
	}
	return nil
}

// GenerateUsers adds users in bulk to a tenant (id or domain) and returns
// how many were asked for (existing UPNs are kept, not duplicated).
func (s *Server) GenerateUsers(tenantKey string, g GenerateUsers) (int, error) {
	t, err := s.tenantOf(tenantKey)
	if err != nil {
		return 0, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.generateUsers(g)
}

func (s *Server) adminGenerateUsers(w http.ResponseWriter, r *http.Request) {
	var g GenerateUsers
	if !adminDecode(w, r, &g) {
		return
	}
	tk := r.PathValue("tenant")
	if _, err := s.GenerateUsers(tk, g); err != nil {
		adminResult(w, nil, err)
		return
	}
	t, _ := s.tenantOf(tk)
	for _, ti := range s.Tenants() {
		if ti.ID == t.ID {
			adminJSON(w, ti)
			return
		}
	}
}
