package assets

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/bits"
)

// blurQuality is the JPEG quality of blurred copies. The blur leaves no fine
// detail, so a medium quality loses little.
const blurQuality = 85

// blurPasses is the number of box blur passes per direction. Three box
// blurs come close to a Gaussian (by the central limit theorem).
const blurPasses = 3

// maxBlurScale is the largest factor by which a blurred copy is scaled down.
const maxBlurScale = 4

// blurAsset returns the blurred copy of source as a JPEG asset. It starts
// from the copy that newAsset scaled down by maxBlurScale, and decodes
// source again only for the radii below maxBlurScale.
func (p *Pipeline) blurAsset(source *asset, name assetName) (*asset, error) {
	scale := blurScale(name.radius)
	var small *planes
	if scale == maxBlurScale && source.blurBase != nil {
		small = source.blurBase.clone()
	} else {
		f, ok := formatsByExt[source.name[len(name.id)+1:]]
		if !ok {
			return nil, fmt.Errorf("blur %s: unknown source format", source.name)
		}

		var err error
		small, err = p.decodeScaled(f, source.data, scale)
		if err != nil {
			return nil, fmt.Errorf("blur %s: %w", source.name, err)
		}
	}

	blurPlanes(small, float64(name.radius)/float64(scale))
	data, err := encodeBlurJPEG(small.image())
	if err != nil {
		return nil, fmt.Errorf("blur %s: %w", source.name, err)
	}

	return &asset{name: name.String(), contentType: formatJPEG.contentType, data: data}, nil
}

// encodeBlurJPEG encodes img at blurQuality.
func encodeBlurJPEG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: blurQuality}); err != nil {
		return nil, fmt.Errorf("encode jpeg: %w", err)
	}

	return buf.Bytes(), nil
}

// blurScale returns the factor by which a copy blurred by radius is scaled
// down. It is at most radius, so that the blur hides the lost detail.
func blurScale(radius int) int {
	return max(1, min(radius, maxBlurScale))
}

// blurImage approximates a Gaussian blur with standard deviation radius on
// a copy of img scaled down by blurScale(radius). The result is opaque, and
// because alpha is premultiplied, transparent pixels turn black.
func blurImage(img image.Image, radius int) *planes {
	scale := blurScale(radius)
	small := downscale(img, scale)
	blurPlanes(small, float64(radius)/float64(scale))
	return small
}

// blurPlanes blurs every plane in place with a Gaussian of standard
// deviation sigma in pixels of the first plane.
func blurPlanes(pl *planes, sigma float64) {
	scratch := make([]uint8, len(pl.pix[0]))
	for i := range pl.pix {
		// Subsampled chroma planes cover more pixels per sample.
		sx, sy := pl.shifts(i)
		rowRadii := boxRadii(sigma / float64(int(1)<<sx))
		columnRadii := boxRadii(sigma / float64(int(1)<<sy))
		w, h := pl.planeSize(i)
		boxBlur(pl.pix[i], scratch, w, h, rowRadii, columnRadii)
	}
}

// boxRadii returns the radii of blurPasses box filters whose combined
// variance is close to sigma². A box of odd width w adds (w²-1)/12. The
// passes use two neighbouring odd widths, as many of each as brings the sum
// closest to sigma². A radius of 0 means the pass does nothing.
func boxRadii(sigma float64) []int {
	n := float64(blurPasses)
	ideal := math.Sqrt(12*sigma*sigma/n + 1)
	lower := int(ideal)
	if lower%2 == 0 {
		lower--
	}

	lower = max(lower, 1)
	wl := float64(lower)
	// Solve m*(wl²-1) + (n-m)*((wl+2)²-1) = 12*sigma² for m, the passes of width wl.
	m := int(math.Round((12*sigma*sigma - n*wl*wl - 4*n*wl - 3*n) / (-4*wl - 4)))
	m = min(max(m, 0), blurPasses)

	radii := make([]int, blurPasses)
	for i := range radii {
		width := lower
		if i >= m {
			width = lower + 2
		}

		radii[i] = (width - 1) / 2
	}

	return radii
}

// planes is an image as three planes, each with a stride of its width: R,
// G and B at full size, or Y at full size and Cb and Cr subsampled by ratio.
type planes struct {
	w, h    int
	pix     [3][]uint8
	isYCbCr bool
	ratio   image.YCbCrSubsampleRatio
}

func newRGBPlanes(w, h int) *planes {
	return &planes{w: w, h: h, pix: [3][]uint8{make([]uint8, w*h), make([]uint8, w*h), make([]uint8, w*h)}}
}

func newYCbCrPlanes(w, h int, ratio image.YCbCrSubsampleRatio) *planes {
	pl := &planes{w: w, h: h, isYCbCr: true, ratio: ratio}
	cw, ch := pl.planeSize(1)
	pl.pix = [3][]uint8{make([]uint8, w*h), make([]uint8, cw*ch), make([]uint8, cw*ch)}
	return pl
}

// clone returns a deep copy of pl, or nil when pl is nil.
func (pl *planes) clone() *planes {
	if pl == nil {
		return nil
	}

	c := *pl
	for i, plane := range pl.pix {
		c.pix[i] = append([]uint8(nil), plane...)
	}

	return &c
}

// bytes returns the memory that the planes take.
func (pl *planes) bytes() int {
	if pl == nil {
		return 0
	}

	return len(pl.pix[0]) + len(pl.pix[1]) + len(pl.pix[2])
}

// shifts returns log2 of the subsampling of plane i, 0 for R, G, B and Y.
func (pl *planes) shifts(i int) (sx, sy uint) {
	if !pl.isYCbCr || i == 0 {
		return 0, 0
	}

	sx, sy, _ = chromaShifts(pl.ratio)
	return sx, sy
}

// planeSize returns the width and height of plane i.
func (pl *planes) planeSize(i int) (w, h int) {
	sx, sy := pl.shifts(i)
	return ceilShift(pl.w, sx), ceilShift(pl.h, sy)
}

// ceilShift returns ceil(n / 2^shift).
func ceilShift(n int, shift uint) int {
	return (n + 1<<shift - 1) >> shift
}

// image returns the planes as a YCbCr image over the same memory, or as an
// RGBA copy. image/jpeg encodes both types without per-pixel interface calls.
func (pl *planes) image() image.Image {
	rect := image.Rect(0, 0, pl.w, pl.h)
	if pl.isYCbCr {
		cw, _ := pl.planeSize(1)
		return &image.YCbCr{
			Y: pl.pix[0], Cb: pl.pix[1], Cr: pl.pix[2],
			YStride: pl.w, CStride: cw,
			SubsampleRatio: pl.ratio,
			Rect:           rect,
		}
	}

	rgba := image.NewRGBA(rect)
	r, g, b := pl.pix[0], pl.pix[1], pl.pix[2]
	for i := range r {
		px := rgba.Pix[i*4 : i*4+4 : i*4+4]
		px[0], px[1], px[2], px[3] = r[i], g[i], b[i], 0xff
	}

	return rgba
}

// downscale averages scale x scale blocks of img into planes of
// ceil(width/scale) x ceil(height/scale) pixels. Partial blocks at the
// right and bottom edges average the pixels they have.
func downscale(img image.Image, scale int) *planes {
	if src, ok := img.(*image.YCbCr); ok {
		if pl, ok := downscaleYCbCr(src, scale); ok {
			return pl
		}
	}

	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	addRow, isYCbCr := rowAdder(img, scale)
	dst := newRGBPlanes((w+scale-1)/scale, (h+scale-1)/scale)
	sums := make([]uint32, dst.w*3)
	for oy := range dst.h {
		clear(sums)
		y0, y1 := oy*scale, min(oy*scale+scale, h)
		for y := y0; y < y1; y++ {
			addRow(y, sums)
		}

		writeAverages(dst, oy, sums, w, y1-y0, scale, isYCbCr)
	}

	return dst
}

// downscaleYCbCr scales each plane of src on its own by the same factor
// and keeps the subsampling, so it reads every byte once and converts
// nothing. Output chroma sample k covers source chroma samples
// [k*scale, k*scale+scale). It reports false unless the origin of src is
// aligned to its chroma samples.
func downscaleYCbCr(src *image.YCbCr, scale int) (*planes, bool) {
	sx, sy, ok := chromaShifts(src.SubsampleRatio)
	b := src.Rect
	if !ok || b.Min.X%(1<<sx) != 0 || b.Min.Y%(1<<sy) != 0 {
		return nil, false
	}

	w, h := b.Dx(), b.Dy()
	dst := newYCbCrPlanes((w+scale-1)/scale, (h+scale-1)/scale, src.SubsampleRatio)
	yOffset, cOffset := src.YOffset(b.Min.X, b.Min.Y), src.COffset(b.Min.X, b.Min.Y)
	sourceSizes := [3][2]int{{w, h}, {ceilShift(w, sx), ceilShift(h, sy)}, {ceilShift(w, sx), ceilShift(h, sy)}}
	sources := [3][]uint8{src.Y[yOffset:], src.Cb[cOffset:], src.Cr[cOffset:]}
	strides := [3]int{src.YStride, src.CStride, src.CStride}
	for i := range dst.pix {
		dw, dh := dst.planeSize(i)
		downscalePlane(dst.pix[i], dw, dh, sources[i], strides[i], sourceSizes[i][0], sourceSizes[i][1], scale)
	}

	return dst, true
}

// downscalePlane averages scale x scale blocks of the sw x sh plane src into
// the dw x dh plane dst.
func downscalePlane(dst []uint8, dw, dh int, src []uint8, stride, sw, sh, scale int) {
	fx, fy := scale, scale
	sums := make([]uint32, dw)
	for oy := range dh {
		clear(sums)
		y0, y1 := oy*fy, min(oy*fy+fy, sh)
		for y := y0; y < y1; y++ {
			addBlocks(sums, src[y*stride:y*stride+sw], fx)
		}

		writeMeans(dst[oy*dw:oy*dw+dw], sums, fx, y1-y0, sw)
	}
}

// writeMeans divides the block sums of one output row by their pixel
// counts. Full blocks of a power-of-two count, the usual case, divide by
// shifting.
func writeMeans(out []uint8, sums []uint32, fx, rows, sw int) {
	full := sw / fx
	if n := fx * rows; n&(n-1) == 0 {
		shift := uint(bits.TrailingZeros(uint(n)))
		for ox, sum := range sums[:full] {
			out[ox] = uint8((sum + uint32(n/2)) >> shift)
		}
	} else {
		for ox, sum := range sums[:full] {
			out[ox] = uint8((sum + uint32(n/2)) / uint32(n))
		}
	}

	if full < len(out) {
		n := uint32((sw - full*fx) * rows)
		out[full] = uint8((sums[full] + n/2) / n)
	}
}

// addBlocks adds the sum of each run of f bytes of row to sums, one sum per
// run. A shorter last run is added too.
func addBlocks(sums []uint32, row []uint8, f int) {
	full := len(row) / f
	switch f {
	case 4:
		addBlocksOf4(sums, row[:full*4])
	case 2:
		for ox := range full {
			b := row[ox*2 : ox*2+2 : ox*2+2]
			sums[ox] += uint32(b[0]) + uint32(b[1])
		}
	default:
		for ox := range full {
			for _, v := range row[ox*f : ox*f+f] {
				sums[ox] += uint32(v)
			}
		}
	}

	for _, v := range row[full*f:] {
		sums[full] += uint32(v)
	}
}

// addBlocksOf4 adds the sums of runs of 4 bytes, eight bytes per load. It
// adds the bytes pairwise in 16-bit lanes, then the pairs in 32-bit lanes.
func addBlocksOf4(sums []uint32, row []uint8) {
	const bytes, pairs = 0x00ff00ff00ff00ff, 0x0000ffff0000ffff
	i := 0
	for ; i+8 <= len(row); i += 8 {
		v := binary.LittleEndian.Uint64(row[i:])
		v = v&bytes + v>>8&bytes
		v = v&pairs + v>>16&pairs
		sums[i/4] += uint32(v)
		sums[i/4+1] += uint32(v >> 32)
	}

	if i < len(row) {
		b := row[i : i+4 : i+4]
		sums[i/4] += uint32(b[0]) + uint32(b[1]) + uint32(b[2]) + uint32(b[3])
	}
}

// writeAverages turns the block sums of output row oy into RGB pixels.
func writeAverages(dst *planes, oy int, sums []uint32, w, rows, scale int, isYCbCr bool) {
	row := oy * dst.w
	for ox := range dst.w {
		n := uint32(min(scale, w-ox*scale) * rows)
		c0 := uint8((sums[ox*3] + n/2) / n)
		c1 := uint8((sums[ox*3+1] + n/2) / n)
		c2 := uint8((sums[ox*3+2] + n/2) / n)
		if isYCbCr {
			c0, c1, c2 = color.YCbCrToRGB(c0, c1, c2)
		}

		dst.pix[0][row+ox], dst.pix[1][row+ox], dst.pix[2][row+ox] = c0, c1, c2
	}
}

// rowAdder returns a function that adds the pixels of source row y (0-based)
// to the per-block sums, three values per output pixel. Common decoder
// outputs have fast paths. isYCbCr reports sums of Y, Cb and Cr rather than
// of premultiplied R, G and B.
func rowAdder(img image.Image, scale int) (addRow func(y int, sums []uint32), isYCbCr bool) {
	switch src := img.(type) {
	case *image.YCbCr:
		if add, ok := yCbCrRowAdder(src, scale); ok {
			return add, true
		}
	case *image.RGBA:
		return rgbaRowAdder(src, scale), false
	case *image.NRGBA:
		return nrgbaRowAdder(src, scale), false
	case *image.Paletted:
		return palettedRowAdder(src, scale), false
	case *image.Gray:
		return grayRowAdder(src, scale), false
	}

	return genericRowAdder(img, scale), false
}

// chromaShifts returns log2 of the horizontal and vertical chroma
// subsampling of ratio.
func chromaShifts(ratio image.YCbCrSubsampleRatio) (sx, sy uint, ok bool) {
	switch ratio {
	case image.YCbCrSubsampleRatio444:
		return 0, 0, true
	case image.YCbCrSubsampleRatio422:
		return 1, 0, true
	case image.YCbCrSubsampleRatio420:
		return 1, 1, true
	case image.YCbCrSubsampleRatio440:
		return 0, 1, true
	case image.YCbCrSubsampleRatio411:
		return 2, 0, true
	case image.YCbCrSubsampleRatio410:
		return 2, 1, true
	}

	return 0, 0, false
}

// yCbCrRowAdder sums Y, Cb and Cr, so that only the averages need the
// conversion to RGB. It serves the scales and origins that downscaleYCbCr
// cannot take.
func yCbCrRowAdder(src *image.YCbCr, scale int) (func(int, []uint32), bool) {
	sx, _, ok := chromaShifts(src.SubsampleRatio)
	if !ok {
		return nil, false
	}

	b := src.Rect
	w := b.Dx()
	// phase is where b.Min.X falls within a chroma sample, so that pixel x
	// of the row uses chroma sample (phase+x)>>sx of the row's chroma.
	phase := b.Min.X & (1<<sx - 1)
	return func(y int, sums []uint32) {
		yRow := src.Y[src.YOffset(b.Min.X, b.Min.Y+y):][:w]
		cOffset := src.COffset(b.Min.X, b.Min.Y+y)
		chromaLen := (phase+w-1)>>sx + 1
		cbRow := src.Cb[cOffset:][:chromaLen]
		crRow := src.Cr[cOffset:][:chromaLen]
		for ox, x0 := 0, 0; x0 < w; ox, x0 = ox+1, x0+scale {
			var sy, scb, scr uint32
			x1 := min(x0+scale, w)
			for x := x0; x < x1; x++ {
				k := (phase + x) >> sx
				sy += uint32(yRow[x])
				scb += uint32(cbRow[k])
				scr += uint32(crRow[k])
			}

			sums[ox*3] += sy
			sums[ox*3+1] += scb
			sums[ox*3+2] += scr
		}
	}, true
}

func rgbaRowAdder(src *image.RGBA, scale int) func(int, []uint32) {
	w := src.Rect.Dx()
	return func(y int, sums []uint32) {
		row := src.Pix[src.PixOffset(src.Rect.Min.X, src.Rect.Min.Y+y):]
		for ox, x0 := 0, 0; x0 < w; ox, x0 = ox+1, x0+scale {
			var r, g, bl uint32
			x1 := min(x0+scale, w)
			for x := x0; x < x1; x++ {
				r += uint32(row[x*4])
				g += uint32(row[x*4+1])
				bl += uint32(row[x*4+2])
			}

			sums[ox*3] += r
			sums[ox*3+1] += g
			sums[ox*3+2] += bl
		}
	}
}

func nrgbaRowAdder(src *image.NRGBA, scale int) func(int, []uint32) {
	w := src.Rect.Dx()
	return func(y int, sums []uint32) {
		row := src.Pix[src.PixOffset(src.Rect.Min.X, src.Rect.Min.Y+y):]
		for ox, x0 := 0, 0; x0 < w; ox, x0 = ox+1, x0+scale {
			var r, g, bl uint32
			x1 := min(x0+scale, w)
			for x := x0; x < x1; x++ {
				a := uint32(row[x*4+3])
				r += (uint32(row[x*4])*a + 127) / 255
				g += (uint32(row[x*4+1])*a + 127) / 255
				bl += (uint32(row[x*4+2])*a + 127) / 255
			}

			sums[ox*3] += r
			sums[ox*3+1] += g
			sums[ox*3+2] += bl
		}
	}
}

func palettedRowAdder(src *image.Paletted, scale int) func(int, []uint32) {
	var table [256][3]uint32
	for i, c := range src.Palette {
		r, g, b, _ := c.RGBA()
		table[i] = [3]uint32{r >> 8, g >> 8, b >> 8}
	}

	w := src.Rect.Dx()
	return func(y int, sums []uint32) {
		row := src.Pix[src.PixOffset(src.Rect.Min.X, src.Rect.Min.Y+y):]
		for ox, x0 := 0, 0; x0 < w; ox, x0 = ox+1, x0+scale {
			x1 := min(x0+scale, w)
			for x := x0; x < x1; x++ {
				c := &table[row[x]]
				sums[ox*3] += c[0]
				sums[ox*3+1] += c[1]
				sums[ox*3+2] += c[2]
			}
		}
	}
}

func grayRowAdder(src *image.Gray, scale int) func(int, []uint32) {
	w := src.Rect.Dx()
	return func(y int, sums []uint32) {
		row := src.Pix[src.PixOffset(src.Rect.Min.X, src.Rect.Min.Y+y):]
		for ox, x0 := 0, 0; x0 < w; ox, x0 = ox+1, x0+scale {
			var v uint32
			x1 := min(x0+scale, w)
			for x := x0; x < x1; x++ {
				v += uint32(row[x])
			}

			sums[ox*3] += v
			sums[ox*3+1] += v
			sums[ox*3+2] += v
		}
	}
}

// genericRowAdder reads pixels through image.Image.At, which is slow but
// covers the rarer decoder outputs (16-bit PNG, CMYK JPEG, WebP with alpha).
func genericRowAdder(img image.Image, scale int) func(int, []uint32) {
	b := img.Bounds()
	w := b.Dx()
	return func(y int, sums []uint32) {
		for x := range w {
			r, g, bl, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			ox := x / scale
			sums[ox*3] += r >> 8
			sums[ox*3+1] += g >> 8
			sums[ox*3+2] += bl >> 8
		}
	}
}

// boxBlur blurs the w x h plane in place with one box filter per radius,
// first along rows, then along columns, alternating between plane and
// scratch. Edge pixels extend beyond the border, so edges do not darken.
func boxBlur(plane, scratch []uint8, w, h int, rowRadii, columnRadii []int) {
	src, dst := plane, scratch[:len(plane)]
	for _, r := range rowRadii {
		if r > 0 {
			blurRows(dst, src, w, h, r)
			src, dst = dst, src
		}
	}

	for _, r := range columnRadii {
		if r > 0 {
			blurColumns(dst, src, w, h, r)
			src, dst = dst, src
		}
	}

	if &src[0] != &plane[0] {
		copy(plane, src)
	}
}

// boxMultiplier returns mul such that (sum*mul+32768)>>16 is the rounded
// mean of 2r+1 bytes. sum*mul stays near mean*65536, so it fits in 32 bits,
// and for r < 128 the rounded mean never exceeds 255.
func boxMultiplier(r int) uint32 {
	return uint32((65536 + r) / (2*r + 1))
}

// blurRows writes to dst the mean of the 2r+1 bytes around each byte of
// src along its row. It runs four rows per loop, because each running sum
// is a chain of dependent additions and four chains keep the CPU busy.
func blurRows(dst, src []uint8, w, h, r int) {
	mul := boxMultiplier(r)
	y := 0
	for ; y+4 <= h; y += 4 {
		in0, in1, in2, in3 := src[y*w:][:w], src[(y+1)*w:][:w], src[(y+2)*w:][:w], src[(y+3)*w:][:w]
		out0, out1, out2, out3 := dst[y*w:][:w], dst[(y+1)*w:][:w], dst[(y+2)*w:][:w], dst[(y+3)*w:][:w]

		var s0, s1, s2, s3 uint32
		for i := -r; i <= r; i++ {
			k := min(max(i, 0), w-1)
			s0 += uint32(in0[k])
			s1 += uint32(in1[k])
			s2 += uint32(in2[k])
			s3 += uint32(in3[k])
		}

		for x := range w {
			out0[x] = uint8((s0*mul + 32768) >> 16)
			out1[x] = uint8((s1*mul + 32768) >> 16)
			out2[x] = uint8((s2*mul + 32768) >> 16)
			out3[x] = uint8((s3*mul + 32768) >> 16)

			add, sub := min(x+r+1, w-1), max(x-r, 0)
			s0 += uint32(in0[add]) - uint32(in0[sub])
			s1 += uint32(in1[add]) - uint32(in1[sub])
			s2 += uint32(in2[add]) - uint32(in2[sub])
			s3 += uint32(in3[add]) - uint32(in3[sub])
		}
	}

	for ; y < h; y++ {
		in, out := src[y*w:][:w], dst[y*w:][:w]
		var sum uint32
		for i := -r; i <= r; i++ {
			sum += uint32(in[min(max(i, 0), w-1)])
		}

		for x := range out {
			out[x] = uint8((sum*mul + 32768) >> 16)
			sum += uint32(in[min(x+r+1, w-1)]) - uint32(in[max(x-r, 0)])
		}
	}
}

// blurColumns writes to dst the mean of the 2r+1 bytes around each byte of
// src along its column. It keeps one running sum per column, so that it
// reads src row by row.
func blurColumns(dst, src []uint8, w, h, r int) {
	mul := boxMultiplier(r)
	row := func(y int) []uint8 {
		y = min(max(y, 0), h-1)
		return src[y*w : y*w+w]
	}

	sums := make([]uint32, w)
	for i := -r; i <= r; i++ {
		for x, v := range row(i) {
			sums[x] += uint32(v)
		}
	}

	for y := range h {
		out := dst[y*w : y*w+w]
		add, sub := row(y+r+1), row(y-r)
		for x := range out {
			out[x] = uint8((sums[x]*mul + 32768) >> 16)
			sums[x] += uint32(add[x]) - uint32(sub[x])
		}
	}
}
