package coordination

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func newTest(grace time.Duration) *Coordinator {
	c := New()
	c.grace = grace
	return c
}

func TestLockSerialisesOneUser(t *testing.T) {
	t.Parallel()
	c := New()
	ctx := context.Background()
	unlock, err := c.Lock(ctx, UserScope("https://graph", "Adele@Contoso.com"))
	if err != nil {
		t.Fatal(err)
	}
	// The same user, spelled in another case, must wait.
	waitCtx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := c.Lock(waitCtx, UserScope("https://graph", "adele@contoso.com")); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second lock of the same user: err = %v; want DeadlineExceeded", err)
	}
	// Another user, or the same user on another endpoint, does not wait.
	for _, s := range []Scope{UserScope("https://graph", "bianca@contoso.com"), UserScope("https://other", "adele@contoso.com")} {
		u, err := c.Lock(ctx, s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		u()
	}
	unlock()
	unlock() // a second call is harmless
	u, err := c.Lock(ctx, UserScope("https://graph", "adele@contoso.com"))
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	u()
	if n := len(c.locks); n != 0 {
		t.Errorf("%d locks kept after every unlock; want 0", n)
	}
}

// A wait with nothing under way ends after grace with one more attempt:
// this is every ordering wait at -parallelism=1.
func TestWaitAloneEndsAfterGrace(t *testing.T) {
	t.Parallel()
	c := newTest(200 * time.Millisecond)
	op := c.Begin(UserScope("g", "adele"), PhoneCreate)
	defer op.End()
	var attempts atomic.Int32
	start := time.Now()
	err := op.Retry(context.Background(), op.OtherWorking(), func() bool { attempts.Add(1); return false }, nil)
	if !errors.Is(err, ErrNothingToWaitFor) {
		t.Fatalf("err = %v; want ErrNothingToWaitFor", err)
	}
	if d := time.Since(start); d < 200*time.Millisecond || d > 2*time.Second {
		t.Errorf("the wait took %s; want about the grace (200ms)", d)
	}
	// Nothing that could change Graph's answer happened: one attempt only.
	if n := attempts.Load(); n != 1 {
		t.Errorf("%d attempts; want 1 (nothing ended or was under way to justify another)", n)
	}
}

// A wait lasts while another operation works, and retries as soon as it ends.
func TestWaitRetriesWhenTheOtherEnds(t *testing.T) {
	t.Parallel()
	c := newTest(100 * time.Millisecond)
	mobile := c.Begin(UserScope("g", "adele"), PhoneCreate)
	alt := c.Begin(UserScope("g", "adele"), PhoneCreate)
	defer alt.End()
	var mobileExists atomic.Bool
	go func() {
		time.Sleep(1500 * time.Millisecond) // far longer than the grace
		mobileExists.Store(true)
		mobile.End()
	}()
	start := time.Now()
	err := alt.Retry(context.Background(), alt.OtherWorking(), mobileExists.Load, nil)
	if err != nil {
		t.Fatalf("err = %v; want the attempt to succeed once the mobile exists", err)
	}
	if d := time.Since(start); d > 1500*time.Millisecond+pollStart {
		t.Errorf("retried %s after the mobile ended; want at once", d-1500*time.Millisecond)
	}
}

// Two operations waiting for each other cannot hold each other up: a wait
// does not count as working.
func TestWaitsDoNotKeepEachOtherAlive(t *testing.T) {
	t.Parallel()
	c := newTest(200 * time.Millisecond)
	a := c.Begin(UserScope("g", "adele"), PhoneDelete)
	b := c.Begin(UserScope("g", "adele"), PhoneDelete)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, op := range []*Op{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer op.End()
			errs[i] = op.Retry(context.Background(), op.OtherWorkingOn(PhoneDelete), func() bool { return false }, nil)
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("two waits held each other up")
	}
	for i, err := range errs {
		if !errors.Is(err, ErrNothingToWaitFor) {
			t.Errorf("wait %d: %v; want ErrNothingToWaitFor", i, err)
		}
	}
}

// A wait for a policy change goes on after the change ended, for its
// window, with no other operation in flight; a change of another
// endpoint's policy does not count.
func TestWaitForPolicyPropagation(t *testing.T) {
	t.Parallel()
	c := newTest(100 * time.Millisecond)
	c.Begin(PolicyScope("https://graph"), PolicyChange).End()
	phone := c.Begin(UserScope("https://graph", "adele"), PhoneCreate)
	defer phone.End()
	start := time.Now()
	err := phone.Retry(context.Background(), c.RunningOrEndedWithin(PolicyScope("https://graph"), PolicyChange, time.Minute),
		func() bool { return time.Since(start) > 700*time.Millisecond }, nil)
	if err != nil {
		t.Fatalf("err = %v; want the wait to last until the policy reached sign-in", err)
	}
	other := c.RunningOrEndedWithin(PolicyScope("https://other"), PolicyChange, time.Minute)
	if other.UnderWay() {
		t.Error("another endpoint's policy change counted")
	}
	if c.RunningOrEndedWithin(PolicyScope("https://graph"), PolicyChange, time.Nanosecond).UnderWay() {
		t.Error("a change that ended before the window counted")
	}
}

func TestWaitEndsWithContext(t *testing.T) {
	t.Parallel()
	c := newTest(time.Hour)
	working := c.Begin(UserScope("g", "bianca"), PhoneCreate)
	defer working.End()
	op := c.Begin(UserScope("g", "adele"), PhoneCreate)
	defer op.End()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if err := op.Retry(ctx, op.OtherWorking(), func() bool { return false }, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v; want DeadlineExceeded", err)
	}
}

// An operation on another Graph endpoint (another test's mock, another
// alias's cloud) does not keep a wait alive.
func TestWaitIgnoresOtherEndpoints(t *testing.T) {
	t.Parallel()
	c := newTest(200 * time.Millisecond)
	elsewhere := c.Begin(UserScope("https://other", "adele"), PhoneCreate)
	defer elsewhere.End()
	op := c.Begin(UserScope("https://graph", "adele"), PhoneCreate)
	defer op.End()
	done := make(chan error, 1)
	go func() { done <- op.Retry(context.Background(), op.OtherWorking(), func() bool { return false }, nil) }()
	select {
	case err := <-done:
		if !errors.Is(err, ErrNothingToWaitFor) {
			t.Fatalf("err = %v; want ErrNothingToWaitFor", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a wait lasted while only another endpoint's operation worked")
	}
}
