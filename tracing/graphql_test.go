package tracing

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql/handler/testserver"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"go.opentelemetry.io/otel/codes"
)

// gqlRequest posts query to a test GraphQL server with the extension,
// inside a span when parent is set, and returns the spans recorded.
func gqlRequest(t *testing.T, query string, parent bool) ([]string, []codes.Code, string) {
	t.Helper()
	tp, exp := memoryProvider()
	srv := testserver.New()
	srv.AddTransport(transport.POST{})
	srv.Use(GraphQL{Provider: tp})
	ctx := context.Background()
	var parentID string
	if parent {
		c, s := tp.Tracer("test").Start(ctx, "POST /graphql")
		defer s.End()
		ctx, parentID = c, s.SpanContext().SpanID().String()
	}
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query": `+quote(query)+`}`)).WithContext(ctx)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	var names []string
	var statuses []codes.Code
	for _, s := range exp.GetSpans() {
		if parentID != "" && s.Parent.SpanID().String() != parentID {
			t.Errorf("span %q: parent %s, want %s", s.Name, s.Parent.SpanID(), parentID)
		}
		names = append(names, s.Name)
		statuses = append(statuses, s.Status.Code)
	}
	return names, statuses, rec.Body.String()
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

func TestGraphQLOperationSpans(t *testing.T) {
	tests := []struct {
		name, query string
		parent      bool
		want        []string
		status      codes.Code
	}{
		{"a named query", "query Who { name }", true, []string{"query Who"}, codes.Unset},
		{"an anonymous query", "{ name }", true, []string{"query"}, codes.Unset},
		{"a failing mutation", "mutation Rename { name }", true, []string{"mutation Rename"}, codes.Error},
		{"no span to join", "query Who { name }", false, nil, codes.Unset},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			names, statuses, body := gqlRequest(t, tt.query, tt.parent)
			// The test server resolves name as a plain field: no span.
			if strings.Join(names, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("spans %q, want %q (response %s)", names, tt.want, body)
			}
			if len(statuses) > 0 && statuses[0] != tt.status {
				t.Errorf("status %v, want %v", statuses[0], tt.status)
			}
		})
	}
}
