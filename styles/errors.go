package styles

import (
	"errors"
	"fmt"
)

// ErrUnknownStyle is returned by Registry.Lookup callers when no style or
// alias has the requested name.
var ErrUnknownStyle = errors.New("unknown style")

// ErrScriptNotAllowed is the load error of a template that runs JavaScript
// in a style whose manifest does not set "javascript": true.
var ErrScriptNotAllowed = errors.New(`script, inline event handler or javascript: URL found; set "javascript": true in style.json to allow scripts`)

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
	// File is the path on disk, or style/file for an embedded style.
	File string
	// Line is the line in File, 0 when unknown.
	Line int
	Err  error
}

func (e *StyleError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("load style %q (%s:%d): %v", e.Style, e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("load style %q (%s): %v", e.Style, e.File, e.Err)
}

func (e *StyleError) Unwrap() error { return e.Err }
