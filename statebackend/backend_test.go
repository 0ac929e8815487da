package statebackend

import (
	"context"
	"testing"
	"time"

	"github.com/yurong/yurong/redisstate/redisstatetest"
)

// TestOpenComposesEveryPart holds Open to its promise: one Backend whose
// four parts work, in process without a URL and through Redis with one,
// and a Status saying which.
func TestOpenComposesEveryPart(t *testing.T) {
	cases := []struct {
		name        string
		url         func(t *testing.T) string
		wantBackend string
	}{
		{"without a Redis URL everything is in process", func(*testing.T) string { return "" }, "memory"},
		{"with a Redis URL everything is in Redis", func(t *testing.T) string { return redisstatetest.URL(t) }, "redis"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			url := c.url(t)
			opts := Options{}
			if url != "" {
				opts.Prefix = redisstatetest.Prefix(t, url)
			}
			b := openBackend(t, url, opts)
			ctx := context.Background()
			if st := b.Status(); st.Backend != c.wantBackend || !st.OK || !b.Healthy() {
				t.Fatalf("status = %+v, healthy %v; want %s and ok", st, b.Healthy(), c.wantBackend)
			}
			b.APQ().Add(ctx, "h", "{ name }")
			if q, ok := b.APQ().Get(ctx, "h"); !ok || q != "{ name }" {
				t.Errorf("APQ Get = %q, %v", q, ok)
			}
			rc := b.Responses()
			rc.Set(ctx, "k", rc.Stamp(ctx, "enterprise:1"), []byte("v"), time.Minute)
			if v, ok := rc.Get(ctx, "k"); !ok || string(v) != "v" {
				t.Errorf("Responses Get = %q, %v", v, ok)
			}
			ch, cancel := b.Broker().Subscribe(ctx, "t")
			defer cancel()
			if err := b.Broker().Publish(ctx, "t", []byte("m")); err != nil {
				t.Fatal(err)
			}
			if got := receive(t, ch); got != "m" {
				t.Errorf("Broker delivered %q", got)
			}
			if d, err := b.Limiter().Allow(ctx, "c", 1); err != nil || !d.Allowed || d.Limit != 100_000 {
				t.Errorf("Allow = %+v, %v; want allowed from the default budget of 100,000", d, err)
			}
		})
	}
}
