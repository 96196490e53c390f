package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/igs-dev/igs/app"
)

func med(ts []time.Duration) time.Duration {
	s := slices.Clone(ts)
	slices.Sort(s)
	return s[len(s)/2]
}

func TestZZExperiment(t *testing.T) {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	fx, _ := newFixtureServer()
	defer fx.close()
	bodies, _ := buildBodies(fx.srv.URL)
	svc, err := startService(fx, log, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.stop()
	cl := newClient(svc.base, fx.avatarURL())
	path, _ := chromeExecutable(os.Getenv("EXP_CHROME"))
	b, err := startBaseline(path, svc.app.OriginHandler())
	if err != nil {
		t.Fatal(err)
	}
	defer b.close()
	waitJS, _ := os.ReadFile("../renderer/wait.js")
	noScan := strings.Replace(string(waitJS), "for (const url of cssImageURLs()) {", "for (const url of []) {", 1)
	const N = 15
	q90 := int64(90)
	for _, style := range []string{"fancy", "egenshin"} {
		job, err := recordJob(context.Background(), svc, cl.query(style, "123456789"), bodies[42])
		if err != nil {
			t.Fatal(err)
		}
		b.addPage(style, job)
		tctx, cancel := chromedp.NewContext(b.ctx)
		chromedp.Do(tctx, chromedp.EmulateViewport(int64(job.Width), 1000), chromedp.Navigate(b.pages.URL+"/page/"+style))
		clip, err := chromedp.Run(tctx, chromedp.Evaluate[page.Viewport]("("+baselineLoadScript+")(\"#card\")", chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		tgt := chromedp.FromContext(tctx).Target
		ctx := tctx
		cdp.Call(ctx, tgt, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: int64(job.Width), Height: int64(clip.Height), DeviceScaleFactor: 1, ScreenWidth: int64(job.Width), ScreenHeight: int64(clip.Height)})
		fmt.Printf("== %s card %gx%g\n", style, clip.Width, clip.Height)
		root := chromedp.FromContext(b.ctx).Browser.Process().Pid
		cpuNow := func() cpuSample {
			s, err := sampleCPU([]int{root})
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		fmtCPU := func(s cpuSample) string {
			return fmt.Sprintf("cpu/render total %5.1f (browser %5.1f renderer %5.1f gpu %5.1f go %4.1f)", ms(s.total()), ms(s["browser"]), ms(s["renderer"]), ms(s["gpu-process"]), ms(s[goProcess]))
		}
		capture := func(c page.Viewport) (time.Duration, cpuSample) {
			before := cpuNow()
			var ts []time.Duration
			for range N {
				start := time.Now()
				if _, err := cdp.Call(ctx, tgt, page.CaptureScreenshot, page.CaptureScreenshotParams{Format: "jpeg", Quality: &q90, Clip: &c, FromSurface: new(true)}); err != nil {
					t.Fatal(err)
				}
				ts = append(ts, time.Since(start))
			}
			return med(ts), cpuNow().since(before, N)
		}
		for _, h := range []float64{10, 500, 1000, 2000, clip.Height} {
			c := clip
			c.Height = min(h, clip.Height)
			d, cpu := capture(c)
			fmt.Printf("floor clip h=%-5g  %6.1f ms  %s\n", c.Height, ms(d), fmtCPU(cpu))
		}
		sel, _ := json.Marshal("#card")
		full := func(name, html, wait string) {
			var tsSet, tsWait, tsCap, tsAll []time.Duration
			before := cpuNow()
			for range N {
				start := time.Now()
				if _, err := cdp.Call(ctx, tgt, page.SetDocumentContent, page.SetDocumentContentParams{FrameID: cdp.FrameID(tgt.TargetID), HTML: html}); err != nil {
					t.Fatal(err)
				}
				t1 := time.Now()
				r, err := cdp.Call(ctx, tgt, runtime.Evaluate, runtime.EvaluateParams{Expression: "(" + wait + ")(" + string(sel) + ")", AwaitPromise: new(true), ReturnByValue: new(true)})
				if err != nil || r.ExceptionDetails != nil {
					t.Fatal(err, r.ExceptionDetails)
				}
				t2 := time.Now()
				if _, err := cdp.Call(ctx, tgt, page.CaptureScreenshot, page.CaptureScreenshotParams{Format: "jpeg", Quality: &q90, Clip: &clip, FromSurface: new(true)}); err != nil {
					t.Fatal(err)
				}
				t3 := time.Now()
				tsSet = append(tsSet, t1.Sub(start))
				tsWait = append(tsWait, t2.Sub(t1))
				tsCap = append(tsCap, t3.Sub(t2))
				tsAll = append(tsAll, t3.Sub(start))
			}
			fmt.Printf("%-30s set %5.1f wait %5.1f capture %6.1f total %6.1f ms %s\n", name, ms(med(tsSet)), ms(med(tsWait)), ms(med(tsCap)), ms(med(tsAll)), fmtCPU(cpuNow().since(before, N)))
		}
		html := string(job.HTML)
		inject := func(css string) string {
			return strings.Replace(html, "</head>", "<style>"+css+"</style></head>", 1)
		}
		full("render as is", html, string(waitJS))
		full("render, wait without css scan", html, noScan)
		full("no box-shadow/text-shadow", inject("*,*::before,*::after{box-shadow:none!important;text-shadow:none!important}"), string(waitJS))
		full("no border-radius", inject("*,*::before,*::after{border-radius:0!important}"), string(waitJS))
		full("no shadows, no radius", inject("*,*::before,*::after{box-shadow:none!important;text-shadow:none!important;border-radius:0!important}"), string(waitJS))
		full("no background images", inject("*,*::before,*::after{background-image:none!important}"), string(waitJS))
		full("no opacity/filters", inject("*,*::before,*::after{opacity:1!important;filter:none!important}"), string(waitJS))
		full("render as is (again)", html, string(waitJS))
		cancel()
	}
}
