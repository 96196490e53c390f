package styles

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/igs-dev/igs/record"
)

const goodManifest = `{
  "name": "demo",
  "title": "Demo",
  "aliases": ["demo_old"],
  "width": 500,
  "widths": {"layout": {"narrow": 300}},
  "params": [
    {"name": "uid", "type": "string", "max_len": 5},
    {"name": "avatar", "type": "avatar", "aliases": ["qid"]},
    {"name": "bg_url", "type": "url"},
    {"name": "max_chara", "type": "int", "min": 1, "max": 200},
    {"name": "layout", "type": "enum", "enum": ["wide", "narrow"], "default": "wide"},
    {"name": "flag", "type": "bool"}
  ],
  "labels": {"zh-CN": {"title": "演示"}, "en": {"title": "Demo"}}
}`

func demoFS() fstest.MapFS {
	return fstest.MapFS{
		"demo/style.json": {Data: []byte(goodManifest)},
		"demo/card.html":  {Data: []byte(`<div id="card">{{ .L.title }} {{ .UID }} {{ template "part.html" . }} <link href="{{ asset "style.css" }}"></div>`)},
		"demo/part.html":  {Data: []byte(`{{ stars 5 }} {{ permille 563 }} {{ elementColor "Pyro" }} {{ static "icons/x.svg" }}`)},
		"demo/style.css":  {Data: []byte(`#card{color:red}`)},
		"notes/README.md": {Data: []byte("not a style")},
	}
}

func TestLoadGoodStyle(t *testing.T) {
	reg, err := Load(demoFS(), Options{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got := reg.Names(); len(got) != 1 || got[0] != "demo" {
		t.Fatalf("Names() = %v, want [demo]", got)
	}
	for _, name := range []string{"demo", "demo_old"} {
		if _, ok := reg.Lookup(name); !ok {
			t.Errorf("Lookup(%q) found nothing", name)
		}
	}
}

func TestExecuteUsesFuncsAndLabels(t *testing.T) {
	reg, _ := Load(demoFS(), Options{})
	style, _ := reg.Lookup("demo")
	var buf bytes.Buffer
	view := &View{Record: &record.Record{Lang: "en"}, UID: "123", L: style.Labels("en"), Style: &style.Manifest}
	if err := style.Execute(&buf, view); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"Demo 123", "★★★★★", "56.3", "#ff3e3e", "/static/icons/x.svg", "/styles/demo/style.css"} {
		if !strings.Contains(out, want) {
			t.Errorf("output %q lacks %q", out, want)
		}
	}
}

func TestLabelsFallBackToChinese(t *testing.T) {
	reg, _ := Load(demoFS(), Options{})
	style, _ := reg.Lookup("demo")
	if got := style.Labels("fr")["title"]; got != "演示" {
		t.Errorf("Labels(fr)[title] = %q, want 演示", got)
	}
	if got := style.Labels("en")["spiral_abyss"]; got != "Spiral Abyss" {
		t.Errorf("shared English label = %q", got)
	}
}

func TestLoadReportsBrokenStyles(t *testing.T) {
	tests := []struct {
		name  string
		files fstest.MapFS
		want  []string
	}{
		{
			name: "json syntax",
			files: fstest.MapFS{
				"bad/style.json": {Data: []byte("{\n  \"name\": \"bad\",\n  \"width\": 10,\n}")},
				"bad/card.html":  {Data: []byte(`<div id="card"></div>`)},
			},
			want: []string{"bad/style.json", "line 4"},
		},
		{
			name: "unknown manifest key",
			files: fstest.MapFS{
				"bad/style.json": {Data: []byte(`{"name":"bad","width":10,"colour":"red"}`)},
				"bad/card.html":  {Data: []byte(`<div id="card"></div>`)},
			},
			want: []string{"bad/style.json", "colour"},
		},
		{
			name: "name differs from folder",
			files: fstest.MapFS{
				"bad/style.json": {Data: []byte(`{"name":"other","width":10}`)},
				"bad/card.html":  {Data: []byte(`<div id="card"></div>`)},
			},
			want: []string{"must equal the folder name"},
		},
		{
			name: "width out of range",
			files: fstest.MapFS{
				"bad/style.json": {Data: []byte(`{"name":"bad","width":0}`)},
				"bad/card.html":  {Data: []byte(`<div id="card"></div>`)},
			},
			want: []string{"width 0"},
		},
		{
			name: "bad param type and default",
			files: fstest.MapFS{
				"bad/style.json": {Data: []byte(`{"name":"bad","width":10,"params":[{"name":"a","type":"color"},{"name":"b","type":"int","min":1,"max":3,"default":9}]}`)},
				"bad/card.html":  {Data: []byte(`<div id="card"></div>`)},
			},
			want: []string{`type "color"`, `default "9"`},
		},
		{
			name: "template syntax",
			files: fstest.MapFS{
				"bad/style.json": {Data: []byte(`{"name":"bad","width":10}`)},
				"bad/card.html":  {Data: []byte("<div id=\"card\">\n{{ if .UID }}\n</div>")},
			},
			want: []string{"bad/card.html", "card.html:3"},
		},
		{
			name: "env function removed",
			files: fstest.MapFS{
				"bad/style.json": {Data: []byte(`{"name":"bad","width":10}`)},
				"bad/card.html":  {Data: []byte(`{{ env "HOME" }}`)},
			},
			want: []string{`function "env" not defined`},
		},
		{
			name: "missing entry template",
			files: fstest.MapFS{
				"bad/style.json": {Data: []byte(`{"name":"bad","width":10}`)},
				"bad/other.html": {Data: []byte(`x`)},
			},
			want: []string{"card.html not found"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := demoFS()
			for k, v := range tt.files {
				files[k] = v
			}
			reg, err := Load(files, Options{})
			if err == nil {
				t.Fatal("Load reported no error")
			}
			var styleErr *StyleError
			if !errors.As(err, &styleErr) || styleErr.Style != "bad" {
				t.Errorf("error %v is not a StyleError for bad", err)
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			if _, ok := reg.Lookup("demo"); !ok {
				t.Error("the good style was not kept")
			}
			if _, ok := reg.Lookup("bad"); ok {
				t.Error("the broken style was loaded")
			}
		})
	}
}

func TestLoadRejectsTakenAlias(t *testing.T) {
	files := demoFS()
	files["other/style.json"] = &fstest.MapFile{Data: []byte(`{"name":"other","width":10,"aliases":["demo_old"]}`)}
	files["other/card.html"] = &fstest.MapFile{Data: []byte(`x`)}
	_, err := Load(files, Options{})
	if err == nil || !strings.Contains(err.Error(), "taken") {
		t.Fatalf("error = %v, want a taken-name error", err)
	}
}

func TestParseParams(t *testing.T) {
	reg, _ := Load(demoFS(), Options{})
	style, _ := reg.Lookup("demo")

	tests := []struct {
		query   string
		key     string
		want    any
		wantErr string
	}{
		{query: "uid=123456789", key: "uid", want: "12345"},
		{query: "uid=", key: "uid", want: nil},
		{query: "avatar=123456", key: "avatar", want: Avatar{QQ: "123456"}},
		{query: "qid=123456", key: "avatar", want: Avatar{QQ: "123456"}},
		{query: "avatar=https://x.test/a.png", key: "avatar", want: Avatar{URL: "https://x.test/a.png"}},
		{query: "avatar=ftp://x.test/a.png", wantErr: "avatar"},
		{query: "avatar=12ab", wantErr: "avatar"},
		{query: "bg_url=http://x.test/bg.jpg", key: "bg_url", want: "http://x.test/bg.jpg"},
		{query: "bg_url=javascript:alert(1)", wantErr: "bg_url"},
		{query: "bg_url=/relative.png", wantErr: "bg_url"},
		{query: "max_chara=8", key: "max_chara", want: 8},
		{query: "max_chara=0", wantErr: "an integer from 1 to 200"},
		{query: "max_chara=201", wantErr: "max_chara"},
		{query: "max_chara=eight", wantErr: "max_chara"},
		{query: "layout=narrow", key: "layout", want: "narrow"},
		{query: "", key: "layout", want: "wide"},
		{query: "layout=tall", wantErr: "one of wide, narrow"},
		{query: "flag=true", key: "flag", want: true},
		{query: "flag=maybe", wantErr: "flag"},
		{query: "unknown=1&style=x", key: "unknown", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q, _ := url.ParseQuery(tt.query)
			params, err := style.ParseParams(q)
			if tt.wantErr != "" {
				var pe *ParamError
				if !errors.As(err, &pe) {
					t.Fatalf("error = %v, want a ParamError", err)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error %q lacks %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := params[tt.key]; got != tt.want {
				t.Errorf("params[%s] = %#v, want %#v", tt.key, got, tt.want)
			}
		})
	}
}

func TestWidthFor(t *testing.T) {
	reg, _ := Load(demoFS(), Options{})
	style, _ := reg.Lookup("demo")
	if got := style.WidthFor(map[string]any{"layout": "narrow"}); got != 300 {
		t.Errorf("narrow width = %d, want 300", got)
	}
	if got := style.WidthFor(map[string]any{"layout": "wide"}); got != 500 {
		t.Errorf("wide width = %d, want 500", got)
	}
}

func TestHandlerServesAssetsOnly(t *testing.T) {
	reg, _ := Load(demoFS(), Options{})
	h := reg.Handler()
	tests := []struct {
		path string
		code int
	}{
		{"/styles/demo/style.css", http.StatusOK},
		{"/styles/demo/card.html", http.StatusNotFound},
		{"/styles/demo/style.json", http.StatusNotFound},
		{"/styles/demo/../notes/README.md", http.StatusNotFound},
		{"/styles/nope/style.css", http.StatusNotFound},
		{"/styles/demo_old/style.css", http.StatusNotFound},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.path, nil))
		if rec.Code != tt.code {
			t.Errorf("GET %s = %d, want %d", tt.path, rec.Code, tt.code)
		}
	}
}

func TestPermilleAndStars(t *testing.T) {
	for in, want := range map[int]string{0: "0", 5: "0.5", 563: "56.3", 1000: "100", 1200: "100", -3: "0"} {
		if got := Permille(in); got != want {
			t.Errorf("Permille(%d) = %q, want %q", in, got, want)
		}
	}
	if got := Stars(105); got != "★★★★★" {
		t.Errorf("Stars(105) = %q", got)
	}
}

func TestTruncRunes(t *testing.T) {
	tests := []struct {
		n    int
		in   string
		want string
	}{
		{10, "小灰灰", "小灰灰"},
		{3, "超长的昵称🌸", "超长…"},
		{5, "Traveler✨", "Trav…"},
		{0, "abc", "abc"},
	}
	for _, tt := range tests {
		if got := TruncRunes(tt.n, tt.in); got != tt.want {
			t.Errorf("TruncRunes(%d, %q) = %q, want %q", tt.n, tt.in, got, tt.want)
		}
	}
}
