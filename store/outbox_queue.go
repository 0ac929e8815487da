package store

import (
	"context"
	"time"
)

// The queue view of the log, which the search indexer drained before it
// kept a checkpoint; it goes once the indexer follows the log.

// PendingOutbox returns up to limit entries not yet acknowledged.
func (s *Store) PendingOutbox(ctx context.Context, limit int) ([]OutboxEvent, error) {
	return s.ChangesAfter(ctx, 0, limit)
}

// AckOutbox deletes the entries with the given positions.
func (s *Store) AckOutbox(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	err := s.write(ctx, func(c conn) error {
		const chunk = 1000
		for len(ids) > 0 {
			n := min(len(ids), chunk)
			args := make([]any, n)
			for i, id := range ids[:n] {
				args[i] = id
			}
			if _, err := c.exec(ctx, "DELETE FROM outbox WHERE id IN ("+placeholders(c.backend, 1, n)+")", args...); err != nil {
				return err
			}
			ids = ids[n:]
		}
		return nil
	})
	return wrap("acknowledge outbox", err)
}

// OutboxLag returns the number of entries not yet acknowledged and the
// time of the oldest.
func (s *Store) OutboxLag(ctx context.Context) (int, time.Time, error) { return s.LogLag(ctx, 0) }
