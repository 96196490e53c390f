package renderer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// blankPath is the page that every tab loads once, and again after a render
// whose page could leave scripts running. Renders replace its document.
const blankPath = "/_blank"

// assetPrefixes are the paths that the assets handler of the caller serves.
var assetPrefixes = []string{"/static/", "/styles/", "/assets/"}

// blankPolicy is the Content-Security-Policy of the blank page. A document
// that a render writes into the page keeps it, so the page itself can load
// only from its own origin and inline data. The Fetch interception and the
// proxy enforce the same rule outside the page.
const blankPolicy = "default-src 'self' data: blob: 'unsafe-inline' 'unsafe-eval'; base-uri 'self'; form-action 'none'"

const blankPage = `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body></body></html>`

// originServer is the loopback HTTP server that is the only origin Chrome
// may load from.
type originServer struct {
	server *http.Server
	url    string // http://127.0.0.1:port
	host   string // 127.0.0.1:port
	done   chan struct{}
}

// startOrigin serves the blank page and assets on a free port of 127.0.0.1.
func startOrigin(assets http.Handler, log *slog.Logger, policy string) (*originServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen on loopback: %w", err)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET "+blankPath, func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		if policy != "" {
			h.Set("Content-Security-Policy", policy)
		}
		_, _ = w.Write([]byte(blankPage))
	})
	if assets != nil {
		for _, prefix := range assetPrefixes {
			mux.Handle(prefix, assets)
		}
	}

	o := &originServer{
		server: &http.Server{
			Handler:           mux,
			ReadHeaderTimeout: 10 * time.Second,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
		},
		url:  "http://" + ln.Addr().String(),
		host: ln.Addr().String(),
		done: make(chan struct{}),
	}
	go func() {
		defer close(o.done)
		if err := o.server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("asset origin stopped", "err", err)
		}
	}()
	return o, nil
}

// close stops the server. Chrome is gone by then, so the open connections
// are only idle keep-alives.
func (o *originServer) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := o.server.Shutdown(ctx)
	<-o.done
	return err
}
