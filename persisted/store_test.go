package persisted

import (
	"context"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/yurong/yurong/redisstate"
	"github.com/yurong/yurong/redisstate/redisstatetest"
)

// maxBytes bounds the in-process stores and tiers in these tests.
const maxBytes = 16 << 20

// A variant is one side of the store under test.
type variant struct {
	// open opens one more store keeping queries for ttl. On the Redis side
	// the stores opened in one (sub)test share its key prefix, so they
	// share queries (shared is true); in process each is on its own.
	open   func(t *testing.T, ttl time.Duration) graphql.Cache[string]
	shared bool
}

// forEachStore runs test against the in-process store and, when
// YURONG_REDIS_URL is set, against Redis.
func forEachStore(t *testing.T, test func(t *testing.T, v variant)) {
	t.Run("in process", func(t *testing.T) {
		test(t, variant{open: func(_ *testing.T, ttl time.Duration) graphql.Cache[string] {
			return NewMemoryStore(maxBytes, ttl)
		}})
	})
	t.Run("redis", func(t *testing.T) {
		prefix := redisstatetest.Prefix(t, redisstatetest.URL(t))
		test(t, variant{shared: true, open: func(t *testing.T, ttl time.Duration) graphql.Cache[string] {
			return NewRedisStore(redisstatetest.Open(t, prefix+t.Name()+":", redisstate.Options{}), maxBytes, ttl)
		}})
	})
}

func TestAPQStore(t *testing.T) {
	forEachStore(t, func(t *testing.T, v variant) {
		ctx := context.Background()
		const hash, query = "5e7c0b0e1d7a5f1c8b9a7d6e5f4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a2", "{ name }"

		t.Run("a registered hash returns its query", func(t *testing.T) {
			c := v.open(t, 24*time.Hour)
			c.Add(ctx, hash, query)
			if got, ok := c.Get(ctx, hash); !ok || got != query {
				t.Errorf("Get = %q, %v; want %q, true", got, ok, query)
			}
		})
		t.Run("an unknown hash is a miss", func(t *testing.T) {
			c := v.open(t, 24*time.Hour)
			if got, ok := c.Get(ctx, "unknown"); ok {
				t.Errorf("Get = %q, true; want a miss", got)
			}
		})
		t.Run("an entry expires after its TTL", func(t *testing.T) {
			c := v.open(t, 150*time.Millisecond)
			c.Add(ctx, hash, query)
			time.Sleep(300 * time.Millisecond)
			if _, ok := c.Get(ctx, hash); ok {
				t.Error("Get found an expired entry")
			}
		})
	})
}

func TestAPQSharedAcrossInstances(t *testing.T) {
	prefix := redisstatetest.Prefix(t, redisstatetest.URL(t))
	a := NewRedisStore(redisstatetest.Open(t, prefix, redisstate.Options{}), maxBytes, 24*time.Hour)
	b := NewRedisStore(redisstatetest.Open(t, prefix, redisstate.Options{}), maxBytes, 24*time.Hour)
	ctx := context.Background()
	a.Add(ctx, "h1", "{ name }")
	if got, ok := b.Get(ctx, "h1"); !ok || got != "{ name }" {
		t.Errorf("instance B Get = %q, %v; want the query instance A registered", got, ok)
	}

	short := NewRedisStore(redisstatetest.Open(t, prefix, redisstate.Options{}), maxBytes, 150*time.Millisecond)
	short.Add(ctx, "h2", "{ find(id: 1) }")
	time.Sleep(300 * time.Millisecond)
	if _, ok := b.Get(ctx, "h2"); ok {
		t.Error("instance B found a query whose TTL in Redis had passed")
	}
}
