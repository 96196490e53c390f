package server

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/igs-dev/igs/record"
	"github.com/igs-dev/igs/renderer"
	"github.com/igs-dev/igs/storage"
	"github.com/igs-dev/igs/styles"
)

// Renderer turns a filled page into an image; *renderer.Pool implements it.
type Renderer interface {
	Render(ctx context.Context, job renderer.Job) (*renderer.Result, error)
	Ready() bool
}

var _ Renderer = (*renderer.Pool)(nil)

// reserver is a Renderer that can take a place for a render before the
// request fetches its images, so that a full pool rejects it at once.
type reserver interface {
	Reserve(ctx context.Context) (context.Context, func(), error)
}

var _ reserver = (*renderer.Pool)(nil)

// Assets fetches the remote images a card names; *assets.Pipeline
// implements it.
type Assets interface {
	Resolve(ctx context.Context, images []*record.Image)
}

// Deps are the parts the server drives.
type Deps struct {
	Styles   *styles.Registry
	Renderer Renderer
	Assets   Assets
	Store    *storage.Store
	// Background is the bundled default background, already an /assets/ URL.
	Background string
	Log        *slog.Logger
}

// Server is the HTTP API.
type Server struct {
	cfg     Config
	deps    Deps
	log     *slog.Logger
	engine  *gin.Engine
	repeats *repeatCache
}

// New builds the server and its routes.
func New(cfg Config, deps Deps) *Server {
	gin.SetMode(gin.ReleaseMode)
	s := &Server{cfg: cfg, deps: deps, log: deps.Log, repeats: newRepeatCache(cfg.RepeatWindow, cfg.RepeatEntries)}
	s.engine = s.routes()
	return s
}

// Handler returns the HTTP handler of the API.
func (s *Server) Handler() http.Handler { return s.engine }
