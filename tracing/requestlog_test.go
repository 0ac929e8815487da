package tracing

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestRequestLogKeepsWhatSomeoneWillLookFor(t *testing.T) {
	handler := func(status int, took time.Duration) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(took)
			w.WriteHeader(status)
		})
	}
	tests := []struct {
		name      string
		level     slog.Level
		status    int
		took      time.Duration
		requests  int
		wantLines int
		wantLevel string
	}{
		{"ordinary requests, one in the sample", slog.LevelInfo, 200, 0, 9, 3, "INFO"},
		{"every refusal", slog.LevelInfo, 429, 0, 5, 5, "INFO"},
		{"every failure, as an error", slog.LevelInfo, 500, 0, 4, 4, "ERROR"},
		{"not ready (starting or draining) is a refusal, not an error", slog.LevelInfo, 503, 0, 4, 4, "INFO"},
		{"every slow request", slog.LevelInfo, 200, 20 * time.Millisecond, 2, 2, "INFO"},
		{"every request at debug level", slog.LevelDebug, 200, 0, 7, 7, ""},
		{"only failures at error level", slog.LevelError, 404, 0, 3, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			l := &RequestLog{Log: slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: tt.level})),
				Slow: 10 * time.Millisecond, Sample: 3}
			h := l.Handler(handler(tt.status, tt.took))
			for range tt.requests {
				h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/graphql", nil))
			}
			lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
			if buf.Len() == 0 {
				lines = nil
			}
			if len(lines) != tt.wantLines {
				t.Fatalf("%d lines, want %d:\n%s", len(lines), tt.wantLines, buf.String())
			}
			for _, line := range lines {
				var rec struct {
					Level  string
					Status int
					Path   string
				}
				if err := json.Unmarshal([]byte(line), &rec); err != nil {
					t.Fatal(err)
				}
				if rec.Status != tt.status || rec.Path != "/graphql" || (tt.wantLevel != "" && rec.Level != tt.wantLevel) {
					t.Fatalf("line %s: want status %d at %s", line, tt.status, tt.wantLevel)
				}
			}
		})
	}
}

// countingWriter counts what a logger writes.
type countingWriter struct{ n int }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

// BenchmarkRequestLog weighs the request line: every request at info (what
// the server did before issue 16) against the default sampling.
func BenchmarkRequestLog(b *testing.B) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	for _, bb := range []struct {
		name   string
		sample uint64
	}{{"every request", 1}, {"sampled 1 in 100", 0}} {
		b.Run(bb.name, func(b *testing.B) {
			var w countingWriter
			h := (&RequestLog{Log: slog.New(LogHandler(slog.NewJSONHandler(&w, nil))), Sample: bb.sample}).Handler(ok)
			req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
			rec := httptest.NewRecorder()
			b.ReportAllocs()
			for b.Loop() {
				h.ServeHTTP(rec, req)
			}
			b.ReportMetric(float64(w.n)/float64(b.N), "logged-B/op")
		})
	}
}
