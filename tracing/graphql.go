package tracing

import (
	"context"
	"errors"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

const graphqlScope = "github.com/yurong/yurong/tracing/graphql"

// GraphQL is the gqlgen extension that opens a span per operation, named
// "query enterprises" after its type and the client's operation name, and
// under it a span per field that runs a resolver ("Query.enterprises",
// "Enterprise.pairings"): the fields that read the engine, the store or
// the search index, not the plain fields of a struct. Register it first,
// so it is the outermost interceptor and its span parents every later
// extension's work (cached reads, access control). Variables and
// arguments are never recorded.
type GraphQL struct {
	// Provider is where the spans go; nil means the global provider.
	Provider trace.TracerProvider
}

var (
	_ graphql.HandlerExtension     = GraphQL{}
	_ graphql.OperationInterceptor = GraphQL{}
	_ graphql.FieldInterceptor     = GraphQL{}
)

// ExtensionName implements graphql.HandlerExtension.
func (GraphQL) ExtensionName() string { return "Tracing" }

// Validate implements graphql.HandlerExtension.
func (GraphQL) Validate(graphql.ExecutableSchema) error { return nil }

// graphqlTracer is the extension's tracer on the global provider, taken
// once: a provider's Tracer takes a lock.
var graphqlTracer = Tracer(graphqlScope)

func (g GraphQL) tracer() trace.Tracer {
	if g.Provider != nil {
		return ChildSpans(g.Provider).Tracer(graphqlScope)
	}
	return graphqlTracer
}

// InterceptOperation implements graphql.OperationInterceptor. The span
// starts when the operation did (parsing and validation included) and ends
// with the response, or for a subscription with its last event.
func (g GraphQL) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if !Sampled(ctx) || !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	oc := graphql.GetOperationContext(ctx)
	typ, opName := "unknown", oc.OperationName
	if oc.Operation != nil {
		typ = string(oc.Operation.Operation)
		if oc.Operation.Name != "" {
			opName = oc.Operation.Name
		}
	}
	name := typ
	attrs := []attribute.KeyValue{attribute.String("graphql.operation.type", typ)}
	if opName != "" {
		name += " " + opName
		attrs = append(attrs, attribute.String("graphql.operation.name", opName))
	}
	opts := []trace.SpanStartOption{trace.WithAttributes(attrs...)}
	if !oc.Stats.OperationStart.IsZero() {
		opts = append(opts, trace.WithTimestamp(oc.Stats.OperationStart))
	}
	ctx, span := g.tracer().Start(ctx, name, opts...)
	responses := next(ctx)
	subscription := typ == string(ast.Subscription)
	return func(ctx context.Context) *graphql.Response {
		resp := responses(ctx)
		if resp == nil {
			span.End()
			return nil
		}
		recordErrors(span, resp.Errors)
		if !subscription {
			span.End()
		}
		return resp
	}
}

// InterceptField implements graphql.FieldInterceptor.
func (g GraphQL) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	if !Sampled(ctx) {
		return next(ctx)
	}
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !fc.IsResolver || strings.HasPrefix(fc.Field.Name, "__") {
		return next(ctx)
	}
	ctx, span := g.tracer().Start(ctx, fc.Object+"."+fc.Field.Name, trace.WithAttributes(
		attribute.String("graphql.field.path", fc.Path().String()),
	))
	defer span.End()
	res, err := next(ctx)
	if err != nil {
		span.SetStatus(codes.Error, errorCode(err))
	}
	return res, err
}

// recordErrors marks the span failed with the errors' codes: the messages,
// which may quote what a user sent, stay out.
func recordErrors(span trace.Span, errs gqlerror.List) {
	if len(errs) == 0 {
		return
	}
	codeList := make([]string, 0, len(errs))
	for _, e := range errs {
		codeList = append(codeList, errorCode(e))
	}
	span.SetAttributes(attribute.StringSlice("graphql.error.codes", codeList))
	span.SetStatus(codes.Error, codeList[0])
}

// errorCode is the extensions.code of a GraphQL error, "ERROR" for any
// other error or one without a code.
func errorCode(err error) string {
	var gerr *gqlerror.Error
	if errors.As(err, &gerr) {
		if code, ok := gerr.Extensions["code"].(string); ok && code != "" {
			return code
		}
	}
	return "ERROR"
}
