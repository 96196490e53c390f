package server

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// MaxQueryBytes caps the query string of a generator request, which gets a
// JSON error above it. The HTTP server reads up to 1 MB of request line and
// headers, and rejects longer ones with net/http's plain-text 431.
const MaxQueryBytes = 64 << 10

// Config holds the HTTP API settings.
type Config struct {
	// BodyLimit caps a request body in bytes.
	BodyLimit int64
	// QQAvatarURL turns a QQ number into an avatar URL; {qq} is replaced.
	QQAvatarURL string
	// DefaultStyle serves requests with no or an empty style.
	DefaultStyle string
	// RepeatWindow is how long an identical request returns the stored
	// image instead of rendering again; 0 turns the repeat cache off.
	RepeatWindow time.Duration
	// RepeatEntries caps the requests the repeat cache remembers.
	RepeatEntries int
}

// DefaultConfig returns a 2 MiB body cap, the public QQ avatar service and
// the fancy style.
func DefaultConfig() Config {
	return Config{
		BodyLimit:     2 << 20,
		QQAvatarURL:   "https://q.qlogo.cn/headimg_dl?dst_uin={qq}&spec=640&img_type=jpg",
		DefaultStyle:  "fancy",
		RepeatWindow:  5 * time.Minute,
		RepeatEntries: 10000,
	}
}

// Validate reports every invalid field at once.
func (c Config) Validate() error {
	var errs []error
	if c.BodyLimit < 1024 {
		errs = append(errs, fmt.Errorf("IGS_BODY_LIMIT: expected at least 1KiB, got %d bytes", c.BodyLimit))
	}
	u, err := url.Parse(strings.ReplaceAll(c.QQAvatarURL, "{qq}", "10000"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !strings.Contains(c.QQAvatarURL, "{qq}") {
		errs = append(errs, fmt.Errorf("IGS_QQ_AVATAR_URL: expected an http or https URL containing {qq}, got %q", c.QQAvatarURL))
	}
	if c.RepeatWindow < 0 {
		errs = append(errs, fmt.Errorf("IGS_REPEAT_WINDOW: expected a duration of 0 or more, got %s", c.RepeatWindow))
	}
	if c.RepeatEntries < 1 {
		errs = append(errs, fmt.Errorf("repeat entries: expected at least 1, got %d", c.RepeatEntries))
	}
	if c.DefaultStyle == "" {
		errs = append(errs, errors.New("default style: expected a style name, got an empty value"))
	}
	return errors.Join(errs...)
}
