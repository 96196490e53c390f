package assets

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/webp"
)

// format is an accepted image format. The decoders are called directly
// rather than through image.Decode, so that a format registered elsewhere in
// the binary is never accepted here.
type format struct {
	ext          string
	contentType  string
	decodeConfig func(io.Reader) (image.Config, error)
	decode       func(io.Reader) (image.Image, error)
}

var (
	formatJPEG = format{"jpg", "image/jpeg", jpeg.DecodeConfig, jpeg.Decode}
	formatPNG  = format{"png", "image/png", png.DecodeConfig, png.Decode}
	formatGIF  = format{"gif", "image/gif", gif.DecodeConfig, gif.Decode}
	formatWebP = format{"webp", "image/webp", webp.DecodeConfig, webp.Decode}
)

// formatsByExt maps a URL extension to its format.
var formatsByExt = map[string]format{
	formatJPEG.ext: formatJPEG,
	formatPNG.ext:  formatPNG,
	formatGIF.ext:  formatGIF,
	formatWebP.ext: formatWebP,
}

// detectFormat returns the format whose signature starts data.
func detectFormat(data []byte) (format, bool) {
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xd8, 0xff}):
		return formatJPEG, true
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return formatPNG, true
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return formatGIF, true
	case len(data) >= 12 && string(data[0:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return formatWebP, true
	}

	return format{}, false
}

// asset is one cached image: the original bytes of a fetched or added image,
// or the encoded bytes of a blurred copy.
type asset struct {
	// name is "<id>.<ext>", "<id>-blur<radius>.jpg" or
	// "<id>-fit<width>x<height>.png", the last path segment of its URL.
	name        string
	contentType string
	data        []byte

	// asIs marks a shrunk copy that is the source's bytes under the copy's
	// name, because the source is small enough or cannot be shrunk safely.
	asIs bool

	// blurBase is the image scaled down by maxBlurScale, kept from the
	// check decode so that most blurred copies skip a second decode. It is
	// nil for blurred copies.
	blurBase *planes
}

// size returns the memory that the cache counts for a.
func (a *asset) size() int64 {
	return int64(len(a.data) + a.blurBase.bytes())
}

// url returns the root-relative URL that the handler serves the asset at.
func (a *asset) url() string {
	return urlPrefix + a.name
}

// contentID returns the id of data: the first 128 bits of its SHA-256 in hex.
func contentID(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:16])
}

// imageLimits are the dimension caps checked before a full decode.
type imageLimits struct {
	maxSide   int
	maxPixels int
}

// checkDimensions rejects a header that declares more pixels than the limits.
func (l imageLimits) checkDimensions(cfg image.Config) error {
	w, h := cfg.Width, cfg.Height
	if w <= 0 || h <= 0 {
		return fmt.Errorf("%w: header declares %dx%d", ErrDecode, w, h)
	}

	if w > l.maxSide || h > l.maxSide {
		return fmt.Errorf("%w: %dx%d exceeds the max side of %d pixels", ErrTooManyPixels, w, h, l.maxSide)
	}

	if int64(w)*int64(h) > int64(l.maxPixels) {
		return fmt.Errorf("%w: %dx%d exceeds the max of %d pixels", ErrTooManyPixels, w, h, l.maxPixels)
	}

	return nil
}

// newAsset checks that data is a whole image within the limits and names it
// by its content. The header is checked before the full decode, so that a
// small body declaring a huge image never allocates its pixels.
func (p *Pipeline) newAsset(data []byte) (*asset, error) {
	f, ok := detectFormat(data)
	if !ok {
		return nil, fmt.Errorf("%w: content starts with %q", ErrNotImage, data[:min(len(data), 16)])
	}

	cfg, err := f.decodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decode %s header: %w: %w", f.ext, ErrDecode, err)
	}

	if err := p.limits.checkDimensions(cfg); err != nil {
		return nil, err
	}

	base, err := p.decodeScaled(f, data, maxBlurScale)
	if err != nil {
		return nil, err
	}

	return &asset{
		name:        contentID(data) + "." + f.ext,
		contentType: f.contentType,
		data:        data,
		blurBase:    base,
	}, nil
}

// decodeScaled decodes data in full and returns it scaled down by scale.
// A slot of p.decodeSlots bounds how many decoded images exist at once,
// because each may take up to MaxPixels*8 bytes.
func (p *Pipeline) decodeScaled(f format, data []byte, scale int) (*planes, error) {
	p.decodeSlots <- struct{}{}
	defer func() { <-p.decodeSlots }()

	img, err := f.decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w: %w", f.ext, ErrDecode, err)
	}

	return downscale(img, scale), nil
}
