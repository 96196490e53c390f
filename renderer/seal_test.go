package renderer

import (
	"context"
	"image/color"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
)

// sealVector is one way a page can try to reach another server.
type sealVector struct {
	name string
	html string // {C} is the counting server, {WS} its WebSocket URL

	// The layers that block the vector on their own.
	byFetch, byPolicy, byProxy bool
}

var sealVectors = []sealVector{
	{"img", `<img src="{C}/img.png">`, true, true, true},
	{"stylesheet", `<link rel="stylesheet" href="{C}/style.css">`, true, true, true},
	{"css background", `<div style="width:10px;height:10px;background:url({C}/bg.png)"></div>`, true, true, true},
	{"iframe", `<iframe src="{C}/frame"></iframe>`, true, true, true},
	{"fetch", `<script>fetch("{C}/fetch").catch(() => {})</script>`, true, true, true},
	{"xhr", `<script>var x = new XMLHttpRequest(); x.open("GET", "{C}/xhr"); x.onerror = () => {}; x.send()</script>`, true, true, true},
	{"beacon", `<script>navigator.sendBeacon("{C}/beacon", "x")</script>`, true, true, true},
	{"remote host", `<img src="http://example.com/x.png"><iframe src="http://example.com/"></iframe>` +
		`<script>fetch("http://example.com/fetch").catch(() => {})</script>`, true, true, true},
	// The proxy refuses the refresh too, but then Chrome shows an error page
	// in place of the card, so the proxy-only pool does not render it.
	{"meta refresh", `<meta http-equiv="refresh" content="0;url={C}/refresh">`, true, false, false},
	{"websocket", `<script>try { new WebSocket("{WS}/ws").onerror = () => {} } catch (e) {}</script>`, false, true, true},
	{"preconnect", `<link rel="preconnect" href="{C}">`, false, false, true},
	// Chrome fetches speculation rules in the browser process, out of reach
	// of the interception of the tab and of the page policy.
	{"prerender", `<script type="speculationrules">{"prerender":[{"source":"list","urls":["{C}/prerender"]}]}</script>`, false, false, true},
}

// countingServer counts the connections and requests that reach it.
type countingServer struct {
	*httptest.Server
	mu       sync.Mutex
	conns    int
	requests []string
}

func newCountingServer(t *testing.T) *countingServer {
	t.Helper()
	s := &countingServer{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests = append(s.requests, r.URL.Path)
		s.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	s.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			s.mu.Lock()
			s.conns++
			s.mu.Unlock()
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func (s *countingServer) counts() (int, []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns, append([]string(nil), s.requests...)
}

func TestRenderIsSealed(t *testing.T) {
	needChrome(t)
	tests := []struct {
		name   string
		layers sealLayers
		// covers selects the vectors that the layers under test block.
		covers func(sealVector) bool
		// conns is true when the layers also stop TCP connections.
		conns bool
	}{
		{"all layers", sealLayers{}, func(sealVector) bool { return true }, true},
		{"proxy only", sealLayers{noFetch: true, noPolicy: true}, func(v sealVector) bool { return v.byProxy }, true},
		{"fetch only", sealLayers{noPolicy: true, noProxy: true}, func(v sealVector) bool { return v.byFetch }, false},
		{"policy only", sealLayers{noFetch: true, noProxy: true}, func(v sealVector) bool { return v.byPolicy }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var pool *Pool
			if tt.layers == (sealLayers{}) {
				pool = sharedPool(t)
			} else {
				pool = newPoolForTest(t, nil, tt.layers, nil)
			}
			counter := newCountingServer(t)

			var body strings.Builder
			var names []string
			for _, v := range sealVectors {
				if tt.covers(v) {
					body.WriteString(v.html)
					names = append(names, v.name)
				}
			}
			html := strings.NewReplacer("{C}", counter.URL, "{WS}", "ws"+strings.TrimPrefix(counter.URL, "http")).Replace(body.String())
			card := `<div id="card" style="width:200px;height:100px;position:relative">` +
				`<img src="/assets/red.png" style="position:absolute;left:0;top:0;width:100px;height:100px"></div>`
			t.Logf("vectors: %s", strings.Join(names, ", "))

			res := render(t, pool, Job{HTML: htmlPage("", card+html), Width: 200, Format: "png"})
			img := decode(t, "png", res.Data)
			if c := img.At(50, 50); !near(c, red, 8) {
				t.Errorf("asset image = %s, want red: the asset origin must stay reachable", rgb(c))
			}

			// Beacons, frames and speculation rules may send after the
			// render.
			time.Sleep(2 * time.Second)
			conns, requests := counter.counts()
			if len(requests) != 0 {
				t.Errorf("counting server got %d requests, want 0: %v", len(requests), requests)
			}
			if tt.conns && conns != 0 {
				t.Errorf("counting server got %d connections, want 0", conns)
			}

			// The tab still works after the page tried to leave.
			render(t, pool, Job{HTML: cardPage(50, 50, "#000", ""), Width: 50, Format: "png"})
		})
	}
}

// TestRenderSealControl renders each vector with every layer off, to show
// that it does reach the counting server. Without it, the seal test could pass
// with vectors that never fire.
func TestRenderSealControl(t *testing.T) {
	pool := newPoolForTest(t, nil, sealLayers{noFetch: true, noPolicy: true, noProxy: true}, nil)
	for _, v := range sealVectors {
		if v.name == "remote host" {
			continue // no network exists to watch it on
		}
		t.Run(v.name, func(t *testing.T) {
			counter := newCountingServer(t)
			html := strings.NewReplacer("{C}", counter.URL, "{WS}", "ws"+strings.TrimPrefix(counter.URL, "http")).Replace(v.html)
			render(t, pool, Job{HTML: htmlPage("", `<div id="card" style="width:50px;height:50px"></div>`+html), Width: 50, Format: "png"})

			deadline := time.Now().Add(5 * time.Second)
			for {
				conns, requests := counter.counts()
				// A preconnect opens a connection and sends nothing.
				if len(requests) > 0 || v.name == "preconnect" && conns > 0 {
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("unsealed vector made %d connections and no request", conns)
				}
				time.Sleep(50 * time.Millisecond)
			}
		})
	}
}

func TestSealAllowed(t *testing.T) {
	s := seal{originHost: "127.0.0.1:8000", blankURL: "http://127.0.0.1:8000" + blankPath}
	const top = "TOP"
	tests := []struct {
		url      string
		resource string
		frame    string
		want     bool
	}{
		{"http://127.0.0.1:8000/static/a.png", "Image", top, true},
		{"http://127.0.0.1:8000/_blank", "Document", top, true},
		{"http://127.0.0.1:8000/other", "Document", top, false},
		{"http://127.0.0.1:8000/static/frame.html", "Document", "CHILD", true},
		{"http://127.0.0.1:8001/static/a.png", "Image", top, false},
		{"https://127.0.0.1:8000/static/a.png", "Image", top, false},
		{"http://localhost:8000/static/a.png", "Image", top, false},
		{"http://user@127.0.0.1:8000/static/a.png", "Image", top, false},
		{"http://example.com/", "Document", "CHILD", false},
		{"ws://127.0.0.1:8000/ws", "WebSocket", top, false},
		{"::not a url", "Image", top, false},
	}
	for _, tt := range tests {
		ev := pausedRequest(tt.url, tt.resource, tt.frame)
		if got := s.allowed(&ev, top); got != tt.want {
			t.Errorf("allowed(%s %s in %s) = %v, want %v", tt.resource, tt.url, tt.frame, got, tt.want)
		}
	}
}

// TestRenderAfterBlockedNavigation checks that a page that navigates itself
// away on load keeps its document: the navigation is aborted, not replaced by
// an error page.
func TestRenderAfterBlockedNavigation(t *testing.T) {
	pool := newPoolForTest(t, nil, sealLayers{}, nil)
	html := htmlPage("", `<div id="card" style="width:100px;height:100px;background:#0f0"></div>`+
		`<script>addEventListener("load", () => { location.href = "/elsewhere" })</script>`)
	res := render(t, pool, Job{HTML: html, Width: 100, Format: "png"})
	img := decode(t, "png", res.Data)
	if c := img.At(50, 50); !near(c, color.RGBA{G: 255, A: 255}, 8) {
		t.Errorf("card = %s, want green", rgb(c))
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := pool.Render(ctx, Job{HTML: cardPage(60, 60, "#00f", ""), Width: 60, Format: "png"}); err != nil {
		t.Fatalf("next render: %v", err)
	}
}

func pausedRequest(url, resource, frame string) fetch.EventRequestPaused {
	return fetch.EventRequestPaused{
		Request:      &network.Request{URL: url},
		ResourceType: network.ResourceType(resource),
		FrameID:      cdp.FrameID(frame),
	}
}
