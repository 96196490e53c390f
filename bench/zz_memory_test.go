package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/cdproto/memory"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/igs-dev/igs/app"
)

func TestZZMemory(t *testing.T) {
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
	path, _ := chromeExecutable("")
	b, err := startBaseline(path, svc.app.OriginHandler())
	if err != nil {
		t.Fatal(err)
	}
	defer b.close()
	root := chromedp.FromContext(b.ctx).Browser.Process().Pid
	waitJS, _ := os.ReadFile("../renderer/wait.js")
	job, _ := recordJob(context.Background(), svc, cl.query("fancy", "1"), bodies[42])
	b.addPage("fancy", job)
	tctx, cancel := chromedp.NewContext(b.ctx)
	defer cancel()
	chromedp.Do(tctx, chromedp.EmulateViewport(1080, 2239), chromedp.Navigate(b.pages.URL+"/page/fancy"))
	tgt := chromedp.FromContext(tctx).Target
	ctx := tctx
	cdp.Call(ctx, tgt, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 1080, Height: 2239, DeviceScaleFactor: 1, ScreenWidth: 1080, ScreenHeight: 2239})
	report := func(label string) {
		m, _ := sampleMemory([]int{root})
		heap, _ := cdp.Call(ctx, tgt, runtime.GetHeapUsage, cdp.Empty{})
		fmt.Printf("%-28s chrome %4d MiB %v  js used %.1f total %.1f blink heap %.1f MiB\n", label, m.chrome/1024, m.byType, heap.UsedSize/1048576, heap.TotalSize/1048576, heap.EmbedderHeapUsedSize/1048576)
	}
	q := int64(90)
	report("start")
	for i := 1; i <= 600; i++ {
		html := string(job.HTML)
		html = html + fmt.Sprintf("<!-- %d -->", i)
		cdp.Call(ctx, tgt, page.SetDocumentContent, page.SetDocumentContentParams{FrameID: cdp.FrameID(tgt.TargetID), HTML: html})
		r, err := cdp.Call(ctx, tgt, runtime.Evaluate, runtime.EvaluateParams{Expression: "(" + string(waitJS) + ")(\"#card\")", AwaitPromise: new(true), ReturnByValue: new(true)})
		if err != nil || r.ExceptionDetails != nil {
			t.Fatal(err)
		}
		if _, err := cdp.Call(ctx, tgt, page.CaptureScreenshot, page.CaptureScreenshotParams{Format: "jpeg", Quality: &q, FromSurface: new(true)}); err != nil {
			t.Fatal(err)
		}
		if i%150 == 0 {
			report(fmt.Sprintf("after %d renders", i))
		}
	}
	cdp.Call(ctx, tgt, heapprofiler.CollectGarbage, cdp.Empty{})
	report("after JS GC")
	cdp.Call(ctx, tgt, memory.SimulatePressureNotification, memory.SimulatePressureNotificationParams{Level: memory.PressureLevelCritical})
	report("after critical pressure")
	chromedp.Do(tctx, chromedp.Navigate(b.pages.URL+"/page/none"))
	report("after navigate away")
}
