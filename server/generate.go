package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/igs-dev/igs/record"
	"github.com/igs-dev/igs/renderer"
	"github.com/igs-dev/igs/styles"
)

// reply is the JSON body of every generator response, in the original service's shape.
type reply struct {
	Retcode int    `json:"retcode"`
	Message string `json:"message"`
	// ErrorMsg repeats Message on failure: the key the original service used.
	ErrorMsg string  `json:"ErrorMsg,omitempty"`
	UseTime  float64 `json:"use_time"`
	URL      string  `json:"url"`
}

// pageBuffers recycles the buffers templates are filled into.
var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// generate handles POST /generator/user_info.
func (s *Server) generate(c *gin.Context) {
	start := time.Now()
	// A malformed pair such as uid=%zz is an error, not a silently dropped
	// parameter; the pairs that did parse still choose the language.
	query, queryErr := url.ParseQuery(c.Request.URL.RawQuery)
	lang, _ := parseLang(query)
	if size := len(c.Request.URL.RawQuery); size > MaxQueryBytes {
		queryErr = &queryTooLargeError{size: size, limit: MaxQueryBytes}
	}

	imageURL, err := "", queryErr
	if queryErr != nil {
		err = fmt.Errorf("%w: %w", ErrBadQuery, queryErr)
	} else {
		imageURL, err = s.generateCard(c, query)
	}
	useTime := math.Round(time.Since(start).Seconds()*1e4) / 1e4
	if err != nil {
		f := describe(err, lang)
		c.Set(ctxRetcode, f.retcode)
		c.Set(ctxError, err)
		if f.retryAfter > 0 {
			c.Header("Retry-After", strconv.Itoa(f.retryAfter))
		}
		c.JSON(http.StatusOK, reply{Retcode: f.retcode, Message: f.message, ErrorMsg: f.message, UseTime: useTime})
		return
	}

	c.Set(ctxRetcode, RetOK)
	c.JSON(http.StatusOK, reply{Retcode: RetOK, Message: "OK", UseTime: useTime, URL: imageURL})
}

// generateCard reads the body, renders the card, or finds it in the repeat
// cache, and returns the image URL.
func (s *Server) generateCard(c *gin.Context, query url.Values) (string, error) {
	body, err := s.readBody(c)
	if err != nil {
		return "", err
	}

	key := repeatKey(query, body)
	if name, ok := s.repeats.get(key); ok {
		if _, _, err := s.deps.Store.Open(name); err == nil {
			c.Set(ctxRepeat, true)
			return "/image/" + name, nil
		}
	}

	card, err := s.Render(c.Request.Context(), query, body)
	if card != nil {
		c.Set(ctxStyle, card.Style)
	}
	if err != nil {
		return "", err
	}
	c.Set(ctxQueueWait, card.QueueWait)
	c.Set(ctxRenderTime, card.RenderTime)

	name, err := s.deps.Store.Save(card.Data, card.Ext)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrSaveImage, err)
	}
	c.Set(ctxBytes, len(card.Data))
	// A card with placeholders is not reused, so that a retry can get the
	// images once their host responds again.
	if card.MissingImages == 0 {
		s.repeats.put(key, name)
	}
	return "/image/" + name, nil
}

// Card is a rendered card image.
type Card struct {
	Style      string // the style's name (an alias resolved)
	Data       []byte
	Ext        string // jpg, png or webp
	Width      int    // pixels
	Height     int
	QueueWait  time.Duration
	RenderTime time.Duration
	// MissingImages counts the images that the request named but that
	// could not be fetched, so the card shows placeholders for them.
	MissingImages int
}

// Render turns a request's query and body into a card image. On an error
// after the style was found, the returned Card is non-nil and names it.
func (s *Server) Render(ctx context.Context, query url.Values, body []byte) (*Card, error) {
	lang, langErr := parseLang(query)
	style, err := s.lookupStyle(query.Get("style"))
	if err != nil {
		return nil, err
	}
	card := &Card{Style: style.Name}
	if langErr != nil {
		return card, langErr
	}

	out, err := parseOutput(query, lang)
	if err != nil {
		return card, err
	}
	card.Ext = out.Ext
	params, err := style.ParseParams(query)
	if err != nil {
		return card, err
	}
	width := style.WidthFor(params)
	if px := float64(width) * out.Scale; px != math.Trunc(px) {
		return card, &styles.ParamError{Name: "scale", Value: query.Get("scale"), Param: scaleParam}
	}

	rec, err := record.Decode(body, lang)
	if err != nil {
		return card, err
	}

	// A full pool rejects the request now rather than after the image
	// fetches, which can take the whole fetch budget.
	if r, ok := s.deps.Renderer.(reserver); ok {
		reserved, release, err := r.Reserve(ctx)
		if err != nil {
			return card, fmt.Errorf("render %s: %w", style.Name, err)
		}
		defer release()
		ctx = reserved
	}

	view := s.buildView(style, rec, params, out)
	images := append(rec.Images(), &view.Avatar, &view.Background)
	s.deps.Assets.Resolve(ctx, images)
	for _, img := range images {
		if img.Src != "" && !img.OK {
			card.MissingImages++
		}
	}
	if !view.Background.OK {
		view.Background.URL = s.deps.Background
	}

	page := pageBuffers.Get().(*bytes.Buffer)
	page.Reset()
	defer pageBuffers.Put(page)
	if err := style.Execute(page, view); err != nil {
		return card, fmt.Errorf("%w: %w", ErrTemplate, err)
	}

	result, err := s.deps.Renderer.Render(ctx, renderer.Job{
		HTML:     page.Bytes(),
		Width:    width,
		Scale:    out.Scale,
		Format:   out.Format,
		Quality:  out.Quality,
		Selector: style.Selector(),
	})
	if err != nil {
		var tall *renderer.TooTallError
		if errors.As(err, &tall) {
			err = &cardTooTallError{TooTallError: tall, fixes: tallFixes(style, out, tall)}
		}
		return card, fmt.Errorf("render %s: %w", style.Name, err)
	}
	card.Data = result.Data
	card.Width, card.Height = result.Width, result.Height
	card.QueueWait, card.RenderTime = result.QueueWait, result.RenderTime
	return card, nil
}

// tallFixes returns the parameter changes that make a card short enough: a
// scale of 1, JPEG in place of WebP, both together when neither is enough
// alone, and max_chara where the style has it.
func tallFixes(style *styles.Style, out output, tall *renderer.TooTallError) []string {
	var fixes []string
	lowerScale := out.Scale > 1 && tall.Height <= tall.ScaleOneLimit
	toJPEG := out.Format == "webp" && tall.Height <= tall.JPEGLimit
	if lowerScale {
		fixes = append(fixes, fixScale)
	}
	if toJPEG {
		fixes = append(fixes, fixType)
	}
	if !lowerScale && !toJPEG && out.Scale > 1 && out.Format == "webp" && tall.Height <= tall.ScaleOneJPEGLimit {
		fixes = append(fixes, fixScaleAndType)
	}

	for _, p := range style.Params {
		if p.Name == fixMaxChara {
			fixes = append(fixes, fixMaxChara)
		}
	}
	return fixes
}

func (s *Server) lookupStyle(name string) (*styles.Style, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" {
		name = s.cfg.DefaultStyle
	}
	style, ok := s.deps.Styles.Lookup(name)
	if !ok {
		return nil, &unknownStyleError{name: name, available: s.deps.Styles.Names()}
	}
	return style, nil
}

// readBody reads the whole body up to the configured cap.
func (s *Server) readBody(c *gin.Context) ([]byte, error) {
	limit := s.cfg.BodyLimit
	if c.Request.ContentLength > limit {
		return nil, &bodyTooLargeError{limit: limit}
	}

	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, limit))
	if err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return nil, &bodyTooLargeError{limit: limit}
		}
		return nil, fmt.Errorf("%w: %w", ErrBodyRead, err)
	}
	return body, nil
}

// buildView joins the record and the request parameters.
func (s *Server) buildView(style *styles.Style, rec *record.Record, params map[string]any, out output) *styles.View {
	view := &styles.View{
		Record: rec,
		Params: params,
		L:      style.Labels(out.Lang),
		Style:  &style.Manifest,
		Scale:  out.Scale,
	}
	view.UID, _ = params["uid"].(string)
	view.Nickname, _ = params["nickname"].(string)
	if view.Nickname == "" && rec.Player != nil {
		view.Nickname = rec.Player.Nickname
	}

	switch avatar, _ := params["avatar"].(styles.Avatar); {
	case avatar.QQ != "":
		view.Avatar.Src = strings.ReplaceAll(s.cfg.QQAvatarURL, "{qq}", avatar.QQ)
	case avatar.URL != "":
		view.Avatar.Src = avatar.URL
	case rec.Player != nil:
		view.Avatar.Src = rec.Player.HeadIcon.Src
	}
	view.Background.Src, _ = params["bg_url"].(string)
	return view
}
