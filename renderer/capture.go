package renderer

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"golang.org/x/image/webp"
)

// waitScript is a JavaScript function of the card selector that waits for the
// page to be ready and returns the box of the card.
//
//go:embed wait.js
var waitScript string

// defaultViewportHeight is the viewport height in CSS px of a tab before its
// first card sets it.
const defaultViewportHeight = 1000

// cardBox is the result of waitScript.
type cardBox struct {
	Error  string  `json:"error"`
	X      float64 `json:"x"`
	Y      float64 `json:"y"`
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
}

// pageError is a render failure that the page content caused after it was
// fully loaded. The tab is in order and can take the next job.
type pageError struct{ err error }

func (e pageError) Error() string { return e.err.Error() }
func (e pageError) Unwrap() error { return e.err }

// render draws job in the tab and captures the card. maxHeight caps the
// captured height in CSS px.
//
// NOTE: the page lays out in a viewport as tall as the previous card of the
// tab, so a card whose height depends on the viewport height (vh units) can
// differ from tab to tab.
func (t *tab) render(ctx context.Context, job jobSpec, maxHeight int) (*Result, error) {
	start := time.Now()
	if t.width != job.width || t.scale != job.scale {
		height := t.height
		if height == 0 {
			height = defaultViewportHeight
		}
		if err := t.setViewport(ctx, job.width, height, job.scale); err != nil {
			return nil, err
		}
	}

	// The document is replaced in place. The page keeps its URL, so relative
	// URLs resolve to the asset origin and the renderer's memory cache serves
	// repeated assets.
	_, err := cdp.Call(ctx, t.target, page.SetDocumentContent, page.SetDocumentContentParams{FrameID: t.frame, HTML: job.html})
	if err != nil {
		return nil, fmt.Errorf("set document content: %w", err)
	}

	content := time.Now()
	box, err := t.waitForCard(ctx, job.selector)
	if err != nil {
		return nil, err
	}
	loaded := time.Now()

	clip, err := clipOf(box, job, maxHeight)
	if err != nil {
		return nil, pageError{err}
	}

	// The viewport becomes as tall as the card, so the capture needs no
	// resize inside Chrome and fixed backgrounds cover the card.
	if bottom := int(clip.Y + clip.Height); bottom != t.height {
		if err := t.setViewport(ctx, job.width, bottom, job.scale); err != nil {
			return nil, err
		}
	}

	captureStart := time.Now()
	res, err := t.capture(ctx, job, clip)
	if err != nil {
		return nil, err
	}

	t.log.Debug("render steps", "set_content", content.Sub(start), "wait", loaded.Sub(content),
		"resize", captureStart.Sub(loaded), "capture", time.Since(captureStart))
	return res, nil
}

// setViewport sets the size of the page in CSS px and its device pixel ratio.
func (t *tab) setViewport(ctx context.Context, width, height int, scale float64) error {
	_, err := cdp.Call(ctx, t.target, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width:             int64(width),
		Height:            int64(height),
		DeviceScaleFactor: scale,
		ScreenWidth:       int64(width),
		ScreenHeight:      int64(height),
	})
	if err != nil {
		return fmt.Errorf("set viewport %dx%d@%g: %w", width, height, scale, err)
	}

	t.width, t.height, t.scale = width, height, scale
	return nil
}

// waitForCard runs waitScript and returns the box of the card.
func (t *tab) waitForCard(ctx context.Context, selector string) (cardBox, error) {
	arg, err := json.Marshal(selector)
	if err != nil {
		return cardBox{}, fmt.Errorf("encode selector: %w", err)
	}

	res, err := cdp.Call(ctx, t.target, runtime.Evaluate, runtime.EvaluateParams{
		Expression:    "(" + waitScript + ")(" + string(arg) + ")",
		AwaitPromise:  new(true),
		ReturnByValue: new(true),
	})
	if err != nil {
		return cardBox{}, fmt.Errorf("wait for page: %w", err)
	}

	if res.ExceptionDetails != nil {
		return cardBox{}, fmt.Errorf("wait for page: %s", exceptionText(res.ExceptionDetails))
	}

	var box cardBox
	if err := json.Unmarshal(res.Result.Value, &box); err != nil {
		return cardBox{}, fmt.Errorf("wait for page: decode card box %q: %w", res.Result.Value, err)
	}

	switch box.Error {
	case "":
		return box, nil
	case "invalid selector":
		return cardBox{}, pageError{fmt.Errorf("%w: Selector %q is not a valid CSS selector", ErrInvalidJob, selector)}
	case "no element":
		return cardBox{}, pageError{fmt.Errorf("%w: nothing matches %q", ErrNoElement, selector)}
	default:
		return cardBox{}, fmt.Errorf("wait for page: %s", box.Error)
	}
}

// clipOf returns the area to capture in CSS px: the card, with its top and
// bottom edges rounded to whole pixels and exactly job.width wide. A card
// taller than the cap is an error rather than a silently cut image.
func clipOf(box cardBox, job jobSpec, maxHeight int) (*page.Viewport, error) {
	x := math.Round(box.X)
	if x != 0 {
		return nil, fmt.Errorf("card %q starts at x=%g, but it must start at the left edge of the page (x=0), which is %d px wide", job.selector, box.X, job.width)
	}

	y := math.Round(box.Y)
	height := math.Round(box.Y+box.Height) - y
	if height < 1 {
		return nil, fmt.Errorf("card %q has no height", job.selector)
	}

	if limit := job.maxCSSHeight(maxHeight); height > float64(limit) {
		return nil, job.tooTall(int(height), maxHeight)
	}
	return &page.Viewport{X: x, Y: y, Width: float64(job.width), Height: height, Scale: 1}, nil
}

// capture takes the screenshot of clip and checks its size.
func (t *tab) capture(ctx context.Context, job jobSpec, clip *page.Viewport) (*Result, error) {
	fromView := fillsView(clip, job.scale)
	params := page.CaptureScreenshotParams{
		Format:      job.format,
		Clip:        clip,
		FromSurface: new(!fromView),
	}
	if job.format != page.CaptureScreenshotFormatPng {
		params.Quality = new(int64(job.quality))
	} else {
		// Chrome's fast PNG encoding halved the capture of a 1080x2239 card
		// (341 to 165 ms in go run ./bench). Files grow about 1.5x, which
		// matters less than time because a bot downloads each card once.
		params.OptimizeForSpeed = new(true)
	}

	shot, err := cdp.Call(ctx, t.target, page.CaptureScreenshot, params)
	if err != nil {
		return nil, fmt.Errorf("capture screenshot: %w", err)
	}

	width, height, err := imageSize(job.format, shot.Data)
	if err != nil {
		return nil, fmt.Errorf("capture screenshot: %w", err)
	}

	if width != job.pixelWidth {
		return nil, fmt.Errorf("capture screenshot: image is %d px wide, expected %d (Width %d * Scale %g)", width, job.pixelWidth, job.width, job.scale)
	}
	if fromView && height != int(clip.Height) {
		return nil, fmt.Errorf("capture screenshot: image from the view is %d px tall, expected %g", height, clip.Height)
	}
	return &Result{Data: shot.Data, Width: width, Height: height}, nil
}

// fillsView reports whether a capture of clip can come from the view instead
// of the compositor surface. The view saved 3 to 9 ms per card. Fancy went
// from 108 to 101-104 ms, and its 8-character card from 77 to 65-69 ms (go
// run ./bench -styles fancy,egenshin -requests 30, 2 cores). The images were
// identical in every pixel for the four styles with 42 and 120 characters.
// In Chromium 156 the view capture ignores the device scale factor and the
// clip, and returns the whole viewport. render sets the viewport to end at
// the card's bottom edge, so a card at the top of the page at scale 1 is
// exactly the viewport.
func fillsView(clip *page.Viewport, scale float64) bool {
	return clip.X == 0 && clip.Y == 0 && scale == 1
}

// imageSize reads the size of an encoded image from its header.
func imageSize(format page.CaptureScreenshotFormat, data []byte) (int, int, error) {
	var (
		cfg image.Config
		err error
	)
	r := bytes.NewReader(data)
	switch format {
	case page.CaptureScreenshotFormatJpeg:
		cfg, err = jpeg.DecodeConfig(r)
	case page.CaptureScreenshotFormatPng:
		cfg, err = png.DecodeConfig(r)
	case page.CaptureScreenshotFormatWebp:
		cfg, err = webp.DecodeConfig(r)
	default:
		err = fmt.Errorf("unknown format %q", format)
	}
	if err != nil {
		return 0, 0, fmt.Errorf("read %s header: %w", format, err)
	}
	return cfg.Width, cfg.Height, nil
}

// exceptionText returns the message of a JavaScript exception.
func exceptionText(d *runtime.ExceptionDetails) string {
	if d.Exception != nil && d.Exception.Description != "" {
		return d.Exception.Description
	}
	return d.Text
}
