package main

import (
	"math"
	rtdebug "runtime/debug"
	"testing"
)

func TestTuneGarbageCollector(t *testing.T) {
	percent := rtdebug.SetGCPercent(100)
	limit := rtdebug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() {
		rtdebug.SetGCPercent(percent)
		rtdebug.SetMemoryLimit(limit)
	})

	tuneGarbageCollector(func(string) string { return "" })
	if got := rtdebug.SetGCPercent(100); got != gcPercent {
		t.Errorf("GC percent %d, want %d", got, gcPercent)
	}
	if got := rtdebug.SetMemoryLimit(math.MaxInt64); got != memoryLimit {
		t.Errorf("memory limit %d, want %d", got, memoryLimit)
	}

	// The user's GOGC and GOMEMLIMIT win (the runtime applied them at start).
	tuneGarbageCollector(func(name string) string { return map[string]string{"GOGC": "50", "GOMEMLIMIT": "1GiB"}[name] })
	if got := rtdebug.SetGCPercent(100); got != 100 {
		t.Errorf("GC percent changed to %d although GOGC is set", got)
	}
	if got := rtdebug.SetMemoryLimit(math.MaxInt64); got != math.MaxInt64 {
		t.Errorf("memory limit changed to %d although GOMEMLIMIT is set", got)
	}
}
