package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"
)

// Keys of the values a handler leaves for the access log.
const (
	ctxRetcode    = "igs.retcode"
	ctxStyle      = "igs.style"
	ctxError      = "igs.error"
	ctxQueueWait  = "igs.queue_wait"
	ctxRenderTime = "igs.render_time"
	ctxBytes      = "igs.bytes"
	ctxRepeat     = "igs.repeat"
)

// requestIDPattern accepts a caller's X-Request-ID only when it is short and plain.
var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// logRequests writes one completion line per request, except health checks.
func (s *Server) logRequests() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		id := c.GetHeader("X-Request-ID")
		if !requestIDPattern.MatchString(id) {
			id = newRequestID()
		}
		c.Header("X-Request-ID", id)

		c.Next()

		if c.Request.URL.Path == "/healthz" {
			return
		}
		attrs := []slog.Attr{
			slog.String("request_id", id),
			slog.String("method", c.Request.Method),
			slog.String("path", c.Request.URL.Path),
			slog.Int("status", c.Writer.Status()),
			slog.Duration("duration", time.Since(start)),
		}
		if v, ok := c.Get(ctxStyle); ok {
			attrs = append(attrs, slog.Any("style", v))
		}
		retcode, hasRetcode := c.Get(ctxRetcode)
		if hasRetcode {
			attrs = append(attrs, slog.Any("retcode", retcode))
		}
		for _, key := range []string{ctxQueueWait, ctxRenderTime, ctxBytes, ctxRepeat} {
			if v, ok := c.Get(key); ok {
				attrs = append(attrs, slog.Any(key[len("igs."):], v))
			}
		}

		level := slog.LevelInfo
		if v, ok := c.Get(ctxError); ok {
			err := v.(error)
			attrs = append(attrs, slog.String("err", err.Error()))
			// A client that left is not our failure; a missed deadline is.
			if retcode == RetRenderFailed && !errors.Is(err, context.Canceled) {
				level = slog.LevelError
			}
		}
		s.log.LogAttrs(c.Request.Context(), level, "request", attrs...)
	}
}

// recoverPanics turns a panic into a retcode 2 reply and an error log line
// with the stack, so one bad request cannot end the process.
func (s *Server) recoverPanics() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("handler panicked", "panic", v, "path", c.Request.URL.Path, "stack", string(debug.Stack()))
				c.Set(ctxRetcode, RetRenderFailed)
				m := messagesFor("zh-CN")
				c.AbortWithStatusJSON(http.StatusOK, reply{Retcode: RetRenderFailed, Message: m.render, ErrorMsg: m.render})
			}
		}()
		c.Next()
	}
}

func newRequestID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}
