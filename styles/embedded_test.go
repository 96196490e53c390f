package styles_test

import (
	"bytes"
	"net/url"
	"strings"
	"testing"

	"github.com/igs-dev/igs/record"
	"github.com/igs-dev/igs/samples"
	"github.com/igs-dev/igs/styles"
	"github.com/igs-dev/igs/templates"
)

// TestEmbeddedStylesLoad fails when any bundled style is broken, so a
// broken style cannot ship.
func TestEmbeddedStylesLoad(t *testing.T) {
	reg, err := styles.Load(templates.FS, styles.Options{Samples: samples.Names()})
	if err != nil {
		t.Fatalf("embedded styles: %v", err)
	}
	if len(reg.Names()) < 5 {
		t.Errorf("loaded %v, want the four bundled card styles and the example", reg.Names())
	}
}

// TestEmbeddedStylesFillEverySample fills every bundled style with every
// sample in both languages, with the defaults of its parameters and with
// each value of an enum parameter that changes the width.
func TestEmbeddedStylesFillEverySample(t *testing.T) {
	reg, err := styles.Load(templates.FS, styles.Options{Samples: samples.Names()})
	if err != nil {
		t.Fatalf("embedded styles: %v", err)
	}
	for _, style := range reg.Styles() {
		queries := []url.Values{{}}
		for param, byValue := range style.Widths {
			for value := range byValue {
				queries = append(queries, url.Values{param: {value}})
			}
		}

		for _, sample := range samples.Names() {
			body, err := samples.Get(sample)
			if err != nil {
				t.Fatal(err)
			}
			for _, lang := range styles.Languages {
				for _, query := range queries {
					name := style.Name + "/" + sample + "/" + lang + "/" + query.Encode()
					t.Run(name, func(t *testing.T) {
						out := fill(t, style, body, lang, query)
						if !strings.Contains(out, `id="card"`) && style.Selector() == "#card" {
							t.Errorf("page lacks the element #card")
						}
						if strings.Contains(out, "<no value>") {
							t.Errorf("page contains <no value>: a field the view model does not have")
						}
					})
				}
			}
		}
	}
}

func fill(t *testing.T, style *styles.Style, body []byte, lang string, query url.Values) string {
	t.Helper()
	rec, err := record.Decode(body, lang)
	if err != nil {
		t.Fatalf("decode sample: %v", err)
	}
	params, err := style.ParseParams(query)
	if err != nil {
		t.Fatalf("parse params: %v", err)
	}
	view := &styles.View{
		Record: rec,
		Params: params,
		L:      style.Labels(lang),
		Style:  &style.Manifest,
		Scale:  1,
		UID:    "100012315",
	}
	view.Background.URL = "/static/bg/default.jpg"
	var buf bytes.Buffer
	if err := style.Execute(&buf, view); err != nil {
		t.Fatalf("execute: %v", err)
	}
	return buf.String()
}
