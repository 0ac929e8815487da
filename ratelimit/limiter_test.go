package ratelimit

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/yurong/yurong/redisstate"
	"github.com/yurong/yurong/redisstate/redisstatetest"
)

// A variant is one side of the limiter under test.
type variant struct {
	// open opens one more limiter. On the Redis side the limiters opened
	// in one (sub)test share its key prefix, so they share budgets (shared
	// is true); in process each is on its own.
	open   func(t *testing.T, rate Rate) Limiter
	shared bool
}

// maxClients is the in-process limiters' bound in these tests.
const maxClients = 100_000

// forEachLimiter runs test against the in-process limiter and, when
// YURONG_REDIS_URL is set, against Redis.
func forEachLimiter(t *testing.T, test func(t *testing.T, v variant)) {
	t.Run("in process", func(t *testing.T) {
		test(t, variant{open: func(_ *testing.T, rate Rate) Limiter { return NewMemory(rate, maxClients) }})
	})
	t.Run("redis", func(t *testing.T) {
		prefix := redisstatetest.Prefix(t, redisstatetest.URL(t))
		test(t, variant{shared: true, open: func(t *testing.T, rate Rate) Limiter {
			return NewRedis(redisstatetest.Open(t, prefix+t.Name()+":", redisstate.Options{}), rate, maxClients)
		}})
	})
}

func TestLimiter(t *testing.T) {
	forEachLimiter(t, func(t *testing.T, v variant) {
		ctx := context.Background()
		// A budget of 100 refilling at 100 a second: one token every 10ms.
		rate := Rate{Limit: 100, PerSecond: 100}
		limiter := func(t *testing.T) Limiter { return v.open(t, rate) }
		allow := func(t *testing.T, l Limiter, client string, cost int) Decision {
			t.Helper()
			d, err := l.Allow(ctx, client, cost)
			if err != nil {
				t.Fatalf("Allow: %v", err)
			}
			return d
		}

		t.Run("a new client starts with the whole budget", func(t *testing.T) {
			d := allow(t, limiter(t), "c", 30)
			if !d.Allowed || d.Limit != 100 || d.Remaining < 70 || d.Remaining > 71 {
				t.Errorf("decision = %+v, want allowed with 70 of 100 left", d)
			}
		})
		t.Run("an operation dearer than what is left is refused with a retry hint", func(t *testing.T) {
			l := limiter(t)
			allow(t, l, "c", 90)
			d := allow(t, l, "c", 50)
			// About 10 tokens are left; 40 more take about 400ms.
			if d.Allowed || d.RetryAfter < 300*time.Millisecond || d.RetryAfter > 410*time.Millisecond {
				t.Errorf("decision = %+v, want refused with RetryAfter about 400ms", d)
			}
			if d.Remaining > 12 {
				t.Errorf("a refusal took nothing but Remaining = %d", d.Remaining)
			}
		})
		t.Run("the budget refills over time", func(t *testing.T) {
			l := limiter(t)
			allow(t, l, "c", 100)
			d := allow(t, l, "c", 20)
			if d.Allowed {
				t.Fatalf("decision = %+v right after spending everything", d)
			}
			time.Sleep(d.RetryAfter + 20*time.Millisecond)
			if d := allow(t, l, "c", 20); !d.Allowed {
				t.Errorf("after waiting RetryAfter, decision = %+v", d)
			}
		})
		t.Run("clients have budgets of their own", func(t *testing.T) {
			l := limiter(t)
			allow(t, l, "spender", 100)
			if d := allow(t, l, "other", 100); !d.Allowed {
				t.Errorf("other client refused: %+v", d)
			}
		})
		t.Run("an operation dearer than the whole budget runs once, on a full bucket, and leaves a debt", func(t *testing.T) {
			l := limiter(t)
			if d := allow(t, l, "c", 150); !d.Allowed || d.Remaining != 0 {
				t.Errorf("first = %+v, want allowed with 0 left", d)
			}
			d := allow(t, l, "c", 1)
			// 50 of debt plus 1: about 510ms.
			if d.Allowed || d.RetryAfter < 400*time.Millisecond {
				t.Errorf("next = %+v, want refused for about half a second", d)
			}
		})
		if v.shared {
			t.Run("the budget is shared across instances", func(t *testing.T) {
				a, b := limiter(t), limiter(t)
				allow(t, a, "c", 80)
				if d := allow(t, b, "c", 50); d.Allowed {
					t.Errorf("instance B allowed 50 after A spent 80 of 100: %+v", d)
				}
			})
		}
	})
}

func TestMemoryLimiterIsBounded(t *testing.T) {
	now := time.Unix(0, 0)
	l := newMemoryLimiter(Rate{Limit: 10, PerSecond: 1}, 100, func() time.Time { return now })
	ctx := context.Background()
	l.Allow(ctx, "first", 10)
	for i := range 1000 {
		l.Allow(ctx, fmt.Sprint("client", i), 1)
	}
	if n := len(l.buckets); n != 100 {
		t.Errorf("%d buckets kept, want 100", n)
	}
	if d, _ := l.Allow(ctx, "first", 10); !d.Allowed {
		t.Error("an evicted client should start again with a full bucket")
	}
}

func TestRateTake(t *testing.T) {
	r := Rate{Limit: 10, PerSecond: 2}
	t0 := time.Unix(100, 0)
	cases := []struct {
		name       string
		tokens     float64
		elapsed    time.Duration
		cost       int
		wantTokens float64
		wantOK     bool
		wantWait   time.Duration
	}{
		{"takes from a full bucket", 10, 0, 4, 6, true, 0},
		{"refills by elapsed time", 0, 2 * time.Second, 4, 0, true, 0},
		{"never refills past the limit", 10, time.Hour, 1, 9, true, 0},
		{"refuses and says how long to wait", 1, 0, 4, 1, false, 1500 * time.Millisecond},
		{"lets a full bucket go into debt", 10, 0, 15, -5, true, 0},
		{"waits out a debt", -5, 0, 1, -5, false, 3 * time.Second},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tokens, ok, wait := r.take(c.tokens, t0, t0.Add(c.elapsed), c.cost)
			if tokens != c.wantTokens || ok != c.wantOK || wait != c.wantWait {
				t.Errorf("take = %v, %v, %v; want %v, %v, %v", tokens, ok, wait, c.wantTokens, c.wantOK, c.wantWait)
			}
		})
	}
}
