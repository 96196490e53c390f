package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/igs-dev/igs/app"
	"github.com/igs-dev/igs/record"
	"github.com/igs-dev/igs/samples"
	"github.com/igs-dev/igs/server"
	"github.com/igs-dev/igs/styles"
)

// ErrCheckFailed is returned by igs check when a case failed.
var ErrCheckFailed = errors.New("style check failed")

// externalURLPatterns find URLs that a page or its CSS would load from
// another host, which the renderer's Chrome cannot reach.
var externalURLPatterns = []*regexp.Regexp{
	regexp.MustCompile(`(?i)\s(?:src|srcset|poster)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)`),
	regexp.MustCompile(`(?i)<link\b[^>]*\shref\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)`),
	regexp.MustCompile(`(?i)url\(\s*["']?\s*((?:https?:)?//[^"')\s]+)`),
	regexp.MustCompile(`(?i)@import\s+["']((?:https?:)?//[^"']+)`),
}

// cardIDPattern finds the element the default selector #card captures.
var cardIDPattern = regexp.MustCompile(`(?i)\sid\s*=\s*["']?card["'\s>]`)

// checkCase is one style filled with one sample in one language.
type checkCase struct {
	style  *styles.Style
	sample string
	query  url.Values
}

func (c checkCase) String() string {
	name := c.style.Name + "/" + c.sample + "/" + c.query.Get("lang")
	for key, values := range c.query {
		if key != "style" && key != "lang" {
			name += "/" + key + "=" + values[0]
		}
	}
	return name
}

// checker runs the cases of igs check.
type checker struct {
	server  *server.Server
	render  bool
	verbose bool
	out     io.Writer

	mu     sync.Mutex
	failed int
}

// checkStyles fills every style with every sample in both languages, and
// with each value of a parameter that changes the width, checks the page,
// and renders it unless -render=false. It returns ErrCheckFailed when any
// style failed to load or any case failed.
func checkStyles(args []string, w io.Writer) error {
	fs := flag.NewFlagSet("igs check", flag.ContinueOnError)
	only := fs.String("style", "", "comma-separated styles to check; default all")
	sampleList := fs.String("sample", "", "comma-separated samples to use; default all: "+strings.Join(samples.Names(), ", "))
	render := fs.Bool("render", true, "render every case with Chrome; false only fills the templates")
	verbose := fs.Bool("v", false, "print every case, not only the failures")
	dir := fs.String("styles-dir", "", "styles directory to check besides the embedded styles; default $IGS_STYLES_DIR")
	timeout := fs.Duration("timeout", 10*time.Minute, "deadline of the whole check")
	if err := fs.Parse(args); err != nil {
		return err
	}

	cfg, reg, err := loadStylesForCommand(*dir)
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	// The failures are printed as FAIL lines; -v adds the service's log.
	logOutput := io.Discard
	if *verbose {
		logOutput = os.Stderr
	}
	log := slog.New(slog.NewTextHandler(logOutput, &slog.HandlerOptions{Level: slog.LevelWarn}))

	c := &checker{render: *render, verbose: *verbose, out: w}
	workers := 1
	if *render {
		tmp, err := os.MkdirTemp("", "igs-check-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		cfg.Storage.Dir = tmp
		a, err := app.New(cfg, log, app.Options{Images: offlineImages{}})
		if err != nil {
			return err
		}
		defer a.Close()
		if err := a.Renderer.Wait(ctx); err != nil {
			return fmt.Errorf("start chrome: %w", err)
		}
		c.server, reg = a.Server, a.Styles
		workers = cfg.Renderer.PoolSize
	} else {
		c.server = server.New(cfg.Server, server.Deps{Styles: reg, Assets: offlineImages{}, Background: "/static/bg/default.jpg", Log: log})
	}

	for _, p := range reg.Problems() {
		c.fail("%s (load): %s", p.Style, problemText(p))
	}
	cases, err := checkCases(reg, *only, *sampleList)
	if err != nil {
		return err
	}

	start := time.Now()
	c.run(ctx, cases, workers)
	checked := map[string]bool{}
	for _, cs := range cases {
		checked[cs.style.Name] = true
	}
	styleCount := len(checked)
	fmt.Fprintf(w, "checked %d cases of %d styles in %s: %d failed\n", len(cases), styleCount, time.Since(start).Round(time.Millisecond), c.failed)
	if c.failed > 0 {
		return fmt.Errorf("%w: %d failures", ErrCheckFailed, c.failed)
	}
	return nil
}

// checkCases lists the cases of the chosen styles and samples.
func checkCases(reg *styles.Registry, only, sampleList string) ([]checkCase, error) {
	chosen := reg.Styles()
	if only != "" {
		chosen = nil
		for _, name := range strings.Split(only, ",") {
			style, ok := reg.Lookup(strings.TrimSpace(name))
			if !ok {
				return nil, fmt.Errorf("-style: unknown style %q; styles: %s", name, strings.Join(reg.Names(), ", "))
			}
			chosen = append(chosen, style)
		}
	}
	sampleNames := samples.Names()
	if sampleList != "" {
		sampleNames = nil
		for _, name := range strings.Split(sampleList, ",") {
			name = strings.TrimSpace(name)
			if !slices.Contains(samples.Names(), name) {
				return nil, fmt.Errorf("-sample: unknown sample %q; samples: %s", name, strings.Join(samples.Names(), ", "))
			}
			sampleNames = append(sampleNames, name)
		}
	}

	var cases []checkCase
	for _, style := range chosen {
		for _, variant := range widthVariants(style) {
			for _, sample := range sampleNames {
				for _, lang := range styles.Languages {
					query := url.Values{"style": {style.Name}, "lang": {lang}}
					for k, v := range variant {
						query[k] = v
					}
					cases = append(cases, checkCase{style: style, sample: sample, query: query})
				}
			}
		}
	}
	return cases, nil
}

// widthVariants returns the defaults, plus one query per value of each
// enum parameter that changes the card width.
func widthVariants(style *styles.Style) []url.Values {
	variants := []url.Values{{}}
	params := make([]string, 0, len(style.Widths))
	for param := range style.Widths {
		params = append(params, param)
	}
	slices.Sort(params)
	for _, param := range params {
		values := make([]string, 0, len(style.Widths[param]))
		for value := range style.Widths[param] {
			values = append(values, value)
		}
		slices.Sort(values)
		for _, value := range values {
			variants = append(variants, url.Values{param: {value}})
		}
	}
	return variants
}

// run checks the cases with workers at a time.
func (c *checker) run(ctx context.Context, cases []checkCase, workers int) {
	jobs := make(chan checkCase)
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Go(func() {
			for tc := range jobs {
				c.check(ctx, tc)
			}
		})
	}
	for _, tc := range cases {
		if ctx.Err() != nil {
			c.fail("%s: %v", tc, ctx.Err())
			continue
		}
		jobs <- tc
	}
	close(jobs)
	wg.Wait()
}

// check fills, inspects and renders one case.
func (c *checker) check(ctx context.Context, tc checkCase) {
	body, err := samples.Get(tc.sample)
	if err != nil {
		c.fail("%s: %v", tc, err)
		return
	}

	start := time.Now()
	page, err := c.server.Fill(ctx, tc.query, body)
	if err != nil {
		c.fail("%s: %v", tc, err)
		return
	}
	if problems := inspectPage(tc.style, page.HTML); len(problems) > 0 {
		c.fail("%s: %s", tc, strings.Join(problems, "; "))
		return
	}
	if !c.render {
		c.pass("%s: filled %d bytes in %s", tc, len(page.HTML), time.Since(start).Round(time.Millisecond))
		return
	}

	card, err := c.server.Render(ctx, tc.query, body)
	if err != nil {
		c.fail("%s: %v", tc, err)
		return
	}
	wantWidth := int(float64(page.Width) * page.Scale)
	switch {
	case card.Width != wantWidth:
		c.fail("%s: image is %d px wide, want %d: make #card exactly the manifest width and start it at the left edge", tc, card.Width, wantWidth)
	case card.Height < 2:
		c.fail("%s: image is %d px tall: the card element is empty", tc, card.Height)
	default:
		c.pass("%s: %dx%d px in %s", tc, card.Width, card.Height, time.Since(start).Round(time.Millisecond))
	}
}

// inspectPage lists what in a filled page the renderer cannot draw: URLs of
// other hosts, in the page or the style's CSS, and a missing card element.
func inspectPage(style *styles.Style, html []byte) []string {
	var problems []string
	for _, url := range externalURLs(html) {
		problems = append(problems, fmt.Sprintf("page loads %s from another host, which Chrome cannot reach: put the file in the style folder and use asset", url))
	}

	cssFiles, _ := fs.Glob(style.Files(), "*.css")
	for _, name := range cssFiles {
		css, err := fs.ReadFile(style.Files(), name)
		if err != nil {
			problems = append(problems, fmt.Sprintf("read %s: %v", name, err))
			continue
		}
		for _, url := range externalURLs(css) {
			problems = append(problems, fmt.Sprintf("%s loads %s from another host, which Chrome cannot reach", name, url))
		}
	}

	if style.Selector() == "#card" && !cardIDPattern.Match(html) {
		problems = append(problems, `page has no element with id="card" for the renderer to capture`)
	}
	return problems
}

func externalURLs(text []byte) []string {
	var urls []string
	for _, p := range externalURLPatterns {
		for _, match := range p.FindAllSubmatch(text, -1) {
			urls = append(urls, string(match[1]))
		}
	}
	return urls
}

func (c *checker) fail(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.failed++
	fmt.Fprintf(c.out, "FAIL "+format+"\n", args...)
}

func (c *checker) pass(format string, args ...any) {
	if !c.verbose {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintf(c.out, "ok   "+format+"\n", args...)
}

// offlineImages resolves no remote image, so a check contacts no host and
// every card draws its placeholders.
type offlineImages struct{}

func (offlineImages) Resolve(context.Context, []*record.Image) {}
