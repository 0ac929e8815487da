package pubsub

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/yurong/yurong/redisstate"
	"github.com/yurong/yurong/redisstate/redisstatetest"
)

// A variant is one side of the broker under test.
type variant struct {
	// open opens one more broker, each subscriber buffering up to buffer
	// messages. On the Redis side the brokers opened in one (sub)test share
	// its key prefix, so they hear each other (shared is true); in process
	// each is on its own.
	open   func(t *testing.T, buffer int) Broker
	shared bool
}

// forEachBroker runs test against the in-process broker and, when
// YURONG_REDIS_URL is set, against Redis.
func forEachBroker(t *testing.T, test func(t *testing.T, v variant)) {
	t.Run("in process", func(t *testing.T) {
		test(t, variant{open: func(t *testing.T, buffer int) Broker { return NewLocal(buffer) }})
	})
	t.Run("redis", func(t *testing.T) {
		prefix := redisstatetest.Prefix(t, redisstatetest.URL(t))
		test(t, variant{shared: true, open: func(t *testing.T, buffer int) Broker {
			b := NewRedis(redisstatetest.Open(t, prefix+t.Name()+":", redisstate.Options{}), buffer)
			t.Cleanup(b.Close)
			b.WaitReady(time.Second)
			return b
		}})
	})
}

// eventually fails t unless cond holds within d.
func eventually(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, d)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// hubOf returns the local fan-out of b's broker.
func hubOf(b Broker) *hub {
	switch br := b.(type) {
	case memoryBroker:
		return br.hub
	case *Redis:
		return br.hub
	}
	panic(fmt.Sprintf("unknown broker %T", b))
}

// receive returns the next message on ch, or fails t after a second.
func receive(t *testing.T, ch <-chan []byte) string {
	t.Helper()
	select {
	case m, ok := <-ch:
		if !ok {
			t.Fatal("channel closed")
		}
		return string(m)
	case <-time.After(time.Second):
		t.Fatal("no message within a second")
	}
	return ""
}

// silent fails t if ch delivers a message within d.
func silent(t *testing.T, ch <-chan []byte, d time.Duration) {
	t.Helper()
	select {
	case m := <-ch:
		t.Fatalf("unexpected message %q", m)
	case <-time.After(d):
	}
}

func TestBroker(t *testing.T) {
	forEachBroker(t, func(t *testing.T, v variant) {
		ctx := context.Background()

		t.Run("a message reaches every subscriber of its topic and no other", func(t *testing.T) {
			br := v.open(t, 64)
			a, cancelA := br.Subscribe(ctx, "pairings:42")
			defer cancelA()
			b, cancelB := br.Subscribe(ctx, "pairings:42")
			defer cancelB()
			other, cancelOther := br.Subscribe(ctx, "pairings:7")
			defer cancelOther()
			if err := br.Publish(ctx, "pairings:42", []byte("changed")); err != nil {
				t.Fatal(err)
			}
			if got := receive(t, a) + " " + receive(t, b); got != "changed changed" {
				t.Errorf("subscribers got %q", got)
			}
			silent(t, other, 100*time.Millisecond)
		})
		t.Run("messages arrive in the order they were published", func(t *testing.T) {
			br := v.open(t, 64)
			ch, cancel := br.Subscribe(ctx, "t")
			defer cancel()
			for i := range 20 {
				br.Publish(ctx, "t", []byte(fmt.Sprint(i)))
			}
			for i := range 20 {
				if got := receive(t, ch); got != fmt.Sprint(i) {
					t.Fatalf("message %d = %s", i, got)
				}
			}
		})
		t.Run("the publisher may reuse its buffer", func(t *testing.T) {
			br := v.open(t, 64)
			ch, cancel := br.Subscribe(ctx, "t")
			defer cancel()
			buf := []byte("first")
			br.Publish(ctx, "t", buf)
			copy(buf, "XXXXX")
			if got := receive(t, ch); got != "first" {
				t.Errorf("got %q, want first", got)
			}
		})
		t.Run("cancelling closes the channel and removes the subscriber", func(t *testing.T) {
			b := v.open(t, 64)
			ch, cancel := b.Subscribe(ctx, "t")
			cancel()
			cancel() // twice is harmless
			if _, ok := <-ch; ok {
				t.Error("channel still open")
			}
			if n := hubOf(b).subscribers(); n != 0 {
				t.Errorf("%d subscribers left", n)
			}
		})
		t.Run("ending the context closes the channel", func(t *testing.T) {
			b := v.open(t, 64)
			sctx, end := context.WithCancel(ctx)
			ch, _ := b.Subscribe(sctx, "t")
			end()
			select {
			case _, ok := <-ch:
				if ok {
					t.Error("got a message, want the channel closed")
				}
			case <-time.After(time.Second):
				t.Error("channel still open a second after the context ended")
			}
			eventually(t, time.Second, "subscriber removed", func() bool { return hubOf(b).subscribers() == 0 })
		})
		t.Run("a slow subscriber loses the oldest messages and never blocks the publisher", func(t *testing.T) {
			br := v.open(t, 4)
			slow, cancel := br.Subscribe(ctx, "t")
			defer cancel()
			fast, cancelFast := br.Subscribe(ctx, "t")
			defer cancelFast()
			start := time.Now()
			for i := range 1000 {
				if err := br.Publish(ctx, "t", []byte(fmt.Sprint(i))); err != nil {
					t.Fatal(err)
				}
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("publishing 1000 messages took %v", d)
			}
			// Drain the fast subscriber up to the last message, so every
			// publication has reached the process.
			for {
				m := receive(t, fast)
				if m == "999" {
					break
				}
			}
			var got []string
			for range 4 {
				got = append(got, receive(t, slow))
			}
			if fmt.Sprint(got) != "[996 997 998 999]" {
				t.Errorf("slow subscriber kept %v, want the last four", got)
			}
		})
		t.Run("publishing on a cancelled context fails", func(t *testing.T) {
			br := v.open(t, 64)
			cctx, cancel := context.WithCancel(ctx)
			cancel()
			if err := br.Publish(cctx, "t", nil); err == nil {
				t.Error("Publish succeeded on a cancelled context")
			}
		})
		t.Run("dropped subscriptions leave no goroutine and no subscriber behind", func(t *testing.T) {
			b := v.open(t, 64)
			br := b
			time.Sleep(50 * time.Millisecond)
			baseline := runtime.NumGoroutine()
			var cancels []func()
			var ends []context.CancelFunc
			for i := range 1000 {
				sctx, end := context.WithCancel(ctx)
				_, cancel := br.Subscribe(sctx, fmt.Sprintf("enterprise:%d", i%50))
				cancels, ends = append(cancels, cancel), append(ends, end)
			}
			for i := range 1000 {
				br.Publish(ctx, fmt.Sprintf("enterprise:%d", i%50), []byte("x"))
			}
			for i := range 1000 {
				if i%2 == 0 {
					cancels[i]() // half unsubscribe
				} else {
					ends[i]() // half just go away
				}
			}
			eventually(t, 2*time.Second, "all subscribers removed", func() bool { return hubOf(b).subscribers() == 0 })
			eventually(t, 2*time.Second, fmt.Sprintf("goroutines back to %d", baseline), func() bool {
				return runtime.NumGoroutine() <= baseline
			})
			for _, end := range ends {
				end()
			}
		})
		if v.shared {
			t.Run("a message published on one instance reaches a subscriber on another within a second", func(t *testing.T) {
				a, b := v.open(t, 64), v.open(t, 64)
				ch, cancel := a.Subscribe(ctx, "pairings:42")
				defer cancel()
				start := time.Now()
				if err := b.Publish(ctx, "pairings:42", []byte("from B")); err != nil {
					t.Fatal(err)
				}
				if got := receive(t, ch); got != "from B" {
					t.Errorf("got %q", got)
				}
				t.Logf("delivered across instances in %v", time.Since(start))
			})
		}
	})
}
