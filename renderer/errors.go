package renderer

import (
	"errors"
	"fmt"
)

// Sentinel errors of a render, one per failure kind. Render wraps them, so
// compare with errors.Is.
var (
	// ErrQueueFull means PoolSize+QueueSize renders are already in the
	// pool. Render returns it at once, without waiting.
	ErrQueueFull = errors.New("render queue is full")

	// ErrTimeout means the render deadline of the pool (Config.Timeout)
	// passed. A caller whose own context ends first gets the error of that
	// context instead. The error also matches context.DeadlineExceeded.
	ErrTimeout = errors.New("render timed out")

	// ErrClosed means Close was called.
	ErrClosed = errors.New("renderer is closed")

	// ErrUnavailable means Chrome failed to start, crashed during the render
	// or is restarting. A later render can succeed.
	ErrUnavailable = errors.New("chrome is unavailable")

	// ErrInvalidJob means a field of the Job is out of range. The message
	// names the field.
	ErrInvalidJob = errors.New("invalid render job")

	// ErrTooTall means the card is taller than the pool's MaxHeight, or than
	// the largest image that the format or the area cap allows at the job's
	// width and scale.
	ErrTooTall = errors.New("card too tall")

	// ErrNoElement means the page has no element that matches Job.Selector.
	ErrNoElement = errors.New("card element not found")
)

// TooTallError reports a card taller than the cap, both in CSS px; it
// matches ErrTooTall.
type TooTallError struct {
	Height int
	Limit  int

	// The limits of the same card at scale 1, as JPEG, and at scale 1 as
	// JPEG, so that a caller can tell which change makes it fit.
	ScaleOneLimit     int
	JPEGLimit         int
	ScaleOneJPEGLimit int
}

func (e *TooTallError) Error() string {
	return fmt.Sprintf("card is %d CSS px tall, over the limit of %d at this width, scale and format", e.Height, e.Limit)
}

func (e *TooTallError) Unwrap() error { return ErrTooTall }
