package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"sync"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/igs-dev/igs/renderer"
)

// baselineLoadScript waits for the load event and returns the card's clip.
//
//go:embed baseline_load.js
var baselineLoadScript string

// baselineViewportHeight is the viewport height in CSS px of a new tab; the
// capture reaches beyond it.
const baselineViewportHeight = 1000

// baselineStartTimeout bounds the start of the baseline Chrome.
const baselineStartTimeout = 30 * time.Second

// newTabBaseline renders the way a plain chromedp program does: one Chrome,
// and for every render a new tab that navigates to the page, waits for the
// load event, captures the card as JPEG and closes. Its page server serves
// the same HTML as the pool renders, and the service's own asset handler for
// everything else, so only the tab handling differs.
type newTabBaseline struct {
	ctx         context.Context // chromedp context of the browser
	cancel      context.CancelFunc
	allocCancel context.CancelFunc

	pages *httptest.Server
	mu    sync.Mutex
	html  map[string][]byte // by page name
}

// startBaseline starts a page server on 127.0.0.1 and a Chrome of its own.
// assets serves the /static/, /styles/ and /assets/ URLs of the pages.
func startBaseline(chromePath string, assets http.Handler) (*newTabBaseline, error) {
	b := &newTabBaseline{html: map[string][]byte{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /page/{name}", b.servePage)
	mux.Handle("/", assets)
	b.pages = httptest.NewServer(mux)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromePath),
		chromedp.DisableGPU,
		chromedp.Flag("font-render-hinting", "none"),
		// No host name resolves, so Chrome reaches nothing but the page
		// server, which is an IP address.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.Flag("disable-component-update", true),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}

	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)

	// The first Do ties the life of Chrome to ctx, so it takes no deadline;
	// the select bounds it instead.
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(ctx) }()
	var err error
	select {
	case err = <-done:
	case <-time.After(baselineStartTimeout):
		err = fmt.Errorf("timed out after %s", baselineStartTimeout)
	}
	if err != nil {
		cancel()
		allocCancel()
		b.pages.Close()
		return nil, fmt.Errorf("start baseline chrome: %w", err)
	}

	b.ctx, b.cancel, b.allocCancel = ctx, cancel, allocCancel
	return b, nil
}

func (b *newTabBaseline) servePage(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	html, ok := b.html[r.PathValue("name")]
	b.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(html)
}

// addPage makes job's HTML available to render under name.
func (b *newTabBaseline) addPage(name string, job renderer.Job) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.html[name] = job.HTML
}

// close ends the baseline Chrome, waits for its profile to be removed and
// stops the page server.
func (b *newTabBaseline) close() {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	_ = chromedp.Cancel(ctx)
	cancel()
	b.cancel()
	b.allocCancel()
	b.pages.Close()
}

// render draws the page name, added with job, in a new tab and closes the
// tab. The tab closes when ctx ends, which bounds the render.
func (b *newTabBaseline) render(ctx context.Context, name string, job renderer.Job) error {
	tctx, cancel := chromedp.NewContext(b.ctx)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()

	// Navigate returns after the load event of the page.
	err := chromedp.Do(tctx,
		chromedp.EmulateViewport(int64(job.Width), baselineViewportHeight),
		chromedp.Navigate(b.pages.URL+"/page/"+url.PathEscape(name)),
	)
	if err != nil {
		return fmt.Errorf("load baseline page: %w", err)
	}

	selector, err := json.Marshal(job.Selector)
	if err != nil {
		return fmt.Errorf("encode selector: %w", err)
	}
	clip, err := chromedp.Run(tctx, chromedp.Evaluate[page.Viewport]("("+baselineLoadScript+")("+string(selector)+")", chromedp.EvalAwaitPromise))
	if err != nil {
		return fmt.Errorf("wait for baseline page: %w", err)
	}

	quality := int64(job.Quality)
	if quality == 0 {
		quality = 90
	}
	shot, err := chromedp.Call(tctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format:                page.CaptureScreenshotFormatJpeg,
		Quality:               &quality,
		Clip:                  &clip,
		CaptureBeyondViewport: new(true),
		FromSurface:           new(true),
	})
	if err != nil {
		return fmt.Errorf("capture baseline screenshot: %w", err)
	}

	cfg, err := jpeg.DecodeConfig(bytes.NewReader(shot.Data))
	if err != nil {
		return fmt.Errorf("decode baseline screenshot: %w", err)
	}
	if cfg.Width != job.Width {
		return fmt.Errorf("baseline screenshot is %d px wide, expected %d (clip %+v)", cfg.Width, job.Width, clip)
	}
	return nil
}

// chromeExecutable returns the Chrome that the renderer would start: the
// configured path, or else the first of its names found on PATH.
func chromeExecutable(configured string) (string, error) {
	names := []string{"chromium", "chromium-browser", "google-chrome"}
	if configured != "" {
		names = []string{configured}
	}
	for _, name := range names {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", errors.New("no Chrome found: none of chromium, chromium-browser, google-chrome is on PATH")
}
