package marketplace

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"time"
)

// The change feed between instances: each instance announces its writes,
// and follows every instance's through the change log (Follow).

// ChangesTopic announces committed writes between instances. The
// announcement only wakes the other instances up: each follows the store's
// change log from the position it reflects, so a lost, late or repeated
// message (a full buffer, Redis down) delays a change by at most
// FollowPoll and loses nothing.
const ChangesTopic = "yurong.changes"

// FollowPoll is how often an instance reads the change log when no
// announcement woke it.
const FollowPoll = time.Second

// Broker carries the announcements between instances: Redis pub/sub, or
// its in-process equivalent for a single instance.
type Broker interface {
	Publish(ctx context.Context, topic string, msg []byte) error
	Subscribe(ctx context.Context, topic string) (<-chan []byte, func())
}

// StartFeed announces this instance's writes on b and keeps the read
// model (with the matcher and every change listener, the search indexer
// among them) following every instance's, polling the log every poll when
// no announcement wakes it, until ctx ends. Its goroutines join wg.
func (s *Service) StartFeed(ctx context.Context, wg *sync.WaitGroup, b Broker, poll time.Duration, log *slog.Logger) {
	s.OnChange(func(c Change) {
		if c.Remote {
			return
		}
		msg := []byte(strconv.FormatInt(c.ID, 10))
		if err := b.Publish(context.Background(), ChangesTopic, msg); err != nil {
			log.Debug("announce a change", "entity", c.Entity, "id", c.ID, "err", err)
		}
	})
	wake := make(chan struct{}, 1)
	msgs, _ := b.Subscribe(ctx, ChangesTopic)
	wg.Go(func() {
		for range msgs {
			select {
			case wake <- struct{}{}:
			default: // a wake-up is pending already
			}
		}
	})
	wg.Go(func() { s.Follow(ctx, wake, poll, log) })
}
