package styles

import (
	"html/template"
	"path"
	"strconv"
	"strings"

	"github.com/Masterminds/sprig/v3"

	"github.com/igs-dev/igs/record"
)

// unsafeSprig lists sprig functions left out of templates because they read
// the environment or the network. Sprig has no function that reads files.
var unsafeSprig = []string{"env", "expandenv", "getHostByName"}

// ElementColor returns the CSS colour of an element name in any case, grey
// for an unknown one.
func ElementColor(element string) string { return record.ElementColor(element) }

// baseFuncs returns sprig's HTML-safe set plus the igs functions that do not
// depend on the style; extra (from Options) may add or override.
func baseFuncs(extra template.FuncMap) template.FuncMap {
	funcs := sprig.HtmlFuncMap()
	for _, name := range unsafeSprig {
		delete(funcs, name)
	}

	funcs["static"] = func(file string) string { return "/static/" + strings.TrimPrefix(path.Clean("/"+file), "/") }
	funcs["elementColor"] = ElementColor
	funcs["permille"] = Permille
	funcs["stars"] = Stars
	funcs["truncRunes"] = TruncRunes
	funcs["label"] = Label
	funcs["imageURL"] = ImageURL
	// blur and shrink are replaced through Options.Funcs by the asset
	// pipeline; the fallbacks keep the plain image.
	funcs["blur"] = func(url string, radius int) string { return url }
	funcs["shrink"] = func(url string, width, height int, scale float64) string { return url }
	funcs["asset"] = func(file string) string { return "" }

	for name, fn := range extra {
		funcs[name] = fn
	}
	return funcs
}

// Label returns the label key in the view's language, filled with args by
// fmt.Sprintf when given. An unknown key returns the key itself, so that a
// typo shows on the card.
func Label(v *View, key string, args ...any) string {
	return v.Label(key, args...)
}

// ImageURL returns the URL the asset pipeline serves a remote image under,
// or fallback when the image is absent or its fetch failed.
func ImageURL(img record.Image, fallback string) string {
	if img.OK && img.URL != "" {
		return img.URL
	}
	return fallback
}

// Permille formats a per-mille value as a percentage with one decimal,
// dropping a trailing ".0": 563 -> "56.3", 1000 -> "100".
func Permille(v int) string {
	v = max(0, min(v, 1000))
	if v%10 == 0 {
		return strconv.Itoa(v / 10)
	}
	return strconv.Itoa(v/10) + "." + strconv.Itoa(v%10)
}

// Stars returns n star characters, at most 5 (Aloy's 105 counts as 5).
func Stars(n int) string {
	n = max(0, min(n, 5))
	return strings.Repeat("★", n)
}

// TruncRunes cuts s to n characters and adds "…" when it cut anything;
// unlike sprig's trunc it never splits a multi-byte character.
func TruncRunes(n int, s string) string {
	runes := []rune(s)
	if n < 1 || len(runes) <= n {
		return s
	}
	return string(runes[:n-1]) + "…"
}
