package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/yurong/yurong/ratelimit"
)

// BenchmarkReadPath is one GraphQL request through the whole handler on the
// 2,000-enterprise demo, response cache off and the rate limit out of the
// way: the server's ceiling ({ __typename }) beside an enterprise's ten best
// matches with their scores, and with their reasons and resources too
// (issue 16). Each request reads another enterprise, anonymously, as
// bench/matches_reasons.lua does over HTTP.
func BenchmarkReadPath(b *testing.B) {
	const size = 2000
	cfg := Config{DataDir: b.TempDir(), AdminToken: testToken, Demo: true, DemoSize: size, NoResponseCache: true}
	cfg.Cache.Rate = ratelimit.Rate{Limit: 1 << 40, PerSecond: 1 << 40} // measure the request, not the limit
	a, err := newApp(context.Background(), cfg, slog.New(slog.DiscardHandler), testNow)
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	<-a.indexReady // the search index is filled in the background: not during the runs
	h := a.Handler()
	ids := make([]string, size)
	for i := range ids {
		ids[i] = base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("Enterprise:%d", i+1)))
	}
	matches := func(fields string) func(int) string {
		return func(n int) string {
			return `{"query":"query($id: ID!) { node(id: $id) { ... on Enterprise { matches(first: 10) { ` + fields +
				` } } } }","variables":{"id":"` + ids[n%size] + `"}}`
		}
	}
	for _, c := range []struct {
		name string
		body func(int) string
	}{
		{"typename", func(int) string { return `{"query":"{ __typename }"}` }},
		{"scores", matches("score eligible")},
		{"reasons", matches("score eligible reasons { factor contribution } resource { __typename }")},
		{"messages", matches("score eligible reasons { factor contribution message } blockers resource { __typename }")},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := cpuTime()
			n := 0
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(c.body(n)))
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
					b.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
				n++
			}
			b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/float64(b.N), "cpu-µs/op")
		})
	}
}
