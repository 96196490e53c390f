package assets

import (
	"math"
	"strconv"
	"strings"
)

// urlPrefix is the path under which the handler serves assets.
const urlPrefix = "/assets/"

// Blur radius limits in CSS pixels.
const (
	minBlurRadius = 1
	maxBlurRadius = 64
)

// blurInfix separates the id from the radius in a blurred asset's name,
// as in "<id>-blur20.jpg".
const blurInfix = "-blur"

// shrinkInfix separates the id from the box in a shrunk asset's name, as in
// "<id>-fit180x180.png".
const shrinkInfix = "-fit"

// maxShrinkSide is the largest side in device pixels of a shrink box. It
// bounds the memory of one copy at 4 MiB of pixels. Icons and avatars need
// at most 768 (a 256 px box at scale 3).
const maxShrinkSide = 1024

// assetName is a parsed asset name: "<id>.<ext>" for an image,
// "<id>-blur<radius>.jpg" for a blurred copy of image <id>, or
// "<id>-fit<width>x<height>.png" for a copy shrunk to cover a box of that
// many device pixels.
type assetName struct {
	id     string
	ext    string
	radius int // 0 for an image, 1-64 for a blurred copy

	// boxWidth and boxHeight are the box of a shrunk copy, 0 for others.
	boxWidth, boxHeight int
}

func (n assetName) String() string {
	switch {
	case n.radius != 0:
		return n.id + blurInfix + strconv.Itoa(n.radius) + ".jpg"
	case n.boxWidth != 0:
		return n.id + shrinkInfix + strconv.Itoa(n.boxWidth) + "x" + strconv.Itoa(n.boxHeight) + ".png"
	default:
		return n.id + "." + n.ext
	}
}

// variant reports whether n names a copy made from another image.
func (n assetName) variant() bool {
	return n.radius != 0 || n.boxWidth != 0
}

// parseAssetName parses the last path segment of an asset URL. It accepts
// only the canonical spelling, so each asset has exactly one URL: lowercase
// hex id, a known extension and a radius without leading zeros.
func parseAssetName(name string) (assetName, bool) {
	base, ext, ok := strings.Cut(name, ".")
	if !ok {
		return assetName{}, false
	}

	if _, known := formatsByExt[ext]; !known {
		return assetName{}, false
	}

	if id, box, shrunk := strings.Cut(base, shrinkInfix); shrunk {
		return parseShrinkName(id, box, ext)
	}

	id, radiusText, blurred := strings.Cut(base, blurInfix)
	if !isContentID(id) {
		return assetName{}, false
	}

	if !blurred {
		return assetName{id: id, ext: ext}, true
	}

	radius, err := strconv.Atoi(radiusText)
	valid := err == nil && ext == formatJPEG.ext && strconv.Itoa(radius) == radiusText &&
		radius >= minBlurRadius && radius <= maxBlurRadius
	if !valid {
		return assetName{}, false
	}

	return assetName{id: id, ext: ext, radius: radius}, true
}

// parseShrinkName parses the parts of "<id>-fit<width>x<height>.png".
func parseShrinkName(id, box, ext string) (assetName, bool) {
	widthText, heightText, ok := strings.Cut(box, "x")
	if !ok || !isContentID(id) || ext != formatPNG.ext {
		return assetName{}, false
	}

	width, ok1 := parseSide(widthText)
	height, ok2 := parseSide(heightText)
	if !ok1 || !ok2 {
		return assetName{}, false
	}
	return assetName{id: id, ext: ext, boxWidth: width, boxHeight: height}, true
}

// parseSide parses a side of a shrink box, spelled without leading zeros.
func parseSide(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	if err != nil || strconv.Itoa(n) != s || n < 1 || n > maxShrinkSide {
		return 0, false
	}
	return n, true
}

// isContentID reports whether s has the form that contentID returns.
func isContentID(s string) bool {
	if len(s) != 32 {
		return false
	}

	for i := range len(s) {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}

	return true
}

// BlurURL returns the URL of a copy of an "/assets/..." image blurred like
// the CSS filter blur(radius), with radius in CSS pixels and the image drawn
// at its natural size. A radius above 64 is treated as 64. For a radius
// below 1, an already blurred URL or any other URL, it returns url unchanged.
//
// The copy is a JPEG scaled down by min(radius, 4) in each direction, so
// templates must size it with CSS, for example with background-size: cover.
// Transparent areas turn black.
func BlurURL(url string, radius int) string {
	name, ok := strings.CutPrefix(url, urlPrefix)
	if !ok || radius < minBlurRadius {
		return url
	}

	parsed, ok := parseAssetName(name)
	if !ok || parsed.radius != 0 {
		return url
	}

	blurred := assetName{id: parsed.id, ext: formatJPEG.ext, radius: min(radius, maxBlurRadius)}
	return urlPrefix + blurred.String()
}

// ShrinkURL returns the URL of a copy of an "/assets/..." image that is just
// large enough to cover a box of width x height CSS px at the device scale
// factor scale, with its aspect ratio kept. Chrome then decodes and scales a
// small image on every card instead of the full one, such as a 90 px copy
// of a 256 px character icon. An image already small enough is served as it is. For
// any other URL, a copy's URL, or a box that is empty or larger than 1024
// device px on a side, it returns url unchanged.
//
// The copy is a PNG, so it keeps transparency. Only PNG sources are shrunk,
// and only those without color or orientation chunks (see plainPNG).
func ShrinkURL(url string, width, height int, scale float64) string {
	name, ok := strings.CutPrefix(url, urlPrefix)
	if !ok || width < 1 || height < 1 || !(scale >= 1) {
		return url
	}

	parsed, ok := parseAssetName(name)
	if !ok || parsed.variant() {
		return url
	}

	boxWidth, boxHeight := math.Ceil(float64(width)*scale), math.Ceil(float64(height)*scale)
	if boxWidth > maxShrinkSide || boxHeight > maxShrinkSide {
		return url
	}

	shrunk := assetName{id: parsed.id, ext: formatPNG.ext, boxWidth: int(boxWidth), boxHeight: int(boxHeight)}
	return urlPrefix + shrunk.String()
}
