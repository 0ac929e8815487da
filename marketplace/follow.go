package marketplace

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/yurong/yurong/catalog"
)

// Following the change log.
//
// Every write, on any instance, appends an entry to the store's change log
// in the transaction that commits it, and positions commit in order. The
// read model remembers the position it reflects (Applied) and catches up by
// reading the entries after it: another instance's change is re-read from
// the store and applied; this instance's own changes, applied by the write
// path already, are skipped. Nothing is lost when a wake-up message is
// (the log, not the message, is the truth), and a read model that fell
// behind the log's horizon reloads itself whole.

// followBatch is the number of log entries read at a time.
const followBatch = 500

// Applied returns the change-log position the read model and the matcher
// reflect: every change up to it, and possibly some after it.
func (s *Service) Applied() int64 { return s.applied.Load() }

// ownCommit is the store's commit hook: it records the positions this
// instance's writes commit, which the write path applies itself.
func (s *Service) ownCommit(seq int64) {
	s.ownMu.Lock()
	s.own[seq] = true
	s.ownMu.Unlock()
}

// CatchUp applies every change committed before the call that the read
// model does not reflect yet, and returns the position it reflects then.
func (s *Service) CatchUp(ctx context.Context) (int64, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return s.catchUp(ctx)
}

// catchUp is CatchUp with the write lock held.
func (s *Service) catchUp(ctx context.Context) (int64, error) {
	pos := s.applied.Load()
	h, err := s.store.LogHorizon(ctx)
	if err != nil {
		return pos, fmt.Errorf("marketplace: follow the change log: %w", err)
	}
	if h > pos {
		// The entries after pos were pruned: only a reload is exact.
		slog.Warn("marketplace: the read model fell behind the change log's horizon; reloading", "applied", pos, "horizon", h)
		if err := s.load(ctx); err != nil {
			return pos, err
		}
		pos = s.applied.Load()
	}
	// Another instance's enterprises are read as they come and ranked
	// together (applyEnterprises) before any other kind of change, at the
	// end, or every maxPending: an import of thousands is rematched once,
	// not ranked one enterprise at a time.
	var pending []*catalog.Enterprise
	flush := func() {
		if len(pending) > 0 {
			s.applyEnterprises(pending, true)
			pending = pending[:0]
		}
		s.applied.Store(pos)
	}
	defer flush()
	for {
		evs, err := s.store.ChangesAfter(ctx, pos, followBatch)
		if err != nil {
			return pos, fmt.Errorf("marketplace: follow the change log: %w", err)
		}
		for _, ev := range evs {
			s.ownMu.Lock()
			own := s.own[ev.ID]
			delete(s.own, ev.ID)
			s.ownMu.Unlock()
			switch {
			case own:
			case ev.Entity == EntityEnterprise:
				e, err := s.store.Enterprise(ctx, ev.EntityID)
				if err != nil {
					return pos, fmt.Errorf("marketplace: refresh enterprise %d: %w", ev.EntityID, err)
				}
				pending = append(pending, e)
			default:
				flush()
				if err := s.refresh(ctx, ev.Entity, ev.EntityID); err != nil {
					return pos, err
				}
			}
			pos = ev.ID
			if len(pending) == 0 {
				s.applied.Store(pos)
			} else if len(pending) >= maxPending {
				flush()
			}
		}
		if len(evs) < followBatch {
			return pos, nil
		}
	}
}

// maxPending bounds the enterprises read from the log before they are
// ranked together.
const maxPending = 20_000

// Follow keeps the read model caught up with the change log until ctx
// ends: at once when wake fires (another instance announced a write), and
// every poll interval in any case, so a lost announcement delays a change
// by at most poll. A failure is logged and retried at the next turn.
func (s *Service) Follow(ctx context.Context, wake <-chan struct{}, poll time.Duration, log *slog.Logger) {
	t := time.NewTicker(poll)
	defer t.Stop()
	failing := false
	for {
		_, err := s.CatchUp(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil && !failing:
			log.Warn("marketplace: cannot follow the change log; retrying", "err", err)
			failing = true
		case err == nil && failing:
			log.Info("marketplace: following the change log again", "applied", s.Applied())
			failing = false
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-t.C:
		}
	}
}

// Sync returns once every change committed before the call is applied to
// the read model and the matcher. The search indexer calls it after
// reading log entries and before reading the state they name.
func (s *Service) Sync(ctx context.Context) error {
	_, err := s.CatchUp(ctx)
	return err
}
