package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/yurong/yurong/ratelimit"
	"github.com/yurong/yurong/tracing"
)

// The test binary's tracer provider, installed once: the store's, the
// search engine's and Redis's tracers follow the first provider
// installed. It samples only while a test has switched it on, so the other
// tests record nothing.
var (
	spansOnce   sync.Once
	spans       *tracetest.InMemoryExporter
	spansWanted atomic.Bool
)

// switchSampler records every span while spansWanted is set and none
// otherwise.
type switchSampler struct{}

func (switchSampler) ShouldSample(p sdktrace.SamplingParameters) sdktrace.SamplingResult {
	if !spansWanted.Load() {
		return sdktrace.SamplingResult{Decision: sdktrace.Drop}
	}
	return sdktrace.AlwaysSample().ShouldSample(p)
}

func (switchSampler) Description() string { return "switch" }

// installSpans installs the test binary's provider, once.
func installSpans() {
	spansOnce.Do(func() {
		spans = tracetest.NewInMemoryExporter()
		otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans), sdktrace.WithSampler(switchSampler{})))
	})
}

// recordSpans records every span until the test ends.
func recordSpans(t *testing.T) *tracetest.InMemoryExporter {
	t.Helper()
	installSpans()
	spans.Reset()
	spansWanted.Store(true)
	t.Cleanup(func() { spansWanted.Store(false); spans.Reset() })
	return spans
}

// traceOfRequest waits for the server span of the request with id (it ends
// after the response is sent) and returns every span of its trace.
func traceOfRequest(t *testing.T, exp *tracetest.InMemoryExporter, id string) (server tracetest.SpanStub, all []tracetest.SpanStub) {
	t.Helper()
	eventually(t, 5*time.Second, func() bool {
		for _, s := range exp.GetSpans() {
			if attr(s, "yurong.request_id") == id {
				server = s
				return true
			}
		}
		return false
	})
	for _, s := range exp.GetSpans() {
		if s.SpanContext.TraceID() == server.SpanContext.TraceID() {
			all = append(all, s)
		}
	}
	return server, all
}

func attr(s tracetest.SpanStub, key attribute.Key) string {
	for _, kv := range s.Attributes {
		if kv.Key == key {
			return kv.Value.Emit()
		}
	}
	return ""
}

// span returns the first span named name, failing the test without one.
func span(t *testing.T, all []tracetest.SpanStub, name string) tracetest.SpanStub {
	t.Helper()
	for _, s := range all {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no span %q in %v", name, spanNames(all))
	return tracetest.SpanStub{}
}

func spanNames(all []tracetest.SpanStub) []string {
	var names []string
	for _, s := range all {
		names = append(names, s.Name)
	}
	return names
}

// wantChild fails the test unless child's parent is parent, by span id.
func wantChild(t *testing.T, child, parent tracetest.SpanStub) {
	t.Helper()
	if child.Parent.SpanID() != parent.SpanContext.SpanID() || child.SpanContext.TraceID() != parent.SpanContext.TraceID() {
		t.Errorf("span %q: parent %s, want %q (%s)", child.Name, child.Parent.SpanID(), parent.Name, parent.SpanContext.SpanID())
	}
}

// descends reports whether s is below ancestor, following parent span ids.
func descends(all []tracetest.SpanStub, s, ancestor tracetest.SpanStub) bool {
	byID := map[trace.SpanID]tracetest.SpanStub{}
	for _, x := range all {
		byID[x.SpanContext.SpanID()] = x
	}
	for range len(all) {
		p, ok := byID[s.Parent.SpanID()]
		if !ok {
			return false
		}
		if p.SpanContext.SpanID() == ancestor.SpanContext.SpanID() {
			return true
		}
		s = p
	}
	return false
}

// wantNoValues fails the test when an attribute of any span quotes one of
// the values: figures, tokens and codes stay out of traces.
func wantNoValues(t *testing.T, all []tracetest.SpanStub, values ...string) {
	t.Helper()
	for _, s := range all {
		for _, kv := range s.Attributes {
			for _, v := range values {
				if strings.Contains(kv.Value.Emit(), v) {
					t.Errorf("span %q: attribute %s quotes %q", s.Name, kv.Key, v)
				}
			}
		}
	}
}

func TestTracingFollowsAMutationIntoTheStore(t *testing.T) {
	srv, _ := testServer(t, 0)
	exp := recordSpans(t)
	code := "91410100MA44TRAC1"
	code += checkChar(t, code)
	mutation := strings.Replace(createEnterprise, "mutation(", "mutation CreateEnterprise(", 1)
	r := post(t, srv, testToken, mutation, map[string]any{"input": enterpriseInput("郑州追踪材料有限公司", code)})
	var p payload
	r.decode(t, "createEnterprise", &p)
	if p.Enterprise == nil {
		t.Fatalf("createEnterprise: %+v", p.UserErrors)
	}
	id := r.header.Get(tracing.RequestIDHeader)
	if id == "" {
		t.Fatal("no X-Request-Id on the response")
	}

	server, all := traceOfRequest(t, exp, id)
	t.Logf("spans: %q", spanNames(all))
	if server.Name != "POST /graphql" || server.SpanKind != trace.SpanKindServer || server.Parent.IsValid() {
		t.Errorf("server span %q, kind %v, parent %v; want the root span POST /graphql of kind server", server.Name, server.SpanKind, server.Parent.SpanID())
	}
	op := span(t, all, "mutation CreateEnterprise")
	wantChild(t, op, server)
	if got := attr(op, "graphql.operation.type"); got != "mutation" {
		t.Errorf("graphql.operation.type = %q", got)
	}
	resolver := span(t, all, "Mutation.createEnterprise")
	wantChild(t, resolver, op)
	insert := span(t, all, "INSERT enterprises")
	if !descends(all, insert, resolver) {
		t.Errorf("INSERT enterprises is not below the resolver's span")
	}
	if got := attr(insert, "db.system"); got != "sqlite" {
		t.Errorf("db.system = %q, want sqlite", got)
	}
	// Struct fields run no resolver: no span for them.
	for _, s := range all {
		if s.Name == "Enterprise.name" || s.Name == "CreateEnterprisePayload.enterprise" {
			t.Errorf("a span for the plain field %s", s.Name)
		}
	}
	wantNoValues(t, all, "3000000", "450000", code, testToken, "郑州追踪材料")
}

func TestTracingFollowsNestedResolvers(t *testing.T) {
	srv, _ := testServer(t, 20)
	exp := recordSpans(t)
	r := post(t, srv, "", `query List { enterprises(first: 2) { edges { node { name matches(first: 3) { score } } } } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("enterprises: %+v", r.Errors)
	}
	_, all := traceOfRequest(t, exp, r.header.Get(tracing.RequestIDHeader))
	list := span(t, all, "Query.enterprises")
	var matches int
	for _, s := range all {
		if s.Name == "Enterprise.matches" {
			matches++
			// gqlgen resolves a field's children under its resolver's span.
			wantChild(t, s, list)
		}
	}
	if matches != 2 {
		t.Errorf("%d spans Enterprise.matches, want one per enterprise (2) in %q", matches, spanNames(all))
	}
}

func TestTracingFollowsASearch(t *testing.T) {
	srv, a := testServer(t, 0)
	createTestEnterprise(t, srv, "郑州超硬追踪有限公司", "91410100MA45TRAC1")
	<-a.indexReady
	exp := recordSpans(t)
	r := post(t, srv, "", `query Find { search(query: "超硬追踪") { node { __typename } } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("search: %+v", r.Errors)
	}
	server, all := traceOfRequest(t, exp, r.header.Get(tracing.RequestIDHeader))
	op := span(t, all, "query Find")
	wantChild(t, op, server)
	resolver := span(t, all, "Query.search")
	wantChild(t, resolver, op)
	s := span(t, all, "search Search")
	wantChild(t, s, resolver)
	if got := attr(s, "search.engine"); got != "bleve" {
		t.Errorf("search.engine = %q, want bleve", got)
	}
	wantNoValues(t, all, "超硬追踪")
}

func TestTracingFollowsRedis(t *testing.T) {
	srv, _ := testServerWith(t, 0, func(c *Config) {
		c.RedisURL = "redis://127.0.0.1:6379/9"
		c.Cache.Prefix = "tracing-test:" + t.Name() + ":"
	})
	exp := recordSpans(t)
	// A cacheable read: the rate limit's charge and the response cache's
	// lookup go to Redis.
	r := post(t, srv, "", `query List { enterprises(first: 5) { totalCount } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("enterprises: %+v", r.Errors)
	}
	server, all := traceOfRequest(t, exp, r.header.Get(tracing.RequestIDHeader))
	op := span(t, all, "query List")
	var redisSpans int
	for _, s := range all {
		if attr(s, "db.system") != "redis" {
			continue
		}
		redisSpans++
		if !descends(all, s, server) {
			t.Errorf("redis span %q is not below the server span", s.Name)
		}
	}
	if redisSpans == 0 {
		t.Fatalf("no redis span in %v", spanNames(all))
	}
	// The cached-response read runs inside the operation.
	var underOp bool
	for _, s := range all {
		if attr(s, "db.system") == "redis" && descends(all, s, op) {
			underOp = true
		}
	}
	if !underOp {
		t.Errorf("no redis span below the operation span in %v", spanNames(all))
	}
	wantNoValues(t, all, "tracing-test:") // no key
}

// lockedBuffer is a bytes.Buffer the logger and the test share.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) take() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.buf.String()
	b.buf.Reset()
	return s
}

func TestEveryLogLineOfARequestCarriesItsID(t *testing.T) {
	var out lockedBuffer
	log := slog.New(tracing.LogHandler(slog.NewJSONHandler(&out, nil)))
	// The resolvers' error presenter logs through the default logger, as
	// main sets it.
	prev := slog.Default()
	slog.SetDefault(log)
	t.Cleanup(func() { slog.SetDefault(prev) })
	a, err := newApp(context.Background(), Config{DataDir: t.TempDir(), AdminToken: testToken}, log, testNow)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(func() { srv.Close(); a.Close() })
	<-a.indexReady
	exp := recordSpans(t)
	out.take()

	// A body that is no GraphQL request: refused, and logged twice (the
	// refusal and the request line).
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query": `))
	req.Header.Set("Content-Type", "application/json")
	res, err := testClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	id := res.Header.Get(tracing.RequestIDHeader)
	if id == "" {
		t.Fatal("no X-Request-Id on the response")
	}
	server, _ := traceOfRequest(t, exp, id)

	var msgs []string
	for _, line := range strings.Split(strings.TrimSpace(out.take()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		msgs = append(msgs, rec["msg"].(string))
		if rec["request_id"] != id {
			t.Errorf("log line without the request id %s: %s", id, line)
		}
		if rec["trace_id"] != server.SpanContext.TraceID().String() {
			t.Errorf("log line without the trace id %s: %s", server.SpanContext.TraceID(), line)
		}
	}
	for _, want := range []string{"malformed GraphQL request", "request"} {
		found := false
		for _, m := range msgs {
			found = found || m == want
		}
		if !found {
			t.Errorf("no log line %q in %q", want, msgs)
		}
	}
}

// BenchmarkTracedRequest is one GraphQL read through the whole handler
// (twenty enterprises and their best matches, a resolver field each; the
// response cache off)
// with tracing off and with every span kept in memory.
func BenchmarkTracedRequest(b *testing.B) {
	cfg := Config{DataDir: b.TempDir(), AdminToken: testToken, Demo: true, DemoSize: 50, NoResponseCache: true}
	cfg.Cache.Rate = ratelimit.Rate{Limit: 1 << 40, PerSecond: 1 << 40} // measure the request, not the limit
	a, err := newApp(context.Background(), cfg, slog.New(slog.DiscardHandler), testNow)
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	h := a.Handler()
	body := `{"query": "query List { enterprises(first: 20) { edges { node { name matches(first: 3) { score } } } } }"}`
	run := func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
		}
	}
	b.Run("tracing off", run)
	b.Run("every span kept", func(b *testing.B) {
		installSpans()
		spansWanted.Store(true)
		defer func() { spansWanted.Store(false); spans.Reset() }()
		run(b)
		b.ReportMetric(float64(len(spans.GetSpans()))/float64(b.N), "spans/op")
	})
}
