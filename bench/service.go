package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/igs-dev/igs/app"
	"github.com/igs-dev/igs/config"
)

// chromeStartTimeout bounds the wait for the service's Chrome.
const chromeStartTimeout = 60 * time.Second

// requestTimeout bounds one request of the benchmark client.
const requestTimeout = 60 * time.Second

// errRetcode is the error of a reply whose retcode is not 0.
var errRetcode = errors.New("generator replied with an error")

// service is igs running in this process on a loopback port.
type service struct {
	app  *app.App
	base string // http://127.0.0.1:port
	dir  string
	stop func()
}

// startService starts igs with its default settings, except: images go to a
// temporary directory, image fetches may reach 127.0.0.1, and Chrome never
// restarts. The -chrome-flag, -low-memory and -styles-dir options of bench
// apply, and appOpts passes through to app.New. It returns when Chrome is
// ready.
func startService(fixture *fixtureServer, bench options, log *slog.Logger, appOpts app.Options) (*service, error) {
	dir, err := os.MkdirTemp("", "igs-bench-")
	if err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}

	env := map[string]string{
		"IGS_DATA_DIR":          dir,
		"IGS_ASSET_ALLOW_HOSTS": "127.0.0.1",
		"IGS_RESTART_AFTER":     "0",
		"IGS_QQ_AVATAR_URL":     fixture.srv.URL + "/avatar.jpg?qq={qq}",
		"IGS_STYLES_DIR":        bench.stylesDir,
	}
	cfg, err := config.Load(nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("load service config: %w", err)
	}

	cfg.Renderer.ExtraFlags = append(cfg.Renderer.ExtraFlags, bench.chromeFlags...)
	cfg.Renderer.LowMemory = bench.lowMemory

	a, err := app.New(cfg, log, appOpts)
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start service: %w", err)
	}

	if err := checkStyles(a, bench); err != nil {
		a.Close()
		os.RemoveAll(dir)
		return nil, err
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		a.Close()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("listen on loopback: %w", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.ServeListener(ctx, ln) }()
	stop := func() {
		cancel()
		if err := <-done; err != nil {
			log.Error("service stopped with an error", "err", err)
		}
		os.RemoveAll(dir)
	}

	waitCtx, waitCancel := context.WithTimeout(ctx, chromeStartTimeout)
	defer waitCancel()
	if err := a.Renderer.Wait(waitCtx); err != nil {
		stop()
		return nil, fmt.Errorf("wait for chrome: %w", err)
	}
	return &service{app: a, base: "http://" + ln.Addr().String(), dir: dir, stop: stop}, nil
}

// checkStyles reports a style of -styles-dir that failed to load, which the
// service would skip and replace with the embedded style of that name, and a
// style of -styles that the service lacks.
func checkStyles(a *app.App, bench options) error {
	var errs []error
	if bench.stylesDir != "" {
		for _, problem := range a.Styles.Problems() {
			errs = append(errs, fmt.Errorf("-styles-dir: %w", problem))
		}
	}
	for _, style := range bench.styles {
		if _, ok := a.Styles.Lookup(style); !ok {
			errs = append(errs, fmt.Errorf("-styles: unknown style %q; the service has %v", style, a.Styles.Names()))
		}
	}
	return errors.Join(errs...)
}

// client sends generator requests to a service.
type client struct {
	base   string
	avatar string
	http   *http.Client
	// uid makes each request distinct, so that the repeat cache misses.
	uid atomic.Int64
}

func newClient(base, avatarURL string) *client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 32
	c := &client{base: base, avatar: avatarURL, http: &http.Client{Transport: transport}}
	c.uid.Store(100_000_000)
	return c
}

// reply is the part of the generator's JSON reply the benchmark checks.
type reply struct {
	Retcode int    `json:"retcode"`
	Message string `json:"message"`
	URL     string `json:"url"`
}

// query returns the parameters of a request for style with uid.
func (c *client) query(style, uid string) url.Values {
	return url.Values{"style": {style}, "uid": {uid}, "avatar": {c.avatar}}
}

// nextUID returns a uid no earlier request of c used.
func (c *client) nextUID() string {
	return strconv.FormatInt(c.uid.Add(1), 10)
}

// generate posts one request and returns its latency, from sending the
// request to reading the whole reply, and the image URL of the reply.
func (c *client) generate(ctx context.Context, query url.Values, body []byte) (time.Duration, string, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/generator/user_info?"+query.Encode(), bytes.NewReader(body))
	if err != nil {
		return 0, "", fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")

	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, "", fmt.Errorf("post %s: %w", query.Get("style"), err)
	}
	data, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	elapsed := time.Since(start)
	if err != nil {
		return 0, "", fmt.Errorf("read reply of %s: %w", query.Get("style"), err)
	}

	var r reply
	if err := json.Unmarshal(data, &r); err != nil {
		return 0, "", fmt.Errorf("decode reply of %s %q: %w", query.Get("style"), data, err)
	}
	if r.Retcode != 0 || r.URL == "" {
		return 0, "", fmt.Errorf("%w: style %s: retcode %d: %s", errRetcode, query.Get("style"), r.Retcode, r.Message)
	}
	return elapsed, r.URL, nil
}

// generateDistinct posts a request for style with a new uid.
func (c *client) generateDistinct(ctx context.Context, style string, body []byte) (time.Duration, error) {
	elapsed, _, err := c.generate(ctx, c.query(style, c.nextUID()), body)
	return elapsed, err
}
