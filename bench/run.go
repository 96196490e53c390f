package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/pprof"
	"slices"
	"sync/atomic"
	"time"

	"github.com/igs-dev/igs/app"
	"github.com/igs-dev/igs/renderer"
)

// Settings of the phases that the flags do not set.
const (
	// floorWarmup screenshots of the capture floor are discarded.
	floorWarmup = 2
	// memoryClients send the memory phase's renders, one per tab of the
	// default pool on 2 cores.
	memoryClients = 2
	// baselineClients is the client count of the baseline and the row it
	// is compared with.
	baselineClients = 4
	// noLimit is the time limit of the phases bounded by count only; each
	// request still has its own deadline.
	noLimit = 24 * time.Hour
)

// styleResult holds the measurements of one style.
type styleResult struct {
	style string
	// latency is of the 42-character record, sequential and warm.
	latency []time.Duration
	floor   []time.Duration
	// throughput is keyed by client count.
	throughput map[int]loadResult
	// scaling is keyed by character count.
	scaling  map[int][]time.Duration
	baseline loadResult
	// cpuPerCard is the CPU time per card by process type at
	// baselineClients clients.
	cpuPerCard cpuSample
	// job is the page of a 42-character request, for the baseline.
	job renderer.Job
}

// results are the measurements of a whole run.
type results struct {
	opts        options
	machine     machineInfo
	loadBefore  string
	loadAfter   string
	started     time.Time
	took        time.Duration
	styles      []*styleResult
	repeatStyle string
	repeat      []time.Duration
	memory      []memorySample
	steps       *stepLog
}

// run measures everything that opts selects and writes the report to stdout
// and, with opts.output, to that file.
func run(ctx context.Context, opts options, stdout io.Writer, log *slog.Logger) error {
	chromePath, err := chromeExecutable("")
	if err != nil {
		return err
	}

	res := &results{
		opts:       opts,
		machine:    readMachine(chromePath),
		loadBefore: loadAverage(),
		started:    time.Now(),
		steps:      newStepLog(),
	}
	log.Info("benchmark started", "styles", opts.styles, "requests", opts.requests, "memory_renders", opts.memoryRenders, "load_average", res.loadBefore)

	if opts.cpuProfile != "" {
		stopProfile, err := startCPUProfile(opts.cpuProfile)
		if err != nil {
			return err
		}
		defer stopProfile()
	}

	fixture, err := newFixtureServer()
	if err != nil {
		return err
	}
	defer fixture.close()
	bodies, err := buildBodies(fixture.srv.URL)
	if err != nil {
		return err
	}

	// The service logs warnings to stderr; the step log reads its debug
	// timing lines.
	serviceLog := slog.New(tapHandler{next: log.Handler(), min: slog.LevelWarn, steps: res.steps})

	if opts.memoryRenders > 0 {
		res.memory, err = measureMemory(ctx, opts, fixture, bodies, serviceLog, log)
		if err != nil {
			return err
		}
	}

	if !opts.memoryOnly {
		if err := measureService(ctx, res, fixture, bodies, serviceLog, log, chromePath); err != nil {
			return err
		}
	}

	res.loadAfter = loadAverage()
	res.took = time.Since(res.started)
	return writeReport(res, stdout)
}

// measureService runs every phase but memory against one service.
func measureService(ctx context.Context, res *results, fixture *fixtureServer, bodies map[int][]byte, serviceLog, log *slog.Logger, chromePath string) error {
	svc, err := startService(fixture, res.opts, serviceLog, app.Options{WrapOrigin: res.steps.wrapOrigin})
	if err != nil {
		return err
	}
	defer svc.stop()

	cl := newClient(svc.base, fixture.avatarURL())
	for _, style := range res.opts.styles {
		sr, err := measureStyle(ctx, res, svc, cl, style, bodies, log)
		if err != nil {
			return err
		}
		res.styles = append(res.styles, sr)
	}

	res.repeatStyle = res.opts.styles[0]
	if slices.Contains(res.opts.styles, "fancy") {
		res.repeatStyle = "fancy"
	}
	res.repeat, err = measureRepeat(ctx, cl, res.repeatStyle, bodies[42], res.opts.repeats)
	if err != nil {
		return err
	}
	log.Info("repeat cache measured", "style", res.repeatStyle, "p50", percentile(res.repeat, 0.5))

	return measureBaseline(ctx, res, svc, chromePath, log)
}

// measureStyle measures latency, capture floor, throughput and scaling of
// one style.
func measureStyle(ctx context.Context, res *results, svc *service, cl *client, style string, bodies map[int][]byte, log *slog.Logger) (*styleResult, error) {
	opts := res.opts
	sr := &styleResult{style: style, throughput: map[int]loadResult{}, scaling: map[int][]time.Duration{}}
	distinct := func(n int) func(ctx context.Context) (time.Duration, error) {
		return func(ctx context.Context) (time.Duration, error) { return cl.generateDistinct(ctx, style, bodies[n]) }
	}

	if _, err := runSequential(ctx, opts.warmup, distinct(42)); err != nil {
		return nil, fmt.Errorf("warm up %s: %w", style, err)
	}
	res.steps.collect(style)
	latency, err := runSequential(ctx, opts.requests, distinct(42))
	res.steps.collect("")
	if err != nil {
		return nil, fmt.Errorf("measure latency of %s: %w", style, err)
	}
	sr.latency = latency
	log.Info("latency measured", "style", style, "p50", percentile(latency, 0.5), "p90", percentile(latency, 0.9))

	sr.job, err = recordJob(ctx, svc, cl.query(style, cl.nextUID()), bodies[42])
	if err != nil {
		return nil, err
	}
	sr.floor, err = captureFloor(ctx, svc.app.Renderer, sr.job, floorWarmup, opts.captures)
	if err != nil {
		return nil, fmt.Errorf("capture floor of %s: %w", style, err)
	}
	log.Info("capture floor measured", "style", style, "p50", percentile(sr.floor, 0.5))

	for _, clients := range clientLevels {
		total := max(opts.requests, clients)
		before, err := sampleCPU(svc.app.Renderer.ChromePIDs())
		if err != nil {
			return nil, err
		}
		lr, err := runLoad(ctx, clients, total, opts.levelTimeout, distinct(42))
		if err != nil {
			return nil, fmt.Errorf("measure throughput of %s with %d clients: %w", style, clients, err)
		}
		after, err := sampleCPU(svc.app.Renderer.ChromePIDs())
		if err != nil {
			return nil, err
		}
		sr.throughput[clients] = lr
		if clients == baselineClients {
			sr.cpuPerCard = after.since(before, len(lr.latencies))
		}
		log.Info("throughput measured", "style", style, "clients", clients, "cards_per_second", fmt.Sprintf("%.2f", lr.throughput()))
	}

	for _, n := range characterCounts {
		if n == 42 {
			sr.scaling[n] = sr.latency
			continue
		}
		if _, err := runSequential(ctx, opts.warmup, distinct(n)); err != nil {
			return nil, fmt.Errorf("warm up %s with %d characters: %w", style, n, err)
		}
		times, err := runSequential(ctx, opts.requests, distinct(n))
		if err != nil {
			return nil, fmt.Errorf("measure %s with %d characters: %w", style, n, err)
		}
		sr.scaling[n] = times
		log.Info("scaling measured", "style", style, "characters", n, "p50", percentile(times, 0.5))
	}
	return sr, nil
}

// measureRepeat sends one request and then n identical ones, which the repeat
// cache serves, and returns their latencies.
func measureRepeat(ctx context.Context, cl *client, style string, body []byte, n int) ([]time.Duration, error) {
	query := cl.query(style, cl.nextUID())
	_, first, err := cl.generate(ctx, query, body)
	if err != nil {
		return nil, fmt.Errorf("render the repeated request: %w", err)
	}

	times := make([]time.Duration, 0, n)
	for range n {
		elapsed, url, err := cl.generate(ctx, query, body)
		if err != nil {
			return nil, fmt.Errorf("repeat request: %w", err)
		}
		if url != first {
			return nil, fmt.Errorf("repeat cache missed: a repeated request got %s, the first %s", url, first)
		}
		times = append(times, elapsed)
	}
	return times, nil
}

// measureBaseline measures the new-tab baseline for each style with the page
// its measurement recorded.
func measureBaseline(ctx context.Context, res *results, svc *service, chromePath string, log *slog.Logger) error {
	b, err := startBaseline(chromePath, svc.app.OriginHandler())
	if err != nil {
		return err
	}
	defer b.close()

	for _, sr := range res.styles {
		b.addPage(sr.style, sr.job)
		render := func(ctx context.Context) (time.Duration, error) {
			ctx, cancel := context.WithTimeout(ctx, requestTimeout)
			defer cancel()
			start := time.Now()
			err := b.render(ctx, sr.style, sr.job)
			return time.Since(start), err
		}
		if _, err := render(ctx); err != nil {
			return fmt.Errorf("warm up baseline of %s: %w", sr.style, err)
		}

		sr.baseline, err = runLoad(ctx, baselineClients, res.opts.baselineRequests, res.opts.levelTimeout, render)
		if err != nil {
			return fmt.Errorf("measure baseline of %s: %w", sr.style, err)
		}
		log.Info("new-tab baseline measured", "style", sr.style, "cards_per_second", fmt.Sprintf("%.2f", sr.baseline.throughput()))
	}
	return nil
}

// measureMemory renders the 42-character record in every style in turn on a
// fresh service and samples the PSS after a tenth of opts.memoryRenders
// renders and after all of them.
func measureMemory(ctx context.Context, opts options, fixture *fixtureServer, bodies map[int][]byte, serviceLog, log *slog.Logger) ([]memorySample, error) {
	svc, err := startService(fixture, opts, serviceLog, app.Options{})
	if err != nil {
		return nil, err
	}
	defer svc.stop()

	cl := newClient(svc.base, fixture.avatarURL())
	var turn atomic.Int64
	render := func(ctx context.Context) (time.Duration, error) {
		style := opts.styles[int(turn.Add(1))%len(opts.styles)]
		return cl.generateDistinct(ctx, style, bodies[42])
	}

	// Samples at every tenth show whether growth levels off or goes on;
	// the table compares the first and the last.
	var samples []memorySample
	step := opts.firstMemoryRenders()
	for done := 0; done < opts.memoryRenders; done += step {
		target := min(done+step, opts.memoryRenders)
		if _, err := runLoad(ctx, memoryClients, target-done, noLimit, render); err != nil {
			return nil, fmt.Errorf("render for the memory sample at %d: %w", target, err)
		}

		select {
		case <-time.After(opts.memorySettle):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		m, err := sampleMemory(svc.app.Renderer.ChromePIDs())
		if err != nil {
			return nil, err
		}
		m.renders = target
		samples = append(samples, m)
		log.Info("memory sampled", "renders", target, "pss_mib", m.total()/1024, "go_process_mib", m.self/1024,
			"chrome_mib", m.chrome/1024, "chrome_processes", m.processes, "by_type", m.byType)
	}
	return samples, nil
}

// startCPUProfile writes a Go CPU profile to path until the returned func is
// called.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("create CPU profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("start CPU profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
