package styles

import (
	"errors"
	"fmt"
)

// ErrUnknownStyle is returned by Registry.Lookup callers when no style or
// alias has the requested name.
var ErrUnknownStyle = errors.New("unknown style")

// ParamError reports a malformed value of a parameter a style reads.
type ParamError struct {
	Name  string // the query parameter as the request spelled it
	Value string
	// Param is the declaration the value failed; callers word messages from it.
	Param Param
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("invalid parameter %s=%q: expected %s", e.Name, e.Value, e.Param.Expected())
}

// StyleError reports a style that failed to load; the registry skips it.
type StyleError struct {
	Style string
	File  string
	Err   error
}

func (e *StyleError) Error() string {
	return fmt.Sprintf("load style %q (%s): %v", e.Style, e.File, e.Err)
}

func (e *StyleError) Unwrap() error { return e.Err }
