package responsecache

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yurong/yurong/redisstate"
	"github.com/yurong/yurong/redisstate/redisstatetest"
)

// A variant is one side of the cache under test.
type variant struct {
	// open opens one more cache. On the Redis side the caches opened in
	// one (sub)test share its key prefix, so they share entries and tags
	// (shared is true); in process each is on its own.
	open   func(t *testing.T) Cache
	shared bool
}

// forEachCache runs test against the in-process cache and, when
// YURONG_REDIS_URL is set, against Redis.
func forEachCache(t *testing.T, test func(t *testing.T, v variant)) {
	const maxBytes = 64 << 20
	t.Run("in process", func(t *testing.T) {
		test(t, variant{open: func(*testing.T) Cache { return NewMemory(maxBytes) }})
	})
	t.Run("redis", func(t *testing.T) {
		prefix := redisstatetest.Prefix(t, redisstatetest.URL(t))
		test(t, variant{shared: true, open: func(t *testing.T) Cache {
			return NewRedis(redisstatetest.Open(t, prefix+t.Name()+":", redisstate.Options{}), maxBytes)
		}})
	})
}

func TestResponseCache(t *testing.T) {
	forEachCache(t, func(t *testing.T, v variant) {
		ctx := context.Background()
		set := func(c Cache, key, val string, deps ...string) {
			c.Set(ctx, key, c.Stamp(ctx, deps...), []byte(val), time.Minute)
		}
		get := func(c Cache, key string) string {
			b, ok := c.Get(ctx, key)
			if !ok {
				return "(miss)"
			}
			return string(b)
		}

		t.Run("a stored value is read back", func(t *testing.T) {
			c := v.open(t)
			set(c, "page", "v1", "catalog:enterprise")
			if got := get(c, "page"); got != "v1" {
				t.Errorf("Get = %s, want v1", got)
			}
		})
		t.Run("an unknown key is a miss", func(t *testing.T) {
			c := v.open(t)
			if got := get(c, "none"); got != "(miss)" {
				t.Errorf("Get = %s, want a miss", got)
			}
		})
		t.Run("invalidating any dependency hides the entry, and only its dependents", func(t *testing.T) {
			c := v.open(t)
			set(c, "e42.matches", "m", "enterprise:42", "matching:all")
			set(c, "e7.matches", "m7", "enterprise:7", "matching:all")
			set(c, "products", "p", "catalog:product")
			c.Invalidate(ctx, "enterprise:42")
			want := map[string]string{"e42.matches": "(miss)", "e7.matches": "m7", "products": "p"}
			for key, w := range want {
				if got := get(c, key); got != w {
					t.Errorf("after invalidating enterprise:42, Get(%s) = %s, want %s", key, got, w)
				}
			}
			c.Invalidate(ctx, "matching:all")
			if got := get(c, "e7.matches"); got != "(miss)" {
				t.Errorf("after invalidating matching:all, Get(e7.matches) = %s, want a miss", got)
			}
		})
		t.Run("invalidating * drops every entry", func(t *testing.T) {
			c := v.open(t)
			set(c, "a", "1", "enterprise:1")
			set(c, "b", "2")
			c.Invalidate(ctx, "*")
			if got := get(c, "a") + get(c, "b"); got != "(miss)(miss)" {
				t.Errorf("Get = %s, want misses", got)
			}
		})
		t.Run("a value read before an invalidation is not stored after it", func(t *testing.T) {
			c := v.open(t)
			stamp := c.Stamp(ctx, "enterprise:42")
			c.Invalidate(ctx, "enterprise:42") // a write commits while the value is computed
			c.Set(ctx, "e42", stamp, []byte("old"), time.Minute)
			if got := get(c, "e42"); got != "(miss)" {
				t.Errorf("Get = %s, want a miss", got)
			}
		})
		t.Run("a value set again after an invalidation is served", func(t *testing.T) {
			c := v.open(t)
			set(c, "e42", "old", "enterprise:42")
			c.Invalidate(ctx, "enterprise:42")
			set(c, "e42", "new", "enterprise:42")
			if got := get(c, "e42"); got != "new" {
				t.Errorf("Get = %s, want new", got)
			}
		})
		t.Run("an entry expires after its TTL", func(t *testing.T) {
			c := v.open(t)
			c.Set(ctx, "short", c.Stamp(ctx, "x"), []byte("v"), 100*time.Millisecond)
			time.Sleep(250 * time.Millisecond)
			if got := get(c, "short"); got != "(miss)" {
				t.Errorf("Get = %s, want a miss", got)
			}
		})
		t.Run("an entry without a TTL is not stored", func(t *testing.T) {
			c := v.open(t)
			c.Set(ctx, "k", c.Stamp(ctx, "x"), []byte("v"), 0)
			if got := get(c, "k"); got != "(miss)" {
				t.Errorf("Get = %s, want a miss", got)
			}
		})
		t.Run("an entry without dependencies is served until its TTL", func(t *testing.T) {
			c := v.open(t)
			set(c, "k", "v")
			c.Invalidate(ctx, "x")
			if got := get(c, "k"); got != "v" {
				t.Errorf("Get = %s, want v", got)
			}
		})
		t.Run("a stamp from another cache stores nothing", func(t *testing.T) {
			c, other := v.open(t), newMemoryResponses(1<<20)
			c.Set(ctx, "k", other.Stamp(ctx, "x"), []byte("v"), time.Minute)
			c.Set(ctx, "k2", Stamp{}, []byte("v"), time.Minute)
			if got := get(c, "k") + get(c, "k2"); got != "(miss)(miss)" {
				t.Errorf("Get = %s, want misses", got)
			}
		})
		t.Run("Fetch computes once, then serves, and recomputes after an invalidation", func(t *testing.T) {
			c := v.open(t)
			calls := 0
			fill := func(context.Context) ([]byte, error) {
				calls++
				return []byte(strconv.Itoa(calls)), nil
			}
			var got []string
			for _, invalidate := range []bool{false, false, true, false} {
				if invalidate {
					c.Invalidate(ctx, "product:7")
				}
				b, err := Fetch(ctx, c, "p7", []string{"product:7"}, time.Minute, fill)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, string(b))
			}
			if fmt.Sprint(got) != "[1 1 2 2]" {
				t.Errorf("Fetch returned %v, want [1 1 2 2]", got)
			}
		})
		t.Run("Fetch returns fill's error and caches nothing", func(t *testing.T) {
			c := v.open(t)
			boom := errors.New("boom")
			_, err := Fetch(ctx, c, "k", nil, time.Minute, func(context.Context) ([]byte, error) { return nil, boom })
			if !errors.Is(err, boom) || get(c, "k") != "(miss)" {
				t.Errorf("err = %v, Get = %s; want boom and a miss", err, get(c, "k"))
			}
		})
		if v.shared {
			t.Run("an invalidation on one instance hides the entry on another", func(t *testing.T) {
				a, b := v.open(t), v.open(t)
				set(a, "e42", "old", "enterprise:42")
				if got := get(b, "e42"); got != "old" {
					t.Fatalf("instance B Get = %s, want the value A stored", got)
				}
				b.Invalidate(ctx, "enterprise:42")
				if got := get(a, "e42"); got != "(miss)" {
					t.Errorf("instance A Get = %s after B invalidated, want a miss", got)
				}
			})
		}
		t.Run("no read after an invalidation returns a value older than the write", func(t *testing.T) {
			testNoStaleRead(t, v.open(t), v.open(t), v.shared)
		})
	})
}

// testNoStaleRead runs a writer (on instance w) that bumps a counter,
// invalidates, then acknowledges the write, and readers (on instance r,
// and on w) that Fetch the counter through the cache: each read must be
// at least the last value acknowledged when the read began. Unshared
// instances read on w only.
func testNoStaleRead(t *testing.T, r, w Cache, shared bool) {
	if !shared {
		r = w
	}
	ctx := context.Background()
	var counter, acked atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			n := counter.Add(1)
			w.Invalidate(ctx, "counter")
			acked.Store(n)
			time.Sleep(time.Millisecond)
		}
	}()
	var reads, hits, stale atomic.Int64
	for _, c := range []Cache{r, w} {
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					before := acked.Load()
					filled := false
					b, err := Fetch(ctx, c, "counter", []string{"counter"}, time.Minute, func(context.Context) ([]byte, error) {
						filled = true
						return []byte(strconv.FormatInt(counter.Load(), 10)), nil
					})
					if err != nil {
						t.Error(err)
						return
					}
					got, _ := strconv.ParseInt(string(b), 10, 64)
					reads.Add(1)
					if !filled {
						hits.Add(1)
					}
					if got < before {
						stale.Add(1)
					}
				}
			}()
		}
	}
	time.Sleep(time.Second)
	close(stop)
	wg.Wait()
	t.Logf("%d reads, %d from the cache, %d writes", reads.Load(), hits.Load(), counter.Load())
	if stale.Load() > 0 {
		t.Errorf("%d of %d reads were older than the last acknowledged write", stale.Load(), reads.Load())
	}
	if hits.Load() == 0 {
		t.Error("no read was served from the cache; the test proves nothing")
	}
}
