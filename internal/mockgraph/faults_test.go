package mockgraph

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/entraauth/terraform-provider-entraauth/internal/mockgraph/identity"
)

func addFaults(t *testing.T, s *Server, fs ...Fault) {
	t.Helper()
	if _, err := s.AddFaults(fs...); err != nil {
		t.Fatal(err)
	}
}

func TestFaultResponses(t *testing.T) {
	for _, c := range []struct {
		name       string
		fault      Fault
		status     int
		code       string
		retryAfter string // "" none, "date" an HTTP-date, else exact
		body       string // exact raw body when set
	}{
		{"throttle seconds", Fault{Kind: FaultThrottle, Match: OpList, RetryAfterSeconds: 7}, 429, "TooManyRequests", "7", ""},
		{"throttle http-date", Fault{Kind: FaultThrottle, Match: OpList, RetryAfterSeconds: 30, RetryAfterHTTPDate: true}, 429, "TooManyRequests", "date", ""},
		{"unavailable with retry-after", Fault{Kind: FaultUnavailable, Match: "read", RetryAfterSeconds: 2}, 503, "serviceNotAvailable", "2", ""},
		{"unavailable without", Fault{Kind: FaultUnavailable, Match: "*"}, 503, "serviceNotAvailable", "", ""},
		{"gateway timeout", Fault{Kind: FaultGatewayTimeout, Method: "GET", Match: "/v1.0/users/*/authentication/phoneMethods"}, 504, "UnknownError", "", ""},
		{"raw malformed error", Fault{Kind: FaultRaw, Match: OpList, Status: 500, Body: `{"foo":1}`, Headers: map[string]string{"Content-Type": "application/json"}}, 500, "", "", `{"foo":1}`},
		{"raw empty body", Fault{Kind: FaultRaw, Match: OpList, Status: 502}, 502, "", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := startTest(t, Options{})
			addFaults(t, s, Fault{Count: 2, Kind: c.fault.Kind, Method: c.fault.Method, Match: c.fault.Match, RetryAfterSeconds: c.fault.RetryAfterSeconds,
				RetryAfterHTTPDate: c.fault.RetryAfterHTTPDate, Status: c.fault.Status, Body: c.fault.Body, Headers: c.fault.Headers})
			for i := 0; i < 2; i++ {
				r := call(t, s, appRW, "GET", phonesPath(aliceID), nil)
				mustStatus(t, r, c.status)
				if c.code != "" && r.errorCode(t) != c.code {
					t.Fatalf("code: %s", r.Body)
				}
				if c.body != "" || c.fault.Kind == FaultRaw {
					if string(r.Body) != c.body {
						t.Fatalf("raw body %q", r.Body)
					}
				}
				ra := r.Header.Get("Retry-After")
				switch c.retryAfter {
				case "":
					if ra != "" {
						t.Fatalf("unexpected Retry-After %q", ra)
					}
				case "date":
					when, err := http.ParseTime(ra)
					if err != nil || when.Before(time.Now().Add(20*time.Second)) {
						t.Fatalf("Retry-After %q not an HTTP-date ~30s ahead", ra)
					}
				default:
					if ra != c.retryAfter {
						t.Fatalf("Retry-After %q, want %q", ra, c.retryAfter)
					}
				}
			}
			if f := s.Faults(); len(f) != 1 || f[0].Remaining != 0 {
				t.Fatalf("faults after use: %+v", f)
			}
			// Count exhausted: served normally again.
			mustStatus(t, call(t, s, appRW, "GET", phonesPath(aliceID), nil), 200)
			if got := s.RequestLog(RequestLogFilter{Status: c.status}); len(got) != 2 || (c.fault.Kind != FaultRaw && got[0].Fault != c.fault.Kind) {
				t.Fatalf("log: %+v", got)
			}
		})
	}
}

func TestFaultMatching(t *testing.T) {
	s := startTest(t, Options{})
	addFaults(t, s,
		Fault{Kind: FaultThrottle, Method: "POST", Match: "/v1.0/users/*/authentication/phoneMethods/*/enableSmsSignIn"},
		Fault{Kind: FaultUnavailable, Match: OpDelete},
		Fault{Kind: FaultGatewayTimeout, Match: "policy"},
	)
	if err := s.SetPhoneMethodOutOfBand(tenantID, aliceID, "mobile", "+1 5555550001", false); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		method, path string
		status       int
	}{
		{"POST", phonePath(aliceID, MobileMethodID) + "/enableSmsSignIn", 429},
		{"POST", phonePath(aliceID, MobileMethodID) + "/disableSmsSignIn", 204},
		{"DELETE", phonePath(aliceID, MobileMethodID), 503},
		{"GET", phonePath(aliceID, MobileMethodID), 200},
		{"GET", "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/sms", 504},
	} {
		if r := call(t, s, appRW, c.method, c.path, nil); r.Status != c.status {
			t.Errorf("%s %s: %d want %d", c.method, c.path, r.Status, c.status)
		}
	}
}

func TestFaultProbability(t *testing.T) {
	s := startTest(t, Options{})
	addFaults(t, s, Fault{Kind: FaultThrottle, Match: OpList, Probability: 0.5, RetryAfterSeconds: 1})
	counts := map[int]int{}
	for i := 0; i < 200; i++ {
		counts[call(t, s, appRW, "GET", phonesPath(aliceID), nil).Status]++
	}
	// P(all 200 on one side) = 2^-199: not a flaky bound.
	if counts[429] == 0 || counts[200] == 0 || counts[429]+counts[200] != 200 {
		t.Fatalf("statuses %v", counts)
	}
	t.Logf("probability 0.5 over 200 requests: %v", counts)
}

func TestFaultLatency(t *testing.T) {
	s := startTest(t, Options{Latency: 30 * time.Millisecond})
	addFaults(t, s, Fault{Kind: FaultLatency, Match: OpGet, Latency: Duration(40 * time.Millisecond), Jitter: Duration(10 * time.Millisecond)})
	call(t, s, appRW, "GET", phonesPath(aliceID), nil)
	call(t, s, appRW, "GET", phonePath(aliceID, MobileMethodID), nil)
	log := s.RequestLog()
	if len(log) != 2 {
		t.Fatalf("log %+v", log)
	}
	// Lower bounds only: the injected sleep is a floor, never a ceiling.
	if log[0].Duration < 30*time.Millisecond || log[1].Duration < 70*time.Millisecond {
		t.Fatalf("durations %v, %v", log[0].Duration, log[1].Duration)
	}
}

func TestFaultDropAfterWrite(t *testing.T) {
	s := startTest(t, Options{})
	addFaults(t, s, Fault{Kind: FaultDrop, Match: OpCreate, Count: 1})
	req, _ := http.NewRequest("POST", s.GraphEndpoint()+phonesPath(aliceID), stringsReader(`{"phoneNumber":"+1 5555550001","phoneType":"mobile"}`))
	req.Header.Set("Authorization", "Bearer "+appRW)
	resp, err := testClient(s).Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("response arrived (%d); the connection should have been dropped", resp.StatusCode)
	}
	// The write was applied even though the response was lost.
	ms, _ := s.PhoneMethods(tenantID, aliceID)
	if len(ms) != 1 || ms[0].PhoneNumber != "+1 5555550001" {
		t.Fatalf("methods after drop: %+v", ms)
	}
	if log := s.RequestLog(RequestLogFilter{Operation: OpCreate}); len(log) != 1 || log[0].Status != 0 || log[0].Fault != FaultDrop {
		t.Fatalf("log: %+v", log)
	}
	// A retry now meets the consequence: the phone exists.
	mustStatus(t, call(t, s, appRW, "POST", phonesPath(aliceID), map[string]string{"phoneNumber": "+1 5555550001", "phoneType": "mobile"}), 400)
}

func TestFaultReadAfterWriteLag(t *testing.T) {
	t.Run("not_found after create, for N reads", func(t *testing.T) {
		s := startTest(t, Options{})
		addFaults(t, s, Fault{Kind: FaultLag, Match: OpCreate, LagReads: 2})
		mustStatus(t, call(t, s, appRW, "POST", phonesPath(aliceID), map[string]string{"phoneNumber": "+1 5555550001", "phoneType": "mobile"}), 201)
		mustStatus(t, call(t, s, appRW, "GET", phonePath(aliceID, MobileMethodID), nil), 404)
		l := call(t, s, appRW, "GET", phonesPath(aliceID), nil)
		if vals, ok := l.json(t)["value"].([]any); !ok || len(vals) != 0 {
			t.Fatalf("list during lag: %s", l.Body)
		}
		mustStatus(t, call(t, s, appRW, "GET", phonePath(aliceID, MobileMethodID), nil), 200)
		// Other users are unaffected.
		mustStatus(t, call(t, s, appRW, "POST", phonesPath(bobID), map[string]string{"phoneNumber": "+1 5555550002", "phoneType": "mobile"}), 201)
	})
	t.Run("stale value after update, for a duration", func(t *testing.T) {
		// Reads are judged by when they were answered, not by sleeping a
		// fixed time: a read that shows the new value is wrong only if it
		// was answered before the lag could have ended, and the lag's end
		// is awaited by polling (a busy machine may take longer than the
		// lag just to send a few requests).
		const lag = time.Second
		s := startTest(t, Options{})
		if err := s.SetPhoneMethodOutOfBand(tenantID, aliceID, "mobile", "+1 5555550001", false); err != nil {
			t.Fatal(err)
		}
		addFaults(t, s, Fault{Kind: FaultLag, Match: "write", LagMode: "stale", LagFor: Duration(lag)})
		number := func() any {
			return call(t, s, appRW, "GET", phonePath(aliceID, MobileMethodID), nil).json(t)["phoneNumber"]
		}
		written := time.Now() // the lag starts when Graph applies the write, after this
		mustStatus(t, call(t, s, appRW, "PATCH", phonePath(aliceID, MobileMethodID), map[string]string{"phoneNumber": "+1 5555550009"}), 204)
		stale := 0
		for range 3 {
			got := number()
			if got == "+1 5555550001" {
				stale++
				continue
			}
			if time.Since(written) < lag {
				t.Fatalf("read %v during the lag; want the old number", got)
			}
		}
		if stale == 0 {
			t.Logf("every read came after the lag of %s (a busy machine): the stale window was not observed", lag)
		}
		for deadline := time.Now().Add(time.Minute); number() != "+1 5555550009"; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the new number never showed after the lag")
			}
		}
		if time.Since(written) < lag {
			t.Fatalf("the new number showed after %s, before the lag of %s ended", time.Since(written), lag)
		}
		// Delete with stale lag: the deleted phone still reads.
		deleted := time.Now()
		mustStatus(t, call(t, s, appRW, "DELETE", phonePath(aliceID, MobileMethodID), nil), 204)
		if r := call(t, s, appRW, "GET", phonePath(aliceID, MobileMethodID), nil); r.Status != 200 && time.Since(deleted) < lag {
			t.Fatalf("read after delete during the lag: %d %s; want the deleted phone", r.Status, r.Body)
		}
	})
}

func TestWriteBudget(t *testing.T) {
	s := startTest(t, Options{WriteBudget: &WriteBudget{Capacity: 3, Window: Duration(time.Hour)}})
	other := fakeToken(identity.Principal{TenantID: otherTID, Roles: []string{"UserAuthenticationMethod.ReadWrite.All"}})
	nums := []string{"+1 5555550001", "+1 5555550002", "+1 5555550003"}
	types := []string{"mobile", "alternateMobile", "office"}
	for i := range 3 {
		mustStatus(t, call(t, s, appRW, "POST", phonesPath(aliceID), map[string]string{"phoneNumber": nums[i], "phoneType": types[i]}), 201)
	}
	r := call(t, s, appRW, "PATCH", phonePath(aliceID, OfficeMethodID), map[string]string{"phoneNumber": "+1 5555550004"})
	mustStatus(t, r, 429)
	ra, err := strconv.Atoi(r.Header.Get("Retry-After"))
	// One token per 1200 s at 3 per hour.
	if err != nil || ra < 1100 || ra > 1200 {
		t.Fatalf("Retry-After %q", r.Header.Get("Retry-After"))
	}
	// Reads have their own budget (TestReadBudget); other tenants have their own bucket.
	mustStatus(t, call(t, s, appRW, "GET", phonesPath(aliceID), nil), 200)
	mustStatus(t, call(t, s, other, "POST", phonesPath("erin@two.example"), map[string]string{"phoneNumber": "+1 5555550001", "phoneType": "mobile"}), 201)
	// Refill quickly when the budget is changed at run time.
	s.SetWriteBudget(WriteBudget{Capacity: 100, Window: Duration(time.Second)})
	mustStatus(t, call(t, s, appRW, "PATCH", phonePath(aliceID, OfficeMethodID), map[string]string{"phoneNumber": "+1 5555550004"}), 204)
	if log := s.RequestLog(RequestLogFilter{Status: 429}); len(log) != 1 || log[0].Fault != "write_budget" {
		t.Fatalf("log %+v", log)
	}
}

func TestThrottleRefill(t *testing.T) {
	th := newThrottle(WriteBudget{Capacity: 2, Window: Duration(2 * time.Second)})
	now := time.Unix(1000, 0)
	th.now = func() time.Time { return now }
	for i := range 2 {
		if ok, _ := th.take("t"); !ok {
			t.Fatalf("take %d refused", i)
		}
	}
	if ok, wait := th.take("t"); ok || wait != 1 {
		t.Fatalf("empty bucket: ok=%v wait=%d", ok, wait)
	}
	now = now.Add(time.Second) // one token back at 1 token/s
	if ok, _ := th.take("t"); !ok {
		t.Fatal("refill did not happen")
	}
	if ok, _ := newThrottle(GraphWriteBudget).take("t"); !ok {
		t.Fatal("Graph budget refused the first write")
	}
	if ok, _ := newThrottle(WriteBudget{Disabled: true}).take("t"); !ok {
		t.Fatal("disabled budget refused")
	}
}

func TestFaultValidation(t *testing.T) {
	s := startTest(t, Options{})
	for _, f := range []Fault{
		{Kind: "explode"},
		{Kind: FaultLatency},
		{Kind: FaultLag},
		{Kind: FaultLag, LagReads: 1, LagMode: "weird"},
		{Kind: FaultRaw, Status: 42},
		{Kind: FaultThrottle, Probability: 2},
		{Kind: FaultThrottle, Count: -1},
	} {
		if _, err := s.AddFaults(f); err == nil {
			t.Errorf("fault %+v accepted", f)
		}
	}
	if len(s.Faults()) != 0 {
		t.Fatalf("invalid faults were installed: %+v", s.Faults())
	}
	fs, err := s.AddFaults(Fault{Kind: FaultThrottle}, Fault{ID: "mine", Kind: FaultUnavailable})
	if err != nil || fs[0].ID == "" || fs[1].ID != "mine" {
		t.Fatalf("ids: %+v %v", fs, err)
	}
	if !s.RemoveFault("mine") || s.RemoveFault("mine") || len(s.Faults()) != 1 {
		t.Fatal("RemoveFault")
	}
	s.ClearFaults()
	if len(s.Faults()) != 0 {
		t.Fatal("ClearFaults")
	}
}
