package server

import (
	"errors"
	"fmt"
	"net/http"
	"os"

	"github.com/gin-gonic/gin"

	"github.com/igs-dev/igs/storage"
)

// serveImage handles GET /image/<name> and /images/<name>. Names are unique
// and files never change, so clients and proxies may cache them for a year.
func (s *Server) serveImage(c *gin.Context) {
	path, contentType, err := s.deps.Store.Open(c.Param("name"))
	if err != nil {
		s.imageNotFound(c, err)
		return
	}

	f, err := os.Open(path)
	if err != nil {
		// The janitor may remove the file between Open and here.
		s.imageNotFound(c, err)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		s.imageNotFound(c, err)
		return
	}

	c.Set(ctxRetcode, RetOK)
	c.Header("Content-Type", contentType)
	c.Header("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(c.Writer, c.Request, "", info.ModTime(), f)
}

func (s *Server) imageNotFound(c *gin.Context, err error) {
	lang, _ := parseLang(c.Request.URL.Query())
	f := describe(storageNotFound(err), lang)
	c.Set(ctxRetcode, f.retcode)
	c.JSON(http.StatusNotFound, reply{Retcode: f.retcode, Message: f.message, ErrorMsg: f.message})
}

// storageNotFound makes any failure to open an image a not-found error.
func storageNotFound(err error) error {
	if errors.Is(err, storage.ErrNotFound) {
		return err
	}
	return fmt.Errorf("%w: %w", storage.ErrNotFound, err)
}
