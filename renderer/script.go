package renderer

// mayRunScript reports whether a page can run JavaScript or schedule a
// navigation: it has a script element, an inline event handler attribute, a
// javascript: URL or a meta refresh. Such a page can leave timers and globals
// in the window, which a replaced document keeps, so its tab is reset. The
// check is a cheap scan that can report pages that run nothing.
func mayRunScript(html string) bool {
	for i := 0; i < len(html); i++ {
		switch c := html[i] | 0x20; {
		case c == '<' && hasFoldPrefix(html[i+1:], "script"):
			return true
		case c == 'j' && hasFoldPrefix(html[i:], "javascript:"):
			return true
		case c == 'h' && hasFoldPrefix(html[i:], "http-equiv"):
			return true
		case isSpace(html[i]) && isHandlerAttribute(html[i+1:]):
			return true
		}
	}
	return false
}

// isHandlerAttribute reports whether s starts with an attribute like
// onload= or onclick =.
func isHandlerAttribute(s string) bool {
	if !hasFoldPrefix(s, "on") {
		return false
	}

	i := 2
	for i < len(s) && isLetter(s[i]) {
		i++
	}
	if i == 2 {
		return false
	}

	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i < len(s) && s[i] == '='
}

// hasFoldPrefix reports whether s starts with the lower-case ASCII prefix,
// ignoring case.
func hasFoldPrefix(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}

	for i := 0; i < len(prefix); i++ {
		if s[i]|0x20 != prefix[i] {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool {
	c |= 0x20
	return c >= 'a' && c <= 'z'
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '/' || c == '"' || c == '\''
}
