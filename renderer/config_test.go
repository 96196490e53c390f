package renderer

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestDefaultConfigIsValid(t *testing.T) {
	cfg := DefaultConfig()
	if err := cfg.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if cfg.PoolSize < 1 {
		t.Errorf("PoolSize = %d, want at least 1", cfg.PoolSize)
	}
	if cfg.QueueSize != 4*cfg.PoolSize {
		t.Errorf("QueueSize = %d, want 4*PoolSize = %d", cfg.QueueSize, 4*cfg.PoolSize)
	}
	if cfg.Timeout != 15*time.Second {
		t.Errorf("Timeout = %s, want 15s", cfg.Timeout)
	}
	if cfg.MaxHeight != 16384 {
		t.Errorf("MaxHeight = %d, want 16384", cfg.MaxHeight)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
		want []string // each must appear in the error
	}{
		{"pool size zero", func(c *Config) { c.PoolSize = 0 }, []string{"PoolSize", "got 0"}},
		{"pool size too big", func(c *Config) { c.PoolSize = 65 }, []string{"PoolSize", "1-64"}},
		{"negative queue", func(c *Config) { c.QueueSize = -1 }, []string{"QueueSize", "got -1"}},
		{"zero timeout", func(c *Config) { c.Timeout = 0 }, []string{"Timeout", "got 0s"}},
		{"huge timeout", func(c *Config) { c.Timeout = time.Hour }, []string{"Timeout", "1h0m0s"}},
		{"negative restart", func(c *Config) { c.RestartAfter = -5 }, []string{"RestartAfter", "got -5"}},
		{"zero max height", func(c *Config) { c.MaxHeight = 0 }, []string{"MaxHeight", "got 0"}},
		{"flag without dashes", func(c *Config) { c.ExtraFlags = []string{"--ok", "bad"} }, []string{"ExtraFlags[1]", `"bad"`}},
		{"flag without name", func(c *Config) { c.ExtraFlags = []string{"--=x"} }, []string{"ExtraFlags[0]"}},
		{"flag the pool sets", func(c *Config) { c.ExtraFlags = []string{"--lang=eo", "--user-data-dir=/tmp/x"} }, []string{"ExtraFlags[1]", "--user-data-dir"}},
		{"all at once", func(c *Config) { c.PoolSize = 0; c.Timeout = -1; c.MaxHeight = 70000 }, []string{"PoolSize", "Timeout", "MaxHeight"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tt.edit(&cfg)
			err := cfg.Validate()
			if err == nil {
				t.Fatal("Validate: nil, want an error")
			}
			for _, s := range tt.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("Validate: %q, want it to contain %q", err, s)
				}
			}
		})
	}
}

func TestConfigValidateAcceptsEdges(t *testing.T) {
	cfg := DefaultConfig()
	cfg.PoolSize = 1
	cfg.QueueSize = 0
	cfg.RestartAfter = 1
	cfg.MaxHeight = 1
	cfg.ExtraFlags = []string{"--lang=zh-CN", "--disable-gpu"}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
}

func TestParseFlag(t *testing.T) {
	tests := []struct {
		flag  string
		name  string
		value any
	}{
		{"--lang=zh-CN", "lang", "zh-CN"},
		{"--disable-gpu", "disable-gpu", true},
		{"--host-rules=MAP * 127.0.0.1", "host-rules", "MAP * 127.0.0.1"},
		{"--empty=", "empty", ""},
	}
	for _, tt := range tests {
		name, value, err := parseFlag(tt.flag)
		if err != nil || name != tt.name || value != tt.value {
			t.Errorf("parseFlag(%q) = %q, %v, %v; want %q, %v", tt.flag, name, value, err, tt.name, tt.value)
		}
	}
	for _, bad := range []string{"", "-x", "lang=x", "--", "--two words"} {
		if _, _, err := parseFlag(bad); err == nil {
			t.Errorf("parseFlag(%q): nil error, want one", bad)
		}
	}
}

func TestChromeFlagsSealTheNetwork(t *testing.T) {
	flags := map[string]any{}
	for _, f := range chromeFlags("127.0.0.1:4000", "127.0.0.1:5000", true) {
		flags[f.name] = f.value
	}
	want := map[string]any{
		"headless":            "new",
		"proxy-server":        "http://127.0.0.1:5000",
		"proxy-bypass-list":   "<-loopback>;127.0.0.1:4000",
		"host-resolver-rules": "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
		"disable-quic":        true,
	}
	for name, value := range want {
		if flags[name] != value {
			t.Errorf("flag %s = %v, want %v", name, flags[name], value)
		}
	}
}

func TestJobCheck(t *testing.T) {
	html := []byte("<p>x</p>")
	ok := []struct {
		name string
		job  Job
		want jobSpec
	}{
		{"defaults", Job{HTML: html, Width: 1000, Format: "jpeg"},
			jobSpec{width: 1000, scale: 1, quality: 90, selector: "#card", pixelWidth: 1000}},
		{"png ignores quality", Job{HTML: html, Width: 500, Scale: 2, Format: "png", Quality: 500},
			jobSpec{width: 500, scale: 2, quality: 500, selector: "#card", pixelWidth: 1000}},
		{"fractional scale", Job{HTML: html, Width: 1000, Scale: 1.5, Format: "webp", Quality: 75, Selector: ".c"},
			jobSpec{width: 1000, scale: 1.5, quality: 75, selector: ".c", pixelWidth: 1500}},
	}
	for _, tt := range ok {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.job.check()
			if err != nil {
				t.Fatalf("check: %v", err)
			}
			if got.width != tt.want.width || got.scale != tt.want.scale || got.quality != tt.want.quality ||
				got.selector != tt.want.selector || got.pixelWidth != tt.want.pixelWidth {
				t.Errorf("check = %+v, want %+v", got, tt.want)
			}
		})
	}

	bad := []struct {
		name string
		job  Job
		want string
	}{
		{"no html", Job{Width: 100, Format: "png"}, "HTML"},
		{"zero width", Job{HTML: html, Width: 0, Format: "png"}, "Width must be"},
		{"wide", Job{HTML: html, Width: 5000, Format: "png"}, "Width must be"},
		{"small scale", Job{HTML: html, Width: 100, Scale: 0.5, Format: "png"}, "Scale"},
		{"big scale", Job{HTML: html, Width: 100, Scale: 4, Format: "png"}, "Scale"},
		{"fractional pixels", Job{HTML: html, Width: 101, Scale: 1.5, Format: "png"}, "whole number"},
		{"format", Job{HTML: html, Width: 100, Format: "gif"}, "Format"},
		{"quality", Job{HTML: html, Width: 100, Format: "jpeg", Quality: 101}, "Quality"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.job.check()
			if !errors.Is(err, ErrInvalidJob) {
				t.Fatalf("check: err = %v, want ErrInvalidJob", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("check: %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestMaxCSSHeight(t *testing.T) {
	tests := []struct {
		format string
		scale  float64
		max    int
		want   int
	}{
		{"png", 1, 16384, 16384},
		{"jpeg", 3, 65535, 21845},
		{"webp", 1, 16384, 16383},
		{"webp", 2, 16384, 8191},
	}
	for _, tt := range tests {
		spec, err := Job{HTML: []byte("x"), Width: 10, Scale: tt.scale, Format: tt.format}.check()
		if err != nil {
			t.Fatal(err)
		}
		if got := spec.maxCSSHeight(tt.max); got != tt.want {
			t.Errorf("%s@%g max %d: maxCSSHeight = %d, want %d", tt.format, tt.scale, tt.max, got, tt.want)
		}
	}
}

func TestMayRunScript(t *testing.T) {
	tests := []struct {
		html string
		want bool
	}{
		{`<div class="card">Lv.90 · on the road</div>`, false},
		{`<p style="color:red">one=1</p>`, false},
		{`<img src="a.png" alt="money=1">`, false},
		{`<script>x()</script>`, true},
		{`<SCRIPT src="/x.js"></SCRIPT>`, true},
		{`<svg><script>x()</script></svg>`, true},
		{`<img src="a.png" onerror="x()">`, true},
		{`<img src="a.png"/onload=x()>`, true},
		{`<body ONLOAD = "x()">`, true},
		{`<a href="JavaScript:x()">`, true},
		{`<meta http-equiv="refresh" content="0">`, true},
		{`<div data-on="1" on="2">`, false},
	}
	for _, tt := range tests {
		if got := mayRunScript(tt.html); got != tt.want {
			t.Errorf("mayRunScript(%q) = %v, want %v", tt.html, got, tt.want)
		}
	}
}

// TestLowMemoryReachesRenderers checks the command lines of the real Chrome:
// the low-end switch must reach the renderer processes, which size their
// image caches by it, and be absent when LowMemory is off.
func TestLowMemoryReachesRenderers(t *testing.T) {
	for _, low := range []bool{true, false} {
		pool := newPoolForTest(t, func(c *Config) { c.LowMemory = low }, sealLayers{}, nil)
		render(t, pool, Job{HTML: cardPage(120, 80, "#000", ""), Width: 120, Format: "png"})

		renderers := 0
		for _, pid := range chromeTree(t, pool.ChromePIDs()) {
			cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
			if err != nil {
				continue // the process ended
			}
			// Forked processes rewrite their title, with spaces between
			// the arguments instead of NULs.
			args := strings.Fields(strings.ReplaceAll(string(cmdline), "\x00", " "))
			if !slices.Contains(args, "--type=renderer") {
				continue
			}
			renderers++
			if got := slices.Contains(args, "--enable-low-end-device-mode"); got != low {
				t.Errorf("LowMemory %v: renderer %d has the low-end switch: %v", low, pid, got)
			}
		}
		if renderers == 0 {
			t.Errorf("LowMemory %v: found no renderer process under Chrome %v", low, pool.ChromePIDs())
		}
	}
}

// chromeTree returns roots and all their descendant processes.
func chromeTree(t *testing.T, roots []int) []int {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	children := map[int][]int{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		// The command name in parentheses may hold spaces, so the fields
		// are counted after it. The parent PID is the second.
		fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
		if len(fields) < 2 {
			continue
		}
		if ppid, err := strconv.Atoi(fields[1]); err == nil {
			children[ppid] = append(children[ppid], pid)
		}
	}
	tree := slices.Clone(roots)
	for i := 0; i < len(tree); i++ {
		tree = append(tree, children[tree[i]]...)
	}
	return tree
}
