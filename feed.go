package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"sync"

	"github.com/yurong/yurong/cache"
	"github.com/yurong/yurong/marketplace"
)

// changesTopic carries every committed write between instances, so each
// instance's read model and matching engine apply the writes of the others.
const changesTopic = "yurong.changes"

type changeMessage struct {
	Instance string `json:"instance"`
	Entity   string `json:"entity"`
	ID       int64  `json:"id"`
}

// startChangeFeed publishes this instance's writes and applies the other
// instances' until ctx ends. With the in-process broker there are no other
// instances and the feed only echoes; with Redis it keeps every instance
// current within the broker's latency.
func startChangeFeed(ctx context.Context, wg *sync.WaitGroup, b cache.Broker, m *marketplace.Service, log *slog.Logger) {
	self := instanceID()
	m.OnChange(func(c marketplace.Change) {
		if c.Remote {
			return
		}
		msg, _ := json.Marshal(changeMessage{Instance: self, Entity: c.Entity, ID: c.ID})
		if err := b.Publish(context.Background(), changesTopic, msg); err != nil {
			log.Warn("publish change", "entity", c.Entity, "id", c.ID, "err", err)
		}
	})
	msgs, _ := b.Subscribe(ctx, changesTopic)
	wg.Go(func() {
		for raw := range msgs {
			var c changeMessage
			if json.Unmarshal(raw, &c) != nil || c.Instance == self {
				continue
			}
			if err := m.Refresh(ctx, c.Entity, c.ID); err != nil {
				log.Warn("apply another instance's change", "entity", c.Entity, "id", c.ID, "err", err)
			}
		}
	})
}

func instanceID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}
