package mockgraph

import (
	"slices"
	"strings"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph/identity"
)

// reqCtx is what the Graph handlers know about an authenticated call.
type reqCtx struct {
	principal *identity.Principal
	tenant    *tenant
	op        string
}

// Permission sets for phone methods. App tokens are checked against roles,
// delegated tokens against scopes (plus directory roles for other users).
var (
	phoneWriteAll = []string{"UserAuthenticationMethod.ReadWrite.All", "UserAuthMethod-Phone.ReadWrite.All"}
	phoneReadAll  = []string{"UserAuthenticationMethod.ReadWrite.All", "UserAuthMethod-Phone.ReadWrite.All",
		"UserAuthenticationMethod.Read.All", "UserAuthMethod-Phone.Read.All"}
	phoneWriteSelf = append([]string{"UserAuthenticationMethod.ReadWrite", "UserAuthMethod-Phone.ReadWrite"}, phoneWriteAll...)
	phoneReadSelf  = append([]string{"UserAuthenticationMethod.ReadWrite", "UserAuthMethod-Phone.ReadWrite",
		"UserAuthenticationMethod.Read", "UserAuthMethod-Phone.Read"}, phoneReadAll...)
)

// Directory roles that let a delegated caller act on other users' phones.
const (
	roleAuthAdmin           = "Authentication Administrator"
	rolePrivilegedAuthAdmin = "Privileged Authentication Administrator"
	roleGlobalReader        = "Global Reader"
	roleAuthPolicyAdmin     = "Authentication Policy Administrator"
	roleGlobalAdmin         = "Global Administrator"
)

var (
	adminRolesForOthers   = []string{roleAuthAdmin, rolePrivilegedAuthAdmin}
	policyDirectoryWrite  = []string{roleAuthPolicyAdmin, roleGlobalAdmin}
	policyDirectoryReader = []string{roleAuthPolicyAdmin, roleGlobalAdmin, roleGlobalReader, "Security Administrator", "Security Reader"}
)

// hasAny reports whether the caller holds one of perms: roles for app-only
// tokens, scopes for delegated ones (case-insensitive, like Graph).
func (rc *reqCtx) hasAny(perms []string) bool {
	held := rc.principal.Roles
	if rc.principal.Delegated() {
		held = rc.principal.Scopes
		if slices.Equal(perms, policyWriteRoles) && !containsFold(rc.principal.DirectoryRoles, policyDirectoryWrite) {
			return false
		}
		if slices.Equal(perms, policyReadRoles) && !containsFold(rc.principal.DirectoryRoles, policyDirectoryReader) {
			return false
		}
	}
	return containsFold(held, perms)
}

func containsFold(held, want []string) bool {
	for _, h := range held {
		for _, w := range want {
			if strings.EqualFold(h, w) {
				return true
			}
		}
	}
	return false
}

// phoneAccess decides whether the caller may run op on target's phones and
// whether numbers must be masked.
//
// Delegated model (a choice made from the documented rules): a user acting
// on themself needs a self scope (UserAuthenticationMethod.Read/ReadWrite or
// the phone-granular ones, .All variants included) and may list, get,
// delete, enable and disable; create and update of any user, and every
// operation on another user, need a .All scope plus the Authentication
// Administrator or Privileged Authentication Administrator role. An
// Authentication Administrator without the privileged role sees other
// users' numbers masked on get and list.
func (rc *reqCtx) phoneAccess(op string, target *user) (allowed, mask bool) {
	p := rc.principal
	write := isWrite(op)
	if !p.Delegated() {
		if write {
			return containsFold(p.Roles, phoneWriteAll), false
		}
		return containsFold(p.Roles, phoneReadAll), false
	}
	self := strings.EqualFold(p.UserID, target.ID)
	if self && op != OpCreate && op != OpUpdate {
		if write {
			return containsFold(p.Scopes, phoneWriteSelf), false
		}
		return containsFold(p.Scopes, phoneReadSelf), false
	}
	if !write && containsFold(p.DirectoryRoles, []string{roleGlobalReader}) && !containsFold(p.DirectoryRoles, adminRolesForOthers) {
		// Observed: a delegated Global Reader may read other users' methods;
		// masked like an Authentication Administrator (a choice).
		return containsFold(p.Scopes, phoneReadAll), !self
	}
	if !containsFold(p.DirectoryRoles, adminRolesForOthers) {
		return false, false
	}
	if write {
		return containsFold(p.Scopes, phoneWriteAll), false
	}
	mask = !self && !containsFold(p.DirectoryRoles, []string{rolePrivilegedAuthAdmin})
	return containsFold(p.Scopes, phoneReadAll), mask
}

// maskNumber hides all but the last two subscriber digits and drops the
// extension, e.g. "+1 5555551234x12" -> "+1 XXXXXXXX34". The docs say
// numbers are masked but not how; this shape is a choice. A number stored
// without the space (E.164) has no visible country code, so every digit
// but the last two is hidden: "+15555551234" -> "+XXXXXXXXX34".
func maskNumber(n string) string {
	sp := strings.IndexByte(n, ' ')
	if sp < 0 {
		sp = 0 // the '+'
	}
	sub := smsKey(n[sp+1:])
	if len(sub) <= 2 {
		return n[:sp+1] + sub
	}
	return n[:sp+1] + strings.Repeat("X", len(sub)-2) + sub[len(sub)-2:]
}
