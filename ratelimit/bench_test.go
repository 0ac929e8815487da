package ratelimit

import (
	"context"
	"fmt"
	"testing"

	"github.com/yurong/yurong/redisstate"
	"github.com/yurong/yurong/redisstate/redisstatetest"
)

func BenchmarkLimiterAllow(b *testing.B) {
	ctx := context.Background()
	rate := Rate{Limit: 100_000, PerSecond: 2_000}
	bench := func(b *testing.B, l Limiter) {
		i := 0
		for b.Loop() {
			i++
			if _, err := l.Allow(ctx, fmt.Sprint("client", i%1000), 1); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("in process", func(b *testing.B) { bench(b, NewMemory(rate, maxClients)) })
	b.Run("redis", func(b *testing.B) {
		bench(b, NewRedis(redisstatetest.Open(b, "", redisstate.Options{}), rate, maxClients))
	})
}
