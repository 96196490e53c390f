package storage

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func newTestStore(t *testing.T, cfg Config) *Store {
	t.Helper()
	if cfg.Dir == "" {
		cfg.Dir = t.TempDir()
	}
	if cfg.SweepInterval == 0 {
		cfg.SweepInterval = time.Minute
	}
	s, err := New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSaveThenOpen(t *testing.T) {
	s := newTestStore(t, Config{})
	for _, ext := range []string{"jpg", "png", "webp"} {
		name, err := s.Save([]byte("data-"+ext), ext)
		if err != nil {
			t.Fatalf("Save(%s): %v", ext, err)
		}
		if !namePattern.MatchString(name) {
			t.Errorf("name %q does not match %s", name, namePattern)
		}
		if !strings.HasSuffix(name, "."+ext) {
			t.Errorf("name %q lacks extension %s", name, ext)
		}

		path, contentType, err := s.Open(name)
		if err != nil {
			t.Fatalf("Open(%s): %v", name, err)
		}
		if want := contentTypes[ext]; contentType != want {
			t.Errorf("content type of %s = %q, want %q", name, contentType, want)
		}
		got, _ := os.ReadFile(path)
		if !bytes.Equal(got, []byte("data-"+ext)) {
			t.Errorf("content of %s = %q", name, got)
		}
	}
}

func TestSaveLeavesNoTempFiles(t *testing.T) {
	s := newTestStore(t, Config{})
	if _, err := s.Save([]byte("x"), "jpg"); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(s.Dir())
	if len(entries) != 1 {
		t.Fatalf("dir holds %d entries, want 1", len(entries))
	}
	if strings.HasPrefix(entries[0].Name(), tempPrefix) {
		t.Errorf("temporary file left: %s", entries[0].Name())
	}
}

func TestSaveRejectsUnknownExtension(t *testing.T) {
	s := newTestStore(t, Config{})
	if _, err := s.Save([]byte("x"), "gif"); err == nil {
		t.Fatal("Save accepted gif")
	}
}

func TestSaveConcurrentNamesUnique(t *testing.T) {
	s := newTestStore(t, Config{})
	var mu sync.Mutex
	seen := map[string]bool{}
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name, err := s.Save([]byte{byte(i)}, "jpg")
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if seen[name] {
				t.Errorf("duplicate name %s", name)
			}
			seen[name] = true
		}()
	}
	wg.Wait()
	if len(seen) != 200 {
		t.Errorf("saved %d names, want 200", len(seen))
	}
}

func TestOpenRejectsBadNames(t *testing.T) {
	dir := t.TempDir()
	s := newTestStore(t, Config{Dir: filepath.Join(dir, "images")})
	// A file outside the image dir that a traversal would reach.
	os.WriteFile(filepath.Join(dir, "secret.jpg"), []byte("secret"), 0o644)

	for _, name := range []string{
		"", "../secret.jpg", "..%2Fsecret.jpg", "/etc/passwd", "secret.jpg",
		"20220323182608-IVoakzp3.gif", "20220323182608-IVoakzp3.jpg/", "20220323182608-IVoak.jpg",
		"20220323182608-IVoakzp3.jpg\x00", ".tmp-123",
	} {
		if _, _, err := s.Open(name); !errors.Is(err, ErrNotFound) {
			t.Errorf("Open(%q) error = %v, want ErrNotFound", name, err)
		}
	}
}

func TestOpenMissingFile(t *testing.T) {
	s := newTestStore(t, Config{})
	if _, _, err := s.Open("20220323182608-IVoakzp3.jpg"); !errors.Is(err, ErrNotFound) {
		t.Errorf("error = %v, want ErrNotFound", err)
	}
}

func TestSweepRemovesExpired(t *testing.T) {
	s := newTestStore(t, Config{MaxAge: time.Hour})
	old, _ := s.Save([]byte("old"), "jpg")
	fresh, _ := s.Save([]byte("fresh"), "jpg")
	past := time.Now().Add(-2 * time.Hour)
	os.Chtimes(filepath.Join(s.Dir(), old), past, past)

	s.Sweep()

	if _, _, err := s.Open(old); !errors.Is(err, ErrNotFound) {
		t.Errorf("expired image %s still there", old)
	}
	if _, _, err := s.Open(fresh); err != nil {
		t.Errorf("fresh image %s removed: %v", fresh, err)
	}
}

func TestSweepKeepsBudget(t *testing.T) {
	s := newTestStore(t, Config{MaxBytes: 250})
	var names []string
	for i := range 5 {
		name, err := s.Save(bytes.Repeat([]byte{'x'}, 100), "jpg")
		if err != nil {
			t.Fatal(err)
		}
		at := time.Now().Add(time.Duration(i-10) * time.Minute)
		os.Chtimes(filepath.Join(s.Dir(), name), at, at)
		names = append(names, name)
	}

	s.Sweep()

	for i, name := range names {
		_, _, err := s.Open(name)
		if kept := err == nil; kept != (i >= 3) {
			t.Errorf("image %d kept = %v, want %v (oldest go first)", i, kept, i >= 3)
		}
	}
}

func TestSweepLeavesForeignFiles(t *testing.T) {
	s := newTestStore(t, Config{MaxAge: time.Nanosecond})
	foreign := filepath.Join(s.Dir(), "README.txt")
	os.WriteFile(foreign, []byte("keep"), 0o644)
	past := time.Now().Add(-48 * time.Hour)
	os.Chtimes(foreign, past, past)

	s.Sweep()

	if _, err := os.Stat(foreign); err != nil {
		t.Errorf("foreign file removed: %v", err)
	}
}

func TestConfigValidateReportsAll(t *testing.T) {
	err := Config{Dir: "", MaxAge: -1, MaxBytes: -1, SweepInterval: 0}.Validate()
	if err == nil {
		t.Fatal("Validate accepted an invalid config")
	}
	for _, want := range []string{"dir", "max age", "max bytes", "sweep interval"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}
