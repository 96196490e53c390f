package assets

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"sync"
	"time"

	"github.com/igs-dev/igs/record"
)

// Pipeline fetches, checks, caches and serves images. Create it with New.
type Pipeline struct {
	cfg    Config
	log    *slog.Logger
	client *http.Client
	limits imageLimits
	store  *store

	fetches  flightGroup // keyed by source URL
	variants flightGroup // keyed by the name of a blurred or shrunk copy

	// decodeSlots bounds concurrent full decodes to the number of CPUs.
	decodeSlots chan struct{}

	// now is the clock of the failure memory; tests replace it.
	now func() time.Time
}

// New checks cfg and returns a Pipeline. A nil log discards log lines.
func New(cfg Config, log *slog.Logger) (*Pipeline, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("validate assets config: %w", err)
	}

	allow, err := parseAllowList(cfg.AllowHosts)
	if err != nil {
		return nil, fmt.Errorf("parse AllowHosts: %w", err)
	}

	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}

	cfg.AllowHosts = append([]string(nil), cfg.AllowHosts...)
	return &Pipeline{
		cfg:         cfg,
		log:         log,
		client:      newClient(newGuardedDialer(allow)),
		limits:      imageLimits{maxSide: cfg.MaxSide, maxPixels: cfg.MaxPixels},
		store:       newStore(cfg.CacheBytes),
		decodeSlots: make(chan struct{}, runtime.GOMAXPROCS(0)),
		now:         time.Now,
	}, nil
}

// Resolve fetches every image, deduplicated by Src, within cfg.Budget and
// ctx. It sets URL to "/assets/<id>.<ext>" and OK to true for each fetched
// image. Failed or empty images get URL "" and OK false, and each failed URL
// gets one warn line. Resolve returns no error, because a card draws
// placeholders for the missing images.
func (p *Pipeline) Resolve(ctx context.Context, images []*record.Image) {
	ctx, cancel := context.WithTimeout(ctx, p.cfg.Budget)
	defer cancel()

	targets := groupBySource(images)
	sources := make([]string, 0, len(targets))
	for src := range targets {
		sources = append(sources, src)
	}

	outcomes := p.loadAll(ctx, sources)

	cancelled := 0
	for i, src := range sources {
		o := outcomes[i]
		if o.err == nil {
			for _, img := range targets[src] {
				img.URL = o.asset.url()
				img.OK = true
			}

			continue
		}

		if errors.Is(o.err, context.Canceled) {
			cancelled++
			continue
		}

		// The first failure of a URL is a warning; its repeats within
		// FailureTTL were already reported, so they go to debug.
		level := slog.LevelWarn
		if errors.Is(o.err, errRemembered) {
			level = slog.LevelDebug
		}
		p.log.Log(ctx, level, "image fetch failed", "url", src, "reason", o.err.Error())
	}

	if cancelled > 0 {
		p.log.Info("image fetch cancelled by caller", "images", cancelled)
	}
}

// groupBySource resets every image and groups those with a Src by it.
func groupBySource(images []*record.Image) map[string][]*record.Image {
	targets := make(map[string][]*record.Image)
	for _, img := range images {
		if img == nil {
			continue
		}

		img.URL = ""
		img.OK = false
		if img.Src != "" {
			targets[img.Src] = append(targets[img.Src], img)
		}
	}

	return targets
}

// loadAll returns cached sources at once and loads the rest, at most
// cfg.Parallel at a time, until ctx ends.
func (p *Pipeline) loadAll(ctx context.Context, sources []string) []outcome {
	outcomes := make([]outcome, len(sources))
	var misses []int
	for i, src := range sources {
		if a, ok := p.store.lookupURL(src); ok {
			outcomes[i] = outcome{asset: a}
			continue
		}

		misses = append(misses, i)
	}

	slots := make(chan struct{}, p.cfg.Parallel)
	var wg sync.WaitGroup
	for _, i := range misses {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			outcomes[i] = outcome{err: p.waitError(ctx)}
			continue
		}

		wg.Go(func() {
			defer func() { <-slots }()
			outcomes[i] = p.load(ctx, sources[i])
		})
	}

	wg.Wait()
	return outcomes
}

// load returns the cached asset or remembered failure for src, or joins
// the fetch of src and waits for it until ctx ends.
func (p *Pipeline) load(ctx context.Context, src string) outcome {
	lookup := func() (outcome, bool) {
		if a, ok := p.store.lookupURL(src); ok {
			return outcome{asset: a}, true
		}

		if f, ok := p.store.lookupFailure(src, p.now()); ok {
			return outcome{err: fmt.Errorf("%w: %w", errRemembered, f.err)}, true
		}

		return outcome{}, false
	}

	call := p.fetches.join(src, lookup, func() outcome {
		return p.fetchAndStore(src)
	})

	select {
	case <-call.done:
		return call.outcome
	case <-ctx.Done():
		return outcome{err: p.waitError(ctx)}
	}
}

// fetchAndStore fetches src and stores the asset or the failure.
func (p *Pipeline) fetchAndStore(src string) outcome {
	start := time.Now()
	a, err := p.fetch(src)
	if err != nil {
		if p.cfg.FailureTTL > 0 {
			now := p.now()
			p.store.rememberFailure(src, err, now, now.Add(p.cfg.FailureTTL))
		}

		return outcome{err: err}
	}

	a = p.store.put(src, a)
	p.log.Debug("image fetched", "url", src, "asset", a.name, "bytes", len(a.data), "duration", time.Since(start))
	return outcome{asset: a}
}

// waitError names why a Resolve stopped waiting: its budget or its caller.
func (p *Pipeline) waitError(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%w: deadline passed before the fetch finished (budget %s)", ErrTimeout, p.cfg.Budget)
	}

	return ctx.Err()
}

// Add checks local image bytes, such as a bundled background, like a
// fetched body and returns their "/assets/..." URL. The image stays in
// memory for the life of the Pipeline and does not count against
// CacheBytes. MaxBytes does not apply, because the bytes are our own.
func (p *Pipeline) Add(data []byte) (string, error) {
	a, err := p.newAsset(append([]byte(nil), data...))
	if err != nil {
		return "", fmt.Errorf("add image: %w", err)
	}

	p.store.pin(a)
	return a.url(), nil
}
