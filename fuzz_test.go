package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// FuzzGraphQLHandler feeds raw bodies — documents, variables, garbage — to
// the GraphQL handler, anonymous and as the administrator, and holds every
// answer to the rules of a public endpoint: never a 5xx, never an
// INTERNAL_SERVER_ERROR, never a panic, never slower than a second. The
// seeds are the inputs careless and hostile clients were seen sending.
// .ci/run runs it for a minute: go test -run '^$' -fuzz FuzzGraphQLHandler -fuzztime 60s .
func FuzzGraphQLHandler(f *testing.F) {
	seeds := []string{
		`{"query": "{ institutions { id name } }"}`,
		`{"query": "query($c: [City!]) { enterprises(filter: {cities: $c}) { totalCount } }", "variables": {"c": ["zhengzhou"]}}`,
		`{"query": "mutation($i: CreateEnterpriseInput!) { createEnterprise(input: $i) { userErrors { code } } }", "variables": {"i": {"name": "郑州\u0000科技", "creditCode": "91410100MA44AAAA1X", "city": "zhengzhou", "foundedOn": "2024-13-45", "employees": 2147483648, "track": "next_gen_it", "description": "x", "keywords": [], "qualifications": [], "reports": []}}}`,
		`{"query": "{ enterprises(filter: {nameContains: \"` + strings.Repeat("郑", 500) + `\"}) { totalCount } }"}`,
		`{"query": "{ pairings(after: \"garbage\") { totalCount } }"}`,
		`{"query": "{ enterprises(first: 2147483648) { totalCount } }"}`,
		`{"query": "subscription { pairingsChanged { kind } }"}`,
		`{"query": "{ search(query: \"郑州 新材料\") { highlights } }"}`,
		`{"query": "{ node(id: \"RW50ZXJwcmlzZTox\") { id ... on Enterprise { reports { revenue } financingPlan: id } } }"}`,
		`{"query": "{ financingPlan(enterpriseId: \"x\") { summary } }"}`,
		`{"query": "{ institutions { id", "variables": "{}"}`,
		`{"query": 123}`, `[1,2]`, `garbage`, ``, `{"query": "{ __typename }", "variables": "{}"}`,
		`{"query": "` + doublingFragmentsJSON(30) + `"}`,
		`{"query": "{ a: __typename b: __typename c: __typename }", "operationName": "MadeUp"}`,
	}
	for _, s := range seeds {
		f.Add(s, false)
		f.Add(s, true)
	}
	cfg := Config{DataDir: f.TempDir(), AdminToken: testToken, Demo: true, DemoSize: 50}
	a, err := newApp(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), testNow)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { a.Close() })
	h := a.Handler()
	f.Fuzz(func(t *testing.T, body string, admin bool) {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if admin {
			req.Header.Set("Authorization", "Bearer "+testToken)
		}
		rec := httptest.NewRecorder()
		start := time.Now()
		done := make(chan struct{})
		go func() { h.ServeHTTP(rec, req); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("no answer after 5 s for %q", body) // a hang is a finding too
		}
		took := time.Since(start)
		out := rec.Body.String()
		switch {
		case rec.Code >= 500:
			t.Fatalf("status %d for %q: %s", rec.Code, body, out)
		case strings.Contains(out, "INTERNAL_SERVER_ERROR"):
			t.Fatalf("an internal error for %q: %s", body, out)
		case took > time.Second:
			t.Fatalf("%v for %q", took, body)
		case !json.Valid(rec.Body.Bytes()):
			t.Fatalf("not JSON for %q: %s", body, out)
		}
	})
}

// doublingFragmentsJSON is doublingFragments escaped for a JSON string.
func doublingFragmentsJSON(depth int) string {
	b, _ := json.Marshal(doublingFragments(depth))
	return strings.Trim(string(b), `"`)
}
