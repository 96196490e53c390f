package server_test

import (
	"context"
	"log/slog"
	"net/url"
	"testing"

	"github.com/igs-dev/igs/record"
	"github.com/igs-dev/igs/renderer"
	"github.com/igs-dev/igs/samples"
	"github.com/igs-dev/igs/server"
	"github.com/igs-dev/igs/styles"
	"github.com/igs-dev/igs/templates"
)

// stubRenderer returns a one-byte image at once, so that a benchmark
// measures only the Go side of a render.
type stubRenderer struct{}

func (stubRenderer) Render(_ context.Context, job renderer.Job) (*renderer.Result, error) {
	return &renderer.Result{Data: []byte{0}, Width: job.Width, Height: 1}, nil
}

func (stubRenderer) Ready() bool { return true }

type noImages struct{}

func (noImages) Resolve(context.Context, []*record.Image) {}

// BenchmarkRenderGoSide measures the production path of Server.Render up
// to the renderer: style lookup, parameters, decoding the 42-character
// sample, the view and the template. It uses only APIs that predate the
// preview, so the same file runs on older trees for a comparison.
func BenchmarkRenderGoSide(b *testing.B) {
	reg, err := styles.Load(templates.FS, styles.Options{})
	if err != nil {
		b.Fatal(err)
	}
	srv := server.New(server.DefaultConfig(), server.Deps{
		Styles:     reg,
		Renderer:   stubRenderer{},
		Assets:     noImages{},
		Background: "/static/bg/default.jpg",
		Log:        slog.New(slog.DiscardHandler),
	})
	body, err := samples.Get("index-42-avatars")
	if err != nil {
		b.Fatal(err)
	}

	for _, style := range []string{"text", "fancy", "adachi", "egenshin"} {
		b.Run(style, func(b *testing.B) {
			query := url.Values{"style": {style}, "uid": {"100012315"}, "nickname": {"Lumine"}}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := srv.Render(context.Background(), query, body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
