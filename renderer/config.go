package renderer

import (
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"time"
)

// Config holds the settings of a Pool.
type Config struct {
	// ChromePath is the Chromium executable. Empty looks up chromium,
	// chromium-browser and google-chrome on PATH, in this order.
	ChromePath string

	// PoolSize is the number of tabs, which is the number of renders that
	// run at once.
	PoolSize int

	// QueueSize is the number of renders allowed to wait for a tab when all
	// tabs are busy. Render rejects more with ErrQueueFull. Zero means no
	// render waits.
	QueueSize int

	// Timeout is the deadline of one render, from the call of Render to the
	// encoded image, including the wait for a tab.
	Timeout time.Duration

	// RestartAfter restarts Chrome after this many renders, to return the
	// memory that a long-running browser accumulates. Zero never restarts.
	RestartAfter int

	// LowMemory runs Chrome in its low-end device mode, which caps the
	// decoded images that all tabs keep for later pages at 64 MiB instead
	// of 512 MiB. Mixed styles then render at a flat memory use, and cards
	// with many distinct images render slower (see DefaultConfig).
	LowMemory bool

	// MaxHeight caps the height of a card in CSS pixels. A taller card
	// fails with ErrTooTall.
	MaxHeight int

	// ExtraFlags are added to the Chrome command line after the built-in
	// flags, in the form --name or --name=value. A flag that is already in
	// the built-in list takes the new value.
	ExtraFlags []string
}

// Limits of the settings. A tab is a renderer process of 50-150 MB, so more
// than maxPoolSize tabs belong on more machines, not in one Chrome.
const (
	maxPoolSize  = 64
	maxQueueSize = 100_000
	maxTimeout   = 10 * time.Minute
	// maxHeightLimit matches the largest JPEG or PNG side at scale 1.
	maxHeightLimit = maxImageSide
)

// managedFlags are the Chrome switches that chromedp and the pool set for
// their own use. Another value would leave a profile behind or cut the
// connection to Chrome.
var managedFlags = []string{"user-data-dir", "remote-debugging-port", "remote-debugging-pipe", "remote-debugging-address", "headless", "proxy-server", "host-resolver-rules"}

// chromeNames are the executables that an empty ChromePath looks up on PATH.
var chromeNames = []string{"chromium", "chromium-browser", "google-chrome"}

// DefaultConfig returns the default settings: one tab per CPU, a queue four
// times the pool, a 15s deadline, low-memory mode, a restart every 1000
// renders and a 16384 px height cap.
func DefaultConfig() Config {
	tabs := max(runtime.NumCPU(), 1)
	return Config{
		PoolSize:  tabs,
		QueueSize: 4 * tabs,
		Timeout:   15 * time.Second,
		MaxHeight: 16384,
		// Chrome keeps decoded images for later pages in discardable shared
		// memory, up to 512 MiB, and with mixed styles the renderers grew
		// from 470 to 771 MiB over 2000 renders. In low-end mode the cap is
		// 64 MiB: PSS stayed at 796 to 753 MiB over 1000 mixed renders,
		// against 834 to 1048 MiB without it. A 42-character card took as
		// long as before. A 120-character fancy card with full 256 px icons
		// took about 25 % longer. With the shrunk icons that the bundled
		// styles draw, it took 201 ms without and 220 ms with it (go run
		// ./bench -memory-only and -styles fancy,egenshin, each with
		// -low-memory=false and true, 2 cores).
		LowMemory: true,
		// A restart also returns whatever else a long-running browser holds.
		RestartAfter: 1000,
	}
}

// Validate checks every field and returns all problems joined, each naming
// the field, the expected form and the value.
func (c Config) Validate() error {
	var errs []error
	if c.PoolSize < 1 || c.PoolSize > maxPoolSize {
		errs = append(errs, fmt.Errorf("PoolSize must be 1-%d, got %d", maxPoolSize, c.PoolSize))
	}

	if c.QueueSize < 0 || c.QueueSize > maxQueueSize {
		errs = append(errs, fmt.Errorf("QueueSize must be 0-%d, got %d", maxQueueSize, c.QueueSize))
	}

	if c.Timeout <= 0 || c.Timeout > maxTimeout {
		errs = append(errs, fmt.Errorf("Timeout must be a duration above 0 and at most %s, got %s", maxTimeout, c.Timeout))
	}

	if c.RestartAfter < 0 {
		errs = append(errs, fmt.Errorf("RestartAfter must be 0 (never) or a positive count, got %d", c.RestartAfter))
	}

	if c.MaxHeight < 1 || c.MaxHeight > maxHeightLimit {
		errs = append(errs, fmt.Errorf("MaxHeight must be 1-%d CSS px, got %d", maxHeightLimit, c.MaxHeight))
	}

	for i, flag := range c.ExtraFlags {
		name, _, err := parseFlag(flag)
		if err != nil {
			errs = append(errs, fmt.Errorf("ExtraFlags[%d]: %w", i, err))
		} else if slices.Contains(managedFlags, name) {
			errs = append(errs, fmt.Errorf("ExtraFlags[%d]: --%s is set by the pool, which needs its own value", i, name))
		}
	}
	return errors.Join(errs...)
}

// parseFlag splits "--name=value" or "--name" into a name and a value that
// chromedp.Flag takes: the string value, or true for a flag without one.
func parseFlag(flag string) (string, any, error) {
	rest, ok := strings.CutPrefix(flag, "--")
	name, value, hasValue := strings.Cut(rest, "=")
	if !ok || name == "" || strings.ContainsAny(name, " \t") {
		return "", nil, fmt.Errorf("flag must have the form --name or --name=value, got %q", flag)
	}

	if !hasValue {
		return name, true, nil
	}
	return name, value, nil
}

// chromeExecutable returns the path of the Chrome executable to start.
func (c Config) chromeExecutable() (string, error) {
	if c.ChromePath != "" {
		path, err := exec.LookPath(c.ChromePath)
		if err != nil {
			return "", fmt.Errorf("ChromePath %q is not an executable: %w", c.ChromePath, err)
		}
		return path, nil
	}

	for _, name := range chromeNames {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("find Chrome: none of %s is on PATH, so set ChromePath", strings.Join(chromeNames, ", "))
}
