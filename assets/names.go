package assets

import (
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

// assetName is a parsed asset name: "<id>.<ext>" for an image, or
// "<id>-blur<radius>.jpg" for a blurred copy of image <id>.
type assetName struct {
	id     string
	ext    string
	radius int // 0 for an image, 1-64 for a blurred copy
}

func (n assetName) String() string {
	if n.radius == 0 {
		return n.id + "." + n.ext
	}

	return n.id + blurInfix + strconv.Itoa(n.radius) + ".jpg"
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
