package mockgraph

import (
	"net/http"
	"strings"
	"time"
)

// lagKey is one phone of one user.
type lagKey struct {
	user string // lower-case user id
	typ  int
}

// lagEntry makes reads of a phone stale after a write, as Entra's eventual
// consistency can: either 404 or the value before the write.
type lagEntry struct {
	stale bool // false: 404
	// prev is the value before the write: a *PhoneMethod for a phone, a
	// *EmailMethod for the email method, the []TemporaryAccessPass of the
	// user for a pass; nil if it did not exist.
	prev      any
	id        string    // the pass written (temporary access passes)
	until     time.Time // zero: no time limit
	readsLeft int       // 0: no read limit
}

// Lag keys of the methods that are not phones (phones use their type index).
const (
	lagKeyEmail = numPhoneTypes + iota
	lagKeyTAP
)

// recordWrite arms read-after-write lag when a lag fault matches the write.
// prev is the phone before the write (nil if it did not exist). Caller
// holds t.mu for writing; the lag map has its own lock.
func (s *Server) recordWrite(r *http.Request, t *tenant, u *user, typ int, prev *PhoneMethod) {
	s.recordMethodWrite(r, t, u, typ, prev, "")
}

// recordMethodWrite is recordWrite for any lag key (a phone type,
// lagKeyEmail, lagKeyTAP); id names the pass written, for lagKeyTAP.
func (s *Server) recordMethodWrite(r *http.Request, t *tenant, u *user, key int, prev any, id string) {
	info := infoFrom(r.Context())
	f := s.faults.lagFault(r.Method, info.op, r.URL.Path)
	if f == nil {
		return
	}
	e := &lagEntry{stale: f.LagMode == "stale", prev: prev, id: id, readsLeft: f.LagReads}
	if f.LagFor > 0 {
		e.until = time.Now().Add(time.Duration(f.LagFor))
	}
	t.lagMu.Lock()
	t.lag[lagKey{strings.ToLower(u.ID), key}] = e
	t.lagMu.Unlock()
}

// lagged returns what a read of the phone shows: cur, or while lag is armed
// nil (404) or the previous value. Each lagged read uses one of the reads.
func (t *tenant) lagged(u *user, typ int, cur *PhoneMethod) *PhoneMethod {
	e := t.lagState(u, typ)
	if e == nil {
		return cur
	}
	if e.stale {
		prev, _ := e.prev.(*PhoneMethod)
		return prev
	}
	return nil
}

// lagState returns the armed lag entry of key for u, using one of its
// reads, or nil when reads see the current value.
func (t *tenant) lagState(u *user, key int) *lagEntry {
	t.lagMu.Lock()
	defer t.lagMu.Unlock()
	if len(t.lag) == 0 {
		return nil
	}
	k := lagKey{strings.ToLower(u.ID), key}
	e := t.lag[k]
	if e == nil {
		return nil
	}
	if !e.until.IsZero() && time.Now().After(e.until) {
		delete(t.lag, k)
		return nil
	}
	if e.readsLeft > 0 {
		e.readsLeft--
		if e.readsLeft == 0 {
			delete(t.lag, k)
		}
	}
	return e
}
