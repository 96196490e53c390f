package record

import "strings"

// Label languages. Decode falls back to LangZH for any other value.
const (
	LangZH = "zh-CN"
	LangEN = "en"
)

// normaliseLang maps a request language to LangZH or LangEN.
func normaliseLang(lang string) string {
	if strings.EqualFold(lang, LangEN) {
		return LangEN
	}

	return LangZH
}

// label is a display text in both supported languages.
type label struct {
	zh, en string
}

func (l label) in(lang string) string {
	if lang == LangEN {
		return l.en
	}

	return l.zh
}
