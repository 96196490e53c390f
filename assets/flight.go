package assets

import (
	"fmt"
	"sync"
)

// flightGroup runs one computation per key at a time and lets every caller
// for that key wait on it.
type flightGroup struct {
	mu    sync.Mutex
	calls map[string]*flightCall
}

// flightCall is one computation. Its outcome is set before done closes.
type flightCall struct {
	done chan struct{}
	outcome
}

// outcome is the result of a fetch or blur: an asset or an error.
type outcome struct {
	asset *asset
	err   error
}

// join returns the running call for key, or starts fn in a new goroutine.
// lookup runs first under the group's lock, and when it reports a cached
// outcome, join returns that as a finished call. fn must store its outcome
// where lookup finds it before returning. The key is removed only after
// that, so a result that has just finished is never computed twice.
func (g *flightGroup) join(key string, lookup func() (outcome, bool), fn func() outcome) *flightCall {
	g.mu.Lock()
	defer g.mu.Unlock()

	if call, ok := g.calls[key]; ok {
		return call
	}

	if cached, ok := lookup(); ok {
		call := &flightCall{done: make(chan struct{}), outcome: cached}
		close(call.done)
		return call
	}

	if g.calls == nil {
		g.calls = make(map[string]*flightCall)
	}

	call := &flightCall{done: make(chan struct{})}
	g.calls[key] = call
	go g.run(key, call, fn)
	return call
}

// run calls fn and turns a panic into an error, since fn parses untrusted
// bytes and a panic in this goroutine would end the process.
func (g *flightGroup) run(key string, call *flightCall, fn func() outcome) {
	defer close(call.done)

	defer func() {
		g.mu.Lock()
		delete(g.calls, key)
		g.mu.Unlock()
	}()

	defer func() {
		if r := recover(); r != nil {
			call.outcome = outcome{err: fmt.Errorf("compute %s: panic: %v", key, r)}
		}
	}()

	call.outcome = fn()
}
