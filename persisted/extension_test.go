package persisted

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/testserver"
	"github.com/99designs/gqlgen/graphql/handler/transport"
)

// gqlResponse is a GraphQL response as a client reads it.
type gqlResponse struct {
	Status int
	Header http.Header
	Data   map[string]any `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
	Extensions map[string]any `json:"extensions"`
}

func (r gqlResponse) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	code, _ := r.Errors[0].Extensions["code"].(string)
	return code
}

// apqServer is a small gqlgen server (gqlgen's test schema: name,
// find(id)) with GET and POST and the persisted-query extension.
func apqServer(p Queries) http.Handler {
	srv := testserver.New()
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.Use(p)
	return srv
}

func persisted(hash string) map[string]any {
	return map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}
}

func post(t *testing.T, h http.Handler, body map[string]any) gqlResponse {
	t.Helper()
	b, _ := json.Marshal(body)
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	return serve(t, h, req)
}

func get(t *testing.T, h http.Handler, params map[string]any) gqlResponse {
	t.Helper()
	q := url.Values{}
	for k, v := range params {
		if s, ok := v.(string); ok {
			q.Set(k, s)
		} else {
			b, _ := json.Marshal(v)
			q.Set(k, string(b))
		}
	}
	return serve(t, h, httptest.NewRequest(http.MethodGet, "/graphql?"+q.Encode(), nil))
}

func serve(t *testing.T, h http.Handler, req *http.Request) gqlResponse {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var r gqlResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		t.Fatalf("response %q: %v", rec.Body.String(), err)
	}
	r.Status, r.Header = rec.Code, rec.Header()
	return r
}

func TestPersistedQueriesProtocol(t *testing.T) {
	const query = "query Q { name }"
	hash := Hash(query)

	forEachStore(t, func(t *testing.T, v variant) {
		a := apqServer(Queries{Cache: v.open(t, 24*time.Hour)})
		b := a
		if v.shared {
			b = apqServer(Queries{Cache: v.open(t, 24*time.Hour)}) // a second instance
		}

		steps := []struct {
			name     string
			server   http.Handler
			send     func(h http.Handler) gqlResponse
			wantCode string
		}{
			{"an unknown hash is PERSISTED_QUERY_NOT_FOUND", a, func(h http.Handler) gqlResponse {
				return post(t, h, map[string]any{"extensions": persisted(hash)})
			}, CodeNotFound},
			{"the query sent with its hash runs and registers it", a, func(h http.Handler) gqlResponse {
				return post(t, h, map[string]any{"query": query, "extensions": persisted(hash)})
			}, ""},
			{"the hash alone then runs over POST, on a second instance with Redis", b, func(h http.Handler) gqlResponse {
				return post(t, h, map[string]any{"extensions": persisted(hash)})
			}, ""},
			{"and over GET", b, func(h http.Handler) gqlResponse {
				return get(t, h, map[string]any{"extensions": persisted(hash)})
			}, ""},
			{"a hash that is not the query's is refused", a, func(h http.Handler) gqlResponse {
				return post(t, h, map[string]any{"query": "{ name }", "extensions": persisted(hash)})
			}, CodeBadUserInput},
			{"a version other than 1 is refused", a, func(h http.Handler) gqlResponse {
				return post(t, h, map[string]any{"extensions": map[string]any{"persistedQuery": map[string]any{"version": 2, "sha256Hash": hash}}})
			}, CodeBadUserInput},
			{"a malformed hash is refused", a, func(h http.Handler) gqlResponse {
				return post(t, h, map[string]any{"extensions": persisted("../../etc")})
			}, CodeBadUserInput},
			{"a plain query still runs", a, func(h http.Handler) gqlResponse {
				return post(t, h, map[string]any{"query": "{ name }"})
			}, ""},
		}
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) {
				r := s.send(s.server)
				if got := r.code(); got != s.wantCode {
					t.Fatalf("code = %q, want %q (errors %+v)", got, s.wantCode, r.Errors)
				}
				if s.wantCode == "" && r.Data["name"] != "test" {
					t.Errorf("data = %v, want name: test", r.Data)
				}
				if s.wantCode == CodeNotFound && r.Errors[0].Message != "PersistedQueryNotFound" {
					t.Errorf("message = %q; Apollo clients look for PersistedQueryNotFound", r.Errors[0].Message)
				}
			})
		}
	})
}

func TestPersistedQueriesAllowList(t *testing.T) {
	const listed, other = "query Listed { name }", "query Other { name }"
	forEachStore(t, func(t *testing.T, v variant) {
		store := v.open(t, 24*time.Hour)
		h := apqServer(Queries{Cache: store, AllowList: NewAllowList(listed)})

		cases := []struct {
			name     string
			body     map[string]any
			wantCode string
		}{
			{"a listed hash runs", map[string]any{"extensions": persisted(Hash(listed))}, ""},
			{"a listed query sent in full runs", map[string]any{"query": listed}, ""},
			{"a listed query sent with its hash runs", map[string]any{"query": listed, "extensions": persisted(Hash(listed))}, ""},
			{"an unlisted hash is not allowed", map[string]any{"extensions": persisted(Hash(other))}, CodeNotAllowed},
			{"an unlisted query is not allowed", map[string]any{"query": other}, CodeNotAllowed},
			{"an unlisted query sent with its hash is not allowed", map[string]any{"query": other, "extensions": persisted(Hash(other))}, CodeNotAllowed},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := post(t, h, c.body)
				if got := r.code(); got != c.wantCode {
					t.Fatalf("code = %q, want %q (errors %+v)", got, c.wantCode, r.Errors)
				}
			})
		}
		t.Run("nothing is registered", func(t *testing.T) {
			if _, ok := store.Get(context.Background(), Hash(other)); ok {
				t.Error("an unlisted query was registered in the APQ store")
			}
		})
	})
}

func TestLoadAllowList(t *testing.T) {
	const q1, q2 = "query A { name }", "query B { find(id: 1) }"
	write := func(t *testing.T, name, content string) string {
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	mapJSON, _ := json.Marshal(map[string]string{Hash(q1): q1, Hash(q2): q2})
	manifest, _ := json.Marshal(map[string]any{
		"format": "apollo-persisted-query-manifest", "version": 1,
		"operations": []map[string]string{{"id": Hash(q1), "name": "A", "type": "query", "body": q1}, {"id": Hash(q2), "name": "B", "type": "query", "body": q2}},
	})

	t.Run("a directory of .graphql files, each hashed without surrounding space", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "a.graphql"), []byte(q1+"\n"), 0o600)
		os.MkdirAll(filepath.Join(dir, "sub"), 0o700)
		os.WriteFile(filepath.Join(dir, "sub", "b.gql"), []byte("\n"+q2+"\n"), 0o600)
		os.WriteFile(filepath.Join(dir, "README.md"), []byte("not an operation"), 0o600)
		checkAllowList(t, dir, q1, q2)
	})
	t.Run("a JSON object of hash to query", func(t *testing.T) {
		checkAllowList(t, write(t, "ops.json", string(mapJSON)), q1, q2)
	})
	t.Run("an Apollo persisted-query manifest", func(t *testing.T) {
		checkAllowList(t, write(t, "manifest.json", string(manifest)), q1, q2)
	})
	t.Run("a hash that is not its query's is an error", func(t *testing.T) {
		bad, _ := json.Marshal(map[string]string{Hash(q1): q2})
		_, err := LoadAllowList(write(t, "bad.json", string(bad)))
		if !errors.Is(err, ErrHashMismatch) {
			t.Errorf("err = %v, want ErrHashMismatch", err)
		}
	})
	t.Run("a missing file is an error", func(t *testing.T) {
		if _, err := LoadAllowList(filepath.Join(t.TempDir(), "none.json")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("err = %v, want os.ErrNotExist", err)
		}
	})
}

func checkAllowList(t *testing.T, path string, queries ...string) {
	t.Helper()
	a, err := LoadAllowList(path)
	if err != nil {
		t.Fatalf("LoadAllowList: %v", err)
	}
	if a.Len() != len(queries) {
		t.Errorf("Len = %d, want %d", a.Len(), len(queries))
	}
	for _, q := range queries {
		if got, ok := a.Query(Hash(q)); !ok || got != q {
			t.Errorf("Query(hash of %q) = %q, %v", q, got, ok)
		}
	}
}
