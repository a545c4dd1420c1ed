package main

import rtdebug "runtime/debug"

// The provider's live heap is about 4 MB whatever the number of resources
// (internal/protocol keeps it so): schemas, the Graph client, and the few
// requests in flight. Go's default collector target (twice the live heap)
// then collects every few dozen requests, about a tenth of the provider's
// CPU on a refresh. Measured at N=2,000 on make bench: GOGC=200 gave
// 2.04 ms of provider CPU per resource, 400 gave 1.92 ms, but the peak RSS
// then varied with the length of the run (idle heap not yet given back
// after bursts: 52 MB at N=100, 58 MB at N=2,000). A soft memory limit
// near the footprint makes the runtime give idle memory back and collect
// early only when a burst nears it, so the peak no longer depends on N.
// At 28 MiB a short plan (N=100, the heap never near the limit) peaked at
// 43.7 MB and a long one at 48.4 MB (N=5,000): +11%. At 24 MiB: 42.5 MB
// at N=100, 43.2 MB at N=1,000, with the same CPU per resource (1.52 ms at
// -parallelism=10, 1.09 ms at 40, where the peak is 43.5 MB).
const (
	gcPercent   = 400
	memoryLimit = 24 << 20 // bytes of Go memory (heap, stacks, metadata); the binary's pages come on top
)

// tuneGarbageCollector applies gcPercent and memoryLimit unless GOGC or
// GOMEMLIMIT is set: a user who sets them wins. The limit is soft: with a
// larger live heap (none is known) the collector runs more often, never
// fails an allocation.
func tuneGarbageCollector(getenv func(string) string) {
	if getenv("GOGC") == "" {
		rtdebug.SetGCPercent(gcPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		rtdebug.SetMemoryLimit(memoryLimit)
	}
}
