package renderer

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// startFirst starts Chrome for the first time. A failure is final, so Wait
// returns it and every render fails with ErrUnavailable.
func (p *Pool) startFirst() {
	started := time.Now()
	b, tabs, err := p.launch()

	p.mu.Lock()
	p.started = true
	if err != nil {
		p.down = fmt.Errorf("%w: %w", ErrUnavailable, err)
	} else {
		p.cur.Store(b)
		for _, t := range tabs {
			p.idle <- t
		}
	}
	p.broadcastLocked()
	p.mu.Unlock()

	if err != nil {
		if p.closeCtx.Err() == nil {
			p.log.Error("chrome failed to start", "err", err)
		}
		return
	}
	p.log.Info("chrome started", "pid", b.pid, "tabs", len(tabs), "took", time.Since(started))
	p.watch(b)
}

// launch starts a browser and opens PoolSize tabs in it.
func (p *Pool) launch() (*browser, []*tab, error) {
	p.mu.Lock()
	p.generation++
	generation := p.generation
	p.mu.Unlock()

	b, err := startBrowser(p.closeCtx, generation, p.opts, p.log)
	if err != nil {
		return nil, nil, err
	}

	tabs := make([]*tab, p.cfg.PoolSize)
	errs := make([]error, p.cfg.PoolSize)
	var wg sync.WaitGroup
	for i := range tabs {
		wg.Go(func() { tabs[i], errs[i] = openTab(p.closeCtx, b, p.seal) })
	}
	wg.Wait()

	err = errors.Join(errs...)
	p.mu.Lock()
	if err == nil && p.closed {
		err = ErrClosed
	}
	if err == nil {
		p.browsers[b] = struct{}{}
	}
	p.mu.Unlock()

	if err != nil {
		for _, t := range tabs {
			if t != nil {
				t.close()
			}
		}
		return nil, nil, errors.Join(err, b.close())
	}
	return b, tabs, nil
}

// watch restarts Chrome when b dies while it is the current browser.
func (p *Pool) watch(b *browser) {
	p.goBackground(func() {
		select {
		case <-b.lost:
		case <-p.closeCtx.Done():
			return
		}
		if b.closing.Load() {
			return
		}

		b.log.Error("chrome exited unexpectedly")
		p.mu.Lock()
		p.broadcastLocked()
		p.mu.Unlock()
		p.restart(b, "chrome exited")
	})
}

// restart replaces old with a new browser in the background, unless a restart
// already runs or old is no longer current.
func (p *Pool) restart(old *browser, reason string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || p.restarting || p.cur.Load() != old {
		return
	}

	p.restarting = true
	p.bg.Go(func() { p.runRestart(old, reason) })
}

// runRestart starts browsers until one works, then swaps it in. While old
// still runs, renders go on in it. While it is dead, the pool is down from the
// first failed attempt until a start succeeds.
//
// Only swap clears p.restarting. A restart that ends because the pool closed
// leaves it set, which keeps later restarts from starting.
func (p *Pool) runRestart(old *browser, reason string) {
	old.log.Info("restarting chrome", "reason", reason, "renders", old.renders.Load())
	for attempt := 1; ; attempt++ {
		started := time.Now()
		b, tabs, err := p.launch()
		if err == nil {
			p.swap(old, b, tabs)
			b.log.Info("chrome restarted", "reason", reason, "old_pid", old.pid, "took", time.Since(started))
			return
		}

		if p.closeCtx.Err() != nil {
			return
		}
		p.log.Error("restart chrome failed", "attempt", attempt, "err", err)
		if old.dead() {
			p.mu.Lock()
			p.down = fmt.Errorf("%w: restart after a crash failed: %w", ErrUnavailable, err)
			p.broadcastLocked()
			p.mu.Unlock()
		}

		select {
		case <-time.After(backoff(attempt)):
		case <-p.closeCtx.Done():
			return
		}
	}
}

// swap makes b the current browser. Its tabs become spares that replace the
// tabs of old one by one: the idle ones now, the busy ones when their render
// ends.
func (p *Pool) swap(old, b *browser, tabs []*tab) {
	p.mu.Lock()
	leftover := p.spares
	p.spares = tabs
	p.cur.Store(b)
	old.retired.Store(true)
	p.down = nil
	// A render of b can reach Config.RestartAfter at once, so b must be
	// able to restart as soon as it is current.
	p.restarting = false
	p.broadcastLocked()
	p.mu.Unlock()

	p.watch(b)
	for _, t := range leftover {
		p.goBackground(func() { p.closeTab(t) })
	}

	for n := len(p.idle); n > 0; n-- {
		select {
		case t := <-p.idle:
			if p.usable(t) {
				p.putIdle(t)
			} else {
				p.retire(t)
			}
		default:
			n = 0
		}
	}
	p.closeIfDrained(old)
}
