package persisted

import (
	"context"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/yurong/yurong/redisstate"
	"github.com/yurong/yurong/redisstate/redisstatetest"
)

func BenchmarkAPQGet(b *testing.B) {
	ctx := context.Background()
	const query = "query Matches($id: ID!) { enterprise(id: $id) { matches(first: 20) { edges { node { score } } } } }"
	hash := Hash(query)
	bench := func(b *testing.B, c graphql.Cache[string]) {
		c.Add(ctx, hash, query)
		for b.Loop() {
			if _, ok := c.Get(ctx, hash); !ok {
				b.Fatal("miss")
			}
		}
	}
	b.Run("in process", func(b *testing.B) { bench(b, NewMemoryStore(maxBytes, 24*time.Hour)) })
	b.Run("redis", func(b *testing.B) {
		bench(b, NewRedisStore(redisstatetest.Open(b, "", redisstate.Options{}), maxBytes, 24*time.Hour))
	})
	b.Run("redis without the in-process tier", func(b *testing.B) {
		c := NewRedisStore(redisstatetest.Open(b, "", redisstate.Options{}), maxBytes, 24*time.Hour).(*redisAPQ)
		c.local = nil
		bench(b, c)
	})
}
