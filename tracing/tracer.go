package tracing

import (
	"context"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/embedded"
)

// Tracer returns the tracer of the instrumentation scope name (a package
// path) on the global provider, opening child spans only: see
// [ChildSpans]. Tracers taken before [Setup] follow the provider it
// installs.
func Tracer(name string) trace.Tracer {
	return ChildSpans(otel.GetTracerProvider()).Tracer(name)
}

// ChildSpans wraps tp so that its tracers open a span only inside a
// sampled trace, under a span of this process or a caller's: a store statement, a Redis command or a search belongs to
// the request that made it, and the background work (the change feed, the
// indexer, the Redis health probe) would otherwise start a trace every few
// hundred milliseconds. Without a sampled parent, Start returns ctx and a
// no-op span, allocating nothing. The parent may have ended: gqlgen resolves
// a field's children after its resolver (and its span) returned.
func ChildSpans(tp trace.TracerProvider) trace.TracerProvider {
	return childProvider{tp: tp}
}

type childProvider struct {
	embedded.TracerProvider
	tp trace.TracerProvider
}

func (p childProvider) Tracer(name string, opts ...trace.TracerOption) trace.Tracer {
	return childTracer{t: p.tp.Tracer(name, opts...)}
}

type childTracer struct {
	embedded.Tracer
	t trace.Tracer
}

// none is the no-op span, made once so Start does not allocate one.
var none = trace.SpanFromContext(context.Background())

func (c childTracer) Start(ctx context.Context, name string, opts ...trace.SpanStartOption) (context.Context, trace.Span) {
	if !Sampled(ctx) {
		return ctx, none
	}
	return c.t.Start(ctx, name, opts...)
}

// Sampled reports whether ctx is inside a sampled trace, where a child
// span is kept, so a caller can skip the work of naming a span nobody
// will see.
func Sampled(ctx context.Context) bool {
	return trace.SpanContextFromContext(ctx).IsSampled()
}
