package renderer

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/chromedp/cdproto/page"
)

// Job is one card to render.
type Job struct {
	// HTML is the whole filled page. Relative and root-relative URLs in it
	// resolve to the asset origin of the pool.
	HTML []byte

	// Width is the width of the card and of the page in CSS px. The card
	// must start at the left edge of the page. The image is exactly
	// Width*Scale px wide, so the product must be a whole number.
	Width int

	// Scale is the device pixel ratio, 1-3. Zero means 1.
	Scale float64

	// Format is the image format: "jpeg", "png" or "webp".
	Format string

	// Quality is the compression quality of jpeg and webp, 1-100. Zero
	// means 90. PNG ignores it.
	Quality int

	// Selector is the CSS selector of the element to capture. Empty means
	// "#card".
	Selector string
}

// Result is a rendered card.
type Result struct {
	// Data is the encoded image.
	Data []byte

	// Width and Height are the size of the image in pixels.
	Width, Height int

	// QueueWait is the time from the call of Render until a tab was free,
	// including the wait for Chrome to start.
	QueueWait time.Duration

	// RenderTime is the time the tab worked on the job.
	RenderTime time.Duration
}

// Limits and defaults of a Job.
const (
	maxJobWidth     = 4096
	minScale        = 1.0
	maxScale        = 3.0
	defaultQuality  = 90
	defaultSelector = "#card"
	// maxWebPSide is the largest width or height of a WebP image, and
	// maxImageSide the largest of a JPEG or PNG image that Chrome encodes.
	maxWebPSide  = 16383
	maxImageSide = 65535
	// maxImagePixels caps the area of an image. Chrome 156 on 2 cores
	// captured a plain 6000x49152 px card (295 MP) in 8 s but hit a 30 s
	// deadline at 12288x49152 (604 MP), so the cap sits just above 295 MP.
	maxImagePixels = 300_000_000
)

// A webp image can hold the widest job, so only its height needs a cap. The
// constant fails to compile if the limits ever change that.
const _ = uint(maxWebPSide - maxJobWidth*maxScale)

// jobSpec is a checked Job with its defaults applied.
type jobSpec struct {
	html     string
	width    int
	scale    float64
	format   page.CaptureScreenshotFormat
	quality  int
	selector string

	// pixelWidth is the exact width of the image, width*scale.
	pixelWidth int
}

// check validates the job and applies the defaults. It returns all problems
// at once, wrapped in ErrInvalidJob.
func (j Job) check() (jobSpec, error) {
	spec := jobSpec{
		html:     string(j.HTML),
		width:    j.Width,
		scale:    j.Scale,
		quality:  j.Quality,
		selector: j.Selector,
	}
	if spec.scale == 0 {
		spec.scale = 1
	}

	if spec.selector == "" {
		spec.selector = defaultSelector
	}

	var errs []error
	if len(j.HTML) == 0 {
		errs = append(errs, errors.New("HTML is empty"))
	}

	if j.Width < 1 || j.Width > maxJobWidth {
		errs = append(errs, fmt.Errorf("Width must be 1-%d CSS px, got %d", maxJobWidth, j.Width))
	}

	if math.IsNaN(spec.scale) || spec.scale < minScale || spec.scale > maxScale {
		errs = append(errs, fmt.Errorf("Scale must be %g-%g, got %g", minScale, maxScale, j.Scale))
	} else {
		pixels := float64(j.Width) * spec.scale
		spec.pixelWidth = int(math.Round(pixels))
		if math.Abs(pixels-float64(spec.pixelWidth)) > 1e-6 {
			errs = append(errs, fmt.Errorf("Width*Scale must be a whole number of pixels, got %d*%g = %g", j.Width, spec.scale, pixels))
		}
	}

	switch j.Format {
	case "jpeg":
		spec.format = page.CaptureScreenshotFormatJpeg
	case "png":
		spec.format = page.CaptureScreenshotFormatPng
	case "webp":
		spec.format = page.CaptureScreenshotFormatWebp
	default:
		errs = append(errs, fmt.Errorf("Format must be jpeg, png or webp, got %q", j.Format))
	}

	if spec.format != page.CaptureScreenshotFormatPng {
		if spec.quality == 0 {
			spec.quality = defaultQuality
		}
		if spec.quality < 1 || spec.quality > 100 {
			errs = append(errs, fmt.Errorf("Quality must be 1-100, got %d", j.Quality))
		}
	}

	if len(errs) > 0 {
		return jobSpec{}, fmt.Errorf("%w: %w", ErrInvalidJob, errors.Join(errs...))
	}
	return spec, nil
}

// tooTall returns the error for a card that is height CSS px tall, with the
// limit of s and the limits of the same card at scale 1 and as JPEG.
func (s jobSpec) tooTall(height, maxHeight int) *TooTallError {
	limitAt := func(scale float64, format page.CaptureScreenshotFormat) int {
		other := s
		other.scale, other.format = scale, format
		other.pixelWidth = int(math.Round(float64(s.width) * scale))
		return other.maxCSSHeight(maxHeight)
	}
	return &TooTallError{
		Height:            height,
		Limit:             s.maxCSSHeight(maxHeight),
		ScaleOneLimit:     limitAt(1, s.format),
		JPEGLimit:         limitAt(s.scale, page.CaptureScreenshotFormatJpeg),
		ScaleOneJPEGLimit: limitAt(1, page.CaptureScreenshotFormatJpeg),
	}
}

// maxCSSHeight returns the cap on the captured height in CSS px: maxHeight,
// lowered so that the image height stays within the limit of its format and
// the image area within maxImagePixels.
func (s jobSpec) maxCSSHeight(maxHeight int) int {
	side := float64(maxImageSide)
	if s.format == page.CaptureScreenshotFormatWebp {
		side = maxWebPSide
	}
	byArea := math.Floor(maxImagePixels / float64(s.pixelWidth) / s.scale)
	return min(maxHeight, int(math.Floor(side/s.scale)), int(byArea))
}
