package renderer

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
)

// benchPage returns a card of 1000x2000 CSS px like a real one: a header and
// 42 tiles, each with an image from the asset origin, a shadow, rounded
// corners and CJK text. imageURL is a format with one %d for the tile's image
// (six different ones).
func benchPage(imageURL string) []byte {
	const chars = "原神旅行者派蒙璃月蒙德稻妻须弥枫丹纳塔至冬深渊风岩雷草水火冰元素角色武器圣遗物世界等级冒险探索宝箱神瞳"
	runes := []rune(chars)
	var tiles strings.Builder
	for i := range 42 {
		name := string([]rune{runes[i%len(runes)], runes[(i*7+3)%len(runes)], runes[(i*11+5)%len(runes)], runes[(i*13+1)%len(runes)]})
		fmt.Fprintf(&tiles, `<div class="tile"><img src="`+imageURL+`"><div class="name">%s</div><div class="lv">Lv.%d · 命之座 %d</div></div>`,
			i%6, name, 1+i*2, i%7)
	}
	head := `<style>
body{font-family:"Noto Sans CJK SC",sans-serif;background:#222}
#card{width:1000px;height:2000px;background:linear-gradient(#335,#113);color:#fff;box-sizing:border-box;padding:20px}
h1{margin:0 0 20px;font-size:40px}
.grid{display:grid;grid-template-columns:repeat(6,1fr);gap:12px}
.tile{background:rgba(255,255,255,.1);border-radius:12px;padding:10px;height:240px;box-shadow:0 2px 8px rgba(0,0,0,.5)}
.tile img{width:100%;height:140px;object-fit:cover;border-radius:8px}
.name{font-size:22px;font-weight:bold}.lv{font-size:14px;opacity:.8}
</style>`
	return htmlPage(head, `<div id="card"><h1>旅行者的冒险记录 UID 100000001</h1><div class="grid">`+tiles.String()+`</div></div>`)
}

var benchJob = Job{Width: 1000, Format: "jpeg", Quality: 90}

// BenchmarkRender renders the 42-tile card one render after another, as a
// single client would. The sub-benchmarks compare the pool with and without
// the Fetch interception, with images from the renderer's memory cache and
// with images fetched for every render.
func BenchmarkRender(b *testing.B) {
	cases := []struct {
		name   string
		layers sealLayers
		image  string
	}{
		{"cached", sealLayers{}, "/assets/red.png?%d"},
		{"cached-nofetch", sealLayers{noFetch: true}, "/assets/red.png?%d"},
		{"uncached", sealLayers{}, "/assets/nocache.png?%d"},
		{"uncached-nofetch", sealLayers{noFetch: true}, "/assets/nocache.png?%d"},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			pool := newPoolForTest(b, func(c *Config) { c.PoolSize = 2 }, bc.layers, nil)
			job := benchJob
			job.HTML = benchPage(bc.image)
			for range 4 { // load the assets and size the viewports of both tabs
				render(b, pool, job)
			}

			var times []time.Duration
			for b.Loop() {
				start := time.Now()
				if _, err := pool.Render(context.Background(), job); err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(start))
			}
			reportPercentiles(b, times)
		})
	}
}

// BenchmarkCaptureOnly loads the card once and then only captures it, which
// is the floor that a render cannot go below.
func BenchmarkCaptureOnly(b *testing.B) {
	pool := newPoolForTest(b, nil, sealLayers{}, nil)
	job := benchJob
	job.HTML = benchPage("/assets/red.png?%d")
	res := render(b, pool, job)

	spec, err := job.check()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	t, err := pool.acquire(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer pool.release(t)
	clip := &page.Viewport{Width: float64(job.Width), Height: float64(res.Height), Scale: 1}

	var times []time.Duration
	for b.Loop() {
		start := time.Now()
		if _, err := t.capture(ctx, spec, clip); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
	}
	reportPercentiles(b, times)
}

// reportPercentiles adds the median and the 95th percentile in ms.
func reportPercentiles(b *testing.B, times []time.Duration) {
	if len(times) == 0 {
		return
	}
	slices.Sort(times)
	at := func(q float64) float64 {
		return float64(times[int(q*float64(len(times)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.5), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
}
