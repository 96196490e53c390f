package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/igs-dev/igs/app"
)

// requireChrome skips the test without a Chrome on PATH, except under
// CI=true, where a missing Chrome fails it.
func requireChrome(t *testing.T) {
	t.Helper()
	if _, err := chromeExecutable(""); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI requires Chrome: %v", err)
		}
		t.Skip(err)
	}
}

// tableRows reads the results table of a report, keyed by measure and style.
func tableRows(t *testing.T, report string) map[string]row {
	t.Helper()
	_, table, ok := strings.Cut(report, "| Measure | Style | Value | n | Target | Result |\n|---|---|---|---|---|---|\n")
	if !ok {
		t.Fatalf("report has no results table:\n%s", report)
	}

	rows := map[string]row{}
	for line := range strings.Lines(table) {
		if !strings.HasPrefix(line, "|") {
			break
		}
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), " | ")
		if len(cells) != 6 {
			t.Fatalf("row %q has %d cells, want 6", line, len(cells))
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		r := row{Measure: cells[0], Style: cells[1], Value: cells[2], Samples: cells[3], Target: cells[4], Result: cells[5]}
		rows[r.Measure+"/"+r.Style] = r
	}
	return rows
}

func TestQuickRunReportsEveryRow(t *testing.T) {
	requireChrome(t)

	output := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	opts, err := parseOptions([]string{"-quick", "-styles", "fancy,egenshin", "-o", output}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}

	processesBefore := childProcesses(t)
	dirsBefore := dataDirs(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var stdout, logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if err := run(ctx, opts, &stdout, log); err != nil {
		t.Fatalf("run: %v\nlog:\n%s", err, logs.String())
	}

	rows := tableRows(t, stdout.String())
	var want []string
	for _, style := range []string{"fancy", "egenshin"} {
		for _, measure := range []string{
			labelLatencyP50, labelLatencyP90, labelFloor, labelFloorRatio,
			"throughput, 1 client", "throughput, 2 clients", "throughput, 4 clients", "throughput, 8 clients",
			labelBaseline, labelBaselineFactor,
			"latency p50, 8 characters", "latency p50, 120 characters", labelScalingRatio,
		} {
			want = append(want, measure+"/"+style)
		}
	}
	want = append(want,
		labelRepeat+"/fancy",
		"PSS after 2 renders/fancy, egenshin, in turn",
		"PSS after 20 renders/fancy, egenshin, in turn",
		labelMemorySeries+"/fancy, egenshin, in turn",
		"PSS growth 2 -> 20 renders/fancy, egenshin, in turn",
	)

	for _, key := range want {
		r, ok := rows[key]
		if !ok {
			t.Errorf("table lacks row %q", key)
			continue
		}
		if r.Value == "" || r.Value == "n/a" {
			t.Errorf("row %q has no value: %q", key, r.Value)
		}
		if r.Target != "" && r.Result != "PASS" && r.Result != "MISS" {
			t.Errorf("row %q has target %q but result %q, want PASS or MISS", key, r.Target, r.Result)
		}
	}
	if len(rows) != len(want) {
		t.Errorf("table has %d rows, want %d", len(rows), len(want))
	}

	for _, key := range []string{labelLatencyP50 + "/fancy", labelFloor + "/egenshin", "latency p50, 120 characters/fancy"} {
		value, _, _ := strings.Cut(rows[key].Value, " ")
		if v, err := strconv.ParseFloat(value, 64); err != nil || v <= 0 {
			t.Errorf("row %q value %q is not a positive number of ms", key, rows[key].Value)
		}
	}
	// Chrome runs a browser, a GPU, a network and a renderer process at
	// least, so fewer mean that the Chrome processes were not found.
	memory := rows["PSS after 20 renders/fancy, egenshin, in turn"].Value
	var total, self, chrome float64
	var processes int
	if _, err := fmt.Sscanf(memory, "%f MiB (Go process %f + Chrome %f in %d processes)", &total, &self, &chrome, &processes); err != nil {
		t.Errorf("PSS value %q: %v", memory, err)
	}
	if processes < 4 {
		t.Errorf("PSS counted %d Chrome processes, want at least 4: %q", processes, memory)
	}
	if chrome <= 0 || self <= 0 {
		t.Errorf("PSS value %q lacks the Go process or Chrome", memory)
	}

	if got := rows[labelLatencyP50+"/fancy"].Target; got != "<= 95.0 ms" {
		t.Errorf("fancy latency target = %q, want <= 95.0 ms", got)
	}

	written, err := os.ReadFile(output)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(written, stdout.Bytes()) {
		t.Error("the -o file differs from stdout")
	}
	for _, fact := range []string{"- CPU: ", "- Memory: ", "- Chromium: Chromium ", "- Go: go1.", "go run ./bench -quick -styles fancy,egenshin -o " + output, "Load average"} {
		if !strings.Contains(string(written), fact) {
			t.Errorf("report lacks %q", fact)
		}
	}

	_, steps, _ := strings.Cut(stdout.String(), "## Where the time goes")
	for _, style := range opts.styles {
		if !strings.Contains(steps, "| "+style+" | ") {
			t.Errorf("step table lacks a row for %s", style)
		}
	}

	checkNoLeftovers(t, processesBefore, dirsBefore)
}

// checkNoLeftovers fails t when Chrome processes or data directories of the
// run remain.
func checkNoLeftovers(t *testing.T, processesBefore []int, dirsBefore map[string]bool) {
	t.Helper()
	// Chrome's processes may take a moment to be reaped after Close.
	deadline := time.Now().Add(10 * time.Second)
	for {
		after := childProcesses(t)
		if len(after) <= len(processesBefore) {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("processes left after the run: %v (before: %v)", after, processesBefore)
			break
		}
		time.Sleep(200 * time.Millisecond)
	}

	for dir := range dataDirs(t) {
		if !dirsBefore[dir] {
			t.Errorf("data directory %s left after the run", dir)
		}
	}
}

// dataDirs returns the temporary data directories of services that the
// benchmark started, here or in another process.
func dataDirs(t *testing.T) map[string]bool {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(os.TempDir(), "igs-bench-*"))
	if err != nil {
		t.Fatal(err)
	}
	dirs := map[string]bool{}
	for _, m := range matches {
		dirs[m] = true
	}
	return dirs
}

// childProcesses returns the descendants of this test process.
func childProcesses(t *testing.T) []int {
	t.Helper()
	pids, err := descendants([]int{os.Getpid()})
	if err != nil {
		t.Fatal(err)
	}
	return pids[1:]
}

func TestPercentileNearestRank(t *testing.T) {
	times := []time.Duration{5, 1, 4, 2, 3, 10, 9, 8, 7, 6}
	cases := []struct {
		q    float64
		want time.Duration
	}{{0.5, 5}, {0.9, 9}, {1, 10}, {0, 1}, {0.01, 1}}
	for _, tc := range cases {
		if got := percentile(times, tc.q); got != tc.want {
			t.Errorf("percentile(%v) = %d, want %d", tc.q, got, tc.want)
		}
	}
	if got := percentile(nil, 0.5); got != 0 {
		t.Errorf("percentile of no times = %d, want 0", got)
	}
	if times[0] != 5 {
		t.Error("percentile sorted the caller's slice")
	}
}

func TestParseStatNameWithParens(t *testing.T) {
	pid, ppid, err := parseStat([]byte("4242 (chrome (re) nd) S 17 4242 4242 0 -1 4194560 1 0 0 0"))
	if err != nil {
		t.Fatal(err)
	}
	if pid != 4242 {
		t.Errorf("pid = %d, want 4242", pid)
	}
	if ppid != 17 {
		t.Errorf("ppid = %d, want 17", ppid)
	}

	for _, bad := range []string{"", "4242 chrome S 17", "x (a) S 1", "1 (a) S"} {
		if _, _, err := parseStat([]byte(bad)); err == nil {
			t.Errorf("parseStat(%q) returned no error", bad)
		}
	}
}

func TestParsePSS(t *testing.T) {
	rollup := "55a0-7ffd ---p 00000000 00:00 0 [rollup]\nRss:              123456 kB\nPss:               98765 kB\nPss_Dirty:         1000 kB\n"
	got, err := parsePSS([]byte(rollup))
	if err != nil {
		t.Fatal(err)
	}
	if got != 98765 {
		t.Errorf("PSS = %d KiB, want 98765", got)
	}

	if _, err := parsePSS([]byte("Rss: 1 kB\n")); err == nil {
		t.Error("a rollup without Pss returned no error")
	}
}

func TestSampleMemoryOfSelf(t *testing.T) {
	m, err := sampleMemory(nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.self <= 0 {
		t.Errorf("PSS of this process = %d KiB, want > 0", m.self)
	}
	if m.chrome != 0 || m.processes != 0 {
		t.Errorf("no roots gave chrome %d KiB in %d processes, want none", m.chrome, m.processes)
	}
}

func TestDescendantsFindsChild(t *testing.T) {
	cmd := exec.Command("sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Skip("cannot start sleep:", err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()

	pids, err := descendants([]int{os.Getpid()})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, pid := range pids {
		found = found || pid == cmd.Process.Pid
	}
	if !found {
		t.Errorf("descendants %v lack the child %d", pids, cmd.Process.Pid)
	}
	if pids[0] != os.Getpid() {
		t.Errorf("descendants start with %d, want the root %d", pids[0], os.Getpid())
	}
}

func TestBuildBodiesDistinctCharacters(t *testing.T) {
	bodies, err := buildBodies("http://127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}

	for _, n := range characterCounts {
		var body struct {
			Data struct {
				Avatars []struct {
					ID    int64  `json:"id"`
					Image string `json:"image"`
				} `json:"avatars"`
			} `json:"data"`
		}
		if err := json.Unmarshal(bodies[n], &body); err != nil {
			t.Fatalf("body of %d characters: %v", n, err)
		}
		if got := len(body.Data.Avatars); got != n {
			t.Errorf("body of %d characters has %d", n, got)
		}

		ids, icons := map[int64]bool{}, map[string]bool{}
		for _, a := range body.Data.Avatars {
			ids[a.ID] = true
			icons[a.Image] = true
			if !strings.HasPrefix(a.Image, "http://127.0.0.1:1/") {
				t.Errorf("icon %q is not on the fixture server", a.Image)
			}
		}
		if len(ids) != n {
			t.Errorf("body of %d characters has %d distinct ids", n, len(ids))
		}
		if len(icons) != n {
			t.Errorf("body of %d characters has %d distinct icons", n, len(icons))
		}
	}
	if bytes.Contains(bodies[42], []byte("mihoyo.com")) {
		t.Error("the 42-character body still names the original host")
	}
}

// TestMemoryOnlyRunTakesFlagsAndStyles runs only the memory rows of a style
// that exists only in a styles directory, with a Chrome switch, as a
// designer trying a change would. A request for an unknown style fails the
// run, so the directory must have been loaded.
func TestMemoryOnlyRunTakesFlagsAndStyles(t *testing.T) {
	requireChrome(t)

	dir := t.TempDir()
	style := filepath.Join(dir, "tried")
	if err := os.Mkdir(style, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"style.json": `{"name": "tried", "width": 400}`,
		"card.html":  `<!DOCTYPE html><html><body style="margin:0"><div id="card" style="width:400px;height:300px;background:#123">{{ .Nickname }}</div></body></html>`,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(style, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	opts, err := parseOptions([]string{"-memory-only", "-memory-renders", "10", "-styles", "tried",
		"-styles-dir", dir, "-chrome-flag=--enable-low-end-device-mode"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	opts.memorySettle = 100 * time.Millisecond

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var stdout, logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if err := run(ctx, opts, &stdout, log); err != nil {
		t.Fatalf("run: %v\nlog:\n%s", err, logs.String())
	}

	rows := tableRows(t, stdout.String())
	for key := range rows {
		if !strings.HasPrefix(key, "PSS ") {
			t.Errorf("memory-only run has the row %q", key)
		}
	}
	if _, ok := rows["PSS after 10 renders/tried, in turn"]; !ok {
		t.Errorf("table lacks the second memory sample; rows: %v", slices.Collect(maps.Keys(rows)))
	}
	if strings.Contains(stdout.String(), "## Where the time goes") {
		t.Error("memory-only report has the section on where the time goes, without rows")
	}
	if !strings.Contains(stdout.String(), "-chrome-flag=--enable-low-end-device-mode") {
		t.Error("the report does not show the Chrome switch in its command")
	}
}

// TestChromeFlagReachesChrome starts the benchmark's service with an extra
// switch and reads the command line of its Chrome.
func TestChromeFlagReachesChrome(t *testing.T) {
	requireChrome(t)
	fixture, err := newFixtureServer()
	if err != nil {
		t.Fatal(err)
	}
	defer fixture.close()

	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc, err := startService(fixture, options{chromeFlags: multiFlag{"--lang=eo"}}, log, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.stop()

	pids := svc.app.Renderer.ChromePIDs()
	if len(pids) == 0 {
		t.Fatal("the service has no Chrome process")
	}
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pids[0]))
	if err != nil {
		t.Skipf("cannot read the command line of Chrome: %v", err)
	}
	if !slices.Contains(strings.Split(string(cmdline), "\x00"), "--lang=eo") {
		t.Errorf("Chrome command line %q lacks --lang=eo", cmdline)
	}
}

func TestParseOptions(t *testing.T) {
	opts, err := parseOptions([]string{"-quick", "-styles", " fancy , text ", "-memory-renders", "300"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(opts.styles) != "[fancy text]" {
		t.Errorf("styles = %v, want [fancy text]", opts.styles)
	}
	if opts.memoryRenders != 300 {
		t.Errorf("memory renders = %d, want the flag's 300 over -quick's default", opts.memoryRenders)
	}
	if opts.requests != 4 {
		t.Errorf("requests = %d, want -quick's 4", opts.requests)
	}
	if opts.firstMemoryRenders() != 30 {
		t.Errorf("first memory sample at %d renders, want 30", opts.firstMemoryRenders())
	}

	full, err := parseOptions(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if full.memoryRenders != 2000 || full.firstMemoryRenders() != 200 {
		t.Errorf("default memory samples at %d and %d renders, want 200 and 2000", full.firstMemoryRenders(), full.memoryRenders)
	}

	if !full.lowMemory {
		t.Error("lowMemory = false by default, want the service's default true")
	}

	tried, err := parseOptions([]string{"-chrome-flag=--a", "-chrome-flag", "--b=c d", "-styles-dir", "mine", "-memory-only", "-low-memory=false"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if tried.lowMemory {
		t.Error("lowMemory = true after -low-memory=false")
	}
	if fmt.Sprintf("%q", []string(tried.chromeFlags)) != `["--a" "--b=c d"]` || tried.stylesDir != "mine" || !tried.memoryOnly {
		t.Errorf("chrome flags %q, styles dir %q, memory only %v; want [--a --b=c d], mine, true", tried.chromeFlags, tried.stylesDir, tried.memoryOnly)
	}

	_, err = parseOptions([]string{"-chrome-flag", "--", "-chrome-flag=--user-data-dir=/tmp/x"}, io.Discard)
	for _, want := range []string{"-chrome-flag", `"--"`, "--user-data-dir"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("bad Chrome switches: error %v, want one naming %s", err, want)
		}
	}

	_, err = parseOptions([]string{"-memory-only", "-memory-renders", "0"}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "-memory-only") {
		t.Errorf("-memory-only without memory renders: error %v, want one naming -memory-only", err)
	}

	_, err = parseOptions([]string{"-requests", "0", "-styles", ",", "-memory-renders", "5"}, io.Discard)
	for _, name := range []string{"-requests", "-styles", "-memory-renders"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("error %v does not name %s", err, name)
		}
	}
}

func TestParseCPUSumsUserAndSystem(t *testing.T) {
	// Fields 14 and 15 (utime, stime) are 250 and 50 ticks.
	line := "4242 (chrome (x)) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 12 0 1000 0 0"
	got, err := parseCPU([]byte(line))
	if err != nil {
		t.Fatal(err)
	}
	if want := 3 * time.Second; got != want {
		t.Errorf("CPU time = %v, want %v", got, want)
	}

	if _, err := parseCPU([]byte("4242 (chrome) S 17")); err == nil {
		t.Error("a stat line without CPU times returned no error")
	}
}

func TestSampleCPUOfSelf(t *testing.T) {
	// Burn a little CPU so that this process has used at least a tick.
	deadline := time.Now().Add(50 * time.Millisecond)
	for n := 0; time.Now().Before(deadline); n++ {
		_ = strconv.Itoa(n)
	}

	s, err := sampleCPU(nil)
	if err != nil {
		t.Fatal(err)
	}
	if s[goProcess] <= 0 {
		t.Errorf("CPU time of this process = %v, want > 0", s[goProcess])
	}
	if len(s) != 1 {
		t.Errorf("sample has %d process types, want only %q: %v", len(s), goProcess, s)
	}
}

// TestBrokenStylesDirFails checks that a style of -styles-dir that does not
// load stops the run instead of measuring the embedded style of that name.
func TestBrokenStylesDirFails(t *testing.T) {
	requireChrome(t)

	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "fancy"), 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"style.json": `{"name": "fancy", "width": 400}`,
		"card.html":  `<div id="card">{{ if }}</div>`,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, "fancy", name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	opts, err := parseOptions([]string{"-memory-only", "-memory-renders", "10", "-styles", "fancy", "-styles-dir", dir}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	err = run(ctx, opts, io.Discard, log)
	if err == nil || !strings.Contains(err.Error(), "-styles-dir") || !strings.Contains(err.Error(), "card.html") {
		t.Errorf("run error = %v, want one naming -styles-dir and card.html", err)
	}
}
