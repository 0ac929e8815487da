package search

import (
	"context"
	"strings"
	"testing"

	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// The decorator keeps the port's contract.
func TestTracedContract(t *testing.T) {
	runContract(t, func(t *testing.T) Engine { return Traced(openBleve(t)) })
}

func TestTracedSpansUnderTheRequest(t *testing.T) {
	// The package's tracer follows the first global provider of the test
	// binary; no other test of the package installs one.
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	otel.SetTracerProvider(tp)

	e := Traced(openBleve(t))
	mustIndex(t, e, chineseCorpus()...) // no request: no span
	if got := exp.GetSpans(); len(got) != 0 {
		t.Fatalf("spans without a request: %v", got)
	}
	ctx, req := tp.Tracer("test").Start(context.Background(), "request")
	res, err := e.Search(ctx, Query{Text: "碳化硅", First: 5})
	if err != nil {
		t.Fatal(err)
	}
	req.End()
	got := exp.GetSpans()
	if len(got) != 2 || got[0].Name != "search Search" {
		t.Fatalf("spans %v, want search Search then request", got)
	}
	s := got[0]
	if s.Parent.SpanID() != req.SpanContext().SpanID() {
		t.Errorf("parent %s, want the request's %s", s.Parent.SpanID(), req.SpanContext().SpanID())
	}
	attrs := map[string]string{}
	for _, kv := range s.Attributes {
		attrs[string(kv.Key)] = kv.Value.Emit()
		if strings.Contains(kv.Value.Emit(), "碳化硅") {
			t.Errorf("attribute %s quotes the search text", kv.Key)
		}
	}
	if attrs["search.engine"] != "bleve" || attrs["search.first"] != "5" || attrs["search.hits"] == "" || attrs["search.hits"] == "0" {
		t.Errorf("attributes %v; want engine bleve, first 5, the hits found (%d)", attrs, len(res.Hits))
	}
}
