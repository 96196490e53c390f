package styles

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Style is one loaded style: its manifest, parsed templates and files.
type Style struct {
	Manifest
	tmpl   *template.Template
	files  fs.FS
	labels map[string]map[string]string

	// root is the styles directory on disk the style came from, "" for an
	// embedded style.
	root    string
	version string
}

// Version returns a short fingerprint of the style's files.
func (s *Style) Version() string { return s.version }

// Dir returns the style's folder on disk, or "" for an embedded style.
func (s *Style) Dir() string {
	if s.root == "" {
		return ""
	}
	return filepath.Join(s.root, s.Name)
}

// fileName names a file of the style in messages: its path on disk, or
// style/file for an embedded style.
func (s *Style) fileName(file string) string {
	return styleFileName(s.root, s.Name, file)
}

func styleFileName(root, dir, file string) string {
	if root == "" {
		return path.Join(dir, file)
	}
	return filepath.Join(root, dir, filepath.FromSlash(file))
}

// loadSpec says where a style folder comes from.
type loadSpec struct {
	root string // see Style.root
	// assetQuery is appended to the URLs of the asset function, so that a
	// browser fetches a changed file anew; "" in production.
	assetQuery string
	version    string
}

func loadStyle(dir string, files fs.FS, opts Options, spec loadSpec) (*Style, error) {
	manifestName := styleFileName(spec.root, dir, manifestFile)
	raw, err := fs.ReadFile(files, manifestFile)
	if err != nil {
		return nil, &StyleError{Style: dir, File: manifestName, Err: err}
	}

	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		line, err := describeJSONError(raw, err)
		return nil, &StyleError{Style: dir, File: manifestName, Line: line, Err: err}
	}
	if err := m.validate(dir, opts.Samples); err != nil {
		return nil, &StyleError{Style: dir, File: manifestName, Err: err}
	}

	tmpl, err := parseTemplates(&m, files, opts, spec.assetQuery)
	if err != nil {
		var fileErr *templateError
		if errors.As(err, &fileErr) {
			return nil, &StyleError{Style: dir, File: styleFileName(spec.root, dir, fileErr.file), Line: fileErr.line, Err: fileErr.err}
		}
		return nil, &StyleError{Style: dir, File: styleFileName(spec.root, dir, m.entry()), Err: err}
	}

	labels := make(map[string]map[string]string, len(Languages))
	for _, lang := range Languages {
		labels[lang] = labelsFor(&m, lang)
	}
	return &Style{Manifest: m, tmpl: tmpl, files: files, labels: labels, root: spec.root, version: spec.version}, nil
}

// templateError is a problem in one template file.
type templateError struct {
	file string
	line int
	err  error
}

func (e *templateError) Error() string { return e.err.Error() }

// parseLinePattern finds the file and line in an error of text/template
// ("template: card.html:3: ...") or html/template ("html/template:card.html:2:6: ...").
var parseLinePattern = regexp.MustCompile(`^(?:html/)?template: ?([^:]+):(\d+):`)

func parseTemplates(m *Manifest, files fs.FS, opts Options, assetQuery string) (*template.Template, error) {
	funcs := baseFuncs(opts.Funcs)
	prefix := "/styles/" + m.Name + "/"
	funcs["asset"] = func(file string) string {
		return prefix + strings.TrimPrefix(path.Clean("/"+file), "/") + assetQuery
	}

	names, err := fs.Glob(files, "*.html")
	if err != nil {
		return nil, err
	}
	names = slices.DeleteFunc(names, isHiddenName)
	if !slices.Contains(names, m.entry()) {
		return nil, fmt.Errorf("entry template %s not found", m.entry())
	}

	root := template.New(m.entry()).Funcs(funcs).Option("missingkey=zero")
	for _, name := range names {
		text, err := fs.ReadFile(files, name)
		if err != nil {
			return nil, &templateError{file: name, err: err}
		}
		if !m.JavaScript {
			if line, found := findScript(text); found {
				return nil, &templateError{file: name, line: line, err: ErrScriptNotAllowed}
			}
		}

		t := root
		if name != m.entry() {
			t = root.New(name)
		}
		if _, err := t.Parse(string(text)); err != nil {
			return nil, &templateError{file: name, line: parseErrorLine(err), err: err}
		}
	}

	if err := checkEscaping(root); err != nil {
		return nil, err
	}
	return root, nil
}

func parseErrorLine(err error) int {
	match := parseLinePattern.FindStringSubmatch(err.Error())
	if match == nil {
		return 0
	}
	line, _ := strconv.Atoi(match[2])
	return line
}

// errStopWriting ends the execution that checkEscaping starts.
var errStopWriting = errors.New("stop at the first write")

type stopWriter struct{}

func (stopWriter) Write([]byte) (int, error) { return 0, errStopWriting }

// checkEscaping runs html/template's contextual escaping, which otherwise
// happens on the first render, so that an HTML context error such as an
// unclosed attribute fails the load. The execution it starts ends at the
// first byte written or the first field read from the nil data.
func checkEscaping(t *template.Template) error {
	err := t.Execute(stopWriter{}, nil)
	var escapeErr *template.Error
	if !errors.As(err, &escapeErr) {
		return nil
	}
	file := escapeErr.Name
	if file == "" {
		file = t.Name()
	}
	line := escapeErr.Line
	if line == 0 {
		line = parseErrorLine(escapeErr)
	}
	return &templateError{file: file, line: line, err: escapeErr}
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

// unknownFieldPattern finds the key in an error of DisallowUnknownFields.
var unknownFieldPattern = regexp.MustCompile(`unknown field "([^"]*)"`)

// describeJSONError adds the line number to a JSON syntax, type or
// unknown-key error and returns it too; the line is 0 when unknown.
func describeJSONError(raw []byte, err error) (int, error) {
	var offset int64 = -1
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		offset = syntax.Offset
	case errors.As(err, &typeErr):
		offset = typeErr.Offset
	default:
		if match := unknownFieldPattern.FindStringSubmatch(err.Error()); match != nil {
			offset = int64(bytes.Index(raw, []byte(`"`+match[1]+`"`)))
		}
	}
	if offset < 0 || offset > int64(len(raw)) {
		return 0, err
	}
	line := 1 + bytes.Count(raw[:offset], []byte("\n"))
	return line, fmt.Errorf("line %d: %w", line, err)
}

// Files returns the files of the style folder, read-only.
func (s *Style) Files() fs.FS { return s.files }
