package tracing

import (
	"context"
	"fmt"
	"os"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// DefaultServiceName is service.name when OTEL_SERVICE_NAME does not name
// one.
const DefaultServiceName = "yurong"

// Enabled reports whether the environment asks for traces: an OTLP
// endpoint is set and the SDK is not disabled. The OTEL_* variables are
// the OpenTelemetry specification's, read by the SDK and the exporter
// themselves; getenv is os.Getenv outside tests.
func Enabled(getenv func(string) string) bool {
	if getenv("OTEL_SDK_DISABLED") == "true" {
		return false
	}
	return getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != ""
}

// Setup installs the global tracer provider and the W3C trace-context
// propagator when [Enabled], and returns the function that flushes and
// stops the provider on exit. Otherwise it installs nothing: the global
// provider stays the API's no-op, and shutdown does nothing.
//
// The exporter sends OTLP over HTTP to OTEL_EXPORTER_OTLP_ENDPOINT with
// OTEL_EXPORTER_OTLP_HEADERS, and the sampler is OTEL_TRACES_SAMPLER
// (parentbased_always_on by default): both are read by the SDK.
func Setup(ctx context.Context) (shutdown func(context.Context) error, err error) {
	if !Enabled(os.Getenv) {
		return func(context.Context) error { return nil }, nil
	}
	tp, err := NewProvider(ctx)
	if err != nil {
		return nil, err
	}
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.TraceContext{})
	return tp.Shutdown, nil
}

// NewProvider returns a tracer provider batching spans to the OTLP/HTTP
// exporter, with service.name from OTEL_SERVICE_NAME (or
// OTEL_RESOURCE_ATTRIBUTES), [DefaultServiceName] otherwise. It installs
// nothing.
func NewProvider(ctx context.Context) (*sdktrace.TracerProvider, error) {
	exp, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("tracing: OTLP exporter: %w", err)
	}
	// Later options win: the environment's service name over the default.
	res, err := resource.New(ctx,
		resource.WithAttributes(semconv.ServiceName(DefaultServiceName)),
		resource.WithTelemetrySDK(),
		resource.WithFromEnv(),
	)
	if err != nil {
		return nil, fmt.Errorf("tracing: resource: %w", err)
	}
	return sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res)), nil
}
