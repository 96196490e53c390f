package renderer

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chromedp/chromedp"
)

// Time limits of the Chrome process.
const (
	browserStartTimeout = 30 * time.Second
	// browserCloseTimeout is how long a graceful close may take before the
	// process is killed.
	browserCloseTimeout = 10 * time.Second
)

// browser is one Chrome process and its temporary profile. A restart starts a
// new browser, and the old one closes when its last tab closes.
type browser struct {
	generation int
	pid        int
	log        *slog.Logger

	// tmpDir is the TMPDIR of Chrome. Chrome keeps its singleton socket and,
	// with --disable-dev-shm-usage, its shared memory there, and a killed
	// Chrome leaves them behind, so the directory goes with the browser.
	tmpDir string

	ctx         context.Context // chromedp context of the first tab; tabs derive from it
	cancel      context.CancelFunc
	allocCancel context.CancelFunc

	// lost closes when the connection to Chrome drops, after a crash, a
	// kill, or a call of close.
	lost <-chan struct{}

	renders  atomic.Int64 // renders started, for Config.RestartAfter
	openTabs atomic.Int64
	retired  atomic.Bool // a newer browser replaced this one
	closing  atomic.Bool

	closeOnce sync.Once
	closeErr  error
}

// startBrowser starts Chrome and waits until it accepts commands. Canceling
// ctx aborts the start.
func startBrowser(ctx context.Context, generation int, opts []chromedp.ExecAllocatorOption, log *slog.Logger) (*browser, error) {
	log = log.With("generation", generation)
	tmpDir, err := os.MkdirTemp("", "igs-chrome-tmp-")
	if err != nil {
		return nil, fmt.Errorf("start chrome: create temp dir: %w", err)
	}

	output := newLineLogger(log, "chrome output")
	opts = append(opts[:len(opts):len(opts)], chromedp.CombinedOutput(output), chromedp.Env("TMPDIR="+tmpDir))
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancel := chromedp.NewContext(allocCtx,
		chromedp.WithLogf(chromedpLogger(log, slog.LevelDebug)),
		chromedp.WithErrorf(chromedpLogger(log, slog.LevelWarn)),
	)
	started := time.Now()

	// The first Do ties the life of Chrome to bctx, so it cannot take a
	// context with a deadline. The select bounds it instead.
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(bctx) }()
	returned := false
	select {
	case err = <-done:
		returned = true
	case <-time.After(browserStartTimeout):
		err = fmt.Errorf("timed out after %s", browserStartTimeout)
	case <-ctx.Done():
		err = ctx.Err()
	}
	if err != nil {
		cancel()
		if !returned {
			// Do may still be in the allocator, which then kills and
			// reaps Chrome before it returns.
			<-done
		}
		// allocCancel waits until the allocator has removed the profile.
		allocCancel()
		output.Close()
		return nil, errors.Join(fmt.Errorf("start chrome: %w", err), os.RemoveAll(tmpDir))
	}

	c := chromedp.FromContext(bctx)
	b := &browser{
		generation:  generation,
		pid:         c.Browser.Process().Pid,
		log:         log,
		tmpDir:      tmpDir,
		ctx:         bctx,
		cancel:      cancel,
		allocCancel: func() { allocCancel(); output.Close() },
		lost:        c.Browser.LostConnection,
	}
	b.log = log.With("pid", b.pid)
	b.log.Debug("chrome process started", "took", time.Since(started))
	return b, nil
}

// dead reports whether the connection to Chrome is gone.
func (b *browser) dead() bool {
	select {
	case <-b.lost:
		return true
	default:
		return false
	}
}

// close ends Chrome, gracefully first and with a kill after
// browserCloseTimeout. It returns when the process has exited and its
// temporary profile and TMPDIR are removed. Later calls return the first
// result.
func (b *browser) close() error {
	b.closeOnce.Do(func() {
		b.closing.Store(true)
		crashed := b.dead()
		ctx, cancel := context.WithTimeout(b.ctx, browserCloseTimeout)
		err := chromedp.Cancel(ctx)
		cancel()
		// Cancel returns early when Chrome is already gone. These calls
		// kill what is left and wait until the profile is removed.
		b.cancel()
		b.allocCancel()
		if err != nil && !crashed && !errors.Is(err, context.Canceled) {
			b.closeErr = fmt.Errorf("close chrome (pid %d): %w", b.pid, err)
		}
		if err := os.RemoveAll(b.tmpDir); err != nil {
			b.closeErr = errors.Join(b.closeErr, fmt.Errorf("remove chrome temp dir: %w", err))
		}
		b.log.Debug("chrome process ended")
	})
	return b.closeErr
}

// chromedpLogger returns a printf-style func for chromedp that logs at level.
func chromedpLogger(log *slog.Logger, level slog.Level) func(string, ...any) {
	return func(format string, args ...any) {
		if log.Enabled(context.Background(), level) {
			log.Log(context.Background(), level, "chromedp", "message", fmt.Sprintf(format, args...))
		}
	}
}

// lineLogger is an io.Writer that logs each line of Chrome's output at debug
// level.
type lineLogger struct {
	w    *io.PipeWriter
	done chan struct{}
}

func newLineLogger(log *slog.Logger, msg string) *lineLogger {
	r, w := io.Pipe()
	l := &lineLogger{w: w, done: make(chan struct{})}
	go func() {
		defer close(l.done)
		scanner := bufio.NewScanner(r)
		scanner.Buffer(make([]byte, 0, 4096), 64*1024)
		for scanner.Scan() {
			log.Debug(msg, "line", scanner.Text())
		}
		// The scanner stops at a line over 64 KiB. Reading on keeps
		// Chrome from blocking on a full pipe.
		_, _ = io.Copy(io.Discard, r)
	}()
	return l
}

func (l *lineLogger) Write(p []byte) (int, error) { return l.w.Write(p) }

// Close ends the logger after the last line.
func (l *lineLogger) Close() {
	_ = l.w.Close()
	<-l.done
}
