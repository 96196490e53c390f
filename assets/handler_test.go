package assets

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHandlerServesAsset(t *testing.T) {
	p, _ := newTestPipeline(t, testConfig())
	data := encodePNG(t, patternImage(20, 10))
	url, err := p.Add(data)
	if err != nil {
		t.Fatalf("Add: %v", err)
	}

	server := httptest.NewServer(p.Handler())
	defer server.Close()

	resp, err := http.Get(server.URL + url)
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	resp.Body.Close()

	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d, want 200", resp.StatusCode)
	}

	headers := map[string]string{
		"Content-Type":           "image/png",
		"Cache-Control":          "public, max-age=31536000, immutable",
		"X-Content-Type-Options": "nosniff",
	}
	for name, want := range headers {
		if got := resp.Header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}

	head, err := http.Head(server.URL + url)
	if err != nil {
		t.Fatalf("HEAD: %v", err)
	}
	head.Body.Close()
	if head.StatusCode != http.StatusOK || head.ContentLength != int64(len(data)) {
		t.Errorf("HEAD = %d with Content-Length %d, want 200 with %d", head.StatusCode, head.ContentLength, len(data))
	}

	req, _ := http.NewRequest(http.MethodGet, server.URL+url, nil)
	req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
	revalidated, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("conditional GET: %v", err)
	}
	revalidated.Body.Close()
	if revalidated.StatusCode != http.StatusNotModified {
		t.Errorf("conditional GET status = %d, want 304", revalidated.StatusCode)
	}

	post, err := http.Post(server.URL+url, "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatalf("POST: %v", err)
	}
	post.Body.Close()
	if post.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST status = %d, want 405", post.StatusCode)
	}
}

func TestHandlerNotFound(t *testing.T) {
	p, _ := newTestPipeline(t, testConfig())
	url, err := p.Add(encodePNG(t, patternImage(20, 10)))
	if err != nil {
		t.Fatalf("Add: %v", err)
	}

	server := httptest.NewServer(p.Handler())
	defer server.Close()

	name := strings.TrimPrefix(url, "/assets/")
	id := strings.TrimSuffix(name, ".png")
	paths := []string{
		"/assets/00000000000000000000000000000000.png",
		"/assets/" + id + ".jpg",
		"/assets/" + strings.ToUpper(id) + ".png",
		"/assets/" + id + ".PNG",
		"/assets/" + id + ".png/",
		"/assets/" + id + ".png.png",
		"/assets/" + id,
		"/assets/" + id + "%2Epng",
		"/assets/%2e%2e/" + name,
		"/assets/../x",
		"/assets/../assets/" + name,
		"/assets/./" + name,
		"/assets//" + name,
		"/assets/x%2F" + name,
		"/assets/..%2F" + name,
		"/assets%2F" + name,
		"/assets/",
		"/assets",
		"/" + name,
		"/other/" + name,
		"/assets/" + id + "-blur0.jpg",
		"/assets/" + id + "-blur65.jpg",
		"/assets/" + id + "-blur07.jpg",
		"/assets/" + id + "-blur+7.jpg",
		"/assets/" + id + "-blur20.png",
		"/assets/" + id + "-blur20-blur20.jpg",
		"/assets/00000000000000000000000000000000-blur20.jpg",
	}

	status, _ := rawGet(t, server, url)
	if status != http.StatusOK {
		t.Fatalf("GET %s = %d, want 200 before checking the rejected paths", url, status)
	}

	for _, path := range paths {
		if status, _ := rawGet(t, server, path); status != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, status)
		}
	}
}
