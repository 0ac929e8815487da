package search

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/demo"
	"github.com/yurong/yurong/matching"
	"github.com/yurong/yurong/store"
)

// The indexer's tests run on the real SQLite store (its real outbox) and
// the real embedded engine; faults are injected around the engine.

var testToday = time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)

// liveCatalog stands in for the marketplace's read model: the test applies
// every write to it and to the matching engine after the store commits, as
// the marketplace does.
type liveCatalog struct {
	// writes is held by every write of the world from its commit until the
	// catalogue and the engine reflect it; Sync waits for it, as
	// marketplace.Service.Sync waits for the write path, so an indexer never
	// reads a logged change before the read model has it.
	writes *sync.Mutex
	mu     sync.RWMutex
	d      *catalog.Dataset
	ents   map[int64]*catalog.Enterprise
	insts  map[int64]*catalog.Institution
	prods  map[int64]*catalog.FinancialProduct
	incs   map[int64]*catalog.Incubator
	dems   map[int64]*catalog.SupplyChainDemand
}

// Sync implements Syncer.
func (c *liveCatalog) Sync(context.Context) error {
	c.writes.Lock()
	c.writes.Unlock()
	return nil
}

func (c *liveCatalog) Enterprise(id int64) *catalog.Enterprise {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.ents[id]
}

func (c *liveCatalog) Institution(id int64) *catalog.Institution {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.insts[id]
}

func (c *liveCatalog) FinancialProduct(id int64) *catalog.FinancialProduct {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.prods[id]
}

func (c *liveCatalog) Incubator(id int64) *catalog.Incubator {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.incs[id]
}

func (c *liveCatalog) Demand(id int64) *catalog.SupplyChainDemand {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.dems[id]
}

// snapshot copies the lists, as a read model would.
func (c *liveCatalog) snapshot(context.Context) (*catalog.Dataset, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	d := &catalog.Dataset{}
	for _, e := range c.ents {
		d.Enterprises = append(d.Enterprises, e)
	}
	for _, x := range c.insts {
		d.Institutions = append(d.Institutions, x)
	}
	for _, x := range c.prods {
		d.Products = append(d.Products, x)
	}
	for _, x := range c.incs {
		d.Incubators = append(d.Incubators, x)
	}
	for _, x := range c.dems {
		d.Demands = append(d.Demands, x)
	}
	return d, nil
}

// world is a store, a read model, a matching engine and an index.
type world struct {
	t     *testing.T
	ctx   context.Context
	st    *store.Store
	cat   *liveCatalog
	m     *matching.Engine
	dir   string
	eng   Engine
	src   Source
	seq   int
	write sync.Mutex // serialises writes, as the marketplace does
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// newWorld commits a small demo marketplace through the store, one
// outbox event per entity.
func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	w := &world{t: t, ctx: ctx, st: st, dir: filepath.Join(t.TempDir(), "search"),
		cat: &liveCatalog{ents: map[int64]*catalog.Enterprise{}, insts: map[int64]*catalog.Institution{},
			prods: map[int64]*catalog.FinancialProduct{}, incs: map[int64]*catalog.Incubator{},
			dems: map[int64]*catalog.SupplyChainDemand{}},
		m: matching.New(matching.Config{Today: func() time.Time { return testToday }}),
	}
	w.cat.writes = &w.write
	w.m.Rebuild(&catalog.Dataset{})
	d := demo.GenerateSizes(7, demo.Sizes{Enterprises: 40, Institutions: 6, Products: 8, Incubators: 4, Demands: 10}, testToday)
	for _, in := range d.Institutions {
		must(t, st.CreateInstitution(ctx, in))
		w.cat.insts[in.ID] = in
	}
	for _, p := range d.Products {
		must(t, st.CreateFinancialProduct(ctx, p))
		w.cat.prods[p.ID] = p
		w.m.UpsertProduct(p)
	}
	for _, in := range d.Incubators {
		must(t, st.CreateIncubator(ctx, in))
		w.cat.incs[in.ID] = in
		w.m.UpsertIncubator(in)
	}
	for _, dm := range d.Demands {
		must(t, st.CreateDemand(ctx, dm))
		w.cat.dems[dm.ID] = dm
		w.m.UpsertDemand(dm)
	}
	for _, e := range d.Enterprises {
		w.addEnterprise(e)
	}
	w.src = NewSource(w.cat, w.m, w.cat.snapshot, Limits{PerEnterprise: 2, PerResource: 5})
	w.openEngine()
	return w
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (w *world) openEngine() {
	b, err := OpenBleve(w.dir)
	must(w.t, err)
	w.eng = b
	w.t.Cleanup(func() { b.Close() })
}

// addEnterprise commits an enterprise, then applies it to the read model
// and the matching engine.
func (w *world) addEnterprise(e *catalog.Enterprise) {
	w.write.Lock()
	defer w.write.Unlock()
	w.seq++
	e.CreditCode = fmt.Sprintf("91410100TEST%06d", w.seq)
	must(w.t, w.st.CreateEnterprise(w.ctx, e))
	w.cat.mu.Lock()
	w.cat.ents[e.ID] = e
	w.cat.mu.Unlock()
	w.m.UpsertEnterprise(e)
}

// renameEnterprise commits a new name for an enterprise.
func (w *world) renameEnterprise(id int64, name string) {
	w.write.Lock()
	defer w.write.Unlock()
	e := *w.cat.Enterprise(id)
	e.Name = name
	must(w.t, w.st.UpdateEnterprise(w.ctx, &e))
	w.cat.mu.Lock()
	w.cat.ents[id] = &e
	w.cat.mu.Unlock()
	w.m.UpsertEnterprise(&e)
}

func (w *world) newEnterprise(name string) *catalog.Enterprise {
	d := demo.GenerateSizes(int64(1000+w.seq), demo.Sizes{Enterprises: 1}, testToday)
	e := d.Enterprises[0]
	e.Name = name
	w.addEnterprise(e)
	return e
}

// checkpointName is the name of the world's index's checkpoint: every
// indexer of a world follows the log from the same position, as a
// restarted instance does.
const checkpointName = "test index"

func (w *world) indexer(eng Engine) *Indexer {
	return NewIndexer(eng, w.src, NewCheckpoint(w.st, checkpointName), IndexerOptions{Poll: 5 * time.Millisecond, MinBackoff: 2 * time.Millisecond,
		MaxBackoff: 20 * time.Millisecond, Logger: quietLogger(), ReindexBatch: 500})
}

func (w *world) pending() int {
	pos, err := w.st.Position(w.ctx, checkpointName)
	must(w.t, err)
	n, _, err := w.st.LogLag(w.ctx, pos)
	must(w.t, err)
	return n
}

// wantPairings is every pairing the index should hold for the current
// state: each enterprise's list and each resource's.
func (w *world) wantPairings() map[string]bool {
	want := map[string]bool{}
	d, _ := w.cat.snapshot(w.ctx)
	for _, e := range d.Enterprises {
		ps, _ := w.src.EnterprisePairings(w.ctx, e.ID)
		for _, p := range ps {
			want[PairingDocID(p.Kind, p.EnterpriseID, p.ResourceID)] = true
		}
	}
	add := func(kind catalog.PairingKind, id int64) {
		ps, _ := w.src.ResourcePairings(w.ctx, kind, id)
		for _, p := range ps {
			want[PairingDocID(p.Kind, p.EnterpriseID, p.ResourceID)] = true
		}
	}
	for _, x := range d.Products {
		add(catalog.Financing, x.ID)
	}
	for _, x := range d.Incubators {
		add(catalog.Incubation, x.ID)
	}
	for _, x := range d.Demands {
		add(catalog.IndustryChain, x.ID)
	}
	return want
}

// indexedPairings walks the whole pairings list.
func (w *world) indexedPairings(e Engine) []string {
	w.t.Helper()
	return walk(w.t, e, "", PairingFilter{}, MaxFirst)
}

// checkCatalog checks the catalogue counts: one document per entity.
func (w *world) checkCatalog(e Engine) {
	w.t.Helper()
	st, err := e.Stats(w.ctx)
	must(w.t, err)
	d, _ := w.cat.snapshot(w.ctx)
	want := map[DocType]int{TypeEnterprise: len(d.Enterprises), TypeProduct: len(d.Products),
		TypeIncubator: len(d.Incubators), TypeDemand: len(d.Demands)}
	for typ, n := range want {
		if st.Documents[typ] != n {
			w.t.Errorf("%d %s documents, want %d (stats %v)", st.Documents[typ], typ, n, st.Documents)
		}
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestIndexerDrainsTheOutbox(t *testing.T) {
	w := newWorld(t)
	ix := w.indexer(w.eng)
	if n := w.pending(); n != 6+8+4+10+40 {
		t.Fatalf("%d events pending before indexing", n)
	}
	must(t, ix.Drain(w.ctx))
	if n := w.pending(); n != 0 {
		t.Errorf("%d events pending after Drain", n)
	}
	w.checkCatalog(w.eng)
	got := w.indexedPairings(w.eng)
	if want := sortedKeys(w.wantPairings()); !slices.Equal(sortedCopy(got), want) {
		t.Errorf("indexed pairings:\ngot  %v\nwant %v", sortedCopy(got), want)
	}
	// The documents are searchable and denormalised.
	e := w.cat.Enterprise(3)
	if ids := hitIDs(find(t, w.eng, e.Name).Hits); len(ids) == 0 || ids[0] != "enterprise-3" {
		t.Errorf("search %q: %v", e.Name, ids)
	}
	page, err := w.eng.Pairings(w.ctx, PairingQuery{Text: e.Name, Filter: PairingFilter{Cities: []catalog.City{e.City}}, First: 50})
	must(t, err)
	if page.Total == 0 {
		t.Errorf("no pairing found by the enterprise's name %q", e.Name)
	}
	for _, h := range page.Hits {
		if h.EnterpriseID != e.ID {
			t.Errorf("pairing %s found by %q", h.ID, e.Name)
		}
	}

	// A rename replaces the enterprise's documents.
	w.renameEnterprise(3, "开封量子传感科技有限公司")
	must(t, ix.Drain(w.ctx))
	if ids := hitIDs(find(t, w.eng, "量子传感").Hits); !slices.Equal(ids, []string{"enterprise-3"}) {
		t.Errorf("after rename: %v", ids)
	}
	page, err = w.eng.Pairings(w.ctx, PairingQuery{Text: "量子传感", First: 50})
	must(t, err)
	ps, _ := w.src.EnterpriseSlice(w.ctx, 3)
	if page.Total != len(ps) {
		t.Errorf("%d pairings carry the new name, want %d", page.Total, len(ps))
	}
	w.checkCatalog(w.eng)
}

// flakyEngine fails every write while down, and the next failNext writes.
type flakyEngine struct {
	Engine
	down     atomic.Bool
	failNext atomic.Int64
}

var errEngineDown = errors.New("test: engine unreachable")

func (f *flakyEngine) fail() error {
	if f.down.Load() || f.failNext.Add(-1) >= 0 {
		return errEngineDown
	}
	return nil
}

func (f *flakyEngine) Index(ctx context.Context, docs []Document) error {
	if err := f.fail(); err != nil {
		return err
	}
	return f.Engine.Index(ctx, docs)
}

func (f *flakyEngine) Delete(ctx context.Context, ids []string) error {
	if err := f.fail(); err != nil {
		return err
	}
	return f.Engine.Delete(ctx, ids)
}

func (f *flakyEngine) DeletePairings(ctx context.Context, sels ...PairingSelector) error {
	if err := f.fail(); err != nil {
		return err
	}
	return f.Engine.DeletePairings(ctx, sels...)
}

// eventually polls cond until it holds or 20 s pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestIndexerRetriesWhileTheEngineIsDown(t *testing.T) {
	w := newWorld(t)
	flaky := &flakyEngine{Engine: w.eng}
	flaky.down.Store(true)
	ix := w.indexer(flaky)
	ctx, cancel := context.WithCancel(w.ctx)
	done := make(chan error, 1)
	go func() { done <- ix.Run(ctx) }()

	// Writes succeed while the engine is down; the outbox keeps them.
	w.newEnterprise("洛阳离线写入测试有限公司")
	eventually(t, "failed attempts", func() bool {
		l, err := ix.Lag(w.ctx)
		return err == nil && l.Failures >= 3 && l.LastError != ""
	})
	l, err := ix.Lag(w.ctx)
	must(t, err)
	if l.Pending != 69 || l.Oldest <= 0 || l.Indexed != 0 {
		t.Errorf("lag while down: %+v", l)
	}

	flaky.down.Store(false)
	flaky.failNext.Store(2) // and a couple more hiccups
	ix.Notify()
	eventually(t, "the outbox to drain", func() bool { return w.pending() == 0 })
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run returned %v", err)
	}
	l, err = ix.Lag(w.ctx)
	must(t, err)
	if l.LastError != "" || l.Indexed != 69 || l.Pending != 0 || l.LastIndexedAt.IsZero() {
		t.Errorf("lag after recovery: %+v", l)
	}
	w.checkCatalog(w.eng)
	if got, want := sortedCopy(w.indexedPairings(w.eng)), sortedKeys(w.wantPairings()); !slices.Equal(got, want) {
		t.Errorf("pairings after recovery:\ngot  %v\nwant %v", got, want)
	}
	if ids := hitIDs(find(t, w.eng, "离线写入").Hits); len(ids) != 1 {
		t.Errorf("the write made while down: %v", ids)
	}
}

func TestIndexerCrashBetweenCommitAndIndexing(t *testing.T) {
	w := newWorld(t)
	// The first indexer indexes a batch and dies before acknowledging it.
	ix := w.indexer(w.eng)
	ix.beforeAck = func() error { return errors.New("test: crash") }
	if err := ix.Drain(w.ctx); err == nil {
		t.Fatal("Drain did not stop at the crash")
	}
	if n := w.pending(); n != 68 {
		t.Fatalf("%d events pending after the crash, want all 68", n)
	}
	// More writes commit while no indexer runs.
	w.newEnterprise("新乡崩溃恢复测试有限公司")
	w.renameEnterprise(5, "许昌重启之后科技有限公司")

	// The process restarts: the index is reopened from disk, a new indexer
	// resumes from the outbox.
	must(t, w.eng.Close())
	w.openEngine()
	must(t, w.indexer(w.eng).Drain(w.ctx))
	if n := w.pending(); n != 0 {
		t.Errorf("%d events pending after the restart", n)
	}
	w.checkCatalog(w.eng)
	got := w.indexedPairings(w.eng)
	if want := sortedKeys(w.wantPairings()); !slices.Equal(sortedCopy(got), want) {
		t.Errorf("pairings after the restart:\ngot  %v\nwant %v", sortedCopy(got), want)
	}
	for q, want := range map[string]string{"崩溃恢复": "enterprise-41", "重启之后": "enterprise-5"} {
		if ids := hitIDs(find(t, w.eng, q).Hits); !slices.Equal(ids, []string{want}) {
			t.Errorf("%s: %v, want %s", q, ids, want)
		}
	}
}

func TestReindexWhileWritesContinue(t *testing.T) {
	w := newWorld(t)
	ix := w.indexer(w.eng)
	must(t, ix.Drain(w.ctx))

	ctx, cancel := context.WithCancel(w.ctx)
	defer cancel()
	run := make(chan error, 1)
	go func() { run <- ix.Run(ctx) }()
	// The writer writes while the reindexes run, every reindex the last
	// one included: a few writes at each step of a reindex's progress, so
	// their number does not grow with the time a reindex takes (a create
	// in the world's small cohorts moves hundreds of indexed pairings, and
	// the race detector makes everything slower).
	stop := make(chan struct{})
	wrote := make(chan int)
	write := make(chan struct{}, 64)
	go func() {
		n := 0
		defer func() { wrote <- n }()
		for {
			select {
			case <-stop:
				return
			case <-write:
			}
			n++
			if n%3 == 0 {
				w.renameEnterprise(int64(n%40+1), fmt.Sprintf("改名%d号科技有限公司", n))
			} else {
				w.newEnterprise(fmt.Sprintf("并发写入%d号科技有限公司", n))
			}
			ix.Notify()
		}
	}()

	var phases []string
	const reindexes = 3
	for range reindexes {
		err := ix.Reindex(w.ctx, func(p Progress) {
			if len(phases) == 0 || phases[len(phases)-1] != p.Phase {
				phases = append(phases, p.Phase)
			}
			for range 4 {
				select {
				case write <- struct{}{}:
				default:
				}
			}
			if p.Done > p.Total {
				t.Errorf("progress %d of %d", p.Done, p.Total)
			}
		})
		must(t, err)
	}
	close(stop)
	writes := <-wrote
	must(t, ix.Drain(w.ctx)) // alongside Run: whatever is left, then quiet
	if n := w.pending(); n != 0 {
		t.Errorf("%d events pending after Drain", n)
	}
	cancel()
	<-run

	// Every entity has one document; the pairings are exactly the
	// engine's slice, all of them under their enterprise's current name;
	// nothing is there twice.
	w.checkCatalog(w.eng)
	got := w.indexedPairings(w.eng)
	if len(got) != len(slices.Compact(sortedCopy(got))) {
		t.Error("a pairing is indexed twice")
	}
	if want := sortedKeys(w.wantPairings()); !slices.Equal(sortedCopy(got), want) {
		t.Errorf("pairings after the reindexes: %d, want %d", len(got), len(want))
	}
	d, _ := w.cat.snapshot(w.ctx)
	if len(d.Enterprises) != 40+writes-writes/3 {
		t.Fatalf("%d enterprises", len(d.Enterprises))
	}
	for _, e := range d.Enterprises {
		id := DocID(TypeEnterprise, e.ID)
		if ids := hitIDs(find(t, w.eng, e.Name).Hits); !slices.Contains(ids, id) {
			t.Errorf("%s not found by its current name %q: %v", id, e.Name, ids)
		}
		all, err := w.eng.Pairings(w.ctx, PairingQuery{Filter: PairingFilter{EnterpriseID: e.ID}})
		must(t, err)
		named, err := w.eng.Pairings(w.ctx, PairingQuery{Text: e.Name, Filter: PairingFilter{EnterpriseID: e.ID}})
		must(t, err)
		current, _ := w.src.EnterpriseSlice(w.ctx, e.ID)
		if all.Total != len(current) || len(current) == 0 || named.Total != all.Total {
			t.Errorf("%s: %d pairings of %d, %d under the name %q", id, all.Total, len(current), named.Total, e.Name)
		}
	}
	if !slices.Equal(phases[len(phases)-4:], []string{"documents", "commit", "replay", "done"}) {
		t.Errorf("phases %v", phases)
	}
	t.Logf("%d writes during %d reindexes", writes, reindexes)
	if writes < 10 {
		t.Errorf("only %d writes during the reindexes", writes)
	}
}

func TestReindexEqualsIncrementalIndexing(t *testing.T) {
	w := newWorld(t)
	ix := w.indexer(w.eng)
	// Reindex with the whole outbox pending: the rebuild takes the
	// snapshot, then the replay acknowledges the events.
	var last Progress
	must(t, ix.Reindex(w.ctx, func(p Progress) { last = p }))
	if last.Phase != "done" || last.Done != last.Total || last.Total != 40+8+4+10 || last.Documents == 0 {
		t.Errorf("last progress %+v", last)
	}
	if n := w.pending(); n != 0 {
		t.Errorf("%d events pending after the reindex", n)
	}
	w.checkCatalog(w.eng)
	if got, want := sortedCopy(w.indexedPairings(w.eng)), sortedKeys(w.wantPairings()); !slices.Equal(got, want) {
		t.Errorf("reindexed pairings:\ngot  %v\nwant %v", got, want)
	}
	// A reindex while one runs is refused.
	ix.mu.Lock()
	ix.holding = true
	ix.mu.Unlock()
	if err := ix.Reindex(w.ctx, nil); !errors.Is(err, ErrRebuilding) {
		t.Errorf("concurrent reindex: %v", err)
	}
}

func TestReindexFailureKeepsTheLiveIndex(t *testing.T) {
	w := newWorld(t)
	ix := w.indexer(w.eng)
	must(t, ix.Drain(w.ctx))
	before, err := w.eng.Stats(w.ctx)
	must(t, err)
	w.newEnterprise("驻马店失败重建测试有限公司")
	bad := NewIndexer(w.eng, failingSnapshot{w.src}, NewCheckpoint(w.st, checkpointName), IndexerOptions{Logger: quietLogger()})
	if err := bad.Reindex(w.ctx, nil); err == nil {
		t.Fatal("a reindex with a failing source succeeded")
	}
	after, err := w.eng.Stats(w.ctx)
	must(t, err)
	if !maps.Equal(before.Documents, after.Documents) {
		t.Errorf("documents changed by a failed reindex: %v → %v", before.Documents, after.Documents)
	}
	// The held event is indexed afterwards.
	must(t, ix.Drain(w.ctx))
	if ids := hitIDs(find(t, w.eng, "失败重建").Hits); len(ids) != 1 {
		t.Errorf("write during a failed reindex: %v", ids)
	}
	// And a new rebuild can start.
	must(t, ix.Reindex(w.ctx, nil))
}

// failingSnapshot fails half-way through the pairings of a reindex.
type failingSnapshot struct{ Source }

func (f failingSnapshot) ResourcePairings(ctx context.Context, kind catalog.PairingKind, id int64) ([]matching.Pairing, error) {
	return nil, errors.New("test: matching engine gone")
}

func TestIndexerMetrics(t *testing.T) {
	w := newWorld(t)
	ix := w.indexer(w.eng)
	reg := prometheus.NewRegistry()
	must(t, reg.Register(ix))
	value := func(name string) float64 {
		t.Helper()
		mfs, err := reg.Gather()
		must(t, err)
		for _, mf := range mfs {
			if mf.GetName() == name {
				m := mf.GetMetric()[0]
				if g := m.GetGauge(); g != nil {
					return g.GetValue()
				}
				return m.GetCounter().GetValue()
			}
		}
		t.Fatalf("no metric %s", name)
		return 0
	}
	if v := value("yurong_search_outbox_pending"); v != 68 {
		t.Errorf("pending %v before indexing", v)
	}
	if v := value("yurong_search_outbox_oldest_seconds"); v <= 0 {
		t.Errorf("oldest %v before indexing", v)
	}
	must(t, ix.Drain(w.ctx))
	if v := value("yurong_search_outbox_pending"); v != 0 {
		t.Errorf("pending %v after indexing", v)
	}
	if v := value("yurong_search_indexed_events_total"); v != 68 {
		t.Errorf("indexed %v", v)
	}
	if v := value("yurong_search_last_indexed_timestamp_seconds"); v < float64(time.Now().Add(-time.Minute).Unix()) {
		t.Errorf("last indexed %v", v)
	}
}
