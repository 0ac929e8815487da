package search

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/yurong/yurong/tracing"
)

var tracer = tracing.Tracer("github.com/yurong/yurong/search")

// Traced wraps e so that each of its operations opens a span ("search
// Search", "search Index") under the request's span, with the engine's
// name and the sizes of what went in and came out. The text searched for
// is what a user typed, and stays out.
func Traced(e Engine) Engine { return tracedEngine{e} }

type tracedEngine struct{ Engine }

func (t tracedEngine) start(ctx context.Context, op string, attrs ...attribute.KeyValue) (context.Context, trace.Span) {
	if !tracing.Sampled(ctx) {
		return ctx, trace.SpanFromContext(context.Background()) // the no-op span
	}
	attrs = append(attrs, attribute.String("search.engine", t.Name()), attribute.String("search.operation", op))
	return tracer.Start(ctx, "search "+op, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
}

func end(span trace.Span, err error) {
	if err != nil {
		span.SetStatus(codes.Error, "search operation failed")
	}
	span.End()
}

func (t tracedEngine) Index(ctx context.Context, docs []Document) error {
	ctx, span := t.start(ctx, "Index", attribute.Int("search.documents", len(docs)))
	err := t.Engine.Index(ctx, docs)
	end(span, err)
	return err
}

func (t tracedEngine) Delete(ctx context.Context, ids []string) error {
	ctx, span := t.start(ctx, "Delete", attribute.Int("search.documents", len(ids)))
	err := t.Engine.Delete(ctx, ids)
	end(span, err)
	return err
}

func (t tracedEngine) DeletePairings(ctx context.Context, sels ...PairingSelector) error {
	ctx, span := t.start(ctx, "DeletePairings", attribute.Int("search.selectors", len(sels)))
	err := t.Engine.DeletePairings(ctx, sels...)
	end(span, err)
	return err
}

func (t tracedEngine) Search(ctx context.Context, q Query) (Result, error) {
	ctx, span := t.start(ctx, "Search", attribute.Int("search.first", q.First), attribute.Int("search.types", len(q.Types)))
	res, err := t.Engine.Search(ctx, q)
	span.SetAttributes(attribute.Int("search.hits", len(res.Hits)))
	end(span, err)
	return res, err
}

func (t tracedEngine) Pairings(ctx context.Context, q PairingQuery) (PairingPage, error) {
	ctx, span := t.start(ctx, "Pairings", attribute.Int("search.first", q.First), attribute.Bool("search.text", q.Text != ""))
	page, err := t.Engine.Pairings(ctx, q)
	span.SetAttributes(attribute.Int("search.hits", len(page.Hits)))
	end(span, err)
	return page, err
}

func (t tracedEngine) Rebuild(ctx context.Context) (Rebuild, error) {
	ctx, span := t.start(ctx, "Rebuild")
	r, err := t.Engine.Rebuild(ctx)
	end(span, err)
	if err != nil {
		return nil, err
	}
	return tracedRebuild{Rebuild: r, e: t}, nil
}

func (t tracedEngine) Ping(ctx context.Context) error {
	ctx, span := t.start(ctx, "Ping")
	err := t.Engine.Ping(ctx)
	end(span, err)
	return err
}

func (t tracedEngine) Stats(ctx context.Context) (Stats, error) {
	ctx, span := t.start(ctx, "Stats")
	st, err := t.Engine.Stats(ctx)
	end(span, err)
	return st, err
}

// tracedRebuild traces the writes of a rebuild and its commit.
type tracedRebuild struct {
	Rebuild
	e tracedEngine
}

func (r tracedRebuild) Index(ctx context.Context, docs []Document) error {
	ctx, span := r.e.start(ctx, "Rebuild.Index", attribute.Int("search.documents", len(docs)))
	err := r.Rebuild.Index(ctx, docs)
	end(span, err)
	return err
}

func (r tracedRebuild) Commit(ctx context.Context) error {
	ctx, span := r.e.start(ctx, "Rebuild.Commit")
	err := r.Rebuild.Commit(ctx)
	end(span, err)
	return err
}

func (r tracedRebuild) Abort(ctx context.Context) error {
	ctx, span := r.e.start(ctx, "Rebuild.Abort")
	err := r.Rebuild.Abort(ctx)
	end(span, err)
	return err
}
