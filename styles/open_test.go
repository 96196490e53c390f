package styles_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/igs-dev/igs/record"
	"github.com/igs-dev/igs/styles"
)

// embeddedFS replaces templates.FS in these tests: one good style with an alias.
func embeddedFS() fstest.MapFS {
	return fstest.MapFS{
		"plain/style.json": {Data: []byte(`{"name":"plain","title":"Plain","width":300,"aliases":["plain_old"]}`)},
		"plain/card.html":  {Data: []byte(`<div id="card">embedded plain <link href="{{ asset "style.css" }}"></div>`)},
		"plain/style.css":  {Data: []byte(`#card{color:red}`)},
	}
}

// writeStyle writes a style folder under dir; files maps names to contents.
func writeStyle(t *testing.T, dir, name string, files map[string]string) {
	t.Helper()
	for file, text := range files {
		p := filepath.Join(dir, name, filepath.FromSlash(file))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func manifest(name string) string {
	return `{"name":"` + name + `","title":"` + name + `","width":400}`
}

func execute(t *testing.T, reg *styles.Registry, name string) string {
	t.Helper()
	style, ok := reg.Lookup(name)
	if !ok {
		t.Fatalf("style %s not found; have %v", name, reg.Names())
	}
	var buf bytes.Buffer
	view := &styles.View{Record: &record.Record{}, L: style.Labels("zh-CN"), Style: &style.Manifest}
	if err := style.Execute(&buf, view); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func serve(t *testing.T, reg *styles.Registry, path string) (int, string, http.Header) {
	t.Helper()
	rec := httptest.NewRecorder()
	reg.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	body, _ := io.ReadAll(rec.Body)
	return rec.Code, string(body), rec.Header()
}

func TestOpenDirAddsAndOverrides(t *testing.T) {
	dir := t.TempDir()
	writeStyle(t, dir, "plain", map[string]string{
		"style.json": manifest("plain"),
		"card.html":  `<div id="card">disk plain</div>`,
		"style.css":  `#card{color:blue}`,
	})
	writeStyle(t, dir, "mine", map[string]string{
		"style.json": manifest("mine"),
		"card.html":  `<div id="card">mine</div>`,
	})

	reg, err := styles.Open(embeddedFS(), styles.Config{Dir: dir}, styles.Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if got := strings.Join(reg.Names(), ","); got != "mine,plain" {
		t.Errorf("Names() = %s, want mine,plain", got)
	}
	if got := execute(t, reg, "plain"); !strings.Contains(got, "disk plain") {
		t.Errorf("plain = %q, want the folder on disk", got)
	}
	if _, ok := reg.Lookup("plain_old"); ok {
		t.Error("the alias of the replaced embedded style still resolves")
	}
	style, _ := reg.Lookup("mine")
	if style.Dir() != filepath.Join(dir, "mine") {
		t.Errorf("Dir() = %q", style.Dir())
	}
	if code, body, _ := serve(t, reg, "/styles/plain/style.css"); code != http.StatusOK || body != "#card{color:blue}" {
		t.Errorf("style.css = %d %q, want the file on disk", code, body)
	}
}

func TestOpenReportsBrokenDiskStyle(t *testing.T) {
	dir := t.TempDir()
	writeStyle(t, dir, "plain", map[string]string{
		"style.json": manifest("plain"),
		"card.html":  "<div id=\"card\">\n{{ if .UID }}\n</div>",
	})
	writeStyle(t, dir, "badjson", map[string]string{
		"style.json": "{\n  \"name\": \"badjson\",\n  \"width\": 400,\n  \"colour\": \"red\"\n}",
		"card.html":  `<div id="card"></div>`,
	})
	writeStyle(t, dir, "good", map[string]string{
		"style.json": manifest("good"),
		"card.html":  `<div id="card">good</div>`,
	})

	reg, err := styles.Open(embeddedFS(), styles.Config{Dir: dir}, styles.Options{})
	if err == nil {
		t.Fatal("Open reported no error")
	}
	problems := reg.Problems()
	if len(problems) != 2 {
		t.Fatalf("Problems() = %v, want 2", problems)
	}
	wants := []struct {
		style, file string
		line        int
	}{
		{"badjson", filepath.Join(dir, "badjson", "style.json"), 4},
		{"plain", filepath.Join(dir, "plain", "card.html"), 3},
	}
	for i, want := range wants {
		p := problems[i]
		if p.Style != want.style || p.File != want.file || p.Line != want.line {
			t.Errorf("problem %d = %s %s:%d, want %s %s:%d", i, p.Style, p.File, p.Line, want.style, want.file, want.line)
		}
		if !strings.Contains(err.Error(), want.file) {
			t.Errorf("error %q lacks %s", err, want.file)
		}
	}

	if got := execute(t, reg, "good"); !strings.Contains(got, "good") {
		t.Errorf("good = %q", got)
	}
	if got := execute(t, reg, "plain"); !strings.Contains(got, "embedded plain") {
		t.Errorf("plain = %q, want the embedded style while the override is broken", got)
	}
}

func TestOpenWithoutDevReadsDiskOnce(t *testing.T) {
	dir := t.TempDir()
	writeStyle(t, dir, "mine", map[string]string{
		"style.json": manifest("mine"),
		"card.html":  `<div id="card">first</div>`,
		"style.css":  `first`,
	})
	reg, err := styles.Open(embeddedFS(), styles.Config{Dir: dir}, styles.Options{})
	if err != nil {
		t.Fatal(err)
	}
	version := reg.Version("mine")

	writeStyle(t, dir, "mine", map[string]string{"card.html": `<div id="card">second</div>`, "style.css": `second`})
	if err := os.RemoveAll(filepath.Join(dir, "mine")); err != nil {
		t.Fatal(err)
	}

	if got := execute(t, reg, "mine"); !strings.Contains(got, "first") {
		t.Errorf("card = %q, want the first version kept in memory", got)
	}
	if code, body, header := serve(t, reg, "/styles/mine/style.css"); code != http.StatusOK || body != "first" {
		t.Errorf("style.css = %d %q, want the copy in memory", code, body)
	} else if cc := header.Get("Cache-Control"); !strings.Contains(cc, "max-age=") {
		// Without freshness Chrome fetched such files again for later cards.
		t.Errorf("production Cache-Control = %q, want a max-age", cc)
	}
	if reg.Version("mine") != version {
		t.Error("the version changed without development mode")
	}
}

func TestDevModeReloadsEdits(t *testing.T) {
	dir := t.TempDir()
	writeStyle(t, dir, "mine", map[string]string{
		"style.json": manifest("mine"),
		"card.html":  `<div id="card">first <link href="{{ asset "style.css" }}"></div>`,
		"style.css":  `#card{color:red}`,
	})
	reg, err := styles.Open(embeddedFS(), styles.Config{Dir: dir, Dev: true}, styles.Options{})
	if err != nil {
		t.Fatal(err)
	}
	first := execute(t, reg, "mine")
	v1 := reg.Version("mine")
	if !strings.Contains(first, "/styles/mine/style.css?v="+v1) {
		t.Errorf("asset URL in %q lacks the version %s", first, v1)
	}

	t.Run("template edit", func(t *testing.T) {
		writeStyle(t, dir, "mine", map[string]string{"card.html": `<div id="card">second <link href="{{ asset "style.css" }}"></div>`})
		if got := execute(t, reg, "mine"); !strings.Contains(got, "second") {
			t.Errorf("card = %q, want the edit", got)
		}
	})

	t.Run("css edit", func(t *testing.T) {
		before := reg.Version("mine")
		writeStyle(t, dir, "mine", map[string]string{"style.css": `#card{color:blue}`})
		code, body, header := serve(t, reg, "/styles/mine/style.css")
		if code != http.StatusOK || body != "#card{color:blue}" {
			t.Errorf("style.css = %d %q", code, body)
		}
		if header.Get("Cache-Control") != "no-store" {
			t.Errorf("Cache-Control = %q, want no-store in development mode", header.Get("Cache-Control"))
		}
		after := reg.Version("mine")
		if after == before {
			t.Error("the version did not change")
		}
		if got := execute(t, reg, "mine"); !strings.Contains(got, "?v="+after) {
			t.Errorf("card = %q, want the asset URL of the new version", got)
		}
	})

	t.Run("new folder", func(t *testing.T) {
		writeStyle(t, dir, "newer", map[string]string{
			"style.json": manifest("newer"),
			"card.html":  `<div id="card">newer</div>`,
		})
		if got := execute(t, reg, "newer"); !strings.Contains(got, "newer") {
			t.Errorf("newer = %q", got)
		}
	})

	t.Run("broken then fixed", func(t *testing.T) {
		writeStyle(t, dir, "mine", map[string]string{"card.html": "<div id=\"card\">\n{{ .UID "})
		if _, ok := reg.Lookup("mine"); ok {
			t.Error("the broken style is still served")
		}
		problems := reg.Problems()
		if len(problems) != 1 || problems[0].File != filepath.Join(dir, "mine", "card.html") || problems[0].Line != 2 {
			t.Fatalf("Problems() = %v, want card.html line 2", problems)
		}
		if _, ok := reg.Lookup("newer"); !ok {
			t.Error("the other styles stopped serving")
		}

		writeStyle(t, dir, "mine", map[string]string{"card.html": `<div id="card">fixed</div>`})
		if got := execute(t, reg, "mine"); !strings.Contains(got, "fixed") {
			t.Errorf("card = %q, want the fix", got)
		}
		if len(reg.Problems()) != 0 {
			t.Errorf("Problems() = %v after the fix", reg.Problems())
		}
	})

	t.Run("folder removed", func(t *testing.T) {
		if err := os.RemoveAll(filepath.Join(dir, "newer")); err != nil {
			t.Fatal(err)
		}
		if _, ok := reg.Lookup("newer"); ok {
			t.Error("a removed folder is still served")
		}
	})

	t.Run("editor files ignored", func(t *testing.T) {
		before := reg.Version("mine")
		writeStyle(t, dir, "mine", map[string]string{".card.html.swp": "x", "card.html~": "y", ".git/HEAD": "z"})
		if reg.Version("mine") != before {
			t.Error("an editor file changed the version")
		}
		if code, _, _ := serve(t, reg, "/styles/mine/.git/HEAD"); code != http.StatusNotFound {
			t.Errorf("hidden file served with %d", code)
		}
	})
}

func TestDevModeKeepsServingWhenDirVanishes(t *testing.T) {
	dir := t.TempDir()
	styleDir := filepath.Join(dir, "styles")
	writeStyle(t, styleDir, "mine", map[string]string{
		"style.json": manifest("mine"),
		"card.html":  `<div id="card">mine</div>`,
	})
	reg, err := styles.Open(embeddedFS(), styles.Config{Dir: styleDir, Dev: true}, styles.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(styleDir, filepath.Join(dir, "moved")); err != nil {
		t.Fatal(err)
	}
	if _, ok := reg.Lookup("mine"); !ok {
		t.Error("the loaded style stopped serving after a scan error")
	}
}

func TestOpenChecksDir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, []byte("x"), 0o644)
	for _, dir := range []string{filepath.Join(t.TempDir(), "missing"), file} {
		_, err := styles.Open(embeddedFS(), styles.Config{Dir: dir}, styles.Options{})
		if err == nil || !strings.Contains(err.Error(), "IGS_STYLES_DIR") {
			t.Errorf("Open(%s) error = %v, want one naming IGS_STYLES_DIR", dir, err)
		}
	}
}

func TestScriptNeedsJavaScriptFlag(t *testing.T) {
	cases := []struct {
		name string
		html string
		line int
	}{
		{"script element", "<div id=\"card\">\n\n<script>document.title = 1</script></div>", 3},
		{"event handler", "<div id=\"card\">\n<img src=\"x\" onerror=\"alert(1)\"></div>", 2},
		{"javascript URL", "<div id=\"card\"><a href=\"javascript:void 0\">x</a></div>", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			files := embeddedFS()
			files["js/style.json"] = &fstest.MapFile{Data: []byte(manifest("js"))}
			files["js/card.html"] = &fstest.MapFile{Data: []byte(tc.html)}
			reg, err := styles.Load(files, styles.Options{})
			if !errors.Is(err, styles.ErrScriptNotAllowed) {
				t.Fatalf("error = %v, want ErrScriptNotAllowed", err)
			}
			if p := reg.Problems(); len(p) != 1 || p[0].Line != tc.line || p[0].File != "js/card.html" {
				t.Errorf("Problems() = %v, want js/card.html line %d", p, tc.line)
			}

			files["js/style.json"] = &fstest.MapFile{Data: []byte(`{"name":"js","width":400,"javascript":true}`)}
			if _, err := styles.Load(files, styles.Options{}); err != nil {
				t.Errorf("with javascript true: %v", err)
			}
		})
	}
}

func TestEscapeErrorFailsLoad(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		file  string
		line  int
		want  string
	}{
		{
			name:  "branches end in different contexts",
			files: map[string]string{"card.html": "<div id=\"card\">\n{{ if .UID }}<a href=\"{{ else }}\">{{ end }}</div>"},
			file:  "bad/card.html",
			line:  2,
			want:  "branches end in different contexts",
		},
		{
			name: "partial leaves an attribute open",
			files: map[string]string{
				"card.html": "<div id=\"card\">\n{{ template \"part.html\" . }}</div>",
				"part.html": "<p>\n<a href=\"{{ .UID }}></p>",
			},
			file: "bad/card.html",
			want: "non-text context",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			files := embeddedFS()
			files["bad/style.json"] = &fstest.MapFile{Data: []byte(manifest("bad"))}
			for name, text := range tc.files {
				files["bad/"+name] = &fstest.MapFile{Data: []byte(text)}
			}
			reg, err := styles.Load(files, styles.Options{})
			if err == nil {
				t.Fatal("Load accepted the template")
			}
			p := reg.Problems()
			if len(p) != 1 || p[0].Style != "bad" || p[0].File != tc.file || p[0].Line != tc.line {
				t.Fatalf("Problems() = %v, want %s line %d", p, tc.file, tc.line)
			}
			if !strings.Contains(p[0].Error(), tc.want) {
				t.Errorf("error %q lacks %q", p[0], tc.want)
			}
			if _, ok := reg.Lookup("plain"); !ok {
				t.Error("the good style was not kept")
			}
		})
	}
}

func TestUnknownSampleRejected(t *testing.T) {
	files := embeddedFS()
	files["s/style.json"] = &fstest.MapFile{Data: []byte(`{"name":"s","width":400,"samples":["index-42-avatars","nope"]}`)}
	files["s/card.html"] = &fstest.MapFile{Data: []byte(`<div id="card"></div>`)}
	_, err := styles.Load(files, styles.Options{Samples: []string{"index-42-avatars"}})
	if err == nil || !strings.Contains(err.Error(), `samples[1]: unknown sample "nope"`) {
		t.Errorf("error = %v, want the unknown sample named", err)
	}
}

func TestVersionTracksFolder(t *testing.T) {
	reg, err := styles.Load(embeddedFS(), styles.Options{})
	if err != nil {
		t.Fatal(err)
	}
	v := reg.Version("plain")
	if len(v) != 12 {
		t.Errorf("Version(plain) = %q, want 12 hex digits", v)
	}
	if reg.Version("plain_old") != v {
		t.Error("an alias has another version")
	}
	if reg.Version("nope") != "" {
		t.Error("an unknown style has a version")
	}
	style, _ := reg.Lookup("plain")
	if style.Version() != v || style.Dir() != "" {
		t.Errorf("style version %q dir %q", style.Version(), style.Dir())
	}
	if reg.Dev() {
		t.Error("Dev() is true for embedded styles")
	}
}

func TestDevEditSeenAtOnce(t *testing.T) {
	dir := t.TempDir()
	writeStyle(t, dir, "mine", map[string]string{
		"style.json": manifest("mine"),
		"card.html":  `<div id="card">0</div>`,
	})
	reg, err := styles.Open(embeddedFS(), styles.Config{Dir: dir, Dev: true}, styles.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Edits of the same size in quick succession differ only in their
	// modification time.
	for i := 1; i <= 5; i++ {
		digit := string(rune('0' + i))
		path := filepath.Join(dir, "mine", "card.html")
		os.WriteFile(path, []byte(`<div id="card">`+digit+`</div>`), 0o644)
		os.Chtimes(path, time.Now(), time.Now().Add(time.Duration(i)*time.Second))
		if got := execute(t, reg, "mine"); !strings.Contains(got, ">"+digit+"<") {
			t.Fatalf("edit %d: card = %q", i, got)
		}
	}
}
