package main

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/yurong/yurong/cache"
	"github.com/yurong/yurong/marketplace"
)

// changesTopic announces committed writes between instances. The
// announcement only wakes the other instances up: each follows the store's
// change log from the position it reflects, so a lost, late or repeated
// message (a full buffer, Redis down) delays a change by at most
// followPoll and loses nothing.
const changesTopic = "yurong.changes"

// followPoll is how often an instance reads the change log when no
// announcement woke it.
const followPoll = time.Second

// startChangeFeed announces this instance's writes and keeps its read
// model, engine and search index following every instance's, until ctx
// ends.
func startChangeFeed(ctx context.Context, wg *sync.WaitGroup, b cache.Broker, m *marketplace.Service, poll time.Duration, log *slog.Logger) {
	m.OnChange(func(c marketplace.Change) {
		if c.Remote {
			return
		}
		msg := []byte(strconv.FormatInt(c.ID, 10))
		if err := b.Publish(context.Background(), changesTopic, msg); err != nil {
			log.Debug("announce a change", "entity", c.Entity, "id", c.ID, "err", err)
		}
	})
	wake := make(chan struct{}, 1)
	msgs, _ := b.Subscribe(ctx, changesTopic)
	wg.Go(func() {
		for range msgs {
			select {
			case wake <- struct{}{}:
			default: // a wake-up is pending already
			}
		}
	})
	wg.Go(func() { m.Follow(ctx, wake, poll, log) })
}
