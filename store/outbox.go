package store

import (
	"context"
	"fmt"
	"time"
)

// Entity names of outbox events.
const (
	EntityEnterprise  = "enterprise"
	EntityInstitution = "institution"
	EntityProduct     = "product"
	EntityIncubator   = "incubator"
	EntityDemand      = "demand"
)

// OutboxEvent says that an entity was created or changed: its current state
// is to be read from the store (or the read model) and upserted into the
// search index. Events of one entity may repeat; handling them is idempotent.
type OutboxEvent struct {
	ID        int64
	Entity    string // EntityEnterprise, EntityInstitution, …
	EntityID  int64
	CreatedAt time.Time
}

// DefaultOutboxBatch is the number of events PendingOutbox returns when
// asked for a limit of zero or less.
const DefaultOutboxBatch = 100

// addOutbox appends an upsert event for the entity to the outbox, inside the
// transaction that wrote the entity.
func addOutbox(ctx context.Context, c conn, entity string, id int64, t time.Time) error {
	_, err := c.exec(ctx, "INSERT INTO outbox (entity, entity_id, op, created_at) VALUES ($1, $2, 'upsert', $3)",
		entity, id, timeArg(t))
	if err != nil {
		return fmt.Errorf("write outbox: %w", err)
	}
	return nil
}

// PendingOutbox returns up to limit events not yet acknowledged, oldest
// first ([DefaultOutboxBatch] when limit ≤ 0).
func (s *Store) PendingOutbox(ctx context.Context, limit int) ([]OutboxEvent, error) {
	if limit <= 0 {
		limit = DefaultOutboxBatch
	}
	rows, err := s.reader().query(ctx, "SELECT id, entity, entity_id, created_at FROM outbox ORDER BY id LIMIT $1", int64(limit))
	if err != nil {
		return nil, wrap("read outbox", err)
	}
	var evs []OutboxEvent
	err = eachRow(rows, func() error {
		var ev OutboxEvent
		var t timeCol
		if err := rows.Scan(&ev.ID, &ev.Entity, &ev.EntityID, &t); err != nil {
			return err
		}
		ev.CreatedAt = t.t
		evs = append(evs, ev)
		return nil
	})
	if err != nil {
		return nil, wrap("read outbox", err)
	}
	return evs, nil
}

// AckOutbox deletes the events with the given ids; ids already gone are
// ignored.
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

// OutboxLag returns the number of events not yet acknowledged and the time
// of the oldest (zero when there is none).
func (s *Store) OutboxLag(ctx context.Context) (n int, oldest time.Time, err error) {
	var count int64
	var t timeCol
	if err := s.reader().queryRow(ctx, "SELECT COUNT(*), MIN(created_at) FROM outbox").Scan(&count, &t); err != nil {
		return 0, time.Time{}, wrap("read outbox lag", err)
	}
	return int(count), t.t, nil
}
