package gqlpost

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// echoSchema answers `{ echo(s) }` with s written as raw as JSON allows (no
// HTML escaping), an extension, and an error when s is "fail": data that
// encoding/json would change if it re-encoded it.
type echoSchema struct{ schema *ast.Schema }

func newEchoSchema() echoSchema {
	return echoSchema{gqlparser.MustLoadSchema(&ast.Source{Input: `type Query { echo(s: String!): String }`})}
}

func (e echoSchema) Schema() *ast.Schema { return e.schema }

func (echoSchema) Complexity(context.Context, string, string, int, map[string]any) (int, bool) {
	return 0, false
}

func (echoSchema) Exec(ctx context.Context) graphql.ResponseHandler {
	return graphql.OneShot(func() *graphql.Response {
		oc := graphql.GetOperationContext(ctx)
		s := oc.Variables["s"].(string)
		var data bytes.Buffer
		enc := json.NewEncoder(&data)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(map[string]string{"echo": s}); err != nil {
			panic(err)
		}
		resp := &graphql.Response{Data: bytes.TrimSpace(data.Bytes()), Extensions: map[string]any{"cost": 3, "note": "<&>"}}
		if s == "fail" {
			resp.Errors = gqlerror.List{{Message: "echo <failed> & stopped", Path: ast.Path{ast.PathName("echo")}}}
			resp.Data = []byte(`{"echo":null}`)
		}
		return resp
	}())
}

// TestResponsesAreTransportPOSTs: for every kind of request — answered,
// answered with an error, refused before running, undecodable — the status,
// the content type and the body are byte for byte those of gqlgen's
// transport.POST on the same executor.
func TestResponsesAreTransportPOSTs(t *testing.T) {
	serve := func(tr graphql.Transport) *handler.Server {
		srv := handler.New(newEchoSchema())
		srv.AddTransport(tr)
		return srv
	}
	theirs, ours := serve(transport.POST{}), serve(Transport{})
	const echo = `query($s: String!) { echo(s: $s) }`
	body := func(s string) string {
		b, _ := json.Marshal(map[string]any{"query": echo, "variables": map[string]any{"s": s}})
		return string(b)
	}
	for _, c := range []struct {
		name, accept, body string
	}{
		{"plain text", "", body("hello")},
		{"Chinese and punctuation that HTML escaping changes", "", body("豫科积分 <b>a & b</b> \u2028 \u2029 “引号”…")},
		{"a field error beside the data", "", body("fail")},
		{"a syntax error", "", `{"query":"{ echo("}`},
		{"a validation error", "", `{"query":"{ nope }"}`},
		{"a syntax error, graphql-response+json", "application/graphql-response+json", `{"query":"{ echo("}`},
		{"accepting anything", "*/*", body("x")},
		{"accepting an unknown type only", "text/html", body("x")},
		{"application/json after graphql-response+json", "application/graphql-response+json, application/json", body("x")},
		{"a body that is not JSON", "", `{"query":`},
	} {
		t.Run(c.name, func(t *testing.T) {
			do := func(h http.Handler) *httptest.ResponseRecorder {
				req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(c.body))
				req.Header.Set("Content-Type", "application/json; charset=utf-8")
				if c.accept != "" {
					req.Header.Set("Accept", c.accept)
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				return rec
			}
			want, got := do(theirs), do(ours)
			if got.Code != want.Code {
				t.Errorf("status %d, transport.POST %d", got.Code, want.Code)
			}
			if g, w := got.Header().Get("Content-Type"), want.Header().Get("Content-Type"); g != w {
				t.Errorf("content type %q, transport.POST %q", g, w)
			}
			if !bytes.Equal(got.Body.Bytes(), want.Body.Bytes()) {
				t.Errorf("body\n%s\ntransport.POST\n%s", got.Body, want.Body)
			}
		})
	}
}

func TestSupportsJSONPostsOnly(t *testing.T) {
	for _, c := range []struct {
		method, contentType, upgrade string
		want                         bool
	}{
		{http.MethodPost, "application/json", "", true},
		{http.MethodPost, "application/json; charset=utf-8", "", true},
		{http.MethodGet, "application/json", "", false},
		{http.MethodPost, "text/plain", "", false},
		{http.MethodPost, "", "", false},
		{http.MethodPost, "application/json", "websocket", false},
	} {
		req := httptest.NewRequest(c.method, "/graphql", nil)
		req.Header.Set("Content-Type", c.contentType)
		if c.upgrade != "" {
			req.Header.Set("Upgrade", c.upgrade)
		}
		if got := (Transport{}).Supports(req); got != c.want {
			t.Errorf("%s %q upgrade %q: supported %v, want %v", c.method, c.contentType, c.upgrade, got, c.want)
		}
	}
}
