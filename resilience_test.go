package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/yurong/yurong/internal/redistest"
)

// TestRedisOutageUnderLoad stops Redis while reads and writes run, then
// starts it again: no request may fail, /readyz must say Redis is down,
// and the instance must return to Redis by itself.
func TestRedisOutageUnderLoad(t *testing.T) {
	redis := redistest.Start(t)
	cfg := Config{DataDir: t.TempDir(), AdminToken: testToken, Demo: true, DemoSize: 200, RedisURL: redis.URL()}
	a, err := newApp(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), testNow)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	defer func() { srv.Close(); a.Close() }()

	var conn struct {
		Edges []struct{ Node struct{ ID string } } `json:"edges"`
	}
	post(t, srv, "", `{ enterprises(first: 5) { edges { node { id } } } }`, nil).decode(t, "enterprises", &conn)
	target := conn.Edges[0].Node.ID

	// The load runs in goroutines of its own: they record what went wrong
	// and the test reports it; only the test's goroutine fails the test.
	var ops, writes, failures, lastEmployees atomic.Int64
	var firstFailure atomic.Value
	fail := func(what string, r gqlResponse, err error) {
		failures.Add(1)
		if err != nil {
			firstFailure.CompareAndSwap(nil, fmt.Sprintf("%s: %v", what, err))
			return
		}
		firstFailure.CompareAndSwap(nil, fmt.Sprintf("%s: status %d errors %+v", what, r.status, r.Errors))
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				q := fmt.Sprintf(`query($id: ID!) { node(id: $id) { ... on Enterprise { name employees matches(first: %d) { score } } } }`, 1+(i+w)%5)
				if r, err := tryPost(srv, "", q, map[string]any{"id": target}); err != nil || r.status != 200 || len(r.Errors) > 0 {
					fail("read", r, err)
				}
				ops.Add(1)
			}
		})
	}
	wg.Go(func() {
		// One write every few milliseconds: pacing, not synchronisation.
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for n := int64(100); ; n++ {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			r, err := tryPost(srv, testToken, `mutation($id: ID!, $n: Int!) { updateEnterprise(input: {id: $id, employees: $n}) { userErrors { code } } }`,
				map[string]any{"id": target, "n": n})
			if err != nil || r.status != 200 || len(r.Errors) > 0 {
				fail("write", r, err)
			} else {
				lastEmployees.Store(n)
			}
			writes.Add(1)
			ops.Add(1)
		}
	})
	defer func() {
		select {
		case <-stop:
		default:
			close(stop) // a failed wait below ends the load too
		}
		wg.Wait()
	}()

	cacheOK := func() bool {
		res, err := http.Get(srv.URL + "/readyz")
		if err != nil {
			return false
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		var rep struct {
			Cache struct {
				OK   bool
				Code string
			} `json:"cache"`
		}
		json.Unmarshal(body, &rep)
		// Down, the cache says so with a code; the error, which names
		// the address, stays in the log.
		if !rep.Cache.OK && (rep.Cache.Code != "UNREACHABLE" || strings.Contains(string(body), "127.0.0.1")) {
			t.Errorf("/readyz with Redis down: %s", body)
		}
		return rep.Cache.OK
	}
	// moreLoad waits until reads and writes have gone on for a while.
	moreLoad := func(what string) {
		t.Helper()
		o, w := ops.Load(), writes.Load()
		waitUntil(t, 30*time.Second, what, func() bool { return ops.Load() >= o+30 && writes.Load() >= w+5 })
	}

	moreLoad("load on Redis")
	redis.Stop()
	waitUntil(t, 10*time.Second, "/readyz to say Redis is down", func() bool { return !cacheOK() })
	moreLoad("load while Redis is down")
	restarted := time.Now()
	redis.Restart()
	waitUntil(t, 10*time.Second, "the instance to return to Redis by itself", cacheOK)
	recovery := time.Since(restarted)
	moreLoad("load back on Redis")
	close(stop)
	wg.Wait()

	t.Logf("%d operations, %d failed; back on Redis %v after its restart", ops.Load(), failures.Load(), recovery)
	if failures.Load() > 0 {
		t.Errorf("%d requests failed while Redis was down, first: %v", failures.Load(), firstFailure.Load())
	}
	var e struct{ Employees int64 }
	post(t, srv, "", `query($id: ID!) { node(id: $id) { ... on Enterprise { employees } } }`, map[string]any{"id": target}).decode(t, "node", &e)
	if e.Employees != lastEmployees.Load() {
		t.Errorf("after the outage the read says %d employees, the last write said %d", e.Employees, lastEmployees.Load())
	}
}

// TestDroppedSubscriptionsLeaveNoGoroutines opens many subscriptions, drops
// the connections without a goodbye, and checks nothing stays behind.
func TestDroppedSubscriptionsLeaveNoGoroutines(t *testing.T) {
	s := newScenario(t)
	baseline := runtime.NumGoroutine()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	const n = 200
	var conns []*websocket.Conn
	for range n {
		conns = append(conns, subscribe(t, ctx, s.srv, s.withNeed))
	}
	waitUntil(t, 30*time.Second, "the server to start every subscription", func() bool { return liveSubscriptions(t, s.app) == n })
	if got := runtime.NumGoroutine(); got < baseline+n {
		t.Fatalf("only %d goroutines with %d subscriptions open (baseline %d): are they running?", got, n, baseline)
	}
	for _, c := range conns {
		c.CloseNow()
	}
	gone := poll(30*time.Second, func() bool { return liveSubscriptions(t, s.app) == 0 && runtime.NumGoroutine() <= baseline+5 })
	if !gone {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d subscriptions and %d goroutines remain, baseline %d:\n%s",
			liveSubscriptions(t, s.app), runtime.NumGoroutine(), baseline, buf[:runtime.Stack(buf, true)])
	}
}
