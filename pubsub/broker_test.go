package cache

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"
)

// hubOf returns the local fan-out of b's broker.
func hubOf(b *Backend) *hub {
	switch br := b.Broker().(type) {
	case memoryBroker:
		return br.hub
	case *redisBroker:
		return br.hub
	}
	panic(fmt.Sprintf("unknown broker %T", b.Broker()))
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
	forEachBackend(t, func(t *testing.T, v variant) {
		ctx := context.Background()

		t.Run("a message reaches every subscriber of its topic and no other", func(t *testing.T) {
			br := v.open(t, Options{}).Broker()
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
			br := v.open(t, Options{}).Broker()
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
			br := v.open(t, Options{}).Broker()
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
			b := v.open(t, Options{})
			ch, cancel := b.Broker().Subscribe(ctx, "t")
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
			b := v.open(t, Options{})
			sctx, end := context.WithCancel(ctx)
			ch, _ := b.Broker().Subscribe(sctx, "t")
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
			br := v.open(t, Options{SubscriberBuffer: 4}).Broker()
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
			br := v.open(t, Options{}).Broker()
			cctx, cancel := context.WithCancel(ctx)
			cancel()
			if err := br.Publish(cctx, "t", nil); err == nil {
				t.Error("Publish succeeded on a cancelled context")
			}
		})
		t.Run("dropped subscriptions leave no goroutine and no subscriber behind", func(t *testing.T) {
			b := v.open(t, Options{})
			br := b.Broker()
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
				a, b := v.open(t, Options{}).Broker(), v.open(t, Options{}).Broker()
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
