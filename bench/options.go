package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/igs-dev/igs/renderer"
)

// allStyles are the styles the benchmark measures by default.
var allStyles = []string{"text", "fancy", "adachi", "egenshin"}

// clientLevels are the numbers of concurrent clients of the throughput rows.
var clientLevels = []int{1, 2, 4, 8}

// options are the settings of one benchmark run.
type options struct {
	// output is the Markdown file to write; empty writes only stdout.
	output string
	styles []string

	// requests is the number of measured requests of each latency row and
	// of each throughput level.
	requests int
	// warmup is the number of renders before each latency row, discarded.
	warmup int
	// captures is the number of screenshots of the capture floor.
	captures int
	// repeats is the number of repeat-cache hits measured.
	repeats int
	// baselineRequests is the number of new-tab renders per style.
	baselineRequests int
	// memoryRenders is the render count of the second memory sample; the
	// first is taken after a tenth of it. Zero skips the memory rows.
	memoryRenders int
	// memorySettle is the idle time before a memory sample, so that
	// renders that just finished have released their pages.
	memorySettle time.Duration
	// levelTimeout bounds each throughput level; a level that reaches it
	// stops sending and counts what finished.
	levelTimeout time.Duration

	// memoryOnly skips every phase but memory.
	memoryOnly bool
	// chromeFlags are extra Chrome switches, such as --enable-low-end-device-mode
	// or --num-raster-threads=1, for trying a switch before it goes into
	// renderer/flags.go.
	chromeFlags multiFlag
	// lowMemory is the service's IGS_LOW_MEMORY setting.
	lowMemory bool
	// stylesDir adds to or replaces the embedded styles, as IGS_STYLES_DIR
	// does, so that a designer can measure an edited style.
	stylesDir string

	cpuProfile string
	quick      bool
	// args is the command line, for the report.
	args []string
}

// defaultOptions returns the counts of a full run.
func defaultOptions() options {
	return options{
		styles:           slices.Clone(allStyles),
		lowMemory:        true,
		requests:         60,
		warmup:           6,
		captures:         30,
		repeats:          50,
		baselineRequests: 40,
		memoryRenders:    2000,
		memorySettle:     2 * time.Second,
		levelTimeout:     90 * time.Second,
	}
}

// applyQuick lowers every count so that a run takes well under a minute.
func (o *options) applyQuick(set map[string]bool) {
	if !set["requests"] {
		o.requests = 4
	}
	if !set["memory-renders"] {
		o.memoryRenders = 20
	}
	o.warmup = 2
	o.captures = 5
	o.repeats = 5
	o.baselineRequests = 4
	o.memorySettle = 500 * time.Millisecond
	o.levelTimeout = 20 * time.Second
}

// parseOptions reads the command line (without the program name).
func parseOptions(args []string, output io.Writer) (options, error) {
	opts := defaultOptions()
	opts.args = args

	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(output)
	fs.StringVar(&opts.output, "o", "", "also write the report to this Markdown `file`, such as BENCHMARKS.md")
	styles := fs.String("styles", strings.Join(allStyles, ","), "comma-separated styles to measure")
	fs.IntVar(&opts.requests, "requests", opts.requests, "measured requests per latency row and per throughput level")
	fs.IntVar(&opts.memoryRenders, "memory-renders", opts.memoryRenders, "renders before the second memory sample; the first is after a tenth; 0 skips memory")
	fs.BoolVar(&opts.quick, "quick", false, "small counts, for tests: 4 requests per row and 20 memory renders unless set")
	fs.BoolVar(&opts.memoryOnly, "memory-only", false, "measure only the memory rows")
	fs.Var(&opts.chromeFlags, "chrome-flag", "extra Chrome `switch` in the form --name or --name=value; repeatable")
	fs.BoolVar(&opts.lowMemory, "low-memory", true, "run Chrome in low-end device mode, the service's default (IGS_LOW_MEMORY)")
	fs.StringVar(&opts.stylesDir, "styles-dir", "", "`directory` of style folders that add to or replace the embedded ones")
	fs.StringVar(&opts.cpuProfile, "cpuprofile", "", "write a Go CPU profile of the whole run to this `file`")
	if err := fs.Parse(args); err != nil {
		return opts, err
	}
	if fs.NArg() > 0 {
		return opts, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}

	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if opts.quick {
		opts.applyQuick(set)
	}

	opts.styles = nil
	for _, s := range strings.Split(*styles, ",") {
		if s = strings.TrimSpace(s); s != "" {
			opts.styles = append(opts.styles, s)
		}
	}
	return opts, opts.validate()
}

// validate reports every invalid setting at once.
func (o options) validate() error {
	var errs []error
	if len(o.styles) == 0 {
		errs = append(errs, errors.New("-styles: expected at least one style name, got none"))
	}
	if o.requests < 1 {
		errs = append(errs, fmt.Errorf("-requests: expected 1 or more, got %d", o.requests))
	}
	probe := renderer.DefaultConfig()
	probe.ExtraFlags = o.chromeFlags
	if err := probe.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("-chrome-flag: %w", err))
	}
	if o.memoryOnly && o.memoryRenders == 0 {
		errs = append(errs, errors.New("-memory-only: needs -memory-renders above 0"))
	}
	if o.memoryRenders != 0 && o.memoryRenders < 10 {
		errs = append(errs, fmt.Errorf("-memory-renders: expected 0 (skip) or at least 10, got %d", o.memoryRenders))
	}
	return errors.Join(errs...)
}

// firstMemoryRenders is the render count of the first memory sample.
func (o options) firstMemoryRenders() int {
	return o.memoryRenders / 10
}

// multiFlag is a flag that may be given more than once.
type multiFlag []string

func (m *multiFlag) String() string { return strings.Join(*m, " ") }

func (m *multiFlag) Set(v string) error {
	*m = append(*m, v)
	return nil
}
