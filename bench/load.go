package main

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// loadResult is the outcome of a run of requests.
type loadResult struct {
	latencies []time.Duration
	// elapsed is the wall time from the first request sent to the last
	// reply read.
	elapsed time.Duration
	// timedOut reports that the run hit its time limit before total.
	timedOut bool
}

// throughput returns the completed requests per second.
func (r loadResult) throughput() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(len(r.latencies)) / r.elapsed.Seconds()
}

// runLoad calls do total times from clients goroutines at once. It stops
// starting calls when limit has passed, and at the first error, which it
// returns.
func runLoad(ctx context.Context, clients, total int, limit time.Duration, do func(ctx context.Context) (time.Duration, error)) (loadResult, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var (
		next     atomic.Int64
		mu       sync.Mutex
		res      loadResult
		firstErr error
		wg       sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(limit)
	for range clients {
		wg.Go(func() {
			for next.Add(1) <= int64(total) && ctx.Err() == nil {
				if time.Now().After(deadline) {
					mu.Lock()
					res.timedOut = true
					mu.Unlock()
					return
				}

				elapsed, err := do(ctx)
				mu.Lock()
				if err != nil {
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					cancel()
					return
				}
				res.latencies = append(res.latencies, elapsed)
				mu.Unlock()
			}
		})
	}
	wg.Wait()

	res.elapsed = time.Since(start)
	return res, firstErr
}

// runSequential calls do n times, one after another.
func runSequential(ctx context.Context, n int, do func(ctx context.Context) (time.Duration, error)) ([]time.Duration, error) {
	res, err := runLoad(ctx, 1, n, noLimit, do)
	return res.latencies, err
}
