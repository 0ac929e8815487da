package responsecache

import (
	"context"
	"testing"
	"time"

	"github.com/yurong/yurong/redisstate"
	"github.com/yurong/yurong/redisstate/redisstatetest"
)

// benchCaches runs bench against the in-process cache and, when
// YURONG_REDIS_URL is set, against Redis.
func benchCaches(b *testing.B, bench func(b *testing.B, c Cache)) {
	const maxBytes = 64 << 20
	b.Run("in process", func(b *testing.B) { bench(b, NewMemory(maxBytes)) })
	b.Run("redis", func(b *testing.B) {
		bench(b, NewRedis(redisstatetest.Open(b, "", redisstate.Options{}), maxBytes))
	})
}

func BenchmarkResponseGetHit(b *testing.B) {
	ctx := context.Background()
	val := make([]byte, 4096) // a page of matches
	benchCaches(b, func(b *testing.B, c Cache) {
		c.Set(ctx, "e42.matches", c.Stamp(ctx, "enterprise:42", "matching:all"), val, time.Minute)
		for b.Loop() {
			if _, ok := c.Get(ctx, "e42.matches"); !ok {
				b.Fatal("miss")
			}
		}
	})
}

func BenchmarkResponseGetHitParallel(b *testing.B) {
	ctx := context.Background()
	val := make([]byte, 4096)
	benchCaches(b, func(b *testing.B, c Cache) {
		c.Set(ctx, "e42.matches", c.Stamp(ctx, "enterprise:42", "matching:all"), val, time.Minute)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, ok := c.Get(ctx, "e42.matches"); !ok {
					b.Error("miss")
					return
				}
			}
		})
	})
}
