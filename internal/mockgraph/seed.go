package mockgraph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph/identity"
)

// Seed is the mock's initial state, read from JSON (--seed, LoadSeed,
// POST /_mock/seed; the format is seed.schema.json, SeedSchema) or built
// in Go (ApplySeed). Graph-shaped objects use
// Graph's camelCase names; app registrations use identity.App's names.
//
//	{
//	  "tenants": [{
//	    "id": "00000000-0000-0000-0000-0000000000a1",
//	    "domain": "contoso.onmicrosoft.com",
//	    "apps": [{"client_id": "...", "secrets": ["..."], "certificates": ["-----BEGIN CERTIFICATE-----..."],
//	              "federated_credentials": [{"issuer": "...", "subject": "..."}],
//	              "roles": ["UserAuthenticationMethod.ReadWrite.All", "Policy.ReadWrite.AuthenticationMethod"]}],
//	    "users": [{"id": "...", "userPrincipalName": "adele@contoso.onmicrosoft.com", "displayName": "Adele",
//	               "phoneMethods": [{"phoneType": "mobile", "phoneNumber": "+1 5555550100", "smsSignInEnabled": true}]}],
//	    "groups": [{"id": "...", "displayName": "SMS sign-in", "members": ["adele@contoso.onmicrosoft.com"]}],
//	    "smsPolicy": {"state": "enabled",
//	                  "includeTargets": [{"id": "all_users", "targetType": "group", "isUsableForSignIn": true}],
//	                  "excludeTargets": []}
//	  }],
//	  "faults": [{"kind": "latency", "latency": "20ms", "jitter": "10ms"}],
//	  "writeBudget": {"capacity": 18000, "window": "5m"},
//	  "readBudget": {"capacity": 3500, "window": "10s"}
//	}
//
// A user without id gets a random one; group members are user ids or UPNs;
// an app's tenant_id defaults to its tenant; a tenant without smsPolicy
// gets DefaultSMSPolicy. Seeded phone methods must be valid (type and
// number format) but skip Graph's ordering rules, so any state, including
// conflicting SMS registrations, can be set up. Applying a seed adds to
// the existing state (users are updated by id or UPN).
type Seed struct {
	// Schema ("$schema") is ignored: it lets an editor find seed.schema.json.
	Schema string `json:"$schema,omitempty"`
	// Comment ("//") is ignored: JSON has no comments.
	Comment     string       `json:"//,omitempty"`
	Tenants     []SeedTenant `json:"tenants"`
	Faults      []Fault      `json:"faults,omitempty"`
	WriteBudget *WriteBudget `json:"writeBudget,omitempty"`
	ReadBudget  *ReadBudget  `json:"readBudget,omitempty"`
}

// SeedTenant is one tenant of a Seed.
type SeedTenant struct {
	ID        string         `json:"id"`
	Domain    string         `json:"domain,omitempty"`
	Apps      []identity.App `json:"apps,omitempty"`
	Users     []SeedUser     `json:"users,omitempty"`
	Groups    []Group        `json:"groups,omitempty"`
	SMSPolicy *SMSPolicy     `json:"smsPolicy,omitempty"`
	// SMSPolicyLag is how long an SMS policy change made through Graph
	// takes to reach sign-in (see SetPolicyLag).
	SMSPolicyLag Duration `json:"smsPolicyLag,omitempty"`
	// NewMobilesNotConfigured: true starts mobiles created through Graph
	// notConfigured, as real tenants do; false registers them at once, as
	// the create docs say; nil (unset) keeps the tenant's setting, which is
	// true for a new tenant (see SetNewMobilesNotConfigured).
	NewMobilesNotConfigured *bool `json:"newMobilesNotConfigured,omitempty"`
	// GenerateUsers adds many users at once (see GenerateUsers).
	GenerateUsers *GenerateUsers `json:"generateUsers,omitempty"`
	// PatchNotApplied maps a configuration id ("Fido2", "Sms", ...;
	// "authenticationMethodsPolicy" for the policy root) to how many of
	// its next PATCHes are answered as success and not applied (negative:
	// all; see SetPatchNotApplied).
	PatchNotApplied map[string]int `json:"patchNotApplied,omitempty"`
	// TemporaryAccessPassReplaces: true (a new tenant's setting) makes a
	// pass created for a user who has one replace it; false refuses the
	// create until the pass is deleted; nil keeps the tenant's setting
	// (see SetTemporaryAccessPassReplaces).
	TemporaryAccessPassReplaces *bool `json:"temporaryAccessPassReplaces,omitempty"`
}

// User is a directory user.
type User struct {
	ID                string `json:"id,omitempty"`
	UserPrincipalName string `json:"userPrincipalName"`
	DisplayName       string `json:"displayName,omitempty"`
}

// SeedUser is a user and their phone methods.
type SeedUser struct {
	User
	PhoneMethods []SeedPhoneMethod `json:"phoneMethods,omitempty"`
	// DefaultMethod is the phone type that is the user's default sign-in
	// method, and OtherMethods the methods the phone API does not show
	// (see SetDefaultMethod).
	DefaultMethod string `json:"defaultMethod,omitempty"`
	OtherMethods  int    `json:"otherMethods,omitempty"`
	// ReplicationDelay keeps the user not found on the phone routes for
	// that long after the seed is applied (see SetUserReplicationDelay).
	ReplicationDelay Duration `json:"replicationDelay,omitempty"`
	// EmailMethod is the user's email method (see SetEmailMethodOutOfBand).
	EmailMethod *SeedEmailMethod `json:"emailMethod,omitempty"`
	// TemporaryAccessPasses are added as AddTemporaryAccessPassOutOfBand
	// adds them (no policy check, no replacing).
	TemporaryAccessPasses []SeedTemporaryAccessPass `json:"temporaryAccessPasses,omitempty"`
	// AuthenticationMethods are read-only methods in Graph JSON with their
	// "@odata.type" (see AddAuthenticationMethod).
	AuthenticationMethods []map[string]any `json:"authenticationMethods,omitempty"`
}

// SeedEmailMethod is a seeded user's email method.
type SeedEmailMethod struct {
	EmailAddress string `json:"emailAddress"`
}

// SeedTemporaryAccessPass is a seeded Temporary Access Pass; zero fields
// take the defaults of AddTemporaryAccessPassOutOfBand. Times are RFC 3339.
type SeedTemporaryAccessPass struct {
	ID                  string `json:"id,omitempty"`
	TemporaryAccessPass string `json:"temporaryAccessPass,omitempty"`
	CreatedDateTime     string `json:"createdDateTime,omitempty"`
	StartDateTime       string `json:"startDateTime,omitempty"`
	LifetimeInMinutes   int    `json:"lifetimeInMinutes,omitempty"`
	IsUsableOnce        bool   `json:"isUsableOnce,omitempty"`
	// MethodUsabilityReason may be Expired or OneTimeUsed (the pass stays,
	// unusable); otherwise it is derived.
	MethodUsabilityReason string `json:"methodUsabilityReason,omitempty"`
}

// tap converts the seed to the control API's type.
func (st SeedTemporaryAccessPass) tap() (TemporaryAccessPass, error) {
	tap := TemporaryAccessPass{ID: st.ID, Pass: st.TemporaryAccessPass, LifetimeInMinutes: st.LifetimeInMinutes,
		IsUsableOnce: st.IsUsableOnce, MethodUsabilityReason: st.MethodUsabilityReason}
	for _, f := range []struct {
		v   string
		dst *time.Time
		n   string
	}{{st.CreatedDateTime, &tap.CreatedDateTime, "createdDateTime"}, {st.StartDateTime, &tap.StartDateTime, "startDateTime"}} {
		if f.v == "" {
			continue
		}
		ts, err := time.Parse(time.RFC3339Nano, f.v)
		if err != nil {
			return tap, fmt.Errorf("%s %q is not an RFC 3339 time", f.n, f.v)
		}
		*f.dst = ts
	}
	if st.LifetimeInMinutes < 0 {
		return tap, fmt.Errorf("lifetimeInMinutes %d is negative", st.LifetimeInMinutes)
	}
	switch st.MethodUsabilityReason {
	case "", TAPExpired, TAPOneTimeUsed:
	default:
		return tap, fmt.Errorf("methodUsabilityReason %q: only Expired or OneTimeUsed can be set", st.MethodUsabilityReason)
	}
	return tap, nil
}

// SeedPhoneMethod is a phone to create for a seeded user.
type SeedPhoneMethod struct {
	PhoneType        string `json:"phoneType"`
	PhoneNumber      string `json:"phoneNumber"`
	SMSSignInEnabled bool   `json:"smsSignInEnabled,omitempty"`
}

// Group is a security group; Members are user ids or UPNs, Groups the ids
// of groups nested in it (their members are its transitive members).
type Group struct {
	ID          string   `json:"id"`
	DisplayName string   `json:"displayName,omitempty"`
	Members     []string `json:"members,omitempty"`
	Groups      []string `json:"groups,omitempty"`
}

// ReadSeedFile parses a seed file, rejecting unknown fields so typos fail loudly.
func ReadSeedFile(path string) (*Seed, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseSeed(b)
}

// ParseSeed parses seed JSON. It is checked against SeedSchema first, so
// unknown fields, wrong types and bad values fail with their path
// (*SeedError, joined when there are several).
func ParseSeed(b []byte) (*Seed, error) {
	if err := checkSeedJSON(b); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var sd Seed
	if err := dec.Decode(&sd); err != nil {
		return nil, fmt.Errorf("mockgraph: seed: %w", err)
	}
	return &sd, nil
}

// LoadSeed reads a seed file and applies it.
func (s *Server) LoadSeed(path string) error {
	sd, err := ReadSeedFile(path)
	if err != nil {
		return err
	}
	return s.ApplySeed(sd)
}

// ApplySeed adds the seed's tenants, apps, users, groups, policies and
// phones, then its faults and write budget.
//
// The seed is checked first (phones, policies, faults, users) so the usual
// mistakes leave the state untouched; group members and authority errors
// can still fail half-way.
func (s *Server) ApplySeed(sd *Seed) error {
	if err := sd.Validate(); err != nil {
		return err
	}
	for i, st := range sd.Tenants {
		if err := s.applyTenant(fmt.Sprintf("tenants[%d]", i), st); err != nil {
			return err
		}
	}
	if len(sd.Faults) > 0 {
		if _, err := s.AddFaults(sd.Faults...); err != nil {
			return err
		}
	}
	if sd.WriteBudget != nil {
		s.SetWriteBudget(*sd.WriteBudget)
	}
	if sd.ReadBudget != nil {
		s.SetReadBudget(*sd.ReadBudget)
	}
	return nil
}

// Validate checks what can be checked without the server's state. The
// first mistake is returned as a *SeedError with its path.
func (sd *Seed) Validate() error {
	for i, st := range sd.Tenants {
		at := fmt.Sprintf("tenants[%d]", i)
		if st.ID == "" {
			return seedErr(at+".id", "a tenant needs an id")
		}
		for j, su := range st.Users {
			uat := fmt.Sprintf("%s.users[%d]", at, j)
			if su.UserPrincipalName == "" {
				return seedErr(uat+".userPrincipalName", "user %q has no userPrincipalName", su.ID)
			}
			seen := map[string]bool{}
			for k, pm := range su.PhoneMethods {
				pat := fmt.Sprintf("%s.phoneMethods[%d]", uat, k)
				if err := checkSeedPhoneAt(pat, pm.PhoneType, pm.PhoneNumber); err != nil {
					return err
				}
				if seen[pm.PhoneType] {
					return seedErr(pat+".phoneType", "%s has a second %s phone", su.UserPrincipalName, pm.PhoneType)
				}
				seen[pm.PhoneType] = true
			}
			if su.EmailMethod != nil && !ValidEmailAddress(su.EmailMethod.EmailAddress) {
				return seedErr(uat+".emailMethod.emailAddress", "%q is not a valid email address", su.EmailMethod.EmailAddress)
			}
			for k, st := range su.TemporaryAccessPasses {
				if _, err := st.tap(); err != nil {
					return seedErr(fmt.Sprintf("%s.temporaryAccessPasses[%d]", uat, k), "%v", err)
				}
			}
			for k, m := range su.AuthenticationMethods {
				if err := checkSeedMethod(m); err != nil {
					return seedErr(fmt.Sprintf("%s.authenticationMethods[%d]", uat, k), "%v", err)
				}
			}
			if su.DefaultMethod != "" {
				if _, ok := phoneTypeIndex(su.DefaultMethod); !ok {
					return seedErr(uat+".defaultMethod", "%q is not mobile, alternateMobile or office", su.DefaultMethod)
				}
			}
		}
		for j, g := range st.Groups {
			if g.ID == "" {
				return seedErr(fmt.Sprintf("%s.groups[%d].id", at, j), "group %q has no id", g.DisplayName)
			}
		}
		if st.GenerateUsers != nil {
			if err := st.GenerateUsers.validate(st.Domain); err != nil {
				return seedErr(at+".generateUsers", "%v", err)
			}
		}
		if st.SMSPolicy != nil {
			if err := normalisePolicy(*st.SMSPolicy).validate(); err != nil {
				return seedErr(at+".smsPolicy", "%v", err)
			}
		}
		for id := range st.PatchNotApplied {
			if !knownConfigurationID(id) {
				return seedErr(at+".patchNotApplied."+id, "%q is not an authentication method configuration id (or authenticationMethodsPolicy)", id)
			}
		}
	}
	for i := range sd.Faults {
		if err := sd.Faults[i].validate(); err != nil {
			return seedErr(fmt.Sprintf("faults[%d]", i), "%v", err)
		}
	}
	return nil
}

func (s *Server) applyTenant(at string, st SeedTenant) error {
	if err := s.AddTenant(identity.Tenant{ID: st.ID, Domain: st.Domain}); err != nil {
		return seedErr(at, "%v", err)
	}
	for i, app := range st.Apps {
		if app.TenantID == "" {
			app.TenantID = st.ID
		}
		if err := s.AddApp(app); err != nil {
			return seedErr(fmt.Sprintf("%s.apps[%d]", at, i), "%v", err)
		}
	}
	t := s.store.tenant(st.ID)
	t.mu.Lock()
	defer t.mu.Unlock()
	for i, su := range st.Users {
		if _, err := t.addUser(su.User); err != nil {
			return seedErr(fmt.Sprintf("%s.users[%d]", at, i), "%v", err)
		}
	}
	if err := t.applySeedDirectory(at, st); err != nil {
		return err
	}
	if st.SMSPolicy != nil {
		p := normalisePolicy(*st.SMSPolicy)
		if err := p.validate(); err != nil {
			return seedErr(at+".smsPolicy", "%v", err)
		}
		t.policy = p
	}
	t.policyLag = time.Duration(st.SMSPolicyLag)
	if st.NewMobilesNotConfigured != nil {
		t.newMobilesNotConfigured = *st.NewMobilesNotConfigured
	}
	for id, n := range st.PatchNotApplied {
		t.setNotApplied(id, n)
	}
	if st.TemporaryAccessPassReplaces != nil {
		t.tapReplaces = *st.TemporaryAccessPassReplaces
	}
	now := s.now()
	for i, su := range st.Users {
		u := t.user(su.UserPrincipalName)
		if su.DefaultMethod != "" {
			u.defaultPhone, _ = phoneTypeIndex(su.DefaultMethod)
		}
		u.otherMethods = su.OtherMethods
		if su.ReplicationDelay > 0 {
			u.visibleAt = time.Now().Add(time.Duration(su.ReplicationDelay))
		}
		for k, pm := range su.PhoneMethods {
			pat := fmt.Sprintf("%s.users[%d].phoneMethods[%d]", at, i, k)
			if err := checkSeedPhoneAt(pat, pm.PhoneType, pm.PhoneNumber); err != nil {
				return err
			}
			typ, _ := phoneTypeIndex(pm.PhoneType)
			t.setMethod(u, typ, pm.PhoneNumber, pm.SMSSignInEnabled)
		}
		uat := fmt.Sprintf("%s.users[%d]", at, i)
		if su.EmailMethod != nil {
			u.email = &emailMethod{Address: su.EmailMethod.EmailAddress}
		}
		for k, st := range su.TemporaryAccessPasses {
			tap, err := st.tap()
			if err == nil {
				_, err = t.addTAP(u, tap, now)
			}
			if err != nil {
				return seedErr(fmt.Sprintf("%s.temporaryAccessPasses[%d]", uat, k), "%v", err)
			}
		}
		for k, m := range su.AuthenticationMethods {
			if _, err := t.addExtraMethod(u, m, now); err != nil {
				return seedErr(fmt.Sprintf("%s.authenticationMethods[%d]", uat, k), "%v", err)
			}
		}
	}
	return nil
}

// checkSeedMethod checks what can be checked of a seeded read-only method
// without the user: an @odata.type that is not one the mock renders itself.
func checkSeedMethod(m map[string]any) error {
	typ, _ := m["@odata.type"].(string)
	if strings.TrimSpace(typ) == "" {
		return fmt.Errorf("a method needs an \"@odata.type\"")
	}
	for _, own := range ownMethodTypes {
		if strings.EqualFold(strings.TrimPrefix(typ, "#"), own) {
			return fmt.Errorf("%s is seeded with phoneMethods, emailMethod or temporaryAccessPasses (every user has a password)", typ)
		}
	}
	return nil
}

func checkSeedPhone(phoneType, number string) (int, error) {
	typ, ok := phoneTypeIndex(phoneType)
	if !ok {
		return 0, fmt.Errorf("phoneType %q is not mobile, alternateMobile or office", phoneType)
	}
	if !ValidPhoneNumber(number) {
		return 0, fmt.Errorf("phoneNumber %q does not match '+{country code} {number}x{extension}'", number)
	}
	return typ, nil
}

// checkSeedPhoneAt checks a seeded phone at path pat.
func checkSeedPhoneAt(pat, phoneType, number string) error {
	if _, ok := phoneTypeIndex(phoneType); !ok {
		return seedErr(pat+".phoneType", "%q is not mobile, alternateMobile or office", phoneType)
	}
	if !ValidPhoneNumber(number) {
		return seedErr(pat+".phoneNumber", "%q does not match '+{country code} {number}x{extension}', e.g. \"+1 5555550100\"", number)
	}
	return nil
}

// normalisePolicy makes nil target lists empty so JSON shows [] like Graph.
func normalisePolicy(p SMSPolicy) SMSPolicy {
	if p.IncludeTargets == nil {
		p.IncludeTargets = []SMSIncludeTarget{}
	}
	if p.ExcludeTargets == nil {
		p.ExcludeTargets = []SMSExcludeTarget{}
	}
	p.State = strings.TrimSpace(p.State)
	return p
}
