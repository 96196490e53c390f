package server

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"net/url"

	"github.com/igs-dev/igs/record"
	"github.com/igs-dev/igs/styles"
)

// Page is a filled card page and what went into it.
type Page struct {
	Style *styles.Style
	View  *styles.View
	// HTML is the filled template; nil when only the view was asked for.
	HTML []byte
	// Width is the card width in CSS px and Scale the device pixel ratio
	// that Render would use.
	Width int
	Scale float64
}

// Fill reads a request like Render does and fills the style's template,
// without rendering an image. The preview and igs check use it.
func (s *Server) Fill(ctx context.Context, query url.Values, body []byte) (*Page, error) {
	page, err := s.prepareView(ctx, query, body)
	if err != nil {
		return page, err
	}

	var buf bytes.Buffer
	if err := page.Style.Execute(&buf, page.View); err != nil {
		return page, fmt.Errorf("%w: %w", ErrTemplate, err)
	}
	page.HTML = buf.Bytes()
	return page, nil
}

// prepareView runs the steps of Render up to the template: style, output
// and style parameters, the record, and the images. Keep it in step with
// Render. On an error after the style was found, the Page names the style.
func (s *Server) prepareView(ctx context.Context, query url.Values, body []byte) (*Page, error) {
	lang, langErr := parseLang(query)
	style, err := s.lookupStyle(query.Get("style"))
	if err != nil {
		return nil, err
	}
	page := &Page{Style: style}
	if langErr != nil {
		return page, langErr
	}

	out, err := parseOutput(query, lang)
	if err != nil {
		return page, err
	}
	params, err := style.ParseParams(query)
	if err != nil {
		return page, err
	}
	page.Width, page.Scale = style.WidthFor(params), out.Scale
	if px := float64(page.Width) * out.Scale; px != math.Trunc(px) {
		return page, &styles.ParamError{Name: "scale", Value: query.Get("scale"), Param: scaleParam}
	}

	rec, err := record.Decode(body, lang)
	if err != nil {
		return page, err
	}

	view := s.buildView(style, rec, params, out)
	images := append(rec.Images(), &view.Avatar, &view.Background)
	s.deps.Assets.Resolve(ctx, images)
	if !view.Background.OK {
		view.Background.URL = s.deps.Background
	}
	page.View = view
	return page, nil
}
