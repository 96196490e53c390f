package server

import (
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/igs-dev/igs/samples"
	"github.com/igs-dev/igs/styles"
)

// galleryData is the data of gallery.html.
type galleryData struct {
	Styles   []galleryStyle
	Problems []*styles.StyleError
	Version  string
	Live     bool
}

type galleryStyle struct {
	*styles.Style
	Version string
	Sample  string
}

// gallery lists every style with a thumbnail and the styles that failed to
// load.
func (p *Preview) gallery(c *gin.Context) {
	reg := p.s.deps.Styles
	data := galleryData{Problems: reg.Problems(), Version: p.versionOf(""), Live: reg.Dev()}
	for _, style := range reg.Styles() {
		data.Styles = append(data.Styles, galleryStyle{Style: style, Version: style.Version(), Sample: defaultSample(style)})
	}
	p.writePage(c, "gallery.html", data)
}

// stylePageData is the data of style.html.
type stylePageData struct {
	Name  string
	Style *styles.Style // nil while the style fails to load
	// Problems are the load errors of the folder; with Style set, an older
	// or embedded version is serving meanwhile.
	Problems []*styles.StyleError
	Version  string
	Live     bool
	Fields   []formField
	// Query is the form as a query string for the page, image and data URLs.
	Query template.URL
	Width int
}

// formField is one input of the parameter form.
type formField struct {
	Name        string
	Label       string
	Input       string // text, number or select
	Value       string
	Placeholder string
	Description string
	Min, Max    *int
	MaxLen      int
	Options     []formOption
}

type formOption struct {
	Value, Label string
}

// stylePage shows one style: its filled page, its image, a sample picker
// and a form for its parameters.
func (p *Preview) stylePage(c *gin.Context, name string) {
	reg := p.s.deps.Styles
	data := stylePageData{Name: name, Version: reg.Version(name), Live: reg.Dev(), Problems: p.problemsOf(name)}

	style, ok := p.lookup(c, name)
	if c.Writer.Written() {
		return
	}
	if !ok {
		status := http.StatusNotFound
		if len(data.Problems) > 0 {
			status = http.StatusOK
		}
		c.Status(status)
		p.writePage(c, "style.html", data)
		return
	}

	req, err := p.readRequest(c, style)
	if err != nil {
		c.Status(http.StatusBadRequest)
		data.Problems = append(data.Problems, &styles.StyleError{Style: name, File: "?sample=" + req.sample, Err: err})
		req.form.Del("sample")
		req.sample = defaultSample(style)
	}
	data.Style = style
	data.Fields = formFields(style, req.form, req.sample)
	form := req.form
	form.Set("sample", req.sample)
	// Encode escapes every value, so the string is safe in a URL.
	data.Query = template.URL(form.Encode())
	if params, err := style.ParseParams(req.query); err == nil {
		data.Width = style.WidthFor(params)
	} else {
		data.Width = style.Width
	}
	p.writePage(c, "style.html", data)
}

func (p *Preview) writePage(c *gin.Context, name string, data any) {
	c.Header("Content-Type", "text/html; charset=utf-8")
	if err := p.pages.ExecuteTemplate(c.Writer, name, data); err != nil {
		p.s.log.Error("write preview page failed", "page", name, "err", err)
	}
}

// formFields builds the inputs of the form: the sample, the output
// parameters every style takes, then the style's own parameters.
func formFields(style *styles.Style, form map[string][]string, sample string) []formField {
	get := func(name string) string {
		if v := form[name]; len(v) > 0 {
			return v[0]
		}
		return ""
	}

	sampleField := formField{Name: "sample", Label: "sample data", Input: "select", Value: sample,
		Description: "bundled game record the card is filled with"}
	names := samples.Names()
	for _, own := range style.Samples {
		sampleField.Options = append(sampleField.Options, formOption{Value: own, Label: own + " (style's choice)"})
	}
	for _, name := range names {
		if !slices.Contains(style.Samples, name) {
			sampleField.Options = append(sampleField.Options, formOption{Value: name, Label: name})
		}
	}

	fields := []formField{
		sampleField,
		enumField(langParam, get("lang"), "label language"),
		enumField(scaleParam, get("scale"), "pixel density of the image"),
		enumField(styles.Param{Name: "type", Type: styles.TypeEnum, Enum: []string{"jpg", "png", "webp"}}, get("type"), "image format"),
	}
	for _, param := range style.Params {
		fields = append(fields, paramField(param, get(param.Name)))
	}
	return fields
}

// enumField is a select with an empty choice that leaves the default.
func enumField(param styles.Param, value, description string) formField {
	f := formField{Name: param.Name, Label: param.Name, Input: "select", Value: value, Description: description}
	f.Options = append(f.Options, formOption{Value: "", Label: defaultLabel(param)})
	for _, v := range param.Enum {
		f.Options = append(f.Options, formOption{Value: v, Label: v})
	}
	return f
}

func defaultLabel(param styles.Param) string {
	if param.Default != nil {
		return fmt.Sprintf("(default: %v)", param.Default)
	}
	return "(default)"
}

// paramField turns a manifest parameter into an input.
func paramField(param styles.Param, value string) formField {
	switch param.Type {
	case styles.TypeEnum:
		return enumField(param, value, param.Description)
	case styles.TypeBool:
		return enumField(styles.Param{Name: param.Name, Default: param.Default, Enum: []string{"true", "false"}}, value, param.Description)
	}

	f := formField{Name: param.Name, Label: param.Name, Input: "text", Value: value, Description: param.Description,
		Placeholder: param.Expected()}
	if param.Default != nil {
		f.Placeholder = fmt.Sprint(param.Default)
	}
	switch param.Type {
	case styles.TypeInt:
		f.Input = "number"
		f.Min, f.Max = param.Min, param.Max
	case styles.TypeString:
		f.MaxLen = param.MaxLen
		if f.MaxLen == 0 {
			f.MaxLen = 64
		}
	case styles.TypeURL, styles.TypeAvatar:
		f.MaxLen = 2048
	}
	return f
}

// itoa formats an optional bound for an input attribute.
func itoa(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}
