package templates_test

import (
	"image"
	"image/color"
	"testing"
)

// Checks of the comparison itself on made-up images, which need no Chrome.

func TestGoldenReduceAveragesBlocks(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 2*goldenFactor+1, goldenFactor))
	for y := range goldenFactor {
		for x := range goldenFactor {
			img.SetRGBA(x, y, color.RGBA{0, 0, 0, 255}) // first block black
		}
		for x := goldenFactor; x < 2*goldenFactor; x++ {
			c := uint8(0)
			if x%2 == 0 {
				c = 255
			}
			img.SetRGBA(x, y, color.RGBA{c, c, c, 255}) // second block half white
		}
		// The last column stays transparent, which counts as white.
	}

	g := reduce(img)
	if got := g.Rect.Size(); got != (image.Point{3, 1}) {
		t.Fatalf("size %v, want 3x1 (a partial block is kept)", got)
	}
	if v := g.GrayAt(0, 0).Y; v != 0 {
		t.Errorf("black block = %d, want 0", v)
	}
	if v := g.GrayAt(1, 0).Y; v != quantize(128) {
		t.Errorf("half-white block = %d, want %d", v, quantize(128))
	}
	if v := g.GrayAt(2, 0).Y; v != 255 {
		t.Errorf("transparent block = %d, want 255 (white)", v)
	}
}

func TestGoldenCompareSizeMismatch(t *testing.T) {
	a := image.NewGray(image.Rect(0, 0, 10, 10))
	b := image.NewGray(image.Rect(0, 0, 10, 11))
	d := compare(a, b)
	if !d.failed() {
		t.Errorf("images of different height passed: %s", d)
	}
}

func TestGoldenCompareIdentical(t *testing.T) {
	a := image.NewGray(image.Rect(0, 0, 50, 50))
	for i := range a.Pix {
		a.Pix[i] = quantize(i % 256)
	}
	d := compare(a, a)
	if d.failed() || d.Changed != 0 {
		t.Errorf("an image compared with itself: %s", d)
	}
}

func TestGoldenCompareRegionAndFraction(t *testing.T) {
	golden := image.NewGray(image.Rect(0, 0, 100, 100))

	// 6x6 = 36 connected pixels: 0.36 % of the image but one region
	// above maxRegion.
	block := image.NewGray(golden.Rect)
	for y := 10; y < 16; y++ {
		for x := 10; x < 16; x++ {
			block.SetGray(x, y, color.Gray{255})
		}
	}
	if d := compare(golden, block); !d.failed() || d.Largest != 36 {
		t.Errorf("a 6x6 changed block: %s, want a failure with region 36", d)
	}

	// 25 scattered pixels, none touching another: 0.25 % of the image with
	// regions of 1.
	scattered := image.NewGray(golden.Rect)
	for i := range 25 {
		scattered.SetGray(4*(i%5), 4*(i/5), color.Gray{255})
	}
	d := compare(golden, scattered)
	if d.Largest != 1 {
		t.Errorf("largest region of scattered pixels = %d, want 1", d.Largest)
	}
	if !d.failed() {
		t.Errorf("0.25%% changed pixels passed: %s", d)
	}

	// Changes at or below the threshold do not count.
	faint := image.NewGray(golden.Rect)
	for i := range faint.Pix {
		faint.Pix[i] = pixelThreshold
	}
	if d := compare(golden, faint); d.failed() || d.Changed != 0 {
		t.Errorf("a change of %d everywhere: %s, want no changed pixel", pixelThreshold, d)
	}
}

func TestGoldenPNGRoundTrip(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 17, 5))
	for i := range g.Pix {
		g.Pix[i] = quantize(i * 7 % 256)
	}
	path := t.TempDir() + "/g.png"
	if err := writePNG(path, g); err != nil {
		t.Fatal(err)
	}
	back, err := readGolden(path)
	if err != nil {
		t.Fatal(err)
	}
	if d := compare(g, back); d.MaxDelta != 0 || d.sizeMismatch() {
		t.Errorf("golden changed by a write and read: %s", d)
	}
}
