package search

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/store"
)

// Outbox is the store's outbox as the indexer drains it; *store.Store
// implements it. Events are durable until acknowledged.
type Outbox interface {
	PendingOutbox(ctx context.Context, limit int) ([]store.OutboxEvent, error)
	AckOutbox(ctx context.Context, ids []int64) error
	OutboxLag(ctx context.Context) (n int, oldest time.Time, err error)
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

// Indexer keeps the search engine in step with the store. It drains the
// outbox in batches: for each event it reads the entity's current state
// from the Source and upserts its document; for an enterprise or a
// resource it also replaces the entity's pairing documents (upsert the
// current ones, then delete the entity's others). Only then are the events
// acknowledged, so a crash between a commit and its indexing re-delivers
// the event, and handling an event twice is harmless (document ids are
// deterministic). When the engine or the Source fails, the batch is
// retried with exponential back-off; writes keep succeeding meanwhile and
// the outbox drains when the engine is back.
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
	backoff := time.Duration(0)
	for {
		n, err := ix.step(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
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

// Drain handles pending events until none is left (or, during a reindex,
// until only held ones are), without retrying: the first error is
// returned. The `reindex` command and the tests use it; a server uses Run.
func (ix *Indexer) Drain(ctx context.Context) error { return ix.drainThrough(ctx, 0) }

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
	if len(fresh) == 0 {
		return 0, 0, nil
	}
	if sy, ok := ix.src.(Syncer); ok {
		if err := sy.Sync(ctx); err != nil {
			return 0, 0, ix.fail(fmt.Errorf("search: sync source: %w", err))
		}
	}
	if err := ix.apply(ctx, fresh); err != nil {
		return 0, 0, ix.fail(err)
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
	return len(fresh), fresh[len(fresh)-1].ID, nil
}

func (ix *Indexer) fail(err error) error {
	ix.stats.mu.Lock()
	ix.stats.failures++
	ix.stats.lastErr = err
	ix.stats.lastErrAt = time.Now()
	ix.stats.mu.Unlock()
	return err
}

// apply indexes the current state of the entities the events name.
func (ix *Indexer) apply(ctx context.Context, evs []store.OutboxEvent) error {
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
			ps, err := ix.src.EnterprisePairings(ctx, ev.EntityID)
			if err != nil {
				return fmt.Errorf("search: pairings of enterprise %d: %w", ev.EntityID, err)
			}
			pds, err := b.pairings(ctx, ps)
			if err != nil {
				return err
			}
			pairings = append(pairings, pds...)
		case store.EntityProduct, store.EntityIncubator, store.EntityDemand:
			kind := resourceKind(ev.Entity)
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
			ps, err := ix.src.ResourcePairings(ctx, kind, ev.EntityID)
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
		default:
			ix.opts.Logger.Warn("search indexer: skipping an event of an unknown entity", "entity", ev.Entity, "id", ev.EntityID)
		}
	}

	// Upsert first, then delete what the entities no longer have, so a
	// reader never sees an entity without its pairings. A pairing written
	// in this batch is kept by every selector that would pick it.
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
	return ix.eng.DeletePairings(ctx, sels...)
}

// resourceKind is the kind of pairings an outbox entity takes part in as
// a resource.
func resourceKind(entity string) catalog.PairingKind {
	switch entity {
	case store.EntityProduct:
		return catalog.Financing
	case store.EntityIncubator:
		return catalog.Incubation
	case store.EntityDemand:
		return catalog.IndustryChain
	}
	return ""
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
