package storage

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

// ErrNotFound is returned for a missing image or a malformed name.
var ErrNotFound = errors.New("image not found")

// namePattern accepts only names this package creates, so no name can reach
// outside the directory.
var namePattern = regexp.MustCompile(`^[0-9]{14}-[A-Za-z0-9]{8}\.(jpg|png|webp)$`)

// contentTypes maps the extensions Save accepts to their media types.
var contentTypes = map[string]string{
	"jpg":  "image/jpeg",
	"png":  "image/png",
	"webp": "image/webp",
}

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// tempPrefix marks files still being written; the janitor skips fresh ones.
const tempPrefix = ".tmp-"

// Config sets where images live and how long they stay.
type Config struct {
	Dir string
	// MaxAge removes images older than this; 0 keeps them forever.
	MaxAge time.Duration
	// MaxBytes removes the oldest images while the total is above it; 0 means no budget.
	MaxBytes int64
	// SweepInterval is how often the janitor runs.
	SweepInterval time.Duration
}

// DefaultConfig returns a 24-hour retention with a 1 GiB budget under ./data/images.
func DefaultConfig() Config {
	return Config{Dir: "data/images", MaxAge: 24 * time.Hour, MaxBytes: 1 << 30, SweepInterval: time.Minute}
}

// Validate reports every invalid field at once.
func (c Config) Validate() error {
	var errs []error
	if strings.TrimSpace(c.Dir) == "" {
		errs = append(errs, errors.New("storage dir: expected a directory path, got an empty value"))
	}
	if c.MaxAge < 0 {
		errs = append(errs, fmt.Errorf("storage max age: expected a duration of 0 or more, got %s", c.MaxAge))
	}
	if c.MaxBytes < 0 {
		errs = append(errs, fmt.Errorf("storage max bytes: expected 0 or more, got %d", c.MaxBytes))
	}
	if c.SweepInterval <= 0 {
		errs = append(errs, fmt.Errorf("storage sweep interval: expected a positive duration, got %s", c.SweepInterval))
	}
	return errors.Join(errs...)
}

// Store saves and opens images in one directory.
type Store struct {
	cfg Config
	log *slog.Logger
	now func() time.Time
}

// New creates the directory when missing and checks that it is writable.
func New(cfg Config, log *slog.Logger) (*Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("create image dir: %w", err)
	}

	probe, err := os.CreateTemp(cfg.Dir, tempPrefix+"probe-")
	if err != nil {
		return nil, fmt.Errorf("check image dir is writable: %w", err)
	}
	probe.Close()
	os.Remove(probe.Name())

	return &Store{cfg: cfg, log: log, now: time.Now}, nil
}

// Dir returns the image directory.
func (s *Store) Dir() string { return s.cfg.Dir }

// Save writes data atomically under a new name with extension ext (jpg,
// png or webp) and returns the name.
func (s *Store) Save(data []byte, ext string) (string, error) {
	if _, ok := contentTypes[ext]; !ok {
		return "", fmt.Errorf("save image: unsupported extension %q", ext)
	}

	tmp, err := os.CreateTemp(s.cfg.Dir, tempPrefix+"*")
	if err != nil {
		return "", fmt.Errorf("save image: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed

	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return "", fmt.Errorf("save image: %w", err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return "", fmt.Errorf("save image: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("save image: %w", err)
	}

	// A name clash needs the same second and 8 equal random characters out of
	// 62^8; Link fails instead of overwriting, and we retry.
	for range 5 {
		name := s.newName(ext)
		err := os.Link(tmp.Name(), filepath.Join(s.cfg.Dir, name))
		if err == nil {
			return name, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("save image: %w", err)
		}
	}
	return "", errors.New("save image: no free name after 5 tries")
}

func (s *Store) newName(ext string) string {
	b := make([]byte, 8)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return s.now().UTC().Format("20060102150405") + "-" + string(b) + "." + ext
}

// Open returns the path and content type of the image name; ErrNotFound
// when the name is malformed or the file is gone.
func (s *Store) Open(name string) (string, string, error) {
	if !namePattern.MatchString(name) {
		return "", "", ErrNotFound
	}
	p := filepath.Join(s.cfg.Dir, name)
	info, err := os.Stat(p)
	if err != nil || !info.Mode().IsRegular() {
		return "", "", ErrNotFound
	}
	return p, contentTypes[strings.TrimPrefix(filepath.Ext(name), ".")], nil
}

// Run sweeps on every SweepInterval until ctx ends.
func (s *Store) Run(ctx context.Context) {
	ticker := time.NewTicker(s.cfg.SweepInterval)
	defer ticker.Stop()
	for {
		s.Sweep()
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// Sweep removes expired images, then the oldest ones beyond the budget, and
// temporary files left by a crash.
func (s *Store) Sweep() {
	entries, err := os.ReadDir(s.cfg.Dir)
	if err != nil {
		s.log.Error("sweep images failed", "dir", s.cfg.Dir, "err", err)
		return
	}

	type file struct {
		name string
		mod  time.Time
		size int64
	}
	now := s.now()
	var files []file
	var total int64
	removed := 0
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		name := e.Name()
		age := now.Sub(info.ModTime())
		switch {
		case strings.HasPrefix(name, tempPrefix):
			if age > time.Hour {
				s.remove(name, &removed)
			}
		case !namePattern.MatchString(name):
			// Not ours: leave it alone.
		case s.cfg.MaxAge > 0 && age > s.cfg.MaxAge:
			s.remove(name, &removed)
		default:
			files = append(files, file{name, info.ModTime(), info.Size()})
			total += info.Size()
		}
	}

	if s.cfg.MaxBytes > 0 && total > s.cfg.MaxBytes {
		sort.Slice(files, func(i, j int) bool { return files[i].mod.Before(files[j].mod) })
		for _, f := range files {
			if total <= s.cfg.MaxBytes {
				break
			}
			s.remove(f.name, &removed)
			total -= f.size
		}
	}
	if removed > 0 {
		s.log.Info("swept images", "removed", removed, "bytes_kept", total)
	}
}

func (s *Store) remove(name string, removed *int) {
	if err := os.Remove(filepath.Join(s.cfg.Dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		s.log.Warn("remove image failed", "name", name, "err", err)
		return
	}
	*removed++
}
