package server

import (
	"context"
	"net/http"
	"net/url"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/igs-dev/igs/samples"
	"github.com/igs-dev/igs/styles"
)

// thumbnailCache keeps the last gallery image of each style with the style
// version it shows, so a style is rendered again only after its files change.
type thumbnailCache struct {
	mu      sync.Mutex
	entries map[string]*thumbnail
}

type thumbnail struct {
	// mu is held while the thumbnail renders, so that concurrent requests
	// share one render.
	mu      sync.Mutex
	version string
	data    []byte
	ext     string
}

// get returns the thumbnail of style, rendering it with render when the
// cached one shows another version. Failed renders are not cached.
func (tc *thumbnailCache) get(style *styles.Style, render func() (*Card, error)) (data []byte, ext string, cached bool, err error) {
	tc.mu.Lock()
	entry, ok := tc.entries[style.Name]
	if !ok {
		entry = &thumbnail{}
		tc.entries[style.Name] = entry
	}
	tc.mu.Unlock()

	entry.mu.Lock()
	defer entry.mu.Unlock()
	if entry.data != nil && entry.version == style.Version() {
		return entry.data, entry.ext, true, nil
	}

	card, err := render()
	if err != nil {
		return nil, "", false, err
	}
	entry.version, entry.data, entry.ext = style.Version(), card.Data, card.Ext
	return card.Data, card.Ext, false, nil
}

// thumb serves the gallery image of a style: the card of its first sample
// with the default parameters. X-Thumbnail reports whether it was rendered for
// this request or came from the cache.
func (p *Preview) thumb(c *gin.Context, name string) {
	style, ok := p.lookup(c, name)
	if !ok {
		if !c.Writer.Written() {
			p.notFound(c)
		}
		return
	}

	data, ext, cached, err := p.thumbs.get(style, func() (*Card, error) {
		body, err := samples.Get(defaultSample(style))
		if err != nil {
			return nil, err
		}
		query := url.Values{"style": {style.Name}, "quality": {"80"}}
		return p.s.Render(context.WithoutCancel(c.Request.Context()), query, body)
	})
	if err != nil {
		p.jsonError(c, p.statusOf(err), err)
		return
	}

	c.Header("X-Thumbnail", map[bool]string{true: "cached", false: "rendered"}[cached])
	c.Header("ETag", `"`+style.Version()+`"`)
	c.Data(http.StatusOK, imageContentType(ext), data)
}
