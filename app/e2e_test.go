package app_test

import (
	"bytes"
	"context"
	"encoding/json"
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
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "golang.org/x/image/webp"

	"github.com/igs-dev/igs/app"
	"github.com/igs-dev/igs/config"
	"github.com/igs-dev/igs/samples"
)

// Colours of the fixture images, picked to be easy to find in a card.
var (
	iconColor   = color.RGBA{255, 0, 255, 255} // character, region and realm icons
	bgColor     = color.RGBA{0, 128, 128, 255}
	avatarColor = color.RGBA{255, 200, 0, 255}
)

// fixtures serves the "remote" images of the tests on 127.0.0.1.
type fixtures struct {
	srv      *httptest.Server
	requests atomic.Int64
	icon     []byte
	bg       []byte
	avatar   []byte
}

func newFixtures() *fixtures {
	f := &fixtures{
		icon:   encodePNG(solid(128, 128, iconColor)),
		bg:     encodeJPEG(solid(1080, 1600, bgColor)),
		avatar: encodeJPEG(solid(256, 256, avatarColor)),
	}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.requests.Add(1)
		switch {
		case r.URL.Path == "/bg.jpg":
			w.Header().Set("Content-Type", "image/jpeg")
			w.Write(f.bg)
		case r.URL.Path == "/avatar.jpg" || r.URL.Path == "/headimg_dl":
			w.Header().Set("Content-Type", "image/jpeg")
			w.Write(f.avatar)
		case strings.HasSuffix(r.URL.Path, ".png"):
			w.Header().Set("Content-Type", "image/png")
			w.Write(f.icon)
		default:
			http.NotFound(w, r)
		}
	}))
	return f
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

// hostPattern matches the scheme and host of every URL in a body.
var hostPattern = regexp.MustCompile(`https?://[^/"]+/`)

// sampleBody returns a bundled sample with every image URL pointed at the
// fixture server.
func (f *fixtures) sampleBody(t *testing.T, name string) []byte {
	t.Helper()
	body, err := samples.Get(name)
	if err != nil {
		t.Fatal(err)
	}
	return hostPattern.ReplaceAll(body, []byte(f.srv.URL+"/"))
}

// service is one running igs on a loopback port.
type service struct {
	base string
	app  *app.App
	dir  string
}

var (
	fixture *fixtures
	shared  *service
)

func TestMain(m *testing.M) {
	if _, err := exec.LookPath("chromium"); err != nil {
		if os.Getenv("CI") == "true" {
			fmt.Fprintln(os.Stderr, "chromium not found; CI requires it")
			os.Exit(1)
		}
		fmt.Fprintln(os.Stderr, "chromium not found; skipping end-to-end tests")
		os.Exit(0)
	}

	fixture = newFixtures()
	var stop func()
	var err error
	shared, stop, err = startService(nil, app.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	stop()
	fixture.srv.Close()
	os.Exit(code)
}

// startService starts igs with test settings changed by mutate.
func startService(mutate func(*config.Config), opts app.Options) (*service, func(), error) {
	dir, err := os.MkdirTemp("", "igs-e2e-")
	if err != nil {
		return nil, nil, err
	}
	env := map[string]string{
		"IGS_DATA_DIR":          dir,
		"IGS_ASSET_ALLOW_HOSTS": "127.0.0.1",
		"IGS_POOL_SIZE":         "2",
		"IGS_QQ_AVATAR_URL":     fixture.srv.URL + "/headimg_dl?dst_uin={qq}",
	}
	cfg, err := config.Load(nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		return nil, nil, err
	}
	if mutate != nil {
		mutate(&cfg)
	}

	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a, err := app.New(cfg, log, opts)
	if err != nil {
		return nil, nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
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

	stop := func() {
		cancel()
		<-done
		os.RemoveAll(dir)
	}
	return &service{base: "http://" + ln.Addr().String(), app: a, dir: dir}, stop, nil
}

// reply is the generator's JSON response; raw keeps every key.
type reply struct {
	Retcode  int     `json:"retcode"`
	Message  string  `json:"message"`
	ErrorMsg string  `json:"ErrorMsg"`
	UseTime  float64 `json:"use_time"`
	URL      string  `json:"url"`
	raw      map[string]any
	header   http.Header
	status   int
}

func (s *service) post(t *testing.T, query string, body []byte) reply {
	t.Helper()
	resp, err := http.Post(s.base+"/generator/user_info?"+query, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)

	var r reply
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("reply %q is not JSON: %v", data, err)
	}
	json.Unmarshal(data, &r.raw)
	r.header = resp.Header
	r.status = resp.StatusCode
	return r
}

func (s *service) download(t *testing.T, path string) (image.Image, string, http.Header) {
	t.Helper()
	resp, err := http.Get(s.base + path)
	if err != nil {
		t.Fatalf("get %s: %v", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("get %s: status %d", path, resp.StatusCode)
	}
	img, format, err := image.Decode(resp.Body)
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return img, format, resp.Header
}

// countNear counts pixels within tol of c on every channel.
func countNear(img image.Image, c color.RGBA, tol int) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			if abs(int(r>>8)-int(c.R)) <= tol && abs(int(g>>8)-int(c.G)) <= tol && abs(int(bl>>8)-int(c.B)) <= tol {
				n++
			}
		}
	}
	return n
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func TestSamplesRenderThroughAPI(t *testing.T) {
	cases := []struct {
		style, width string
		w            int
		icons        bool
	}{
		{style: "fancy", w: 1080, icons: true},
		{style: "text", w: 800},
		{style: "adachi", w: 1454, icons: true},
		{style: "egenshin", w: 1080, icons: true},
	}
	for _, sample := range samples.Names() {
		for _, tc := range cases {
			t.Run(sample+"/"+tc.style, func(t *testing.T) {
				q := url.Values{
					"style":    {tc.style},
					"uid":      {"100012315"},
					"nickname": {"小灰灰"},
					"avatar":   {fixture.srv.URL + "/avatar.jpg"},
					"bg_url":   {fixture.srv.URL + "/bg.jpg"},
				}
				r := shared.post(t, q.Encode(), fixture.sampleBody(t, sample))
				if r.Retcode != 0 {
					t.Fatalf("retcode %d: %s", r.Retcode, r.Message)
				}
				if r.Message != "OK" {
					t.Errorf("message = %q, want OK", r.Message)
				}
				for _, key := range []string{"retcode", "message", "use_time", "url"} {
					if _, ok := r.raw[key]; !ok {
						t.Errorf("reply lacks %q", key)
					}
				}
				if !regexp.MustCompile(`^/image/[0-9]{14}-[A-Za-z0-9]{8}\.jpg$`).MatchString(r.URL) {
					t.Errorf("url %q has the wrong form", r.URL)
				}
				if r.UseTime <= 0 {
					t.Errorf("use_time = %v, want > 0", r.UseTime)
				}

				img, format, header := shared.download(t, r.URL)
				if format != "jpeg" {
					t.Errorf("format = %s, want jpeg", format)
				}
				if got := header.Get("Content-Type"); got != "image/jpeg" {
					t.Errorf("Content-Type = %q", got)
				}
				if !strings.Contains(header.Get("Cache-Control"), "max-age=") {
					t.Errorf("Cache-Control = %q, want a max-age", header.Get("Cache-Control"))
				}
				if got := img.Bounds().Dx(); got != tc.w {
					t.Errorf("width = %d, want %d", got, tc.w)
				}
				if img.Bounds().Dy() < 300 {
					t.Errorf("height = %d, want a whole card", img.Bounds().Dy())
				}

				// The second path serves the same file.
				img2, _, _ := shared.download(t, strings.Replace(r.URL, "/image/", "/images/", 1))
				if img2.Bounds() != img.Bounds() {
					t.Errorf("/images/ bounds %v differ from /image/ %v", img2.Bounds(), img.Bounds())
				}

				if tc.icons && sample == "index-42-avatars" {
					if n := countNear(img, iconColor, 40); n < 42*100 {
						t.Errorf("found %d icon-coloured pixels (sampled), want the 42 character icons drawn", n)
					}
					if n := countNear(img, avatarColor, 40); n < 500 {
						t.Errorf("found %d avatar-coloured pixels (sampled), want the avatar drawn", n)
					}
				}
			})
		}
	}
}

func TestOutputFormatsAndScale(t *testing.T) {
	body := fixture.sampleBody(t, "index-2023-uigf-doc-example")
	cases := []struct {
		query  string
		ext    string
		format string
		width  int
	}{
		{"style=fancy&type=png", "png", "png", 1080},
		{"style=fancy&type=webp&quality=80", "webp", "webp", 1080},
		{"style=fancy&type=jpeg&scale=2", "jpg", "jpeg", 2160},
		{"style=text&scale=1.5", "jpg", "jpeg", 1200},
		{"style=adachi&layout=portrait", "jpg", "jpeg", 600},
		{"", "jpg", "jpeg", 1080},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			r := shared.post(t, tc.query, body)
			if r.Retcode != 0 {
				t.Fatalf("retcode %d: %s", r.Retcode, r.Message)
			}
			if !strings.HasSuffix(r.URL, "."+tc.ext) {
				t.Errorf("url %q lacks .%s", r.URL, tc.ext)
			}
			img, format, _ := shared.download(t, r.URL)
			if format != tc.format {
				t.Errorf("format = %s, want %s", format, tc.format)
			}
			if got := img.Bounds().Dx(); got != tc.width {
				t.Errorf("width = %d, want %d", got, tc.width)
			}
		})
	}
}

func TestQQAvatarUsesTemplate(t *testing.T) {
	before := fixture.requests.Load()
	r := shared.post(t, "style=fancy&qid=123456789", fixture.sampleBody(t, "index-2023-uigf-doc-example"))
	if r.Retcode != 0 {
		t.Fatalf("retcode %d: %s", r.Retcode, r.Message)
	}
	img, _, _ := shared.download(t, r.URL)
	if n := countNear(img, avatarColor, 40); n < 500 {
		t.Errorf("found %d avatar-coloured pixels, want the QQ avatar drawn", n)
	}
	if fixture.requests.Load() == before {
		t.Error("the fixture server saw no request for the QQ avatar")
	}
}

func TestBadInputRetcodes(t *testing.T) {
	good := fixture.sampleBody(t, "index-2023-uigf-doc-example")
	big := append([]byte(`{"data":{"avatars":[],"pad":"`), bytes.Repeat([]byte("x"), 3<<20)...)
	big = append(big, `"}}`...)

	cases := []struct {
		name    string
		query   string
		body    []byte
		retcode int
		want    string // in the message
	}{
		{"not json", "style=fancy", []byte("hello"), 1, "JSON"},
		{"empty body", "style=fancy", nil, 1, "JSON"},
		{"array body", "style=fancy", []byte("[1,2]"), 1, "JSON"},
		{"over cap", "style=fancy", big, 1, "2 MiB"},
		{"avatars wrong type", "style=fancy", []byte(`{"retcode":0,"data":{"avatars":{}}}`), 1, "data.avatars"},
		{"level wrong type", "style=fancy", []byte(`{"data":{"avatars":[{"id":1,"level":"90"}]}}`), 1, "data.avatars[0].level"},
		{"upstream error", "style=fancy", []byte(`{"retcode":10102,"message":"Data is not public for the user","data":null}`), 1, "Data is not public"},
		{"bad type", "style=fancy&type=gif", good, 1, "type"},
		{"bad quality", "style=fancy&quality=0", good, 1, "quality"},
		{"bad scale", "style=fancy&scale=9", good, 1, "scale"},
		{"bad lang", "style=fancy&lang=fr", good, 1, "lang"},
		{"bad bg_url", "style=fancy&bg_url=file:///etc/passwd", good, 1, "bg_url"},
		{"bad avatar", "style=egenshin&avatar=abc", good, 1, "avatar"},
		{"bad max_chara", "style=egenshin&max_chara=0", good, 1, "max_chara"},
		{"bad layout", "style=adachi&layout=tall", good, 1, "layout"},
		{"unknown style", "style=nope", good, 3, "fancy"},
		{"malformed query", "style=fancy&uid=%zz", good, 1, "查询参数"},
		{"query over 64 KiB", "style=fancy&foo=" + strings.Repeat("a", 70<<10), good, 1, "65536"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := shared.post(t, tc.query, tc.body)
			if r.status != http.StatusOK {
				t.Errorf("HTTP status = %d, want 200", r.status)
			}
			if r.Retcode != tc.retcode {
				t.Fatalf("retcode = %d (%s), want %d", r.Retcode, r.Message, tc.retcode)
			}
			if !strings.Contains(r.Message, tc.want) {
				t.Errorf("message %q lacks %q", r.Message, tc.want)
			}
			if r.ErrorMsg != r.Message {
				t.Errorf("ErrorMsg %q differs from message %q", r.ErrorMsg, r.Message)
			}
			if r.URL != "" {
				t.Errorf("url = %q, want empty", r.URL)
			}
			if _, ok := r.raw["url"]; !ok {
				t.Error("reply lacks url")
			}
		})
	}
}

func TestErrorMessagesFollowLang(t *testing.T) {
	zh := shared.post(t, "style=fancy", []byte(`{"data":{"stats":{"spiral_abyss":12}}}`))
	en := shared.post(t, "style=fancy&lang=en", []byte(`{"data":{"stats":{"spiral_abyss":12}}}`))
	if !strings.Contains(zh.Message, "data.stats.spiral_abyss") || !strings.Contains(zh.Message, "类型错误") {
		t.Errorf("Chinese message = %q", zh.Message)
	}
	if !strings.Contains(en.Message, "data.stats.spiral_abyss") || !strings.Contains(en.Message, "wrong type") {
		t.Errorf("English message = %q", en.Message)
	}
}

func TestUnusedParamsIgnored(t *testing.T) {
	// max_chara is egenshin's; text reads no bg_url: both are ignored here.
	r := shared.post(t, "style=text&max_chara=abc&bg_url=notaurl&foo=bar&avatar=", fixture.sampleBody(t, "index-2023-uigf-doc-example"))
	if r.Retcode != 0 {
		t.Fatalf("retcode %d: %s", r.Retcode, r.Message)
	}
}

func TestDataObjectAloneAccepted(t *testing.T) {
	var whole struct {
		Data json.RawMessage `json:"data"`
	}
	json.Unmarshal(fixture.sampleBody(t, "index-42-avatars"), &whole)
	resp, err := http.Post(shared.base+"/generator/user_info?style=text", "text/plain", bytes.NewReader(whole.Data))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r reply
	json.NewDecoder(resp.Body).Decode(&r)
	if r.Retcode != 0 {
		t.Fatalf("retcode %d: %s", r.Retcode, r.Message)
	}
}

func TestImageNotFound(t *testing.T) {
	for _, path := range []string{
		"/image/20220323182608-IVoakzp3.jpg",
		"/images/nothing.jpg",
		"/image/..%2F..%2Fetc%2Fpasswd",
		"/image/",
		"/images/%2e%2e",
	} {
		resp, err := http.Get(shared.base + path)
		if err != nil {
			t.Fatal(err)
		}
		var r reply
		json.NewDecoder(resp.Body).Decode(&r)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, resp.StatusCode)
		}
		if r.Retcode != 4 {
			t.Errorf("GET %s: retcode %d, want 4", path, r.Retcode)
		}
	}
}

func TestFailedImagesStillRender(t *testing.T) {
	// Icons on a closed port: every fetch fails, the card still renders.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := "http://" + ln.Addr().String() + "/"
	ln.Close()
	body, _ := samples.Get("index-42-avatars")
	body = hostPattern.ReplaceAll(body, []byte(dead))

	r := shared.post(t, "style=fancy&avatar="+url.QueryEscape(dead+"a.png"), body)
	if r.Retcode != 0 {
		t.Fatalf("retcode %d: %s", r.Retcode, r.Message)
	}
	img, _, _ := shared.download(t, r.URL)
	if img.Bounds().Dx() != 1080 {
		t.Errorf("width = %d, want 1080", img.Bounds().Dx())
	}
}

// holdOrigin blocks Chrome's requests for fetched images until release.
type holdOrigin struct {
	mu      sync.Mutex
	hold    chan struct{}
	entered chan struct{}
}

func (h *holdOrigin) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		hold := h.hold
		h.mu.Unlock()
		if hold != nil && strings.HasPrefix(r.URL.Path, "/assets/") {
			select {
			case h.entered <- struct{}{}:
			default:
			}
			select {
			case <-hold:
			case <-r.Context().Done():
			}
		}
		next.ServeHTTP(w, r)
	})
}

func TestQueueFullAndTimeout(t *testing.T) {
	h := &holdOrigin{hold: make(chan struct{}), entered: make(chan struct{}, 1)}
	svc, stop, err := startService(func(c *config.Config) {
		c.Renderer.PoolSize = 1
		c.Renderer.QueueSize = 0
		c.Renderer.Timeout = 3 * time.Second
	}, app.Options{WrapOrigin: h.wrap})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()

	body := fixture.sampleBody(t, "index-2023-uigf-doc-example")
	first := make(chan reply, 1)
	go func() { first <- svc.post(t, "style=fancy", body) }()

	select {
	case <-h.entered:
	case <-time.After(20 * time.Second):
		t.Fatal("the first render never asked for an image")
	}

	start := time.Now()
	busy := svc.post(t, "style=fancy", body)
	if busy.Retcode != 2 {
		t.Errorf("busy retcode = %d (%s), want 2", busy.Retcode, busy.Message)
	}
	if busy.header.Get("Retry-After") == "" {
		t.Error("busy reply lacks Retry-After")
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("busy reply took %v, want an immediate answer", took)
	}

	timedOut := <-first
	if timedOut.Retcode != 2 || !strings.Contains(timedOut.Message, "超时") {
		t.Errorf("held render: retcode %d, message %q; want 2 and a timeout", timedOut.Retcode, timedOut.Message)
	}

	h.mu.Lock()
	close(h.hold)
	h.hold = nil
	h.mu.Unlock()
	after := svc.post(t, "style=fancy", body)
	if after.Retcode != 0 {
		t.Errorf("render after the timeout: retcode %d (%s), want 0", after.Retcode, after.Message)
	}
}

func TestQueueFullBeforeImageFetch(t *testing.T) {
	// The background of the first request hangs until released, and the
	// pool has one place: the second request must be rejected at once
	// instead of after its own image fetches.
	entered := make(chan struct{}, 1)
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case entered <- struct{}{}:
		default:
		}
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write(fixture.bg)
	}))
	defer hang.Close()
	defer close(release)

	svc, stop, err := startService(func(c *config.Config) {
		c.Renderer.PoolSize = 1
		c.Renderer.QueueSize = 0
		c.Assets.Budget = 20 * time.Second
	}, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()

	body := fixture.sampleBody(t, "index-2023-uigf-doc-example")
	first := make(chan reply, 1)
	go func() { first <- svc.post(t, "style=fancy&bg_url="+url.QueryEscape(hang.URL+"/bg.jpg"), body) }()
	select {
	case <-entered:
	case <-time.After(20 * time.Second):
		t.Fatal("the first request never fetched its background")
	}

	start := time.Now()
	busy := svc.post(t, "style=fancy", body)
	if busy.Retcode != 2 {
		t.Errorf("busy retcode = %d (%s), want 2", busy.Retcode, busy.Message)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("busy reply took %v, want an immediate answer", took)
	}

	release <- struct{}{}
	if r := <-first; r.Retcode != 0 {
		t.Errorf("first request: retcode %d (%s), want 0", r.Retcode, r.Message)
	}
}

func TestRepeatCacheSkipsPlaceholders(t *testing.T) {
	body := fixture.sampleBody(t, "index-2023-uigf-doc-example")

	// An identical request within the window gets the stored image.
	first := shared.post(t, "style=text&uid=7001", body)
	again := shared.post(t, "style=text&uid=7001", body)
	if first.Retcode != 0 || again.Retcode != 0 {
		t.Fatalf("retcodes %d (%s) and %d (%s), want 0", first.Retcode, first.Message, again.Retcode, again.Message)
	}
	if again.URL != first.URL {
		t.Errorf("repeated request got %s, want the stored %s", again.URL, first.URL)
	}

	// Nothing listens on port 1, so the background fails and the card
	// shows a placeholder. A retry must render again.
	query := "style=fancy&uid=7002&bg_url=" + url.QueryEscape("http://127.0.0.1:1/bg.jpg")
	broken := shared.post(t, query, body)
	retry := shared.post(t, query, body)
	if broken.Retcode != 0 || retry.Retcode != 0 {
		t.Fatalf("retcodes %d (%s) and %d (%s), want 0", broken.Retcode, broken.Message, retry.Retcode, retry.Message)
	}
	if retry.URL == broken.URL {
		t.Errorf("retry of a card with a missing image got the stored %s, want a new render", retry.URL)
	}
}

func TestStylesListed(t *testing.T) {
	resp, err := http.Get(shared.base + "/styles")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct {
		Default string `json:"default"`
		Styles  []struct {
			Name   string `json:"name"`
			Width  int    `json:"width"`
			Params []any  `json:"params"`
		} `json:"styles"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	if list.Default != "fancy" {
		t.Errorf("default = %q", list.Default)
	}
	names := map[string]bool{}
	for _, s := range list.Styles {
		names[s.Name] = true
	}
	for _, want := range []string{"fancy", "text", "adachi", "egenshin"} {
		if !names[want] {
			t.Errorf("style %s not listed", want)
		}
	}
}

func TestTooTallCardRejected(t *testing.T) {
	// 120 characters at scale 3 exceed WebP's 16383 px side: the reply names
	// the fix instead of returning a cut image.
	r := shared.post(t, "style=egenshin&scale=3&type=webp", fixture.sampleBody(t, "synthetic-120-characters"))
	if r.Retcode != 1 {
		t.Fatalf("retcode = %d (%s), want 1", r.Retcode, r.Message)
	}
	if !strings.Contains(r.Message, "scale") {
		t.Errorf("message %q does not name scale", r.Message)
	}
}

func TestUnknownRoutesReplyJSON(t *testing.T) {
	cases := []struct {
		method, path string
		status       int
		retcode      int
	}{
		{http.MethodGet, "/generator/user_info", http.StatusMethodNotAllowed, 1},
		{http.MethodGet, "/nonexistent", http.StatusNotFound, 4},
	}
	for _, tc := range cases {
		req, _ := http.NewRequest(tc.method, shared.base+tc.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var raw map[string]any
		err = json.NewDecoder(resp.Body).Decode(&raw)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("%s %s: reply is not JSON: %v", tc.method, tc.path, err)
		}
		if resp.StatusCode != tc.status {
			t.Errorf("%s %s: status %d, want %d", tc.method, tc.path, resp.StatusCode, tc.status)
		}
		if raw["retcode"] != float64(tc.retcode) {
			t.Errorf("%s %s: retcode %v, want %d", tc.method, tc.path, raw["retcode"], tc.retcode)
		}
		for _, key := range []string{"message", "use_time", "url"} {
			if _, ok := raw[key]; !ok {
				t.Errorf("%s %s: reply lacks %q", tc.method, tc.path, key)
			}
		}
	}
}

// TestOriginFilesStayFresh checks the headers of what Chrome loads. Chrome
// fetched a static or style file without freshness again for later cards.
func TestOriginFilesStayFresh(t *testing.T) {
	origin := shared.app.OriginHandler()
	for _, path := range []string{"/static/icons/heart.svg", "/static/css/base.css", "/styles/fancy/style.css"} {
		rec := httptest.NewRecorder()
		origin.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			t.Errorf("%s: status %d, want 200", path, rec.Code)
			continue
		}
		if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") {
			t.Errorf("%s: Cache-Control = %q, want max-age=31536000", path, cc)
		}
	}
}

// TestCardsLoadShrunkImages checks that the bundled styles draw character
// icons and the avatar from copies shrunk to their box.
func TestCardsLoadShrunkImages(t *testing.T) {
	var mu sync.Mutex
	var paths []string
	record := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			paths = append(paths, r.URL.Path)
			mu.Unlock()
			next.ServeHTTP(w, r)
		})
	}
	svc, stop, err := startService(nil, app.Options{WrapOrigin: record})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()

	shrunk := regexp.MustCompile(`^/assets/[0-9a-f]{32}-fit([0-9]+)x([0-9]+)\.png$`)
	// Chrome keeps every copy it loaded, so no two cases share a box.
	body := fixture.sampleBody(t, "index-42-avatars")
	for _, tc := range []struct {
		style, scale string
		boxes        []string // the boxes in device px: icon, avatar
	}{
		{"fancy", "1", []string{"90x90", "116x116"}},
		{"fancy", "3", []string{"270x270", "348x348"}},
		{"egenshin", "1", []string{"226x226", "256x256"}},
		{"adachi", "1", []string{"180x180", "160x160"}},
	} {
		t.Run(tc.style+"@"+tc.scale, func(t *testing.T) {
			mu.Lock()
			paths = nil
			mu.Unlock()
			q := url.Values{"style": {tc.style}, "scale": {tc.scale}, "uid": {"100012315"}, "avatar": {fixture.srv.URL + "/avatar.jpg"}}
			if r := svc.post(t, q.Encode(), body); r.Retcode != 0 {
				t.Fatalf("retcode %d: %s", r.Retcode, r.Message)
			}

			mu.Lock()
			defer mu.Unlock()
			// Backgrounds and region icons stay full, so only the boxes
			// are checked.
			boxes := map[string]int{}
			for _, p := range paths {
				if m := shrunk.FindStringSubmatch(p); m != nil {
					boxes[m[1]+"x"+m[2]]++
				}
			}
			for _, box := range tc.boxes {
				if boxes[box] == 0 {
					t.Errorf("no copy shrunk to %s loaded; shrunk copies by box: %v", box, boxes)
				}
			}
		})
	}
}
