package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/igs-dev/igs/app"
	"github.com/igs-dev/igs/config"
	"github.com/igs-dev/igs/samples"
)

// renderFile renders one card to a file without starting the HTTP server.
func renderFile(args []string) error {
	fs := flag.NewFlagSet("igs render", flag.ContinueOnError)
	style := fs.String("style", "fancy", "style name")
	data := fs.String("data", "", "game-record JSON file; empty uses the bundled sample (see -sample)")
	sample := fs.String("sample", samples.Default, "bundled sample used when -data is empty: "+fmt.Sprint(samples.Names()))
	query := fs.String("query", "", `more query parameters, e.g. "uid=100012315&nickname=Lumine&lang=en"`)
	out := fs.String("o", "", "output file; empty writes card.<type> in the current directory")
	timeout := fs.Duration("timeout", time.Minute, "deadline for Chrome start and render")
	if err := fs.Parse(args); err != nil {
		return err
	}

	q, err := url.ParseQuery(*query)
	if err != nil {
		return fmt.Errorf("parse -query: %w", err)
	}
	q.Set("style", *style)
	if err := typeFromOutput(q, *out); err != nil {
		return err
	}
	// A missing directory fails now rather than after Chrome and the render.
	if *out != "" {
		if info, err := os.Stat(filepath.Dir(*out)); err != nil || !info.IsDir() {
			return fmt.Errorf("-o %s: directory %s does not exist", *out, filepath.Dir(*out))
		}
	}

	body, err := readBody(*data, *sample)
	if err != nil {
		return err
	}

	cfg, err := config.Load(nil, os.Getenv, io.Discard)
	if err != nil {
		return fmt.Errorf("invalid configuration:\n%w", err)
	}
	tmp, err := os.MkdirTemp("", "igs-render-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	cfg.Storage.Dir = tmp
	cfg.Renderer.PoolSize = 1

	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	a, err := app.New(cfg, log, app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	if err := a.Renderer.Wait(ctx); err != nil {
		return fmt.Errorf("start chrome: %w", err)
	}

	start := time.Now()
	card, err := a.Server.Render(ctx, q, body)
	if err != nil {
		return err
	}
	if *out == "" {
		*out = "card." + card.Ext
	}
	if err := os.WriteFile(*out, card.Data, 0o644); err != nil {
		return fmt.Errorf("write image: %w", err)
	}
	fmt.Fprintf(os.Stderr, "wrote %s: %s, %dx%d px, %d bytes, style %s, %v\n", *out, card.Ext, card.Width, card.Height, len(card.Data), card.Style, time.Since(start).Round(time.Millisecond))
	return nil
}

// typeFromOutput sets the type parameter from the extension of the output
// file, so that -o card.png writes a PNG. A type that -query sets must agree
// with the extension.
func typeFromOutput(q url.Values, out string) error {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(out), "."))
	if ext == "" {
		return nil
	}
	if ext != "jpg" && ext != "jpeg" && ext != "png" && ext != "webp" {
		return fmt.Errorf("-o %s: unknown image extension %q; use .jpg, .png or .webp", out, ext)
	}

	requested := strings.ToLower(q.Get("type"))
	if requested == "" {
		q.Set("type", ext)
		return nil
	}
	if requested != ext && !(isJPEG(requested) && isJPEG(ext)) {
		return fmt.Errorf("-o %s: the extension asks for %s, but -query sets type=%s", out, ext, requested)
	}
	return nil
}

func isJPEG(t string) bool { return t == "jpg" || t == "jpeg" }

func readBody(file, sample string) ([]byte, error) {
	if file == "" {
		return samples.Get(sample)
	}
	body, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read -data: %w", err)
	}
	return body, nil
}
