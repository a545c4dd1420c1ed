package mockgraph

import (
	"errors"
	"fmt"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph/identity"
)

// Errors of the Go control API (the admin API maps them to 404/400).
var (
	ErrTenantNotFound = errors.New("mockgraph: tenant not found")
	ErrUserNotFound   = errors.New("mockgraph: user not found")
	ErrMethodNotFound = errors.New("mockgraph: phone method not found")
)

// AddTenant registers a tenant with the authority and the directory
// (idempotent).
func (s *Server) AddTenant(t identity.Tenant) error {
	if t.ID == "" {
		return errors.New("mockgraph: tenant id is required")
	}
	if err := s.authority.AddTenant(t); err != nil {
		return fmt.Errorf("mockgraph: add tenant %s: %w", t.ID, err)
	}
	s.store.addTenant(t.ID, t.Domain)
	return nil
}

// AddApp registers an app registration with the authority.
func (s *Server) AddApp(app identity.App) error {
	if s.store.tenant(app.TenantID) == nil {
		return fmt.Errorf("%w: %q (app %s)", ErrTenantNotFound, app.TenantID, app.ClientID)
	}
	if err := s.authority.AddApp(app); err != nil {
		return fmt.Errorf("mockgraph: add app %s: %w", app.ClientID, err)
	}
	return nil
}

// tenantOf finds a tenant by id or domain.
func (s *Server) tenantOf(key string) (*tenant, error) {
	t := s.store.tenant(key)
	if t == nil {
		return nil, fmt.Errorf("%w: %q", ErrTenantNotFound, key)
	}
	return t, nil
}

// AddUser adds or updates a user and returns it (with its id, generated
// when empty).
func (s *Server) AddUser(tenantKey string, u User) (User, error) {
	t, err := s.tenantOf(tenantKey)
	if err != nil {
		return User{}, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	nu, err := t.addUser(u)
	if err != nil {
		return User{}, err
	}
	return User{ID: nu.ID, UserPrincipalName: nu.UPN, DisplayName: nu.DisplayName}, nil
}

// AddGroup adds or replaces a group with its members (user ids or UPNs).
func (s *Server) AddGroup(tenantKey string, g Group) error {
	t, err := s.tenantOf(tenantKey)
	if err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.addGroup(g)
}

// SetSMSPolicy replaces the tenant's SMS policy (out of band: no token, no
// fault). Every smsSignInState follows at once.
func (s *Server) SetSMSPolicy(tenantKey string, p SMSPolicy) error {
	t, err := s.tenantOf(tenantKey)
	if err != nil {
		return err
	}
	p = normalisePolicy(p)
	if err := p.validate(); err != nil {
		return fmt.Errorf("mockgraph: sms policy: %w", err)
	}
	t.mu.Lock()
	t.policy, t.policyChangedAt = p, time.Time{} // out of band: no propagation lag
	t.mu.Unlock()
	return nil
}

// SetPolicyLag makes SMS policy changes made through Graph reach sign-in
// (smsSignInState, enableSmsSignIn) only after d; GET shows them at once.
// Changes made with SetSMSPolicy apply at once.
func (s *Server) SetPolicyLag(tenantKey string, d time.Duration) error {
	t, err := s.tenantOf(tenantKey)
	if err != nil {
		return err
	}
	t.mu.Lock()
	t.policyLag = d
	t.mu.Unlock()
	return nil
}

// SetUserReplicationDelay makes the phone methods routes answer 404
// Request_ResourceNotFound for the user for d from now, as Graph does for a
// user created moments ago (for example by azuread_user in the same apply).
func (s *Server) SetUserReplicationDelay(tenantKey, userKey string, d time.Duration) error {
	return s.withUser(tenantKey, userKey, func(_ *tenant, u *user) error {
		u.visibleAt = time.Now().Add(d)
		return nil
	})
}

// SetDefaultMethod makes the user's phone of phoneType ("mobile",
// "alternateMobile", "office"; "" for none) the default sign-in method,
// and gives the user otherMethods methods the phone API does not show
// (Authenticator app, FIDO2 key). Graph refuses to delete the default
// method while the user has any other method.
func (s *Server) SetDefaultMethod(tenantKey, userKey, phoneType string, otherMethods int) error {
	typ := -1
	if phoneType != "" {
		i, ok := phoneTypeIndex(phoneType)
		if !ok {
			return fmt.Errorf("mockgraph: unknown phone type %q", phoneType)
		}
		typ = i
	}
	return s.withUser(tenantKey, userKey, func(_ *tenant, u *user) error {
		u.defaultPhone, u.otherMethods = typ, otherMethods
		return nil
	})
}

// SetNewMobilesNotConfigured chooses how a mobile created through Graph
// starts: on (the default of every tenant), it reads notConfigured until
// enableSmsSignIn or disableSmsSignIn is called, as real tenants answer;
// off, a user the policy allows has it registered for SMS sign-in at once,
// as the create docs say (tests written for that reading turn it off).
func (s *Server) SetNewMobilesNotConfigured(tenantKey string, on bool) error {
	t, err := s.tenantOf(tenantKey)
	if err != nil {
		return err
	}
	t.mu.Lock()
	t.newMobilesNotConfigured = on
	t.mu.Unlock()
	return nil
}

// SMSPolicy returns the tenant's SMS policy.
func (s *Server) SMSPolicy(tenantKey string) (SMSPolicy, error) {
	t, err := s.tenantOf(tenantKey)
	if err != nil {
		return SMSPolicy{}, err
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	p := t.policy
	p.IncludeTargets = append([]SMSIncludeTarget{}, p.IncludeTargets...)
	p.ExcludeTargets = append([]SMSExcludeTarget{}, p.ExcludeTargets...)
	return p, nil
}

// withUser runs fn with the tenant write-locked and the user resolved.
func (s *Server) withUser(tenantKey, userKey string, fn func(t *tenant, u *user) error) error {
	t, err := s.tenantOf(tenantKey)
	if err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	u := t.user(userKey)
	if u == nil {
		return fmt.Errorf("%w: %q", ErrUserNotFound, userKey)
	}
	return fn(t, u)
}

// readUser runs fn with the tenant read-locked and the user resolved.
func (s *Server) readUser(tenantKey, userKey string, fn func(t *tenant, u *user)) error {
	t, err := s.tenantOf(tenantKey)
	if err != nil {
		return err
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	u := t.user(userKey)
	if u == nil {
		return fmt.Errorf("%w: %q", ErrUserNotFound, userKey)
	}
	fn(t, u)
	return nil
}

// PhoneMethods returns a user's phones as an unmasked Graph read would,
// without faults or lag.
func (s *Server) PhoneMethods(tenantKey, userKey string) ([]PhoneMethod, error) {
	var out []PhoneMethod
	err := s.readUser(tenantKey, userKey, func(t *tenant, u *user) { out = t.views(u) })
	return out, err
}

// SetPhoneMethodOutOfBand creates or replaces a phone bypassing Graph's
// ordering rules (type and format must still be valid).
func (s *Server) SetPhoneMethodOutOfBand(tenantKey, userKey, phoneType, number string, smsSignInEnabled bool) error {
	typ, err := checkSeedPhone(phoneType, number)
	if err != nil {
		return err
	}
	return s.withUser(tenantKey, userKey, func(t *tenant, u *user) error {
		t.setMethod(u, typ, number, smsSignInEnabled)
		return nil
	})
}

// DeletePhoneMethodOutOfBand deletes a phone as an administrator in the
// portal would (no rules), for drift tests.
func (s *Server) DeletePhoneMethodOutOfBand(tenantKey, userKey, methodID string) error {
	typ, ok := methodIndex(methodID)
	if !ok {
		return fmt.Errorf("%w: %q", ErrMethodNotFound, methodID)
	}
	return s.withUser(tenantKey, userKey, func(t *tenant, u *user) error {
		if !t.deleteMethod(u, typ) {
			return fmt.Errorf("%w: %q", ErrMethodNotFound, methodID)
		}
		return nil
	})
}

// SetPhoneNumberOutOfBand changes a phone's number (format not checked, so
// drift tests can plant numbers Graph would refuse).
func (s *Server) SetPhoneNumberOutOfBand(tenantKey, userKey, methodID, number string) error {
	typ, ok := methodIndex(methodID)
	if !ok {
		return fmt.Errorf("%w: %q", ErrMethodNotFound, methodID)
	}
	return s.withUser(tenantKey, userKey, func(t *tenant, u *user) error {
		if u.methods[typ] == nil {
			return fmt.Errorf("%w: %q", ErrMethodNotFound, methodID)
		}
		t.changeNumber(u, typ, number)
		return nil
	})
}

// SetSMSSignInOutOfBand registers or unregisters a mobile for SMS sign-in
// without the policy or uniqueness checks.
func (s *Server) SetSMSSignInOutOfBand(tenantKey, userKey, methodID string, enabled bool) error {
	typ, ok := methodIndex(methodID)
	if !ok || typ != typeMobile {
		return fmt.Errorf("%w: %q (SMS sign-in exists only on the mobile phone)", ErrMethodNotFound, methodID)
	}
	return s.withUser(tenantKey, userKey, func(t *tenant, u *user) error {
		m := u.methods[typ]
		if m == nil {
			return fmt.Errorf("%w: %q", ErrMethodNotFound, methodID)
		}
		if enabled && !m.SMSEnabled {
			t.smsRegister(u, m)
		} else if !enabled {
			t.smsUnregister(u, m)
		}
		m.smsConfigured = true
		return nil
	})
}

// UserView is a user with their phones, for inspection.
type UserView struct {
	User
	Groups       []string      `json:"groups,omitempty"`
	PhoneMethods []PhoneMethod `json:"phoneMethods"`
}

// Users lists a tenant's users (ordered by UPN) with their phones.
func (s *Server) Users(tenantKey string) ([]UserView, error) {
	t, err := s.tenantOf(tenantKey)
	if err != nil {
		return nil, err
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	users := t.sortedUsers()
	out := make([]UserView, 0, len(users))
	for _, u := range users {
		out = append(out, t.userView(u))
	}
	return out, nil
}

// User returns one user (by id or UPN) with their phones.
func (s *Server) User(tenantKey, userKey string) (UserView, error) {
	var v UserView
	err := s.readUser(tenantKey, userKey, func(t *tenant, u *user) { v = t.userView(u) })
	return v, err
}

func (t *tenant) userView(u *user) UserView {
	v := UserView{User: User{ID: u.ID, UserPrincipalName: u.UPN, DisplayName: u.DisplayName}, PhoneMethods: t.views(u)}
	for g := range u.groups {
		if grp := t.groups[g]; grp != nil {
			v.Groups = append(v.Groups, grp.ID)
		}
	}
	return v
}

// TenantInfo summarises a tenant.
type TenantInfo struct {
	ID           string `json:"id"`
	Domain       string `json:"domain,omitempty"`
	Users        int    `json:"users"`
	Groups       int    `json:"groups"`
	PhoneMethods int    `json:"phoneMethods"`
}

// Tenants lists the tenants in the order they were added.
func (s *Server) Tenants() []TenantInfo {
	var out []TenantInfo
	for _, t := range s.store.all() {
		t.mu.RLock()
		out = append(out, TenantInfo{ID: t.ID, Domain: t.Domain, Users: len(t.users), Groups: len(t.groups), PhoneMethods: t.methods})
		t.mu.RUnlock()
	}
	return out
}

// MintDelegatedToken returns a delegated access token for a user (id or
// UPN) of a tenant (id or domain), for /me tests.
func (s *Server) MintDelegatedToken(tenantKey, userKey string, scopes, directoryRoles []string, ttl time.Duration) (string, error) {
	t, err := s.tenantOf(tenantKey)
	if err != nil {
		return "", err
	}
	t.mu.RLock()
	u := t.user(userKey)
	t.mu.RUnlock()
	if u == nil {
		return "", fmt.Errorf("%w: %q", ErrUserNotFound, userKey)
	}
	if ttl <= 0 {
		ttl = time.Hour
	}
	return s.authority.MintDelegatedToken(t.ID, u.ID, scopes, directoryRoles, ttl)
}

// RequestLog returns the logged Graph calls matching the filters (all
// calls without one), oldest first.
func (s *Server) RequestLog(filter ...RequestLogFilter) []RequestLogEntry {
	f := RequestLogFilter{}
	if len(filter) > 0 {
		f = filter[0]
	}
	return s.log.query(f)
}

// ResetRequestLog empties the request log and the authority request log.
func (s *Server) ResetRequestLog() {
	s.log.reset()
	s.authLog.reset()
}

// SetFaults replaces every fault (including the start-up latency).
func (s *Server) SetFaults(faults ...Fault) ([]Fault, error) { return s.faults.set(faults, true) }

// AddFaults appends faults; they get ids "f1", "f2"... unless given one.
func (s *Server) AddFaults(faults ...Fault) ([]Fault, error) { return s.faults.set(faults, false) }

// Faults lists the active faults with their remaining counts.
func (s *Server) Faults() []Fault { return s.faults.list() }

// RemoveFault removes one fault by id.
func (s *Server) RemoveFault(id string) bool { return s.faults.remove(id) }

// ClearFaults removes every fault.
func (s *Server) ClearFaults() { _, _ = s.faults.set(nil, true) }

// SetWriteBudget replaces the per-tenant write budget and refills buckets.
func (s *Server) SetWriteBudget(b WriteBudget) { s.throttle.setBudget(b) }

// WriteBudget returns the per-tenant write budget.
func (s *Server) WriteBudget() WriteBudget { return s.throttle.get() }

// SetReadBudget replaces the per-tenant read (GET) budget and refills its
// buckets; the write budget is left as it is.
func (s *Server) SetReadBudget(b ReadBudget) { s.reads.setBudget(WriteBudget(b)) }

// ReadBudget returns the per-tenant read budget.
func (s *Server) ReadBudget() ReadBudget { return ReadBudget(s.reads.get()) }
