package templates_test

import (
	"bytes"
	"hash/fnv"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/igs-dev/igs/samples"
)

// markerColor is the icon colour of markerPath, so that the self-test can
// find that character's tile in a card. Hashed icon colours keep every
// channel within 40-215, far from it.
var markerColor = color.RGBA{255, 0, 255, 255}

// markerPath is the icon of Ganyu in the 42-character sample.
const markerPath = "UI_AvatarIcon_Ganyu.png"

// fixtureServer serves the "remote" images of the golden tests on 127.0.0.1.
// Every image is drawn from its URL path alone, so a card renders the same
// on every run.
type fixtureServer struct {
	srv    *httptest.Server
	images sync.Map // path -> *fixtureImage
}

// fixtureImage is one path's PNG, drawn once on first request. Drawing runs
// outside any shared lock, so the 120 icons of a card do not queue behind
// each other, which would eat into the fetch budget of the asset pipeline.
type fixtureImage struct {
	once sync.Once
	data []byte
}

func newFixtureServer() *fixtureServer {
	f := &fixtureServer{}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	return f
}

func (f *fixtureServer) close() { f.srv.Close() }

func (f *fixtureServer) url(path string) string { return f.srv.URL + path }

func (f *fixtureServer) serve(w http.ResponseWriter, r *http.Request) {
	if !strings.HasSuffix(r.URL.Path, ".png") {
		http.NotFound(w, r)
		return
	}
	data := f.image(r.URL.Path)
	w.Header().Set("Content-Type", "image/png")
	w.Write(data)
}

// image returns the encoded PNG of path, drawing it on first use.
func (f *fixtureServer) image(path string) []byte {
	entry, _ := f.images.LoadOrStore(path, &fixtureImage{})
	img := entry.(*fixtureImage)
	img.once.Do(func() { img.data = drawFixture(path) })
	return img.data
}

func drawFixture(path string) []byte {
	var img image.Image
	switch path {
	case "/bg.png":
		img = backgroundImage(1080, 1600)
	case "/avatar.png":
		img = iconImage(256, color.RGBA{230, 150, 40, 255})
	default:
		c := hashedColor(path)
		if strings.HasSuffix(path, "/"+markerPath) {
			c = markerColor
		}
		img = iconImage(128, c)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err) // encoding an in-memory RGBA image cannot fail
	}
	return buf.Bytes()
}

// hashedColor maps a path to a colour with every channel in 40-215.
func hashedColor(path string) color.RGBA {
	h := fnv.New32a()
	h.Write([]byte(path))
	sum := h.Sum32()
	channel := func(shift uint) uint8 { return uint8(40 + ((sum>>shift)&0xff)*175/255) }
	return color.RGBA{channel(0), channel(8), channel(16), 255}
}

// iconImage draws a disc of colour c on a transparent square, as real
// character icons are transparent around the figure, so a style's rarity
// background shows in the corners. A white inner disc with a dark bar gives
// a shape that survives downscaling and grayscale, so that a missing or
// moved icon shows in a diff.
func iconImage(size int, c color.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	center := float64(size) / 2
	outer := float64(size) * 0.46
	inner := float64(size) * 0.28
	dark := color.RGBA{20, 20, 30, 255}
	white := color.RGBA{255, 255, 255, 255}
	for y := range size {
		for x := range size {
			dx, dy := float64(x)+0.5-center, float64(y)+0.5-center
			r2 := dx*dx + dy*dy
			switch {
			case r2 > outer*outer:
				continue // transparent
			case r2 <= inner*inner && dy > -inner/4 && dy < inner/4:
				img.SetRGBA(x, y, dark)
			case r2 <= inner*inner:
				img.SetRGBA(x, y, white)
			default:
				img.SetRGBA(x, y, c)
			}
		}
	}
	return img
}

// backgroundImage draws a smooth diagonal gradient with large bands: a
// stand-in for a photo that compresses well in a golden.
func backgroundImage(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			t := (x + y) * 255 / (w + h)
			band := uint8(0)
			if ((x+2*y)/160)%2 == 0 {
				band = 24
			}
			img.SetRGBA(x, y, color.RGBA{uint8(40 + t/2), uint8(70+t/3) + band, uint8(120 + t/3), 255})
		}
	}
	return img
}

// hostPattern matches the scheme and host of every URL in a body.
var hostPattern = regexp.MustCompile(`https?://[^/"]+/`)

// sampleBody returns a bundled sample with every image URL pointed at the
// fixture server.
func (f *fixtureServer) sampleBody(t *testing.T, name string) []byte {
	t.Helper()
	body, err := samples.Get(name)
	if err != nil {
		t.Fatal(err)
	}
	return hostPattern.ReplaceAll(body, []byte(f.srv.URL+"/"))
}
