package mockgraph

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

// postPhoneAbandoned sends a create and gives up on it as soon as held()
// reports that the mock has it in hand: the client leaves on an event, not
// after a fixed time. (A fixed client timeout was flaky on a busy machine:
// the TLS handshake alone could outlast it, and a client that gives up
// before its request arrives tests nothing.) It returns the client's error,
// or the status of a response that arrived although it should not have.
func postPhoneAbandoned(t *testing.T, s *Server, number string, held func() bool) (int, error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for deadline := time.Now().Add(time.Minute); ctx.Err() == nil && !held() && time.Now().Before(deadline); {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	req, _ := http.NewRequestWithContext(ctx, "POST", s.GraphEndpoint()+phonesPath(aliceID), stringsReader(`{"phoneNumber":"`+number+`","phoneType":"mobile"}`))
	req.Header.Set("Authorization", "Bearer "+appRW)
	req.Header.Set("Content-Type", "application/json")
	resp, err := testClient(s).Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// faultFired reports whether the fault with this id (Count 1) has fired:
// the mock has picked it for a request.
func faultFired(s *Server, id string) func() bool {
	return func() bool {
		for _, f := range s.Faults() {
			if f.ID == id {
				return f.Remaining == 0
			}
		}
		return false
	}
}

// phoneApplied reports whether alice has a phone: the create was applied.
func phoneApplied(s *Server) func() bool {
	return func() bool {
		ms, _ := s.PhoneMethods(tenantID, aliceID)
		return len(ms) > 0
	}
}

// waitForLog polls the request log until an entry matches (the mock logs a
// call when it has finished serving it, which may be after the client
// left). The deadline is generous: it only bounds a failing test.
func waitForLog(t *testing.T, s *Server, f RequestLogFilter) RequestLogEntry {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		if log := s.RequestLog(f); len(log) > 0 {
			return log[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no request log entry for %+v; log: %+v", f, s.RequestLog())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestFaultSlowResponseAppliesTheWrite(t *testing.T) {
	t.Run("client gives up: the write is applied, the response lost", func(t *testing.T) {
		var s *Server
		// The client leaves once Graph has applied the write, well before
		// the response is released. Rarely, on a loaded machine, the client's
		// transport still hands over the response released at its cancel; the
		// scenario then did not happen, so it is run again on a fresh mock
		// (at most three times) rather than judged.
		for attempt := 1; ; attempt++ {
			s = startTest(t, Options{})
			addFaults(t, s, Fault{Kind: FaultSlowResponse, Match: OpCreate, Latency: Duration(30 * time.Second), Count: 1})
			status, err := postPhoneAbandoned(t, s, "+1 5555550001", phoneApplied(s))
			if errors.Is(err, context.Canceled) {
				break
			}
			if err != nil || attempt == 3 {
				t.Fatalf("client error %v (status %d) on attempt %d; want the client's own cancel, with no response", err, status, attempt)
			}
			t.Logf("attempt %d: the response (status %d) reached the client despite its cancel; running the scenario again", attempt, status)
		}
		ms, _ := s.PhoneMethods(tenantID, aliceID)
		if len(ms) != 1 || ms[0].PhoneNumber != "+1 5555550001" {
			t.Fatalf("methods after a slow response: %+v; the write must be applied", ms)
		}
		// Logged with what Graph answered, once the abandoned call ends.
		e := waitForLog(t, s, RequestLogFilter{Operation: OpCreate})
		if e.Status != http.StatusCreated || e.Fault != FaultSlowResponse {
			t.Fatalf("log entry %+v; want 201 with fault slow_response", e)
		}
	})
	t.Run("patient client: the response arrives after the delay", func(t *testing.T) {
		s := startTest(t, Options{})
		addFaults(t, s, Fault{Kind: FaultSlowResponse, Match: OpCreate, Latency: Duration(200 * time.Millisecond), Count: 1})
		r := call(t, s, appRW, "POST", phonesPath(aliceID), map[string]string{"phoneNumber": "+1 5555550001", "phoneType": "mobile"})
		mustStatus(t, r, http.StatusCreated)
		if r.json(t)["phoneNumber"] != "+1 5555550001" || r.Header.Get("request-id") == "" {
			t.Fatalf("response %s %v", r.Body, r.Header)
		}
		e := waitForLog(t, s, RequestLogFilter{Operation: OpCreate})
		// Lower bound only: the held response is a floor, never a ceiling.
		if e.Status != http.StatusCreated || e.Fault != FaultSlowResponse || e.Duration < 200*time.Millisecond {
			t.Fatalf("log entry %+v", e)
		}
		// Count 1: the next create is answered at once and refused (type exists).
		mustStatus(t, call(t, s, appRW, "POST", phonesPath(aliceID), map[string]string{"phoneNumber": "+1 5555550001", "phoneType": "mobile"}), http.StatusBadRequest)
	})
	t.Run("needs a delay", func(t *testing.T) {
		s := startTest(t, Options{})
		if _, err := s.AddFaults(Fault{Kind: FaultSlowResponse, Match: OpCreate}); err == nil {
			t.Fatal("a slow_response without latency or jitter was accepted")
		}
	})
}

func TestFaultLatencyAbandonedAppliesNothing(t *testing.T) {
	s := startTest(t, Options{})
	addFaults(t, s, Fault{ID: "hold", Kind: FaultLatency, Match: OpCreate, Latency: Duration(30 * time.Second), Count: 1})
	// The client leaves once the mock holds its request in the delay.
	status, err := postPhoneAbandoned(t, s, "+1 5555550001", faultFired(s, "hold"))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("client error %v (status %d); want the client's own cancel, with no response", err, status)
	}
	e := waitForLog(t, s, RequestLogFilter{Operation: OpCreate})
	if e.Status != 0 || e.Fault != FaultLatency {
		t.Fatalf("log entry %+v; want status 0 (no response) with fault latency", e)
	}
	if ms, _ := s.PhoneMethods(tenantID, aliceID); len(ms) != 0 {
		t.Fatalf("methods %+v; a request abandoned during its delay must not be applied", ms)
	}
}
