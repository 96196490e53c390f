package server

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/igs-dev/igs/styles"
)

// output holds the parameters every style takes: how the image is encoded
// and which language its labels use.
type output struct {
	Format  string // jpeg, png or webp (Chrome's names)
	Ext     string // jpg, png or webp
	Quality int
	Scale   float64
	Lang    string // zh-CN or en
}

// Declarations of the output parameters, used to word their errors.
var (
	typeParam    = styles.Param{Name: "type", Type: styles.TypeEnum, Enum: []string{"jpg", "jpeg", "png", "webp"}}
	qualityParam = styles.Param{Name: "quality", Type: styles.TypeInt, Min: ptr(1), Max: ptr(100)}
	scaleParam   = styles.Param{Name: "scale", Type: styles.TypeEnum, Enum: []string{"1", "1.5", "2", "2.5", "3"}}
	langParam    = styles.Param{Name: "lang", Type: styles.TypeEnum, Enum: []string{"zh-CN", "en"}}
)

func ptr(n int) *int { return &n }

// parseLang reads lang; zh, zh-cn, zh_CN and the like mean zh-CN, and en-US
// and the like mean en. It is parsed first so that errors use the language.
func parseLang(query url.Values) (string, error) {
	raw := strings.TrimSpace(query.Get("lang"))
	lower := strings.ToLower(strings.ReplaceAll(raw, "_", "-"))
	switch {
	case raw == "":
		return "zh-CN", nil
	case lower == "zh" || strings.HasPrefix(lower, "zh-"):
		return "zh-CN", nil
	case lower == "en" || strings.HasPrefix(lower, "en-"):
		return "en", nil
	}
	return "zh-CN", &styles.ParamError{Name: "lang", Value: raw, Param: langParam}
}

// parseOutput reads type, quality and scale.
func parseOutput(query url.Values, lang string) (output, error) {
	out := output{Format: "jpeg", Ext: "jpg", Quality: 90, Scale: 1, Lang: lang}

	switch raw := strings.ToLower(strings.TrimSpace(query.Get("type"))); raw {
	case "", "jpg", "jpeg":
	case "png", "webp":
		out.Format, out.Ext = raw, raw
	default:
		return out, &styles.ParamError{Name: "type", Value: query.Get("type"), Param: typeParam}
	}

	if raw := strings.TrimSpace(query.Get("quality")); raw != "" {
		q, err := strconv.Atoi(raw)
		if err != nil || q < 1 || q > 100 {
			return out, &styles.ParamError{Name: "quality", Value: raw, Param: qualityParam}
		}
		out.Quality = q
	}

	if raw := strings.TrimSpace(query.Get("scale")); raw != "" {
		s, err := strconv.ParseFloat(raw, 64)
		// Half steps keep the output width a whole number for every style width.
		if err != nil || s < 1 || s > 3 || s*2 != float64(int(s*2)) {
			return out, &styles.ParamError{Name: "scale", Value: raw, Param: scaleParam}
		}
		out.Scale = s
	}
	return out, nil
}
