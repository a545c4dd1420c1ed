package main

import (
	"testing"
	"time"
)

func TestParseConfigDefaults(t *testing.T) {
	c, err := parseConfig(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Sizes) != 2 || c.Sizes[0] != 100 || c.Sizes[1] != 1000 {
		t.Errorf("sizes %v, want [100 1000]", c.Sizes)
	}
	if c.Latency != 20*time.Millisecond || c.Parallelism != 10 {
		t.Errorf("latency %s parallelism %d", c.Latency, c.Parallelism)
	}
	if c.ThrottleN != 1000 || c.ThrottleCapacity != 60 || c.ThrottleWindow != time.Second {
		t.Errorf("throttle N=%d %d/%s, want N=1000 60/1s", c.ThrottleN, c.ThrottleCapacity, c.ThrottleWindow)
	}
	if c.ThrottleReadCapacity != 100 || c.ThrottleReadWindow != time.Second {
		t.Errorf("read budget %d/%s, want 100/1s", c.ThrottleReadCapacity, c.ThrottleReadWindow)
	}
}

func TestThrottleReadCapacity(t *testing.T) {
	for n, want := range map[int]int{1: 2, 20: 2, 100: 10, 1000: 100, 10000: 350} {
		if got := throttleReadCapacity(n); got != want {
			t.Errorf("throttleReadCapacity(%d) = %d, want %d", n, got, want)
		}
	}
	if _, err := parseConfig([]string{"-n", "100", "-throttle-read-window", "0s"}); err == nil {
		t.Error("a zero read window was accepted")
	}
	c, err := parseConfig([]string{"-n", "100", "-throttle-read-capacity", "7", "-throttle-read-window", "2s"})
	if err != nil || c.ThrottleReadCapacity != 7 || c.ThrottleReadWindow != 2*time.Second {
		t.Errorf("read budget flags: %+v %v", c, err)
	}
}

func TestParseConfigOverrides(t *testing.T) {
	c, err := parseConfig([]string{"-n", "20", "-latency", "5ms", "-throttle-n", "-1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Sizes) != 1 || c.Sizes[0] != 20 || c.Latency != 5*time.Millisecond || c.ThrottleN != -1 {
		t.Errorf("got %+v", c)
	}
}

func TestParseSizes(t *testing.T) {
	for _, bad := range []string{"", "0", "-5", "1e3", "1_000", "ten", "100000"} {
		if _, err := parseSizes(bad); err == nil {
			t.Errorf("parseSizes(%q) accepted", bad)
		}
	}
	got, err := parseSizes(" 20, 100 ,")
	if err != nil || len(got) != 2 || got[0] != 20 || got[1] != 100 {
		t.Errorf("parseSizes = %v, %v", got, err)
	}
}

func TestThrottleCapacity(t *testing.T) {
	for n, want := range map[int]int{1: 2, 20: 4, 100: 20, 300: 60, 1000: 60} {
		if got := throttleCapacity(n); got != want {
			t.Errorf("throttleCapacity(%d) = %d, want %d", n, got, want)
		}
		// The run must need several refills: at least ~10 bucketfuls of writes.
		if n >= 20 && 2*n < 6*throttleCapacity(n) {
			t.Errorf("N=%d: %d writes fit in %d buckets", n, 2*n, 2*n/throttleCapacity(n))
		}
	}
}
