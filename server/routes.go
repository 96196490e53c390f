package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
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

	r.NoRoute(func(c *gin.Context) {
		c.JSON(http.StatusNotFound, gin.H{"retcode": RetNotFound, "message": "not found"})
	})
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

// listStyles returns the styles and the parameters each reads, for bots.
func (s *Server) listStyles(c *gin.Context) {
	type styleInfo struct {
		Name        string      `json:"name"`
		Aliases     []string    `json:"aliases,omitempty"`
		Title       string      `json:"title"`
		Description string      `json:"description"`
		Width       int         `json:"width"`
		Params      interface{} `json:"params"`
	}
	list := []styleInfo{}
	for _, st := range s.deps.Styles.Styles() {
		list = append(list, styleInfo{st.Name, st.Aliases, st.Title, st.Description, st.Width, st.Params})
	}
	c.JSON(http.StatusOK, gin.H{"default": s.cfg.DefaultStyle, "styles": list})
}
