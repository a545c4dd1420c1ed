package mockgraph

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

// postPhoneWithin sends a create that the client abandons after wait.
func postPhoneWithin(t *testing.T, s *Server, wait time.Duration, number string) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", s.GraphEndpoint()+phonesPath(aliceID), stringsReader(`{"phoneNumber":"`+number+`","phoneType":"mobile"}`))
	req.Header.Set("Authorization", "Bearer "+appRW)
	req.Header.Set("Content-Type", "application/json")
	resp, err := testClient(s).Do(req)
	if err == nil {
		resp.Body.Close()
	}
	return err
}

// waitForLog polls the request log until an entry matches (the mock logs a
// call when it has finished serving it, which may be after the client left).
func waitForLog(t *testing.T, s *Server, f RequestLogFilter) RequestLogEntry {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
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
		s := startTest(t, Options{})
		addFaults(t, s, Fault{Kind: FaultSlowResponse, Match: OpCreate, Latency: Duration(30 * time.Second), Count: 1})
		err := postPhoneWithin(t, s, 300*time.Millisecond, "+1 5555550001")
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("client error %v; want its deadline", err)
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
	addFaults(t, s, Fault{Kind: FaultLatency, Match: OpCreate, Latency: Duration(30 * time.Second), Count: 1})
	err := postPhoneWithin(t, s, 300*time.Millisecond, "+1 5555550001")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("client error %v; want its deadline", err)
	}
	e := waitForLog(t, s, RequestLogFilter{Operation: OpCreate})
	if e.Status != 0 || e.Fault != FaultLatency {
		t.Fatalf("log entry %+v; want status 0 (no response) with fault latency", e)
	}
	if ms, _ := s.PhoneMethods(tenantID, aliceID); len(ms) != 0 {
		t.Fatalf("methods %+v; a request abandoned during its delay must not be applied", ms)
	}
}
