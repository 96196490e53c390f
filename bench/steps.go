package main

import (
	"context"
	"log/slog"
	"maps"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Messages and attributes of the renderer's debug lines that the step table
// reads. The renderer logs "render steps" per render and "card rendered"
// with its queue wait and render time.
const (
	stepsMessage    = "render steps"
	renderedMessage = "card rendered"
)

// stepNames are the renderer's steps in the order of a render, and
// renderedNames the timings of "card rendered".
var (
	stepNames     = []string{"set_content", "wait", "resize", "capture"}
	renderedNames = []string{"queue_wait", "render_time"}
)

// stepLog collects the step timings of the renders of one style at a time,
// and counts the requests Chrome sends to the asset origin meanwhile.
type stepLog struct {
	mu     sync.Mutex
	style  string                                // "" while not collecting
	byName map[string]map[string][]time.Duration // style -> step -> times
	// origin counts requests by style and first path segment, such as
	// "/static/".
	origin map[string]map[string]int
}

func newStepLog() *stepLog {
	return &stepLog{byName: map[string]map[string][]time.Duration{}, origin: map[string]map[string]int{}}
}

// wrapOrigin counts the requests that reach the asset origin while the log
// collects.
func (s *stepLog) wrapOrigin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		prefix := "/"
		if i := strings.IndexByte(r.URL.Path[1:], '/'); i >= 0 {
			prefix = r.URL.Path[:i+2]
		}

		s.mu.Lock()
		if s.style != "" {
			if s.origin[s.style] == nil {
				s.origin[s.style] = map[string]int{}
			}
			s.origin[s.style][prefix]++
		}
		s.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

// originRequests returns the origin requests counted for style by path
// prefix.
func (s *stepLog) originRequests(style string) map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.origin[style])
}

// collect starts collecting for style; an empty style stops.
func (s *stepLog) collect(style string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.style = style
	if style != "" && s.byName[style] == nil {
		s.byName[style] = map[string][]time.Duration{}
	}
}

func (s *stepLog) active() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.style != ""
}

func (s *stepLog) add(r slog.Record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.style == "" {
		return
	}

	steps := s.byName[s.style]
	r.Attrs(func(a slog.Attr) bool {
		if a.Value.Kind() == slog.KindDuration {
			steps[a.Key] = append(steps[a.Key], a.Value.Duration())
		}
		return true
	})
}

// p50 returns the median of a step of style and the number of samples.
func (s *stepLog) p50(style, step string) (time.Duration, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	times := s.byName[style][step]
	return percentile(times, 0.5), len(times)
}

// tapHandler passes records at or above min to next, and while the step log
// collects, also reads the renderer's timing lines at debug level.
type tapHandler struct {
	next  slog.Handler
	min   slog.Level
	steps *stepLog
}

func (h tapHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return level >= h.min || h.steps.active()
}

func (h tapHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == stepsMessage || r.Message == renderedMessage {
		h.steps.add(r)
	}
	if r.Level < h.min {
		return nil
	}
	return h.next.Handle(ctx, r)
}

func (h tapHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return tapHandler{next: h.next.WithAttrs(attrs), min: h.min, steps: h.steps}
}

func (h tapHandler) WithGroup(name string) slog.Handler {
	return tapHandler{next: h.next.WithGroup(name), min: h.min, steps: h.steps}
}
