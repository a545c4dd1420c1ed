package mockgraph

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault kinds.
const (
	FaultLatency        = "latency"         // sleep Latency plus up to Jitter, then serve normally
	FaultThrottle       = "throttle"        // 429 TooManyRequests with Retry-After
	FaultUnavailable    = "unavailable"     // 503, Retry-After when RetryAfterSeconds > 0
	FaultGatewayTimeout = "gateway_timeout" // 504, Retry-After when RetryAfterSeconds > 0
	FaultDrop           = "drop"            // apply the request, then close the connection: the response is lost
	FaultSlowResponse   = "slow_response"   // apply the request, then hold its response for Latency plus up to Jitter
	FaultLag            = "lag"             // after a matching write, reads of that phone see 404 or the old value
	FaultRaw            = "raw"             // answer Status, Headers and Body verbatim (malformed error bodies)
)

// Fault is one injected failure. It matches requests by HTTP Method (empty
// or "*" for any) and Match: an operation name (list, get, create, update,
// delete, enableSmsSignIn, disableSmsSignIn, policy.get, policy.update,
// methodConfiguration.get, methodConfiguration.update, policyRoot.get,
// policyRoot.update, user.list, user.get, group.transitiveMembers,
// emailMethod.list|get|create|update|delete,
// temporaryAccessPass.list|get|create|delete, method.list, method.get), a
// group ("read", "write", "policy", "phone", "authenticationMethods": every
// operation on a user's methods, "directory"), "" or "*" for everything, or a
// path glob starting with "/" where * matches any run of characters
// (e.g. "/v1.0/users/*/authentication/phoneMethods/*"). Globs are
// case-insensitive and ignore the query string.
//
// Count limits the fault to the next Count matching requests (0: no limit);
// Probability (0 < p < 1) makes each matching request fail with that chance
// (0: always). For lag faults both count matching writes.
type Fault struct {
	ID          string  `json:"id,omitempty"`
	Method      string  `json:"method,omitempty"`
	Match       string  `json:"match,omitempty"`
	Kind        string  `json:"kind"`
	Count       int     `json:"count,omitempty"`
	Probability float64 `json:"probability,omitempty"`

	// Latency and Jitter: the delay is Latency + rand[0, Jitter). A latency
	// fault waits before the request is served (a client that gives up
	// first leaves nothing applied); a slow_response fault waits after the
	// write is applied, so a client that gives up has lost the response
	// to a write Graph made.
	Latency Duration `json:"latency,omitempty"`
	Jitter  Duration `json:"jitter,omitempty"`

	// RetryAfterSeconds is the Retry-After value (429 always sends it, 503 and
	// 504 only when > 0). RetryAfterHTTPDate sends it in HTTP-date form.
	RetryAfterSeconds  int  `json:"retry_after_seconds,omitempty"`
	RetryAfterHTTPDate bool `json:"retry_after_http_date,omitempty"`

	// Lag: LagMode "not_found" (default) or "stale" (the value before the
	// write); it lasts LagFor, or LagReads reads of that phone, whichever ends
	// first (at least one of them must be set).
	LagMode  string   `json:"lag_mode,omitempty"`
	LagFor   Duration `json:"lag_for,omitempty"`
	LagReads int      `json:"lag_reads,omitempty"`

	// Raw response.
	Status  int               `json:"status,omitempty"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    string            `json:"body,omitempty"`

	// Remaining is reported by Faults(): matching requests left when Count > 0.
	Remaining int `json:"remaining,omitempty"`
}

// Duration is a time.Duration that reads from JSON as a Go duration string
// ("250ms", "2s") or a number of milliseconds, and writes as a string.
type Duration time.Duration

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON accepts "1.5s" or 1500 (milliseconds).
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		v, err := time.ParseDuration(s)
		if err != nil {
			return err
		}
		*d = Duration(v)
		return nil
	}
	var ms float64
	if err := json.Unmarshal(b, &ms); err != nil {
		return fmt.Errorf("duration must be a string like \"250ms\" or milliseconds: %w", err)
	}
	*d = Duration(ms * float64(time.Millisecond))
	return nil
}

// validate rejects faults that could never fire or would misbehave.
func (f *Fault) validate() error {
	switch f.Kind {
	case FaultLatency, FaultSlowResponse:
		if f.Latency < 0 || f.Jitter < 0 || (f.Latency == 0 && f.Jitter == 0) {
			return fmt.Errorf("fault %q: %s needs a positive latency or jitter", f.ID, f.Kind)
		}
	case FaultThrottle, FaultUnavailable, FaultGatewayTimeout, FaultDrop:
	case FaultLag:
		if f.LagFor <= 0 && f.LagReads <= 0 {
			return fmt.Errorf("fault %q: lag needs lag_for or lag_reads", f.ID)
		}
		if f.LagMode != "" && f.LagMode != "not_found" && f.LagMode != "stale" {
			return fmt.Errorf("fault %q: lag_mode must be not_found or stale", f.ID)
		}
	case FaultRaw:
		if f.Status < 100 || f.Status > 599 {
			return fmt.Errorf("fault %q: raw needs a status between 100 and 599", f.ID)
		}
	default:
		return fmt.Errorf("fault %q: unknown kind %q", f.ID, f.Kind)
	}
	if f.Probability < 0 || f.Probability > 1 || f.Count < 0 || f.RetryAfterSeconds < 0 {
		return fmt.Errorf("fault %q: count, probability and retry_after_seconds must not be negative (probability at most 1)", f.ID)
	}
	if strings.HasPrefix(f.Match, "/") {
		if _, err := globRegexp(f.Match); err != nil {
			return fmt.Errorf("fault %q: %w", f.ID, err)
		}
	}
	return nil
}

type faultState struct {
	Fault
	glob *regexp.Regexp
	used int
}

// faultSet holds the active faults; first match wins among response faults.
type faultSet struct {
	mu     sync.Mutex
	faults []*faultState
	nextID int
}

func globRegexp(g string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("(?i)^")
	for _, c := range g {
		switch c {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

// set replaces (replace=true) or extends the fault list.
func (fs *faultSet) set(faults []Fault, replace bool) ([]Fault, error) {
	states := make([]*faultState, 0, len(faults))
	for _, f := range faults {
		if err := f.validate(); err != nil {
			return nil, err
		}
		st := &faultState{Fault: f}
		st.Remaining = 0
		if strings.HasPrefix(f.Match, "/") {
			st.glob, _ = globRegexp(f.Match)
		}
		states = append(states, st)
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if replace {
		fs.faults = nil
	}
	out := make([]Fault, 0, len(states))
	for _, st := range states {
		if st.ID == "" {
			fs.nextID++
			st.ID = "f" + strconv.Itoa(fs.nextID)
		}
		fs.faults = append(fs.faults, st)
		out = append(out, st.view())
	}
	return out, nil
}

func (st *faultState) view() Fault {
	f := st.Fault
	if f.Count > 0 {
		f.Remaining = f.Count - st.used
	}
	return f
}

func (fs *faultSet) list() []Fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	out := make([]Fault, 0, len(fs.faults))
	for _, st := range fs.faults {
		out = append(out, st.view())
	}
	return out
}

func (fs *faultSet) remove(id string) bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, st := range fs.faults {
		if st.ID == id {
			fs.faults = append(fs.faults[:i], fs.faults[i+1:]...)
			return true
		}
	}
	return false
}

func (st *faultState) matches(method, op, path string) bool {
	if st.Method != "" && st.Method != "*" && !strings.EqualFold(st.Method, method) {
		return false
	}
	switch m := st.Match; {
	case m == "" || m == "*":
		return true
	case st.glob != nil:
		return st.glob.MatchString(path)
	case strings.EqualFold(m, "write"):
		return isWrite(op)
	case strings.EqualFold(m, "read"):
		return op != "" && !isWrite(op)
	case strings.EqualFold(m, "policy"):
		return isPolicyOp(op)
	case strings.EqualFold(m, "phone"):
		return isPhoneOp(op)
	case strings.EqualFold(m, "authenticationMethods"):
		return isUserMethodOp(op)
	case strings.EqualFold(m, "directory"):
		return isDirectoryOp(op)
	default:
		return strings.EqualFold(m, op)
	}
}

// fires consumes one use of a matching fault if its count and probability
// say it applies to this request. Caller holds fs.mu.
func (st *faultState) fires() bool {
	if st.Count > 0 && st.used >= st.Count {
		return false
	}
	if st.Probability > 0 && st.Probability < 1 && rand.Float64() >= st.Probability {
		return false
	}
	st.used++
	return true
}

// delay is Latency plus up to Jitter.
func (f *Fault) delay() time.Duration {
	d := time.Duration(f.Latency)
	if f.Jitter > 0 {
		d += time.Duration(rand.Int64N(int64(f.Jitter)))
	}
	return d
}

// pick returns the total injected latency and the first response fault
// (throttle, unavailable, gateway_timeout, drop, slow_response, raw) that
// fires.
func (fs *faultSet) pick(method, op, path string) (time.Duration, *Fault) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	var delay time.Duration
	var resp *Fault
	for _, st := range fs.faults {
		if st.Kind == FaultLag || !st.matches(method, op, path) {
			continue
		}
		if st.Kind == FaultLatency {
			if st.fires() {
				delay += st.delay()
			}
			continue
		}
		if resp == nil && st.fires() {
			f := st.Fault
			resp = &f
		}
	}
	return delay, resp
}

// lagFault returns the first lag fault that fires for a completed write.
func (fs *faultSet) lagFault(method, op, path string) *Fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for _, st := range fs.faults {
		if st.Kind == FaultLag && st.matches(method, op, path) && st.fires() {
			f := st.Fault
			return &f
		}
	}
	return nil
}

// retryAfter formats the Retry-After header value.
func retryAfter(f *Fault) string {
	if f.RetryAfterHTTPDate {
		return time.Now().Add(time.Duration(f.RetryAfterSeconds) * time.Second).UTC().Format(http.TimeFormat)
	}
	return strconv.Itoa(f.RetryAfterSeconds)
}

// writeFault answers a response fault other than drop and slow_response.
func writeFault(w http.ResponseWriter, r *http.Request, f *Fault) {
	switch f.Kind {
	case FaultThrottle:
		w.Header().Set("Retry-After", retryAfter(f))
		writeRule(w, r, ruleThrottled, "")
	case FaultUnavailable, FaultGatewayTimeout:
		if f.RetryAfterSeconds > 0 {
			w.Header().Set("Retry-After", retryAfter(f))
		}
		if f.Kind == FaultUnavailable {
			writeRule(w, r, ruleServiceUnavailable, "")
		} else {
			writeRule(w, r, ruleGatewayTimeout, "")
		}
	case FaultRaw:
		for k, v := range f.Headers {
			w.Header().Set(k, v)
		}
		w.WriteHeader(f.Status)
		_, _ = w.Write([]byte(f.Body))
	}
}
