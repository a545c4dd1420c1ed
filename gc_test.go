package main

import (
	"math"
	rtdebug "runtime/debug"
	"testing"

	"github.com/entraauth/terraform-provider-entraauth/internal/protocol"
)

// resetGarbageCollector sets the runtime's defaults for the test and puts
// back what was there after it.
func resetGarbageCollector(t *testing.T) {
	t.Helper()
	percent := rtdebug.SetGCPercent(100)
	limit := rtdebug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() {
		rtdebug.SetGCPercent(percent)
		rtdebug.SetMemoryLimit(limit)
	})
}

// gcSettings reads the GC percent and memory limit without changing them.
func gcSettings() (percent int, limit int64) {
	percent = rtdebug.SetGCPercent(100)
	rtdebug.SetGCPercent(percent)
	return percent, rtdebug.SetMemoryLimit(-1)
}

func TestTuneGarbageCollector(t *testing.T) {
	resetGarbageCollector(t)
	if !tuneGarbageCollector(protocol.TuningOn, func(string) string { return "" }) {
		t.Error("tuning on reported no change")
	}
	if percent, limit := gcSettings(); percent != gcPercent || limit != memoryLimit {
		t.Errorf("tuning on: GC percent %d, memory limit %d; want %d and %d", percent, limit, gcPercent, memoryLimit)
	}

	// The user's GOGC and GOMEMLIMIT win (the runtime applied them at start).
	resetGarbageCollector(t)
	tuneGarbageCollector(protocol.TuningOn, func(name string) string { return map[string]string{"GOGC": "50", "GOMEMLIMIT": "1GiB"}[name] })
	if percent, limit := gcSettings(); percent != 100 || limit != math.MaxInt64 {
		t.Errorf("GOGC and GOMEMLIMIT set: GC percent %d, memory limit %d; want the runtime's 100 and no limit", percent, limit)
	}
}

// TestTuningOffKeepsTheRuntimeDefaults: with ENTRAAUTH_TUNING=off the
// collector keeps Go's defaults.
func TestTuningOffKeepsTheRuntimeDefaults(t *testing.T) {
	resetGarbageCollector(t)
	if tuneGarbageCollector(protocol.TuningOff, func(string) string { return "" }) {
		t.Error("tuning off reported a change")
	}
	if percent, limit := gcSettings(); percent != 100 || limit != math.MaxInt64 {
		t.Errorf("tuning off: GC percent %d, memory limit %d; want the runtime's 100 and no limit", percent, limit)
	}
}
