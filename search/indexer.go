package search

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/matching"
	"github.com/yurong/yurong/store"
)

// Outbox is the change log as one index follows it; a *Checkpoint
// implements it. Events stay pending until acknowledged, and
// acknowledging moves the index's position past them.
type Outbox interface {
	PendingOutbox(ctx context.Context, limit int) ([]store.OutboxEvent, error)
	AckOutbox(ctx context.Context, ids []int64) error
	OutboxLag(ctx context.Context) (n int, oldest time.Time, err error)
}

// sharedOutbox is an Outbox that several indexers follow one at a time: a
// Checkpoint of an index that instances share. Held reports whether this
// indexer held it at its last PendingOutbox. Only the holder indexes the
// pairings a write moved and rebuilds after a full rematch; another
// instance's engine keeps noting them (its notes are bounded by the slice)
// until it takes over, and then indexes them all.
type sharedOutbox interface{ Held() bool }

// Held implements sharedOutbox.
func (c *Checkpoint) Held() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.loaded
}

// IndexerOptions tune an Indexer; the zero value is fine.
type IndexerOptions struct {
	// Batch is the most events handled together (default 256).
	Batch int
	// Poll is how long the indexer sleeps when the outbox is empty and
	// nobody calls Notify (default 500 ms).
	Poll time.Duration
	// MinBackoff and MaxBackoff bound the wait after a failure, which
	// doubles from the first to the second (defaults 100 ms and 30 s).
	MinBackoff, MaxBackoff time.Duration
	// ReindexBatch is the number of documents per rebuild batch (default
	// 5,000).
	ReindexBatch int
	// Logger receives failures and recoveries (default slog.Default()).
	Logger *slog.Logger
}

func (o IndexerOptions) withDefaults() IndexerOptions {
	if o.Batch <= 0 {
		o.Batch = 256
	}
	if o.Poll <= 0 {
		o.Poll = 500 * time.Millisecond
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = 100 * time.Millisecond
	}
	if o.MaxBackoff < o.MinBackoff {
		o.MaxBackoff = max(30*time.Second, o.MinBackoff)
	}
	if o.ReindexBatch <= 0 {
		o.ReindexBatch = 5000
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// Indexer keeps the search engine in step with the store. It follows the
// change log from its index's checkpoint (the Outbox) in batches: for each event it reads the entity's current state
// from the Source and upserts its document; for an enterprise or a
// resource it also replaces the entity's pairing documents with its part
// of the matching engine's slice (upsert the current ones, then delete the
// entity's others). A write also moves pairings of other entities into or
// out of the slice; the Source names them (SliceChanges) and the batch
// looks each one up again: upserted when in the slice, deleted when not.
// Only then are the events acknowledged, so a crash between a commit and
// its indexing re-delivers the event, and handling an event twice is
// harmless (document ids are deterministic). When the engine or the Source
// fails, the batch is retried with exponential back-off; writes keep
// succeeding meanwhile and the outbox drains when the engine is back.
// When the Source says everything changed (a full rematch), Run and Drain
// rebuild the index (Reindex).
//
// One Indexer per engine should run; it is safe for concurrent use (Run,
// Drain, Reindex, Notify and Lag may be called from any goroutine).
type Indexer struct {
	eng  Engine
	src  Source
	ob   Outbox
	opts IndexerOptions
	wake chan struct{}

	// mu serialises batches with each other and with the start and end
	// of a reindex.
	mu sync.Mutex
	// While a reindex runs, events are applied to the live index but not
	// acknowledged: held remembers them, so the next batches skip them,
	// and after the swap they are applied again, to the new index.
	holding bool
	held    map[int64]bool
	// seen is the highest event id read from the outbox.
	seen int64
	// carry are pairings the Source named as changed (SliceChanges) and
	// not yet indexed: a failed batch keeps them for the next one.
	// heldKeys are those indexed into the live index during a reindex;
	// after the swap they go back to carry, to be indexed again into the
	// new index. rebuild is set when the Source said everything changed.
	carry    map[matching.PairingKey]bool
	heldKeys map[matching.PairingKey]bool
	rebuild  bool

	stats indexerStats

	// beforeAck, when set (tests), runs between indexing a batch and
	// acknowledging it; an error stops the batch there.
	beforeAck func() error
}

// indexerStats are the counters behind Lag and the metrics.
type indexerStats struct {
	mu            sync.Mutex
	indexed       int64 // events indexed since start
	failures      int64 // failed batch attempts since start
	lastErr       error
	lastErrAt     time.Time
	lastIndexedAt time.Time
	reindex       *Progress
}

// NewIndexer returns an indexer that drains ob into eng, reading the
// entities and pairings from src.
func NewIndexer(eng Engine, src Source, ob Outbox, opts IndexerOptions) *Indexer {
	return &Indexer{eng: eng, src: src, ob: ob, opts: opts.withDefaults(), wake: make(chan struct{}, 1)}
}

// Notify wakes Run up to look at the outbox now: call it after a write
// commits so it is searchable within milliseconds, not a poll interval.
func (ix *Indexer) Notify() {
	select {
	case ix.wake <- struct{}{}:
	default:
	}
}

// Run drains the outbox until ctx is done, then returns ctx.Err(). A
// failing batch is retried after a back-off that doubles up to MaxBackoff;
// the first success resets it.
func (ix *Indexer) Run(ctx context.Context) error {
	var rebuilds sync.WaitGroup
	defer rebuilds.Wait()
	backoff := time.Duration(0)
	for {
		n, err := ix.step(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if ix.startRebuild() {
			// In the background: writes keep reaching the live index.
			rebuilds.Go(func() {
				if err := ix.Reindex(ctx, nil); err != nil && ctx.Err() == nil {
					if !errors.Is(err, ErrRebuilding) {
						ix.opts.Logger.Warn("search indexer: rebuild after a full rematch failed; retrying", "err", err)
					}
					ix.wantRebuild()
				}
			})
		}
		var wait time.Duration
		switch {
		case err != nil:
			backoff = min(max(2*backoff, ix.opts.MinBackoff), ix.opts.MaxBackoff)
			wait = jitter(backoff)
			ix.opts.Logger.Warn("search indexer: batch failed; retrying", "err", err, "retryIn", wait)
		case backoff > 0:
			ix.opts.Logger.Info("search indexer: recovered")
			backoff = 0
		}
		if err == nil && n > 0 {
			continue // more may be pending
		}
		if wait == 0 {
			wait = ix.opts.Poll
		}
		// A write (Notify) cuts a poll short, not a back-off.
		t := time.NewTimer(wait)
		for waiting := true; waiting; {
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-ix.wake:
				if err == nil {
					t.Stop()
					waiting = false
				}
			case <-t.C:
				waiting = false
			}
		}
	}
}

// jitter spreads d by ±20% so that several instances do not retry in step.
func jitter(d time.Duration) time.Duration {
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

// Drain handles pending events and changed pairings until none is left
// (or, during a reindex, until only held events are), and rebuilds the
// index when the Source said everything changed, without retrying: the
// first error is returned. Once writes stop, the index then holds exactly
// the matching engine's slice. The `reindex` command and the tests use it;
// a server uses Run.
func (ix *Indexer) Drain(ctx context.Context) error {
	for {
		if err := ix.drainThrough(ctx, 0); err != nil {
			return err
		}
		if !ix.startRebuild() {
			return nil
		}
		if err := ix.Reindex(ctx, nil); err != nil {
			ix.wantRebuild()
			return err
		}
	}
}

// startRebuild reports whether the Source said everything changed since
// the last reindex started, and no reindex runs; the caller is then to
// run one, and to call wantRebuild if it fails.
func (ix *Indexer) startRebuild() bool {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if !ix.rebuild || ix.holding {
		return false
	}
	ix.rebuild = false
	return true
}

func (ix *Indexer) wantRebuild() {
	ix.mu.Lock()
	ix.rebuild = true
	ix.mu.Unlock()
}

// takeChanges moves the Source's changed pairings into carry. Call with
// mu held.
func (ix *Indexer) takeChanges(ctx context.Context) error {
	ch, err := ix.src.SliceChanges(ctx)
	if err != nil {
		return fmt.Errorf("search: changed pairings: %w", err)
	}
	if ch.All {
		ix.rebuild = true
	}
	if len(ch.Pairings) > 0 && ix.carry == nil {
		ix.carry = make(map[matching.PairingKey]bool, len(ch.Pairings))
	}
	for _, k := range ch.Pairings {
		ix.carry[k] = true
	}
	return nil
}

// drainThrough handles batches until the events up to id through are
// handled (all pending events when through is 0).
func (ix *Indexer) drainThrough(ctx context.Context, through int64) error {
	for {
		n, last, err := ix.stepLast(ctx)
		if err != nil || n == 0 || through > 0 && last >= through {
			return err
		}
	}
}

// step handles one batch and returns the number of events handled.
func (ix *Indexer) step(ctx context.Context) (int, error) {
	n, _, err := ix.stepLast(ctx)
	return n, err
}

// stepLast is step, also returning the id of the last event handled.
func (ix *Indexer) stepLast(ctx context.Context) (int, int64, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	evs, err := ix.ob.PendingOutbox(ctx, ix.opts.Batch+len(ix.held))
	if err != nil {
		return 0, 0, ix.fail(fmt.Errorf("search: read outbox: %w", err))
	}
	fresh := evs[:0:0]
	for _, ev := range evs {
		ix.seen = max(ix.seen, ev.ID)
		if !ix.held[ev.ID] {
			fresh = append(fresh, ev)
		}
	}
	if so, ok := ix.ob.(sharedOutbox); ok && !so.Held() {
		return 0, 0, nil // another indexer follows this index
	}
	if len(fresh) > 0 {
		if sy, ok := ix.src.(Syncer); ok {
			if err := sy.Sync(ctx); err != nil {
				return 0, 0, ix.fail(fmt.Errorf("search: sync source: %w", err))
			}
		}
	}
	// After the sync: the writes of these events have noted their
	// changes.
	if err := ix.takeChanges(ctx); err != nil {
		return 0, 0, ix.fail(err)
	}
	if len(fresh) == 0 && len(ix.carry) == 0 {
		return 0, 0, nil
	}
	keys := make([]matching.PairingKey, 0, len(ix.carry))
	for k := range ix.carry {
		keys = append(keys, k)
	}
	if err := ix.apply(ctx, fresh, keys); err != nil {
		return 0, 0, ix.fail(err)
	}
	if ix.holding {
		for _, k := range keys {
			ix.heldKeys[k] = true
		}
	}
	ix.carry = nil
	if len(fresh) == 0 {
		return len(keys), 0, nil
	}
	if ix.beforeAck != nil {
		if err := ix.beforeAck(); err != nil {
			return 0, 0, err
		}
	}
	ids := make([]int64, len(fresh))
	for i, ev := range fresh {
		ids[i] = ev.ID
	}
	if ix.holding {
		for _, id := range ids {
			ix.held[id] = true
		}
	} else if err := ix.ob.AckOutbox(ctx, ids); err != nil {
		// Indexed but not acknowledged: the events come back and are
		// indexed again, harmlessly.
		return 0, 0, ix.fail(fmt.Errorf("search: acknowledge outbox: %w", err))
	}
	ix.stats.mu.Lock()
	ix.stats.indexed += int64(len(fresh))
	ix.stats.lastIndexedAt = time.Now()
	ix.stats.lastErr = nil
	ix.stats.mu.Unlock()
	return len(fresh) + len(keys), fresh[len(fresh)-1].ID, nil
}

// fail records a failed batch; a batch cut short because the indexer is
// stopping is not one.
func (ix *Indexer) fail(err error) error {
	if errors.Is(err, context.Canceled) {
		return err
	}
	ix.stats.mu.Lock()
	ix.stats.failures++
	ix.stats.lastErr = err
	ix.stats.lastErrAt = time.Now()
	ix.stats.mu.Unlock()
	return err
}

// apply indexes the current state of the entities the events name and of
// the changed pairings keys name.
func (ix *Indexer) apply(ctx context.Context, evs []store.OutboxEvent, keys []matching.PairingKey) error {
	b := newDocBuilder(ix.src)
	type key struct {
		entity string
		id     int64
	}
	seen := map[key]bool{}
	var docs []Document
	var gone []string
	var pairings []*PairingDoc
	var entSels []int64
	var resSels []ResourceRef
	for _, ev := range evs {
		k := key{ev.Entity, ev.EntityID}
		if seen[k] {
			continue
		}
		seen[k] = true
		switch ev.Entity {
		case store.EntityEnterprise:
			d, err := b.enterprise(ctx, ev.EntityID)
			if err != nil {
				return err
			}
			entSels = append(entSels, ev.EntityID)
			if d == nil {
				gone = append(gone, DocID(TypeEnterprise, ev.EntityID))
				continue
			}
			docs = append(docs, d)
			ps, err := ix.src.EnterpriseSlice(ctx, ev.EntityID)
			if err != nil {
				return fmt.Errorf("search: pairings of enterprise %d: %w", ev.EntityID, err)
			}
			pds, err := b.pairings(ctx, ps)
			if err != nil {
				return err
			}
			pairings = append(pairings, pds...)
		case store.EntityProduct, store.EntityIncubator, store.EntityDemand:
			kind, _ := catalog.PairingKindOf(ev.Entity)
			d, err := b.resource(ctx, kind, ev.EntityID)
			if err != nil {
				return err
			}
			resSels = append(resSels, ResourceRef{Kind: kind, ID: ev.EntityID})
			if d == nil {
				gone = append(gone, DocID(ResourceType(kind), ev.EntityID))
				continue
			}
			docs = append(docs, d)
			ps, err := ix.src.ResourceSlice(ctx, kind, ev.EntityID)
			if err != nil {
				return fmt.Errorf("search: pairings of %s %d: %w", ev.Entity, ev.EntityID, err)
			}
			pds, err := b.pairings(ctx, ps)
			if err != nil {
				return err
			}
			pairings = append(pairings, pds...)
		case store.EntityInstitution:
			// Products carry their provider's name, but an institution
			// is created before its products and never changes.
		case store.EntityApplication, store.EntityCompetition:
			// Neither is searchable: applications are private, and
			// competitions are few and listed whole.
		case store.EntityResidency, store.EntityAgreement, store.EntityInterest:
			// Not searchable either. The scores they move reach the index
			// through the engine's slice notes, and an incubator's
			// vacancies through its own entry.
		default:
			ix.opts.Logger.Warn("search indexer: skipping an event of an unknown entity", "entity", ev.Entity, "id", ev.EntityID)
		}
	}

	// First the entities: upsert, then delete what they no longer have,
	// so a reader never sees an entity without its pairings. A pairing
	// written in this batch is kept by every selector that would pick it.
	keepByEnt := map[int64][]string{}
	keepByRes := map[ResourceRef][]string{}
	for _, p := range pairings {
		docs = append(docs, p)
		keepByEnt[p.EnterpriseID] = append(keepByEnt[p.EnterpriseID], p.ID)
		r := ResourceRef{Kind: p.Kind, ID: p.ResourceID}
		keepByRes[r] = append(keepByRes[r], p.ID)
	}
	var sels []PairingSelector
	for _, id := range entSels {
		sels = append(sels, PairingSelector{EnterpriseID: id, Keep: keepByEnt[id]})
	}
	for _, r := range resSels {
		sels = append(sels, PairingSelector{Resource: &r, Keep: keepByRes[r]})
	}
	if err := ix.write(ctx, docs, gone, sels); err != nil {
		return err
	}

	// Then the changed pairings of entities without an event in this
	// batch (those with one were just replaced as a whole), in a write of
	// their own: a write is searchable before the pairings it moved are
	// (a create in a small cohort moves the scores of hundreds).
	entSel := make(map[int64]bool, len(entSels))
	for _, id := range entSels {
		entSel[id] = true
	}
	resSel := make(map[ResourceRef]bool, len(resSels))
	for _, r := range resSels {
		resSel[r] = true
	}
	docs, gone = nil, nil
	for _, k := range keys {
		if entSel[k.EnterpriseID] || resSel[ResourceRef{Kind: k.Kind, ID: k.ResourceID}] {
			continue
		}
		p, in, err := ix.src.SlicePairing(ctx, k)
		if err != nil {
			return fmt.Errorf("search: pairing %s %d/%d: %w", k.Kind, k.EnterpriseID, k.ResourceID, err)
		}
		var pds []*PairingDoc
		if in {
			if pds, err = b.pairings(ctx, []matching.Pairing{p}); err != nil {
				return err
			}
		}
		if len(pds) == 0 { // out of the slice, or an entity is gone
			gone = append(gone, PairingDocID(k.Kind, k.EnterpriseID, k.ResourceID))
		}
		for _, d := range pds {
			docs = append(docs, d)
		}
	}
	return ix.write(ctx, docs, gone, nil)
}

// write upserts docs, then deletes the documents gone names and the
// pairings sels pick.
func (ix *Indexer) write(ctx context.Context, docs []Document, gone []string, sels []PairingSelector) error {
	if len(docs) > 0 {
		if err := ix.eng.Index(ctx, docs); err != nil {
			return err
		}
	}
	if len(gone) > 0 {
		if err := ix.eng.Delete(ctx, gone); err != nil {
			return err
		}
	}
	if len(sels) > 0 {
		return ix.eng.DeletePairings(ctx, sels...)
	}
	return nil
}

// Lag is the indexer's state for /readyz and /metrics.
type Lag struct {
	// Pending is the number of outbox events not yet acknowledged, and
	// Oldest the age of the oldest (0 when none).
	Pending int
	Oldest  time.Duration
	// LastError is the error of the last batch, "" when it succeeded.
	LastError   string
	LastErrorAt time.Time
	// LastIndexedAt is when a batch last succeeded; Indexed and Failures
	// count events indexed and failed batch attempts since start.
	LastIndexedAt time.Time
	Indexed       int64
	Failures      int64
	// Reindex is the progress of a running reindex, or nil.
	Reindex *Progress
}

// Lag reads the outbox's backlog and the indexer's counters.
func (ix *Indexer) Lag(ctx context.Context) (Lag, error) {
	n, oldest, err := ix.ob.OutboxLag(ctx)
	if err != nil {
		return Lag{}, fmt.Errorf("search: outbox lag: %w", err)
	}
	l := Lag{Pending: n}
	if n > 0 && !oldest.IsZero() {
		l.Oldest = max(time.Since(oldest), 0)
	}
	ix.stats.mu.Lock()
	defer ix.stats.mu.Unlock()
	if ix.stats.lastErr != nil {
		l.LastError = ix.stats.lastErr.Error()
	}
	l.LastErrorAt = ix.stats.lastErrAt
	l.LastIndexedAt = ix.stats.lastIndexedAt
	l.Indexed = ix.stats.indexed
	l.Failures = ix.stats.failures
	if ix.stats.reindex != nil {
		p := *ix.stats.reindex
		l.Reindex = &p
	}
	return l, nil
}
