package assets

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/png"
	"math"

	"golang.org/x/image/draw"
)

// shrinkEncoder writes shrunk copies. Copies are small and made once per
// image and box, so speed matters more than size.
var shrinkEncoder = png.Encoder{CompressionLevel: png.BestSpeed}

// shrinkAsset returns the copy of source that covers the box of name, with
// the aspect ratio of source. A source that is not larger than needed, or
// that only Chrome draws right, is served as it is under the copy's name.
func (p *Pipeline) shrinkAsset(source *asset, name assetName) (*asset, error) {
	asIs := &asset{name: name.String(), contentType: source.contentType, data: source.data, asIs: true}
	f, ok := formatsByExt[source.name[len(name.id)+1:]]
	if !ok {
		return nil, fmt.Errorf("shrink %s: unknown source format", source.name)
	}
	if f.ext != formatPNG.ext || !plainPNG(source.data) {
		return asIs, nil
	}

	cfg, err := f.decodeConfig(bytes.NewReader(source.data))
	if err != nil {
		return nil, fmt.Errorf("shrink %s: decode header: %w", source.name, err)
	}
	width, height, ok := coverSize(cfg.Width, cfg.Height, name.boxWidth, name.boxHeight)
	if !ok {
		return asIs, nil
	}

	p.decodeSlots <- struct{}{}
	defer func() { <-p.decodeSlots }()

	img, err := f.decode(bytes.NewReader(source.data))
	if err != nil {
		return nil, fmt.Errorf("shrink %s: %w: %w", source.name, ErrDecode, err)
	}

	dst := image.NewRGBA(image.Rect(0, 0, width, height))
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, img.Bounds(), draw.Src, nil)

	var buf bytes.Buffer
	if err := shrinkEncoder.Encode(&buf, dst); err != nil {
		return nil, fmt.Errorf("shrink %s: encode png: %w", source.name, err)
	}
	return &asset{name: name.String(), contentType: formatPNG.contentType, data: buf.Bytes()}, nil
}

// plainPNG reports whether a PNG has none of the chunks that change how
// Chrome draws it but that Go's decoder ignores: gamma, chromaticities, an
// ICC profile and EXIF orientation. Only such a PNG is shrunk. JPEG (EXIF
// orientation, ICC profiles), WebP (Go reads lossy WebP colors as full
// range) and GIF (animation) are served as they are.
func plainPNG(data []byte) bool {
	const signature = 8
	for pos := signature; pos+8 <= len(data); {
		length := int(binary.BigEndian.Uint32(data[pos:]))
		switch string(data[pos+4 : pos+8]) {
		case "gAMA", "cHRM", "iCCP", "eXIf":
			return false
		case "IDAT", "IEND":
			return true
		}
		if length < 0 || length > len(data) {
			return false
		}
		pos += 12 + length
	}
	return false
}

// coverSize returns the smallest size with the aspect ratio of width x
// height that covers boxWidth x boxHeight, and whether it is smaller than
// the image.
func coverSize(width, height, boxWidth, boxHeight int) (int, int, bool) {
	f := math.Max(float64(boxWidth)/float64(width), float64(boxHeight)/float64(height))
	if f >= 1 {
		return width, height, false
	}
	w := max(1, int(math.Ceil(float64(width)*f-1e-9)))
	h := max(1, int(math.Ceil(float64(height)*f-1e-9)))
	return min(w, width), min(h, height), w < width || h < height
}
