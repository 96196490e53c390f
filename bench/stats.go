package main

import (
	"slices"
	"time"
)

// percentile returns the q-quantile (0-1) of times by the nearest-rank
// method, or 0 for no times.
func percentile(times []time.Duration, q float64) time.Duration {
	if len(times) == 0 {
		return 0
	}

	sorted := slices.Clone(times)
	slices.Sort(sorted)
	rank := int(q*float64(len(sorted)) + 0.999999)
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// ms returns d in milliseconds.
func ms(d time.Duration) float64 {
	return float64(d) / float64(time.Millisecond)
}
