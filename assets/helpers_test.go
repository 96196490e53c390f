package assets

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/igs-dev/igs/record"
)

// logBuffer collects JSON log lines from concurrent goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// entries returns the decoded log lines whose msg equals msg.
func (b *logBuffer) entries(t *testing.T, msg string) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()

	var found []map[string]any
	for line := range strings.SplitSeq(strings.TrimSpace(b.buf.String()), "\n") {
		if line == "" {
			continue
		}

		var entry map[string]any
		if err := json.Unmarshal([]byte(line), &entry); err != nil {
			t.Fatalf("log line %q is not JSON: %v", line, err)
		}

		if entry["msg"] == msg {
			found = append(found, entry)
		}
	}

	return found
}

// testConfig returns the default config with loopback test servers allowed.
func testConfig() Config {
	cfg := DefaultConfig()
	cfg.AllowHosts = []string{"127.0.0.1"}
	return cfg
}

// newTestPipeline returns a pipeline that logs JSON at debug level into the
// returned buffer.
func newTestPipeline(t testing.TB, cfg Config) (*Pipeline, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	p, err := New(cfg, log)
	if err != nil {
		t.Fatalf("New: %v", err)
	}

	return p, logs
}

// imageServer is a loopback HTTP server that counts requests per path.
type imageServer struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
}

// newImageServer serves mux on 127.0.0.1 and counts every request.
func newImageServer(t testing.TB, mux *http.ServeMux) *imageServer {
	t.Helper()
	return startImageServer(t, mux, "127.0.0.1:0")
}

func startImageServer(t testing.TB, mux *http.ServeMux, address string) *imageServer {
	t.Helper()
	s := &imageServer{hits: make(map[string]int)}
	listener, err := net.Listen("tcp", address)
	if err != nil {
		t.Fatalf("listen on %s: %v", address, err)
	}

	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	s.Listener.Close()
	s.Listener = listener
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func (s *imageServer) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func (s *imageServer) total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.hits {
		n += c
	}
	return n
}

// serveBytes registers a handler that responds to path with data and contentType.
func serveBytes(mux *http.ServeMux, path, contentType string, data []byte) {
	mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Write(data)
	})
}

// patternImage returns an NRGBA image with gradients and fine stripes, so
// that encoders and the blur have detail to work on.
func patternImage(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			stripe := uint8(0)
			if (x/3+y/5)%2 == 0 {
				stripe = 60
			}

			img.SetNRGBA(x, y, color.NRGBA{
				R: uint8(x*255/max(w-1, 1))/2 + stripe,
				G: uint8(y*255/max(h-1, 1))/2 + stripe,
				B: uint8((x+y)%256) / 2,
				A: 0xff,
			})
		}
	}

	return img
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatalf("encode jpeg: %v", err)
	}
	return buf.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatalf("encode png: %v", err)
	}
	return buf.Bytes()
}

func encodeGIF(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := gif.Encode(&buf, img, nil); err != nil {
		t.Fatalf("encode gif: %v", err)
	}
	return buf.Bytes()
}

// readTestdata returns a file of testdata/. The WebP files were made with
// ImageMagick 7 (libwebp 1.2.4):
//
//	convert -size 96x64 gradient:'#3060c0'-'#f0a030' -quality 80 gradient.lossy.webp
//	convert -size 96x64 gradient:'#3060c0'-'#f0a030' -define webp:lossless=true gradient.lossless.webp
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatalf("read testdata: %v", err)
	}
	return data
}

// pngHeader returns a PNG signature and IHDR chunk declaring w x h RGBA
// pixels, with no image data after it.
func pngHeader(w, h uint32) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:4], w)
	binary.BigEndian.PutUint32(ihdr[4:8], h)
	ihdr[8] = 8 // bit depth
	ihdr[9] = 6 // colour type RGBA

	var buf bytes.Buffer
	buf.WriteString("\x89PNG\r\n\x1a\n")
	binary.Write(&buf, binary.BigEndian, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr...)
	buf.Write(chunk)
	binary.Write(&buf, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return buf.Bytes()
}

// resolveOne resolves a single image and returns it.
func resolveOne(p *Pipeline, src string) *record.Image {
	img := &record.Image{Src: src}
	p.Resolve(context.Background(), []*record.Image{img})
	return img
}

// loadErr fetches src through the cache and returns the error, so that
// tests can check the sentinel that Resolve only logs.
func loadErr(p *Pipeline, src string) error {
	return p.load(context.Background(), src).err
}

// rawGet sends a GET for target exactly as written, bypassing the URL
// cleaning of http.Client, and returns the status code and body.
func rawGet(t *testing.T, server *httptest.Server, target string) (int, []byte) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", server.Listener.Addr().String(), 5*time.Second)
	if err != nil {
		t.Fatalf("dial handler: %v", err)
	}
	defer conn.Close()

	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := conn.Write([]byte("GET " + target + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")); err != nil {
		t.Fatalf("write request: %v", err)
	}

	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("read response for %q: %v", target, err)
	}
	defer resp.Body.Close()

	var body bytes.Buffer
	body.ReadFrom(resp.Body)
	return resp.StatusCode, body.Bytes()
}
