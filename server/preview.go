package server

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/igs-dev/igs/samples"
	"github.com/igs-dev/igs/styles"
)

// previewFiles holds the pages, CSS and scripts of the preview.
//
//go:embed preview
var previewFiles embed.FS

// Live reload: a browser requests the version of a style and sends the one
// it has, and the server holds the request until they differ or liveWait ends.
const (
	liveWait = 15 * time.Second
	livePoll = 250 * time.Millisecond
)

// ErrUnknownSample is returned for a preview request naming no bundled sample.
var ErrUnknownSample = errors.New("unknown sample")

// Preview serves the style gallery and the live preview of each style
// under /preview, for people who design styles.
type Preview struct {
	s      *Server
	pages  *template.Template
	thumbs thumbnailCache

	done      chan struct{}
	closeOnce sync.Once
}

// EnablePreview adds the preview routes, and the routes /static/, /styles/
// and /assets/ served by origin, the handler Chrome loads a card's files
// from, so that a filled page opened in a browser shows the same files.
// Call it before serving.
func (s *Server) EnablePreview(origin http.Handler) (*Preview, error) {
	pages, err := template.New("preview").Funcs(template.FuncMap{"bound": itoa}).ParseFS(previewFiles, "preview/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse preview pages: %w", err)
	}
	p := &Preview{s: s, pages: pages, thumbs: thumbnailCache{entries: map[string]*thumbnail{}}, done: make(chan struct{})}

	r := s.engine
	r.GET("/preview", p.route)
	r.GET("/preview/*path", p.route)
	// Chrome gets a new profile at each start, so the origin lets it keep
	// static and style files for a year. A designer's browser keeps its
	// cache across restarts and upgrades, so it must revalidate them. The
	// names under /assets/ come from the content, so those stay cached.
	files := gin.WrapH(origin)
	revalidated := gin.WrapH(revalidate(origin))
	for _, route := range []string{"/static/*file", "/styles/*file"} {
		r.GET(route, revalidated)
		r.HEAD(route, revalidated)
	}
	r.GET("/assets/*file", files)
	r.HEAD("/assets/*file", files)
	return p, nil
}

// Close ends the live-reload requests waiting for a change, so that a
// shutdown does not wait for them.
func (p *Preview) Close() {
	p.closeOnce.Do(func() { close(p.done) })
}

// route dispatches /preview/<style>/<action> by hand: a gin route with a
// parameter next to the catch-all would conflict.
func (p *Preview) route(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	rest := strings.Trim(c.Param("path"), "/")
	if rest == "" {
		p.gallery(c)
		return
	}
	if file, ok := strings.CutPrefix(rest, "_/"); ok {
		if file == "version" {
			p.version(c, "")
			return
		}
		p.asset(c, file)
		return
	}

	name, action, _ := strings.Cut(rest, "/")
	switch action {
	case "":
		p.stylePage(c, name)
	case "page":
		p.page(c, name)
	case "image":
		p.image(c, name)
	case "data":
		p.data(c, name)
	case "thumb":
		p.thumb(c, name)
	case "version":
		p.version(c, name)
	default:
		p.notFound(c)
	}
}

func (p *Preview) notFound(c *gin.Context) {
	c.JSON(http.StatusNotFound, gin.H{"retcode": RetNotFound, "message": "not found"})
}

// asset serves the preview's own CSS and scripts.
func (p *Preview) asset(c *gin.Context, file string) {
	ext := path.Ext(file)
	if strings.Contains(file, "/") || (ext != ".css" && ext != ".js") {
		p.notFound(c)
		return
	}
	data, err := fs.ReadFile(previewFiles, "preview/"+file)
	if err != nil {
		p.notFound(c)
		return
	}
	contentType := "text/css; charset=utf-8"
	if ext == ".js" {
		contentType = "text/javascript; charset=utf-8"
	}
	c.Data(http.StatusOK, contentType, data)
}

// previewRequest is the sample and the query of a preview URL, turned into
// what Render takes.
type previewRequest struct {
	sample string
	body   []byte
	query  url.Values
	// form is the query as the page's own links carry it.
	form url.Values
}

// readRequest reads ?sample= and the parameters of a preview URL for the
// style name.
func (p *Preview) readRequest(c *gin.Context, style *styles.Style) (previewRequest, error) {
	form := c.Request.URL.Query()
	form.Del("v")
	form.Del("since")
	form.Del("style")

	sample := form.Get("sample")
	if sample == "" {
		sample = defaultSample(style)
	}
	if !slices.Contains(samples.Names(), sample) {
		return previewRequest{sample: sample, form: form}, fmt.Errorf("%w %q: expected one of %s", ErrUnknownSample, sample, strings.Join(samples.Names(), ", "))
	}
	body, err := samples.Get(sample)
	if err != nil {
		return previewRequest{sample: sample, form: form}, err
	}
	form.Set("sample", sample)

	query := url.Values{}
	for k, v := range form {
		query[k] = v
	}
	query.Del("sample")
	query.Set("style", style.Name)
	return previewRequest{sample: sample, body: body, query: query, form: form}, nil
}

// defaultSample is the first sample a style's manifest names, else the
// bundled default.
func defaultSample(style *styles.Style) string {
	for _, name := range style.Samples {
		if slices.Contains(samples.Names(), name) {
			return name
		}
	}
	return samples.Default
}

// lookup finds a style for a preview; an alias redirects to the name.
func (p *Preview) lookup(c *gin.Context, name string) (*styles.Style, bool) {
	style, ok := p.s.deps.Styles.Lookup(name)
	if !ok {
		return nil, false
	}
	if style.Name != name {
		target := strings.Replace(c.Request.URL.Path, "/preview/"+name, "/preview/"+style.Name, 1)
		if c.Request.URL.RawQuery != "" {
			target += "?" + c.Request.URL.RawQuery
		}
		c.Redirect(http.StatusFound, target)
		return nil, false
	}
	return style, true
}

// page serves the filled card page with a script that reloads it when a
// file of the style changes.
func (p *Preview) page(c *gin.Context, name string) {
	style, ok := p.lookup(c, name)
	if !ok {
		if !c.Writer.Written() {
			p.errorPage(c, name, http.StatusNotFound, fmt.Errorf("%w %q", styles.ErrUnknownStyle, name))
		}
		return
	}
	req, err := p.readRequest(c, style)
	if err != nil {
		p.errorPage(c, style.Name, http.StatusBadRequest, err)
		return
	}

	page, err := p.s.Fill(c.Request.Context(), req.query, req.body)
	if err != nil {
		p.errorPage(c, style.Name, p.statusOf(err), err)
		return
	}
	html := injectBeforeBodyEnd(page.HTML, liveScript(style.Name, p.s.deps.Styles.Version(style.Name)))
	c.Data(http.StatusOK, "text/html; charset=utf-8", html)
}

// errorPage shows an error of a filled page in its place; it reloads like
// the page once the style changes.
func (p *Preview) errorPage(c *gin.Context, name string, status int, err error) {
	c.Set(ctxError, err)
	c.Status(status)
	c.Header("Content-Type", "text/html; charset=utf-8")
	data := errorPageData{Style: name, Error: err.Error(), Version: p.s.deps.Styles.Version(name), Live: p.s.deps.Styles.Dev()}
	if execErr := p.pages.ExecuteTemplate(c.Writer, "error.html", data); execErr != nil {
		p.s.log.Error("write preview error page failed", "style", name, "err", execErr)
	}
}

type errorPageData struct {
	Style, Error, Version string
	Live                  bool
}

// liveScript is the tag of the reload script put into a filled page.
func liveScript(style, version string) []byte {
	return fmt.Appendf(nil, `<script src="/preview/_/live.js" data-style="%s" data-version="%s"></script>`,
		template.HTMLEscapeString(style), template.HTMLEscapeString(version))
}

// injectBeforeBodyEnd inserts tag before the last </body>, or appends it.
func injectBeforeBodyEnd(html, tag []byte) []byte {
	i := bytes.LastIndex(bytes.ToLower(html), []byte("</body>"))
	if i < 0 {
		return append(html, tag...)
	}
	out := make([]byte, 0, len(html)+len(tag))
	out = append(out, html[:i]...)
	out = append(out, tag...)
	return append(out, html[i:]...)
}

// jsonRequest looks up the style and reads the request of an endpoint that
// reports errors as JSON. It writes the error reply itself and returns false
// when either step fails.
func (p *Preview) jsonRequest(c *gin.Context, name string) (previewRequest, bool) {
	style, ok := p.lookup(c, name)
	if !ok {
		if !c.Writer.Written() {
			p.jsonError(c, http.StatusNotFound, fmt.Errorf("%w %q", styles.ErrUnknownStyle, name))
		}
		return previewRequest{}, false
	}

	req, err := p.readRequest(c, style)
	if err != nil {
		p.jsonError(c, http.StatusBadRequest, err)
		return previewRequest{}, false
	}
	return req, true
}

// image renders the card through the production path and returns the image.
func (p *Preview) image(c *gin.Context, name string) {
	req, ok := p.jsonRequest(c, name)
	if !ok {
		return
	}

	card, err := p.s.Render(c.Request.Context(), req.query, req.body)
	if err != nil {
		p.jsonError(c, p.statusOf(err), err)
		return
	}
	c.Header("X-Image-Size", fmt.Sprintf("%dx%d", card.Width, card.Height))
	c.Header("X-Render-Time", card.RenderTime.Round(time.Millisecond).String())
	c.Header("X-Queue-Wait", card.QueueWait.Round(time.Millisecond).String())
	c.Data(http.StatusOK, imageContentType(card.Ext), card.Data)
}

// data returns the view model the template of the style receives, as JSON.
func (p *Preview) data(c *gin.Context, name string) {
	req, ok := p.jsonRequest(c, name)
	if !ok {
		return
	}

	page, err := p.s.prepareView(c.Request.Context(), req.query, req.body)
	if err != nil {
		p.jsonError(c, p.statusOf(err), err)
		return
	}
	c.IndentedJSON(http.StatusOK, page.View)
}

// jsonError writes the whole error text, because the people who write the
// styles need its file and line.
func (p *Preview) jsonError(c *gin.Context, status int, err error) {
	c.Set(ctxError, err)
	c.JSON(status, gin.H{"error": err.Error()})
}

// statusOf maps an error of Fill or Render to an HTTP status.
func (p *Preview) statusOf(err error) int {
	switch describe(err, "en").retcode {
	case RetBadInput:
		return http.StatusBadRequest
	case RetUnknownStyle:
		return http.StatusNotFound
	}
	if errors.Is(err, ErrTemplate) {
		return http.StatusUnprocessableEntity
	}
	return http.StatusInternalServerError
}

func imageContentType(ext string) string {
	switch ext {
	case "png":
		return "image/png"
	case "webp":
		return "image/webp"
	}
	return "image/jpeg"
}

// version writes the version of a style, or for "" that of the gallery. With ?since= equal to the current version, in development mode,
// it waits up to liveWait for a change.
func (p *Preview) version(c *gin.Context, name string) {
	live := p.s.deps.Styles.Dev()
	since := c.Query("since")
	current := p.versionOf(name)

	if live && since != "" && since == current {
		timeout := time.NewTimer(liveWait)
		defer timeout.Stop()
		tick := time.NewTicker(livePoll)
		defer tick.Stop()
	wait:
		for current == since {
			select {
			case <-tick.C:
				current = p.versionOf(name)
			case <-timeout.C:
				break wait
			case <-p.done:
				break wait
			case <-c.Request.Context().Done():
				return
			}
		}
	}
	c.JSON(http.StatusOK, gin.H{"version": current, "live": live})
}

// versionOf returns the version of a style folder, with its load problems;
// for "" a fingerprint of every style and problem.
func (p *Preview) versionOf(name string) string {
	reg := p.s.deps.Styles
	if name != "" {
		return reg.Version(name)
	}
	h := sha256.New()
	for _, style := range reg.Styles() {
		fmt.Fprintf(h, "%s %s\n", style.Name, reg.Version(style.Name))
	}
	for _, problem := range reg.Problems() {
		fmt.Fprintf(h, "%s %s\n", problem.Style, reg.Version(problem.Style))
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// problemsOf returns the load problems of the style folder name.
func (p *Preview) problemsOf(name string) []*styles.StyleError {
	var list []*styles.StyleError
	for _, problem := range p.s.deps.Styles.Problems() {
		if problem.Style == name {
			list = append(list, problem)
		}
	}
	return list
}

// revalidate sends the responses of h with Cache-Control: no-cache, whatever
// h sets.
func revalidate(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(&noCacheWriter{ResponseWriter: w}, r)
	})
}

// noCacheWriter replaces the Cache-Control header just before the status
// line goes out.
type noCacheWriter struct {
	http.ResponseWriter
	wroteHeader bool
}

func (w *noCacheWriter) WriteHeader(code int) {
	if !w.wroteHeader {
		w.wroteHeader = true
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *noCacheWriter) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}
