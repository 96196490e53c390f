package renderer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chromedp/chromedp"
)

// errDeadline is the cause of a render context whose Config.Timeout passed.
var errDeadline = errors.New("render deadline passed")

// maxBackoff caps the wait between two failed attempts to start Chrome or to
// open a tab.
const maxBackoff = 30 * time.Second

// Pool renders cards in a fixed number of reusable tabs of one headless
// Chrome. It is safe for concurrent use.
//
// A Pool is an io.Closer, and Close must run to end Chrome.
type Pool struct {
	cfg        Config
	log        *slog.Logger
	origin     *originServer
	closedPort io.Closer
	opts       []chromedp.ExecAllocatorOption
	seal       seal

	// admit holds a token for each render in the pool, running or waiting.
	admit chan struct{}
	// idle holds the tabs that wait for a render.
	idle chan *tab

	// cur is the browser that new tabs open in.
	cur atomic.Pointer[browser]

	mu         sync.Mutex
	generation int
	browsers   map[*browser]struct{} // every browser not closed yet
	spares     []*tab                // tabs of cur that wait to replace a stale tab
	restarting bool
	started    bool  // the first start finished, with or without success
	down       error // the reason that no browser works, or nil
	closed     bool
	changed    chan struct{} // closed and replaced when the fields above change
	bg         sync.WaitGroup

	closeCtx    context.Context // ends when Close starts
	closeCancel context.CancelFunc
	closeOnce   sync.Once
	closeErr    error
}

var _ io.Closer = (*Pool)(nil)

// sealLayers turns layers of the network seal off. Only tests use it, to check
// that each layer blocks requests on its own.
type sealLayers struct {
	noFetch  bool // no Fetch interception in the tabs
	noPolicy bool // no Content-Security-Policy on the blank page
	noProxy  bool // no refusing proxy in front of the network
}

// New starts a loopback-only HTTP server that serves assets under /static/,
// /styles/ and /assets/ as the only origin Chrome may load from. Then it
// starts Chrome and opens the tabs in the background and returns at once.
// Render waits for the start, and Wait and Ready report on it.
func New(cfg Config, assets http.Handler, log *slog.Logger) (*Pool, error) {
	return newPool(cfg, assets, log, sealLayers{})
}

func newPool(cfg Config, assets http.Handler, log *slog.Logger, layers sealLayers) (*Pool, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("invalid renderer config: %w", err)
	}

	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}

	exe, err := cfg.chromeExecutable()
	if err != nil {
		return nil, err
	}

	policy := blankPolicy
	if layers.noPolicy {
		policy = ""
	}
	origin, err := startOrigin(assets, log, policy)
	if err != nil {
		return nil, err
	}

	port, closedPort, err := reserveClosedPort()
	if err != nil {
		return nil, errors.Join(err, origin.close())
	}

	flags := chromeFlags(origin.host, fmt.Sprintf("127.0.0.1:%d", port), cfg.LowMemory)
	if layers.noProxy {
		flags = slices.DeleteFunc(flags, func(f chromeFlag) bool {
			return f.name == "proxy-server" || f.name == "proxy-bypass-list"
		})
	}
	opts, err := allocatorOptions(exe, flags, cfg.ExtraFlags)
	if err != nil {
		return nil, errors.Join(err, origin.close(), closedPort.Close())
	}

	p := &Pool{
		cfg:        cfg,
		log:        log,
		origin:     origin,
		closedPort: closedPort,
		opts:       opts,
		seal:       seal{originHost: origin.host, blankURL: origin.url + blankPath, off: layers.noFetch},
		admit:      make(chan struct{}, cfg.PoolSize+cfg.QueueSize),
		idle:       make(chan *tab, cfg.PoolSize),
		browsers:   make(map[*browser]struct{}),
		changed:    make(chan struct{}),
	}
	p.closeCtx, p.closeCancel = context.WithCancel(context.Background())

	p.log.Info("starting chrome", "path", exe, "tabs", cfg.PoolSize, "origin", origin.url)
	p.bg.Go(p.startFirst)
	return p, nil
}

// Origin returns the URL of the asset origin, such as "http://127.0.0.1:41234".
func (p *Pool) Origin() string {
	return p.origin.url
}

// Ready reports whether Chrome runs and the pool takes renders.
func (p *Pool) Ready() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.readyLocked()
}

func (p *Pool) readyLocked() bool {
	b := p.cur.Load()
	return p.started && !p.closed && p.down == nil && b != nil && !b.dead()
}

// Wait blocks until the pool is ready, the start failed, or ctx ends. It
// returns nil when the pool is ready, an error wrapping ErrUnavailable when
// Chrome failed to start, and ErrClosed after Close.
func (p *Pool) Wait(ctx context.Context) error {
	for {
		p.mu.Lock()
		ready, closed, down, changed := p.readyLocked(), p.closed, p.down, p.changed
		p.mu.Unlock()
		switch {
		case closed:
			return ErrClosed
		case down != nil:
			return down
		case ready:
			return nil
		}

		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// admitJob checks job and takes a place in the pool for it, or fails at
// once when the pool is closed or full. The caller frees the place with
// <-p.admit.
func (p *Pool) admitJob(job Job) (jobSpec, error) {
	spec, err := job.check()
	if err != nil {
		return jobSpec{}, err
	}

	if p.isClosed() {
		return jobSpec{}, ErrClosed
	}

	select {
	case p.admit <- struct{}{}:
		return spec, nil
	default:
		return jobSpec{}, ErrQueueFull
	}
}

// reservationKey is the context key of a place that Reserve took.
type reservationKey struct{}

// Reserve takes a place in the pool for a render that the caller has yet to
// prepare, so that a full pool rejects the request before it fetches images.
// It returns ErrQueueFull at once when the pool is full. Render with the
// returned context uses the place instead of taking another. The caller must
// call release once, after its last Render with that context.
func (p *Pool) Reserve(ctx context.Context) (_ context.Context, release func(), err error) {
	if p.isClosed() {
		return ctx, nil, ErrClosed
	}

	select {
	case p.admit <- struct{}{}:
	default:
		return ctx, nil, ErrQueueFull
	}
	var once sync.Once
	release = func() { once.Do(func() { <-p.admit }) }
	return context.WithValue(ctx, reservationKey{}, p), release, nil
}

// Render draws job in a free tab and returns the image of its card.
//
// At most PoolSize+QueueSize renders are in the pool, counting those that
// Reserve holds a place for, and Render returns ErrQueueFull at once beyond
// that. A render ends at Config.Timeout, counted from the call, with an error
// wrapping ErrTimeout. When ctx ends first, the error wraps the error of ctx,
// such as context.Canceled.
func (p *Pool) Render(ctx context.Context, job Job) (*Result, error) {
	start := time.Now()
	var spec jobSpec
	var err error
	if reserved, _ := ctx.Value(reservationKey{}).(*Pool); reserved == p {
		spec, err = job.check()
	} else {
		spec, err = p.admitJob(job)
		if err == nil {
			defer func() { <-p.admit }()
		}
	}
	if err != nil {
		return nil, err
	}

	rctx, cancel := p.renderContext(ctx)
	defer cancel()

	t, err := p.acquire(rctx)
	if err != nil {
		return nil, p.renderError(ctx, rctx, nil, "wait for a tab", err)
	}

	queueWait := time.Since(start)
	p.countRender(t.b)
	res, err := t.render(rctx, spec, p.cfg.MaxHeight)
	if err != nil {
		err = p.renderError(ctx, rctx, t, "draw page", err)
		p.fail(ctx, t, spec, err)
		return nil, err
	}

	res.QueueWait = queueWait
	res.RenderTime = time.Since(start) - queueWait
	t.log.Debug("card rendered", "width", res.Width, "height", res.Height, "format", spec.format,
		"bytes", len(res.Data), "queue_wait", res.QueueWait, "render_time", res.RenderTime)
	t.reset = mayRunScript(spec.html)
	p.release(t)
	return res, nil
}

// renderContext returns the context of one render: ctx with the deadline of
// Config.Timeout, which also ends when Close starts.
func (p *Pool) renderContext(ctx context.Context) (context.Context, context.CancelFunc) {
	closable, cancelCause := context.WithCancelCause(ctx)
	stop := context.AfterFunc(p.closeCtx, func() { cancelCause(ErrClosed) })
	timed, cancelTimeout := context.WithTimeoutCause(closable, p.cfg.Timeout, errDeadline)
	return timed, func() {
		cancelTimeout()
		stop()
		cancelCause(context.Canceled)
	}
}

// renderError wraps err of a render stage with the sentinel of its kind. The
// caller's own cancellation wins, so it never reads as a timeout.
func (p *Pool) renderError(ctx, rctx context.Context, t *tab, stage string, err error) error {
	cause := context.Cause(rctx)
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("%s: %w", stage, ctx.Err())
	case errors.Is(cause, ErrClosed):
		return fmt.Errorf("%s: %w", stage, ErrClosed)
	case errors.Is(cause, errDeadline):
		return fmt.Errorf("%s: %w after %s: %w", stage, ErrTimeout, p.cfg.Timeout, context.DeadlineExceeded)
	case t != nil && (t.b.dead() || t.isCrashed()):
		return fmt.Errorf("%s: %w: %w", stage, ErrUnavailable, err)
	default:
		return fmt.Errorf("%s: %w", stage, err)
	}
}

// acquire waits for a tab of the current browser. It replaces the stale tabs
// that it finds on the way.
func (p *Pool) acquire(ctx context.Context) (*tab, error) {
	for {
		p.mu.Lock()
		closed, down, changed := p.closed, p.down, p.changed
		p.mu.Unlock()
		if closed {
			return nil, ErrClosed
		}

		if down != nil {
			return nil, down
		}

		select {
		case t := <-p.idle:
			if p.usable(t) {
				return t, nil
			}
			p.retire(t)
		case <-changed:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// usable reports whether t belongs to the current, running browser and its
// page is alive.
func (p *Pool) usable(t *tab) bool {
	return t.b == p.cur.Load() && !t.b.dead() && !t.isCrashed()
}

// countRender counts a render of b and starts a restart when b reached
// Config.RestartAfter. Every later render of b calls restart again, because a
// restart that runs for another reason ignores the call.
func (p *Pool) countRender(b *browser) {
	n := b.renders.Add(1)
	if p.cfg.RestartAfter > 0 && n >= int64(p.cfg.RestartAfter) {
		p.restart(b, "render limit reached")
	}
}

// release returns a tab after a render. A tab whose page may have left
// scripts behind loads the blank page first, off the request path.
func (p *Pool) release(t *tab) {
	if !p.usable(t) {
		p.retire(t)
		return
	}

	if !t.reset {
		p.putIdle(t)
		return
	}

	p.goBackground(func() {
		ctx, cancel := context.WithTimeout(p.closeCtx, tabSetupTimeout)
		defer cancel()
		if err := t.loadBlank(ctx, p.seal.blankURL); err != nil {
			if p.closeCtx.Err() == nil {
				t.log.Warn("reset tab failed; replacing it", "err", err)
			}
			p.retire(t)
			return
		}

		t.reset = false
		p.putIdle(t)
	})
}

// fail handles a tab whose render failed. A page that loaded but has no
// card to capture keeps its tab. Any other failure can leave the page busy,
// so the tab is replaced.
func (p *Pool) fail(ctx context.Context, t *tab, job jobSpec, err error) {
	var pageErr pageError
	if errors.As(err, &pageErr) {
		t.log.Debug("render failed; tab kept", "err", err)
		t.reset = mayRunScript(job.html)
		p.release(t)
		return
	}

	level := slog.LevelError
	if ctx.Err() != nil || errors.Is(err, ErrClosed) {
		level = slog.LevelDebug
	}
	t.log.Log(context.Background(), level, "render failed; replacing tab", "err", err)
	p.retire(t)
}

// putIdle makes t available to renders.
func (p *Pool) putIdle(t *tab) {
	select {
	case p.idle <- t:
	default:
		// Each slot holds at most one tab, so the queue has room. If that
		// ever breaks, closing the tab is better than blocking.
		t.log.Error("idle queue is full; closing tab")
		p.goBackground(func() { p.closeTab(t) })
	}
}

// retire closes t in the background and fills its slot with a spare or a new
// tab of the current browser.
func (p *Pool) retire(t *tab) {
	if p.goBackground(func() { p.closeTab(t) }) {
		p.goBackground(p.refill)
	}
}

// closeTab closes t, and its browser when that was retired and t was its
// last tab.
func (p *Pool) closeTab(t *tab) {
	t.close()
	p.closeIfDrained(t.b)
}

// closeIfDrained closes b when a newer browser replaced it and it has no tabs
// left.
func (p *Pool) closeIfDrained(b *browser) {
	if !b.retired.Load() || b.openTabs.Load() > 0 {
		return
	}

	p.mu.Lock()
	_, open := p.browsers[b]
	delete(p.browsers, b)
	p.mu.Unlock()
	if !open {
		return
	}

	if err := b.close(); err != nil {
		b.log.Error("close retired chrome failed", "err", err)
		return
	}
	b.log.Info("retired chrome closed")
}

// refill puts a tab into the idle queue for a slot whose tab was retired: a
// spare from a restart when there is one, or else a new tab of the current
// browser.
func (p *Pool) refill() {
	for attempt := 1; ; attempt++ {
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			return
		}

		if n := len(p.spares); n > 0 {
			t := p.spares[n-1]
			p.spares = p.spares[:n-1]
			p.mu.Unlock()
			p.putIdle(t)
			return
		}
		b, changed := p.cur.Load(), p.changed
		p.mu.Unlock()

		if b == nil || b.dead() {
			// A restart is under way, and its spares fill the slot.
			select {
			case <-changed:
			case <-p.closeCtx.Done():
				return
			}
			continue
		}

		t, err := openTab(p.closeCtx, b, p.seal)
		if err == nil {
			p.putIdle(t)
			return
		}

		if p.closeCtx.Err() != nil {
			return
		}
		p.log.Warn("open replacement tab failed", "attempt", attempt, "err", err)
		select {
		case <-time.After(backoff(attempt)):
		case <-changed:
		case <-p.closeCtx.Done():
			return
		}
	}
}

// goBackground runs fn in a goroutine that Close waits for. It returns false
// and does not run fn once Close has started.
func (p *Pool) goBackground(fn func()) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}

	p.bg.Go(fn)
	return true
}

func (p *Pool) isClosed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closed
}

// broadcastLocked wakes every goroutine that waits for a change of state. The
// caller holds p.mu.
func (p *Pool) broadcastLocked() {
	close(p.changed)
	p.changed = make(chan struct{})
}

// Close ends every render in flight with ErrClosed, ends Chrome (only the
// processes this pool started) and removes its temporary profile. Later calls
// return the result of the first.
func (p *Pool) Close() error {
	p.closeOnce.Do(func() {
		p.mu.Lock()
		p.closed = true
		p.broadcastLocked()
		p.mu.Unlock()
		p.closeCancel()
		p.bg.Wait()

		// The tabs end with their browser.
		p.mu.Lock()
		browsers := make([]*browser, 0, len(p.browsers))
		for b := range p.browsers {
			browsers = append(browsers, b)
		}
		p.browsers = nil
		p.spares = nil
		p.mu.Unlock()

		var errs []error
		for _, b := range browsers {
			errs = append(errs, b.close())
		}
		errs = append(errs, p.origin.close(), p.closedPort.Close())
		p.closeErr = errors.Join(errs...)
		p.log.Info("renderer closed")
	})
	return p.closeErr
}

// backoff returns the wait before attempt+1: 1s, 2s, 4s and so on up to
// maxBackoff.
func backoff(attempt int) time.Duration {
	return min(time.Second<<min(attempt-1, 10), maxBackoff)
}
