package styles

import (
	"fmt"
	"os"
)

// Config sets where styles come from besides the embedded ones.
type Config struct {
	// Dir is a styles directory on disk. Its folders add styles or replace
	// the embedded style of the same name. Empty means embedded styles only.
	Dir string

	// Dev re-reads Dir on the next lookup after any file in it changed. Off,
	// the styles of Dir are read into memory once at start.
	Dev bool
}

// DefaultConfig returns embedded styles only, read once.
func DefaultConfig() Config {
	return Config{}
}

// Validate reports a Dir that is not an existing directory.
func (c Config) Validate() error {
	if c.Dir == "" {
		return nil
	}
	info, err := os.Stat(c.Dir)
	switch {
	case err != nil:
		return fmt.Errorf("IGS_STYLES_DIR: expected an existing directory, got %q: %w", c.Dir, err)
	case !info.IsDir():
		return fmt.Errorf("IGS_STYLES_DIR: expected a directory, got the file %q", c.Dir)
	}
	return nil
}
