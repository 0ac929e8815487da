// Package tracing owns the service's OpenTelemetry traces and the request
// id every log line of a request carries.
//
// [Setup] installs the tracer provider from the environment: with
// OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) set,
// spans go to that collector over OTLP/HTTP; without it nothing is
// installed and every span is the API's no-op. [HTTP] makes the request id
// and the server span of each request, [GraphQL] the span of each
// operation and of the resolvers under it, and [Tracer] the spans the
// store, Redis and the search engine open: only inside a sampled trace,
// so background work and untraced requests cost a context lookup.
// [LogHandler] adds the request id, and the trace and span ids, to every
// record logged with a request's context.
//
// Spans carry names, kinds and sizes, never values: an enterprise's
// figures, a token or a search text appear in no attribute.
//
// It must not import any project package: every layer may open spans.
package tracing
