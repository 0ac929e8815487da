package statebackend

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/yurong/yurong/internal/redistest"
	"github.com/yurong/yurong/persisted"
	"github.com/yurong/yurong/responsecache"
)

// load runs every part of a backend from several goroutines and counts
// what goes wrong: an error, a stale read, a persisted query lost on the
// instance that registered it.
type load struct {
	ops, failures atomic.Int64
	worst         atomic.Int64 // slowest operation, ns
	published     atomic.Int64
	received      atomic.Int64
	stop          chan struct{}
	wg            sync.WaitGroup
	mu            sync.Mutex
	errs          []string
}

func (l *load) fail(format string, args ...any) {
	l.failures.Add(1)
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.errs) < 10 {
		l.errs = append(l.errs, fmt.Sprintf(format, args...))
	}
}

func (l *load) timed(f func()) {
	start := time.Now()
	f()
	d := int64(time.Since(start))
	l.ops.Add(1)
	for {
		w := l.worst.Load()
		if d <= w || l.worst.CompareAndSwap(w, d) {
			return
		}
	}
}

func runLoad(b *Backend) *load {
	l := &load{stop: make(chan struct{})}
	ctx := context.Background()
	var counter, acked atomic.Int64
	loop := func(f func(i int)) {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for i := 0; ; i++ {
				select {
				case <-l.stop:
					return
				default:
				}
				f(i)
			}
		}()
	}
	loop(func(i int) { // writes: a counter and its invalidation
		l.timed(func() {
			n := counter.Add(1)
			b.Responses().Invalidate(ctx, "counter")
			acked.Store(n)
		})
		time.Sleep(2 * time.Millisecond)
	})
	for range 4 { // reads through the response cache, never stale
		loop(func(i int) {
			l.timed(func() {
				before := acked.Load()
				v, _ := responsecache.Fetch(ctx, b.Responses(), "counter", []string{"counter"}, time.Minute, func(context.Context) ([]byte, error) {
					return []byte(strconv.FormatInt(counter.Load(), 10)), nil
				})
				if got, _ := strconv.ParseInt(string(v), 10, 64); got < before {
					l.fail("stale read: %d after write %d was acknowledged", got, before)
				}
			})
		})
	}
	loop(func(i int) { // persisted queries
		l.timed(func() {
			q := fmt.Sprintf("{ find(id: %d) }", i%500)
			h := persisted.Hash(q)
			b.APQ().Add(ctx, h, q)
			if got, ok := b.APQ().Get(ctx, h); !ok || got != q {
				l.fail("persisted query %s lost right after Add", h[:8])
			}
		})
	})
	loop(func(i int) { // rate limits
		l.timed(func() {
			if _, err := b.Limiter().Allow(ctx, fmt.Sprint("client", i%20), 1); err != nil {
				l.fail("Allow: %v", err)
			}
		})
	})
	ch, cancel := b.Broker().Subscribe(ctx, "load")
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		for {
			select {
			case <-l.stop:
				cancel()
				return
			case <-ch:
				l.received.Add(1)
			}
		}
	}()
	loop(func(i int) { // publications
		l.timed(func() {
			if err := b.Broker().Publish(ctx, "load", []byte("m")); err != nil {
				l.fail("Publish: %v", err)
			}
			l.published.Add(1)
		})
		time.Sleep(time.Millisecond)
	})
	return l
}

func (l *load) end(t *testing.T) {
	close(l.stop)
	l.wg.Wait()
	t.Logf("load: %d operations, slowest %v, %d failures; %d of %d publications heard",
		l.ops.Load(), time.Duration(l.worst.Load()), l.failures.Load(), l.received.Load(), l.published.Load())
	for _, e := range l.errs {
		t.Error(e)
	}
}

func TestDegradesWhileRedisIsDownAndRecovers(t *testing.T) {
	srv := redistest.Start(t)
	a := openBackend(t, srv.URL(), Options{})
	b := openBackend(t, srv.URL(), Options{})
	if !a.Healthy() || !b.Healthy() {
		t.Fatalf("not healthy at start: %+v", a.Status())
	}
	l := runLoad(a)
	time.Sleep(500 * time.Millisecond)

	killed := time.Now()
	srv.Stop()
	eventually(t, 5*time.Second, "Redis reported down", func() bool { return !a.Healthy() })
	t.Logf("Redis down noticed after %v", time.Since(killed))
	if st := a.Status(); st.OK || st.Error == "" || st.Backend != "redis" {
		t.Errorf("status while down = %+v, want redis, not ok, with the error", st)
	}
	time.Sleep(time.Second) // load runs on the fallbacks

	if a.Healthy() || b.Healthy() {
		t.Fatal("an instance says healthy while Redis is stopped")
	}
	launched := time.Now()
	srv.Restart()
	eventually(t, 10*time.Second, "Redis used again", func() bool { return a.Healthy() && b.Healthy() })
	t.Logf("back on Redis %v (instance A) and %v (instance B) after redis-server was launched again (its start-up included)",
		a.Status().Since.Sub(launched).Round(time.Millisecond), b.Status().Since.Sub(launched).Round(time.Millisecond))
	time.Sleep(500 * time.Millisecond)
	l.end(t)

	ctx := context.Background()
	t.Run("after recovery a persisted query registered on one instance runs on the other", func(t *testing.T) {
		a.APQ().Add(ctx, "after", "{ name }")
		if _, ok := b.APQ().Get(ctx, "after"); !ok {
			t.Error("instance B did not find it")
		}
	})
	t.Run("after recovery a publication on one instance reaches the other", func(t *testing.T) {
		ch, cancel := a.Broker().Subscribe(ctx, "after")
		defer cancel()
		eventually(t, 3*time.Second, "subscription back", func() bool { return a.redisBroker.Listening() })
		b.Broker().Publish(ctx, "after", []byte("hello"))
		if got := receive(t, ch); got != "hello" {
			t.Errorf("got %q", got)
		}
	})
}

func TestInvalidationsMissedByRedisAreReplayed(t *testing.T) {
	srv := redistest.Start(t)
	a := openBackend(t, srv.URL(), Options{})
	b := openBackend(t, srv.URL(), Options{})
	ctx := context.Background()

	rc := a.Responses()
	rc.Set(ctx, "e42", rc.Stamp(ctx, "enterprise:42"), []byte("old"), time.Minute)
	if _, ok := b.Responses().Get(ctx, "e42"); !ok {
		t.Fatal("instance B does not see the entry")
	}

	// Redis keeps its data but stops answering for a while.
	opt, _ := redis.ParseURL(srv.URL())
	admin := redis.NewClient(opt)
	defer admin.Close()
	if err := admin.Do(ctx, "CLIENT", "PAUSE", "1500", "ALL").Err(); err != nil {
		t.Fatalf("CLIENT PAUSE: %v", err)
	}
	rc.Invalidate(ctx, "enterprise:42") // times out in Redis: remembered
	if a.Healthy() {
		t.Fatal("instance A did not notice Redis stopped answering")
	}
	if _, ok := rc.Get(ctx, "e42"); ok {
		t.Error("instance A serves the entry it invalidated while Redis was away")
	}

	eventually(t, 10*time.Second, "instance A back on Redis", a.Healthy)
	if v, ok := b.Responses().Get(ctx, "e42"); ok {
		t.Errorf("instance B serves %q although A invalidated it while Redis was away", v)
	}
}

func TestStartsDegradedWhenRedisIsDownAtOpen(t *testing.T) {
	srv := redistest.Start(t)
	srv.Stop()
	start := time.Now()
	b := openBackend(t, srv.URL(), Options{})
	if d := time.Since(start); d > time.Second {
		t.Errorf("Open took %v with Redis down", d)
	}
	if b.Healthy() {
		t.Fatal("healthy with Redis down")
	}
	ctx := context.Background()
	b.APQ().Add(ctx, "h", "{ name }")
	if _, ok := b.APQ().Get(ctx, "h"); !ok {
		t.Error("persisted query lost while degraded")
	}
	if d, err := b.Limiter().Allow(ctx, "c", 1); err != nil || !d.Allowed {
		t.Errorf("Allow = %+v, %v while degraded", d, err)
	}
	srv.Restart()
	eventually(t, 5*time.Second, "Redis used once it starts", b.Healthy)
}
