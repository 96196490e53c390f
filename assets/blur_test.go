package assets

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

func TestBlurURL(t *testing.T) {
	id := strings.Repeat("ab", 16)
	cases := []struct {
		url    string
		radius int
		want   string
	}{
		{"/assets/" + id + ".png", 20, "/assets/" + id + "-blur20.jpg"},
		{"/assets/" + id + ".webp", 1, "/assets/" + id + "-blur1.jpg"},
		{"/assets/" + id + ".jpg", 64, "/assets/" + id + "-blur64.jpg"},
		{"/assets/" + id + ".jpg", 500, "/assets/" + id + "-blur64.jpg"},
		{"/assets/" + id + ".jpg", 0, "/assets/" + id + ".jpg"},
		{"/assets/" + id + ".jpg", -3, "/assets/" + id + ".jpg"},
		{"/assets/" + id + "-blur20.jpg", 10, "/assets/" + id + "-blur20.jpg"},
		{"", 20, ""},
		{"https://example.com/bg.png", 20, "https://example.com/bg.png"},
		{"/static/bg.png", 20, "/static/bg.png"},
		{"/assets/" + id + ".png?x=1", 20, "/assets/" + id + ".png?x=1"},
	}

	for _, c := range cases {
		if got := BlurURL(c.url, c.radius); got != c.want {
			t.Errorf("BlurURL(%q, %d) = %q, want %q", c.url, c.radius, got, c.want)
		}
	}
}

func TestBlurVariantSize(t *testing.T) {
	p, logs := newTestPipeline(t, testConfig())
	url, err := p.Add(encodeJPEG(t, patternImage(362, 641)))
	if err != nil {
		t.Fatalf("Add: %v", err)
	}

	server := httptest.NewServer(p.Handler())
	defer server.Close()

	cases := []struct {
		radius        int
		width, height int
	}{
		{20, 91, 161},
		{4, 91, 161},
		{3, 121, 214},
		{2, 181, 321},
		{1, 362, 641},
		{64, 91, 161},
	}

	for _, c := range cases {
		resp, err := http.Get(server.URL + BlurURL(url, c.radius))
		if err != nil {
			t.Fatalf("radius %d: GET: %v", c.radius, err)
		}

		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("radius %d: status = %d, want 200; log: %v", c.radius, resp.StatusCode, logs.entries(t, "blur image failed"))
			continue
		}

		if got := resp.Header.Get("Content-Type"); got != "image/jpeg" {
			t.Errorf("radius %d: Content-Type = %q, want image/jpeg", c.radius, got)
		}

		if got := resp.Header.Get("Cache-Control"); !strings.Contains(got, "immutable") {
			t.Errorf("radius %d: Cache-Control = %q, want immutable", c.radius, got)
		}

		img, err := jpeg.Decode(bytes.NewReader(body))
		if err != nil {
			t.Errorf("radius %d: blurred copy does not decode: %v", c.radius, err)
			continue
		}

		if got := img.Bounds().Size(); got != image.Pt(c.width, c.height) {
			t.Errorf("radius %d: size = %v, want %dx%d", c.radius, got, c.width, c.height)
		}
	}
}

func TestBlurComputedOnce(t *testing.T) {
	p, logs := newTestPipeline(t, testConfig())
	url, err := p.Add(encodePNG(t, patternImage(400, 300)))
	if err != nil {
		t.Fatalf("Add: %v", err)
	}

	server := httptest.NewServer(p.Handler())
	defer server.Close()

	blurred := BlurURL(url, 12)
	bodies := make([][]byte, 6)
	var wg sync.WaitGroup
	for i := range bodies {
		wg.Go(func() {
			resp, err := http.Get(server.URL + blurred)
			if err != nil {
				t.Errorf("GET: %v", err)
				return
			}
			defer resp.Body.Close()
			bodies[i], _ = io.ReadAll(resp.Body)
		})
	}
	wg.Wait()

	if n := len(logs.entries(t, "image blurred")); n != 1 {
		t.Errorf("blur computed %d times for concurrent requests, want 1", n)
	}

	for i, body := range bodies {
		if len(body) == 0 || !bytes.Equal(body, bodies[0]) {
			t.Errorf("response %d has %d bytes that differ from the first", i, len(body))
		}
	}

	http.Get(server.URL + blurred)
	if n := len(logs.entries(t, "image blurred")); n != 1 {
		t.Errorf("blur computed %d times after a cached request, want 1", n)
	}
}

func TestBlurOfFetchedImage(t *testing.T) {
	mux := http.NewServeMux()
	serveBytes(mux, "/bg.webp", "image/webp", readTestdata(t, "gradient.lossy.webp"))
	origin := newImageServer(t, mux)
	p, _ := newTestPipeline(t, testConfig())

	img := resolveOne(p, origin.URL+"/bg.webp")
	if !img.OK {
		t.Fatal("fetch failed")
	}

	server := httptest.NewServer(p.Handler())
	defer server.Close()

	status, body := rawGet(t, server, BlurURL(img.URL, 8))
	if status != http.StatusOK {
		t.Fatalf("status = %d, want 200", status)
	}

	cfg, err := jpeg.DecodeConfig(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("decode blurred copy: %v", err)
	}

	if cfg.Width != 24 || cfg.Height != 16 {
		t.Errorf("size = %dx%d, want 24x16 (96x64 scaled by 1/4)", cfg.Width, cfg.Height)
	}
}

func TestBlurBaseMatchesDecode(t *testing.T) {
	p, _ := newTestPipeline(t, testConfig())
	for _, data := range [][]byte{encodeJPEG(t, patternImage(203, 117)), encodePNG(t, patternImage(203, 117))} {
		source, err := p.newAsset(data)
		if err != nil {
			t.Fatalf("newAsset: %v", err)
		}

		if source.blurBase == nil {
			t.Fatalf("%s: no blur base kept", source.name)
		}

		id := strings.SplitN(source.name, ".", 2)[0]
		name := assetName{id: id, ext: "jpg", radius: 12}
		fromBase, err := p.blurAsset(source, name)
		if err != nil {
			t.Fatalf("blur from base: %v", err)
		}

		decoded := *source
		decoded.blurBase = nil
		fromDecode, err := p.blurAsset(&decoded, name)
		if err != nil {
			t.Fatalf("blur from decode: %v", err)
		}

		if !bytes.Equal(fromBase.data, fromDecode.data) {
			t.Errorf("%s: blur from the kept base differs from a blur after decoding", source.name)
		}
	}
}

func TestBlurSmoothsEdge(t *testing.T) {
	src := image.NewGray(image.Rect(0, 0, 400, 200))
	for y := range 200 {
		for x := 200; x < 400; x++ {
			src.SetGray(x, y, color.Gray{Y: 255})
		}
	}

	// Radius 16 scales by 4, to 100x50, with a blur of sigma 4 there.
	out := toRGBA(blurImage(src, 16).image())
	if got := out.Bounds().Size(); got != image.Pt(100, 50) {
		t.Fatalf("size = %v, want 100x50", got)
	}

	row := 25
	far, edgeLeft, edgeRight, farRight := out.RGBAAt(5, row).R, out.RGBAAt(49, row).R, out.RGBAAt(50, row).R, out.RGBAAt(94, row).R
	if far != 0 || farRight != 255 {
		t.Errorf("pixels far from the edge = %d and %d, want 0 and 255", far, farRight)
	}

	if edgeLeft < 80 || edgeLeft > 127 || edgeRight < 128 || edgeRight > 175 {
		t.Errorf("pixels beside the edge = %d and %d, want grey around 128", edgeLeft, edgeRight)
	}

	// About two sigma (8 pixels) away, a Gaussian edge is about 2% or 98%.
	if v := out.RGBAAt(42, row).R; v == 0 || v > 25 {
		t.Errorf("pixel 8 left of the edge = %d, want a small non-zero value", v)
	}
}

// opaqueImage hides the concrete type of an image, so that downscale takes
// its generic path.
type opaqueImage struct{ image.Image }

func TestDownscaleFastPathsMatchGeneric(t *testing.T) {
	pattern := patternImage(101, 67) // odd sizes give partial blocks
	rgba := image.NewRGBA(pattern.Bounds())
	gray := image.NewGray(pattern.Bounds())
	translucent := image.NewNRGBA(pattern.Bounds())
	palette := color.Palette{color.Black, color.White, color.RGBA{200, 30, 60, 255}, color.NRGBA{0, 0, 255, 128}}
	paletted := image.NewPaletted(pattern.Bounds(), palette)
	for y := range 67 {
		for x := range 101 {
			c := pattern.NRGBAAt(x, y)
			rgba.Set(x, y, c)
			gray.Set(x, y, c)
			translucent.SetNRGBA(x, y, color.NRGBA{c.R, c.G, c.B, uint8(x * 2)})
			paletted.SetColorIndex(x, y, uint8((x/7+y/5)%4))
		}
	}

	// The YCbCr paths average Y and chroma before converting to RGB, and the
	// plane path keeps chroma subsampled, so their output matches the
	// generic path when only Y varies. downscalePlane has its own test for
	// the chroma geometry.
	lumaOnly := func(ratio image.YCbCrSubsampleRatio) *image.YCbCr {
		img := image.NewYCbCr(image.Rect(0, 0, 101, 67), ratio)
		for y := range 67 {
			for x := range 101 {
				img.Y[img.YOffset(x, y)] = uint8(60 + x + (x/3+y/5)%2*40)
			}
		}
		for i := range img.Cb {
			img.Cb[i], img.Cr[i] = 110, 140
		}
		return img
	}

	cases := []struct {
		name string
		img  image.Image
	}{
		{"YCbCr 4:2:0", lumaOnly(image.YCbCrSubsampleRatio420)},
		{"YCbCr 4:2:0 odd origin", lumaOnly(image.YCbCrSubsampleRatio420).SubImage(image.Rect(3, 5, 90, 60))},
		{"YCbCr 4:4:4 sub-image", lumaOnly(image.YCbCrSubsampleRatio444).SubImage(image.Rect(4, 6, 90, 60))},
		{"YCbCr 4:1:1", lumaOnly(image.YCbCrSubsampleRatio411)},
		{"YCbCr 4:4:0", lumaOnly(image.YCbCrSubsampleRatio440)},
		{"RGBA", rgba},
		{"NRGBA", translucent},
		{"Paletted", paletted},
		{"Gray", gray},
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, scale := range []int{1, 2, 3, 4} {
				fast := toRGBA(downscale(c.img, scale).image())
				slow := toRGBA(downscale(opaqueImage{c.img}, scale).image())
				if diff := maxDifference(fast, slow); diff > 3 {
					t.Errorf("scale %d: fast path differs from the generic path by %d", scale, diff)
				}
			}
		})
	}
}

func toRGBA(img image.Image) *image.RGBA {
	out := image.NewRGBA(img.Bounds())
	draw.Draw(out, out.Bounds(), img, img.Bounds().Min, draw.Src)
	return out
}

func TestDownscalePlaneAveragesBlocks(t *testing.T) {
	const sw, sh, stride = 23, 17, 29
	src := make([]uint8, stride*sh)
	for i := range src {
		src[i] = uint8(i * 37 % 251)
	}

	for scale := 1; scale <= 5; scale++ {
		dw, dh := (sw+scale-1)/scale, (sh+scale-1)/scale
		got := make([]uint8, dw*dh)
		downscalePlane(got, dw, dh, src, stride, sw, sh, scale)

		for oy := range dh {
			for ox := range dw {
				sum, n := 0, 0
				for y := oy * scale; y < min(oy*scale+scale, sh); y++ {
					for x := ox * scale; x < min(ox*scale+scale, sw); x++ {
						sum += int(src[y*stride+x])
						n++
					}
				}

				if want := uint8((sum + n/2) / n); got[oy*dw+ox] != want {
					t.Errorf("scale %d: pixel (%d,%d) = %d, want %d", scale, ox, oy, got[oy*dw+ox], want)
				}
			}
		}
	}
}

func maxDifference(a, b *image.RGBA) int {
	if a.Bounds() != b.Bounds() {
		return 256
	}

	worst := 0
	for i := range a.Pix {
		d := int(a.Pix[i]) - int(b.Pix[i])
		worst = max(worst, d, -d)
	}
	return worst
}

func TestBoxRadiiMatchVariance(t *testing.T) {
	for _, sigma := range []float64{1, 2, 3, 4, 5, 8, 12.5, 16} {
		radii := boxRadii(sigma)
		if len(radii) != blurPasses {
			t.Fatalf("sigma %g: %d radii, want %d", sigma, len(radii), blurPasses)
		}

		variance := 0.0
		for _, r := range radii {
			width := float64(2*r + 1)
			variance += (width*width - 1) / 12
		}

		// Odd widths move the variance in steps of (4w+4)/12, so it lands
		// within half a step of the target.
		radius := float64(radii[0])
		halfStep := (4*(2*radius+1) + 4) / 24
		if diff := variance - sigma*sigma; diff < -halfStep-0.01 || diff > halfStep+0.01 {
			t.Errorf("sigma %g: radii %v give variance %.2f, want %.2f", sigma, radii, variance, sigma*sigma)
		}
	}
}
