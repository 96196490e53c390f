package styles

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
)

// maxScanEntries caps the files and folders a scan of the styles directory
// visits, so that a directory pointed at the wrong place fails clearly.
const maxScanEntries = 20000

// errTooManyFiles is the scan error of a styles directory over maxScanEntries.
var errTooManyFiles = fmt.Errorf("more than %d files in the styles directory", maxScanEntries)

// watcher reloads the style folders of a directory on disk whose files
// changed. It compares a stamp per folder made of the path, size and
// modification time of every file, so a check costs one stat per file and
// reads nothing.
type watcher struct {
	dir      string
	embedded []folder
	opts     Options
	log      *slog.Logger

	mu      sync.Mutex
	stamps  map[string]string // folder name -> stamp at the last load
	folders map[string]folder // the loaded folders, by name
	scanErr string            // the last scan error logged, to log it once
}

func newWatcher(dir string, embedded []folder, opts Options) *watcher {
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &watcher{dir: dir, embedded: embedded, opts: opts, log: log}
}

// refresh reloads the folders that changed since the last call and logs
// what failed; the registry keeps serving its last catalog on a scan error.
func (w *watcher) refresh(r *Registry) {
	err := w.reload(r)

	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case err == nil:
		w.scanErr = ""
	case err.Error() != w.scanErr:
		w.scanErr = err.Error()
		w.log.Error("scan styles directory failed; serving the styles loaded before", "dir", w.dir, "err", err)
	}
}

// reload scans the directory and loads the folders whose stamp changed.
func (w *watcher) reload(r *Registry) error {
	w.mu.Lock()
	defer w.mu.Unlock()

	stamps, err := scanStamps(w.dir)
	if err != nil {
		return err
	}
	initial := w.stamps == nil
	if !initial && maps.Equal(stamps, w.stamps) {
		return nil
	}

	next := make(map[string]folder, len(stamps))
	for name, stamp := range stamps {
		if old, ok := w.folders[name]; ok && w.stamps[name] == stamp {
			next[name] = old
			continue
		}
		files := dirFS(filepath.Join(w.dir, name))
		if _, err := fs.Stat(files, manifestFile); err != nil {
			continue
		}

		f := loadFolder(name, files, w.opts, loadSpec{root: w.dir, version: stamp, assetQuery: "?v=" + stamp})
		next[name] = f
		if !initial {
			w.logLoad(f)
		}
	}
	if !initial {
		for name := range w.folders {
			if _, ok := next[name]; !ok {
				w.log.Info("style folder removed", "style", name, "dir", w.dir)
			}
		}
	}

	w.stamps, w.folders = stamps, next
	names := slices.Sorted(maps.Keys(next))
	disk := make([]folder, 0, len(names))
	for _, name := range names {
		disk = append(disk, next[name])
	}
	r.current.Store(newCatalog(w.embedded, disk))
	return nil
}

func (w *watcher) logLoad(f folder) {
	if f.err != nil {
		w.log.Error("style failed to load; skipped", "style", f.name, "file", f.err.File, "line", f.err.Line, "err", f.err.Err)
		return
	}
	w.log.Info("style reloaded", "style", f.name, "version", f.version)
}

// scanStamps returns a stamp of the files of every folder of dir, hidden
// names left out.
func scanStamps(dir string) (map[string]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}

	stamps := map[string]string{}
	visited := 0
	for _, entry := range entries {
		if isHiddenName(entry.Name()) {
			continue
		}
		folder := filepath.Join(dir, entry.Name())
		if info, err := os.Stat(folder); err != nil || !info.IsDir() {
			continue
		}

		h := sha256.New()
		err := filepath.WalkDir(folder, func(name string, d fs.DirEntry, err error) error {
			if err != nil {
				// A file removed during the walk changes the next stamp.
				if errors.Is(err, fs.ErrNotExist) {
					return nil
				}
				return err
			}
			if visited++; visited > maxScanEntries {
				return errTooManyFiles
			}
			if name != folder && isHiddenName(d.Name()) {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}

			rel, _ := filepath.Rel(folder, name)
			if d.IsDir() {
				// A directory's time changes with any entry, hidden ones too.
				h.Write([]byte(rel + "/\n"))
				return nil
			}
			info, err := os.Stat(name)
			if err != nil {
				return nil
			}
			h.Write([]byte(rel + "\x00" + strconv.FormatInt(info.Size(), 10) + "\x00" +
				strconv.FormatInt(info.ModTime().UnixNano(), 10) + "\x00" + info.Mode().String() + "\n"))
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("scan %s: %w", folder, err)
		}
		stamps[entry.Name()] = hex.EncodeToString(h.Sum(nil))[:versionLength]
	}
	return stamps, nil
}
