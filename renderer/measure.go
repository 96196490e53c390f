package renderer

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// ChromePIDs returns the process IDs of the Chrome browser processes that the
// pool runs: the current one and any older one that still finishes renders
// after a restart. Their renderer, GPU and utility processes are descendants
// of these and not in the list. After Close the list is empty.
func (p *Pool) ChromePIDs() []int {
	p.mu.Lock()
	defer p.mu.Unlock()

	pids := make([]int, 0, len(p.browsers))
	for b := range p.browsers {
		pids = append(pids, b.pid)
	}
	slices.Sort(pids)
	return pids
}

// MeasureCapture renders job once in a free tab, then captures its card n more
// times without touching the page, and returns the n capture durations. That
// is the floor below which no render of the page can go: the screenshot alone,
// of the same document in the same viewport. Benchmarks use it.
//
// The first render and each capture have the deadline of Config.Timeout. The
// measurement holds one tab for its whole run, so it delays renders that wait
// for a tab, and it does not count toward Config.RestartAfter.
func (p *Pool) MeasureCapture(ctx context.Context, job Job, n int) ([]time.Duration, error) {
	if n < 1 {
		return nil, fmt.Errorf("%w: capture count must be at least 1, got %d", ErrInvalidJob, n)
	}

	spec, err := p.admitJob(job)
	if err != nil {
		return nil, err
	}
	defer func() { <-p.admit }()

	t, err := p.loadForMeasure(ctx, spec)
	if err != nil {
		return nil, err
	}

	times, err := p.captureRepeatedly(ctx, t, spec, n)
	if err != nil {
		p.fail(ctx, t, spec, err)
		return nil, err
	}

	t.reset = mayRunScript(spec.html)
	p.release(t)
	return times, nil
}

// loadForMeasure takes a free tab and renders job in it, the way Render does,
// and returns the tab with the page still loaded.
func (p *Pool) loadForMeasure(ctx context.Context, spec jobSpec) (*tab, error) {
	rctx, cancel := p.renderContext(ctx)
	defer cancel()

	t, err := p.acquire(rctx)
	if err != nil {
		return nil, p.renderError(ctx, rctx, nil, "wait for a tab", err)
	}

	if _, err := t.render(rctx, spec, p.cfg.MaxHeight); err != nil {
		err = p.renderError(ctx, rctx, t, "draw page", err)
		p.fail(ctx, t, spec, err)
		return nil, err
	}
	return t, nil
}

// captureRepeatedly captures the card of the loaded page n times and returns
// the duration of each capture.
func (p *Pool) captureRepeatedly(ctx context.Context, t *tab, spec jobSpec, n int) ([]time.Duration, error) {
	rctx, cancel := p.renderContext(ctx)
	// The page is loaded, so the wait script returns the box at once.
	box, err := t.waitForCard(rctx, spec.selector)
	cancel()
	if err != nil {
		return nil, fmt.Errorf("find card: %w", err)
	}

	clip, err := clipOf(box, spec, p.cfg.MaxHeight)
	if err != nil {
		return nil, pageError{err}
	}

	times := make([]time.Duration, 0, n)
	for range n {
		rctx, cancel := p.renderContext(ctx)
		start := time.Now()
		_, err := t.capture(rctx, spec, clip)
		elapsed := time.Since(start)
		if err != nil {
			err = p.renderError(ctx, rctx, t, "capture", err)
			cancel()
			return nil, err
		}
		cancel()
		times = append(times, elapsed)
	}
	return times, nil
}
