package coordination

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// fakeUser is Graph's ordering rule for one user: an alternateMobile needs
// the mobile, and the mobile cannot go while an alternateMobile exists.
type fakeUser struct {
	mu                sync.Mutex
	mobile, alternate bool
}

func (u *fakeUser) do(step string) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	switch step {
	case "create mobile":
		u.mobile = true
	case "create alternateMobile":
		if !u.mobile {
			return false
		}
		u.alternate = true
	case "delete mobile":
		if u.alternate {
			return false
		}
		u.mobile = false
	case "delete alternateMobile":
		u.alternate = false
	}
	return true
}

// walk runs steps the way Terraform's graph walk does: one goroutine each,
// started in the given order, each holding one of parallelism slots for
// the whole operation. It returns each step's error.
func walk(c *Coordinator, u *fakeUser, parallelism int, steps ...string) []error {
	slots := make(chan struct{}, parallelism)
	errs := make([]error, len(steps))
	var wg sync.WaitGroup
	for i, step := range steps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			op := c.Begin(UserScope("g", "adele"), PhoneCreate)
			defer op.End()
			errs[i] = op.Retry(context.Background(), op.OtherWorking(), func() bool { return u.do(step) }, nil)
		}()
		time.Sleep(20 * time.Millisecond) // the order in which Terraform reaches them
	}
	wg.Wait()
	return errs
}

// A user's mobile and alternateMobile, created and destroyed without
// depends_on, in the order Graph refuses: at -parallelism=2 the refused
// one waits for the other and both succeed; at -parallelism=1 the refused
// one holds the only slot, so it must give up after the grace instead of
// waiting for its timeout (minutes), and the other then runs.
func TestPairAtParallelism(t *testing.T) {
	t.Parallel()
	const grace = 300 * time.Millisecond
	for _, tc := range []struct {
		name         string
		parallelism  int
		wantRefusals int
	}{
		{"parallelism=2", 2, 0},
		{"parallelism=1", 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newTest(grace)
			u := &fakeUser{}
			start := time.Now()
			create := walk(c, u, tc.parallelism, "create alternateMobile", "create mobile")
			if n := countNothing(t, create); n != tc.wantRefusals {
				t.Errorf("create: %d steps gave up; want %d", n, tc.wantRefusals)
			}
			if tc.wantRefusals > 0 { // the next apply creates what is left
				walk(c, u, tc.parallelism, "create alternateMobile")
			}
			destroy := walk(c, u, tc.parallelism, "delete mobile", "delete alternateMobile")
			if n := countNothing(t, destroy); n != tc.wantRefusals {
				t.Errorf("destroy: %d steps gave up; want %d", n, tc.wantRefusals)
			}
			if tc.wantRefusals > 0 {
				walk(c, u, tc.parallelism, "delete mobile")
			}
			if u.mobile || u.alternate {
				t.Errorf("left mobile=%v alternateMobile=%v", u.mobile, u.alternate)
			}
			if d := time.Since(start); d > 4*(grace+pollMax) {
				t.Errorf("took %s; every wait must end within the grace and one poll", d)
			}
		})
	}
}

func countNothing(t *testing.T, errs []error) int {
	t.Helper()
	n := 0
	for _, err := range errs {
		switch {
		case err == nil:
		case errors.Is(err, ErrNothingToWaitFor):
			n++
		default:
			t.Errorf("unexpected error %v", err)
		}
	}
	return n
}
