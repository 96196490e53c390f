package templates_test

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"testing"
)

// Changes made to a rendered card by TestGoldenCompareSelfTest, each a fault
// the golden comparison has to catch or to forgive.

func toRGBA(img image.Image) *image.RGBA {
	if m, ok := img.(*image.RGBA); ok && m.Rect.Min == (image.Point{}) {
		return m
	}
	out := image.NewRGBA(image.Rect(0, 0, img.Bounds().Dx(), img.Bounds().Dy()))
	draw.Draw(out, out.Rect, img, img.Bounds().Min, draw.Src)
	return out
}

func cloneRGBA(img *image.RGBA) *image.RGBA {
	out := image.NewRGBA(img.Rect)
	copy(out.Pix, img.Pix)
	return out
}

// middleBand returns a full-width band of the given height around the
// vertical middle of r.
func middleBand(r image.Rectangle, height int) image.Rectangle {
	top := r.Min.Y + (r.Dy()-height)/2
	return image.Rect(r.Min.X, top, r.Max.X, top+height)
}

// hasContent reports whether the golden-form pixels of band (in card
// pixels) are not all one gray level.
func hasContent(g *image.Gray, band image.Rectangle) bool {
	first := g.GrayAt(0, band.Min.Y/goldenFactor).Y
	for y := band.Min.Y / goldenFactor; y < band.Max.Y/goldenFactor; y++ {
		for x := range g.Rect.Dx() {
			if g.GrayAt(x, y).Y != first {
				return true
			}
		}
	}
	return false
}

// shiftBand returns a copy of img whose band is moved right (or down) by
// shift px. The uncovered strip repeats the band's first column (or row).
func shiftBand(img *image.RGBA, band image.Rectangle, shift int, down bool) *image.RGBA {
	out := cloneRGBA(img)
	for y := band.Min.Y; y < band.Max.Y; y++ {
		for x := band.Min.X; x < band.Max.X; x++ {
			sx, sy := max(x-shift, band.Min.X), y
			if down {
				sx, sy = x, max(y-shift, band.Min.Y)
			}
			out.SetRGBA(x, y, img.RGBAAt(sx, sy))
		}
	}
	return out
}

// markerBounds returns the bounding box of the pixels in markerColor: the
// icon of one character tile.
func markerBounds(img *image.RGBA) (image.Rectangle, bool) {
	var box image.Rectangle
	found := false
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		for x := img.Rect.Min.X; x < img.Rect.Max.X; x++ {
			if !near(img.RGBAAt(x, y), markerColor, 24) {
				continue
			}
			px := image.Rect(x, y, x+1, y+1)
			if !found {
				box, found = px, true
			} else {
				box = box.Union(px)
			}
		}
	}
	return box, found
}

func near(a, b color.RGBA, tol int) bool {
	d := func(p, q uint8) int { return max(int(p)-int(q), int(q)-int(p)) }
	return d(a.R, b.R) <= tol && d(a.G, b.G) <= tol && d(a.B, b.B) <= tol
}

// paintOver returns a copy of img with box filled by the colour just left
// of it, which is the tile's background around the icon.
func paintOver(img *image.RGBA, box image.Rectangle) *image.RGBA {
	out := cloneRGBA(img)
	fill := img.RGBAAt(max(box.Min.X-2, 0), (box.Min.Y+box.Max.Y)/2)
	draw.Draw(out, box, &image.Uniform{C: fill}, image.Point{}, draw.Src)
	return out
}

func jpegRoundTrip(t *testing.T, img image.Image, quality int) image.Image {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	out, err := jpeg.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
