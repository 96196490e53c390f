package renderer

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"net/http"
	"sync"
	"testing"
	"time"
)

func TestRenderWidthIsExact(t *testing.T) {
	pool := sharedPool(t)
	for _, format := range []string{"jpeg", "png", "webp"} {
		for _, scale := range []float64{1, 2} {
			t.Run(fmt.Sprintf("%s@%gx", format, scale), func(t *testing.T) {
				const width, height = 600, 400
				res := render(t, pool, Job{
					HTML:   cardPage(width, height, "#00ff00", ""),
					Width:  width,
					Scale:  scale,
					Format: format,
				})
				img := decode(t, format, res.Data)

				wantW, wantH := int(width*scale), int(height*scale)
				if got := img.Bounds().Dx(); got != wantW {
					t.Errorf("decoded width = %d, want %d", got, wantW)
				}
				if got := img.Bounds().Dy(); got != wantH {
					t.Errorf("decoded height = %d, want %d", got, wantH)
				}
				if res.Width != wantW || res.Height != wantH {
					t.Errorf("Result size = %dx%d, want %dx%d", res.Width, res.Height, wantW, wantH)
				}
				// Lossy formats shift a saturated color a little.
				if c := img.At(wantW/2, wantH/2); !near(c, color.RGBA{G: 255}, 24) {
					t.Errorf("center pixel = %s, want the green card", rgb(c))
				}
			})
		}
	}
}

func TestRenderHeightIsCardHeight(t *testing.T) {
	pool := sharedPool(t)
	// The card sits above a footer, below a 30 px header or at the top,
	// which the renderer captures from the view instead of the surface.
	// Only the card is captured, whatever height the previous card left to
	// the viewport.
	for _, tt := range []struct {
		height int
		header int
	}{{1234, 30}, {300, 0}, {2500, 30}, {300, 30}, {2500, 0}, {1234, 0}} {
		height := tt.height
		t.Run(fmt.Sprintf("%d below %d", height, tt.header), func(t *testing.T) {
			body := fmt.Sprintf(`<div style="height:%dpx;background:#000"></div>`+
				`<div id="card" style="width:500px;height:%dpx;background:linear-gradient(#f00,#00f)"></div>`+
				`<div style="height:200px;background:#000"></div>`, tt.header, height)
			res := render(t, pool, Job{HTML: htmlPage("", body), Width: 500, Format: "png"})
			img := decode(t, "png", res.Data)

			if got := img.Bounds().Dy(); got != height {
				t.Fatalf("height = %d, want the card's %d", got, height)
			}
			if c := img.At(250, 0); !near(c, red, 16) {
				t.Errorf("top row = %s, want the red top of the card, not the header", rgb(c))
			}
			if c := img.At(250, height-1); !near(c, blue, 16) {
				t.Errorf("bottom row = %s, want the blue bottom of the card, not the footer", rgb(c))
			}
		})
	}
}

func TestRenderFixedBackgroundCoversCard(t *testing.T) {
	pool := sharedPool(t)
	// A fixed background maps to the viewport, which the pool sizes to the
	// card, so the gradient spans the card from top to bottom.
	html := cardPage(400, 1800, "linear-gradient(#f00,#00f) fixed", "")
	res := render(t, pool, Job{HTML: html, Width: 400, Format: "png"})
	img := decode(t, "png", res.Data)

	if c := img.At(200, 2); !near(c, red, 16) {
		t.Errorf("top = %s, want red", rgb(c))
	}
	if c := img.At(200, 1797); !near(c, blue, 16) {
		t.Errorf("bottom = %s, want blue", rgb(c))
	}
}

func TestRenderRejectsTooTall(t *testing.T) {
	pool := sharedPool(t)
	tests := []struct {
		name   string
		format string
		width  int
		scale  float64
		height int
		limit  int
		// The limits at scale 1, as JPEG, and at scale 1 as JPEG.
		scaleOne, jpeg, scaleOneJPEG int
	}{
		{"png", "png", 40, 1, 20000, 16384, 16384, 16384, 16384},
		{"webp", "webp", 40, 2, 10000, maxWebPSide / 2, maxWebPSide, 16384, 16384},
		// 12288 px wide: the area cap allows 24414 px, 8138 CSS px. At
		// scale 1 it allows 73242 px, so the height cap of 16384 rules.
		{"area", "jpeg", 4096, 3, 9000, 8138, 16384, 8138, 16384},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			_, err := pool.Render(ctx, Job{HTML: cardPage(tt.width, tt.height, "#888", ""), Width: tt.width, Scale: tt.scale, Format: tt.format})
			var tall *TooTallError
			if !errors.As(err, &tall) || !errors.Is(err, ErrTooTall) {
				t.Fatalf("error = %v, want a TooTallError", err)
			}
			if tall.Limit != tt.limit {
				t.Errorf("limit = %d, want %d", tall.Limit, tt.limit)
			}
			if tall.ScaleOneLimit != tt.scaleOne {
				t.Errorf("limit at scale 1 = %d, want %d", tall.ScaleOneLimit, tt.scaleOne)
			}
			if tall.JPEGLimit != tt.jpeg {
				t.Errorf("limit as JPEG = %d, want %d", tall.JPEGLimit, tt.jpeg)
			}
			if tall.ScaleOneJPEGLimit != tt.scaleOneJPEG {
				t.Errorf("limit at scale 1 as JPEG = %d, want %d", tall.ScaleOneJPEGLimit, tt.scaleOneJPEG)
			}
		})
	}

	// At the cap exactly the card still renders whole.
	res := render(t, pool, Job{HTML: cardPage(40, 16384, "#888", ""), Width: 40, Format: "png"})
	if res.Height != 16384 {
		t.Errorf("height = %d, want 16384", res.Height)
	}
}

func TestRenderDrawsAssets(t *testing.T) {
	pool := sharedPool(t)
	// Root-relative, relative and absolute URLs all reach the asset handler;
	// the stylesheet brings a CSS background image.
	body := `<div id="card" style="width:300px;height:100px;position:relative">` +
		`<img src="/assets/red.png" style="position:absolute;left:0;top:0;width:100px;height:100px">` +
		`<img src="assets/blue.png" style="position:absolute;left:100px;top:0;width:100px;height:100px">` +
		`<div class="bg" style="position:absolute;left:200px;top:0;width:100px;height:100px"></div>` +
		`</div>`
	head := `<link rel="stylesheet" href="` + pool.Origin() + `/styles/card.css">`
	res := render(t, pool, Job{HTML: htmlPage(head, body), Width: 300, Format: "png"})
	img := decode(t, "png", res.Data)

	probes := []struct {
		name string
		x, y int
		want color.RGBA
	}{
		{"root-relative img", 50, 50, red},
		{"relative img", 150, 50, blue},
		{"stylesheet background", 250, 50, blue},
	}
	for _, p := range probes {
		if c := img.At(p.x, p.y); !near(c, p.want, 8) {
			t.Errorf("%s at (%d,%d) = %s, want %s", p.name, p.x, p.y, rgb(c), rgb(p.want))
		}
	}
}

func TestRenderWaitsForSlowCSSImages(t *testing.T) {
	pool := sharedPool(t)
	// The images arrive late and only CSS refers to them: an inline
	// background, the background of a ::before box that a <style> adds, a
	// custom property used with var(), and a linked sheet whose relative URLs
	// resolve against the sheet, one of them inside @media.
	head := `<link rel="stylesheet" href="/styles/slow.css"><style>` +
		`#card::before{content:"";position:absolute;left:100px;top:0;width:100px;height:100px;` +
		`background:url("/assets/slow-blue.png?before") 0 0/100% 100%}` +
		`.var{background:var(--picture) 0 0/100% 100%}</style>`
	body := `<div id="card" style="width:500px;height:100px;position:relative;--picture:url('/assets/slow-blue.png?var')">` +
		`<div style="width:100px;height:100px;background:url('/assets/slow-blue.png?div') 0 0/100% 100%"></div>` +
		`<div class="var" style="position:absolute;left:200px;top:0;width:100px;height:100px"></div>` +
		`<div class="sheet" style="position:absolute;left:300px;top:0;width:100px;height:100px"></div>` +
		`<div class="media" style="position:absolute;left:400px;top:0;width:100px;height:100px"></div></div>`
	res := render(t, pool, Job{HTML: htmlPage(head, body), Width: 500, Format: "png"})
	img := decode(t, "png", res.Data)

	probes := []struct {
		name string
		x    int
	}{
		{"element background", 50},
		{"::before background", 150},
		{"custom property background", 250},
		{"linked sheet background", 350},
		{"@media background", 450},
	}
	for _, p := range probes {
		if c := img.At(p.x, 50); !near(c, blue, 8) {
			t.Errorf("%s = %s, want blue", p.name, rgb(c))
		}
	}
}

func TestRenderWaitsForImagesBelowTheFold(t *testing.T) {
	pool := sharedPool(t)
	// A lazy image far below the first viewport and an uncached image still
	// get drawn.
	body := `<div id="card" style="width:200px;height:3000px;position:relative">` +
		`<img loading="lazy" src="/assets/red.png" style="position:absolute;left:0;top:2800px;width:100px;height:100px">` +
		`<img src="/assets/nocache.png" style="position:absolute;left:100px;top:2800px;width:100px;height:100px">` +
		`</div>`
	res := render(t, pool, Job{HTML: htmlPage("", body), Width: 200, Format: "png"})
	img := decode(t, "png", res.Data)

	if c := img.At(50, 2850); !near(c, red, 8) {
		t.Errorf("lazy image = %s, want red", rgb(c))
	}
	if c := img.At(150, 2850); !near(c, red, 8) {
		t.Errorf("uncached image = %s, want red", rgb(c))
	}
}

func TestRenderWaitsForWebFont(t *testing.T) {
	pool := sharedPool(t)
	// font-display: block hides the text until the font arrives, fontDelay
	// after the request, so a capture that did not wait shows no ink.
	head := `<style>@font-face{font-family:"Test Go";src:url("/assets/go.ttf") format("truetype");font-display:block}` +
		`#card{font:bold 80px "Test Go";color:#000}</style>`
	body := `<div id="card" style="width:600px;height:120px">WWWW</div>`
	res := render(t, pool, Job{HTML: htmlPage(head, body), Width: 600, Format: "png"})
	img := decode(t, "png", res.Data)

	if n := darkPixels(img, image.Rect(0, 0, 600, 120)); n < 2000 {
		t.Errorf("text has %d dark pixels, want at least 2000: the web font was not drawn", n)
	}
}

func TestRenderDrawsCJKText(t *testing.T) {
	pool := sharedPool(t)
	body := `<div id="card" style="width:600px;height:120px;font:64px 'Noto Sans CJK SC',sans-serif;color:#000">旅行者原神</div>`
	res := render(t, pool, Job{HTML: htmlPage("", body), Width: 600, Format: "png"})
	img := decode(t, "png", res.Data)

	if n := darkPixels(img, image.Rect(0, 0, 600, 120)); n < 2000 {
		t.Errorf("CJK text has %d dark pixels, want at least 2000", n)
	}
}

func TestRenderManyConcurrent(t *testing.T) {
	pool := sharedPool(t)
	const renders = 12 // six times the pool size
	var wg sync.WaitGroup
	errs := make([]error, renders)
	heights := make([]int, renders)
	for i := range renders {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			height := 100 + 10*i
			res, err := pool.Render(ctx, Job{HTML: cardPage(200, height, "#123456", ""), Width: 200, Format: "jpeg"})
			errs[i] = err
			if err == nil {
				heights[i] = res.Height
			}
		})
	}
	wg.Wait()

	for i, err := range errs {
		if err != nil {
			t.Errorf("render %d: %v", i, err)
			continue
		}
		if want := 100 + 10*i; heights[i] != want {
			t.Errorf("render %d: height = %d, want %d (another job's card?)", i, heights[i], want)
		}
	}
}

func TestRenderElementErrors(t *testing.T) {
	pool := sharedPool(t)
	html := cardPage(100, 100, "#fff", "")
	tests := []struct {
		selector string
		want     error
	}{
		{"#missing", ErrNoElement},
		{"#card[", ErrInvalidJob},
	}
	for _, tt := range tests {
		t.Run(tt.selector, func(t *testing.T) {
			_, err := pool.Render(context.Background(), Job{HTML: html, Width: 100, Format: "png", Selector: tt.selector})
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}

	// The pool still renders afterwards.
	render(t, pool, Job{HTML: html, Width: 100, Format: "png"})
}

func TestRenderRejectsCardOffTheLeftEdge(t *testing.T) {
	pool := sharedPool(t)
	html := htmlPage("", `<div id="card" style="margin-left:10px;width:100px;height:50px;background:#000"></div>`)
	_, err := pool.Render(context.Background(), Job{HTML: html, Width: 100, Format: "png"})
	if !contains(err, "left edge") {
		t.Fatalf("err = %v, want an error about the left edge", err)
	}
}

func TestRenderInvalidJob(t *testing.T) {
	pool := sharedPool(t)
	_, err := pool.Render(context.Background(), Job{Width: 0, Format: "gif"})
	if !errors.Is(err, ErrInvalidJob) {
		t.Fatalf("err = %v, want ErrInvalidJob", err)
	}
	for _, field := range []string{"HTML", "Width", "Format"} {
		if !contains(err, field) {
			t.Errorf("err = %v, want it to name %s", err, field)
		}
	}
}

func TestRenderScriptStateDoesNotLeak(t *testing.T) {
	// One tab, so both renders use the same page.
	pool := newPoolForTest(t, nil, sealLayers{}, nil)

	// The first page declares a global constant and starts a timer that
	// paints the card red. The second page declares the same constant and
	// paints its card green. In a reused window the second script would fail
	// and the old timer would paint the card red.
	first := htmlPage("", `<div id="card" style="width:100px;height:100px;background:#00f"></div>`+
		`<script>const mark = 1; setInterval(() => { const c = document.getElementById("card"); if (c) c.style.background = "#f00"; }, 5);</script>`)
	second := htmlPage("", `<div id="card" style="width:100px;height:100px;background:#00f"></div>`+
		`<script>const mark = 2; document.getElementById("card").style.background = "#0f0";</script>`)

	render(t, pool, Job{HTML: first, Width: 100, Format: "png"})
	res := render(t, pool, Job{HTML: second, Width: 100, Format: "png"})
	img := decode(t, "png", res.Data)
	if c := img.At(50, 50); !near(c, color.RGBA{G: 255}, 8) {
		t.Errorf("second card = %s, want green", rgb(c))
	}
}

func TestRenderWaitsForLinkedStylesheet(t *testing.T) {
	// The only margin reset is in a slow linked sheet: measuring before it
	// applies would find the card at x=8 and fail the first render of a
	// fresh tab.
	assets := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/static/slow.css" {
			http.NotFound(w, r)
			return
		}
		time.Sleep(300 * time.Millisecond)
		w.Header().Set("Content-Type", "text/css")
		w.Write([]byte("html,body{margin:0} #card{background:#00f}"))
	})
	pool := newPoolForTest(t, nil, sealLayers{}, assets)
	page := []byte(`<!DOCTYPE html><html><head><link rel="stylesheet" href="/static/slow.css"></head>` +
		`<body><div id="card" style="width:200px;height:100px"></div></body></html>`)

	res := render(t, pool, Job{HTML: page, Width: 200, Format: "png"})
	img := decode(t, "png", res.Data)

	if c := img.At(5, 50); !near(c, blue, 8) {
		t.Errorf("left edge = %s, want the sheet's blue", rgb(c))
	}
}
