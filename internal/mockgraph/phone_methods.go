package mockgraph

import (
	"net/http"
	"time"
)

// handlePhone serves /users/{id|UPN}/authentication/phoneMethods/... and the
// /me variants. Every rule lives in ruleTable; the checks below run in the
// order Graph plausibly applies them: user, method, body, then state.
func (s *Server) handlePhone(w http.ResponseWriter, r *http.Request, rc *reqCtx, rt route) {
	t := rc.tenant
	key := rt.userKey
	if rt.me {
		key = rc.principal.UserID
	}
	t.mu.RLock()
	u := t.user(key)
	if u != nil && time.Now().Before(u.visibleAt) {
		u = nil // still replicating: not found yet
	}
	t.mu.RUnlock()
	if u == nil {
		// An app with no phone permission at all is refused before the lookup,
		// so it cannot probe which users exist.
		if !rc.principal.Delegated() && !containsFold(rc.principal.Roles, phoneReadAll) {
			writeRule(w, r, rulePhoneAccessDenied, "")
			return
		}
		writeRule(w, r, ruleUserNotFound, "")
		return
	}
	allowed, mask := rc.phoneAccess(rc.op, u)
	if !allowed {
		writeRule(w, r, rulePhoneAccessDenied, "")
		return
	}
	typ := -1
	if rt.methodID != "" {
		i, ok := methodIndex(rt.methodID)
		if !ok {
			writeRule(w, r, ruleMethodNotFound, "")
			return
		}
		typ = i
	}
	switch rc.op {
	case OpList:
		s.listPhones(w, t, u, mask)
	case OpGet:
		s.getPhone(w, r, t, u, typ, mask)
	case OpCreate:
		s.createPhone(w, r, t, u)
	case OpUpdate:
		s.updatePhone(w, r, t, u, typ)
	case OpDelete:
		s.deletePhone(w, r, t, u, typ)
	case OpEnableSmsSignIn, OpDisableSmsSignIn:
		s.smsSignIn(w, r, t, u, typ, rc.op == OpEnableSmsSignIn)
	default:
		writeRule(w, r, ruleMethodNotAllowed, "")
	}
}

func odataContext(u *user, entity bool) string {
	c := "https://graph.microsoft.com/v1.0/$metadata#users('" + u.ID + "')/authentication/phoneMethods"
	if entity {
		c += "/$entity"
	}
	return c
}

func maskView(v PhoneMethod, mask bool) PhoneMethod {
	if mask {
		v.PhoneNumber = maskNumber(v.PhoneNumber)
	}
	return v
}

func (s *Server) listPhones(w http.ResponseWriter, t *tenant, u *user, mask bool) {
	t.mu.RLock()
	var cur [numPhoneTypes]*PhoneMethod
	for typ, m := range u.methods {
		if m != nil {
			v := t.view(u, typ, m)
			cur[typ] = &v
		}
	}
	t.mu.RUnlock()
	items := make([]map[string]any, 0, numPhoneTypes)
	for typ := range cur {
		v := t.lagged(u, typ, cur[typ])
		if v == nil {
			continue
		}
		items = append(items, phoneJSON(maskView(*v, mask), ""))
	}
	writeJSON(w, http.StatusOK, map[string]any{"@odata.context": odataContext(u, false), "value": items})
}

func phoneJSON(v PhoneMethod, context string) map[string]any {
	m := map[string]any{
		"@odata.type":    "#microsoft.graph.phoneAuthenticationMethod",
		"id":             v.ID,
		"phoneNumber":    v.PhoneNumber,
		"phoneType":      v.PhoneType,
		"smsSignInState": v.SMSSignInState,
	}
	if context != "" {
		m["@odata.context"] = context
	}
	return m
}

func (s *Server) getPhone(w http.ResponseWriter, r *http.Request, t *tenant, u *user, typ int, mask bool) {
	t.mu.RLock()
	var cur *PhoneMethod
	if m := u.methods[typ]; m != nil {
		v := t.view(u, typ, m)
		cur = &v
	}
	t.mu.RUnlock()
	v := t.lagged(u, typ, cur)
	if v == nil {
		writeRule(w, r, ruleMethodNotFound, "")
		return
	}
	writeJSON(w, http.StatusOK, phoneJSON(maskView(*v, mask), odataContext(u, true)))
}

func (s *Server) createPhone(w http.ResponseWriter, r *http.Request, t *tenant, u *user) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	pb, rl, msg := parsePhoneBody(body)
	if rl != "" {
		writeRule(w, r, rl, msg)
		return
	}
	if pb.PhoneType == nil || pb.PhoneNumber == nil {
		writeRule(w, r, ruleMissingProperty, "Both phoneNumber and phoneType are required.")
		return
	}
	typ, ok := phoneTypeIndex(*pb.PhoneType)
	if !ok {
		writeRule(w, r, ruleInvalidPhoneType, "")
		return
	}
	if !ValidPhoneNumber(*pb.PhoneNumber) {
		writeRule(w, r, ruleInvalidPhoneNumber, "")
		return
	}
	t.mu.Lock()
	switch {
	case u.methods[typ] != nil:
		rl = rulePhoneTypeExists
	case typ == typeAlternateMobile && u.methods[typeMobile] == nil:
		rl = ruleAlternateWithoutMobile
	}
	if rl != "" {
		t.mu.Unlock()
		writeRule(w, r, rl, "")
		return
	}
	t.setMethod(u, typ, *pb.PhoneNumber, false)
	switch {
	case t.newMobilesNotConfigured:
		// Real tenants answer notConfigured for a new mobile until
		// enableSmsSignIn is called (FIDELITY.md).
		u.methods[typ].smsConfigured = false
	case typ == typeMobile && t.policyAllows(u):
		// The create docs: when the user is enabled by policy for SMS
		// sign-in and a mobile number is added, the system attempts to
		// register it; a number someone else registered first then reads
		// phoneNumberNotUnique.
		t.smsRegister(u, u.methods[typ])
	}
	v := t.view(u, typ, u.methods[typ])
	s.recordWrite(r, t, u, typ, nil)
	notUnique := t.numberNotUniqueApplied(u, typ)
	t.mu.Unlock()
	if notUnique {
		writeRule(w, r, ruleNumberNotUniqueApplied, "")
		return
	}
	writeJSON(w, http.StatusCreated, phoneJSON(v, odataContext(u, true)))
}

// numberNotUniqueApplied reports a mobile write that real Graph applies but
// answers 409 phoneNumberNotUnique: the user is allowed SMS sign-in by the
// policy and another user registered the number for it first. Caller holds
// t.mu.
func (t *tenant) numberNotUniqueApplied(u *user, typ int) bool {
	m := u.methods[typ]
	return typ == typeMobile && m != nil && t.policyAllows(u) && t.smsHeldByOther(u, m.Number, m.smsSeq)
}

func (s *Server) updatePhone(w http.ResponseWriter, r *http.Request, t *tenant, u *user, typ int) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	pb, rl, msg := parsePhoneBody(body)
	if rl != "" {
		writeRule(w, r, rl, msg)
		return
	}
	t.mu.RLock()
	exists := u.methods[typ] != nil
	t.mu.RUnlock()
	if !exists {
		writeRule(w, r, ruleMethodNotFound, "")
		return
	}
	if pb.hasPhoneType {
		if pb.PhoneType == nil {
			writeRule(w, r, ruleInvalidPhoneType, "")
			return
		}
		nt, ok := phoneTypeIndex(*pb.PhoneType)
		if !ok {
			writeRule(w, r, ruleInvalidPhoneType, "")
			return
		}
		if nt != typ {
			writeRule(w, r, rulePhoneTypeChange, "")
			return
		}
	}
	if pb.hasPhoneNumber && (pb.PhoneNumber == nil || !ValidPhoneNumber(*pb.PhoneNumber)) {
		writeRule(w, r, ruleInvalidPhoneNumber, "")
		return
	}
	t.mu.Lock()
	m := u.methods[typ]
	if m == nil { // deleted since the check above
		t.mu.Unlock()
		writeRule(w, r, ruleMethodNotFound, "")
		return
	}
	prev := t.view(u, typ, m)
	notUnique := false
	if pb.PhoneNumber != nil {
		t.changeNumber(u, typ, *pb.PhoneNumber)
		notUnique = t.numberNotUniqueApplied(u, typ)
	}
	s.recordWrite(r, t, u, typ, &prev)
	t.mu.Unlock()
	if notUnique {
		writeRule(w, r, ruleNumberNotUniqueApplied, "")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) deletePhone(w http.ResponseWriter, r *http.Request, t *tenant, u *user, typ int) {
	t.mu.Lock()
	m := u.methods[typ]
	var rl rule
	switch {
	case m == nil:
		rl = ruleMethodNotFound
	case typ == typeMobile && u.methods[typeAlternateMobile] != nil:
		rl = ruleDeleteMobileWithAlt
	case typ == u.defaultPhone && u.hasOtherMethods(typ):
		rl = ruleDeleteDefaultMethod
	}
	if rl != "" {
		t.mu.Unlock()
		writeRule(w, r, rl, "")
		return
	}
	prev := t.view(u, typ, m)
	t.deleteMethod(u, typ)
	s.recordWrite(r, t, u, typ, &prev)
	t.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// smsSignIn is enableSmsSignIn and disableSmsSignIn. Both are idempotent.
func (s *Server) smsSignIn(w http.ResponseWriter, r *http.Request, t *tenant, u *user, typ int, enable bool) {
	if !emptyActionBody(w, r) {
		return
	}
	t.mu.Lock()
	m := u.methods[typ]
	var rl rule
	switch {
	case m == nil:
		rl = ruleMethodNotFound
	case typ != typeMobile:
		rl = ruleSmsNotMobile
	case enable && !t.policyAllows(u):
		rl = ruleSmsNotAllowedByPolicy
	case enable && !m.SMSEnabled && t.smsHeldByOther(u, m.Number, 0):
		rl = ruleSmsNumberNotUnique
	}
	if rl != "" {
		t.mu.Unlock()
		writeRule(w, r, rl, "")
		return
	}
	prev := t.view(u, typ, m)
	if enable && !m.SMSEnabled {
		t.smsRegister(u, m)
	} else if !enable {
		t.smsUnregister(u, m)
	}
	m.smsConfigured = true
	s.recordWrite(r, t, u, typ, &prev)
	t.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// hasOtherMethods reports methods of u besides the phone of type typ:
// another phone, an email method, a Temporary Access Pass, a read-only
// method, or one counted by SetDefaultMethod. Caller holds t.mu.
func (u *user) hasOtherMethods(typ int) bool {
	if u.otherMethods > 0 || u.email != nil || len(u.taps) > 0 || len(u.extra) > 0 {
		return true
	}
	for i, m := range u.methods {
		if i != typ && m != nil {
			return true
		}
	}
	return false
}
