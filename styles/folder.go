package styles

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strconv"
	"strings"
	"testing/fstest"
)

// Limits of a style folder on disk, so that a styles directory pointed at
// the wrong place fails clearly instead of filling memory.
const (
	maxStyleFiles = 2000
	maxStyleBytes = 64 << 20
)

// versionLength is the number of hex digits of a style version.
const versionLength = 12

// folder is the outcome of loading one style folder: a style or an error.
type folder struct {
	name    string
	style   *Style
	err     *StyleError
	version string
}

// loadFolders loads every folder of fsys that holds a style.json, sorted by
// name. root is the directory on disk for messages, "" for embedded styles.
// With inMemory each folder is copied into memory first, so that serving
// its files reads no disk.
func loadFolders(fsys fs.FS, root string, opts Options, inMemory bool) ([]folder, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read styles: %w", err)
	}

	var folders []folder
	for _, entry := range entries {
		if !entry.IsDir() || isHiddenName(entry.Name()) {
			continue
		}
		if _, err := fs.Stat(fsys, path.Join(entry.Name(), manifestFile)); err != nil {
			continue
		}

		name := entry.Name()
		files, err := fs.Sub(fsys, name)
		if err == nil && inMemory {
			files, err = readIntoMemory(files)
		}
		if err != nil {
			folders = append(folders, folder{name: name, err: &StyleError{Style: name, File: styleFileName(root, name, ""), Err: err}})
			continue
		}

		version, err := contentVersion(files)
		if err != nil {
			folders = append(folders, folder{name: name, err: &StyleError{Style: name, File: styleFileName(root, name, ""), Err: err}})
			continue
		}
		folders = append(folders, loadFolder(name, files, opts, loadSpec{root: root, version: version}))
	}
	return folders, nil
}

// loadFolder loads one style folder whose version is already known.
func loadFolder(name string, files fs.FS, opts Options, spec loadSpec) folder {
	f := folder{name: name, version: spec.version}
	style, err := loadStyle(name, files, opts, spec)
	if err != nil {
		f.err = err.(*StyleError)
		return f
	}
	f.style = style
	return f
}

// contentVersion hashes the names and contents of every file of a folder.
func contentVersion(files fs.FS) (string, error) {
	h := sha256.New()
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || isHiddenPath(name) {
			return skipHiddenDir(name, d)
		}
		data, err := fs.ReadFile(files, name)
		if err != nil {
			return err
		}
		h.Write([]byte(name + "\x00" + strconv.Itoa(len(data)) + "\x00"))
		h.Write(data)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("read style files: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil))[:versionLength], nil
}

// readIntoMemory copies the files of a folder into an in-memory file system.
func readIntoMemory(files fs.FS) (fs.FS, error) {
	mem := fstest.MapFS{}
	var total int64
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || isHiddenPath(name) {
			return skipHiddenDir(name, d)
		}
		if !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		if len(mem) >= maxStyleFiles {
			return fmt.Errorf("more than %d files", maxStyleFiles)
		}

		info, err := fs.Stat(files, name)
		if err != nil {
			return err
		}
		total += info.Size()
		if total > maxStyleBytes {
			return fmt.Errorf("files larger than %d MiB in all", maxStyleBytes>>20)
		}
		data, err := fs.ReadFile(files, name)
		if err != nil {
			return err
		}
		mem[name] = &fstest.MapFile{Data: data, Mode: 0o444, ModTime: info.ModTime()}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read style files: %w", err)
	}
	return mem, nil
}

// skipHiddenDir returns fs.SkipDir for a hidden directory below the root
// of a walk, so that its files are neither read nor hashed.
func skipHiddenDir(name string, d fs.DirEntry) error {
	if d.IsDir() && name != "." && isHiddenName(d.Name()) {
		return fs.SkipDir
	}
	return nil
}

// isHiddenPath reports whether any element of a slash-separated path is a
// hidden name.
func isHiddenPath(name string) bool {
	for _, elem := range strings.Split(name, "/") {
		if elem != "." && isHiddenName(elem) {
			return true
		}
	}
	return false
}

// isHiddenName reports whether a file belongs to the editor or the system
// rather than to the style: dot files, backups ending in "~" and
// auto-saves such as "#card.html#".
func isHiddenName(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "#") || strings.HasSuffix(name, "~")
}

// dirFS returns the files of a directory on disk.
func dirFS(dir string) fs.FS { return os.DirFS(dir) }
