package assets

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"time"
)

// cacheControl lets Chrome keep an asset for a year without revalidation:
// a name is derived from the content, so its bytes never change.
const cacheControl = "public, max-age=31536000, immutable"

// Handler returns the handler for GET and HEAD /assets/<name>. Mount it
// without stripping the /assets/ prefix, because it matches the full path.
// Any path other than the canonical URL of a cached image or of a blurred or
// shrunk copy of one gets 404.
func (p *Pipeline) Handler() http.Handler {
	return http.HandlerFunc(p.serveAsset)
}

func (p *Pipeline) serveAsset(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}

	// The escaped path keeps "%2F" and "%2e" as they came, so an encoded
	// slash or dot can never form a valid name.
	rawName, ok := strings.CutPrefix(r.URL.EscapedPath(), urlPrefix)
	if !ok {
		http.NotFound(w, r)
		return
	}

	name, ok := parseAssetName(rawName)
	if !ok {
		http.NotFound(w, r)
		return
	}

	a, err := p.lookupAsset(r.Context(), name)
	switch {
	case errors.Is(err, errNotCached):
		http.NotFound(w, r)
		return
	case r.Context().Err() != nil:
		return // the client has left
	case err != nil:
		// makeVariant has logged the cause.
		http.Error(w, "image copy failed", http.StatusInternalServerError)
		return
	}

	header := w.Header()
	header.Set("Content-Type", a.contentType)
	header.Set("Cache-Control", cacheControl)
	header.Set("ETag", `"`+a.name+`"`)
	header.Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.data))
}

// errNotCached marks a name whose image is not in the cache.
var errNotCached = errors.New("asset not cached")

// lookupAsset returns the cached asset for name, computing a blurred or
// shrunk copy of a cached image on its first request. It returns
// errNotCached when the image is unknown, or the error of the copy, or ctx's
// error when ctx ends first.
func (p *Pipeline) lookupAsset(ctx context.Context, name assetName) (*asset, error) {
	key := name.String()
	if a, ok := p.store.lookupName(key); ok {
		return a, nil
	}

	if !name.variant() {
		return nil, errNotCached
	}

	source, ok := p.lookupSource(name.id)
	if !ok {
		return nil, errNotCached
	}

	lookup := func() (outcome, bool) {
		a, ok := p.store.lookupName(key)
		return outcome{asset: a}, ok
	}

	call := p.variants.join(key, lookup, func() outcome {
		return p.makeVariant(source, name)
	})

	select {
	case <-call.done:
		return call.asset, call.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// lookupSource returns the image with the given id in any format.
func (p *Pipeline) lookupSource(id string) (*asset, bool) {
	for ext := range formatsByExt {
		if a, ok := p.store.lookupName(id + "." + ext); ok {
			return a, true
		}
	}

	return nil, false
}

// makeVariant computes the blurred or shrunk copy and caches it.
func (p *Pipeline) makeVariant(source *asset, name assetName) outcome {
	start := time.Now()
	copyImage, failed, done := p.blurAsset, "blur image failed", "image blurred"
	if name.radius == 0 {
		copyImage, failed, done = p.shrinkAsset, "shrink image failed", "image shrunk"
	}
	a, err := copyImage(source, name)
	if err != nil {
		p.log.Error(failed, "asset", name.String(), "error", err)
		return outcome{err: err}
	}

	if a.asIs {
		// The source's bytes under the copy's name are not cached twice.
		return outcome{asset: a}
	}

	a = p.store.put("", a)
	p.log.Debug(done, "asset", a.name, "bytes", len(a.data), "duration", time.Since(start))
	return outcome{asset: a}
}
