package renderer

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
)

func TestZZProbe(t *testing.T) {
	pool := newPoolForTest(t, func(c *Config) { c.PoolSize = 1 }, sealLayers{}, nil)
	job := benchJob
	job.HTML = benchPage("/assets/red.png?%d")
	res := render(t, pool, job)
	spec, _ := job.check()
	ctx := context.Background()
	for _, fast := range []bool{false, true} {
		for range 4 {
			tb, _ := pool.acquire(ctx)
			clip := &page.Viewport{Width: 1000, Height: float64(res.Height), Scale: 1}
			s0 := time.Now()
			_, err := cdp.Call(ctx, tb.target, page.SetDocumentContent, page.SetDocumentContentParams{FrameID: tb.frame, HTML: spec.html})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tb.waitForCard(ctx, "#card"); err != nil {
				t.Fatal(err)
			}
			s1 := time.Now()
			var d [3]time.Duration
			for k := range 3 {
				c0 := time.Now()
				params := page.CaptureScreenshotParams{Format: "jpeg", Quality: new(int64(90)), Clip: clip, FromSurface: new(true), OptimizeForSpeed: new(fast)}
				if _, err := cdp.Call(ctx, tb.target, page.CaptureScreenshot, params); err != nil {
					t.Fatal(err)
				}
				d[k] = time.Since(c0)
			}
			t.Logf("fast=%v load %s, capture 1st %s 2nd %s 3rd %s", fast, s1.Sub(s0), d[0], d[1], d[2])
			pool.release(tb)
		}
	}
}
