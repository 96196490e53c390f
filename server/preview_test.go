package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg"
	_ "image/png"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/igs-dev/igs/config"
	"github.com/igs-dev/igs/samples"
)

// liveStyle writes a small style into the styles directory: a heading, the
// uid, an image of the folder, six character icons and a CSS colour.
func liveStyle(t *testing.T, name, heading, headingColor string) {
	t.Helper()
	writeStyleFile(t, name, "style.json", `{
  "name": "`+name+`",
  "title": "Live `+name+`",
  "description": "a style of the preview tests",
  "width": 500,
  "params": [
    {"name": "uid", "type": "string", "max_len": 20, "description": "UID shown"},
    {"name": "theme", "type": "enum", "enum": ["plain", "bold"], "default": "plain"},
    {"name": "count", "type": "int", "min": 1, "max": 9, "default": 3},
    {"name": "frame", "type": "bool"}
  ],
  "samples": ["index-42-avatars"]
}`)
	writeStyleFile(t, name, "card.html", `<!DOCTYPE html>
<html lang="{{ .Lang }}">
<head>
<meta charset="utf-8">
<link rel="stylesheet" href="{{ static "css/base.css" }}">
<link rel="stylesheet" href="{{ asset "style.css" }}">
</head>
<body>
<div id="card" class="{{ .Params.theme }}">
  <h1 id="heading">`+heading+`</h1>
  <p id="uid">{{ .UID }}</p>
  <img id="dot" src="{{ asset "dot.svg" }}" alt="">
  <div class="icons">{{ range $i, $c := .Characters }}{{ if lt $i 6 }}<img class="icon" src="{{ imageURL $c.Icon (static "img/silhouette.svg") }}" alt="">{{ end }}{{ end }}</div>
</div>
</body>
</html>`)
	writeStyleFile(t, name, "style.css", `#card { width: 500px; padding: 20px; background: #ffffff; }
h1 { color: `+headingColor+`; font-size: 40px; }
.bold h1 { font-weight: 900; }
.icon { width: 60px; height: 60px; }
#dot { width: 20px; height: 20px; }`)
	writeStyleFile(t, name, "dot.svg", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="5" fill="#0000ff"/></svg>`)
}

func TestGalleryShowsEveryStyle(t *testing.T) {
	liveStyle(t, "gallery_a", "Gallery A", "#c00000")
	ctx := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(svc.base+"/preview")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "every thumbnail", `[...document.querySelectorAll('.thumb img')].every((img) => img.complete)`)
	screenshot(t, ctx, "gallery")
	broken := evaluate[[]string](t, ctx, `[...document.querySelectorAll('.thumb img')].filter((img) => img.naturalWidth === 0).map((img) => new URL(img.src).pathname)`)
	for _, path := range broken {
		t.Errorf("thumbnail %s failed to load in the browser", path)
	}

	names := evaluate[[]string](t, ctx, `[...document.querySelectorAll('.style')].map((li) => li.id.replace('style-', ''))`)
	want := svc.app.Styles.Names()
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Errorf("gallery lists %v, want %v", names, want)
	}
	for _, name := range []string{"fancy", "postcard", "gallery_a"} {
		style, _ := svc.app.Styles.Lookup(name)
		width := evaluate[int](t, ctx, fmt.Sprintf(`document.querySelector('#style-%s .thumb img').naturalWidth`, name))
		if width != style.Width {
			t.Errorf("thumbnail of %s is %d px wide, want the card width %d", name, width, style.Width)
		}
	}
	if source := evaluate[string](t, ctx, `document.querySelector('#style-gallery_a .source').textContent`); !strings.Contains(source, filepath.Join(stylesDir, "gallery_a")) {
		t.Errorf("source of gallery_a = %q, want its folder", source)
	}
}

func TestStylePageShowsPageAndImage(t *testing.T) {
	liveStyle(t, "page_a", "Page A", "#00a000")
	ctx := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(svc.base+"/preview/page_a?uid=100012315")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the image and the page", `document.body.dataset.image === 'ready' && document.body.dataset.page === 'ready'`)
	screenshot(t, ctx, "style-page")

	frame := `document.getElementById('page').contentDocument`
	if got := evaluate[string](t, ctx, frame+`.getElementById('heading').textContent`); got != "Page A" {
		t.Errorf("heading in the page = %q", got)
	}
	if got := evaluate[string](t, ctx, frame+`.getElementById('uid').textContent`); got != "100012315" {
		t.Errorf("uid in the page = %q, want the form value", got)
	}
	// The page loads its CSS from /styles/ and the shared CSS from /static/
	// of the public server: the heading colour and base.css's variables apply.
	if got := evaluate[string](t, ctx, `getComputedStyle(`+frame+`.getElementById('heading')).color`); got != "rgb(0, 160, 0)" {
		t.Errorf("heading colour = %q, want the style's CSS", got)
	}
	if got := evaluate[string](t, ctx, `getComputedStyle(`+frame+`.documentElement).getPropertyValue('--pyro').trim()`); got != "#ff3e3e" {
		t.Errorf("--pyro = %q, want base.css loaded from /static/", got)
	}
	if got := evaluate[int](t, ctx, frame+`.getElementById('dot').naturalWidth`); got == 0 {
		t.Error("the style's image did not load in the page")
	}
	icons := evaluate[[]string](t, ctx, `[...`+frame+`.querySelectorAll('.icon')].map((img) => img.complete && img.naturalWidth > 0 ? new URL(img.src).pathname : 'broken')`)
	if len(icons) != 6 {
		t.Fatalf("page shows %d icons, want 6", len(icons))
	}
	for _, icon := range icons {
		if !strings.HasPrefix(icon, "/assets/") {
			t.Errorf("icon %s, want a fetched image under /assets/", icon)
		}
	}

	if got := evaluate[int](t, ctx, `document.getElementById('image').naturalWidth`); got != 500 {
		t.Errorf("image is %d px wide, want 500", got)
	}

	options := evaluate[[]string](t, ctx, `[...document.querySelectorAll('select[name=sample] option')].map((o) => o.value)`)
	if len(options) != len(samples.Names()) || options[0] != "index-42-avatars" {
		t.Errorf("sample options = %v, want every sample, the style's own first", options)
	}
	fields := evaluate[[]string](t, ctx, `[...document.querySelectorAll('#params [name]')].map((f) => f.name + ':' + f.type)`)
	for _, want := range []string{"uid:text", "theme:select-one", "count:number", "frame:select-one", "lang:select-one", "scale:select-one", "type:select-one"} {
		if !strings.Contains(strings.Join(fields, " "), want) {
			t.Errorf("form fields %v lack %s", fields, want)
		}
	}

	t.Run("form changes the parameters", func(t *testing.T) {
		// One script sets the select as a person would, so that no reload
		// can come between the steps.
		err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(() => {
			window.marker = 1;
			const scale = document.querySelector('select[name=scale]');
			scale.value = '2';
			scale.dispatchEvent(new Event('change'));
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, ctx, "the page after the form", `window.marker === undefined && document.body.dataset.image === 'ready'`)
		if got := evaluate[int](t, ctx, `document.getElementById('image').naturalWidth`); got != 1000 {
			t.Errorf("image at scale 2 is %d px wide, want 1000", got)
		}
		if got := evaluate[string](t, ctx, `location.search`); !strings.Contains(got, "scale=2") || !strings.Contains(got, "uid=100012315") {
			t.Errorf("query after the form = %q", got)
		}
	})
}

func TestStylePageReloadsOnEdit(t *testing.T) {
	liveStyle(t, "reload_a", "Before", "#000080")
	ctx := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(svc.base+"/preview/reload_a")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the first image", `document.body.dataset.image === 'ready' && document.body.dataset.page === 'ready'`)
	firstImage := evaluate[string](t, ctx, `document.getElementById('image').dataset.src`)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`window.marker = 1`)); err != nil {
		t.Fatal(err)
	}

	liveStyle(t, "reload_a", "After", "#800000")
	waitFor(t, ctx, "a reload with the edit",
		`window.marker === undefined && document.body.dataset.image === 'ready' && document.body.dataset.page === 'ready' && document.getElementById('page').contentDocument.getElementById('heading').textContent === 'After'`)
	screenshot(t, ctx, "style-page-after-edit")

	if got := evaluate[string](t, ctx, `getComputedStyle(document.getElementById('page').contentDocument.getElementById('heading')).color`); got != "rgb(128, 0, 0)" {
		t.Errorf("heading colour after the CSS edit = %q", got)
	}
	if got := evaluate[string](t, ctx, `document.getElementById('image').dataset.src`); got == firstImage {
		t.Error("the image URL kept the old version")
	}

	// The rendered image shows the new CSS: the heading is dark red now.
	img := fetchImage(t, evaluate[string](t, ctx, `document.getElementById('image').dataset.src`))
	if n := countNear(img, color.RGBA{128, 0, 0, 255}, 30); n < 50 {
		t.Errorf("rendered image has %d dark red pixels, want the edited heading", n)
	}
}

func TestFilledPageReloadsItself(t *testing.T) {
	liveStyle(t, "self_a", "Self", "#000000")
	ctx := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(svc.base+"/preview/self_a/page")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the page", `document.readyState === 'complete' && document.getElementById('heading') !== null`)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`window.marker = 1`)); err != nil {
		t.Fatal(err)
	}

	writeStyleFile(t, "self_a", "style.css", `#card { width: 500px; } h1 { color: #ff8000; }`)
	waitFor(t, ctx, "a reload with the new CSS",
		`window.marker === undefined && document.readyState === 'complete' && getComputedStyle(document.getElementById('heading')).color === 'rgb(255, 128, 0)'`)
	screenshot(t, ctx, "filled-page-after-edit")
}

func TestBrokenStyleReportedAndRecovered(t *testing.T) {
	liveStyle(t, "broken_a", "Fine", "#000000")
	ctx := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(svc.base+"/preview/broken_a")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the page", `document.body.dataset.image === 'ready'`)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`window.marker = 1`)); err != nil {
		t.Fatal(err)
	}

	writeStyleFile(t, "broken_a", "card.html", "<div id=\"card\">\n<h1 id=\"heading\">{{ if .UID }}</h1>\n</div>")
	waitFor(t, ctx, "the problem shown", `window.marker === undefined && document.getElementById('problems') !== null`)
	screenshot(t, ctx, "style-page-broken")
	problem := evaluate[string](t, ctx, `document.getElementById('problems').textContent`)
	wantFile := filepath.Join(stylesDir, "broken_a", "card.html") + ":3"
	if !strings.Contains(problem, wantFile) {
		t.Errorf("problem text %q lacks %s", problem, wantFile)
	}

	// The other styles keep serving through the API.
	r := postCard(t, "style=postcard", "index-2023-uigf-doc-example")
	if r.Retcode != 0 {
		t.Errorf("postcard while broken_a is broken: retcode %d %s", r.Retcode, r.Message)
	}
	if r := postCard(t, "style=broken_a", "index-2023-uigf-doc-example"); r.Retcode != 3 {
		t.Errorf("broken_a through the API: retcode %d, want 3 (unknown style)", r.Retcode)
	}

	liveStyle(t, "broken_a", "Fixed", "#000000")
	waitFor(t, ctx, "the fixed page",
		`document.getElementById('problems') === null && document.body.dataset.page === 'ready' && document.getElementById('page').contentDocument.getElementById('heading').textContent === 'Fixed'`)
}

func TestThumbnailRenderedOnlyOnChange(t *testing.T) {
	liveStyle(t, "thumb_a", "Thumb", "#000000")
	css := "/styles/thumb_a/style.css"
	thumb := func() (string, int64) {
		resp, body := get(t, "/preview/thumb_a/thumb")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("thumb: %d %s", resp.StatusCode, body)
		}
		if _, _, err := image.Decode(bytes.NewReader(body)); err != nil {
			t.Fatalf("thumb is no image: %v", err)
		}
		return resp.Header.Get("X-Thumbnail"), svc.styleFiles.get(css)
	}

	first, cssLoads := thumb()
	if first != "rendered" || cssLoads == 0 {
		t.Fatalf("first thumbnail: %s after %d loads of style.css, want rendered", first, cssLoads)
	}
	for i := range 2 {
		state, loads := thumb()
		if state != "cached" || loads != cssLoads {
			t.Errorf("request %d without a change: %s, style.css loaded %d times (before %d), want cached", i+2, state, loads, cssLoads)
		}
	}

	writeStyleFile(t, "thumb_a", "style.css", `#card { width: 500px; background: #eeeeee; }`)
	state, loads := thumb()
	if state != "rendered" || loads == cssLoads {
		t.Errorf("after an edit: %s, style.css loaded %d times (before %d), want rendered", state, loads, cssLoads)
	}
}

func TestDataReturnsViewModel(t *testing.T) {
	liveStyle(t, "data_a", "Data", "#000000")
	resp, body := get(t, "/preview/data_a/data?sample=index-42-avatars&uid=100012315&lang=en&count=5")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("data: %d %s", resp.StatusCode, body)
	}
	var view struct {
		Lang       string
		UID        string
		Characters []struct {
			Name    string
			Element string
			Icon    struct {
				URL string
				OK  bool
			}
		}
		CharacterCount int
		Stats          struct{ ActiveDays struct{ Value string } }
		Params         map[string]any
		L              map[string]string
		Style          struct {
			Name  string `json:"name"`
			Width int    `json:"width"`
		}
		Background struct{ URL string }
	}
	if err := json.Unmarshal(body, &view); err != nil {
		t.Fatalf("data is not JSON: %v", err)
	}
	if view.Lang != "en" || view.UID != "100012315" {
		t.Errorf("Lang %q UID %q", view.Lang, view.UID)
	}
	if len(view.Characters) != 42 || view.CharacterCount != 42 {
		t.Errorf("%d characters, count %d, want 42", len(view.Characters), view.CharacterCount)
	}
	if !view.Characters[0].Icon.OK || !strings.HasPrefix(view.Characters[0].Icon.URL, "/assets/") {
		t.Errorf("first icon = %+v, want a fetched image", view.Characters[0].Icon)
	}
	if view.Params["count"] != float64(5) || view.Params["theme"] != "plain" {
		t.Errorf("Params = %v, want count 5 and the default theme", view.Params)
	}
	if view.L["spiral_abyss"] != "Spiral Abyss" {
		t.Errorf("L[spiral_abyss] = %q", view.L["spiral_abyss"])
	}
	if view.Style.Name != "data_a" || view.Style.Width != 500 {
		t.Errorf("Style = %+v", view.Style)
	}
	if view.Background.URL == "" {
		t.Error("Background.URL is empty")
	}
}

func TestNewStyleServedWithoutRestart(t *testing.T) {
	if r := postCard(t, "style=fresh_a", "index-2023-uigf-doc-example"); r.Retcode != 3 {
		t.Fatalf("fresh_a before it exists: retcode %d", r.Retcode)
	}
	liveStyle(t, "fresh_a", "Fresh", "#000000")

	r := postCard(t, "style=fresh_a&type=png", "index-42-avatars")
	if r.Retcode != 0 {
		t.Fatalf("fresh_a: retcode %d %s", r.Retcode, r.Message)
	}
	img := fetchImage(t, r.URL)
	if img.Bounds().Dx() != 500 {
		t.Errorf("width = %d, want 500", img.Bounds().Dx())
	}
	if n := countNear(img, iconColor, 30); n < 6*60*60/2 {
		t.Errorf("found %d icon-coloured pixels, want the six icons of the image server", n)
	}

	_, body := get(t, "/styles")
	if !strings.Contains(string(body), `"name":"fresh_a"`) {
		t.Error("GET /styles lacks fresh_a")
	}
}

func TestVersionWaitsForChange(t *testing.T) {
	liveStyle(t, "version_a", "Version", "#000000")
	_, body := get(t, "/preview/version_a/version")
	var before struct {
		Version string
		Live    bool
	}
	json.Unmarshal(body, &before)
	if !before.Live || len(before.Version) != 12 {
		t.Fatalf("version = %s", body)
	}

	go func() {
		time.Sleep(400 * time.Millisecond)
		writeStyleFile(t, "version_a", "style.css", `#card { width: 500px; }`)
	}()
	start := time.Now()
	_, body = get(t, "/preview/version_a/version?since="+before.Version)
	took := time.Since(start)
	var after struct{ Version string }
	json.Unmarshal(body, &after)
	if after.Version == before.Version {
		t.Errorf("version unchanged after %s: %s", took, body)
	}
	if took < 300*time.Millisecond || took > 5*time.Second {
		t.Errorf("the request took %s, want it to wait for the edit and return soon after", took)
	}
}

// TestJavaScriptStyleGetsFreshDocument renders a style whose script counts
// renders in a global: every image must show the count 1.
func TestJavaScriptStyleGetsFreshDocument(t *testing.T) {
	writeStyleFile(t, "script_a", "style.json", `{"name":"script_a","width":400,"javascript":true}`)
	writeStyleFile(t, "script_a", "card.html", `<!DOCTYPE html>
<html><head><meta charset="utf-8"><style>html,body{margin:0;background:#fff}</style></head>
<body><div id="card" style="width:400px;height:60px;background:#ffffff"><div id="bar" style="height:40px;background:#ff0000;width:0"></div>
<script>window.renders = (window.renders || 0) + 1; document.getElementById('bar').style.width = (window.renders * 100) + 'px';</script>
</div></body></html>`)

	for i := range 4 {
		r := postCard(t, fmt.Sprintf("style=script_a&type=png&uid=%d", i), "index-2023-uigf-doc-example")
		if r.Retcode != 0 {
			t.Fatalf("render %d: retcode %d %s", i, r.Retcode, r.Message)
		}
		img := fetchImage(t, r.URL)
		red := 0
		for x := 0; x < img.Bounds().Dx(); x++ {
			if near(img.At(x, 20), color.RGBA{255, 0, 0, 255}, 20) {
				red++
			}
		}
		if red != 100 {
			t.Errorf("render %d: bar is %d px wide, want 100 (a count of 1)", i, red)
		}
	}
}

func TestPreviewErrors(t *testing.T) {
	liveStyle(t, "errors_a", "Errors", "#000000")
	cases := []struct {
		path   string
		status int
		want   string
	}{
		{"/preview/errors_a/image?sample=nope", http.StatusBadRequest, `unknown sample \"nope\"`},
		{"/preview/errors_a/image?max_chara=abc&count=99", http.StatusBadRequest, "count"},
		{"/preview/nope_a/image", http.StatusNotFound, "unknown style"},
		{"/preview/nope_a", http.StatusNotFound, "No style named nope_a"},
		{"/preview/errors_a/whatever", http.StatusNotFound, "not found"},
		{"/preview/_/secret.txt", http.StatusNotFound, "not found"},
	}
	for _, tc := range cases {
		resp, body := get(t, tc.path)
		if resp.StatusCode != tc.status || !strings.Contains(string(body), tc.want) {
			t.Errorf("GET %s = %d %.200s, want %d with %q", tc.path, resp.StatusCode, body, tc.status, tc.want)
		}
	}

	// An alias leads to the style's own name.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(svc.base + "/preview/adachi_old?lang=en")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || loc != "/preview/adachi?lang=en" {
		t.Errorf("alias: %d Location %q", resp.StatusCode, loc)
	}
}

func TestTemplateErrorShownInPreview(t *testing.T) {
	liveStyle(t, "exec_a", "Exec", "#000000")
	writeStyleFile(t, "exec_a", "card.html", "<div id=\"card\">\n{{ .NoSuchField }}</div>")
	resp, body := get(t, "/preview/exec_a/page")
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), "NoSuchField") || !strings.Contains(string(body), "live.js") {
		t.Errorf("page = %d %.300s, want 422 naming the field, with the reload script", resp.StatusCode, body)
	}
	resp, body = get(t, "/preview/exec_a/image")
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), "card.html:2") {
		t.Errorf("image = %d %s, want 422 with card.html:2", resp.StatusCode, body)
	}
}

func TestStylesListsManifestFields(t *testing.T) {
	_, body := get(t, "/styles")
	var list struct {
		Default string `json:"default"`
		Styles  []struct {
			Name       string                    `json:"name"`
			Width      int                       `json:"width"`
			Widths     map[string]map[string]int `json:"widths"`
			JavaScript bool                      `json:"javascript"`
			Samples    []string                  `json:"samples"`
			Version    string                    `json:"version"`
			Params     []struct {
				Name    string `json:"name"`
				Type    string `json:"type"`
				Default any    `json:"default"`
				Min     *int   `json:"min"`
				Max     *int   `json:"max"`
			} `json:"params"`
		} `json:"styles"`
		OutputParams []struct {
			Name    string   `json:"name"`
			Enum    []string `json:"enum"`
			Default any      `json:"default"`
		} `json:"output_params"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	byName := map[string]int{}
	for i, s := range list.Styles {
		byName[s.Name] = i
		if len(s.Version) != 12 {
			t.Errorf("%s: version %q", s.Name, s.Version)
		}
	}
	postcard := list.Styles[byName["postcard"]]
	if postcard.Width != 600 || len(postcard.Samples) == 0 || postcard.JavaScript {
		t.Errorf("postcard = %+v", postcard)
	}
	var maxChara bool
	for _, p := range postcard.Params {
		if p.Name == "max_chara" {
			maxChara = p.Type == "int" && *p.Min == 0 && *p.Max == 120 && p.Default == float64(12)
		}
	}
	if !maxChara {
		t.Errorf("postcard params %+v lack max_chara with its limits and default", postcard.Params)
	}
	if list.Styles[byName["adachi"]].Widths["layout"]["portrait"] != 600 {
		t.Error("adachi widths missing")
	}
	if len(list.OutputParams) != 4 || list.OutputParams[0].Name != "type" || list.OutputParams[0].Default != "jpg" {
		t.Errorf("output_params = %+v", list.OutputParams)
	}
}

func TestPreviewOffInProduction(t *testing.T) {
	prod, stop, err := startService(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	for _, path := range []string{"/preview", "/preview/fancy", "/static/css/base.css", "/styles/fancy/style.css", "/assets/x.png"} {
		resp, err := http.Get(prod.base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404 with the preview off", path, resp.StatusCode)
		}
	}
	if prod.app.Preview != nil {
		t.Error("app.Preview is set with the preview off")
	}
}

func TestPreviewWithoutDevDoesNotWait(t *testing.T) {
	prod, stop, err := startService(func(c *config.Config) { c.Preview = true })
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	start := time.Now()
	resp, err := http.Get(prod.base + "/preview/fancy/version?since=" + prod.app.Styles.Version("fancy"))
	if err != nil {
		t.Fatal(err)
	}
	var state struct{ Live bool }
	json.NewDecoder(resp.Body).Decode(&state)
	resp.Body.Close()
	if state.Live || time.Since(start) > 2*time.Second {
		t.Errorf("live %v after %s, want an immediate answer that the styles are fixed", state.Live, time.Since(start))
	}
}

// reply is the JSON body of a generator response.
type reply struct {
	Retcode int    `json:"retcode"`
	Message string `json:"message"`
	URL     string `json:"url"`
}

func postCard(t *testing.T, query, sample string) reply {
	t.Helper()
	body, err := samples.Get(sample)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(svc.base+"/generator/user_info?"+query, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r reply
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatal(err)
	}
	return r
}

func fetchImage(t *testing.T, path string) image.Image {
	t.Helper()
	if u, err := url.Parse(path); err == nil && u.IsAbs() {
		path = u.RequestURI()
	}
	resp, body := get(t, path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("get %s: %d %s", path, resp.StatusCode, body)
	}
	img, _, err := image.Decode(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return img
}

func near(c color.Color, want color.RGBA, tol int) bool {
	r, g, b, _ := c.RGBA()
	return abs(int(r>>8)-int(want.R)) <= tol && abs(int(g>>8)-int(want.G)) <= tol && abs(int(b>>8)-int(want.B)) <= tol
}

func countNear(img image.Image, want color.RGBA, tol int) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if near(img.At(x, y), want, tol) {
				n++
			}
		}
	}
	return n
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// TestEmbeddedStylesInPreview opens the preview of every bundled style. The
// card in the page and the image are both exactly the manifest's width.
func TestEmbeddedStylesInPreview(t *testing.T) {
	for _, name := range []string{"adachi", "egenshin", "fancy", "postcard", "text"} {
		t.Run(name, func(t *testing.T) {
			style, ok := svc.app.Styles.Lookup(name)
			if !ok {
				t.Fatalf("style %s not loaded", name)
			}
			ctx := newTab(t)
			if err := chromedp.Do(ctx, chromedp.Navigate(svc.base+"/preview/"+name+"?uid=100012315&nickname=Lumine")); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, "the image and the page", `document.body.dataset.image === 'ready' && document.body.dataset.page === 'ready'`)
			screenshot(t, ctx, "preview-"+name)

			cardWidth := evaluate[float64](t, ctx, `document.getElementById('page').contentDocument.querySelector('#card').getBoundingClientRect().width`)
			if int(cardWidth) != style.Width {
				t.Errorf("#card in the page is %v px wide, want %d", cardWidth, style.Width)
			}
			if got := evaluate[int](t, ctx, `document.getElementById('image').naturalWidth`); got != style.Width {
				t.Errorf("image is %d px wide, want %d", got, style.Width)
			}
			broken := evaluate[[]string](t, ctx, `[...document.getElementById('page').contentDocument.images].filter((img) => !img.complete || img.naturalWidth === 0).map((img) => img.src)`)
			if len(broken) > 0 {
				t.Errorf("images that failed in the page: %v", broken)
			}
		})
	}
}

// TestPreviewFilesRevalidate checks that a designer's browser revalidates the
// static and style files of the preview, which Chrome inside igs may keep
// for a year, and keeps only the content-named assets.
func TestPreviewFilesRevalidate(t *testing.T) {
	prod, stop, err := startService(func(c *config.Config) { c.Preview = true })
	if err != nil {
		t.Fatal(err)
	}
	defer stop()

	for _, path := range []string{"/static/css/base.css", "/styles/fancy/style.css"} {
		resp, err := http.Get(prod.base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", path, resp.StatusCode)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("GET %s: Cache-Control = %q, want no-cache", path, cc)
		}
	}

	resp, err := http.Get(prod.base + "/static/css/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /static/css/ = %d, want 404 rather than a listing", resp.StatusCode)
	}
}
