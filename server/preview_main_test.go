package server_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/igs-dev/igs/app"
	"github.com/igs-dev/igs/config"
	"github.com/igs-dev/igs/record"
)

// Shared by the tests of the package and set up by TestMain: a service in
// development mode over a styles directory on disk, a server of "remote"
// images on 127.0.0.1, and a browser of the tests' own.
var (
	svc       *service
	images    *imageServer
	browser   context.Context
	stylesDir string
)

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	// -run '^$' runs only the benchmarks, which need no browser.
	flag.Parse()
	if f := flag.Lookup("test.run"); f != nil && f.Value.String() == "^$" {
		return m.Run()
	}

	chrome, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") == "true" {
			fmt.Fprintln(os.Stderr, "chromium not found on PATH; CI requires it")
			return 1
		}
		fmt.Fprintln(os.Stderr, "chromium not found on PATH; skipping the preview tests")
		return 0
	}

	images = newImageServer()
	defer images.srv.Close()

	stylesDir, err = os.MkdirTemp("", "igs-preview-styles-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(stylesDir)

	var stop func()
	svc, stop, err = startService(func(c *config.Config) {
		c.Styles.Dir = stylesDir
		c.Styles.Dev = true
		c.Preview = true
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer stop()

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), browserOptions(chrome)...)
	defer cancelAlloc()
	var cancelBrowser context.CancelFunc
	browser, cancelBrowser = chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	if err := chromedp.Do(browser); err != nil {
		fmt.Fprintln(os.Stderr, "start the test browser:", err)
		return 1
	}
	return m.Run()
}

// browserOptions starts a headless Chromium that resolves no host name, so
// that it reaches only the loopback servers of the tests.
func browserOptions(chrome string) []chromedp.ExecAllocatorOption {
	opts := append([]chromedp.ExecAllocatorOption{}, chromedp.DefaultExecAllocatorOptions[:]...)
	opts = append(opts,
		chromedp.ExecPath(chrome),
		chromedp.WindowSize(1600, 1200),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	return opts
}

// service is one igs on a loopback port.
type service struct {
	base string
	app  *app.App
	// styleFiles counts the requests of the renderer's Chrome for files
	// under /styles/, by path.
	styleFiles *requestCounter
}

type requestCounter struct {
	counts sync.Map // path -> *atomic.Int64
}

func (c *requestCounter) add(path string) {
	n, _ := c.counts.LoadOrStore(path, new(atomic.Int64))
	n.(*atomic.Int64).Add(1)
}

func (c *requestCounter) get(path string) int64 {
	n, ok := c.counts.Load(path)
	if !ok {
		return 0
	}
	return n.(*atomic.Int64).Load()
}

// startService starts igs with test settings changed by mutate.
func startService(mutate func(*config.Config)) (*service, func(), error) {
	dataDir, err := os.MkdirTemp("", "igs-preview-data-")
	if err != nil {
		return nil, nil, err
	}
	env := map[string]string{
		"IGS_DATA_DIR":          dataDir,
		"IGS_ASSET_ALLOW_HOSTS": "127.0.0.1",
		"IGS_POOL_SIZE":         "2",
		"IGS_QQ_AVATAR_URL":     images.srv.URL + "/headimg_dl?dst_uin={qq}",
	}
	cfg, err := config.Load(nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		return nil, nil, err
	}
	if mutate != nil {
		mutate(&cfg)
	}

	s := &service{styleFiles: &requestCounter{}}
	local := &localImages{base: images.srv.URL}
	level := slog.LevelWarn
	if os.Getenv("IGS_TEST_LOG") != "" {
		level = slog.LevelInfo
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	a, err := app.New(cfg, log, app.Options{
		Images: local,
		WrapOrigin: func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasPrefix(r.URL.Path, "/styles/") {
					s.styleFiles.add(r.URL.Path)
				}
				next.ServeHTTP(w, r)
			})
		},
	})
	if err != nil {
		os.RemoveAll(dataDir)
		return nil, nil, err
	}
	local.app.Store(a)
	s.app = a

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		a.Close()
		return nil, nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.ServeListener(ctx, ln) }()

	waitCtx, waitCancel := context.WithTimeout(ctx, 60*time.Second)
	defer waitCancel()
	if err := a.Renderer.Wait(waitCtx); err != nil {
		cancel()
		<-done
		return nil, nil, fmt.Errorf("wait for chrome: %w", err)
	}
	s.base = "http://" + ln.Addr().String()
	stop := func() {
		cancel()
		<-done
		os.RemoveAll(dataDir)
	}
	return s, stop, nil
}

// localImages points every remote image of a card at the image server of
// the tests, then lets the app's own asset pipeline fetch it, so the tests
// contact no other host.
type localImages struct {
	base string
	app  atomic.Pointer[app.App]
}

func (l *localImages) Resolve(ctx context.Context, list []*record.Image) {
	for _, img := range list {
		if u, err := url.Parse(img.Src); err == nil && img.Src != "" {
			img.Src = l.base + u.Path
		}
	}
	l.app.Load().Assets.Resolve(ctx, list)
}

// Colours of the fixture images.
var (
	iconColor   = color.RGBA{255, 0, 255, 255}
	avatarColor = color.RGBA{255, 200, 0, 255}
)

// imageServer serves the "remote" images: a magenta PNG for any .png path
// and a yellow JPEG for anything else.
type imageServer struct {
	srv  *httptest.Server
	icon []byte
	jpeg []byte
}

func newImageServer() *imageServer {
	s := &imageServer{icon: encodePNG(solid(64, 64, iconColor)), jpeg: encodeJPEG(solid(128, 128, avatarColor))}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".png") {
			w.Header().Set("Content-Type", "image/png")
			w.Write(s.icon)
			return
		}
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write(s.jpeg)
	}))
	return s
}

func solid(w, h int, c color.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return img
}

func encodePNG(img image.Image) []byte {
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}

func encodeJPEG(img image.Image) []byte {
	var buf bytes.Buffer
	jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95})
	return buf.Bytes()
}

// writeStyleFile writes a file of a style folder in the styles directory
// and moves its modification time forward, so that every write is a change
// even on a file system with coarse timestamps.
func writeStyleFile(t *testing.T, style, file, text string) {
	t.Helper()
	path := filepath.Join(stylesDir, style, filepath.FromSlash(file))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	stamp := time.Now().Add(time.Duration(writes.Add(1)) * time.Second)
	if err := os.Chtimes(path, stamp, stamp); err != nil {
		t.Fatal(err)
	}
}

var writes atomic.Int64

// newTab opens a tab of the test browser that closes with the test.
func newTab(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelTimeout)
	return ctx
}

// waitFor evaluates a JavaScript expression in the tab every 100 ms until
// it is true. It polls from Go, because a reload of the page ends a poll
// that runs in the page.
func waitFor(t *testing.T, ctx context.Context, what, expression string) {
	t.Helper()
	deadline := time.Now().Add(45 * time.Second)
	var lastErr error
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { try { return Boolean(`+expression+`); } catch { return false; } })()`))
		if err == nil && ok {
			return
		}
		lastErr = err
		if ctx.Err() != nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("wait for %s (%s): timed out; last error: %v", what, expression, lastErr)
}

// evaluate returns the value of a JavaScript expression in the tab.
func evaluate[T any](t *testing.T, ctx context.Context, expression string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expression))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expression, err)
	}
	return v
}

// screenshot saves a screenshot of the tab into $IGS_PREVIEW_SCREENSHOTS,
// when it is set, for a look by eye.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("IGS_PREVIEW_SCREENSHOTS")
	if dir == "" {
		return
	}
	data, err := chromedp.Run(ctx, chromedp.FullScreenshot(85))
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".jpg"), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func get(t *testing.T, path string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(svc.base + path)
	if err != nil {
		t.Fatalf("get %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return resp, body
}
