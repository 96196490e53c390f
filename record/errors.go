package record

import (
	"errors"
	"fmt"
)

// ErrNotJSON reports a body that is not a single JSON object.
var ErrNotJSON = errors.New("body is not a JSON object")

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
