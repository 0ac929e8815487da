// Package metrics owns the service's Prometheus metrics and the gqlgen
// extension that records each GraphQL operation. Metrics are the one
// package-level state the service keeps.
//
// It must not import any project package.
package metrics

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"github.com/vektah/gqlparser/v2/ast"
)

var (
	operations = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "yurong_graphql_operations_total",
		Help: "GraphQL operations by first root field, type and outcome.",
	}, []string{"operation", "type", "outcome"})
	latency = promauto.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "yurong_graphql_operation_duration_seconds",
		Help:    "GraphQL operation latency by first root field and type.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"operation", "type"})
)

// Tracer is a gqlgen extension counting and timing operations. Operation
// names are the client's to choose, so they are not labels: an operation
// is labelled by its first root field ("enterprises", "createEnterprise"),
// a set the schema bounds.
type Tracer struct{}

var (
	_ graphql.HandlerExtension    = (*Tracer)(nil)
	_ graphql.ResponseInterceptor = (*Tracer)(nil)
)

// NewTracer returns an operation tracer.
func NewTracer() *Tracer { return &Tracer{} }

// ExtensionName implements graphql.HandlerExtension.
func (t *Tracer) ExtensionName() string { return "Metrics" }

// Validate implements graphql.HandlerExtension.
func (t *Tracer) Validate(graphql.ExecutableSchema) error { return nil }

// label names an operation by its first root field; "invalid" when it did
// not parse or validate, "other" when it opens with a fragment.
func label(oc *graphql.OperationContext) string {
	if oc.Operation == nil || len(oc.Operation.SelectionSet) == 0 {
		return "invalid"
	}
	if f, ok := oc.Operation.SelectionSet[0].(*ast.Field); ok {
		return f.Name
	}
	return "other"
}

// InterceptResponse implements graphql.ResponseInterceptor.
func (t *Tracer) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	oc := graphql.GetOperationContext(ctx)
	start := time.Now()
	resp := next(ctx)
	name, typ := label(oc), "unknown"
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
