package main

import (
	"testing"
	"time"
)

func TestFloorOf(t *testing.T) {
	tests := []struct {
		name        string
		baseline    time.Duration
		requests    int
		latency     time.Duration
		parallelism int
		want        time.Duration
	}{
		{"1000 GETs at 20ms over 10", 3 * time.Second, 1000, 20 * time.Millisecond, 10, 5 * time.Second},
		{"no requests is the baseline", 2 * time.Second, 0, 20 * time.Millisecond, 10, 2 * time.Second},
		{"parallelism 1", time.Second, 10, 100 * time.Millisecond, 1, 2 * time.Second},
		{"parallelism 0 is treated as 1", 0, 10, 10 * time.Millisecond, 0, 100 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := floorOf(tt.baseline, tt.requests, tt.latency, tt.parallelism); got != tt.want {
				t.Errorf("floorOf = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestRatio(t *testing.T) {
	if got := ratio(13*time.Second, 10*time.Second); got != 1.3 {
		t.Errorf("ratio = %v, want 1.3", got)
	}
	if got := ratio(time.Second, 0); got != 0 {
		t.Errorf("ratio with a zero floor = %v, want 0", got)
	}
}

func TestBudgetUse(t *testing.T) {
	// A full bucket of 60 plus 10 s at 60/s allows 660 writes.
	if got := budgetUse(660, 60, 60, 10*time.Second); got != 1 {
		t.Errorf("budgetUse(all allowed) = %v, want 1", got)
	}
	if got := budgetUse(330, 60, 60, 10*time.Second); got != 0.5 {
		t.Errorf("budgetUse(half) = %v, want 0.5", got)
	}
	if got := budgetUse(5, 0, 0, 0); got != 0 {
		t.Errorf("budgetUse with no budget = %v, want 0", got)
	}
}

func TestWritesPerSecond(t *testing.T) {
	if got := writesPerSecond(120, 2*time.Second); got != 60 {
		t.Errorf("writesPerSecond = %v, want 60", got)
	}
	if got := writesPerSecond(3, 0); got != 0 {
		t.Errorf("writesPerSecond over no time = %v, want 0", got)
	}
}
