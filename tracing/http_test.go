package tracing

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

func TestRequestIDs(t *testing.T) {
	generated := regexp.MustCompile(`^[0-9a-f]{32}$`)
	tests := []struct {
		name, sent string
		keep       bool
	}{
		{"none sent", "", false},
		{"a proxy's UUID", "0b8e5a4c-3f0e-4c1a-9d1e-7a2b7f1c2d3e", true},
		{"a proxy's base64url id", "Zm9v_YmFy-1.2", true},
		{"a space", "abc def", false},
		{"a line break", "abc\nlevel=ERROR", false},
		{"a quote", `abc"`, false},
		{"over 64 characters", strings.Repeat("a", 65), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var seen string
			h := HTTP(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = RequestID(r.Context()) }))
			req := httptest.NewRequest(http.MethodGet, "/graphql", nil)
			if tt.sent != "" {
				req.Header[RequestIDHeader] = []string{tt.sent}
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			got := rec.Header().Get(RequestIDHeader)
			if got != seen {
				t.Errorf("response id %q, handler saw %q", got, seen)
			}
			if tt.keep && got != tt.sent {
				t.Errorf("id %q, want the proxy's %q", got, tt.sent)
			}
			if !tt.keep && !generated.MatchString(got) {
				t.Errorf("id %q, want a fresh one", got)
			}
		})
	}
}

func TestHTTPSpans(t *testing.T) {
	_, exp := globalMemoryProvider(t)
	mux := http.NewServeMux()
	ok := func(w http.ResponseWriter, r *http.Request) {}
	mux.HandleFunc("GET /events/{id}/schedule.xlsx", ok)
	mux.HandleFunc("/graphql", ok)
	mux.HandleFunc("GET /healthz", ok)
	h := HTTP(mux)
	tests := []struct {
		method, path, want string // want "": no span
	}{
		{http.MethodGet, "/events/7/schedule.xlsx", "GET /events/{id}/schedule.xlsx"},
		{http.MethodPost, "/graphql", "POST /graphql"},
		{http.MethodGet, "/nowhere", "GET"},
		{http.MethodGet, "/healthz", ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			exp.Reset()
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
			got := exp.GetSpans()
			if tt.want == "" {
				if len(got) != 0 {
					t.Errorf("spans %v for a probe", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("%d spans, want 1", len(got))
			}
			s := got[0]
			if s.Name != tt.want || s.SpanKind != trace.SpanKindServer {
				t.Errorf("span %q of kind %v, want %q of kind server", s.Name, s.SpanKind, tt.want)
			}
			var id string
			for _, kv := range s.Attributes {
				if kv.Key == "yurong.request_id" {
					id = kv.Value.AsString()
				}
			}
			if id == "" || id != rec.Header().Get(RequestIDHeader) {
				t.Errorf("span's request id %q, response's %q", id, rec.Header().Get(RequestIDHeader))
			}
		})
	}
}

func TestHTTPContinuesTheCallersTrace(t *testing.T) {
	_, exp := globalMemoryProvider(t)
	otel.SetTextMapPropagator(propagation.TraceContext{})
	t.Cleanup(func() { otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator()) })
	mux := http.NewServeMux()
	mux.HandleFunc("/graphql", func(w http.ResponseWriter, r *http.Request) {})
	req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
	req.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	HTTP(mux).ServeHTTP(httptest.NewRecorder(), req)
	got := exp.GetSpans()
	if len(got) != 1 {
		t.Fatalf("%d spans, want 1", len(got))
	}
	if tid := got[0].SpanContext.TraceID().String(); tid != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Errorf("trace id %s, want the caller's", tid)
	}
	if pid := got[0].Parent.SpanID().String(); pid != "00f067aa0ba902b7" || !got[0].Parent.IsRemote() {
		t.Errorf("parent %s (remote %v), want the caller's span", pid, got[0].Parent.IsRemote())
	}
}
