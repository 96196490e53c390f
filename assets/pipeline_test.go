package assets

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/igs-dev/igs/record"
)

var assetURLPattern = regexp.MustCompile(`^/assets/[0-9a-f]{32}\.(jpg|png|gif|webp)$`)

func TestResolveFormats(t *testing.T) {
	pattern := patternImage(96, 64)
	cases := []struct {
		name        string
		data        []byte
		ext         string
		contentType string
	}{
		{"jpeg", encodeJPEG(t, pattern), "jpg", "image/jpeg"},
		{"png", encodePNG(t, pattern), "png", "image/png"},
		{"gif", encodeGIF(t, pattern), "gif", "image/gif"},
		{"webp lossy", readTestdata(t, "gradient.lossy.webp"), "webp", "image/webp"},
		{"webp lossless", readTestdata(t, "gradient.lossless.webp"), "webp", "image/webp"},
	}

	mux := http.NewServeMux()
	for i, c := range cases {
		// A wrong Content-Type shows that the format comes from the bytes.
		serveBytes(mux, fmt.Sprintf("/img/%d", i), "application/octet-stream", c.data)
	}

	origin := newImageServer(t, mux)
	p, logs := newTestPipeline(t, testConfig())
	handler := httptest.NewServer(p.Handler())
	defer handler.Close()

	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img := resolveOne(p, fmt.Sprintf("%s/img/%d", origin.URL, i))
			if !img.OK {
				t.Fatalf("OK = false, log: %v", logs.entries(t, "image fetch failed"))
			}

			if !assetURLPattern.MatchString(img.URL) || !strings.HasSuffix(img.URL, "."+c.ext) {
				t.Fatalf("URL = %q, want /assets/<32 hex>.%s", img.URL, c.ext)
			}

			resp, err := http.Get(handler.URL + img.URL)
			if err != nil {
				t.Fatalf("get asset: %v", err)
			}
			defer resp.Body.Close()

			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status = %d, want 200", resp.StatusCode)
			}

			if got := resp.Header.Get("Content-Type"); got != c.contentType {
				t.Errorf("Content-Type = %q, want %q", got, c.contentType)
			}

			if string(body) != string(c.data) {
				t.Errorf("served %d bytes that differ from the %d fetched bytes", len(body), len(c.data))
			}
		})
	}
}

func TestResolveDeduplicatesAndResets(t *testing.T) {
	mux := http.NewServeMux()
	serveBytes(mux, "/a.png", "image/png", encodePNG(t, patternImage(8, 8)))
	origin := newImageServer(t, mux)
	p, logs := newTestPipeline(t, testConfig())

	src := origin.URL + "/a.png"
	first, second := &record.Image{Src: src}, &record.Image{Src: src}
	empty := &record.Image{URL: "/stale", OK: true}
	p.Resolve(context.Background(), []*record.Image{first, nil, second, empty})

	if got := origin.count("/a.png"); got != 1 {
		t.Errorf("server hits = %d, want 1 for a repeated Src", got)
	}

	if !first.OK || !second.OK || first.URL != second.URL {
		t.Errorf("repeated Src got %+v and %+v, want the same fetched URL", first, second)
	}

	if empty.OK || empty.URL != "" {
		t.Errorf("empty Src got %+v, want URL \"\" and OK false", empty)
	}

	if warns := logs.entries(t, "image fetch failed"); len(warns) != 0 {
		t.Errorf("empty Src logged %d failures, want none", len(warns))
	}
}

func TestResolveCacheHitSkipsServer(t *testing.T) {
	mux := http.NewServeMux()
	serveBytes(mux, "/a.jpg", "image/jpeg", encodeJPEG(t, patternImage(16, 16)))
	origin := newImageServer(t, mux)
	p, _ := newTestPipeline(t, testConfig())

	first := resolveOne(p, origin.URL+"/a.jpg")
	second := resolveOne(p, origin.URL+"/a.jpg")

	if got := origin.count("/a.jpg"); got != 1 {
		t.Errorf("server hits = %d after two resolves, want 1", got)
	}

	if !second.OK || second.URL != first.URL {
		t.Errorf("cached resolve = %+v, want %q", second, first.URL)
	}
}

func TestResolveConcurrentRequestsShareFetch(t *testing.T) {
	release := make(chan struct{})
	data := encodePNG(t, patternImage(8, 8))
	mux := http.NewServeMux()
	mux.HandleFunc("/slow.png", func(w http.ResponseWriter, r *http.Request) {
		<-release
		w.Write(data)
	})
	origin := newImageServer(t, mux)
	p, _ := newTestPipeline(t, testConfig())

	const callers = 8
	images := make([]*record.Image, callers)
	var wg sync.WaitGroup
	for i := range callers {
		images[i] = &record.Image{Src: origin.URL + "/slow.png"}
		wg.Go(func() {
			p.Resolve(context.Background(), []*record.Image{images[i]})
		})
	}

	// Give every caller time to join the fetch before the server responds.
	time.Sleep(200 * time.Millisecond)
	close(release)
	wg.Wait()

	if got := origin.count("/slow.png"); got != 1 {
		t.Errorf("server hits = %d for %d concurrent callers, want 1", got, callers)
	}

	for i, img := range images {
		if !img.OK {
			t.Errorf("caller %d: OK = false", i)
		}
	}
}

// testClock is a settable clock for the failure memory.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestResolveRemembersFailureForTTL(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusBadGateway)
	})
	origin := newImageServer(t, mux)

	cfg := testConfig()
	cfg.FailureTTL = 30 * time.Second
	p, logs := newTestPipeline(t, cfg)
	clock := &testClock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	p.now = clock.Now

	src := origin.URL + "/broken"
	if img := resolveOne(p, src); img.OK {
		t.Fatalf("first resolve OK = true for a 502")
	}

	clock.Advance(29 * time.Second)
	if img := resolveOne(p, src); img.OK || img.URL != "" {
		t.Errorf("remembered failure resolved to %+v", img)
	}

	if got := origin.count("/broken"); got != 1 {
		t.Errorf("server hits within FailureTTL = %d, want 1", got)
	}

	if err := loadErr(p, src); !errors.Is(err, ErrStatus) {
		t.Errorf("remembered error = %v, want ErrStatus", err)
	}

	clock.Advance(2 * time.Second)
	resolveOne(p, src)
	if got := origin.count("/broken"); got != 2 {
		t.Errorf("server hits after FailureTTL = %d, want 2", got)
	}

	warns := logs.entries(t, "image fetch failed")
	if len(warns) != 3 {
		t.Fatalf("warn lines = %d, want one per resolve (3)", len(warns))
	}

	if !strings.Contains(warns[1]["reason"].(string), "remembered") {
		t.Errorf("second warn reason = %q, want it marked as remembered", warns[1]["reason"])
	}
	// Only fresh failures are warnings; a remembered repeat is debug noise.
	for i, want := range []string{"WARN", "DEBUG", "WARN"} {
		if got := warns[i]["level"]; got != want {
			t.Errorf("line %d level = %v, want %s", i, got, want)
		}
	}
}

func TestResolveStopsAtBudget(t *testing.T) {
	data := encodePNG(t, patternImage(8, 8))
	mux := http.NewServeMux()
	serveBytes(mux, "/fast.png", "image/png", data)
	mux.HandleFunc("/slow.png", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(20 * time.Second):
		}
	})
	origin := newImageServer(t, mux)

	cfg := testConfig()
	cfg.Budget = 300 * time.Millisecond
	p, logs := newTestPipeline(t, cfg)

	fast := &record.Image{Src: origin.URL + "/fast.png"}
	slow := &record.Image{Src: origin.URL + "/slow.png"}
	start := time.Now()
	p.Resolve(context.Background(), []*record.Image{fast, slow})
	elapsed := time.Since(start)

	if elapsed < cfg.Budget {
		t.Errorf("Resolve returned after %s, before the %s budget", elapsed, cfg.Budget)
	}

	// The bound is loose so that a loaded CI machine does not fail it. A
	// Resolve that waited for the server would take 20s.
	if elapsed > cfg.Budget+2*time.Second {
		t.Errorf("Resolve returned after %s, want about %s", elapsed, cfg.Budget)
	}

	if !fast.OK {
		t.Errorf("fast image OK = false")
	}

	if slow.OK || slow.URL != "" {
		t.Errorf("slow image = %+v, want URL \"\" and OK false", slow)
	}

	warns := logs.entries(t, "image fetch failed")
	if len(warns) != 1 || warns[0]["url"] != slow.Src {
		t.Fatalf("warn lines = %v, want one for %s", warns, slow.Src)
	}

	if reason := warns[0]["reason"].(string); !strings.Contains(reason, ErrTimeout.Error()) {
		t.Errorf("reason = %q, want it to contain %q", reason, ErrTimeout.Error())
	}
}

func TestResolveCallerCancelled(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/slow.png", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	origin := newImageServer(t, mux)
	cfg := testConfig()
	cfg.Budget = 500 * time.Millisecond
	p, logs := newTestPipeline(t, cfg)

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	img := &record.Image{Src: origin.URL + "/slow.png"}
	start := time.Now()
	p.Resolve(ctx, []*record.Image{img})

	if elapsed := time.Since(start); elapsed >= cfg.Budget {
		t.Errorf("Resolve returned after %s, want it to stop at the cancel before the %s budget", elapsed, cfg.Budget)
	}

	if img.OK {
		t.Errorf("OK = true for a cancelled fetch")
	}

	if warns := logs.entries(t, "image fetch failed"); len(warns) != 0 {
		t.Errorf("cancelled fetch logged %d warn lines, want 0", len(warns))
	}

	if infos := logs.entries(t, "image fetch cancelled by caller"); len(infos) != 1 {
		t.Errorf("cancel info lines = %d, want 1", len(infos))
	}
}

func TestResolveLogsEachFailedURLOnce(t *testing.T) {
	mux := http.NewServeMux()
	serveBytes(mux, "/page.html", "text/html", []byte("<!doctype html><p>hi</p>"))
	origin := newImageServer(t, mux)
	p, logs := newTestPipeline(t, testConfig())

	html := origin.URL + "/page.html"
	missing := origin.URL + "/missing.png"
	p.Resolve(context.Background(), []*record.Image{{Src: html}, {Src: missing}, {Src: html}, {Src: missing}})

	warns := logs.entries(t, "image fetch failed")
	if len(warns) != 2 {
		t.Fatalf("warn lines = %d, want 2 (one per failed URL)", len(warns))
	}

	reasons := map[any]string{}
	for _, w := range warns {
		if w["level"] != "WARN" {
			t.Errorf("level = %v, want WARN", w["level"])
		}
		reasons[w["url"]] = w["reason"].(string)
	}

	if !strings.Contains(reasons[html], ErrNotImage.Error()) {
		t.Errorf("reason for HTML = %q, want %q", reasons[html], ErrNotImage)
	}

	if !strings.Contains(reasons[missing], "404") {
		t.Errorf("reason for missing = %q, want the 404 status", reasons[missing])
	}
}

func TestFetchRedirects(t *testing.T) {
	mux := http.NewServeMux()
	serveBytes(mux, "/img.png", "image/png", encodePNG(t, patternImage(8, 8)))
	for i := 1; i <= 4; i++ {
		next := "/img.png"
		if i > 1 {
			next = fmt.Sprintf("/r%d", i-1)
		}
		mux.Handle(fmt.Sprintf("/r%d", i), http.RedirectHandler(next, http.StatusFound))
	}
	mux.HandleFunc("/to-file", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	origin := newImageServer(t, mux)
	p, _ := newTestPipeline(t, testConfig())

	if img := resolveOne(p, origin.URL+"/r3"); !img.OK {
		t.Errorf("three redirects: OK = false")
	}

	if err := loadErr(p, origin.URL+"/r4"); !errors.Is(err, ErrTooManyRedirects) {
		t.Errorf("four redirects: err = %v, want ErrTooManyRedirects", err)
	}

	if err := loadErr(p, origin.URL+"/to-file"); !errors.Is(err, ErrScheme) {
		t.Errorf("redirect to file: err = %v, want ErrScheme", err)
	}
}

func TestFetchRedirectToForbiddenAddress(t *testing.T) {
	// 127.0.0.2 is loopback as well, but only 127.0.0.1 is allowed.
	target := startImageServer(t, http.NewServeMux(), "127.0.0.2:0")
	mux := http.NewServeMux()
	mux.Handle("/jump", http.RedirectHandler(target.URL+"/secret.png", http.StatusFound))
	origin := newImageServer(t, mux)

	cfg := testConfig()
	cfg.AllowHosts = []string{"127.0.0.1/32"}
	p, _ := newTestPipeline(t, cfg)

	err := loadErr(p, origin.URL+"/jump")
	if !errors.Is(err, ErrForbiddenAddress) {
		t.Errorf("err = %v, want ErrForbiddenAddress", err)
	}

	if got := origin.count("/jump"); got != 1 {
		t.Errorf("allowed host hits = %d, want 1", got)
	}

	if got := target.total(); got != 0 {
		t.Errorf("forbidden host hits = %d, want 0", got)
	}
}

func TestFetchAddressRules(t *testing.T) {
	mux := http.NewServeMux()
	serveBytes(mux, "/a.png", "image/png", encodePNG(t, patternImage(8, 8)))
	origin := newImageServer(t, mux)
	port := origin.Listener.Addr().(interface{ String() string }).String()
	port = port[strings.LastIndex(port, ":")+1:]

	cases := []struct {
		name    string
		allow   []string
		host    string
		allowed bool
	}{
		{"loopback without allow", nil, "127.0.0.1", false},
		{"localhost without allow", nil, "localhost", false},
		{"localhost allowed by name", []string{"localhost"}, "localhost", true},
		{"localhost name with other case", []string{"LocalHost."}, "localhost", true},
		{"localhost allowed by its IP", []string{"127.0.0.1"}, "localhost", true},
		{"IP allowed", []string{"127.0.0.1"}, "127.0.0.1", true},
		{"CIDR allowed", []string{"127.0.0.0/8"}, "127.0.0.1", true},
		{"other CIDR", []string{"10.0.0.0/8", "192.168.0.0/16"}, "127.0.0.1", false},
		{"other name", []string{"example.com"}, "127.0.0.1", false},
		{"IPv4-mapped loopback", nil, "[::ffff:127.0.0.1]", false},
		{"IPv4-mapped loopback allowed", []string{"127.0.0.1"}, "[::ffff:127.0.0.1]", true},
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.AllowHosts = c.allow
			p, _ := newTestPipeline(t, cfg)

			before := origin.count("/a.png")
			err := loadErr(p, "http://"+c.host+":"+port+"/a.png")
			reached := origin.count("/a.png") - before

			if c.allowed {
				if err != nil {
					t.Fatalf("err = %v, want success", err)
				}
				return
			}

			if !errors.Is(err, ErrForbiddenAddress) {
				t.Errorf("err = %v, want ErrForbiddenAddress", err)
			}

			if reached != 0 {
				t.Errorf("server hits = %d, want 0", reached)
			}
		})
	}
}

func TestFetchRejectsURL(t *testing.T) {
	cases := []struct {
		src  string
		want error
	}{
		{"ftp://127.0.0.1/a.png", ErrScheme},
		{"file:///etc/passwd", ErrScheme},
		{"data:image/png;base64,iVBORw0KGgo=", ErrScheme},
		{"javascript:alert(1)", ErrScheme},
		{"//127.0.0.1/a.png", ErrScheme},
		{"http:///a.png", ErrInvalidURL},
		{"http://user:secret@127.0.0.1/a.png", ErrInvalidURL},
		{"http://127.0.0.1:bad/a.png", ErrInvalidURL},
	}

	p, _ := newTestPipeline(t, testConfig())
	for _, c := range cases {
		if err := loadErr(p, c.src); !errors.Is(err, c.want) {
			t.Errorf("%q: err = %v, want %v", c.src, err, c.want)
		}
	}
}

func TestFetchBodyOverCap(t *testing.T) {
	data := encodePNG(t, patternImage(64, 64))
	mux := http.NewServeMux()
	serveBytes(mux, "/sized.png", "image/png", data)
	mux.HandleFunc("/chunked.png", func(w http.ResponseWriter, r *http.Request) {
		// Flushing before the end sends the body chunked, without Content-Length.
		half := len(data) / 2
		w.Write(data[:half])
		w.(http.Flusher).Flush()
		w.Write(data[half:])
	})
	origin := newImageServer(t, mux)

	cfg := testConfig()
	cfg.MaxBytes = int64(len(data) - 1)
	p, _ := newTestPipeline(t, cfg)

	for _, path := range []string{"/sized.png", "/chunked.png"} {
		if err := loadErr(p, origin.URL+path); !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s: err = %v, want ErrTooLarge", path, err)
		}
	}

	cfg.MaxBytes = int64(len(data))
	exact, _ := newTestPipeline(t, cfg)
	if err := loadErr(exact, origin.URL+"/chunked.png"); err != nil {
		t.Errorf("body of exactly MaxBytes: err = %v, want success", err)
	}
}

func TestFetchRejectsBadContent(t *testing.T) {
	valid := encodePNG(t, patternImage(32, 32))
	cases := []struct {
		name string
		body []byte
		want error
	}{
		{"HTML", []byte("<!DOCTYPE html><html><body>not found</body></html>"), ErrNotImage},
		{"SVG", []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>`), ErrNotImage},
		{"SVG with XML prolog", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`), ErrNotImage},
		{"empty", nil, ErrNotImage},
		{"BMP", append([]byte("BM"), make([]byte, 64)...), ErrNotImage},
		{"huge PNG header", pngHeader(100000, 100000), ErrTooManyPixels},
		{"PNG wider than MaxSide", pngHeader(4097, 10), ErrTooManyPixels},
		{"PNG over MaxPixels", pngHeader(4096, 4000), ErrTooManyPixels},
		{"truncated PNG", valid[:len(valid)/2], ErrDecode},
		{"PNG header only", pngHeader(10, 10), ErrDecode},
	}

	mux := http.NewServeMux()
	for i, c := range cases {
		serveBytes(mux, fmt.Sprintf("/%d", i), "image/png", c.body)
	}
	origin := newImageServer(t, mux)
	p, _ := newTestPipeline(t, testConfig())

	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := loadErr(p, fmt.Sprintf("%s/%d", origin.URL, i))
			if !errors.Is(err, c.want) {
				t.Errorf("err = %v, want %v", err, c.want)
			}
		})
	}
}

func TestFetchStatus(t *testing.T) {
	origin := newImageServer(t, http.NewServeMux())
	p, _ := newTestPipeline(t, testConfig())

	err := loadErr(p, origin.URL+"/missing.png")
	if !errors.Is(err, ErrStatus) || !strings.Contains(err.Error(), "404") {
		t.Errorf("err = %v, want ErrStatus with 404", err)
	}
}

func TestCacheEvictsLeastRecentlyUsed(t *testing.T) {
	mux := http.NewServeMux()
	sizer, _ := newTestPipeline(t, testConfig())
	var total int64
	for i, name := range []string{"/a.png", "/b.png", "/c.png"} {
		data := encodePNG(t, patternImage(40+i, 40))
		a, err := sizer.newAsset(data)
		if err != nil {
			t.Fatalf("newAsset: %v", err)
		}

		total += a.size()
		serveBytes(mux, name, "image/png", data)
	}
	origin := newImageServer(t, mux)

	cfg := testConfig()
	// Room for two of the three images, but not for all three.
	cfg.CacheBytes = total - 1
	cfg.MaxBytes = cfg.CacheBytes
	p, _ := newTestPipeline(t, cfg)

	resolveOne(p, origin.URL+"/a.png")
	resolveOne(p, origin.URL+"/b.png")
	resolveOne(p, origin.URL+"/a.png") // a becomes the most recently used
	resolveOne(p, origin.URL+"/c.png") // evicts b

	if size, _ := p.store.usage(); size > cfg.CacheBytes {
		t.Errorf("cache size = %d, over the limit of %d", size, cfg.CacheBytes)
	}

	resolveOne(p, origin.URL+"/a.png")
	if got := origin.count("/a.png"); got != 1 {
		t.Errorf("a hits = %d, want 1 (kept as recently used)", got)
	}

	resolveOne(p, origin.URL+"/b.png")
	if got := origin.count("/b.png"); got != 2 {
		t.Errorf("b hits = %d, want 2 (evicted, then fetched again)", got)
	}
}

func TestSameContentSharesURL(t *testing.T) {
	data := encodeGIF(t, patternImage(12, 12))
	mux := http.NewServeMux()
	serveBytes(mux, "/one.gif", "image/gif", data)
	serveBytes(mux, "/two.gif", "image/gif", data)
	origin := newImageServer(t, mux)
	p, _ := newTestPipeline(t, testConfig())

	one := resolveOne(p, origin.URL+"/one.gif")
	two := resolveOne(p, origin.URL+"/two.gif")
	if !one.OK || one.URL != two.URL {
		t.Errorf("URLs = %q and %q, want one content URL", one.URL, two.URL)
	}

	if _, entries := p.store.usage(); entries != 1 {
		t.Errorf("cache entries = %d, want 1", entries)
	}
}

func TestAdd(t *testing.T) {
	cfg := testConfig()
	cfg.MaxBytes = 1024
	cfg.CacheBytes = 1024
	p, _ := newTestPipeline(t, cfg)

	data := encodeJPEG(t, patternImage(200, 100))
	if len(data) <= int(cfg.MaxBytes) {
		t.Fatalf("test image has %d bytes, want more than MaxBytes", len(data))
	}

	url, err := p.Add(data)
	if err != nil {
		t.Fatalf("Add: %v", err)
	}

	if !assetURLPattern.MatchString(url) || !strings.HasSuffix(url, ".jpg") {
		t.Errorf("URL = %q, want /assets/<id>.jpg", url)
	}

	// The caller may reuse its slice, so Add must keep a copy.
	want := string(data)
	clear(data)

	handler := httptest.NewServer(p.Handler())
	defer handler.Close()
	status, body := rawGet(t, handler, url)
	if status != http.StatusOK || string(body) != want {
		t.Errorf("GET %s = %d with %d bytes, want 200 with the added bytes", url, status, len(body))
	}

	if _, err := p.Add([]byte("<svg/>")); !errors.Is(err, ErrNotImage) {
		t.Errorf("Add(svg) err = %v, want ErrNotImage", err)
	}

	if _, err := p.Add(pngHeader(100000, 100000)); !errors.Is(err, ErrTooManyPixels) {
		t.Errorf("Add(huge) err = %v, want ErrTooManyPixels", err)
	}
}
