package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"time"

	"github.com/igs-dev/igs/renderer"
	"github.com/igs-dev/igs/server"
	"github.com/igs-dev/igs/static"
)

// bundledBackground is the default background inside the static files, which
// the service adds to its asset pipeline at start.
const bundledBackground = "bg/default.jpg"

// errJobRecorded ends a render of the job recorder once it has the job.
var errJobRecorded = errors.New("job recorded")

// jobRecorder is a server.Renderer that keeps the job it gets and renders
// nothing, so that the benchmark can hand the exact page of a request to the
// capture floor and to the baseline.
type jobRecorder struct {
	job renderer.Job
}

var _ server.Renderer = (*jobRecorder)(nil)

func (r *jobRecorder) Render(_ context.Context, job renderer.Job) (*renderer.Result, error) {
	r.job = job
	r.job.HTML = append([]byte(nil), job.HTML...)
	return nil, errJobRecorded
}

func (r *jobRecorder) Ready() bool { return true }

// recordJob builds the renderer job of a request with query and body, with the
// service's own styles and assets, the way the service builds it.
func recordJob(ctx context.Context, svc *service, query url.Values, body []byte) (renderer.Job, error) {
	bg, err := fs.ReadFile(static.FS, bundledBackground)
	if err != nil {
		return renderer.Job{}, fmt.Errorf("read bundled background: %w", err)
	}
	// Assets are named by content, so this returns the service's own URL.
	bgURL, err := svc.app.Assets.Add(bg)
	if err != nil {
		return renderer.Job{}, fmt.Errorf("add bundled background: %w", err)
	}

	rec := &jobRecorder{}
	srv := server.New(server.DefaultConfig(), server.Deps{
		Styles:     svc.app.Styles,
		Renderer:   rec,
		Assets:     svc.app.Assets,
		Store:      svc.app.Store,
		Background: bgURL,
		Log:        slog.New(slog.DiscardHandler),
	})
	if _, err := srv.Render(ctx, query, body); !errors.Is(err, errJobRecorded) {
		return renderer.Job{}, fmt.Errorf("build page of %s: %w", query.Get("style"), err)
	}
	return rec.job, nil
}

// captureFloor loads job into a tab once and returns the durations of n
// screenshots of it, after warmup discarded ones.
func captureFloor(ctx context.Context, pool *renderer.Pool, job renderer.Job, warmup, n int) ([]time.Duration, error) {
	times, err := pool.MeasureCapture(ctx, job, warmup+n)
	if err != nil {
		return nil, fmt.Errorf("measure capture: %w", err)
	}
	return times[warmup:], nil
}
