package styles

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"sort"
	"strings"
)

// manifestFile is the name of a style's manifest inside its folder.
const manifestFile = "style.json"

// maxWidth caps a manifest width so a typo cannot ask Chrome for a huge page.
const maxWidth = 4096

// Options adjusts how styles are loaded.
type Options struct {
	// Funcs adds or overrides template functions (the asset pipeline's blur).
	Funcs template.FuncMap
}

// Style is one loaded style: its manifest, parsed templates and files.
type Style struct {
	Manifest
	tmpl   *template.Template
	files  fs.FS
	labels map[string]map[string]string
}

// Registry holds the loaded styles by name and alias.
type Registry struct {
	styles map[string]*Style
	byName map[string]*Style // names and aliases
}

// Load reads every folder of fsys holding a style.json. Broken styles are
// skipped and reported in the returned error, joined; the registry holds the
// rest.
func Load(fsys fs.FS, opts Options) (*Registry, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read styles: %w", err)
	}

	reg := &Registry{styles: map[string]*Style{}, byName: map[string]*Style{}}
	var errs []error
	for _, entry := range entries {
		if !entry.IsDir() || strings.HasPrefix(entry.Name(), ".") {
			continue
		}
		if _, err := fs.Stat(fsys, path.Join(entry.Name(), manifestFile)); err != nil {
			continue
		}

		sub, err := fs.Sub(fsys, entry.Name())
		if err != nil {
			errs = append(errs, &StyleError{Style: entry.Name(), File: entry.Name(), Err: err})
			continue
		}
		style, err := loadStyle(entry.Name(), sub, opts)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if err := reg.add(style); err != nil {
			errs = append(errs, err)
		}
	}
	return reg, errors.Join(errs...)
}

func (r *Registry) add(s *Style) error {
	names := append([]string{s.Name}, s.Aliases...)
	for _, name := range names {
		if other, ok := r.byName[name]; ok {
			return &StyleError{Style: s.Name, File: manifestFile, Err: fmt.Errorf("name %q is taken by style %q", name, other.Name)}
		}
	}
	r.styles[s.Name] = s
	for _, name := range names {
		r.byName[name] = s
	}
	return nil
}

// Lookup returns the style with this name or alias.
func (r *Registry) Lookup(name string) (*Style, bool) {
	s, ok := r.byName[name]
	return s, ok
}

// Names returns the style names, sorted, without aliases.
func (r *Registry) Names() []string {
	names := make([]string, 0, len(r.styles))
	for name := range r.styles {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Styles returns the styles sorted by name.
func (r *Registry) Styles() []*Style {
	list := make([]*Style, 0, len(r.styles))
	for _, name := range r.Names() {
		list = append(list, r.styles[name])
	}
	return list
}

// Handler serves GET /styles/<name>/<file> from the style folders. It serves
// assets only: manifests and templates stay private.
func (r *Registry) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		rest, ok := strings.CutPrefix(req.URL.Path, "/styles/")
		name, file, found := strings.Cut(rest, "/")
		style, known := r.styles[name]
		if !ok || !found || !known || !fs.ValidPath(file) || isPrivateFile(file) {
			http.NotFound(w, req)
			return
		}
		http.ServeFileFS(w, req, style.files, file)
	})
}

func isPrivateFile(file string) bool {
	return path.Base(file) == manifestFile || strings.HasSuffix(file, ".html")
}

func loadStyle(dir string, files fs.FS, opts Options) (*Style, error) {
	raw, err := fs.ReadFile(files, manifestFile)
	if err != nil {
		return nil, &StyleError{Style: dir, File: path.Join(dir, manifestFile), Err: err}
	}

	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, &StyleError{Style: dir, File: path.Join(dir, manifestFile), Err: describeJSONError(raw, err)}
	}
	if err := m.validate(dir); err != nil {
		return nil, &StyleError{Style: dir, File: path.Join(dir, manifestFile), Err: err}
	}

	tmpl, err := parseTemplates(&m, files, opts)
	if err != nil {
		return nil, &StyleError{Style: dir, File: path.Join(dir, m.entry()), Err: err}
	}

	labels := make(map[string]map[string]string, len(Languages))
	for _, lang := range Languages {
		labels[lang] = labelsFor(&m, lang)
	}
	return &Style{Manifest: m, tmpl: tmpl, files: files, labels: labels}, nil
}

func parseTemplates(m *Manifest, files fs.FS, opts Options) (*template.Template, error) {
	funcs := baseFuncs(opts.Funcs)
	prefix := "/styles/" + m.Name + "/"
	funcs["asset"] = func(file string) string { return prefix + strings.TrimPrefix(path.Clean("/"+file), "/") }

	names, err := fs.Glob(files, "*.html")
	if err != nil {
		return nil, err
	}
	if !slices.Contains(names, m.entry()) {
		return nil, fmt.Errorf("entry template %s not found", m.entry())
	}

	root := template.New(m.entry()).Funcs(funcs).Option("missingkey=zero")
	for _, name := range names {
		text, err := fs.ReadFile(files, name)
		if err != nil {
			return nil, err
		}
		t := root
		if name != m.entry() {
			t = root.New(name)
		}
		if _, err := t.Parse(string(text)); err != nil {
			return nil, err
		}
	}
	return root, nil
}

// Execute fills the style's entry template with v.
func (s *Style) Execute(w io.Writer, v *View) error {
	if err := s.tmpl.Execute(w, v); err != nil {
		return fmt.Errorf("execute template %s/%s: %w", s.Name, s.entry(), err)
	}
	return nil
}

// Labels returns the merged labels of lang (the default language when lang
// is unknown). Callers must not modify the map.
func (s *Style) Labels(lang string) map[string]string {
	if l, ok := s.labels[lang]; ok {
		return l
	}
	return s.labels[Languages[0]]
}

// Selector returns the CSS selector of the element to capture.
func (s *Style) Selector() string {
	if s.Manifest.Selector == "" {
		return "#card"
	}
	return s.Manifest.Selector
}

// WidthFor returns the card width for the parsed parameters, applying the
// manifest's per-value overrides.
func (s *Style) WidthFor(params map[string]any) int {
	for name, byValue := range s.Widths {
		if v, ok := params[name].(string); ok {
			if w, ok := byValue[v]; ok {
				return w
			}
		}
	}
	return s.Width
}

func (m *Manifest) entry() string {
	if m.Template == "" {
		return "card.html"
	}
	return m.Template
}

// describeJSONError adds the line number to a JSON syntax or type error.
func describeJSONError(raw []byte, err error) error {
	var offset int64 = -1
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		offset = syntax.Offset
	case errors.As(err, &typeErr):
		offset = typeErr.Offset
	}
	if offset < 0 || offset > int64(len(raw)) {
		return err
	}
	line := 1 + bytes.Count(raw[:offset], []byte("\n"))
	return fmt.Errorf("line %d: %w", line, err)
}
