package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// TestRetryAfterWithJitter: the wait is Retry-After plus at most 20% of it,
// never less, and never past the time left before the deadline when
// Retry-After fits in it; the jitter really varies.
func TestRetryAfterWithJitter(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name        string
		retryAfter  time.Duration
		room        time.Duration
		lo, hi      time.Duration
		mustVaryMin bool
	}{
		{"no deadline", 5 * time.Second, -1, 5 * time.Second, 6 * time.Second, true},
		{"ample room", time.Second, time.Minute, time.Second, 1200 * time.Millisecond, true},
		{"room caps the jitter", 10 * time.Second, 10*time.Second + 50*time.Millisecond, 10 * time.Second, 10*time.Second + 50*time.Millisecond, true},
		{"exactly the room", 3 * time.Second, 3 * time.Second, 3 * time.Second, 3 * time.Second, false},
		{"too little room: Retry-After kept, caller gives up", 3 * time.Second, time.Second, 3 * time.Second, 3600 * time.Millisecond, true},
	} {
		seen := map[time.Duration]bool{}
		for range 200 {
			d := retryAfterWithJitter(c.retryAfter, c.room)
			if d < c.lo || d > c.hi {
				t.Fatalf("%s: delay %v outside [%v, %v]", c.name, d, c.lo, c.hi)
			}
			seen[d] = true
		}
		if c.mustVaryMin && len(seen) < 2 {
			t.Errorf("%s: 200 delays were all %v: no jitter", c.name, c.retryAfter)
		}
	}
}

// TestRunJittersRetryAfter: the retry loop waits at least Graph's
// Retry-After and at most 20% more, and the waits are not all equal (all
// throttled resources would otherwise retry at the same instant). The waits
// are read from the loop's own debug log, not timed.
func TestRunJittersRetryAfter(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	c := testClient()
	attempts := 0
	err := c.run(ctx, "op", retryPolicy{}, func(context.Context) error {
		attempts++
		if attempts <= 20 {
			return throttled("0.01")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	entries, err := tflogtest.MultilineJSONDecode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[time.Duration]bool{}
	for _, e := range entries {
		if e["@message"] != "retrying Graph request" {
			continue
		}
		logged, _ := e["delay"].(string)
		d, err := time.ParseDuration(logged)
		if err != nil {
			t.Fatalf("delay %q: %v", logged, err)
		}
		if d < 10*time.Millisecond || d > 12*time.Millisecond {
			t.Errorf("delay %v outside [10ms, 12ms] for Retry-After 0.01", d)
		}
		seen[d] = true
	}
	if len(seen) < 2 {
		b, _ := json.Marshal(entries)
		t.Errorf("20 throttled retries waited %d distinct delays; want jitter: %s", len(seen), b)
	}
}
