package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/igs-dev/igs/styles"
)

func (s *Server) routes() *gin.Engine {
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.Use(s.recoverPanics(), s.logRequests())

	r.POST("/generator/user_info", s.generate)
	r.GET("/image/:name", s.serveImage)
	r.HEAD("/image/:name", s.serveImage)
	r.GET("/images/:name", s.serveImage)
	r.HEAD("/images/:name", s.serveImage)
	r.GET("/image/", s.serveImage)
	r.GET("/images/", s.serveImage)
	r.GET("/styles", s.listStyles)
	r.GET("/healthz", s.health)

	r.NoRoute(func(c *gin.Context) { s.replyStatus(c, http.StatusNotFound, RetNotFound, "notFoundRoute") })
	r.NoMethod(func(c *gin.Context) { s.replyStatus(c, http.StatusMethodNotAllowed, RetBadInput, "methodNotAllowed") })
	return r
}

// health reports whether Chrome is ready; it stays out of the access log.
func (s *Server) health(c *gin.Context) {
	ready := s.deps.Renderer.Ready()
	status := http.StatusOK
	if !ready {
		status = http.StatusServiceUnavailable
	}
	c.JSON(status, gin.H{"status": map[bool]string{true: "ok", false: "starting"}[ready], "chrome_ready": ready})
}

// listStyles returns the styles, the parameters each reads and the output
// parameters every style takes, for bots.
func (s *Server) listStyles(c *gin.Context) {
	c.JSON(http.StatusOK, ListStyles(s.deps.Styles, s.cfg.DefaultStyle))
}

// StyleList is the JSON body of GET /styles and of igs styles -json.
type StyleList struct {
	Default string      `json:"default"`
	Styles  []StyleInfo `json:"styles"`
	// OutputParams are the parameters every style takes.
	OutputParams []styles.Param `json:"output_params"`
}

// StyleInfo describes one style from its manifest.
type StyleInfo struct {
	Name        string                    `json:"name"`
	Aliases     []string                  `json:"aliases,omitempty"`
	Title       string                    `json:"title"`
	Description string                    `json:"description"`
	Width       int                       `json:"width"`
	Widths      map[string]map[string]int `json:"widths,omitempty"`
	JavaScript  bool                      `json:"javascript"`
	Samples     []string                  `json:"samples,omitempty"`
	Params      []styles.Param            `json:"params"`
	// Version changes whenever a file of the style changes.
	Version string `json:"version"`
}

// ListStyles describes the styles of reg.
func ListStyles(reg *styles.Registry, defaultStyle string) StyleList {
	list := StyleList{Default: defaultStyle, Styles: []StyleInfo{}, OutputParams: outputParams()}
	for _, st := range reg.Styles() {
		params := st.Params
		if params == nil {
			params = []styles.Param{}
		}
		list.Styles = append(list.Styles, StyleInfo{
			Name:        st.Name,
			Aliases:     st.Aliases,
			Title:       st.Title,
			Description: st.Description,
			Width:       st.Width,
			Widths:      st.Widths,
			JavaScript:  st.JavaScript,
			Samples:     st.Samples,
			Params:      params,
			Version:     st.Version(),
		})
	}
	return list
}

// outputParams describes the parameters every style takes, with defaults.
func outputParams() []styles.Param {
	withDefault := func(p styles.Param, value any, description string) styles.Param {
		p.Default, p.Description = value, description
		return p
	}
	return []styles.Param{
		withDefault(typeParam, "jpg", "image format"),
		withDefault(qualityParam, 90, "compression quality of jpg and webp"),
		withDefault(scaleParam, "1", "pixel density: the image is width*scale pixels wide"),
		withDefault(langParam, "zh-CN", "language of the card labels and of error messages"),
	}
}

// replyStatus writes the generator's reply shape for a request no route
// handles, so that clients always find the same keys.
func (s *Server) replyStatus(c *gin.Context, status, retcode int, key string) {
	lang, _ := parseLang(c.Request.URL.Query())
	m := messagesFor(lang)
	message := m.notFoundRoute
	if key == "methodNotAllowed" {
		message = m.methodNotAllowed
	}
	c.Set(ctxRetcode, retcode)
	c.JSON(status, reply{Retcode: retcode, Message: message, ErrorMsg: message})
}
