package tracing

import (
	"context"
	"testing"
)

func TestChildSpansOnlyUnderARecordingSpan(t *testing.T) {
	tp, exp := memoryProvider()
	child := ChildSpans(tp).Tracer("test")

	_, orphan := child.Start(context.Background(), "orphan")
	orphan.End()
	if orphan.IsRecording() || len(exp.GetSpans()) != 0 {
		t.Fatalf("a span without a parent was recorded: %v", exp.GetSpans())
	}

	ctx, parent := tp.Tracer("test").Start(context.Background(), "request")
	_, kid := child.Start(ctx, "statement")
	kid.End()
	parent.End()
	got := exp.GetSpans()
	if len(got) != 2 || got[0].Name != "statement" {
		t.Fatalf("spans %v, want statement then request", got)
	}
	if got[0].Parent.SpanID() != parent.SpanContext().SpanID() {
		t.Errorf("statement's parent %s, want %s", got[0].Parent.SpanID(), parent.SpanContext().SpanID())
	}
}

func TestChildSpansWithoutAParentAllocateNothing(t *testing.T) {
	tp, _ := memoryProvider()
	child := ChildSpans(tp).Tracer("test")
	ctx := context.Background()
	allocs := testing.AllocsPerRun(100, func() {
		_, span := child.Start(ctx, "orphan")
		span.End()
	})
	if allocs != 0 {
		t.Errorf("%v allocations per orphan span, want 0", allocs)
	}
}
