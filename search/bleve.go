package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Bleve is the embedded engine: two Bleve scorch indexes on disk, one for
// the catalogue (the four entity types, told apart by a type field, so a
// search across types ranks them together) and one for the pairings.
//
// Layout of the directory given to OpenBleve:
//
//	CURRENT                  names the live generation, e.g. "gen-000003"
//	gen-000003/catalog       the catalogue index
//	gen-000003/pairings      the pairings index
//
// A rebuild fills a new generation directory and commits by renaming a new
// CURRENT file over the old one (atomic on POSIX file systems) and
// switching the open indexes under a lock, so readers see either the old
// generation or the new one, never a part of one. A crash mid-rebuild
// leaves a stray directory that the next Open removes.
type Bleve struct {
	dir string

	// mu is held for reading by every operation on the indexes and for
	// writing to swap or close them.
	mu     sync.RWMutex
	live   *generation
	closed bool

	rebuildMu sync.Mutex // one rebuild at a time
}

// generation is one pair of indexes.
type generation struct {
	name string
	cat  bleve.Index
	pair bleve.Index
}

func (g *generation) close() error {
	return errors.Join(g.cat.Close(), g.pair.Close())
}

const (
	currentFile = "CURRENT"
	genPrefix   = "gen-"
)

// indexConfig is the scorch runtime configuration: fail fast when another
// process holds the index instead of waiting on its file lock forever.
func indexConfig() map[string]any { return map[string]any{"bolt_timeout": "3s"} }

var _ Engine = (*Bleve)(nil)

// OpenBleve opens the embedded engine in dir, creating the directory and
// empty indexes when missing. One process at a time may hold it.
func OpenBleve(dir string) (*Bleve, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("search: create index directory: %w", err)
	}
	name, err := readCurrent(dir)
	if err != nil {
		return nil, err
	}
	var g *generation
	if name != "" {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			if g, err = openGeneration(dir, name); err != nil {
				return nil, err
			}
		}
	}
	if g == nil {
		if g, err = newGeneration(dir); err != nil {
			return nil, err
		}
		if err := writeCurrent(dir, g.name); err != nil {
			g.close()
			return nil, err
		}
	}
	if err := removeStale(dir, g.name); err != nil {
		g.close()
		return nil, err
	}
	return &Bleve{dir: dir, live: g}, nil
}

func readCurrent(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, currentFile))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("search: read %s: %w", currentFile, err)
	}
	name := strings.TrimSpace(string(b))
	if !strings.HasPrefix(name, genPrefix) || strings.ContainsAny(name, `/\`) {
		return "", fmt.Errorf("search: %s names %q, not a generation", currentFile, name)
	}
	return name, nil
}

// writeCurrent points CURRENT at a generation: write a temporary file,
// sync it, rename it over CURRENT, sync the directory.
func writeCurrent(dir, name string) error {
	tmp := filepath.Join(dir, currentFile+".tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("search: write %s: %w", currentFile, err)
	}
	_, err = f.WriteString(name + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, currentFile))
	}
	if err == nil {
		err = syncDir(dir)
	}
	if err != nil {
		return fmt.Errorf("search: write %s: %w", currentFile, err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// generations lists the generation directories in dir, oldest first.
func generations(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("search: list index directory: %w", err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), genPrefix) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// removeStale removes every generation directory but keep.
func removeStale(dir, keep string) error {
	names, err := generations(dir)
	if err != nil {
		return err
	}
	for _, n := range names {
		if n != keep {
			if err := os.RemoveAll(filepath.Join(dir, n)); err != nil {
				return fmt.Errorf("search: remove old index: %w", err)
			}
		}
	}
	return nil
}

// newGeneration creates empty indexes in a new generation directory.
func newGeneration(dir string) (*generation, error) {
	names, err := generations(dir)
	if err != nil {
		return nil, err
	}
	next := 1
	if len(names) > 0 {
		n, _ := strconv.Atoi(strings.TrimPrefix(names[len(names)-1], genPrefix))
		next = n + 1
	}
	name := fmt.Sprintf("%s%06d", genPrefix, next)
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(path, 0o755); err != nil {
		return nil, fmt.Errorf("search: create index: %w", err)
	}
	cm, err := catalogMapping()
	if err != nil {
		return nil, fmt.Errorf("search: catalogue mapping: %w", err)
	}
	pm, err := pairingMapping()
	if err != nil {
		return nil, fmt.Errorf("search: pairings mapping: %w", err)
	}
	cat, err := bleve.NewUsing(filepath.Join(path, "catalog"), cm, scorch.Name, scorch.Name, indexConfig())
	if err != nil {
		return nil, fmt.Errorf("search: create catalogue index: %w", err)
	}
	pair, err := bleve.NewUsing(filepath.Join(path, "pairings"), pm, scorch.Name, scorch.Name, indexConfig())
	if err != nil {
		cat.Close()
		return nil, fmt.Errorf("search: create pairings index: %w", err)
	}
	return &generation{name: name, cat: cat, pair: pair}, nil
}

func openGeneration(dir, name string) (*generation, error) {
	path := filepath.Join(dir, name)
	cat, err := bleve.OpenUsing(filepath.Join(path, "catalog"), indexConfig())
	if err != nil {
		return nil, fmt.Errorf("search: open catalogue index: %w", err)
	}
	pair, err := bleve.OpenUsing(filepath.Join(path, "pairings"), indexConfig())
	if err != nil {
		cat.Close()
		return nil, fmt.Errorf("search: open pairings index: %w", err)
	}
	return &generation{name: name, cat: cat, pair: pair}, nil
}

// Name implements Engine.
func (b *Bleve) Name() string { return "bleve" }

// acquire read-locks the live generation; call the returned func to
// release it.
func (b *Bleve) acquire() (*generation, func(), error) {
	b.mu.RLock()
	if b.closed {
		b.mu.RUnlock()
		return nil, nil, ErrClosed
	}
	return b.live, b.mu.RUnlock, nil
}

// Index implements Engine. Each index's share of docs is applied in one
// batch, durably (fsynced) before Index returns.
func (b *Bleve) Index(ctx context.Context, docs []Document) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	g, release, err := b.acquire()
	if err != nil {
		return err
	}
	defer release()
	return indexInto(g, docs)
}

func indexInto(g *generation, docs []Document) error {
	cb, pb := g.cat.NewBatch(), g.pair.NewBatch()
	for _, d := range docs {
		if !validID(d.DocID()) {
			return fmt.Errorf("%w: id %q", ErrBadDocument, d.DocID())
		}
		var err error
		switch d := d.(type) {
		case *CatalogDoc:
			err = cb.Index(d.ID, toBleveCatalog(d))
		case *PairingDoc:
			err = pb.Index(d.ID, toBlevePairing(d))
		default:
			err = fmt.Errorf("%w: %T", ErrBadDocument, d)
		}
		if err != nil {
			return fmt.Errorf("search: index %s: %w", d.DocID(), err)
		}
	}
	return applyBatches(g, cb, pb)
}

func applyBatches(g *generation, cb, pb *bleve.Batch) error {
	if cb.Size() > 0 {
		if err := g.cat.Batch(cb); err != nil {
			return fmt.Errorf("search: catalogue batch: %w", err)
		}
	}
	if pb.Size() > 0 {
		if err := g.pair.Batch(pb); err != nil {
			return fmt.Errorf("search: pairings batch: %w", err)
		}
	}
	return nil
}

// Delete implements Engine.
func (b *Bleve) Delete(ctx context.Context, ids []string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	g, release, err := b.acquire()
	if err != nil {
		return err
	}
	defer release()
	cb, pb := g.cat.NewBatch(), g.pair.NewBatch()
	for _, id := range ids {
		if strings.HasPrefix(id, string(TypePairing)+"-") {
			pb.Delete(id)
		} else {
			cb.Delete(id)
		}
	}
	return applyBatches(g, cb, pb)
}

// DeletePairings implements Engine: it finds the selected ids, then
// deletes them in one batch.
func (b *Bleve) DeletePairings(ctx context.Context, sels ...PairingSelector) error {
	if len(sels) == 0 {
		return nil
	}
	qs := make([]query.Query, len(sels))
	for i, sel := range sels {
		var err error
		if qs[i], err = selectorQuery(sel); err != nil {
			return err
		}
	}
	var q query.Query = qs[0]
	if len(qs) > 1 {
		q = bleve.NewDisjunctionQuery(qs...)
	}
	g, release, err := b.acquire()
	if err != nil {
		return err
	}
	defer release()
	ids, err := allIDs(ctx, g.pair, q)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	pb := g.pair.NewBatch()
	for _, id := range ids {
		pb.Delete(id)
	}
	if err := g.pair.Batch(pb); err != nil {
		return fmt.Errorf("search: delete pairings: %w", err)
	}
	return nil
}

func selectorQuery(sel PairingSelector) (query.Query, error) {
	var must []query.Query
	if sel.EnterpriseID != 0 {
		must = append(must, termQuery(fEnterprise, idString(sel.EnterpriseID)))
	}
	if sel.Resource != nil {
		must = append(must, termQuery(fResource, resourceKey(sel.Resource.Kind, sel.Resource.ID)))
	}
	if len(must) == 0 {
		return nil, ErrBadSelector
	}
	var not []query.Query
	if len(sel.Keep) > 0 {
		not = append(not, bleve.NewDocIDQuery(sel.Keep))
	}
	return query.NewBooleanQuery(must, nil, not), nil
}

// allIDs returns the ids of every document q matches.
func allIDs(ctx context.Context, idx bleve.Index, q query.Query) ([]string, error) {
	const page = 2000
	var ids []string
	var after []string
	for {
		req := bleve.NewSearchRequestOptions(q, page, 0, false)
		req.SortBy([]string{"_id"})
		req.Score = "none"
		req.SearchAfter = after
		res, err := idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("search: select documents: %w", err)
		}
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		if len(res.Hits) < page {
			return ids, nil
		}
		after = []string{res.Hits[len(res.Hits)-1].ID}
	}
}

// Ping implements Engine.
func (b *Bleve) Ping(ctx context.Context) error {
	g, release, err := b.acquire()
	if err != nil {
		return err
	}
	defer release()
	if _, err := g.cat.DocCount(); err != nil {
		return fmt.Errorf("search: catalogue index: %w", err)
	}
	if _, err := g.pair.DocCount(); err != nil {
		return fmt.Errorf("search: pairings index: %w", err)
	}
	return ctx.Err()
}

// Stats implements Engine.
func (b *Bleve) Stats(ctx context.Context) (Stats, error) {
	g, release, err := b.acquire()
	if err != nil {
		return Stats{}, err
	}
	defer release()
	return generationStats(ctx, g)
}

func generationStats(ctx context.Context, g *generation) (Stats, error) {
	st := Stats{Engine: "bleve", Documents: map[DocType]int{}}
	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 0, 0, false)
	req.AddFacet(fType, bleve.NewFacetRequest(fType, len(CatalogTypes)+1))
	res, err := g.cat.SearchInContext(ctx, req)
	if err != nil {
		return Stats{}, fmt.Errorf("search: count catalogue: %w", err)
	}
	for _, t := range CatalogTypes {
		st.Documents[t] = 0
	}
	if f := res.Facets[fType]; f != nil && f.Terms != nil {
		for _, t := range f.Terms.Terms() {
			st.Documents[DocType(t.Term)] = t.Count
		}
	}
	n, err := g.pair.DocCount()
	if err != nil {
		return Stats{}, fmt.Errorf("search: count pairings: %w", err)
	}
	st.Documents[TypePairing] = int(n)
	return st, nil
}

// Close implements Engine. It waits for the operations in progress.
func (b *Bleve) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil
	}
	b.closed = true
	if err := b.live.close(); err != nil {
		return fmt.Errorf("search: close: %w", err)
	}
	return nil
}
