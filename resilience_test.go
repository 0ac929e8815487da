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

	var ops, failures, lastEmployees atomic.Int64
	var firstFailure atomic.Value
	fail := func(what string, r gqlResponse) {
		failures.Add(1)
		firstFailure.CompareAndSwap(nil, fmt.Sprintf("%s: status %d errors %+v", what, r.status, r.Errors))
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				q := fmt.Sprintf(`query($id: ID!) { node(id: $id) { ... on Enterprise { name employees matches(first: %d) { score } } } }`, 1+(i+w)%5)
				if r := post(t, srv, "", q, map[string]any{"id": target}); r.status != 200 || len(r.Errors) > 0 {
					fail("read", r)
				}
				ops.Add(1)
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for n := int64(100); ; n++ {
			select {
			case <-stop:
				return
			default:
			}
			r := post(t, srv, testToken, `mutation($id: ID!, $n: Int!) { updateEnterprise(input: {id: $id, employees: $n}) { userErrors { code } } }`,
				map[string]any{"id": target, "n": n})
			if r.status != 200 || len(r.Errors) > 0 {
				fail("write", r)
			} else {
				lastEmployees.Store(n)
			}
			ops.Add(1)
			time.Sleep(5 * time.Millisecond)
		}
	}()

	cacheOK := func() bool {
		res, err := http.Get(srv.URL + "/readyz")
		if err != nil {
			return false
		}
		defer res.Body.Close()
		var rep struct {
			Cache struct{ OK bool } `json:"cache"`
		}
		json.NewDecoder(res.Body).Decode(&rep)
		return rep.Cache.OK
	}

	time.Sleep(300 * time.Millisecond)
	redis.Stop()
	eventually(t, 2*time.Second, func() bool { return !cacheOK() })
	time.Sleep(500 * time.Millisecond)
	restarted := time.Now()
	redis.Restart()
	eventually(t, 5*time.Second, cacheOK)
	recovery := time.Since(restarted)
	time.Sleep(200 * time.Millisecond)
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
	time.Sleep(50 * time.Millisecond)
	baseline := runtime.NumGoroutine()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var conns []*websocket.Conn
	for range 200 {
		conns = append(conns, subscribe(t, ctx, s.srv, s.withNeed))
	}
	time.Sleep(subscribeDelay)
	if n := runtime.NumGoroutine(); n < baseline+200 {
		t.Fatalf("only %d goroutines with 200 subscriptions open (baseline %d): are they running?", n, baseline)
	}
	for _, c := range conns {
		c.CloseNow()
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > baseline+5 {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines remain, baseline %d:\n%s", runtime.NumGoroutine(), baseline, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
}
