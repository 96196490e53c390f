package app

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"time"

	"github.com/igs-dev/igs/assets"
	"github.com/igs-dev/igs/config"
	"github.com/igs-dev/igs/renderer"
	"github.com/igs-dev/igs/samples"
	"github.com/igs-dev/igs/server"
	"github.com/igs-dev/igs/static"
	"github.com/igs-dev/igs/storage"
	"github.com/igs-dev/igs/styles"
	"github.com/igs-dev/igs/templates"
)

// defaultBackground is the bundled background inside the static files.
const defaultBackground = "bg/default.jpg"

// Options adjusts how New assembles the service.
type Options struct {
	// WrapOrigin, when set, wraps the handler Chrome loads files from. Tests
	// use it to hold a request, which produces a full queue or a timeout.
	WrapOrigin func(http.Handler) http.Handler

	// Images, when set, replaces the asset pipeline in resolving the remote
	// images of a card; igs check uses one that fetches nothing.
	Images server.Assets
}

// App is the assembled service.
type App struct {
	cfg      config.Config
	opts     Options
	log      *slog.Logger
	Styles   *styles.Registry
	Assets   *assets.Pipeline
	Renderer *renderer.Pool
	Store    *storage.Store
	Server   *server.Server
	// Preview is nil unless the preview pages are on.
	Preview *server.Preview
}

// New builds every part. Chrome starts in the background, so New returns
// before it is ready and the server can listen at once.
func New(cfg config.Config, log *slog.Logger, opts Options) (*App, error) {
	a := &App{cfg: cfg, log: log, opts: opts}

	pipeline, err := assets.New(cfg.Assets, log.With("component", "assets"))
	if err != nil {
		return nil, fmt.Errorf("start asset pipeline: %w", err)
	}
	a.Assets = pipeline

	bg, err := fs.ReadFile(static.FS, defaultBackground)
	if err != nil {
		return nil, fmt.Errorf("read bundled background: %w", err)
	}
	bgURL, err := pipeline.Add(bg)
	if err != nil {
		return nil, fmt.Errorf("add bundled background: %w", err)
	}

	reg, err := LoadStyles(cfg.Styles, log)
	if err != nil {
		return nil, err
	}
	a.Styles = reg

	store, err := storage.New(cfg.Storage, log.With("component", "storage"))
	if err != nil {
		return nil, err
	}
	a.Store = store

	origin := a.OriginHandler()
	if opts.WrapOrigin != nil {
		origin = opts.WrapOrigin(origin)
	}
	pool, err := renderer.New(cfg.Renderer, origin, log.With("component", "renderer"))
	if err != nil {
		return nil, fmt.Errorf("start renderer: %w", err)
	}
	a.Renderer = pool

	var images server.Assets = pipeline
	if opts.Images != nil {
		images = opts.Images
	}
	a.Server = server.New(cfg.Server, server.Deps{
		Styles:     reg,
		Renderer:   pool,
		Assets:     images,
		Store:      store,
		Background: bgURL,
		Log:        log,
	})

	if cfg.Preview {
		preview, err := a.Server.EnablePreview(a.OriginHandler())
		if err != nil {
			pool.Close()
			return nil, err
		}
		a.Preview = preview
	}
	return a, nil
}

// LoadStyles loads the embedded styles and those of cfg.Dir. It logs every
// style that failed to load, with its file and line. It fails when cfg.Dir
// is not a readable directory or when no style loaded at all.
func LoadStyles(cfg styles.Config, log *slog.Logger) (*styles.Registry, error) {
	if cfg.Dev && cfg.Dir == "" {
		log.Warn("development mode without a styles directory: the embedded styles cannot change; set IGS_STYLES_DIR")
	}
	reg, err := styles.Open(templates.FS, cfg, styles.Options{
		Funcs:   template.FuncMap{"blur": assets.BlurURL, "shrink": assets.ShrinkURL},
		Samples: samples.Names(),
		Log:     log.With("component", "styles"),
	})
	if reg == nil {
		return nil, fmt.Errorf("load styles: %w", err)
	}
	// Broken styles are skipped; the others still serve.
	for _, problem := range reg.Problems() {
		log.Error("style failed to load; skipped", "style", problem.Style, "file", problem.File, "line", problem.Line, "err", problem.Err)
	}
	if len(reg.Names()) == 0 {
		return nil, errors.New("load styles: no style loaded")
	}
	return reg, nil
}

// OriginHandler serves what Chrome may load: shared static files, style
// files and fetched remote images.
func (a *App) OriginHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/static/", immutable(http.StripPrefix("/static/", http.FileServerFS(static.FS))))
	mux.Handle("/styles/", a.Styles.Handler())
	mux.Handle("/assets/", a.Assets.Handler())
	return mux
}

// immutable marks the responses of h as fresh for a year. The static files
// are embedded, so they change only with the binary. Without freshness
// Chrome fetched static icons again for later cards: 474 origin requests in
// 400 renders of mixed styles, against 83 in 1000 renders with it (go run
// ./bench -memory-only, which renders the styles in turn).
// Directories get 404 rather than a listing.
func immutable(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		h.ServeHTTP(w, r)
	})
}

// Serve listens on the configured address until ctx ends, then shuts down
// gracefully and closes Chrome. It closes Chrome also when the address
// cannot be listened on.
func (a *App) Serve(ctx context.Context) error {
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		a.Close()
		return fmt.Errorf("listen on %s: %w", a.cfg.Addr, err)
	}
	return a.ServeListener(ctx, ln)
}

// ServeListener serves on ln until ctx ends.
func (a *App) ServeListener(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           a.Server.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		// Above server.MaxQueryBytes the generator returns a JSON error,
		// which it can only do for a request line that the server reads.
		MaxHeaderBytes: 1 << 20,
	}

	janitorCtx, stopJanitor := context.WithCancel(context.Background())
	defer stopJanitor()
	go a.Store.Run(janitorCtx)

	if a.Preview != nil {
		// Live-reload requests wait for a change; they end at shutdown.
		srv.RegisterOnShutdown(a.Preview.Close)
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	a.log.Info("listening", "addr", ln.Addr().String(), "styles", a.Styles.Names(), "image_dir", a.Store.Dir(),
		"styles_dir", a.cfg.Styles.Dir, "dev", a.cfg.Styles.Dev, "preview", a.Preview != nil)

	select {
	case err := <-errc:
		a.Close()
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}

	a.log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	a.Close()
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}

// Close ends Chrome and removes its profile.
func (a *App) Close() {
	if a.Renderer != nil {
		if err := a.Renderer.Close(); err != nil {
			a.log.Error("close renderer failed", "err", err)
		}
	}
}

// CheckFonts logs an error when fontconfig lists no CJK font, since cards
// would then show empty boxes for Chinese text.
func CheckFonts(ctx context.Context, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()

	out, err := exec.CommandContext(ctx, "fc-list", ":lang=zh", "family").Output()
	switch {
	case err != nil:
		log.Error("check CJK fonts: fc-list failed; install fontconfig and fonts-noto-cjk", "err", err)
	case strings.TrimSpace(string(out)) == "":
		log.Error("no CJK font found by fontconfig; Chinese text will not render: install fonts-noto-cjk")
	default:
		first, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
		log.Debug("CJK font found", "family", first)
	}
}
