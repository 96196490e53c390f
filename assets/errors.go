package assets

import "errors"

// Sentinel errors, one per failure kind. Resolve logs them and Add returns
// them wrapped, so callers test with errors.Is.
var (
	// ErrInvalidURL marks a source URL that does not parse, has no host or
	// carries user credentials.
	ErrInvalidURL = errors.New("invalid image URL")

	// ErrScheme marks a source or redirect URL whose scheme is not http or https.
	ErrScheme = errors.New("unsupported URL scheme")

	// ErrForbiddenAddress marks a host that resolves only to loopback,
	// private, link-local or other non-public addresses outside Config.AllowHosts.
	ErrForbiddenAddress = errors.New("forbidden address")

	// ErrTooManyRedirects marks a fetch that needed more than maxRedirects redirects.
	ErrTooManyRedirects = errors.New("too many redirects")

	// ErrStatus marks a response whose status is not 200 OK.
	ErrStatus = errors.New("unexpected HTTP status")

	// ErrTooLarge marks a body longer than Config.MaxBytes.
	ErrTooLarge = errors.New("image body too large")

	// ErrNotImage marks bytes that are not JPEG, PNG, GIF or WebP (SVG and
	// HTML included).
	ErrNotImage = errors.New("not a JPEG, PNG, GIF or WebP image")

	// ErrTooManyPixels marks an image whose header declares a width or height
	// above Config.MaxSide or a width*height above Config.MaxPixels.
	ErrTooManyPixels = errors.New("image dimensions too large")

	// ErrDecode marks an image whose header is valid but whose data does not decode.
	ErrDecode = errors.New("invalid image data")

	// ErrTimeout marks a fetch that did not finish within Config.Budget.
	ErrTimeout = errors.New("image fetch timed out")
)

// errRemembered marks a failure returned from the failure memory, not a
// new fetch.
var errRemembered = errors.New("remembered failure")
