package search

import (
	"context"
	"errors"
	"sync"

	"github.com/meilisearch/meilisearch-go"
)

// nextSuffix names the indexes a rebuild fills: "pairings_next" and so on.
const nextSuffix = "_next"

// maxPendingTasks bounds the document tasks a rebuild enqueues before it
// waits for the oldest: Meilisearch works through them while the next
// batches are built and sent.
const maxPendingTasks = 8

// meiliRebuild fills the <uid>_next indexes; Commit swaps them with the
// live ones in one swapIndexes task and deletes the old ones.
type meiliRebuild struct {
	m *Meili

	mu      sync.Mutex
	pending []pendingTask
	done    bool
}

// Rebuild implements Engine: it recreates the <uid>_next indexes, empty,
// with their settings applied before any document.
func (m *Meili) Rebuild(ctx context.Context) (Rebuild, error) {
	if !m.rebuildMu.TryLock() {
		return nil, ErrRebuilding
	}
	for _, t := range meiliTypes {
		next := m.uid(t) + nextSuffix
		if err := m.dropIndex(ctx, next); err != nil {
			m.rebuildMu.Unlock()
			return nil, err
		}
		if err := m.prepareIndex(ctx, next, t); err != nil {
			m.rebuildMu.Unlock()
			return nil, err
		}
	}
	return &meiliRebuild{m: m}, nil
}

// dropIndex deletes an index; one that does not exist is fine.
func (m *Meili) dropIndex(ctx context.Context, uid string) error {
	info, err := m.client.DeleteIndex(ctx, uid)
	err = m.await(ctx, info, err, "delete index "+uid)
	if err != nil && !isTaskCode(err, "index_not_found") {
		return err
	}
	return nil
}

func (m *Meili) nextUID(t DocType) string { return m.uid(t) + nextSuffix }

// Index implements Rebuild.
func (r *meiliRebuild) Index(ctx context.Context, docs []Document) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.done {
		return ErrClosed
	}
	tasks, err := r.m.send(ctx, docs, r.m.nextUID)
	if err != nil {
		return err
	}
	r.pending = append(r.pending, tasks...)
	for len(r.pending) > maxPendingTasks {
		if err := r.m.awaitUID(ctx, r.pending[0].uid, r.pending[0].what); err != nil {
			return err
		}
		r.pending = r.pending[1:]
	}
	return nil
}

// Commit implements Rebuild: once every document task succeeded, one
// swapIndexes task exchanges each live index with its _next, atomically
// for all of them; the _next indexes, now holding the old documents, are
// deleted.
func (r *meiliRebuild) Commit(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.done {
		return ErrClosed
	}
	for _, p := range r.pending {
		if err := r.m.awaitUID(ctx, p.uid, p.what); err != nil {
			return errors.Join(err, r.abortLocked(ctx))
		}
	}
	r.pending = nil
	swaps := make([]*meilisearch.SwapIndexesParams, 0, len(meiliTypes))
	for _, t := range meiliTypes {
		swaps = append(swaps, &meilisearch.SwapIndexesParams{Indexes: []string{r.m.uid(t), r.m.nextUID(t)}})
	}
	info, err := r.m.client.SwapIndexes(ctx, swaps)
	if err := r.m.await(ctx, info, err, "swap indexes"); err != nil {
		return errors.Join(err, r.abortLocked(ctx))
	}
	r.done = true
	r.m.rebuildMu.Unlock()
	var errs []error
	for _, t := range meiliTypes {
		errs = append(errs, r.m.dropIndex(ctx, r.m.nextUID(t)))
	}
	return errors.Join(errs...)
}

// Abort implements Rebuild.
func (r *meiliRebuild) Abort(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.done {
		return nil
	}
	return r.abortLocked(ctx)
}

func (r *meiliRebuild) abortLocked(ctx context.Context) error {
	r.done = true
	defer r.m.rebuildMu.Unlock()
	var errs []error
	for _, t := range meiliTypes {
		errs = append(errs, r.m.dropIndex(ctx, r.m.nextUID(t)))
	}
	return errors.Join(errs...)
}
