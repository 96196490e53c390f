package record

import (
	"errors"
	"fmt"
)

// ErrNotJSON reports a body that is not a single JSON object. Decode returns
// a *NotJSONError, which matches it with errors.Is.
var ErrNotJSON = errors.New("body is not a JSON object")

// Reasons of a NotJSONError.
const (
	NotJSONEmpty     = "empty"      // the body has no value at all
	NotJSONTruncated = "truncated"  // the body ends inside the value
	NotJSONSyntax    = "syntax"     // a character at Offset is not valid JSON
	NotJSONTooDeep   = "too deep"   // arrays and objects nest deeper than the parser allows
	NotJSONTrailing  = "trailing"   // more data follows the top-level value
	NotJSONNotObject = "not object" // the top-level value is Kind, not an object
)

// NotJSONError reports why a body is not a single JSON object.
type NotJSONError struct {
	// Reason is one of the NotJSON constants.
	Reason string
	// Offset is the 1-based position of the byte where the parser found a
	// syntax error, 0 for the other reasons.
	Offset int64
	// Kind is the JSON kind of a top-level value that is not an object.
	Kind string
	err  error
}

func (e *NotJSONError) Error() string {
	switch e.Reason {
	case NotJSONSyntax:
		return fmt.Sprintf("%v: syntax error at byte %d: %v", ErrNotJSON, e.Offset, e.err)
	case NotJSONNotObject:
		return fmt.Sprintf("%v: top-level value is %s", ErrNotJSON, e.Kind)
	}
	return fmt.Sprintf("%v: %s", ErrNotJSON, e.Reason)
}

// Is reports whether target is ErrNotJSON, so errors.Is(err, ErrNotJSON)
// is true for every NotJSONError.
func (e *NotJSONError) Is(target error) bool { return target == ErrNotJSON }

func (e *NotJSONError) Unwrap() error { return e.err }

// FieldError reports a field that the decoder reads but that has the wrong
// JSON type, or a missing data object.
type FieldError struct {
	// Path names the field with list indices, e.g. "data.avatars[3].level".
	Path string
	// Expected is one of "number", "integer", "string", "object", "array"
	// or "boolean".
	Expected string
	// Got is the JSON kind seen ("string", "number", "object", "array",
	// "boolean") or "missing".
	Got string
	// Value is a short excerpt of a scalar value seen (a number or a quoted
	// string), "" for objects, arrays and missing fields.
	Value string
}

func (e *FieldError) Error() string {
	if e.Got == "missing" {
		return fmt.Sprintf("missing field %s: expected %s", e.Path, e.Expected)
	}

	if e.Value != "" {
		return fmt.Sprintf("invalid field %s: expected %s, got %s %s", e.Path, e.Expected, e.Got, e.Value)
	}

	return fmt.Sprintf("invalid field %s: expected %s, got %s", e.Path, e.Expected, e.Got)
}

// UpstreamError reports a wrapper whose retcode is not 0, which means that
// the game-record API rejected the request that produced the body.
type UpstreamError struct {
	Retcode int
	// Message is the wrapper's message, cleaned and shortened.
	Message string
}

func (e *UpstreamError) Error() string {
	return fmt.Sprintf("upstream response has retcode %d: %q", e.Retcode, e.Message)
}
