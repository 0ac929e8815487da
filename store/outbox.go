package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/linkage"
	"github.com/yurong/yurong/models"
)

// Entity names of outbox events.
const (
	EntityEnterprise  = "enterprise"
	EntityInstitution = "institution"
	// The resources pairings join enterprises to (catalog's table of
	// pairing kinds).
	EntityProduct     = catalog.ResourceProduct
	EntityIncubator   = catalog.ResourceIncubator
	EntityDemand      = catalog.ResourceDemand
	EntityApplication = "application"
	EntityCompetition = "competition"
	// The records of package linkage.
	EntityResidency = linkage.EntityResidency
	EntityAgreement = linkage.EntityAgreement
	EntityInterest  = linkage.EntityInterest
	// An institution's scoring model or a product's use of one.
	EntityScoringModel = models.EntityScoringModel
)

// OutboxEvent is one entry of the change log (the outbox table): an entity
// was created or changed, and its current state is to be read from the
// store. ID is the entry's position in the log. Events of one entity may
// repeat; handling them is idempotent.
type OutboxEvent struct {
	ID        int64
	Entity    string // EntityEnterprise, EntityInstitution, …
	EntityID  int64
	CreatedAt time.Time
}

// DefaultOutboxBatch is the number of events ChangesAfter returns when
// asked for a limit of zero or less.
const DefaultOutboxBatch = 100

// logLock is the PostgreSQL advisory lock a write holds from appending to
// the log until it commits ("yurl" in ASCII). Positions are drawn under it,
// so they commit in the order they were drawn: a follower that has seen
// position n has seen, or will never see, every position below n. (SQLite
// has one writer, which gives the same order for free.)
const logLock = 0x7975726c

// horizon names the log position up to which entries may have been pruned.
const horizon = "horizon"

// addOutbox appends an entry for the entity to the change log, inside the
// transaction that wrote the entity.
func addOutbox(ctx context.Context, c conn, entity string, id int64, t time.Time) error {
	if c.backend == Postgres {
		if _, err := c.exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(logLock)); err != nil {
			return fmt.Errorf("lock the change log: %w", err)
		}
	}
	var seq int64
	err := c.queryRow(ctx, "INSERT INTO outbox (entity, entity_id, op, created_at) VALUES ($1, $2, 'upsert', $3) RETURNING id",
		entity, id, timeArg(t)).Scan(&seq)
	if err != nil {
		return fmt.Errorf("write outbox: %w", err)
	}
	if c.logged != nil {
		*c.logged = append(*c.logged, seq)
	}
	return audit(ctx, c, entitySubjects[entity], id, t)
}

// ChangesAfter returns up to limit log entries after position after,
// oldest first ([DefaultOutboxBatch] when limit ≤ 0).
func (s *Store) ChangesAfter(ctx context.Context, after int64, limit int) ([]OutboxEvent, error) {
	if limit <= 0 {
		limit = DefaultOutboxBatch
	}
	rows, err := s.reader().query(ctx, "SELECT id, entity, entity_id, created_at FROM outbox WHERE id > $1 ORDER BY id LIMIT $2",
		after, int64(limit))
	if err != nil {
		return nil, wrap("read the change log", err)
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
		return nil, wrap("read the change log", err)
	}
	return evs, nil
}

// LogHead returns the position of the latest committed change (0 when the
// log is empty and was never pruned). A read model loaded after this call
// reflects at least every change up to it.
func (s *Store) LogHead(ctx context.Context) (int64, error) {
	var head int64
	if err := s.reader().queryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM outbox").Scan(&head); err != nil {
		return 0, wrap("read the change log's head", err)
	}
	h, err := s.LogHorizon(ctx)
	return max(head, h), err
}

// LogHorizon returns the position up to which entries may have been
// pruned: a follower behind it cannot catch up from the log and must
// reload.
func (s *Store) LogHorizon(ctx context.Context) (int64, error) {
	var h int64
	err := s.reader().queryRow(ctx, "SELECT seq FROM log_positions WHERE name = $1", horizon).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return h, wrap("read the change log's horizon", err)
}

// PruneLog deletes the log entries written before t, keeping the latest
// entry, and moves the horizon past them. It returns how many it deleted.
func (s *Store) PruneLog(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := s.write(ctx, func(c conn) error {
		var upTo sql.NullInt64
		err := c.queryRow(ctx, "SELECT MAX(id) FROM outbox WHERE created_at < $1 AND id < (SELECT MAX(id) FROM outbox)",
			timeArg(before)).Scan(&upTo)
		if err != nil || !upTo.Valid {
			return err
		}
		res, err := c.exec(ctx, "DELETE FROM outbox WHERE id <= $1", upTo.Int64)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return setPosition(ctx, c, horizon, upTo.Int64)
	})
	return int(n), wrap("prune the change log", err)
}

func setPosition(ctx context.Context, c conn, name string, seq int64) error {
	_, err := c.exec(ctx, `INSERT INTO log_positions (name, seq) VALUES ($1, $2)
		ON CONFLICT (name) DO UPDATE SET seq = excluded.seq`, name, seq)
	return err
}

// LogLag returns the number of log entries after position after and the
// time of the oldest of them (zero when there is none).
func (s *Store) LogLag(ctx context.Context, after int64) (n int, oldest time.Time, err error) {
	var count int64
	var t timeCol
	if err := s.reader().queryRow(ctx, "SELECT COUNT(*), MIN(created_at) FROM outbox WHERE id > $1", after).Scan(&count, &t); err != nil {
		return 0, time.Time{}, wrap("read the change log's lag", err)
	}
	return int(count), t.t, nil
}

// ErrCheckpointHeld is returned by [Store.Checkpoint] when another process
// holds the checkpoint.
var ErrCheckpointHeld = errors.New("store: checkpoint held by another process")

// Checkpoint runs fn with the position kept under name (0 when new) and
// stores the position fn returns. On PostgreSQL it holds the position's
// row lock meanwhile and does not wait for it: when another process holds
// it, Checkpoint returns ErrCheckpointHeld at once, so one process at a
// time advances a shared checkpoint (several instances indexing one
// Meilisearch). On SQLite one process owns the file, and fn runs outside
// any transaction so writes go on meanwhile.
func (s *Store) Checkpoint(ctx context.Context, name string, fn func(pos int64) (int64, error)) error {
	if s.backend != Postgres {
		pos, err := s.Position(ctx, name)
		if err != nil {
			return err
		}
		next, err := fn(pos)
		if err != nil || next == pos {
			return err
		}
		return wrap("store a checkpoint", s.write(ctx, func(c conn) error { return setPosition(ctx, c, name, next) }))
	}
	// The row must exist before it can be locked without waiting.
	if _, err := s.db.ExecContext(ctx, "INSERT INTO log_positions (name, seq) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING", name); err != nil {
		return wrap("create a checkpoint", err)
	}
	return s.inTx(ctx, s.db, nil, func(c conn) error {
		var pos int64
		err := c.queryRow(ctx, "SELECT seq FROM log_positions WHERE name = $1 FOR UPDATE SKIP LOCKED", name).Scan(&pos)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrCheckpointHeld
		}
		if err != nil {
			return wrap("read a checkpoint", err)
		}
		next, err := fn(pos)
		if err != nil || next == pos {
			return err
		}
		_, err = c.exec(ctx, "UPDATE log_positions SET seq = $2 WHERE name = $1", name, next)
		return wrap("store a checkpoint", err)
	})
}

// Position returns the position kept under name, 0 when there is none.
func (s *Store) Position(ctx context.Context, name string) (int64, error) {
	var pos int64
	err := s.reader().queryRow(ctx, "SELECT seq FROM log_positions WHERE name = $1", name).Scan(&pos)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return pos, wrap("read a checkpoint", err)
}

// SetPosition stores pos under name.
func (s *Store) SetPosition(ctx context.Context, name string, pos int64) error {
	return wrap("store a checkpoint", s.write(ctx, func(c conn) error { return setPosition(ctx, c, name, pos) }))
}
