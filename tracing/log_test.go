package tracing

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"
)

func TestLogHandler(t *testing.T) {
	tp, _ := memoryProvider()
	spanCtx, span := tp.Tracer("test").Start(WithRequestID(context.Background(), "req-1"), "request")
	defer span.End()
	traceID, spanID := span.SpanContext().TraceID().String(), span.SpanContext().SpanID().String()
	// gqlgen logs a field's failure after the resolver's span ended.
	endedCtx, ended := tp.Tracer("test").Start(spanCtx, "Query.enterprises")
	ended.End()

	tests := []struct {
		name string
		ctx  context.Context
		want map[string]any // the fields added; nil: none
	}{
		{"no request", context.Background(), nil},
		{"a request without a span", WithRequestID(context.Background(), "req-2"), map[string]any{"request_id": "req-2"}},
		{"a request with a span", spanCtx, map[string]any{"request_id": "req-1", "trace_id": traceID, "span_id": spanID}},
		{"a span that ended", endedCtx, map[string]any{"request_id": "req-1", "trace_id": traceID, "span_id": ended.SpanContext().SpanID().String()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			log := slog.New(LogHandler(slog.NewJSONHandler(&buf, nil))).With("component", "test")
			log.InfoContext(tt.ctx, "hello", "n", 1)
			var rec map[string]any
			if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
				t.Fatalf("%v: %s", err, buf.Bytes())
			}
			if rec["component"] != "test" || rec["n"] != 1.0 || rec["msg"] != "hello" {
				t.Errorf("the record's own fields are lost: %v", rec)
			}
			for _, k := range []string{"request_id", "trace_id", "span_id"} {
				if rec[k] != tt.want[k] {
					t.Errorf("%s = %v, want %v", k, rec[k], tt.want[k])
				}
			}
		})
	}
}

func TestLogHandlerKeepsTheCallersRecord(t *testing.T) {
	var a, b bytes.Buffer
	// Two handlers see the same record: the first one's additions must
	// not show in the second's.
	h := LogHandler(slog.NewJSONHandler(&a, nil))
	plain := slog.NewJSONHandler(&b, nil)
	ctx := WithRequestID(context.Background(), "req-3")
	r := slog.NewRecord(testTime, slog.LevelInfo, "hello", 0)
	r.AddAttrs(slog.Int("a", 1), slog.Int("b", 2), slog.Int("c", 3), slog.Int("d", 4), slog.Int("e", 5), slog.Int("f", 6))
	if err := h.Handle(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := plain.Handle(ctx, r); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b.Bytes(), []byte("req-3")) {
		t.Errorf("the wrapped handler changed the caller's record: %s", b.Bytes())
	}
	if !bytes.Contains(a.Bytes(), []byte(`"request_id":"req-3"`)) {
		t.Errorf("no request id: %s", a.Bytes())
	}
}
