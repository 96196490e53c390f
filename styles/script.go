package styles

import (
	"bytes"
	"regexp"
)

// scriptPatterns match what runs JavaScript in a page: a script element, an
// event handler attribute inside a tag, and a javascript: URL.
var scriptPatterns = []*regexp.Regexp{
	regexp.MustCompile(`(?i)<script[\s>/]`),
	regexp.MustCompile(`(?i)<[a-z][^<>]*?\son[a-z]+\s*=`),
	regexp.MustCompile(`(?i)javascript:`),
}

// findScript returns the line of the first match of scriptPatterns in a
// template's source.
func findScript(text []byte) (int, bool) {
	first := -1
	for _, p := range scriptPatterns {
		if loc := p.FindIndex(text); loc != nil && (first < 0 || loc[0] < first) {
			first = loc[0]
		}
	}
	if first < 0 {
		return 0, false
	}
	return 1 + bytes.Count(text[:first], []byte("\n")), true
}
