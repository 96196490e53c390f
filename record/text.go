package record

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Length limits for strings taken from the body, in runes unless noted.
const (
	maxNameRunes    = 64
	maxShortRunes   = 32
	maxMessageRunes = 200
	// maxURLBytes rejects longer image URLs outright, because a cut URL
	// points somewhere else.
	maxURLBytes = 2048
)

// cleanText trims s, turns line breaks and tabs into spaces, drops other
// control and bidirectional formatting characters, and cuts it to limit runes.
func cleanText(s string, limit int) string {
	s = strings.TrimSpace(strings.Map(cleanRune, s))

	return strings.TrimSpace(truncateRunes(s, limit))
}

func cleanRune(r rune) rune {
	switch {
	case r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r' ||
		r == 0x85 || r == 0x2028 || r == 0x2029:
		return ' '
	case unicode.IsControl(r) || isBidiControl(r) || r == 0xfeff:
		return -1
	}

	return r
}

// isBidiControl reports the characters that reorder text around them, which
// would let a nickname flip the layout of its neighbours.
func isBidiControl(r rune) bool {
	return r == 0x061c || r == 0x200e || r == 0x200f ||
		r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

func truncateRunes(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}

	count := 0
	for i := range s {
		if count == limit {
			return s[:i]
		}

		count++
	}

	return s
}

// imageSrc returns raw trimmed when it is an absolute http or https URL with
// a host, and "" otherwise, because the asset pipeline fetches only these.
func imageSrc(raw string) string {
	s := strings.TrimSpace(raw)
	if s == "" || len(s) > maxURLBytes {
		return ""
	}

	if strings.IndexFunc(s, func(r rune) bool { return r <= ' ' || unicode.IsControl(r) }) >= 0 {
		return ""
	}

	u, err := url.Parse(s)
	if err != nil {
		return ""
	}

	// url.Parse lower-cases the scheme, so "HTTPS://" passes too.
	if u.Scheme != "http" && u.Scheme != "https" || u.Hostname() == "" {
		return ""
	}

	return s
}

// formatPercent formats a per-mille value as a percentage with one decimal,
// dropping a trailing ".0": 1000 -> "100", 563 -> "56.3".
func formatPercent(perMille int) string {
	whole, tenth := perMille/10, perMille%10
	if tenth == 0 {
		return strconv.Itoa(whole)
	}

	return strconv.Itoa(whole) + "." + strconv.Itoa(tenth)
}

func clamp(v, low, high int) int {
	return min(max(v, low), high)
}
