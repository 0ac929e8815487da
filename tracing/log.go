package tracing

import (
	"context"
	"log/slog"

	"go.opentelemetry.io/otel/trace"
)

// LogHandler wraps h so that every record logged with a request's context
// carries request_id, and trace_id and span_id inside a sampled trace, so
// a log line leads to its request and its trace. Records logged without
// such a context pass through unchanged. The attributes join the record's
// own, inside any group opened with WithGroup.
func LogHandler(h slog.Handler) slog.Handler { return logHandler{h} }

type logHandler struct{ next slog.Handler }

func (h logHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

func (h logHandler) Handle(ctx context.Context, r slog.Record) error {
	if ctx == nil {
		return h.next.Handle(ctx, r)
	}
	id := RequestID(ctx)
	sc := trace.SpanContextFromContext(ctx)
	sampled := sc.IsSampled()
	if id == "" && !sampled {
		return h.next.Handle(ctx, r)
	}
	r = r.Clone() // the caller's record may share its attributes
	if id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	if sampled {
		r.AddAttrs(slog.String("trace_id", sc.TraceID().String()), slog.String("span_id", sc.SpanID().String()))
	}
	return h.next.Handle(ctx, r)
}

func (h logHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return logHandler{h.next.WithAttrs(attrs)}
}

func (h logHandler) WithGroup(name string) slog.Handler {
	return logHandler{h.next.WithGroup(name)}
}
