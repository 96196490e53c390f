package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"

	"github.com/igs-dev/igs/samples"
)

// fixtureIconSide is the side in px of the fixture icons, the size of the
// game's character icons.
const fixtureIconSide = 256

// fixtureServer serves the "remote" images of the benchmark on 127.0.0.1:
// a distinct PNG for every path that ends in .png, so that each character
// has its own icon as in real records, and a JPEG avatar.
type fixtureServer struct {
	srv    *httptest.Server
	avatar []byte

	mu    sync.Mutex
	icons map[string][]byte
}

func newFixtureServer() (*fixtureServer, error) {
	var avatar bytes.Buffer
	if err := jpeg.Encode(&avatar, patternImage("avatar"), &jpeg.Options{Quality: 90}); err != nil {
		return nil, fmt.Errorf("encode fixture avatar: %w", err)
	}

	f := &fixtureServer{avatar: avatar.Bytes(), icons: map[string][]byte{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	return f, nil
}

func (f *fixtureServer) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/avatar.jpg":
		w.Header().Set("Content-Type", "image/jpeg")
		_, _ = w.Write(f.avatar)
	case strings.HasSuffix(r.URL.Path, ".png"):
		data, err := f.icon(r.URL.Path)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(data)
	default:
		http.NotFound(w, r)
	}
}

// icon returns the PNG of path, made on its first request.
func (f *fixtureServer) icon(path string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if data, ok := f.icons[path]; ok {
		return data, nil
	}

	var buf bytes.Buffer
	if err := png.Encode(&buf, patternImage(path)); err != nil {
		return nil, fmt.Errorf("encode fixture icon %s: %w", path, err)
	}
	f.icons[path] = buf.Bytes()
	return buf.Bytes(), nil
}

func (f *fixtureServer) close() { f.srv.Close() }

// avatarURL is the URL of the fixture avatar.
func (f *fixtureServer) avatarURL() string { return f.srv.URL + "/avatar.jpg" }

// patternImage draws a square with a gradient and a disc in colours derived
// from key, so that different keys give different images.
func patternImage(key string) *image.NRGBA {
	h := fnv.New32a()
	h.Write([]byte(key))
	sum := h.Sum32()
	base := color.NRGBA{R: uint8(sum), G: uint8(sum >> 8), B: uint8(sum >> 16), A: 255}

	const side = fixtureIconSide
	img := image.NewNRGBA(image.Rect(0, 0, side, side))
	for y := range side {
		for x := range side {
			c := color.NRGBA{R: base.R ^ uint8(x), G: base.G ^ uint8(y), B: base.B, A: 255}
			dx, dy := x-side/2, y-side/2
			if dx*dx+dy*dy < (side/3)*(side/3) {
				c = color.NRGBA{R: 255 - base.R, G: 255 - base.G, B: uint8(x + y), A: 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// hostPattern matches the scheme and host of every URL in a body.
var hostPattern = regexp.MustCompile(`https?://[^/"]+/`)

// sampleName is the record every row renders: 42 characters of December 2021.
const sampleName = "index-42-avatars"

// characterCounts are the record sizes of the scaling rows.
var characterCounts = []int{8, 42, 120}

// buildBodies returns request bodies with 8, 42 and 120 characters, all made
// from the 42-character sample so that only the character list differs, with
// every image URL pointed at the fixture server. Extra characters get distinct
// ids (the record drops repeated ids) and distinct icon URLs.
func buildBodies(fixtureURL string) (map[int][]byte, error) {
	raw, err := samples.Get(sampleName)
	if err != nil {
		return nil, err
	}

	var sample map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&sample); err != nil {
		return nil, fmt.Errorf("decode sample %s: %w", sampleName, err)
	}
	data, ok := sample["data"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("sample %s has no data object", sampleName)
	}
	avatars, ok := data["avatars"].([]any)
	if !ok || len(avatars) == 0 {
		return nil, fmt.Errorf("sample %s has no data.avatars list", sampleName)
	}

	bodies := map[int][]byte{}
	for _, n := range characterCounts {
		list, err := characterList(avatars, n)
		if err != nil {
			return nil, err
		}
		data["avatars"] = list
		body, err := json.Marshal(sample)
		if err != nil {
			return nil, fmt.Errorf("encode body of %d characters: %w", n, err)
		}
		bodies[n] = hostPattern.ReplaceAll(body, []byte(fixtureURL+"/"))
	}
	return bodies, nil
}

// characterList returns n characters: the first n of avatars, or avatars
// repeated, where copy k of a character has its id raised by k*1,000,000 and
// "-k" added to its icon file name.
func characterList(avatars []any, n int) ([]any, error) {
	list := make([]any, 0, n)
	for i := range n {
		src, ok := avatars[i%len(avatars)].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("sample %s: data.avatars[%d] is not an object", sampleName, i%len(avatars))
		}
		k := i / len(avatars)
		if k == 0 {
			list = append(list, src)
			continue
		}

		c := make(map[string]any, len(src))
		for key, v := range src {
			c[key] = v
		}
		num, _ := src["id"].(json.Number)
		id, err := num.Int64()
		if err != nil {
			return nil, fmt.Errorf("sample %s: data.avatars[%d].id is not an integer: %w", sampleName, i%len(avatars), err)
		}
		c["id"] = id + int64(k)*1_000_000
		if icon, ok := src["image"].(string); ok {
			c["image"] = strings.Replace(icon, ".png", fmt.Sprintf("-%d.png", k), 1)
		}
		list = append(list, c)
	}
	return list, nil
}
