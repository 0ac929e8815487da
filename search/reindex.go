package search

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/matching"
)

// Progress is the advance of a reindex, for a progress bar.
type Progress struct {
	// Phase is "documents" while the new index fills, then "commit"
	// (the swap), "replay" (the writes made meanwhile) and "done".
	Phase string `json:"phase"`
	// Done of Total entities have their documents (their own and their
	// pairings') in the new index.
	Done  int `json:"done"`
	Total int `json:"total"`
	// Documents counts the documents sent to the new index.
	Documents int       `json:"documents"`
	Started   time.Time `json:"started"`
}

// Reindex rebuilds the whole index from the Source: every entity of a
// snapshot and the pairings of every enterprise and resource go into a
// fresh index, which then replaces the live one atomically. progress, when
// not nil, is called as the work advances (from this goroutine).
//
// Writes go on meanwhile. The indexer keeps applying them to the live
// index but does not acknowledge them until the new index is in place;
// then it applies them again, to the new index, and acknowledges them.
// So a write committed during the rebuild is in the new index whether or
// not the snapshot saw it, and a crash at any point loses nothing (the
// events are still in the outbox; a half-built index is discarded).
//
// Reindex must run in the process that runs the indexer for this engine
// (the embedded engine is locked by one process anyway).
func (ix *Indexer) Reindex(ctx context.Context, progress func(Progress)) (err error) {
	ix.mu.Lock()
	if ix.holding {
		ix.mu.Unlock()
		return ErrRebuilding
	}
	ix.holding, ix.held, ix.heldKeys = true, map[int64]bool{}, map[matching.PairingKey]bool{}
	// This rebuild reads the engine as it is from now on: it is the one
	// a full rematch asked for, unless it fails.
	wanted := ix.rebuild
	ix.rebuild = false
	ix.mu.Unlock()
	defer func() {
		if err != nil && wanted {
			ix.wantRebuild()
		}
	}()
	// release ends the hold and returns the last event read so far: the
	// replay goes that far. The changed pairings indexed meanwhile are
	// indexed again, into the new index.
	release := func() int64 {
		ix.mu.Lock()
		defer ix.mu.Unlock()
		if len(ix.heldKeys) > 0 && ix.carry == nil {
			ix.carry = make(map[matching.PairingKey]bool, len(ix.heldKeys))
		}
		for k := range ix.heldKeys {
			ix.carry[k] = true
		}
		ix.holding, ix.held, ix.heldKeys = false, nil, nil
		return ix.seen
	}
	defer func() {
		release()
		ix.setReindex(nil)
		ix.Notify() // Run applies the held events again
	}()

	p := Progress{Phase: "documents", Started: time.Now()}
	report := func() {
		ix.setReindex(&p)
		if progress != nil {
			progress(p)
		}
	}
	if sy, ok := ix.src.(Syncer); ok {
		if err := sy.Sync(ctx); err != nil {
			return fmt.Errorf("search: sync source: %w", err)
		}
	}
	snap, err := ix.src.Snapshot(ctx)
	if err != nil {
		return fmt.Errorf("search: snapshot: %w", err)
	}
	p.Total = len(snap.Enterprises) + len(snap.Products) + len(snap.Incubators) + len(snap.Demands)
	report()

	r, err := ix.eng.Rebuild(ctx)
	if err != nil {
		return err
	}
	if err := ix.fill(ctx, r, snap, &p, report); err != nil {
		return errors.Join(err, r.Abort(context.WithoutCancel(ctx)))
	}
	p.Phase = "commit"
	report()
	if err := r.Commit(ctx); err != nil {
		return err
	}
	last := release()
	p.Phase = "replay"
	report()
	// Replay what was held (and whatever else is pending before it; all
	// of it when nothing was read); Run carries on with later writes.
	if err := ix.drainThrough(ctx, last); err != nil {
		// The new index is live; Run retries the replay.
		return fmt.Errorf("search: replay the writes made during the reindex: %w", err)
	}
	p.Phase = "done"
	report()
	return nil
}

func (ix *Indexer) setReindex(p *Progress) {
	ix.stats.mu.Lock()
	defer ix.stats.mu.Unlock()
	if p == nil {
		ix.stats.reindex = nil
		return
	}
	c := *p
	ix.stats.reindex = &c
}

// reindexBatch is a batch of documents and the entities it completes.
type reindexBatch struct {
	docs     []Document
	entities int
}

// fill streams the documents of a snapshot into a rebuild: one goroutine
// builds batches (reading the pairings from the Source) while this one
// indexes them.
func (ix *Indexer) fill(ctx context.Context, r Rebuild, snap *catalog.Dataset, p *Progress, report func()) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan reindexBatch, 2)
	built := make(chan error, 1)
	go func() {
		defer close(batches)
		built <- ix.produce(ctx, snap, batches)
	}()
	for b := range batches {
		if err := r.Index(ctx, b.docs); err != nil {
			cancel()
			for range batches {
			}
			return err
		}
		p.Done += b.entities
		p.Documents += len(b.docs)
		report()
	}
	return <-built
}

// pairingKey identifies a pairing without formatting its id.
type pairingKey struct {
	kind     int8
	ent, res int64
}

// produce sends the documents of every entity of snap, each entity's own
// document with its pairings. A pairing in both an enterprise's list and
// a resource's is sent once.
func (ix *Indexer) produce(ctx context.Context, snap *catalog.Dataset, out chan<- reindexBatch) error {
	b := newDocBuilder(ix.src)
	b.seed(snap)
	seen := map[pairingKey]bool{}
	batch := reindexBatch{docs: make([]Document, 0, ix.opts.ReindexBatch)}
	add := func(own *CatalogDoc, ps []*PairingDoc) error {
		batch.docs = append(batch.docs, own)
		for _, d := range ps {
			k := pairingKey{int8(d.Kind.Order()), d.EnterpriseID, d.ResourceID}
			if !seen[k] {
				seen[k] = true
				batch.docs = append(batch.docs, d)
			}
		}
		batch.entities++
		if len(batch.docs) < ix.opts.ReindexBatch {
			return nil
		}
		select {
		case out <- batch:
		case <-ctx.Done():
			return ctx.Err()
		}
		batch = reindexBatch{docs: make([]Document, 0, ix.opts.ReindexBatch)}
		return nil
	}
	for _, e := range snap.Enterprises {
		ps, err := ix.src.EnterprisePairings(ctx, e.ID)
		if err != nil {
			return fmt.Errorf("search: pairings of enterprise %d: %w", e.ID, err)
		}
		docs, err := b.pairings(ctx, ps)
		if err != nil {
			return err
		}
		if err := add(b.ents[e.ID], docs); err != nil {
			return err
		}
	}
	resources := make([]ResourceRef, 0, len(snap.Products)+len(snap.Incubators)+len(snap.Demands))
	for _, x := range snap.Products {
		resources = append(resources, ResourceRef{Kind: catalog.Financing, ID: x.ID})
	}
	for _, x := range snap.Incubators {
		resources = append(resources, ResourceRef{Kind: catalog.Incubation, ID: x.ID})
	}
	for _, x := range snap.Demands {
		resources = append(resources, ResourceRef{Kind: catalog.IndustryChain, ID: x.ID})
	}
	for _, ref := range resources {
		ps, err := ix.src.ResourcePairings(ctx, ref.Kind, ref.ID)
		if err != nil {
			return fmt.Errorf("search: pairings of %s %d: %w", ResourceType(ref.Kind), ref.ID, err)
		}
		docs, err := b.pairings(ctx, ps)
		if err != nil {
			return err
		}
		if err := add(b.res[ref], docs); err != nil {
			return err
		}
	}
	if len(batch.docs) > 0 {
		select {
		case out <- batch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
