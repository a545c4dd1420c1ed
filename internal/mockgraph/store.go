package mockgraph

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// Phone method ids are fixed per phoneType and the same for every user.
const (
	MobileMethodID          = "3179e48a-750b-4051-897c-87b9720928f7"
	AlternateMobileMethodID = "b6332ec1-7057-4abe-9331-3d72feddfe41"
	OfficeMethodID          = "e37fc753-ff3b-4958-9484-eaa9425c82bc"
)

// phoneType values, indexed so a user's methods fit in a fixed array.
const (
	typeMobile = iota
	typeAlternateMobile
	typeOffice
	numPhoneTypes
)

var phoneTypeNames = [numPhoneTypes]string{"mobile", "alternateMobile", "office"}
var phoneTypeIDs = [numPhoneTypes]string{MobileMethodID, AlternateMobileMethodID, OfficeMethodID}

// phoneTypeIndex maps a phoneType name to its index (case-sensitive like
// Graph's enum serialisation).
func phoneTypeIndex(name string) (int, bool) {
	for i, n := range phoneTypeNames {
		if n == name {
			return i, true
		}
	}
	return 0, false
}

// methodIndex maps a method id (case-insensitive GUID) to its phoneType index.
func methodIndex(id string) (int, bool) {
	for i, mid := range phoneTypeIDs {
		if strings.EqualFold(mid, id) {
			return i, true
		}
	}
	return 0, false
}

// phoneMethod is one stored phone. SMSEnabled is the registration in the
// SMS sign-in system; the visible smsSignInState is derived on every read.
type phoneMethod struct {
	Number     string
	SMSEnabled bool
	smsSeq     uint64 // order of SMS registration: the earliest holder of a number wins
	// smsConfigured: enableSmsSignIn or disableSmsSignIn was called (or an
	// administrator set it). A mobile created through Graph starts without
	// it and reads notConfigured, as real tenants answer.
	smsConfigured bool
}

type user struct {
	ID          string
	UPN         string
	DisplayName string
	groups      map[string]struct{} // lower-case group ids
	methods     [numPhoneTypes]*phoneMethod
	// visibleAt models replication: a user created moments ago is not found
	// on the phone methods routes until then.
	visibleAt time.Time
	// defaultPhone is the phone type that is the user's default sign-in
	// method (-1: none, or a method that is not a phone); otherMethods
	// counts methods this API does not show (Authenticator app, FIDO2 key).
	defaultPhone int
	otherMethods int
	// created is when the user (and its password method) was added.
	created time.Time
	// The methods besides phones: the email method (at most one), the
	// Temporary Access Passes, and read-only methods (FIDO2, Authenticator,
	// ...) kept as Graph JSON in the order they were added.
	email *emailMethod
	taps  []*tapMethod
	extra []map[string]any
}

type group struct {
	ID          string
	DisplayName string
	members     map[string]struct{} // lower-case user ids
	groups      map[string]struct{} // lower-case ids of member groups (nested)
}

// tenant holds one tenant's directory. One RWMutex per tenant keeps tenants
// independent; every lookup is a map access so 10,000 users cost nothing.
type tenant struct {
	mu     sync.RWMutex
	ID     string
	Domain string
	users  map[string]*user  // lower-case object id
	byUPN  map[string]*user  // lower-case UPN
	groups map[string]*group // lower-case id
	policy SMSPolicy
	// A policy PATCHed through Graph reaches sign-in only after policyLag:
	// until policyChangedAt+policyLag, smsSignInState follows prevPolicy.
	prevPolicy      SMSPolicy
	policyChangedAt time.Time
	policyLag       time.Duration
	// amp is the rest of the authentication methods policy: the other
	// method configurations, the registration campaign and the root's
	// own properties (method_configurations.go, policy_root.go).
	amp methodsPolicy
	// newMobilesNotConfigured (on for a new tenant): a mobile created
	// through Graph reads notConfigured until SMS sign-in is enabled or
	// disabled, as real tenants answer; off, it is registered at once as
	// the create docs say (SetNewMobilesNotConfigured).
	newMobilesNotConfigured bool
	smsIdx                  map[string]map[string]uint64 // number key -> user id (lower) -> smsSeq
	smsSeq                  uint64
	// tapReplaces (on for a new tenant): a Temporary Access Pass created
	// for a user who has one replaces it, as the v1.0 create page says;
	// off, the create is refused until the pass is deleted, as scripts
	// report (SetTemporaryAccessPassReplaces).
	tapReplaces bool
	lagMu       sync.Mutex
	lag                     map[lagKey]*lagEntry
	methods                 int // count of stored methods, for inspection
	// dirGen changes whenever a user or a group membership is added, so
	// the paging index (directory.go) knows when to rebuild.
	dirGen uint64
	dir    dirIndex
}

func newTenant(id, domain string) *tenant {
	return &tenant{
		ID: id, Domain: domain,
		users:  map[string]*user{},
		byUPN:  map[string]*user{},
		groups: map[string]*group{},
		policy: DefaultSMSPolicy(),
		amp:    newMethodsPolicy(),
		// Real tenants answer notConfigured for a new mobile (FIDELITY.md).
		newMobilesNotConfigured: true,
		tapReplaces:             true,
		smsIdx:                  map[string]map[string]uint64{},
		lag:                     map[lagKey]*lagEntry{},
	}
}

// store is every tenant, addressable by id or domain (case-insensitive).
type store struct {
	mu      sync.RWMutex
	tenants map[string]*tenant // lower id and lower domain
	order   []*tenant
}

func newStore() *store { return &store{tenants: map[string]*tenant{}} }

func (s *store) tenant(key string) *tenant {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.tenants[strings.ToLower(key)]
}

func (s *store) addTenant(id, domain string) *tenant {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.tenants[strings.ToLower(id)]; ok {
		if domain != "" && t.Domain == "" {
			t.Domain = domain
			s.tenants[strings.ToLower(domain)] = t
		}
		return t
	}
	t := newTenant(id, domain)
	s.tenants[strings.ToLower(id)] = t
	if domain != "" {
		s.tenants[strings.ToLower(domain)] = t
	}
	s.order = append(s.order, t)
	return t
}

func (s *store) all() []*tenant {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return append([]*tenant(nil), s.order...)
}

// user finds a user by object id or UPN (case-insensitive). Caller holds t.mu.
func (t *tenant) user(key string) *user {
	k := strings.ToLower(key)
	if u, ok := t.users[k]; ok {
		return u
	}
	return t.byUPN[k]
}

// addUser inserts or updates a user. Caller holds t.mu for writing.
func (t *tenant) addUser(u User) (*user, error) {
	if u.UserPrincipalName == "" {
		return nil, fmt.Errorf("user %q: userPrincipalName is required", u.ID)
	}
	if u.ID == "" {
		if old := t.byUPN[strings.ToLower(u.UserPrincipalName)]; old != nil {
			u.ID = old.ID
		} else {
			u.ID = newUUID()
		}
	}
	if other := t.byUPN[strings.ToLower(u.UserPrincipalName)]; other != nil && !strings.EqualFold(other.ID, u.ID) {
		return nil, fmt.Errorf("user %q: userPrincipalName %q already belongs to user %q", u.ID, u.UserPrincipalName, other.ID)
	}
	if old := t.users[strings.ToLower(u.ID)]; old != nil {
		delete(t.byUPN, strings.ToLower(old.UPN))
		old.UPN, old.DisplayName = u.UserPrincipalName, u.DisplayName
		t.byUPN[strings.ToLower(old.UPN)] = old
		return old, nil
	}
	nu := &user{ID: u.ID, UPN: u.UserPrincipalName, DisplayName: u.DisplayName, groups: map[string]struct{}{}, defaultPhone: -1, created: time.Now().UTC()}
	t.dirGen++
	t.users[strings.ToLower(u.ID)] = nu
	t.byUPN[strings.ToLower(u.UserPrincipalName)] = nu
	return nu, nil
}

// addGroup inserts or replaces a group and its membership. Caller holds t.mu.
func (t *tenant) addGroup(g Group) error {
	if g.ID == "" {
		return fmt.Errorf("group %q: id is required", g.DisplayName)
	}
	gk := strings.ToLower(g.ID)
	nested, err := t.nestedGroups(g)
	if err != nil {
		return err
	}
	if old := t.groups[gk]; old != nil {
		for m := range old.members {
			if u := t.users[m]; u != nil {
				delete(u.groups, gk)
			}
		}
	}
	ng := &group{ID: g.ID, DisplayName: g.DisplayName, members: map[string]struct{}{}, groups: nested}
	t.dirGen++
	for _, m := range g.Members {
		u := t.user(m)
		if u == nil {
			return fmt.Errorf("group %q: member %q is not a user of tenant %q", g.ID, m, t.ID)
		}
		uk := strings.ToLower(u.ID)
		ng.members[uk] = struct{}{}
		u.groups[gk] = struct{}{}
	}
	t.groups[gk] = ng
	return nil
}

// smsKey is the number as the SMS sign-in system sees it: the extension
// cannot receive a text, so it does not make a number distinct.
//
// The key is the number without its extension and without the space, so
// "+1 5555550100" and "+15555550100" (E.164, which Graph accepts too) are
// one number for SMS sign-in (a choice: both name the same phone).
func smsKey(number string) string {
	if i := strings.IndexByte(number, 'x'); i >= 0 {
		number = number[:i]
	}
	return strings.Replace(number, " ", "", 1)
}

// smsRegister records u's mobile as registered for SMS sign-in. Caller holds t.mu.
func (t *tenant) smsRegister(u *user, m *phoneMethod) {
	t.smsSeq++
	m.SMSEnabled, m.smsSeq = true, t.smsSeq
	k := smsKey(m.Number)
	if t.smsIdx[k] == nil {
		t.smsIdx[k] = map[string]uint64{}
	}
	t.smsIdx[k][strings.ToLower(u.ID)] = m.smsSeq
}

// smsUnregister removes u's mobile from the SMS sign-in index. Caller holds t.mu.
func (t *tenant) smsUnregister(u *user, m *phoneMethod) {
	if !m.SMSEnabled {
		return
	}
	k := smsKey(m.Number)
	if set := t.smsIdx[k]; set != nil {
		delete(set, strings.ToLower(u.ID))
		if len(set) == 0 {
			delete(t.smsIdx, k)
		}
	}
	m.SMSEnabled, m.smsSeq = false, 0
}

// smsHeldByOther reports whether another user registered number for SMS
// sign-in (before seq, when seq > 0). Caller holds t.mu.
func (t *tenant) smsHeldByOther(u *user, number string, seq uint64) bool {
	uk := strings.ToLower(u.ID)
	for other, s := range t.smsIdx[smsKey(number)] {
		if other == uk {
			continue
		}
		if seq == 0 || s < seq {
			return true
		}
	}
	return false
}

// smsSignInState derives the visible state, so it follows every change of
// policy, number or registration. Caller holds t.mu (read is enough).
//
// Order (a choice where the docs are silent): notSupported for non-mobile;
// notAllowedByPolicy when the policy does not allow the user (even if the
// number was registered earlier, the registration is kept and comes back
// when the policy allows again); for a registered number,
// phoneNumberNotUnique when another user registered it first, else ready;
// for a mobile whose SMS sign-in was never enabled or disabled,
// phoneNumberNotUnique when another user holds the number, else
// notConfigured (observed in real tenants); else notEnabled.
func (t *tenant) smsSignInState(u *user, typ int, m *phoneMethod) string {
	switch {
	case typ != typeMobile:
		return "notSupported"
	case !t.policyAllows(u):
		return "notAllowedByPolicy"
	case m.SMSEnabled && t.smsHeldByOther(u, m.Number, m.smsSeq):
		return "phoneNumberNotUnique"
	case m.SMSEnabled:
		return "ready"
	case !m.smsConfigured && t.smsHeldByOther(u, m.Number, 0):
		return "phoneNumberNotUnique"
	case !m.smsConfigured:
		return "notConfigured"
	default:
		return "notEnabled"
	}
}

// PhoneMethod is a phone method as Graph returns it.
type PhoneMethod struct {
	ID             string `json:"id"`
	PhoneNumber    string `json:"phoneNumber"`
	PhoneType      string `json:"phoneType"`
	SMSSignInState string `json:"smsSignInState"`
}

// view renders a stored method. Caller holds t.mu.
func (t *tenant) view(u *user, typ int, m *phoneMethod) PhoneMethod {
	return PhoneMethod{
		ID:             phoneTypeIDs[typ],
		PhoneNumber:    m.Number,
		PhoneType:      phoneTypeNames[typ],
		SMSSignInState: t.smsSignInState(u, typ, m),
	}
}

// views renders all of a user's methods in phoneType order. Caller holds t.mu.
func (t *tenant) views(u *user) []PhoneMethod {
	out := make([]PhoneMethod, 0, numPhoneTypes)
	for typ, m := range u.methods {
		if m != nil {
			out = append(out, t.view(u, typ, m))
		}
	}
	return out
}

// setMethod stores (or replaces) a method without applying Graph's rules;
// seeding and out-of-band changes use it. Caller holds t.mu for writing.
func (t *tenant) setMethod(u *user, typ int, number string, smsEnabled bool) {
	if old := u.methods[typ]; old != nil {
		t.smsUnregister(u, old)
	} else {
		t.methods++
	}
	m := &phoneMethod{Number: number, smsConfigured: true}
	u.methods[typ] = m
	if smsEnabled && typ == typeMobile {
		t.smsRegister(u, m)
	}
}

// deleteMethod removes a method. Caller holds t.mu for writing.
func (t *tenant) deleteMethod(u *user, typ int) bool {
	m := u.methods[typ]
	if m == nil {
		return false
	}
	t.smsUnregister(u, m)
	u.methods[typ] = nil
	t.methods--
	return true
}

// changeNumber changes a method's number, keeping its SMS registration but
// moving it to the new number (it becomes the newest holder there); another
// spelling or extension of the same number keeps the registration as is.
// Caller holds t.mu for writing.
func (t *tenant) changeNumber(u *user, typ int, number string) {
	m := u.methods[typ]
	if m.Number == number {
		return
	}
	if smsKey(m.Number) == smsKey(number) {
		// Another spelling or extension of the same number: the SMS
		// sign-in registration, and its seniority, stay.
		m.Number = number
		return
	}
	was := m.SMSEnabled
	t.smsUnregister(u, m)
	m.Number = number
	if was {
		t.smsRegister(u, m)
	}
}

// sortedUsers lists users ordered by UPN. Caller holds t.mu.
func (t *tenant) sortedUsers() []*user {
	out := make([]*user, 0, len(t.users))
	for _, u := range t.users {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i].UPN) < strings.ToLower(out[j].UPN) })
	return out
}
