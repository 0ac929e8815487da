package tracing

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/99designs/gqlgen/graphql"
)

// BenchmarkFieldOff is the resolver interceptor with tracing off: the cost
// every field of every operation pays.
func BenchmarkFieldOff(b *testing.B) {
	ctx := graphql.WithFieldContext(context.Background(), &graphql.FieldContext{Object: "Query", IsResolver: true})
	next := func(context.Context) (any, error) { return nil, nil }
	g := GraphQL{}
	b.ReportAllocs()
	for b.Loop() {
		g.InterceptField(ctx, next)
	}
}

// BenchmarkChildSpanOff is a store statement's, Redis command's or
// search's span with tracing off.
func BenchmarkChildSpanOff(b *testing.B) {
	tr := Tracer("bench")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		_, span := tr.Start(ctx, "SELECT enterprises")
		span.End()
	}
}

// BenchmarkHTTP is the per-request cost of HTTP: the request id, and the
// server span (off: the global no-op provider; on: an SDK provider keeping
// spans in memory, reset as it goes).
func BenchmarkHTTP(b *testing.B) {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /graphql", func(w http.ResponseWriter, r *http.Request) {})
	run := func(b *testing.B, h http.Handler) {
		b.ReportAllocs()
		for b.Loop() {
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/graphql", nil))
		}
	}
	b.Run("bare mux", func(b *testing.B) { run(b, mux) })
	b.Run("tracing off", func(b *testing.B) { run(b, HTTP(mux)) })
}
