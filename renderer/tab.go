package renderer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/inspector"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// tabSetupTimeout bounds opening a tab and loading or reloading its blank
// page.
const tabSetupTimeout = 20 * time.Second

// errTabClosed is the error of a wait that ends because the tab went away.
var errTabClosed = errors.New("tab closed")

// tab is one Chrome page that renders one job at a time. Only the goroutine
// that holds the tab uses its fields, except crashed.
type tab struct {
	b      *browser
	id     string // short target ID, for logs
	log    *slog.Logger
	ctx    context.Context // chromedp context of the page, whose end closes the page
	cancel context.CancelFunc
	target *chromedp.Target
	frame  cdp.FrameID

	// crashed closes when the renderer process of the page dies.
	crashed chan struct{}

	// The viewport that is set now, zero before the first render.
	width  int
	height int
	scale  float64

	// reset means the last document may have left scripts, timers or a
	// scheduled refresh behind, so the page must load a fresh blank page
	// before the next render.
	reset bool
}

// openTab opens a page in b, seals it and loads the blank page. Canceling ctx
// aborts the setup.
func openTab(ctx context.Context, b *browser, s seal) (*tab, error) {
	ctx, cancel := context.WithTimeout(ctx, tabSetupTimeout)
	defer cancel()

	tctx, tcancel := chromedp.NewContext(b.ctx)
	// The first Do ties the life of the page to tctx, so the setup context
	// may end the page only while the setup runs.
	stop := context.AfterFunc(ctx, tcancel)
	err := chromedp.Do(tctx)
	if !stop() {
		err = errors.Join(err, ctx.Err())
	}
	if err != nil {
		tcancel()
		return nil, fmt.Errorf("open tab: %w", err)
	}

	tgt := chromedp.FromContext(tctx).Target
	t := &tab{
		b:       b,
		id:      shortID(string(tgt.TargetID)),
		ctx:     tctx,
		cancel:  tcancel,
		target:  tgt,
		frame:   cdp.FrameID(tgt.TargetID),
		crashed: make(chan struct{}),
	}
	t.log = b.log.With("tab", t.id)
	b.openTabs.Add(1)

	if err := t.setup(ctx, s); err != nil {
		t.close()
		return nil, fmt.Errorf("set up tab: %w", err)
	}
	t.log.Debug("tab opened")
	return t, nil
}

// setup turns off the protocol events that renders do not use, seals the
// page and loads the blank page.
func (t *tab) setup(ctx context.Context, s seal) error {
	// chromedp enables these domains for its query actions. Their events
	// would cost a message, and DOM a getDocument call, for every render.
	disable := []struct {
		name string
		call func() error
	}{
		{"DOM", func() error { _, err := cdp.Call(ctx, t.target, dom.Disable, cdp.Empty{}); return err }},
		{"CSS", func() error { _, err := cdp.Call(ctx, t.target, css.Disable, cdp.Empty{}); return err }},
		{"Log", func() error { _, err := cdp.Call(ctx, t.target, log.Disable, cdp.Empty{}); return err }},
		{"Network", func() error { _, err := cdp.Call(ctx, t.target, network.Disable, cdp.Empty{}); return err }},
	}
	for _, d := range disable {
		if err := d.call(); err != nil {
			return fmt.Errorf("disable %s domain: %w", d.name, err)
		}
	}

	crashes := cdp.Events(t.ctx, t.target, inspector.TargetCrashed)
	go func() {
		for _, err := range crashes {
			if err == nil {
				t.log.Error("tab renderer crashed")
				close(t.crashed)
			}
			return
		}
	}()

	if err := s.intercept(ctx, t); err != nil {
		return err
	}

	if err := t.loadBlank(ctx, s.blankURL); err != nil {
		return err
	}
	return nil
}

// loadBlank navigates the page to url and waits for its load event.
func (t *tab) loadBlank(ctx context.Context, url string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// Subscribe first, so that the load event cannot pass unseen.
	lifecycle := cdp.Events(ctx, t.target, page.LifecycleEvent)
	res, err := cdp.Call(ctx, t.target, page.Navigate, page.NavigateParams{URL: url})
	if err != nil {
		return fmt.Errorf("load blank page: %w", err)
	}

	if res.ErrorText != "" {
		return fmt.Errorf("load blank page: %s", res.ErrorText)
	}

	for ev, err := range lifecycle {
		if err != nil {
			return fmt.Errorf("load blank page: %w", err)
		}
		if ev.Name == "load" && ev.LoaderID == res.LoaderID {
			return nil
		}
	}
	return fmt.Errorf("load blank page: %w", errTabClosed)
}

// isCrashed reports whether the renderer process of the page died.
func (t *tab) isCrashed() bool {
	select {
	case <-t.crashed:
		return true
	default:
		return false
	}
}

// close closes the page and returns when Chrome has closed it or given up.
func (t *tab) close() {
	t.cancel()
	t.b.openTabs.Add(-1)
	t.log.Debug("tab closed")
}

// shortID returns the first 8 characters of a target ID.
func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}
