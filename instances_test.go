package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/yurong/yurong/ratelimit"
	"github.com/yurong/yurong/statebackend"
)

// sharedBackends returns a fresh PostgreSQL schema and a Redis key prefix
// for instances that must share state; it skips when the environment has
// no PostgreSQL or Redis (.ci/run provides both).
func sharedBackends(t *testing.T) (databaseURL, redisURL, prefix string) {
	t.Helper()
	base, redisURL := os.Getenv("YURONG_DATABASE_URL"), os.Getenv("YURONG_REDIS_URL")
	if base == "" || redisURL == "" {
		t.Skip("needs YURONG_DATABASE_URL and YURONG_REDIS_URL (set by .ci/run)")
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "instances_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + name); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + name + " CASCADE")
		admin.Close()
	})
	u, _ := url.Parse(base)
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String(), redisURL, "yurong-test-" + name + ":"
}

// startInstance starts one stateless instance on shared backends.
func startInstance(t *testing.T, cfg Config) *httptest.Server {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := newApp(context.Background(), cfg, log, testNow)
	if err != nil {
		t.Fatalf("newApp: %v", err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(func() { srv.Close(); a.Close() })
	return srv
}

func TestTwoInstancesShareState(t *testing.T) {
	dbURL, redisURL, prefix := sharedBackends(t)
	cfg := Config{DatabaseURL: dbURL, RedisURL: redisURL, AdminToken: testToken,
		Cache: statebackend.Options{Prefix: prefix, Rate: ratelimit.Rate{Limit: 50_000, PerSecond: 1}}}
	cfgB := cfg
	cfg.DataDir, cfgB.DataDir = t.TempDir(), t.TempDir() // each instance has its own embedded search index
	a, b := startInstance(t, cfg), startInstance(t, cfgB)

	t.Run("a query persisted on one instance runs on the other", func(t *testing.T) {
		query := `{ institutions { name } }`
		sum := sha256.Sum256([]byte(query))
		ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
		if r := postExt(t, b, map[string]any{"extensions": ext}); r.code() != "PERSISTED_QUERY_NOT_FOUND" {
			t.Fatalf("unknown hash: code %q", r.code())
		}
		if r := postExt(t, a, map[string]any{"query": query, "extensions": ext}); len(r.Errors) > 0 {
			t.Fatalf("register on A: %+v", r.Errors)
		}
		extJSON, _ := json.Marshal(ext)
		req, _ := http.NewRequest(http.MethodGet, b.URL+"/graphql?extensions="+url.QueryEscape(string(extJSON)), nil)
		if r := do(t, req); len(r.Errors) > 0 || r.Data["institutions"] == nil {
			t.Fatalf("hash on B over GET: %+v", r)
		}
	})

	t.Run("a write on one instance is read on the other, never from a stale cache", func(t *testing.T) {
		list := `{ enterprises(first: 100) { totalCount } }`
		var before struct{ TotalCount int }
		post(t, b, "", list, nil).decode(t, "enterprises", &before) // fills the shared cache
		var p payload
		post(t, a, testToken, createEnterprise, map[string]any{"input": enterpriseInput("洛阳共享科技有限公司", "91410300MA44BBBB1"+checkChar(t, "91410300MA44BBBB1"))}).
			decode(t, "createEnterprise", &p)
		if p.Enterprise == nil {
			t.Fatalf("create on A: %+v", p.UserErrors)
		}
		eventually(t, time.Second, func() bool {
			var after struct{ TotalCount int }
			post(t, b, "", list, nil).decode(t, "enterprises", &after)
			return after.TotalCount == before.TotalCount+1
		})
		var node struct {
			Name    string `json:"name"`
			Matches []any  `json:"matches"`
		}
		post(t, b, "", `query($id: ID!) { node(id: $id) { ... on Enterprise { name matches { score } } } }`, map[string]any{"id": p.Enterprise.ID}).decode(t, "node", &node)
		if node.Name != "洛阳共享科技有限公司" {
			t.Errorf("B reads %+v", node)
		}
	})

	t.Run("a subscription on one instance hears a write on the other within a second", func(t *testing.T) {
		var p payload
		post(t, a, testToken, createEnterprise, map[string]any{"input": enterpriseInput("新乡订阅科技有限公司", "91410700MA44CCCC1"+checkChar(t, "91410700MA44CCCC1"))}).
			decode(t, "createEnterprise", &p)
		eventually(t, time.Second, func() bool {
			r := post(t, b, "", `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": p.Enterprise.ID})
			return string(r.Data["node"]) != "null"
		})
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		conn := subscribe(t, ctx, a, p.Enterprise.ID)
		defer conn.CloseNow()
		time.Sleep(subscribeDelay)
		start := time.Now()
		post(t, b, testToken, `mutation($id: ID!) { updateEnterprise(input: {id: $id, employees: 77}) { userErrors { code } } }`, map[string]any{"id": p.Enterprise.ID})
		if id := nextChange(t, ctx, conn); id != p.Enterprise.ID {
			t.Fatalf("heard %s", id)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("heard after %v", d)
		}
	})

	t.Run("the rate budget is shared", func(t *testing.T) {
		cost := func(r gqlResponse) (remaining int) {
			var c struct{ Remaining int }
			json.Unmarshal(r.Extensions["cost"], &c)
			return c.Remaining
		}
		q := `{ enterprises(first: 100) { edges { node { name reports { year revenue } } } } }`
		ra := post(t, a, "", q, nil)
		rb := post(t, b, "", q, nil)
		if ra.Extensions["cost"] == nil || cost(rb) >= cost(ra) {
			t.Fatalf("B's remaining budget %d is not below A's %d", cost(rb), cost(ra))
		}
		// Spend the rest on A; B must then refuse.
		for i := 0; i < 200 && post(t, a, "", q, nil).status != http.StatusTooManyRequests; i++ {
		}
		r := post(t, b, "", q, nil)
		if r.status != http.StatusTooManyRequests || r.code() != "RATE_LIMITED" || r.header.Get("Retry-After") == "" {
			t.Errorf("B after A spent the budget: status %d code %q Retry-After %q (%+v)", r.status, r.code(), r.header.Get("Retry-After"), r)
		}
	})
}

func postExt(t *testing.T, srv *httptest.Server, body map[string]any) gqlResponse {
	t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(string(raw)))
	req.Header.Set("Content-Type", "application/json")
	return do(t, req)
}

func eventually(t *testing.T, within time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("not true within %v", within)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// subscribeDelay lets the server start a subscription (asynchronously, after
// the subscribe message) before the test writes.
const subscribeDelay = 100 * time.Millisecond

type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// subscribe opens a graphql-transport-ws connection subscribed to the
// pairings of one enterprise.
func subscribe(t *testing.T, ctx context.Context, srv *httptest.Server, enterpriseID string) *websocket.Conn {
	t.Helper()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	wsjson.Write(ctx, conn, wsMessage{Type: "connection_init"})
	var ack wsMessage
	if err := wsjson.Read(ctx, conn, &ack); err != nil || ack.Type != "connection_ack" {
		t.Fatalf("ack: %v %+v", err, ack)
	}
	sub, _ := json.Marshal(map[string]any{"query": `subscription($id: ID) { pairingsChanged(enterpriseId: $id) { enterprise { id } kind at } }`,
		"variables": map[string]any{"id": enterpriseID}})
	wsjson.Write(ctx, conn, wsMessage{ID: "1", Type: "subscribe", Payload: sub})
	return conn
}

// nextPayload reads the next "next" message of a graphql-transport-ws
// connection, answering pings on the way; what names the event awaited.
func nextPayload(t *testing.T, ctx context.Context, conn *websocket.Conn, what string) json.RawMessage {
	t.Helper()
	for {
		var m wsMessage
		if err := wsjson.Read(ctx, conn, &m); err != nil {
			t.Fatalf("no %s: %v", what, err)
		}
		switch m.Type {
		case "ping":
			wsjson.Write(ctx, conn, wsMessage{Type: "pong"})
		case "next":
			return m.Payload
		default:
			t.Fatalf("unexpected message %s %s", m.Type, m.Payload)
		}
	}
}

// nextChange reads the next pairingsChanged event and returns its enterprise.
func nextChange(t *testing.T, ctx context.Context, conn *websocket.Conn) string {
	t.Helper()
	var next struct {
		Data struct {
			PairingsChanged struct {
				Enterprise struct{ ID string } `json:"enterprise"`
			} `json:"pairingsChanged"`
		} `json:"data"`
	}
	json.Unmarshal(nextPayload(t, ctx, conn, "pairingsChanged"), &next)
	return next.Data.PairingsChanged.Enterprise.ID
}
