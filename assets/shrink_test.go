package assets

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestShrinkURL(t *testing.T) {
	id := strings.Repeat("cd", 16)
	cases := []struct {
		url           string
		width, height int
		scale         float64
		want          string
	}{
		{"/assets/" + id + ".png", 90, 90, 1, "/assets/" + id + "-fit90x90.png"},
		{"/assets/" + id + ".jpg", 116, 116, 2, "/assets/" + id + "-fit232x232.png"},
		{"/assets/" + id + ".webp", 91, 40, 1.5, "/assets/" + id + "-fit137x60.png"},
		{"/assets/" + id + ".png", 341, 10, 3, "/assets/" + id + "-fit1023x30.png"},
		// Unchanged: a box too large, empty or at no scale, another URL, a copy.
		{"/assets/" + id + ".png", 342, 10, 3, "/assets/" + id + ".png"},
		{"/assets/" + id + ".png", 0, 90, 1, "/assets/" + id + ".png"},
		{"/assets/" + id + ".png", 90, -1, 1, "/assets/" + id + ".png"},
		{"/assets/" + id + ".png", 90, 90, 0, "/assets/" + id + ".png"},
		{"/assets/" + id + ".png", 90, 90, math.NaN(), "/assets/" + id + ".png"},
		{"/assets/" + id + "-blur20.jpg", 90, 90, 1, "/assets/" + id + "-blur20.jpg"},
		{"/assets/" + id + "-fit90x90.png", 45, 45, 1, "/assets/" + id + "-fit90x90.png"},
		{"/static/icons/heart.svg", 90, 90, 1, "/static/icons/heart.svg"},
		{"https://example.com/a.png", 90, 90, 1, "https://example.com/a.png"},
		{"/assets/" + id + ".png?x=1", 90, 90, 1, "/assets/" + id + ".png?x=1"},
		{"", 90, 90, 1, ""},
	}
	for _, c := range cases {
		if got := ShrinkURL(c.url, c.width, c.height, c.scale); got != c.want {
			t.Errorf("ShrinkURL(%q, %d, %d, %g) = %q, want %q", c.url, c.width, c.height, c.scale, got, c.want)
		}
	}
}

func TestParseShrinkName(t *testing.T) {
	id := strings.Repeat("ef", 16)
	good := map[string]assetName{
		id + "-fit90x90.png":   {id: id, ext: "png", boxWidth: 90, boxHeight: 90},
		id + "-fit1x1024.png":  {id: id, ext: "png", boxWidth: 1, boxHeight: 1024},
		id + "-fit232x116.png": {id: id, ext: "png", boxWidth: 232, boxHeight: 116},
	}
	for name, want := range good {
		got, ok := parseAssetName(name)
		if !ok || got != want {
			t.Errorf("parseAssetName(%q) = %+v, %v; want %+v", name, got, ok, want)
			continue
		}
		if got.String() != name {
			t.Errorf("%q parses and prints as %q", name, got.String())
		}
	}

	for _, name := range []string{
		id + "-fit090x90.png", id + "-fit90x090.png", id + "-fit0x90.png", id + "-fit90x1025.png",
		id + "-fit90x90.jpg", id + "-fit90.png", id + "-fit90x.png", id + "-fitx90.png", id + "-fit-9x90.png",
		id + "-fit+9x90.png", id[1:] + "-fit90x90.png", strings.ToUpper(id) + "-fit90x90.png",
		id + "-fit90x90-blur2.png", id + "-blur2-fit90x90.png",
	} {
		if got, ok := parseAssetName(name); ok {
			t.Errorf("parseAssetName(%q) = %+v, want no match", name, got)
		}
	}
}

// withChunk returns a PNG with a chunk of the given type inserted after its
// header chunk.
func withChunk(data []byte, kind string, payload []byte) []byte {
	const headerEnd = 8 + 12 + 13
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(payload)))
	chunk = append(chunk, kind...)
	chunk = append(chunk, payload...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	out := append([]byte(nil), data[:headerEnd]...)
	out = append(out, chunk...)
	return append(out, data[headerEnd:]...)
}

func TestPlainPNG(t *testing.T) {
	plain := encodePNG(t, patternImage(20, 20))
	if !plainPNG(plain) {
		t.Error("plainPNG(plain PNG) = false, want true")
	}
	for _, kind := range []string{"gAMA", "cHRM", "iCCP", "eXIf"} {
		if plainPNG(withChunk(plain, kind, []byte{0, 1, 0x86, 0xa0})) {
			t.Errorf("plainPNG(PNG with %s) = true, want false", kind)
		}
	}
	if !plainPNG(withChunk(plain, "sRGB", []byte{0})) {
		t.Error("plainPNG(PNG with sRGB) = false, want true")
	}
	if plainPNG(plain[:20]) {
		t.Error("plainPNG(truncated PNG) = true, want false")
	}
}

func TestCoverSize(t *testing.T) {
	cases := []struct {
		w, h, bw, bh int
		ww, wh       int
		shrunk       bool
	}{
		{256, 256, 90, 90, 90, 90, true},
		{300, 150, 90, 90, 180, 90, true},
		{150, 300, 90, 90, 90, 180, true},
		{256, 256, 226, 100, 226, 226, true},
		{64, 64, 90, 90, 64, 64, false},
		{256, 256, 256, 256, 256, 256, false},
		{1000, 1, 10, 10, 1000, 1, false},
		{1000, 3, 10, 1, 334, 1, true},
	}
	for _, c := range cases {
		w, h, shrunk := coverSize(c.w, c.h, c.bw, c.bh)
		if w != c.ww || h != c.wh || shrunk != c.shrunk {
			t.Errorf("coverSize(%d, %d, %d, %d) = %d, %d, %v; want %d, %d, %v", c.w, c.h, c.bw, c.bh, w, h, shrunk, c.ww, c.wh, c.shrunk)
		}
	}
}

// halfTransparent returns a w x h image whose left half is opaque red and
// whose right half is transparent.
func halfTransparent(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w / 2 {
			img.SetNRGBA(x, y, color.NRGBA{R: 255, A: 255})
		}
	}
	return img
}

func TestShrinkVariant(t *testing.T) {
	p, logs := newTestPipeline(t, testConfig())
	server := httptest.NewServer(p.Handler())
	defer server.Close()

	add := func(data []byte) string {
		t.Helper()
		url, err := p.Add(data)
		if err != nil {
			t.Fatalf("Add: %v", err)
		}
		return url
	}
	icon := add(encodePNG(t, halfTransparent(256, 256)))
	wide := add(encodePNG(t, patternImage(300, 150)))

	get := func(url string) (*http.Response, []byte) {
		t.Helper()
		resp, err := http.Get(server.URL + url)
		if err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d; log: %v", url, resp.StatusCode, logs.entries(t, "shrink image failed"))
		}
		return resp, body
	}

	t.Run("icon keeps its transparency", func(t *testing.T) {
		resp, body := get(ShrinkURL(icon, 45, 45, 2))
		if got := resp.Header.Get("Content-Type"); got != "image/png" {
			t.Errorf("Content-Type = %q, want image/png", got)
		}
		if got := resp.Header.Get("Cache-Control"); !strings.Contains(got, "immutable") {
			t.Errorf("Cache-Control = %q, want immutable", got)
		}
		img, err := png.Decode(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		if got := img.Bounds().Size(); got != image.Pt(90, 90) {
			t.Fatalf("size = %v, want 90x90", got)
		}
		if c := color.NRGBAModel.Convert(img.At(10, 45)).(color.NRGBA); c.R < 250 || c.G > 5 || c.A < 250 {
			t.Errorf("left pixel = %+v, want opaque red", c)
		}
		if c := color.NRGBAModel.Convert(img.At(80, 45)).(color.NRGBA); c.A > 5 {
			t.Errorf("right pixel = %+v, want transparent", c)
		}
	})

	t.Run("wide image covers the box", func(t *testing.T) {
		_, body := get(ShrinkURL(wide, 90, 90, 1))
		img, err := png.Decode(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		if got := img.Bounds().Size(); got != image.Pt(180, 90) {
			t.Errorf("size = %v, want 180x90", got)
		}
	})

	// Go's decoders ignore EXIF orientation, ICC profiles and PNG gamma,
	// which Chrome applies, so such sources are served as they are, like an
	// image that is already small enough.
	for _, tc := range []struct {
		name, contentType string
		data              []byte
	}{
		{"small image", "image/png", encodePNG(t, patternImage(64, 64))},
		{"JPEG", "image/jpeg", encodeJPEG(t, patternImage(300, 300))},
		{"PNG with gamma", "image/png", withChunk(encodePNG(t, patternImage(300, 300)), "gAMA", []byte{0, 1, 0x86, 0xa0})},
	} {
		t.Run(tc.name+" is served as it is", func(t *testing.T) {
			resp, body := get(ShrinkURL(add(tc.data), 90, 90, 1))
			if !bytes.Equal(body, tc.data) {
				t.Errorf("got %d bytes, want the %d bytes of the source", len(body), len(tc.data))
			}
			if got := resp.Header.Get("Content-Type"); got != tc.contentType {
				t.Errorf("Content-Type = %q, want %s", got, tc.contentType)
			}
		})
	}

	t.Run("computed once", func(t *testing.T) {
		before := len(logs.entries(t, "image shrunk"))
		_, first := get(ShrinkURL(icon, 30, 30, 1))
		_, second := get(ShrinkURL(icon, 30, 30, 1))
		if n := len(logs.entries(t, "image shrunk")) - before; n != 1 {
			t.Errorf("copy made %d times for two requests, want 1", n)
		}
		if !bytes.Equal(first, second) {
			t.Error("the second response differs from the first")
		}
	})

	t.Run("unknown image", func(t *testing.T) {
		resp, err := http.Get(server.URL + ShrinkURL("/assets/"+strings.Repeat("0", 32)+".png", 90, 90, 1))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("status = %d, want 404", resp.StatusCode)
		}
	})
}
