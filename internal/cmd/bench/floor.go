package main

import "time"

// floorOf is the least wall time an operation could take: Terraform's own
// cost for as many terraform_data resources (baseline, measured in the same
// run) plus the Graph round trips the operation made, spread over
// Terraform's parallelism.
func floorOf(baseline time.Duration, requests int, latency time.Duration, parallelism int) time.Duration {
	if parallelism < 1 {
		parallelism = 1
	}
	return baseline + time.Duration(int64(requests)*int64(latency)/int64(parallelism))
}

// ratio is wall / floor (0 when the floor is 0).
func ratio(wall, floor time.Duration) float64 {
	if floor <= 0 {
		return 0
	}
	return float64(wall) / float64(floor)
}

// budgetUse is the share of what a token bucket of capacity writes,
// refilled at rate writes per second, allowed during span that was used:
// a bucket that starts full allows capacity + rate x span writes.
func budgetUse(writes, capacity int, rate float64, span time.Duration) float64 {
	allowed := float64(capacity) + rate*span.Seconds()
	if allowed <= 0 {
		return 0
	}
	return float64(writes) / allowed
}

// writesPerSecond is the achieved write rate over span.
func writesPerSecond(writes int, span time.Duration) float64 {
	if span <= 0 {
		return 0
	}
	return float64(writes) / span.Seconds()
}
