package tracing

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace/noop"
	collector "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
)

func TestEnabled(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want bool
	}{
		{"nothing set", nil, false},
		{"an endpoint", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, true},
		{"a traces endpoint", map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"}, true},
		{"an endpoint but the SDK disabled", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318", "OTEL_SDK_DISABLED": "true"}, false},
		{"a service name alone", map[string]string{"OTEL_SERVICE_NAME": "yurong-a"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Enabled(func(k string) string { return tt.env[k] }); got != tt.want {
				t.Errorf("Enabled = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSetupWithoutAnEndpointInstallsNothing(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "")
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "")
	before := otel.GetTracerProvider()
	shutdown, err := Setup(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := shutdown(context.Background()); err != nil {
		t.Errorf("shutdown: %v", err)
	}
	if got := otel.GetTracerProvider(); got != before {
		t.Errorf("the global provider changed to %T", got)
	}
	if _, sdk := otel.GetTracerProvider().(*sdktrace.TracerProvider); sdk {
		t.Error("an SDK provider is installed")
	}
	_, span := otel.Tracer("test").Start(context.Background(), "nothing")
	if span.IsRecording() || span.SpanContext().IsValid() {
		t.Error("a span records without a provider")
	}
	if len(otel.GetTextMapPropagator().Fields()) != 0 {
		t.Errorf("a propagator is installed: %v", otel.GetTextMapPropagator().Fields())
	}
}

// otlpCollector is an OTLP/HTTP endpoint keeping what it receives.
type otlpCollector struct {
	mu       sync.Mutex
	requests []*collector.ExportTraceServiceRequest
	paths    []string
}

func (c *otlpCollector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var req collector.ExportTraceServiceRequest
	if err := proto.Unmarshal(body, &req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	c.mu.Lock()
	c.requests = append(c.requests, &req)
	c.paths = append(c.paths, r.URL.Path)
	c.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-protobuf")
	b, _ := proto.Marshal(&collector.ExportTraceServiceResponse{})
	w.Write(b)
}

func TestSetupExportsToTheEndpoint(t *testing.T) {
	tests := []struct {
		name, serviceName, want string
	}{
		{"the default service name", "", DefaultServiceName},
		{"OTEL_SERVICE_NAME", "yurong-staging", "yurong-staging"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			col := &otlpCollector{}
			srv := httptest.NewServer(col)
			defer srv.Close()
			t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", srv.URL)
			t.Setenv("OTEL_SERVICE_NAME", tt.serviceName)
			t.Cleanup(func() {
				otel.SetTracerProvider(noop.NewTracerProvider())
				otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator())
			})
			shutdown, err := Setup(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if _, sdk := otel.GetTracerProvider().(*sdktrace.TracerProvider); !sdk {
				t.Fatalf("global provider %T, want the SDK's", otel.GetTracerProvider())
			}
			if got := otel.GetTextMapPropagator().Fields(); !slices.Equal(got, []string{"traceparent", "tracestate"}) {
				t.Errorf("propagator fields %v, want W3C trace context's", got)
			}
			_, span := otel.Tracer("test").Start(context.Background(), "exported")
			span.End()
			if err := shutdown(context.Background()); err != nil { // flushes
				t.Fatalf("shutdown: %v", err)
			}
			col.mu.Lock()
			defer col.mu.Unlock()
			if len(col.requests) == 0 {
				t.Fatal("the collector received nothing")
			}
			if col.paths[0] != "/v1/traces" {
				t.Errorf("path %q, want /v1/traces", col.paths[0])
			}
			var names []string
			var service string
			for _, req := range col.requests {
				for _, rs := range req.ResourceSpans {
					for _, a := range rs.Resource.Attributes {
						if a.Key == "service.name" {
							service = a.Value.GetStringValue()
						}
					}
					for _, ss := range rs.ScopeSpans {
						for _, s := range ss.Spans {
							names = append(names, s.Name)
						}
					}
				}
			}
			if len(names) != 1 || names[0] != "exported" {
				t.Errorf("spans %q, want [exported]", names)
			}
			if service != tt.want {
				t.Errorf("service.name %q, want %q", service, tt.want)
			}
		})
	}
}
