package styles

import (
	"cmp"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
)

// manifestFile is the name of a style's manifest inside its folder.
const manifestFile = "style.json"

// maxWidth caps a manifest width so a typo cannot ask Chrome for a huge page.
const maxWidth = 4096

// Options adjusts how styles are loaded.
type Options struct {
	// Funcs adds or overrides template functions (the asset pipeline's blur and shrink).
	Funcs template.FuncMap

	// Samples lists the sample data sets a manifest may name in "samples";
	// nil accepts any name.
	Samples []string

	// Log receives the problems found when development mode reloads a
	// style; nil discards them.
	Log *slog.Logger
}

// Registry holds the loaded styles by name and alias. It is safe for
// concurrent use. In development mode every lookup first checks the styles
// directory for changes and reloads the folders that changed.
type Registry struct {
	current atomic.Pointer[catalog]
	// watch is nil unless the registry reloads a styles directory.
	watch *watcher
}

// catalog is one immutable set of loaded styles; a reload swaps it whole.
type catalog struct {
	styles map[string]*Style
	byName map[string]*Style // names and aliases
	// versions holds the version of every style folder seen, loaded or not,
	// so that a preview of a broken style notices its repair.
	versions map[string]string
	problems []*StyleError
}

// Load reads every folder of fsys holding a style.json. Broken styles are
// skipped and reported in the returned error, joined; the registry holds the
// rest.
func Load(fsys fs.FS, opts Options) (*Registry, error) {
	folders, err := loadFolders(fsys, "", opts, false)
	if err != nil {
		return nil, err
	}
	reg := &Registry{}
	reg.current.Store(newCatalog(folders, nil))
	return reg, reg.problemsError()
}

// Open loads the embedded styles of base and, when cfg.Dir is set, the
// styles on disk over them: a folder on disk replaces the embedded style of
// the same name, unless it is broken. Without cfg.Dev the files on disk are
// read into memory once; with it they are re-read when they change. Broken
// styles are reported in the returned error, joined, and skipped.
func Open(base fs.FS, cfg Config, opts Options) (*Registry, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	embedded, err := loadFolders(base, "", opts, false)
	if err != nil {
		return nil, err
	}
	reg := &Registry{}
	if cfg.Dir == "" {
		reg.current.Store(newCatalog(embedded, nil))
		return reg, reg.problemsError()
	}

	if cfg.Dev {
		reg.watch = newWatcher(cfg.Dir, embedded, opts)
		if err := reg.watch.reload(reg); err != nil {
			return nil, err
		}
		return reg, reg.problemsError()
	}

	disk, err := loadFolders(dirFS(cfg.Dir), cfg.Dir, opts, true)
	if err != nil {
		return nil, err
	}
	reg.current.Store(newCatalog(embedded, disk))
	return reg, reg.problemsError()
}

// newCatalog combines the embedded folders with those on disk. Embedded
// names are added first, so a new style on disk cannot take the alias of an
// embedded one.
func newCatalog(embedded, disk []folder) *catalog {
	c := &catalog{styles: map[string]*Style{}, byName: map[string]*Style{}, versions: map[string]string{}}

	chosen := map[string]*Style{}
	isEmbedded := map[string]bool{}
	for _, f := range embedded {
		c.versions[f.name] = f.version
		isEmbedded[f.name] = true
		if f.err != nil {
			c.problems = append(c.problems, f.err)
			continue
		}
		chosen[f.name] = f.style
	}
	for _, f := range disk {
		c.versions[f.name] = f.version
		if f.err != nil {
			// A broken override leaves the embedded style serving.
			c.problems = append(c.problems, f.err)
			continue
		}
		chosen[f.name] = f.style
	}

	names := make([]string, 0, len(chosen))
	for name := range chosen {
		names = append(names, name)
	}
	slices.SortFunc(names, func(a, b string) int {
		if isEmbedded[a] != isEmbedded[b] {
			if isEmbedded[a] {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	for _, name := range names {
		if err := c.add(chosen[name]); err != nil {
			c.problems = append(c.problems, err)
		}
	}

	slices.SortStableFunc(c.problems, func(a, b *StyleError) int {
		return cmp.Or(strings.Compare(a.Style, b.Style), strings.Compare(a.File, b.File))
	})
	return c
}

func (c *catalog) add(s *Style) *StyleError {
	names := append([]string{s.Name}, s.Aliases...)
	for _, name := range names {
		if other, ok := c.byName[name]; ok {
			return &StyleError{Style: s.Name, File: s.fileName(manifestFile), Err: fmt.Errorf("name %q is taken by style %q", name, other.Name)}
		}
	}
	c.styles[s.Name] = s
	for _, name := range names {
		c.byName[name] = s
	}
	return nil
}

// snapshot returns the current catalog, reloading changed folders first in
// development mode.
func (r *Registry) snapshot() *catalog {
	if r.watch != nil {
		r.watch.refresh(r)
	}
	return r.current.Load()
}

func (r *Registry) problemsError() error {
	var errs []error
	for _, p := range r.current.Load().problems {
		errs = append(errs, p)
	}
	return errors.Join(errs...)
}

// Lookup returns the style with this name or alias.
func (r *Registry) Lookup(name string) (*Style, bool) {
	s, ok := r.snapshot().byName[name]
	return s, ok
}

// Names returns the style names, sorted, without aliases.
func (r *Registry) Names() []string {
	return r.snapshot().names()
}

func (c *catalog) names() []string {
	names := make([]string, 0, len(c.styles))
	for name := range c.styles {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Styles returns the styles sorted by name.
func (r *Registry) Styles() []*Style {
	c := r.snapshot()
	list := make([]*Style, 0, len(c.styles))
	for _, name := range c.names() {
		list = append(list, c.styles[name])
	}
	return list
}

// Problems returns the styles that failed to load, sorted by style and file.
func (r *Registry) Problems() []*StyleError {
	return slices.Clone(r.snapshot().problems)
}

// Version returns a short fingerprint of the files of the style folder
// name, loaded or broken; it changes when a file of the folder changes.
// It is "" for an unknown folder.
func (r *Registry) Version(name string) string {
	c := r.snapshot()
	if v, ok := c.versions[name]; ok {
		return v
	}
	if s, ok := c.byName[name]; ok {
		return c.versions[s.Name]
	}
	return ""
}

// Dev reports whether the registry re-reads a styles directory on change.
func (r *Registry) Dev() bool { return r.watch != nil }

// Handler serves GET /styles/<name>/<file> from the style folders. It serves
// assets only: manifests and templates stay private. In development mode
// the files come from disk on every request and may not be cached; else
// Chrome may keep them for a year.
func (r *Registry) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		rest, ok := strings.CutPrefix(req.URL.Path, "/styles/")
		name, file, found := strings.Cut(rest, "/")
		style, known := r.current.Load().styles[name]
		if !ok || !found || !known || !fs.ValidPath(file) || isPrivateFile(file) {
			http.NotFound(w, req)
			return
		}
		if r.watch != nil {
			w.Header().Set("Cache-Control", "no-store")
		} else {
			// Outside development mode a style's files change only with a
			// restart, as its templates do, so Chrome may keep them.
			w.Header().Set("Cache-Control", "public, max-age=31536000")
		}
		http.ServeFileFS(w, req, style.files, file)
	})
}

func isPrivateFile(file string) bool {
	return path.Base(file) == manifestFile || strings.HasSuffix(file, ".html") || isHiddenPath(file)
}
