package tracing

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// RequestIDHeader carries the request id: taken from the request when a
// proxy in front set a well-formed one, sent back on every response.
const RequestIDHeader = "X-Request-Id"

type requestIDKey struct{}

// WithRequestID returns ctx carrying the request id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID returns the request id ctx carries, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// NewRequestID returns a fresh request id: 16 random bytes in hex.
func NewRequestID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	return hex.EncodeToString(b[:])
}

// validRequestID accepts the ids proxies make (UUIDs, hex, base64url) and
// nothing a log reader could mistake for another field: 1–64 characters
// of [A-Za-z0-9._-].
func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range []byte(id) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-'
		if !ok {
			return false
		}
	}
	return true
}

// untraced are the probes and scrapes that would otherwise open a trace
// every few seconds.
var untraced = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

// HTTP wraps the service's handler: it gives every request an id (in its
// context and the response's [RequestIDHeader]) and a server span, named
// for the route that served it ("POST /graphql", "GET
// /events/{id}/schedule.xlsx") and continuing the caller's W3C trace
// context when tracing is on. next must be, or reach without copying the
// request, the http.ServeMux whose pattern names the span.
func HTTP(next http.Handler) http.Handler {
	traced := otelhttp.NewHandler(tagRequestID(next), "http.server",
		otelhttp.WithSpanNameFormatter(spanName),
		otelhttp.WithFilter(func(r *http.Request) bool { return !untraced[r.URL.Path] }),
	)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(RequestIDHeader)
		if !validRequestID(id) {
			id = NewRequestID()
		}
		w.Header().Set(RequestIDHeader, id)
		r = r.WithContext(WithRequestID(r.Context(), id))
		if !installed() {
			next.ServeHTTP(w, r) // tracing off: otelhttp's wrappers would cost some 40 allocations for nothing
			return
		}
		traced.ServeHTTP(w, r)
	})
}

// installed reports whether an SDK tracer provider is the global one, as
// [Setup] installs it when tracing is on.
func installed() bool {
	_, sdk := otel.GetTracerProvider().(*sdktrace.TracerProvider)
	return sdk
}

// tagRequestID puts the request id on the server span, to find a trace
// from the id a user reports. It passes the request on as it is, so the
// mux's pattern reaches otelhttp.
func tagRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if span := trace.SpanFromContext(r.Context()); span.IsRecording() {
			span.SetAttributes(attribute.String("yurong.request_id", RequestID(r.Context())))
		}
		next.ServeHTTP(w, r)
	})
}

// spanName is "{method} {route}" once the mux has routed the request, the
// method alone before (and for a path no route serves).
func spanName(_ string, r *http.Request) string {
	switch {
	case r.Pattern == "":
		return r.Method
	case strings.Contains(r.Pattern, " "): // the pattern names its method
		return r.Pattern
	}
	return r.Method + " " + r.Pattern
}
