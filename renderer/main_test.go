package renderer

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/webp"
)

// errChromeMissing is set when no Chrome is installed; tests that need one
// skip, unless CI=true, where TestMain fails instead.
var errChromeMissing error

// shared is the pool that most tests render in; TestMain starts it once.
var shared *Pool

// fontDelay is how long the test web font takes to arrive. A renderer that
// captured without waiting for fonts would capture the text invisible.
const fontDelay = 400 * time.Millisecond

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	if _, err := DefaultConfig().chromeExecutable(); err != nil {
		if os.Getenv("CI") == "true" {
			fmt.Fprintln(os.Stderr, "Chrome is required when CI=true:", err)
			return 1
		}
		errChromeMissing = err
		return m.Run()
	}

	cfg := DefaultConfig()
	cfg.PoolSize = 2
	cfg.QueueSize = 64
	cfg.Timeout = 30 * time.Second
	pool, err := New(cfg, newTestAssets(), testLogger())
	if err != nil {
		fmt.Fprintln(os.Stderr, "start shared pool:", err)
		return 1
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := pool.Wait(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "start shared pool:", err)
		_ = pool.Close()
		return 1
	}

	shared = pool
	code := m.Run()
	if err := pool.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "close shared pool:", err)
		return 1
	}
	return code
}

// testLogger logs warnings and errors to stderr, or every level when
// IGS_TEST_LOG=debug.
func testLogger() *slog.Logger {
	level := slog.LevelWarn
	if os.Getenv("IGS_TEST_LOG") == "debug" {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}

// needChrome skips the test when Chrome is missing outside CI.
func needChrome(t testing.TB) {
	t.Helper()
	if errChromeMissing != nil {
		t.Skip("Chrome not installed:", errChromeMissing)
	}
}

// sharedPool returns the pool that TestMain started.
func sharedPool(t testing.TB) *Pool {
	t.Helper()
	needChrome(t)
	return shared
}

// newPoolForTest starts a pool with cfg changed by edit, waits until it is
// ready and closes it when the test ends.
func newPoolForTest(t testing.TB, edit func(*Config), layers sealLayers, assets http.Handler) *Pool {
	t.Helper()
	needChrome(t)
	cfg := DefaultConfig()
	cfg.PoolSize = 1
	cfg.QueueSize = 8
	cfg.Timeout = 30 * time.Second
	if edit != nil {
		edit(&cfg)
	}
	if assets == nil {
		assets = newTestAssets()
	}

	pool, err := newPool(cfg, assets, testLogger(), layers)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		if err := pool.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := pool.Wait(ctx); err != nil {
		t.Fatalf("Wait: %v", err)
	}
	return pool
}

// Colors of the test images, and the CSS that names them.
var (
	red  = color.RGBA{R: 255, A: 255}
	blue = color.RGBA{B: 255, A: 255}
)

// testAssets is the asset handler of the tests.
type testAssets struct {
	mux *http.ServeMux

	// gate blocks /assets/gate.png until openGate or the end of the request.
	gate     chan struct{}
	gateOnce sync.Once
}

func newTestAssets() *testAssets {
	a := &testAssets{mux: http.NewServeMux(), gate: make(chan struct{})}
	cached := "public, max-age=3600"
	a.mux.HandleFunc("/assets/red.png", servePNG(solidPNG(64, 64, red), cached))
	a.mux.HandleFunc("/assets/blue.png", servePNG(solidPNG(64, 64, blue), cached))
	a.mux.HandleFunc("/assets/nocache.png", servePNG(solidPNG(64, 64, red), "no-store"))

	a.mux.HandleFunc("/assets/go.ttf", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(fontDelay):
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "font/ttf")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(goregular.TTF)
	})

	// slow-blue.png arrives after fontDelay, uncached.
	a.mux.HandleFunc("/assets/slow-blue.png", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(fontDelay):
			servePNG(solidPNG(64, 64, blue), "no-store")(w, r)
		case <-r.Context().Done():
		}
	})
	// hang.png never responds. The handler ends when Chrome drops the
	// request.
	a.mux.HandleFunc("/assets/hang.png", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})

	a.mux.HandleFunc("/assets/gate.png", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-a.gate:
			servePNG(solidPNG(8, 8, red), "no-store")(w, r)
		case <-r.Context().Done():
		}
	})

	a.mux.HandleFunc("/styles/card.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		w.Header().Set("Cache-Control", cached)
		_, _ = w.Write([]byte(`.bg { background: url("../assets/blue.png") no-repeat 0 0 / 100% 100%; }`))
	})
	a.mux.HandleFunc("/styles/slow.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write([]byte(`.sheet { background: url(../assets/slow-blue.png?sheet) 0 0 / 100% 100%; }
@media screen { .media { background: url('../assets/slow-blue.png?media') 0 0 / 100% 100%; } }`))
	})
	return a
}

func (a *testAssets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mux.ServeHTTP(w, r)
}

// openGate lets every /assets/gate.png request finish, now and later.
func (a *testAssets) openGate() {
	a.gateOnce.Do(func() { close(a.gate) })
}

func servePNG(data []byte, cacheControl string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Header().Set("Cache-Control", cacheControl)
		_, _ = w.Write(data)
	}
}

func solidPNG(width, height int, c color.Color) []byte {
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	for y := range height {
		for x := range width {
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// htmlPage returns a whole HTML document with body inside, no margins and a white
// background.
func htmlPage(head, body string) []byte {
	return []byte(`<!DOCTYPE html><html><head><meta charset="utf-8"><style>html,body{margin:0;background:#fff}</style>` +
		head + `</head><body>` + body + `</body></html>`)
}

// cardPage returns a page whose #card is width x height CSS px of the color
// css and holds inner.
func cardPage(width, height int, css, inner string) []byte {
	return htmlPage("", fmt.Sprintf(`<div id="card" style="width:%dpx;height:%dpx;background:%s;position:relative">%s</div>`, width, height, css, inner))
}

// render renders job in pool with a generous deadline and fails the test on
// an error.
func render(t testing.TB, pool *Pool, job Job) *Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := pool.Render(ctx, job)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return res
}

// decode decodes a rendered image of the given format.
func decode(t testing.TB, format string, data []byte) image.Image {
	t.Helper()
	var (
		img image.Image
		err error
	)
	switch format {
	case "jpeg":
		img, err = jpeg.Decode(bytes.NewReader(data))
	case "png":
		img, err = png.Decode(bytes.NewReader(data))
	case "webp":
		img, err = webp.Decode(bytes.NewReader(data))
	default:
		t.Fatalf("unknown format %q", format)
	}
	if err != nil {
		t.Fatalf("decode %s: %v", format, err)
	}
	return img
}

// near reports whether c is within tolerance of want in each RGB channel.
func near(c color.Color, want color.RGBA, tolerance int) bool {
	r, g, b, _ := c.RGBA()
	diff := func(got uint32, want uint8) bool {
		d := int(got>>8) - int(want)
		return d >= -tolerance && d <= tolerance
	}
	return diff(r, want.R) && diff(g, want.G) && diff(b, want.B)
}

// darkPixels counts the pixels in rect whose channels are all below 100.
func darkPixels(img image.Image, rect image.Rectangle) int {
	n := 0
	for y := rect.Min.Y; y < rect.Max.Y; y++ {
		for x := rect.Min.X; x < rect.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if r>>8 < 100 && g>>8 < 100 && b>>8 < 100 {
				n++
			}
		}
	}
	return n
}

// rgb formats a color for failure messages.
func rgb(c color.Color) string {
	r, g, b, _ := c.RGBA()
	return fmt.Sprintf("rgb(%d,%d,%d)", r>>8, g>>8, b>>8)
}

// contains reports whether err's text contains s; for failure checks only.
func contains(err error, s string) bool {
	return err != nil && strings.Contains(err.Error(), s)
}
