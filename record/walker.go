package record

import (
	"encoding/json"
	"strconv"
	"strings"
)

// maxMagnitude bounds every decoded integer so that no later sum or
// conversion can overflow. Each field then clamps to a much smaller range.
const maxMagnitude = 1 << 53

// node is a decoded JSON value with its path in the body. val is nil when the
// value is null or the key is absent: both mean "not given".
type node struct {
	path string
	val  any
}

// object is a decoded JSON object with its path. A zero object has no fields,
// so reading from it yields absent nodes.
type object struct {
	path   string
	fields map[string]any
}

func (o object) field(key string) node {
	return node{path: joinKey(o.path, key), val: o.fields[key]}
}

// walker reads a decoded JSON tree and keeps the first type error it meets,
// so that decoding code reads as a list of fields. After an error every
// accessor still returns zero values, and the caller checks err once per
// section.
type walker struct {
	err error
}

func (w *walker) fail(n node, expected string) {
	if w.err != nil {
		return
	}

	w.err = &FieldError{Path: n.path, Expected: expected, Got: kindOf(n.val), Value: excerpt(n.val)}
}

// object returns n as an object. ok is false when n is absent or not an object.
func (w *walker) object(n node) (object, bool) {
	if n.val == nil {
		return object{path: n.path}, false
	}

	fields, ok := n.val.(map[string]any)
	if !ok {
		w.fail(n, "object")
		return object{path: n.path}, false
	}

	return object{path: n.path, fields: fields}, true
}

// array returns the first limit elements of n, or nil when n is absent or
// not an array. Elements past the limit are neither read nor checked.
func (w *walker) array(n node, limit int) []node {
	if n.val == nil {
		return nil
	}

	items, ok := n.val.([]any)
	if !ok {
		w.fail(n, "array")
		return nil
	}

	items = items[:min(len(items), limit)]
	nodes := make([]node, len(items))
	for i, item := range items {
		nodes[i] = node{path: n.path + "[" + strconv.Itoa(i) + "]", val: item}
	}

	return nodes
}

// integer returns n as an integer saturated to ±maxMagnitude. A number with
// a fractional part, such as 90.5, is a type error, but 90.0 and 9e1 are not.
func (w *walker) integer(n node) (int, bool) {
	if n.val == nil {
		return 0, false
	}

	number, ok := n.val.(json.Number)
	if !ok {
		w.fail(n, "integer")
		return 0, false
	}

	value, ok := parseInteger(string(number))
	if !ok {
		w.fail(n, "integer")
		return 0, false
	}

	return value, true
}

// text returns n as a raw string, which callers clean with cleanText.
func (w *walker) text(n node) (string, bool) {
	if n.val == nil {
		return "", false
	}

	s, ok := n.val.(string)
	if !ok {
		w.fail(n, "string")
		return "", false
	}

	return s, true
}

func (w *walker) boolean(n node) (bool, bool) {
	if n.val == nil {
		return false, false
	}

	b, ok := n.val.(bool)
	if !ok {
		w.fail(n, "boolean")
		return false, false
	}

	return b, true
}

// parseInteger converts JSON number text to an int saturated to
// ±maxMagnitude. ok is false when the number has a fractional part.
func parseInteger(s string) (int, bool) {
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return int(min(max(i, -maxMagnitude), maxMagnitude)), true
	}

	if !isIntegralNumber(s) {
		return 0, false
	}

	// The text is a valid JSON number, so the only possible error is a range
	// error, which comes with ±Inf and saturates below.
	f, _ := strconv.ParseFloat(s, 64)
	switch {
	case f >= maxMagnitude:
		return maxMagnitude, true
	case f <= -maxMagnitude:
		return -maxMagnitude, true
	}

	return int(f), true
}

// isIntegralNumber reports whether JSON number text has no fractional part.
// It works on the digits rather than on a float64, so 1.0000000000000000001
// is not integral although it parses to 1.
func isIntegralNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	mantissa, exponent := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mantissa = s[:i]
		exponent = parseExponent(s[i+1:])
	}

	intPart, fraction, _ := strings.Cut(mantissa, ".")
	digits := intPart + fraction
	last := strings.LastIndexFunc(digits, func(r rune) bool { return r != '0' })
	if last < 0 {
		return true
	}

	// The last non-zero digit has the place value
	// 10^(len(intPart)-1-last+exponent), so the number is integral when that
	// place is 10^0 or higher.
	return last < len(intPart)+exponent
}

// parseExponent parses a JSON exponent, saturating to ±1e9 so that
// absurdly long exponents stay comparable with digit counts.
func parseExponent(s string) int {
	negative := strings.HasPrefix(s, "-")
	s = strings.TrimLeft(strings.TrimLeft(s, "+-"), "0")

	e := 1_000_000_000
	if len(s) < 10 {
		e, _ = strconv.Atoi("0" + s)
	}

	if negative {
		return -e
	}

	return e
}

// kindOf names the JSON kind of a value decoded with UseNumber.
func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}

	return "unknown"
}

// excerpt returns a short form of a scalar value for error messages.
func excerpt(v any) string {
	const maxExcerpt = 32

	switch v := v.(type) {
	case bool:
		return strconv.FormatBool(v)
	case json.Number:
		return truncateRunes(string(v), maxExcerpt)
	case string:
		return strconv.Quote(truncateRunes(v, maxExcerpt))
	}

	return ""
}

// joinKey appends an object key to a path: "data.stats" + "spiral_abyss", or
// a quoted form for keys that are not plain identifiers, e.g. data.stats["a b"].
func joinKey(path, key string) string {
	if path == "" {
		return key
	}

	plain := key != "" && strings.IndexFunc(key, func(r rune) bool {
		return !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) < 0
	if plain {
		return path + "." + key
	}

	return path + "[" + strconv.Quote(truncateRunes(key, 64)) + "]"
}
