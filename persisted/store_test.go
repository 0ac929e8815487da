package cache

import (
	"context"
	"testing"
	"time"
)

func TestAPQStore(t *testing.T) {
	forEachBackend(t, func(t *testing.T, v variant) {
		ctx := context.Background()
		const hash, query = "5e7c0b0e1d7a5f1c8b9a7d6e5f4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a2", "{ name }"

		t.Run("a registered hash returns its query", func(t *testing.T) {
			c := v.open(t, Options{}).APQ()
			c.Add(ctx, hash, query)
			if got, ok := c.Get(ctx, hash); !ok || got != query {
				t.Errorf("Get = %q, %v; want %q, true", got, ok, query)
			}
		})
		t.Run("an unknown hash is a miss", func(t *testing.T) {
			c := v.open(t, Options{}).APQ()
			if got, ok := c.Get(ctx, "unknown"); ok {
				t.Errorf("Get = %q, true; want a miss", got)
			}
		})
		t.Run("an entry expires after its TTL", func(t *testing.T) {
			c := v.open(t, Options{APQTTL: 150 * time.Millisecond}).APQ()
			c.Add(ctx, hash, query)
			time.Sleep(300 * time.Millisecond)
			if _, ok := c.Get(ctx, hash); ok {
				t.Error("Get found an expired entry")
			}
		})
	})
}

func TestAPQSharedAcrossInstances(t *testing.T) {
	url := redisURL(t)
	prefix := testPrefix(t, url)
	a := openBackend(t, url, Options{Prefix: prefix}).APQ()
	b := openBackend(t, url, Options{Prefix: prefix}).APQ()
	ctx := context.Background()
	a.Add(ctx, "h1", "{ name }")
	if got, ok := b.Get(ctx, "h1"); !ok || got != "{ name }" {
		t.Errorf("instance B Get = %q, %v; want the query instance A registered", got, ok)
	}

	short := openBackend(t, url, Options{Prefix: prefix, APQTTL: 150 * time.Millisecond}).APQ()
	short.Add(ctx, "h2", "{ find(id: 1) }")
	time.Sleep(300 * time.Millisecond)
	if _, ok := b.Get(ctx, "h2"); ok {
		t.Error("instance B found a query whose TTL in Redis had passed")
	}
}
