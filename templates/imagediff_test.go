package templates_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
)

// Tolerance of the golden comparison. TestGoldenCompareSelfTest checks that
// these values reject a moved band and a missing tile but accept a JPEG
// re-encode and a second render.
const (
	// goldenFactor is the box-filter downscale factor: one golden pixel is
	// the mean of a 4x4 block, which flattens JPEG noise and antialiasing.
	goldenFactor = 4
	// goldenLevels is the number of gray levels a golden stores. With 16
	// levels PNG uses 4 bits per pixel.
	goldenLevels = 16
	// pixelThreshold is the gray difference (0-255) above which a golden
	// pixel counts as changed. A level is 17 apart, so a pixel has to move
	// by 3 levels: JPEG noise moves it by at most one.
	pixelThreshold = 40
	// maxChangedFraction is the share of changed pixels a card may have.
	maxChangedFraction = 0.002
	// maxRegion is the largest 8-connected group of changed golden pixels
	// allowed, about a 22x22 px patch of the full-size card.
	maxRegion = 30
)

// reduce turns a rendered card into golden form: composited over white,
// converted to luma, box-downscaled by goldenFactor and quantised to
// goldenLevels. A partial block at the right or bottom edge is averaged
// over the pixels it has.
func reduce(img image.Image) *image.Gray {
	b := img.Bounds()
	w := (b.Dx() + goldenFactor - 1) / goldenFactor
	h := (b.Dy() + goldenFactor - 1) / goldenFactor
	sums := make([]int, w*h)
	counts := make([]int, w*h)

	for y := 0; y < b.Dy(); y++ {
		row := (y / goldenFactor) * w
		for x := 0; x < b.Dx(); x++ {
			i := row + x/goldenFactor
			sums[i] += luma(img, b.Min.X+x, b.Min.Y+y)
			counts[i]++
		}
	}

	out := image.NewGray(image.Rect(0, 0, w, h))
	for i := range sums {
		out.Pix[i] = quantize((sums[i] + counts[i]/2) / counts[i])
	}
	return out
}

// luma returns the Rec. 601 luma of a pixel composited over white.
func luma(img image.Image, x, y int) int {
	var r, g, b, a uint32
	switch m := img.(type) {
	case *image.RGBA: // premultiplied, the common case of a decoded PNG
		p := m.Pix[m.PixOffset(x, y):]
		r, g, b, a = uint32(p[0]), uint32(p[1]), uint32(p[2]), uint32(p[3])
	case *image.NRGBA:
		p := m.Pix[m.PixOffset(x, y):]
		a = uint32(p[3])
		r, g, b = uint32(p[0])*a/255, uint32(p[1])*a/255, uint32(p[2])*a/255
	default:
		r16, g16, b16, a16 := img.At(x, y).RGBA()
		r, g, b, a = r16>>8, g16>>8, b16>>8, a16>>8
	}
	white := 255 - a
	r, g, b = r+white, g+white, b+white
	return int((299*r + 587*g + 114*b + 500) / 1000)
}

func quantize(v int) uint8 {
	step := 255 / (goldenLevels - 1)
	return uint8((v + step/2) / step * step)
}

// diffResult is the outcome of comparing an actual card with its golden.
type diffResult struct {
	GoldenSize, ActualSize image.Point
	Changed                int // golden pixels whose gray differs by more than pixelThreshold
	Total                  int
	Largest                int // largest 8-connected region of changed pixels
	MaxDelta               int
	mask                   []bool
}

func (d diffResult) sizeMismatch() bool { return d.GoldenSize != d.ActualSize }

func (d diffResult) fraction() float64 {
	if d.Total == 0 {
		return 0
	}
	return float64(d.Changed) / float64(d.Total)
}

// failed reports whether the difference is beyond the tolerance.
func (d diffResult) failed() bool {
	return d.sizeMismatch() || d.fraction() > maxChangedFraction || d.Largest > maxRegion
}

func (d diffResult) String() string {
	if d.sizeMismatch() {
		return fmt.Sprintf("size %dx%d differs from golden %dx%d (golden px; x%d for the card)",
			d.ActualSize.X, d.ActualSize.Y, d.GoldenSize.X, d.GoldenSize.Y, goldenFactor)
	}
	return fmt.Sprintf("%d of %d golden px changed (%.3f%%, limit %.3f%%), largest region %d px (limit %d), max delta %d",
		d.Changed, d.Total, 100*d.fraction(), 100*maxChangedFraction, d.Largest, maxRegion, d.MaxDelta)
}

// compare compares two images in golden form.
func compare(golden, actual *image.Gray) diffResult {
	d := diffResult{GoldenSize: golden.Bounds().Size(), ActualSize: actual.Bounds().Size()}
	if d.sizeMismatch() {
		return d
	}

	w, h := d.ActualSize.X, d.ActualSize.Y
	d.Total = w * h
	d.mask = make([]bool, w*h)
	for y := range h {
		for x := range w {
			delta := int(golden.GrayAt(x, y).Y) - int(actual.GrayAt(x, y).Y)
			delta = max(delta, -delta)
			d.MaxDelta = max(d.MaxDelta, delta)
			if delta > pixelThreshold {
				d.mask[y*w+x] = true
				d.Changed++
			}
		}
	}
	d.Largest = largestRegion(d.mask, w, h)
	return d
}

// largestRegion returns the size of the largest 8-connected group of true
// cells in a w x h mask.
func largestRegion(mask []bool, w, h int) int {
	seen := make([]bool, len(mask))
	largest := 0
	var stack []int
	for start, on := range mask {
		if !on || seen[start] {
			continue
		}
		size := 0
		seen[start] = true
		stack = append(stack[:0], start)
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			size++
			x, y := i%w, i/w
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx < 0 || ny < 0 || nx >= w || ny >= h {
						continue
					}
					j := ny*w + nx
					if mask[j] && !seen[j] {
						seen[j] = true
						stack = append(stack, j)
					}
				}
			}
		}
		largest = max(largest, size)
	}
	return largest
}

// diffImage draws the actual image dimmed, with changed pixels in red. When
// the sizes differ it overlays the golden (green) and the actual (magenta).
func diffImage(golden, actual *image.Gray, d diffResult) *image.RGBA {
	gs, as := d.GoldenSize, d.ActualSize
	out := image.NewRGBA(image.Rect(0, 0, max(gs.X, as.X), max(gs.Y, as.Y)))
	for y := range out.Rect.Dy() {
		for x := range out.Rect.Dx() {
			var g, a uint8 = 255, 255
			if x < gs.X && y < gs.Y {
				g = golden.GrayAt(x, y).Y
			}
			if x < as.X && y < as.Y {
				a = actual.GrayAt(x, y).Y
			}

			switch {
			case d.sizeMismatch():
				out.SetRGBA(x, y, color.RGBA{a, g, a, 255})
			case d.mask[y*as.X+x]:
				out.SetRGBA(x, y, color.RGBA{255, 0, 0, 255})
			default:
				v := 128 + a/2
				out.SetRGBA(x, y, color.RGBA{v, v, v, 255})
			}
		}
	}
	return out
}

// encodePNG encodes img at the best compression. A golden-form gray image
// is written with a 16-entry palette, so 4 bits per pixel.
func encodePNG(img image.Image) ([]byte, error) {
	if g, ok := img.(*image.Gray); ok {
		img = toPaletted(g)
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode png: %w", err)
	}
	return buf.Bytes(), nil
}

func toPaletted(g *image.Gray) *image.Paletted {
	palette := make(color.Palette, goldenLevels)
	step := 255 / (goldenLevels - 1)
	for i := range palette {
		palette[i] = color.Gray{uint8(i * step)}
	}
	out := image.NewPaletted(g.Rect, palette)
	for i, v := range g.Pix {
		out.Pix[i] = uint8(int(v) / step)
	}
	return out
}

func writePNG(path string, img image.Image) error {
	data, err := encodePNG(img)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// readGolden loads a golden file as gray.
func readGolden(path string) (*image.Gray, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decode golden %s: %w", path, err)
	}
	b := img.Bounds()
	out := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := range b.Dy() {
		for x := range b.Dx() {
			out.SetGray(x, y, color.GrayModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.Gray))
		}
	}
	return out, nil
}
