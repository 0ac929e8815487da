package search

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/yurong/yurong/store"
)

// ChangeLog is the store's change log as a Checkpoint follows it;
// *store.Store implements it.
type ChangeLog interface {
	ChangesAfter(ctx context.Context, after int64, limit int) ([]store.OutboxEvent, error)
	LogLag(ctx context.Context, after int64) (n int, oldest time.Time, err error)
	Position(ctx context.Context, name string) (int64, error)
	SetPosition(ctx context.Context, name string, pos int64) error
	TryLease(ctx context.Context, name string) (bool, error)
}

// Checkpoint is the change log seen as one index's outbox: the pending
// events are the log's entries after a position kept in the store under
// the index's name, and acknowledging events moves the position past them.
// The log itself is never consumed, so every index (each instance's
// embedded one, or one Meilisearch) follows it at its own pace, and a
// restart resumes where the index left off.
//
// Only the holder of the checkpoint's lease sees events: several instances
// sharing one index take turns, one at a time, and another takes over when
// the holder stops. The others see nothing pending.
type Checkpoint struct {
	log  ChangeLog
	name string

	mu     sync.Mutex
	pos    int64
	loaded bool // pos was read from the store under the lease
}

var _ Outbox = (*Checkpoint)(nil)

// NewCheckpoint returns the checkpoint called name in log. Name it after
// the index it follows: instances sharing an index share its checkpoint.
func NewCheckpoint(log ChangeLog, name string) *Checkpoint {
	return &Checkpoint{log: log, name: name}
}

// Name is the checkpoint's name.
func (c *Checkpoint) Name() string { return c.name }

// PendingOutbox returns up to limit entries after the position, none when
// another process holds the lease.
func (c *Checkpoint) PendingOutbox(ctx context.Context, limit int) ([]store.OutboxEvent, error) {
	pos, held, err := c.position(ctx)
	if err != nil || !held {
		return nil, err
	}
	evs, err := c.log.ChangesAfter(ctx, pos, limit)
	if err != nil {
		return nil, fmt.Errorf("search: read the change log after %d: %w", pos, err)
	}
	return evs, nil
}

// AckOutbox moves the position past the highest of ids. The indexer
// acknowledges events in log order, so every entry up to it is indexed.
func (c *Checkpoint) AckOutbox(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	next := c.pos
	for _, id := range ids {
		next = max(next, id)
	}
	if next == c.pos {
		return nil
	}
	if err := c.log.SetPosition(ctx, c.name, next); err != nil {
		return fmt.Errorf("search: store checkpoint %s: %w", c.name, err)
	}
	c.pos = next
	return nil
}

// OutboxLag returns the number of log entries after the position and the
// time of the oldest.
func (c *Checkpoint) OutboxLag(ctx context.Context) (int, time.Time, error) {
	c.mu.Lock()
	pos, loaded := c.pos, c.loaded
	c.mu.Unlock()
	if !loaded {
		var err error
		if pos, err = c.log.Position(ctx, c.name); err != nil {
			return 0, time.Time{}, err
		}
	}
	return c.log.LogLag(ctx, pos)
}

// Reset moves the position to pos: a rebuilt index reflects every change up
// to pos, and the entries after it are applied to it again.
func (c *Checkpoint) Reset(ctx context.Context, pos int64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.log.SetPosition(ctx, c.name, pos); err != nil {
		return fmt.Errorf("search: reset checkpoint %s: %w", c.name, err)
	}
	c.pos, c.loaded = pos, true
	return nil
}

// position returns the position and whether this process holds the
// lease, reading the position from the store whenever the lease is newly
// taken (another holder may have moved it meanwhile).
func (c *Checkpoint) position(ctx context.Context) (int64, bool, error) {
	held, err := c.log.TryLease(ctx, "checkpoint "+c.name)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil || !held {
		c.loaded = false
		return 0, false, err
	}
	if !c.loaded {
		if c.pos, err = c.log.Position(ctx, c.name); err != nil {
			return 0, false, fmt.Errorf("search: read checkpoint %s: %w", c.name, err)
		}
		c.loaded = true
	}
	return c.pos, true, nil
}
