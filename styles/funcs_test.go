package styles

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/igs-dev/igs/record"
)

func TestLabelFunction(t *testing.T) {
	view := &View{L: map[string]string{"title": "Demo", "act": "Act %d of %d"}}
	cases := []struct {
		key  string
		args []any
		want string
	}{
		{"title", nil, "Demo"},
		{"act", []any{3, 8}, "Act 3 of 8"},
		{"missing_key", nil, "missing_key"},
	}
	for _, tc := range cases {
		if got := Label(view, tc.key, tc.args...); got != tc.want {
			t.Errorf("Label(%s, %v) = %q, want %q", tc.key, tc.args, got, tc.want)
		}
	}
	if got := Label(nil, "title"); got != "title" {
		t.Errorf("Label(nil) = %q", got)
	}
}

func TestImageURLFunction(t *testing.T) {
	cases := []struct {
		img  record.Image
		want string
	}{
		{record.Image{Src: "https://x.test/a.png", URL: "/assets/abc.png", OK: true}, "/assets/abc.png"},
		{record.Image{Src: "https://x.test/a.png"}, "/static/img/silhouette.svg"},
		{record.Image{}, "/static/img/silhouette.svg"},
	}
	for _, tc := range cases {
		if got := ImageURL(tc.img, "/static/img/silhouette.svg"); got != tc.want {
			t.Errorf("ImageURL(%+v) = %q, want %q", tc.img, got, tc.want)
		}
	}
}

// TestFunctionsInTemplate runs the documented examples of STYLES.md through
// a real template.
func TestFunctionsInTemplate(t *testing.T) {
	files := fstest.MapFS{
		"f/style.json": {Data: []byte(`{"name":"f","width":100,"labels":{"zh-CN":{"hello":"你好 %s"},"en":{"hello":"Hello %s"}}}`)},
		"f/card.html": {Data: []byte(`{{ label . "hello" .Nickname }}|{{ imageURL .Avatar (static "img/avatar-placeholder.svg") }}|` +
			`{{ with index .Characters 0 }}{{ imageURL .Icon "none" }}{{ end }}|{{ elementColor "hydro" }}|{{ permille 1000 }}|{{ stars 4 }}|{{ truncRunes 4 "Traveler" }}|{{ asset "img/a.png" }}`)},
	}
	reg, err := Load(files, Options{})
	if err != nil {
		t.Fatal(err)
	}
	style, _ := reg.Lookup("f")
	view := &View{
		Record:   &record.Record{Lang: "en", Characters: []record.Character{{Icon: record.Image{URL: "/assets/i.png", OK: true}}}},
		Nickname: "Lumine",
		L:        style.Labels("en"),
	}
	var buf bytes.Buffer
	if err := style.Execute(&buf, view); err != nil {
		t.Fatal(err)
	}
	want := "Hello Lumine|/static/img/avatar-placeholder.svg|/assets/i.png|#2f5fff|100|★★★★|Tra…|/styles/f/img/a.png"
	if got := buf.String(); got != want {
		t.Errorf("output\n%s\nwant\n%s", got, want)
	}
}

func TestUnsafeSprigRemoved(t *testing.T) {
	funcs := baseFuncs(nil)
	for _, name := range unsafeSprig {
		if _, ok := funcs[name]; ok {
			t.Errorf("function %s is available", name)
		}
	}
	for _, name := range []string{"label", "imageURL", "elementColor", "permille", "stars", "static", "asset", "blur", "shrink", "lower", "dict"} {
		if _, ok := funcs[name]; !ok {
			t.Errorf("function %s is missing", name)
		}
	}
	if !strings.Contains(Stars(3), "★") {
		t.Error("Stars")
	}
}
