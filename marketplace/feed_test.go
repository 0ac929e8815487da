package marketplace

import (
	"context"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/yurong/yurong/pubsub"
)

func TestChangeFeed(t *testing.T) {
	dir := t.TempDir()
	a, b := newService(t, dir), newService(t, dir)
	broker := pubsub.NewLocal(64)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	// Polling hourly: only the announcements can bring the writes over.
	a.StartFeed(ctx, &wg, broker, time.Hour, discard)
	b.StartFeed(ctx, &wg, broker, time.Hour, discard)
	msgs, stop := broker.Subscribe(ctx, ChangesTopic)
	defer stop()

	t.Run("a write on one instance is announced and followed by the other", func(t *testing.T) {
		writeEverything(t, a, rand.New(rand.NewPCG(7, 8)), 20)
		head, err := a.store.LogHead(ctx)
		if err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for b.Applied() < head && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		if a.Digest() != b.Digest() {
			t.Fatalf("b did not follow a's announced writes: at %d of %d", b.Applied(), head)
		}
	})
	t.Run("only an instance's own writes are announced", func(t *testing.T) {
		// Wait for the twenty, then a little longer for any extra.
		var heard int
		timeout := time.After(5 * time.Second)
		for settled := false; !settled; {
			wait := 5 * time.Second
			if heard >= 20 {
				wait = 100 * time.Millisecond
			}
			select {
			case <-msgs:
				heard++
			case <-time.After(wait):
				settled = true
			case <-timeout:
				settled = true
			}
		}
		if heard != 20 {
			t.Errorf("%d announcements for 20 writes on a (b's applying them must announce nothing)", heard)
		}
	})
}
