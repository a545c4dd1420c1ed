package main

import (
	rtdebug "runtime/debug"

	"github.com/entraauth/terraform-provider-entraauth/internal/protocol"
)

// The provider's live heap stays small whatever the number of resources
// (internal/protocol keeps it so), so Go's default collector target (twice
// the live heap) collects every few dozen requests. A higher GOGC collects
// less often; a soft memory limit near the footprint makes the runtime give
// idle memory back and collect early only when a burst nears it, so the
// peak RSS does not grow with the length of the run. BENCHMARKS.md has the
// measurements behind both values.
const (
	gcPercent   = 400
	memoryLimit = 24 << 20 // bytes of Go memory (heap, stacks, metadata); the binary's pages come on top
)

// tuneGarbageCollector applies gcPercent and memoryLimit when tuning is on
// (protocol.TuningEnv), each unless GOGC or GOMEMLIMIT is set: a user who
// sets them wins. The limit is soft: with a larger live heap the collector
// runs more often, never fails an allocation. It reports whether it
// changed anything.
func tuneGarbageCollector(tuning protocol.Tuning, getenv func(string) string) bool {
	if !tuning {
		return false
	}
	changed := false
	if getenv("GOGC") == "" {
		rtdebug.SetGCPercent(gcPercent)
		changed = true
	}
	if getenv("GOMEMLIMIT") == "" {
		rtdebug.SetMemoryLimit(memoryLimit)
		changed = true
	}
	return changed
}
