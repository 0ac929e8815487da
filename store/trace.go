package store

import (
	"context"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/yurong/yurong/tracing"
)

var tracer = tracing.Tracer("github.com/yurong/yurong/store")

// dbSystem is the OpenTelemetry name of each backend.
var dbSystem = map[string]string{SQLite: "sqlite", Postgres: "postgresql"}

// startSpan opens the span of one statement under the request's span,
// named for its operation and table ("SELECT enterprises"). The statement
// text, and so any literal in it, and the arguments stay out of the span.
func (c conn) startSpan(ctx context.Context, query string) (context.Context, trace.Span) {
	if !tracing.Sampled(ctx) {
		return ctx, trace.SpanFromContext(context.Background()) // the no-op span
	}
	op, table := statementSummary(query)
	name := op
	attrs := []attribute.KeyValue{
		// db.system.name is the current convention; db.system the name most
		// backends still group by.
		attribute.String("db.system.name", dbSystem[c.backend]),
		attribute.String("db.system", dbSystem[c.backend]),
		attribute.String("db.operation.name", op),
	}
	if table != "" {
		name += " " + table
		attrs = append(attrs, attribute.String("db.collection.name", table))
	}
	return tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
}

// endSpan ends a statement's span, failed when err is.
func endSpan(span trace.Span, err error) {
	if err != nil {
		span.SetStatus(codes.Error, "statement failed")
	}
	span.End()
}

// statementSummary returns a statement's first keyword, upper-cased, and
// the table it reads or writes when one follows FROM, INTO or UPDATE.
func statementSummary(query string) (op, table string) {
	words := strings.Fields(query)
	if len(words) == 0 {
		return "", ""
	}
	op = strings.ToUpper(words[0])
	after := map[string]string{"SELECT": "FROM", "DELETE": "FROM", "INSERT": "INTO", "UPDATE": "UPDATE", "WITH": "FROM"}[op]
	if after == "" {
		return op, ""
	}
	for i := 0; i < len(words)-1; i++ { // from 0: UPDATE's table follows it
		if !strings.EqualFold(words[i], after) {
			continue
		}
		if t := tableName(words[i+1]); t != "" {
			return op, t
		}
	}
	return op, ""
}

// tableName is w when it is a plain identifier (not a subquery or a
// placeholder), stripped of quotes and a trailing punctuation.
func tableName(w string) string {
	w = strings.Trim(w, `"`+"`")
	w = strings.TrimRight(w, ",;()")
	if w == "" {
		return ""
	}
	for _, c := range []byte(w) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.'
		if !ok {
			return ""
		}
	}
	return w
}
