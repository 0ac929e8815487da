// Package metrics owns the service's Prometheus metrics and the gqlgen
// extension that records each GraphQL operation. Metrics are the one
// package-level state the service keeps.
package metrics

import (
	"context"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	operations = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "yurong_graphql_operations_total",
		Help: "GraphQL operations by operation name, type and outcome.",
	}, []string{"operation", "type", "outcome"})
	latency = promauto.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "yurong_graphql_operation_duration_seconds",
		Help:    "GraphQL operation latency by operation name and type.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"operation", "type"})
)

// maxOperationNames bounds the label cardinality: operation names are chosen
// by clients, so past this many distinct names the rest count as "other".
const maxOperationNames = 200

// Tracer is a gqlgen extension counting and timing operations.
type Tracer struct {
	mu    sync.Mutex
	names map[string]bool
}

var (
	_ graphql.HandlerExtension    = (*Tracer)(nil)
	_ graphql.ResponseInterceptor = (*Tracer)(nil)
)

// NewTracer returns an operation tracer.
func NewTracer() *Tracer { return &Tracer{names: map[string]bool{}} }

// ExtensionName implements graphql.HandlerExtension.
func (t *Tracer) ExtensionName() string { return "Metrics" }

// Validate implements graphql.HandlerExtension.
func (t *Tracer) Validate(graphql.ExecutableSchema) error { return nil }

func (t *Tracer) label(name string) string {
	if name == "" {
		return "anonymous"
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.names[name] {
		return name
	}
	if len(t.names) >= maxOperationNames {
		return "other"
	}
	t.names[name] = true
	return name
}

// InterceptResponse implements graphql.ResponseInterceptor.
func (t *Tracer) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	oc := graphql.GetOperationContext(ctx)
	start := time.Now()
	resp := next(ctx)
	name, typ := t.label(oc.OperationName), "unknown"
	if oc.Operation != nil {
		typ = string(oc.Operation.Operation)
	}
	outcome := "ok"
	if resp == nil || len(resp.Errors) > 0 {
		outcome = "error"
	}
	operations.WithLabelValues(name, typ, outcome).Inc()
	latency.WithLabelValues(name, typ).Observe(time.Since(start).Seconds())
	return resp
}
