package mockgraph

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// bigSeed is one tenant with n users, each with mobile, alternateMobile and
// office phones (3n methods), every mobile registered for SMS sign-in.
func bigSeed(n int) *Seed {
	sd := testSeed()
	t0 := &sd.Tenants[0]
	for i := range n {
		t0.Users = append(t0.Users, SeedUser{
			User: User{ID: fmt.Sprintf("00000000-0000-4000-9000-%012d", i), UserPrincipalName: fmt.Sprintf("user%05d@one.example", i)},
			PhoneMethods: []SeedPhoneMethod{
				{PhoneType: "mobile", PhoneNumber: fmt.Sprintf("+1 55%08d", i), SMSSignInEnabled: true},
				{PhoneType: "alternateMobile", PhoneNumber: fmt.Sprintf("+1 56%08d", i)},
				{PhoneType: "office", PhoneNumber: fmt.Sprintf("+1 57%08dx1", i)},
			},
		})
	}
	return sd
}

// TestConcurrentRequests runs hundreds of concurrent clients through every
// operation while policies change and the admin API reads; run with -race.
func TestConcurrentRequests(t *testing.T) {
	s := startTest(t, Options{Seed: bigSeed(300), WriteBudget: &WriteBudget{Disabled: true}, ReadBudget: &ReadBudget{Disabled: true}})
	const workers = 300
	var wg sync.WaitGroup
	errs := make(chan error, workers*10)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			user := fmt.Sprintf("user%05d@one.example", w)
			steps := []struct {
				method, path string
				body         any
				want         int
			}{
				{"DELETE", phonePath(user, AlternateMobileMethodID), nil, 204},
				{"DELETE", phonePath(user, MobileMethodID), nil, 204},
				{"POST", phonesPath(user), map[string]string{"phoneNumber": fmt.Sprintf("+44 77%08d", w), "phoneType": "mobile"}, 201},
				{"POST", phonePath(user, MobileMethodID) + "/disableSmsSignIn", nil, 204},
				{"POST", phonePath(user, MobileMethodID) + "/enableSmsSignIn", nil, 204},
				{"PATCH", phonePath(user, OfficeMethodID), map[string]string{"phoneNumber": fmt.Sprintf("+44 20%08d", w)}, 204},
				{"GET", phonesPath(user), nil, 200},
				{"GET", phonePath(user, MobileMethodID), nil, 200},
			}
			for _, st := range steps {
				r, err := tryCallUnlessUnread(s, appRW, st.method, st.path, st.body)
				if err != nil {
					errs <- err
					return
				}
				if r.Status != st.want {
					errs <- fmt.Errorf("%s %s: %d want %d: %s", st.method, st.path, r.Status, st.want, r.Body)
					return
				}
			}
		}()
	}
	// Concurrent control-plane traffic.
	stop := make(chan struct{})
	var bg sync.WaitGroup
	bg.Add(1)
	go func() {
		defer bg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			_ = s.SetSMSPolicy(tenantID, SMSPolicy{State: "enabled", IncludeTargets: []SMSIncludeTarget{{ID: AllUsers, TargetType: "group", IsUsableForSignIn: true}}})
			_, _ = s.Users(tenantID)
			_ = s.RequestLog(RequestLogFilter{Method: http.MethodPost})
			_ = s.Faults()
			time.Sleep(5 * time.Millisecond)
		}
	}()
	wg.Wait()
	close(stop)
	bg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	users, _ := s.Users(tenantID)
	ready := 0
	for _, u := range users {
		for _, m := range u.PhoneMethods {
			if m.PhoneType == "mobile" && m.SMSSignInState == "ready" {
				ready++
			}
		}
	}
	if ready != workers {
		t.Fatalf("%d mobiles ready, want %d", ready, workers)
	}
	if n := len(s.RequestLog()); n != workers*8 {
		t.Fatalf("request log has %d entries, want %d", n, workers*8)
	}
}

// tryCallUnlessUnread is tryCall, sent again when the server closed the
// connection without reading the request ("server closed idle
// connection"): net/http closes a connection whose first request has not
// arrived within ReadHeaderTimeout (10 s in the mock), which happens to
// connections the client dialled ahead and parked while hundreds of
// goroutines share a busy machine. Such a request was never served (and is
// not in the request log), so sending it again is safe; net/http itself
// only does so for idempotent methods.
func tryCallUnlessUnread(s *Server, token, method, path string, body any) (response, error) {
	for attempt := 1; ; attempt++ {
		r, err := tryCall(s, token, method, path, body)
		if err == nil || attempt == 5 || !strings.Contains(err.Error(), "server closed idle connection") {
			return r, err
		}
	}
}

// TestScale loads 10,000 users and 30,000 methods and reports request
// latency against a small store. Figures only: speed is asserted nowhere
// (see BenchmarkGetPhone for the comparison under the benchmark harness).
func TestScale(t *testing.T) {
	if testing.Short() {
		t.Skip("scale test skipped in -short mode")
	}
	start := time.Now()
	big := startTest(t, Options{Seed: bigSeed(10000), WriteBudget: &WriteBudget{Disabled: true}, ReadBudget: &ReadBudget{Disabled: true}})
	t.Logf("seeded 10,000 users / 30,000 methods in %v", time.Since(start))
	small := startTest(t, Options{Seed: bigSeed(10), WriteBudget: &WriteBudget{Disabled: true}, ReadBudget: &ReadBudget{Disabled: true}})
	ti := big.Tenants()[0]
	if ti.Users != 10004 || ti.PhoneMethods != 30000 {
		t.Fatalf("big store %+v", ti)
	}
	measure := func(s *Server, n int) time.Duration {
		ds := make([]time.Duration, 0, 200)
		for i := range 200 {
			user := fmt.Sprintf("user%05d@one.example", (i*7919)%n)
			t0 := time.Now()
			r := call(t, s, appRW, "GET", phonesPath(user), nil)
			ds = append(ds, time.Since(t0))
			mustStatus(t, r, 200)
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		return ds[len(ds)/2]
	}
	measure(small, 10) // warm up connections
	t.Logf("median list latency: small store %v, 10,000-user store %v", measure(small, 10), measure(big, 10000))
	// Uniqueness checks stay O(1): enabling SMS with a fresh number in the big tenant.
	mustStatus(t, call(t, big, appRW, "POST", phonePath("user09999@one.example", MobileMethodID)+"/disableSmsSignIn", nil), 204)
	mustStatus(t, call(t, big, appRW, "POST", phonePath("user09999@one.example", MobileMethodID)+"/enableSmsSignIn", nil), 204)
	// And a taken number is still found among 10,000 registrations.
	// Graph applies the change and answers 409 phoneNumberNotUnique.
	mustStatus(t, call(t, big, appRW, "PATCH", phonePath("user00001@one.example", MobileMethodID), map[string]string{"phoneNumber": "+1 5500000002"}), 409)
	if ms, _ := big.PhoneMethods(tenantID, "user00001@one.example"); ms[0].SMSSignInState != "phoneNumberNotUnique" {
		t.Fatalf("conflict not found: %+v", ms)
	}
}

func benchmarkGet(b *testing.B, users int) {
	s := startTest(b, Options{Seed: bigSeed(users), WriteBudget: &WriteBudget{Disabled: true}, ReadBudget: &ReadBudget{Disabled: true}})
	warmConnections(s)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			i++
			user := fmt.Sprintf("user%05d@one.example", (i*7919)%users)
			if r, err := tryCall(s, appRW, "GET", phonePath(user, MobileMethodID), nil); err != nil || r.Status != 200 {
				b.Errorf("status %d: %v", r.Status, err)
				return
			}
		}
	})
}

// BenchmarkGetPhone compares a GET against a 10-user and a 10,000-user store.
func BenchmarkGetPhone(b *testing.B) {
	b.Run("users=10", func(b *testing.B) { benchmarkGet(b, 10) })
	b.Run("users=10000", func(b *testing.B) { benchmarkGet(b, 10000) })
}

// BenchmarkWriteCycle measures create + enable + delete on a large store.
func BenchmarkWriteCycle(b *testing.B) {
	s := startTest(b, Options{Seed: bigSeed(10000), WriteBudget: &WriteBudget{Disabled: true}, ReadBudget: &ReadBudget{Disabled: true}})
	warmConnections(s)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		user := fmt.Sprintf("user%05d@one.example", i%10000)
		call(b, s, appRW, "DELETE", phonePath(user, AlternateMobileMethodID), nil)
		if r := call(b, s, appRW, "PATCH", phonePath(user, MobileMethodID), map[string]string{"phoneNumber": fmt.Sprintf("+44 77%08d", i)}); r.Status != 204 {
			b.Fatalf("patch %d: %s", r.Status, r.Body)
		}
		call(b, s, appRW, "POST", phonePath(user, MobileMethodID)+"/enableSmsSignIn", nil)
	}
}

// BenchmarkStoreDerivation measures smsSignInState derivation without HTTP.
func BenchmarkStoreDerivation(b *testing.B) {
	s := startTest(b, Options{Seed: bigSeed(10000)})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.PhoneMethods(tenantID, fmt.Sprintf("user%05d@one.example", i%10000)); err != nil {
			b.Fatal(err)
		}
	}
}

// warmConnections opens pooled TLS connections so handshakes stay out of
// the measurement.
func warmConnections(s *Server) {
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				_, _ = tryCall(s, appRW, "GET", phonesPath(aliceID), nil)
			}
		}()
	}
	wg.Wait()
}
