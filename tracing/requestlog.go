package tracing

import (
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"
)

// RequestLog writes one line per request worth reading: every error and
// refusal (status 400 and up; 503 is a refusal, the answer of a server
// starting or draining, not a failure), every request slower than Slow, and one in
// Sample of the others; with the logger at debug level, every request. A
// line per request at info level wrote 207 MB in one benchmark run
// (issue 16): the ordinary requests are what metrics count, the log keeps
// what someone will look for.
type RequestLog struct {
	Log *slog.Logger
	// Slow is the time past which a request is always logged; 0 is 500 ms.
	Slow time.Duration
	// Sample logs one in Sample ordinary requests; 0 is 100, 1 logs all.
	Sample uint64

	n atomic.Uint64
}

// Handler logs the requests next serves.
func (l *RequestLog) Handler(next http.Handler) http.Handler {
	slow, sample := l.Slow, l.Sample
	if slow <= 0 {
		slow = 500 * time.Millisecond
	}
	if sample == 0 {
		sample = 100
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		took := time.Since(start)
		level := slog.LevelInfo
		switch {
		case sw.status >= 500 && sw.status != http.StatusServiceUnavailable:
			level = slog.LevelError
		case sw.status >= 400 || took >= slow:
		case l.n.Add(1)%sample == 0:
		default:
			level = slog.LevelDebug
		}
		ctx := r.Context()
		if !l.Log.Enabled(ctx, level) {
			return
		}
		l.Log.LogAttrs(ctx, level, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", sw.status), slog.Float64("tookMs", float64(took.Microseconds())/1000))
	})
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController (flushes, WebSocket upgrades) reach
// the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
