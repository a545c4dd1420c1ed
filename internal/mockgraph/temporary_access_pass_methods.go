package mockgraph

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"time"
)

// Values of methodUsabilityReason (documented).
const (
	TAPEnabledByPolicy  = "EnabledByPolicy"
	TAPDisabledByPolicy = "DisabledByPolicy"
	TAPExpired          = "Expired"
	TAPNotYetValid      = "NotYetValid"
	TAPOneTimeUsed      = "OneTimeUsed"
)

// tapMethod is a stored Temporary Access Pass.
type tapMethod struct {
	ID         string
	Pass       string
	Created    time.Time
	Start      time.Time
	Lifetime   int
	UsableOnce bool
	// forced is "" or a reason set out of band (Expired, OneTimeUsed):
	// the pass stays, unusable.
	forced string
}

// TemporaryAccessPass is a pass as the control API sees it. Pass is the
// pass as issued: Graph returns it in the create response only.
type TemporaryAccessPass struct {
	ID                    string    `json:"id"`
	Pass                  string    `json:"temporaryAccessPass"`
	CreatedDateTime       time.Time `json:"createdDateTime"`
	StartDateTime         time.Time `json:"startDateTime"`
	LifetimeInMinutes     int       `json:"lifetimeInMinutes"`
	IsUsableOnce          bool      `json:"isUsableOnce"`
	IsUsable              bool      `json:"isUsable"`
	MethodUsabilityReason string    `json:"methodUsabilityReason"`
}

// tapPolicy is the tenant's TemporaryAccessPass configuration, as the
// rules read it.
type tapPolicy struct {
	enabled             bool
	includes, excludes  []map[string]any
	def, lo, hi, length int
	usableOnce          bool
}

// tapPolicy reads the TemporaryAccessPass configuration as it is now.
// Caller holds t.mu.
func (t *tenant) tapPolicy() tapPolicy {
	cfg := t.amp.configs["temporaryaccesspass"]
	p := tapPolicy{
		def: int(num(cfg, "defaultLifetimeInMinutes")), lo: int(num(cfg, "minimumLifetimeInMinutes")),
		hi: int(num(cfg, "maximumLifetimeInMinutes")), length: int(num(cfg, "defaultLength")),
	}
	p.enabled = cfg["state"] == "enabled"
	p.usableOnce, _ = cfg["isUsableOnce"].(bool)
	for k, dst := range map[string]*[]map[string]any{"includeTargets": &p.includes, "excludeTargets": &p.excludes} {
		list, _ := cfg[k].([]any)
		for _, x := range list {
			if m, ok := x.(map[string]any); ok {
				*dst = append(*dst, m)
			}
		}
	}
	if p.length == 0 {
		p.length = 8
	}
	return p
}

// covers reports whether the policy is enabled and u is included (all
// users, u, or a group u is a transitive member of) and not excluded.
// Caller holds t.mu.
func (t *tenant) tapCovers(p tapPolicy, u *user) bool {
	if !p.enabled {
		return false
	}
	hit := func(list []map[string]any) bool {
		for _, m := range list {
			id, _ := m["id"].(string)
			typ, _ := m["targetType"].(string)
			if t.targetsTransitive(u, id, typ) {
				return true
			}
		}
		return false
	}
	return !hit(p.excludes) && hit(p.includes)
}

// targetsTransitive is targets with group membership through nested
// groups. Caller holds t.mu.
func (t *tenant) targetsTransitive(u *user, id, typ string) bool {
	if strings.EqualFold(id, AllUsers) {
		return true
	}
	if typ == "user" {
		return strings.EqualFold(id, u.ID)
	}
	return t.memberOf(u, strings.ToLower(id), map[string]bool{})
}

// memberOf reports whether u is in group gk directly or through the
// groups nested in it. Caller holds t.mu.
func (t *tenant) memberOf(u *user, gk string, seen map[string]bool) bool {
	if _, ok := u.groups[gk]; ok {
		return true
	}
	g := t.groups[gk]
	if g == nil || seen[gk] {
		return false
	}
	seen[gk] = true
	for ng := range g.groups {
		if t.memberOf(u, ng, seen) {
			return true
		}
	}
	return false
}

// tapView renders a pass with isUsable and methodUsabilityReason computed
// at now from the pass and the policy. Order (a choice): marked used,
// expired (marked or past start+lifetime), the policy no longer covering
// the user, not yet started, else usable.
func (t *tenant) tapView(u *user, m *tapMethod, now time.Time) TemporaryAccessPass {
	v := TemporaryAccessPass{
		ID: m.ID, Pass: m.Pass, CreatedDateTime: m.Created, StartDateTime: m.Start,
		LifetimeInMinutes: m.Lifetime, IsUsableOnce: m.UsableOnce,
	}
	end := m.Start.Add(time.Duration(m.Lifetime) * time.Minute)
	switch {
	case m.forced == TAPOneTimeUsed:
		v.MethodUsabilityReason = TAPOneTimeUsed
	case m.forced == TAPExpired || !now.Before(end):
		v.MethodUsabilityReason = TAPExpired
	case !t.tapCovers(t.tapPolicy(), u):
		v.MethodUsabilityReason = TAPDisabledByPolicy
	case now.Before(m.Start):
		v.MethodUsabilityReason = TAPNotYetValid
	default:
		v.MethodUsabilityReason, v.IsUsable = TAPEnabledByPolicy, true
	}
	return v
}

// tapViews renders all of u's passes. Caller holds t.mu.
func (t *tenant) tapViews(u *user, now time.Time) []TemporaryAccessPass {
	out := make([]TemporaryAccessPass, 0, len(u.taps))
	for _, m := range u.taps {
		out = append(out, t.tapView(u, m, now))
	}
	return out
}

// tapJSON is Graph's JSON of a pass; the pass itself only when withPass
// (the create response), else null.
func tapJSON(v TemporaryAccessPass, withPass bool, context string) map[string]any {
	m := map[string]any{
		"@odata.type":           "#microsoft.graph.temporaryAccessPassAuthenticationMethod",
		"id":                    v.ID,
		"temporaryAccessPass":   nil,
		"createdDateTime":       graphTime(v.CreatedDateTime),
		"startDateTime":         graphTime(v.StartDateTime),
		"lifetimeInMinutes":     v.LifetimeInMinutes,
		"isUsableOnce":          v.IsUsableOnce,
		"isUsable":              v.IsUsable,
		"methodUsabilityReason": v.MethodUsabilityReason,
	}
	if withPass {
		m["temporaryAccessPass"] = v.Pass
	}
	if context != "" {
		m["@odata.context"] = context
	}
	return m
}

func tapContext(u *user, entity bool) string {
	c := "https://graph.microsoft.com/v1.0/$metadata#users('" + u.ID + "')/authentication/temporaryAccessPassMethods"
	if entity {
		c += "/$entity"
	}
	return c
}

// passAlphabet is what passes are made of (the docs' example "+drkzqAD"
// mixes letters and symbols; the exact set is a choice).
const passAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789+-!@#$%&*?"

func newPass(n int) string {
	b := make([]byte, n)
	max := big.NewInt(int64(len(passAlphabet)))
	for i := range b {
		k, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic("mockgraph: crypto/rand: " + err.Error())
		}
		b[i] = passAlphabet[k.Int64()]
	}
	return string(b)
}

// laggedTAPs is what a read of u's passes shows while a lag fault is
// armed: the passes before the write (stale) or without the pass written
// (not_found).
func (t *tenant) laggedTAPs(u *user, cur []TemporaryAccessPass) []TemporaryAccessPass {
	e := t.lagState(u, lagKeyTAP)
	if e == nil {
		return cur
	}
	if e.stale {
		prev, _ := e.prev.([]TemporaryAccessPass)
		return prev
	}
	out := cur[:0:0]
	for _, v := range cur {
		if !strings.EqualFold(v.ID, e.id) {
			out = append(out, v)
		}
	}
	return out
}

// handleTAP serves .../authentication/temporaryAccessPassMethods[/{id}].
func (s *Server) handleTAP(w http.ResponseWriter, r *http.Request, t *tenant, u *user, rt route, op string) {
	now := s.now()
	switch op {
	case OpTAPList, OpTAPGet:
		t.mu.RLock()
		cur := t.tapViews(u, now)
		t.mu.RUnlock()
		views := t.laggedTAPs(u, cur)
		if op == OpTAPList {
			items := make([]map[string]any, 0, len(views))
			for _, v := range views {
				items = append(items, tapJSON(v, false, ""))
			}
			writeJSON(w, http.StatusOK, map[string]any{"@odata.context": tapContext(u, false), "value": items})
			return
		}
		for _, v := range views {
			if strings.EqualFold(v.ID, rt.methodID) {
				writeJSON(w, http.StatusOK, tapJSON(v, false, tapContext(u, true)))
				return
			}
		}
		writeRule(w, r, ruleTAPNotFound, "")
	case OpTAPCreate:
		s.createTAP(w, r, t, u, now)
	case OpTAPDelete:
		t.mu.Lock()
		prev := t.tapViews(u, now)
		i := tapIndex(u, rt.methodID)
		if i < 0 {
			t.mu.Unlock()
			writeRule(w, r, ruleTAPNotFound, "")
			return
		}
		id := u.taps[i].ID
		u.taps = append(u.taps[:i:i], u.taps[i+1:]...)
		s.recordMethodWrite(r, t, u, lagKeyTAP, prev, id)
		t.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	default:
		writeRule(w, r, ruleMethodNotAllowed, "")
	}
}

func tapIndex(u *user, id string) int {
	for i, m := range u.taps {
		if strings.EqualFold(m.ID, id) {
			return i
		}
	}
	return -1
}

// tapBody is a parsed create body; nil fields were not given.
type tapBody struct {
	start      *time.Time
	lifetime   *int
	usableOnce *bool
}

// parseTAPBody reads the optional startDateTime, lifetimeInMinutes and
// isUsableOnce (and @odata.type); the read-only properties and anything
// else are 400. An empty body is every default.
func parseTAPBody(body []byte) (tapBody, rule, string) {
	var b tapBody
	if len(bytes.TrimSpace(body)) == 0 {
		return b, "", ""
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
		return b, ruleInvalidBody, "The request body is not a JSON object."
	}
	for k, v := range raw {
		null := string(v) == "null"
		switch k {
		case "@odata.type":
			var s string
			if json.Unmarshal(v, &s) != nil || !strings.EqualFold(strings.TrimPrefix(s, "#"), "microsoft.graph.temporaryAccessPassAuthenticationMethod") {
				return b, ruleInvalidBody, "Unexpected @odata.type " + string(v) + "; expected '#microsoft.graph.temporaryAccessPassAuthenticationMethod'."
			}
		case "startDateTime":
			if null {
				continue
			}
			var s string
			if json.Unmarshal(v, &s) != nil {
				return b, ruleInvalidBody, "startDateTime must be a DateTimeOffset string."
			}
			ts, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				return b, ruleInvalidBody, "Cannot convert the literal '" + s + "' to the expected type 'Edm.DateTimeOffset'."
			}
			ts = ts.UTC()
			b.start = &ts
		case "lifetimeInMinutes":
			if null {
				continue
			}
			var n int
			if json.Unmarshal(v, &n) != nil {
				return b, ruleInvalidBody, "lifetimeInMinutes must be an Int32."
			}
			b.lifetime = &n
		case "isUsableOnce":
			if null {
				continue
			}
			var x bool
			if json.Unmarshal(v, &x) != nil {
				return b, ruleInvalidBody, "isUsableOnce must be a Boolean."
			}
			b.usableOnce = &x
		case "id", "temporaryAccessPass", "createdDateTime", "isUsable", "methodUsabilityReason":
			return b, ruleReadOnlyProperty, "The property '" + k + "' is read-only and cannot be set."
		default:
			return b, ruleUnknownProperty, "The property '" + k + "' does not exist on type 'microsoft.graph.temporaryAccessPassAuthenticationMethod'. Make sure to only use property names that are defined by the type."
		}
	}
	return b, "", ""
}

// createTAP applies the TemporaryAccessPass configuration as it is now:
// state and targets, the lifetime range and default, one-time use, the
// pass length; then one pass per user (replace or refuse, per tenant).
func (s *Server) createTAP(w http.ResponseWriter, r *http.Request, t *tenant, u *user, now time.Time) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	b, rl, msg := parseTAPBody(body)
	if rl != "" {
		writeRule(w, r, rl, msg)
		return
	}
	t.mu.Lock()
	p := t.tapPolicy()
	m := &tapMethod{ID: newUUID(), Pass: newPass(p.length), Created: now, Start: now, Lifetime: p.def, UsableOnce: p.usableOnce}
	if b.start != nil {
		m.Start = *b.start
	}
	if b.lifetime != nil {
		m.Lifetime = *b.lifetime
	}
	if b.usableOnce != nil {
		m.UsableOnce = *b.usableOnce
	}
	switch {
	case !t.tapCovers(p, u):
		rl = ruleTAPPolicyRefused
	case m.Lifetime < p.lo || m.Lifetime > p.hi:
		rl, msg = ruleTAPInvalidLifetime, fmt.Sprintf("Invalid LifetimeInMinutes specified. The valid range between %d and %d.", p.lo, p.hi)
	case p.usableOnce && !m.UsableOnce:
		rl = ruleTAPMultiUseNotAllowed
	case len(u.taps) > 0 && !t.tapReplaces:
		rl = ruleTAPExists
	}
	if rl != "" {
		t.mu.Unlock()
		writeRule(w, r, rl, msg)
		return
	}
	prev := t.tapViews(u, now)
	// The v1.0 create page: a new pass replaces the user's pass.
	u.taps = []*tapMethod{m}
	v := t.tapView(u, m, now)
	s.recordMethodWrite(r, t, u, lagKeyTAP, prev, m.ID)
	t.mu.Unlock()
	writeJSON(w, http.StatusCreated, tapJSON(v, true, tapContext(u, true)))
}

// TemporaryAccessPasses returns the user's passes (with the pass as
// issued, which Graph never returns on reads), without faults or lag.
func (s *Server) TemporaryAccessPasses(tenantKey, userKey string) ([]TemporaryAccessPass, error) {
	var out []TemporaryAccessPass
	err := s.readUser(tenantKey, userKey, func(t *tenant, u *user) { out = t.tapViews(u, s.now()) })
	return out, err
}

// addTAP stores a pass out of band, zero fields taking their defaults
// from the configuration; it adds without replacing and skips the
// policy, so any state can be set up. Caller holds t.mu for writing.
func (t *tenant) addTAP(u *user, tap TemporaryAccessPass, now time.Time) (TemporaryAccessPass, error) {
	switch tap.MethodUsabilityReason {
	case "", TAPEnabledByPolicy, TAPDisabledByPolicy, TAPNotYetValid:
		tap.MethodUsabilityReason = "" // derived, not set
	case TAPExpired, TAPOneTimeUsed:
	default:
		return TemporaryAccessPass{}, fmt.Errorf("mockgraph: methodUsabilityReason %q: only Expired or OneTimeUsed can be set", tap.MethodUsabilityReason)
	}
	p := t.tapPolicy()
	m := &tapMethod{ID: tap.ID, Pass: tap.Pass, Created: tap.CreatedDateTime.UTC(), Start: tap.StartDateTime.UTC(),
		Lifetime: tap.LifetimeInMinutes, UsableOnce: tap.IsUsableOnce || p.usableOnce, forced: tap.MethodUsabilityReason}
	if m.ID == "" {
		m.ID = newUUID()
	}
	if tapIndex(u, m.ID) >= 0 {
		return TemporaryAccessPass{}, fmt.Errorf("mockgraph: user %s already has a pass with id %q", u.UPN, m.ID)
	}
	if m.Pass == "" {
		m.Pass = newPass(p.length)
	}
	if tap.CreatedDateTime.IsZero() {
		m.Created = now
	}
	if tap.StartDateTime.IsZero() {
		m.Start = m.Created
	}
	if m.Lifetime == 0 {
		m.Lifetime = p.def
	}
	if m.Lifetime < 0 {
		return TemporaryAccessPass{}, fmt.Errorf("mockgraph: lifetimeInMinutes %d is negative", m.Lifetime)
	}
	u.taps = append(u.taps, m)
	return t.tapView(u, m, now), nil
}

// AddTemporaryAccessPassOutOfBand gives the user a pass as an
// administrator in the portal would, without the policy checks and
// without replacing a pass the user has; zero fields get defaults (id,
// pass of the configuration's defaultLength, created now, start at
// creation, the default lifetime, isUsableOnce as the configuration).
// MethodUsabilityReason may be Expired or OneTimeUsed (see
// SetTemporaryAccessPassUsability).
func (s *Server) AddTemporaryAccessPassOutOfBand(tenantKey, userKey string, tap TemporaryAccessPass) (TemporaryAccessPass, error) {
	var out TemporaryAccessPass
	err := s.withUser(tenantKey, userKey, func(t *tenant, u *user) error {
		var err error
		out, err = t.addTAP(u, tap, s.now())
		return err
	})
	return out, err
}

// SetTemporaryAccessPassUsability marks a pass "Expired" or "OneTimeUsed"
// (it stays, unusable, with that reason), or "" to derive its usability
// from its times and the policy again.
func (s *Server) SetTemporaryAccessPassUsability(tenantKey, userKey, id, reason string) error {
	if reason != "" && reason != TAPExpired && reason != TAPOneTimeUsed {
		return fmt.Errorf("mockgraph: usability reason %q: want Expired, OneTimeUsed or empty", reason)
	}
	return s.withUser(tenantKey, userKey, func(_ *tenant, u *user) error {
		i := tapIndex(u, id)
		if i < 0 {
			return errMethodMissing("temporary access pass " + id)
		}
		u.taps[i].forced = reason
		return nil
	})
}

// DeleteTemporaryAccessPassOutOfBand deletes a pass (drift tests).
func (s *Server) DeleteTemporaryAccessPassOutOfBand(tenantKey, userKey, id string) error {
	return s.withUser(tenantKey, userKey, func(_ *tenant, u *user) error {
		i := tapIndex(u, id)
		if i < 0 {
			return errMethodMissing("temporary access pass " + id)
		}
		u.taps = append(u.taps[:i:i], u.taps[i+1:]...)
		return nil
	})
}

// SetTemporaryAccessPassReplaces chooses what a create does for a user who
// has a pass: true (the default of every tenant) replaces it, as the v1.0
// create page says; false refuses it until the pass is deleted, as
// scripts in the wild report.
func (s *Server) SetTemporaryAccessPassReplaces(tenantKey string, replaces bool) error {
	t, err := s.tenantOf(tenantKey)
	if err != nil {
		return err
	}
	t.mu.Lock()
	t.tapReplaces = replaces
	t.mu.Unlock()
	return nil
}
