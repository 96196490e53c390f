package assets

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"net/http"
	"testing"

	"github.com/igs-dev/igs/record"
)

// BenchmarkBlur measures the blurred copy of a 1080x1920 JPEG background.
// "blur" is downscale, box blur and JPEG encoding of a decoded image.
// "check decode" is what newAsset spends on a fetched or added image, and
// "first request" is the work of the first request for a blurred copy.
func BenchmarkBlur(b *testing.B) {
	data := encodeJPEG(b, patternImage(1080, 1920))
	src, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		b.Fatalf("decode: %v", err)
	}

	for _, radius := range []int{4, 20, 64} {
		b.Run(fmt.Sprintf("blur/radius=%d", radius), func(b *testing.B) {
			for b.Loop() {
				if _, err := encodeBlurJPEG(blurImage(src, radius).image()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}

	b.Run("downscale/scale=4", func(b *testing.B) {
		for b.Loop() {
			downscale(src, 4)
		}
	})

	small := downscale(src, 4)
	scratch := make([]uint8, small.w*small.h)
	b.Run("box blur/radius=20", func(b *testing.B) {
		for b.Loop() {
			for i, plane := range small.pix {
				sx, sy := small.shifts(i)
				w, h := small.planeSize(i)
				boxBlur(plane, scratch, w, h, boxRadii(5/float64(int(1)<<sx)), boxRadii(5/float64(int(1)<<sy)))
			}
		}
	})

	b.Run("encode", func(b *testing.B) {
		for b.Loop() {
			jpeg.Encode(&bytes.Buffer{}, small.image(), &jpeg.Options{Quality: blurQuality})
		}
	})

	p, _ := newTestPipeline(b, DefaultConfig())
	b.Run("check decode", func(b *testing.B) {
		for b.Loop() {
			if _, err := p.newAsset(data); err != nil {
				b.Fatal(err)
			}
		}
	})

	source, err := p.newAsset(data)
	if err != nil {
		b.Fatal(err)
	}

	// Radii from 4 start from the scaled copy kept by the check decode;
	// smaller radii decode the source again.
	for _, radius := range []int{20, 3} {
		name := assetName{id: contentID(data), ext: "jpg", radius: radius}
		b.Run(fmt.Sprintf("first request/radius=%d", radius), func(b *testing.B) {
			for b.Loop() {
				if _, err := p.blurAsset(source, name); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkResolveCached measures a Resolve of 50 distinct images that are
// all in the cache, the common case for a player's character icons.
func BenchmarkResolveCached(b *testing.B) {
	const count = 50
	mux := http.NewServeMux()
	data := encodePNG(b, image.NewGray(image.Rect(0, 0, 4, 4)))
	for i := range count {
		// Distinct bytes per path, so that each image is its own entry.
		serveBytes(mux, fmt.Sprintf("/%d.png", i), "image/png", append(encodePNG(b, patternImage(4+i, 4)), data[:0]...))
	}
	origin := newImageServer(b, mux)
	p, _ := newTestPipeline(b, testConfig())

	images := make([]*record.Image, count)
	for i := range images {
		images[i] = &record.Image{Src: fmt.Sprintf("%s/%d.png", origin.URL, i)}
	}
	p.Resolve(context.Background(), images)
	for i, img := range images {
		if !img.OK {
			b.Fatalf("image %d not fetched", i)
		}
	}

	b.ReportAllocs()
	for b.Loop() {
		p.Resolve(context.Background(), images)
	}

	if hits := origin.total(); hits != count {
		b.Errorf("server hits = %d, want %d (one per image)", hits, count)
	}
}
