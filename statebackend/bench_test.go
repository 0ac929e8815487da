package cache

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// benchBackends runs bench against the in-process backend and, when
// YURONG_REDIS_URL is set, against Redis.
func benchBackends(b *testing.B, bench func(b *testing.B, be *Backend)) {
	b.Run("in process", func(b *testing.B) { bench(b, openBackend(b, "", Options{})) })
	b.Run("redis", func(b *testing.B) {
		url := redisURL(b)
		bench(b, openBackend(b, url, Options{Prefix: testPrefix(b, url)}))
	})
}

func BenchmarkAPQGet(b *testing.B) {
	ctx := context.Background()
	const query = "query Matches($id: ID!) { enterprise(id: $id) { matches(first: 20) { edges { node { score } } } } }"
	hash := queryHash(query)
	benchBackends(b, func(b *testing.B, be *Backend) {
		be.APQ().Add(ctx, hash, query)
		for b.Loop() {
			if _, ok := be.APQ().Get(ctx, hash); !ok {
				b.Fatal("miss")
			}
		}
	})
	b.Run("redis without the in-process tier", func(b *testing.B) {
		url := redisURL(b)
		be := openBackend(b, url, Options{Prefix: testPrefix(b, url)})
		c := be.APQ().(*redisAPQ)
		c.local = nil
		c.Add(ctx, hash, query)
		for b.Loop() {
			if _, ok := c.Get(ctx, hash); !ok {
				b.Fatal("miss")
			}
		}
	})
}

func BenchmarkResponseGetHit(b *testing.B) {
	ctx := context.Background()
	val := make([]byte, 4096) // a page of matches
	benchBackends(b, func(b *testing.B, be *Backend) {
		c := be.Responses()
		c.Set(ctx, "e42.matches", c.Stamp(ctx, "enterprise:42", "matching:all"), val, time.Minute)
		for b.Loop() {
			if _, ok := c.Get(ctx, "e42.matches"); !ok {
				b.Fatal("miss")
			}
		}
	})
}

func BenchmarkLimiterAllow(b *testing.B) {
	ctx := context.Background()
	benchBackends(b, func(b *testing.B, be *Backend) {
		l := be.Limiter()
		i := 0
		for b.Loop() {
			i++
			if _, err := l.Allow(ctx, fmt.Sprint("client", i%1000), 1); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkResponseGetHitParallel(b *testing.B) {
	ctx := context.Background()
	val := make([]byte, 4096)
	benchBackends(b, func(b *testing.B, be *Backend) {
		c := be.Responses()
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
