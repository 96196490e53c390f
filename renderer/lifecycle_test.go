package renderer

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
)

// hangPage is a card whose image never finishes loading.
var hangPage = htmlPage("", `<div id="card" style="width:100px;height:100px"><img src="/assets/hang.png"></div>`)

func TestRenderQueueFull(t *testing.T) {
	assets := newTestAssets()
	pool := newPoolForTest(t, func(c *Config) { c.PoolSize = 1; c.QueueSize = 1 }, sealLayers{}, assets)
	gated := htmlPage("", `<div id="card" style="width:100px;height:100px"><img src="/assets/gate.png"></div>`)

	// One render takes the tab and one waits for it; both block on the gate.
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			_, err := pool.Render(context.Background(), Job{HTML: gated, Width: 100, Format: "png"})
			errs <- err
		}()
	}
	waitUntil(t, "two renders admitted", func() bool { return len(pool.admit) == 2 })

	start := time.Now()
	_, err := pool.Render(context.Background(), Job{HTML: gated, Width: 100, Format: "png"})
	if !errors.Is(err, ErrQueueFull) {
		t.Fatalf("third render: err = %v, want ErrQueueFull", err)
	}
	if took := time.Since(start); took > 100*time.Millisecond {
		t.Errorf("ErrQueueFull took %s, want it at once", took)
	}

	assets.openGate()
	for range 2 {
		if err := <-errs; err != nil {
			t.Errorf("admitted render: %v", err)
		}
	}
}

func TestReserveHoldsAPlace(t *testing.T) {
	pool := newPoolForTest(t, func(c *Config) { c.PoolSize = 1; c.QueueSize = 0 }, sealLayers{}, nil)
	job := Job{HTML: cardPage(50, 50, "#00f", ""), Width: 50, Format: "png"}

	ctx, release, err := pool.Reserve(context.Background())
	if err != nil {
		t.Fatalf("reserve: %v", err)
	}

	// The reservation fills the pool for every other caller.
	if _, _, err := pool.Reserve(context.Background()); !errors.Is(err, ErrQueueFull) {
		t.Errorf("second reserve: err = %v, want ErrQueueFull", err)
	}
	if _, err := pool.Render(context.Background(), job); !errors.Is(err, ErrQueueFull) {
		t.Errorf("render without the reservation: err = %v, want ErrQueueFull", err)
	}

	// The holder renders in its place, twice, without a second place.
	for i := range 2 {
		if _, err := pool.Render(ctx, job); err != nil {
			t.Errorf("render %d with the reservation: %v", i+1, err)
		}
	}

	release()
	release() // a second call is a no-op
	if len(pool.admit) != 0 {
		t.Errorf("places taken after release = %d, want 0", len(pool.admit))
	}
	if _, err := pool.Render(context.Background(), job); err != nil {
		t.Errorf("render after release: %v", err)
	}
}

func TestRenderTimeout(t *testing.T) {
	const timeout = 2 * time.Second
	pool := newPoolForTest(t, func(c *Config) { c.Timeout = timeout }, sealLayers{}, nil)

	start := time.Now()
	_, err := pool.Render(context.Background(), Job{HTML: hangPage, Width: 100, Format: "png"})
	took := time.Since(start)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want it to match context.DeadlineExceeded too", err)
	}
	if errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, must not match context.Canceled", err)
	}
	if took < timeout || took > timeout+time.Second {
		t.Errorf("timed out after %s, want %s to %s", took, timeout, timeout+time.Second)
	}

	// The tab was replaced, and the pool renders again.
	render(t, pool, Job{HTML: cardPage(50, 50, "#000", ""), Width: 50, Format: "png"})
}

func TestRenderCallerCancel(t *testing.T) {
	pool := newPoolForTest(t, nil, sealLayers{}, nil)

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	_, err := pool.Render(ctx, Job{HTML: hangPage, Width: 100, Format: "png"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if errors.Is(err, ErrTimeout) || errors.Is(err, ErrUnavailable) {
		t.Errorf("err = %v, want only the caller's cancellation", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("cancel took %s to end the render", took)
	}

	render(t, pool, Job{HTML: cardPage(50, 50, "#000", ""), Width: 50, Format: "png"})
}

func TestRenderCallerDeadlineIsNotOurTimeout(t *testing.T) {
	pool := sharedPool(t)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := pool.Render(ctx, Job{HTML: hangPage, Width: 100, Format: "png"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	if errors.Is(err, ErrTimeout) {
		t.Errorf("err = %v, want the caller's deadline, not ErrTimeout", err)
	}
}

func TestCloseEndsChrome(t *testing.T) {
	needChrome(t)
	cfg := DefaultConfig()
	cfg.PoolSize = 2
	pool, err := New(cfg, newTestAssets(), testLogger())
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := pool.Wait(ctx); err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if !pool.Ready() {
		t.Fatal("Ready() = false after Wait")
	}
	render(t, pool, Job{HTML: cardPage(50, 50, "#000", ""), Width: 50, Format: "png"})

	pid := pool.cur.Load().pid
	tmpDir := pool.cur.Load().tmpDir
	dir := profileDir(t, pid)
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("profile dir of the running Chrome: %v", err)
	}

	// A render in flight ends with ErrClosed.
	inFlight := make(chan error, 1)
	go func() {
		_, err := pool.Render(context.Background(), Job{HTML: hangPage, Width: 100, Format: "png"})
		inFlight <- err
	}()
	time.Sleep(300 * time.Millisecond)

	if err := pool.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := <-inFlight; !errors.Is(err, ErrClosed) {
		t.Errorf("render in flight: err = %v, want ErrClosed", err)
	}

	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("Chrome pid %d after Close: kill(0) = %v, want ESRCH", pid, err)
	}
	if pids := processesUsing(dir); len(pids) > 0 {
		t.Errorf("processes still use the profile %s: %v", dir, pids)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("profile dir %s after Close: stat = %v, want not exist", dir, err)
	}
	if _, err := os.Stat(tmpDir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Chrome TMPDIR %s after Close: stat = %v, want not exist", tmpDir, err)
	}

	if _, err := pool.Render(context.Background(), Job{HTML: hangPage, Width: 100, Format: "png"}); !errors.Is(err, ErrClosed) {
		t.Errorf("Render after Close: err = %v, want ErrClosed", err)
	}
	if err := pool.Wait(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("Wait after Close: err = %v, want ErrClosed", err)
	}
	if pool.Ready() {
		t.Error("Ready() = true after Close")
	}
	if err := pool.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestRestartAfter(t *testing.T) {
	pool := newPoolForTest(t, func(c *Config) { c.RestartAfter = 3 }, sealLayers{}, nil)
	first := pool.cur.Load()
	firstDir := profileDir(t, first.pid)

	// The third render starts a new Chrome next to the first. Renders go on
	// meanwhile, and the new Chrome takes over when its tabs are ready.
	for range 3 {
		render(t, pool, Job{HTML: cardPage(50, 50, "#000", ""), Width: 50, Format: "png"})
	}
	waitUntil(t, "new Chrome swapped in", func() bool {
		render(t, pool, Job{HTML: cardPage(50, 50, "#000", ""), Width: 50, Format: "png"})
		return pool.cur.Load() != first
	})
	if got := first.renders.Load(); got < 3 {
		t.Errorf("first Chrome rendered %d cards before the restart, want at least 3", got)
	}

	second := pool.cur.Load()
	if second.pid == first.pid {
		t.Fatalf("new Chrome has the old pid %d", first.pid)
	}
	render(t, pool, Job{HTML: cardPage(50, 50, "#000", ""), Width: 50, Format: "png"})

	waitUntil(t, "first Chrome exited", func() bool {
		return errors.Is(syscall.Kill(first.pid, 0), syscall.ESRCH)
	})
	waitUntil(t, "first profile removed", func() bool {
		_, err := os.Stat(firstDir)
		return errors.Is(err, os.ErrNotExist)
	})
	waitUntil(t, "first TMPDIR removed", func() bool {
		_, err := os.Stat(first.tmpDir)
		return errors.Is(err, os.ErrNotExist)
	})
	if pids := processesUsing(firstDir); len(pids) > 0 {
		t.Errorf("processes of the first Chrome remain: %v", pids)
	}
}

func TestChromeCrashRestarts(t *testing.T) {
	pool := newPoolForTest(t, nil, sealLayers{}, nil)
	old := pool.cur.Load()
	oldDir := profileDir(t, old.pid)

	inFlight := make(chan error, 1)
	go func() {
		_, err := pool.Render(context.Background(), Job{HTML: hangPage, Width: 100, Format: "png"})
		inFlight <- err
	}()
	time.Sleep(300 * time.Millisecond)

	// Kill the Chrome this pool started, by its pid.
	if err := syscall.Kill(old.pid, syscall.SIGKILL); err != nil {
		t.Fatalf("kill Chrome: %v", err)
	}
	select {
	case err := <-inFlight:
		if !errors.Is(err, ErrUnavailable) {
			t.Errorf("render in flight: err = %v, want ErrUnavailable", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("render in flight did not end after the crash")
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := pool.Wait(ctx); err != nil {
		t.Fatalf("Wait after crash: %v", err)
	}
	render(t, pool, Job{HTML: cardPage(50, 50, "#000", ""), Width: 50, Format: "png"})
	if now := pool.cur.Load().pid; now == old.pid {
		t.Errorf("Chrome pid is still %d, want a new process", now)
	}

	waitUntil(t, "crashed Chrome's profile removed", func() bool {
		_, err := os.Stat(oldDir)
		return errors.Is(err, os.ErrNotExist)
	})
	// A killed Chrome leaves its singleton socket in its TMPDIR.
	waitUntil(t, "crashed Chrome's TMPDIR removed", func() bool {
		_, err := os.Stat(old.tmpDir)
		return errors.Is(err, os.ErrNotExist)
	})
	if pids := processesUsing(oldDir); len(pids) > 0 {
		t.Errorf("processes of the crashed Chrome remain: %v", pids)
	}
}

func TestNewFailsWithoutChrome(t *testing.T) {
	cfg := DefaultConfig()
	cfg.ChromePath = filepath.Join(t.TempDir(), "no-chrome")
	if _, err := New(cfg, nil, nil); !contains(err, "ChromePath") {
		t.Fatalf("New: err = %v, want an error naming ChromePath", err)
	}
}

func TestStartFailureIsReported(t *testing.T) {
	needChrome(t)
	// An executable that exits at once plays a broken Chrome.
	script := filepath.Join(t.TempDir(), "chrome")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nexit 3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.ChromePath = script
	pool, err := New(cfg, nil, nil)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	defer pool.Close()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := pool.Wait(ctx); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Wait: err = %v, want ErrUnavailable", err)
	}
	if _, err := pool.Render(ctx, Job{HTML: hangPage, Width: 100, Format: "png"}); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Render: err = %v, want ErrUnavailable", err)
	}
	if pool.Ready() {
		t.Error("Ready() = true after a failed start")
	}
}

// profileDir returns the --user-data-dir of the process pid.
func profileDir(t *testing.T, pid int) string {
	t.Helper()
	cmdline, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil {
		t.Fatalf("read command line of Chrome: %v", err)
	}
	for arg := range bytes.SplitSeq(cmdline, []byte{0}) {
		if dir, ok := strings.CutPrefix(string(arg), "--user-data-dir="); ok {
			return dir
		}
	}
	t.Fatalf("Chrome pid %d has no --user-data-dir", pid)
	return ""
}

// processesUsing returns the pids of processes whose command line names the
// profile dir.
func processesUsing(dir string) []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		cmdline, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err == nil && bytes.Contains(cmdline, []byte("--user-data-dir="+dir)) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// waitUntil polls cond for up to 15s and fails the test if it stays false.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestCrashedTabIsReplaced(t *testing.T) {
	pool := newPoolForTest(t, nil, sealLayers{}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	crashed, err := pool.acquire(ctx)
	if err != nil {
		t.Fatalf("acquire: %v", err)
	}
	// Page.crash kills the renderer process of the page; the call itself
	// gets no reply.
	crashCtx, crashCancel := context.WithTimeout(ctx, time.Second)
	_, _ = cdp.Call(crashCtx, crashed.target, page.Crash, cdp.Empty{})
	crashCancel()
	waitUntil(t, "crash noticed", crashed.isCrashed)
	pool.release(crashed)

	res := render(t, pool, Job{HTML: cardPage(50, 50, "#000", ""), Width: 50, Format: "png"})
	if res.Height != 50 {
		t.Errorf("height = %d, want 50", res.Height)
	}
	if pool.cur.Load() != crashed.b {
		t.Error("Chrome was restarted, want only the tab replaced")
	}
}

func TestCloseDuringStart(t *testing.T) {
	needChrome(t)
	before := chromeChildren()
	if len(before) == 0 {
		t.Fatal("chromeChildren found no Chrome, but the shared pool's Chrome runs")
	}
	pool, err := New(DefaultConfig(), nil, testLogger())
	if err != nil {
		t.Fatalf("New: %v", err)
	}

	start := time.Now()
	if err := pool.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if took := time.Since(start); took > 15*time.Second {
		t.Errorf("Close during the start took %s", took)
	}
	if err := pool.Wait(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("Wait: err = %v, want ErrClosed", err)
	}
	for pid := range chromeChildren() {
		if !before[pid] {
			t.Errorf("Chrome pid %d still runs after Close", pid)
		}
	}
}

// chromeChildren returns the pids of the Chrome processes that this test
// process started and that still run.
func chromeChildren() map[int]bool {
	self := strconv.Itoa(os.Getpid())
	entries, _ := os.ReadDir("/proc")
	pids := map[int]bool{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// The fields after the command name in parentheses start with
		// the state and the parent pid.
		name, rest, ok := strings.Cut(string(stat), ") ")
		fields := strings.Fields(rest)
		if ok && len(fields) > 1 && fields[1] == self && strings.Contains(name, "(chrom") {
			pids[pid] = true
		}
	}
	return pids
}
