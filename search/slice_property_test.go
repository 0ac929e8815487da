package search

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/demo"
	"github.com/yurong/yurong/matching"
	"github.com/yurong/yurong/store"
)

// The property of issue 8 (defect 2): whatever creates and updates happen,
// in whatever order, and however the indexer's batches fall between them,
// once writes stop and the indexer is drained the pairings index holds
// exactly the matching engine's slice: the union of every enterprise's
// best Limits.PerEnterprise pairings of each kind (Matches, eligible
// first) and every resource's best Limits.PerResource enterprises
// (Candidates, eligible first), each with the engine's score, eligibility
// and green channel, and under its enterprise's and resource's current
// names.

// TestPairingsIndexIsTheEngineSlice runs the property on the embedded
// engine.
func TestPairingsIndexIsTheEngineSlice(t *testing.T) {
	runSliceProperty(t, func(t *testing.T) Engine {
		b, err := OpenBleve(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		return b
	})
}

// TestMeiliPairingsIndexIsTheEngineSlice runs it on a real Meilisearch.
func TestMeiliPairingsIndexIsTheEngineSlice(t *testing.T) {
	if os.Getenv("YURONG_MEILI_URL") == "" {
		t.Skip("YURONG_MEILI_URL is not set: the slice property runs on a real Meilisearch only " +
			"(e.g. YURONG_MEILI_URL=http://127.0.0.1:7700 YURONG_MEILI_KEY=masterKey go test ./search -run MeiliPairingsIndexIsTheEngineSlice); " +
			"it ran on the embedded engine (TestPairingsIndexIsTheEngineSlice)")
	}
	runSliceProperty(t, openRealMeili)
}

func runSliceProperty(t *testing.T, open engineFactory) {
	// YURONG_SLICE_SEEDS=200 runs more seeds than the default few.
	seeds := sliceSeeds
	if testing.Short() {
		seeds = min(seeds, 2)
	}
	if n, err := strconv.Atoi(os.Getenv("YURONG_SLICE_SEEDS")); err == nil && n > 0 {
		seeds = n
	}
	for seed := range uint64(seeds) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			newSliceRun(t, open(t), seed).run()
		})
	}
}

// memOutbox is an outbox in memory: the run commits through it what the
// store has no method for (updates of resources), in commit order.
type memOutbox struct {
	mu   sync.Mutex
	evs  []store.OutboxEvent
	next int64
}

func (o *memOutbox) add(entity string, id int64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.next++
	o.evs = append(o.evs, store.OutboxEvent{ID: o.next, Entity: entity, EntityID: id, CreatedAt: time.Now()})
}

func (o *memOutbox) PendingOutbox(_ context.Context, limit int) ([]store.OutboxEvent, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.evs[:min(limit, len(o.evs))]), nil
}

func (o *memOutbox) AckOutbox(_ context.Context, ids []int64) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.evs = slices.DeleteFunc(o.evs, func(ev store.OutboxEvent) bool { return slices.Contains(ids, ev.ID) })
	return nil
}

func (o *memOutbox) OutboxLag(context.Context) (int, time.Time, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.evs) == 0 {
		return 0, time.Time{}, nil
	}
	return len(o.evs), o.evs[0].CreatedAt, nil
}

// sliceRun is one seeded run: a marketplace written through the outbox,
// the read model and the engine (in that order, as the marketplace does),
// an indexer drained at random moments, and at the end the comparison.
type sliceRun struct {
	t    *testing.T
	seed uint64
	rng  *rand.Rand
	ctx  context.Context
	eng  Engine
	pool *catalog.Dataset // templates of entities
	cat  *liveCatalog
	m    *matching.Engine
	ob   *memOutbox
	lim  Limits
	ix   *Indexer
	log  []string // what happened, for a failure message
	n    int      // names given
	// today is the engine's clock (Unix seconds): a new day re-evaluates
	// every pairing when the engine is redated.
	today atomic.Int64
}

func newSliceRun(t *testing.T, eng Engine, seed uint64) *sliceRun {
	rng := rand.New(rand.NewPCG(seed, 0x5e1ce))
	pool := demo.GenerateSizes(int64(seed)+1, demo.Sizes{Enterprises: 30, Institutions: 5, Products: 8, Incubators: 4, Demands: 10}, testToday)
	demo.AssignIDs(pool)
	r := &sliceRun{t: t, seed: seed, rng: rng, ctx: context.Background(), eng: eng, pool: pool, ob: &memOutbox{},
		// One goroutine writes and indexes in turn: Sync has nothing to wait for.
		cat: &liveCatalog{writes: new(sync.Mutex), ents: map[int64]*catalog.Enterprise{}, insts: map[int64]*catalog.Institution{},
			prods: map[int64]*catalog.FinancialProduct{}, incs: map[int64]*catalog.Incubator{},
			dems: map[int64]*catalog.SupplyChainDemand{}}}
	// Short lists, so writes push pairings across the slice's edges and
	// truncated lists run dry.
	r.today.Store(testToday.Unix())
	cfg := matching.Config{Today: func() time.Time { return time.Unix(r.today.Load(), 0).UTC() },
		TopPerEnterprise: 2 + rng.IntN(3), TopPerResource: 3 + rng.IntN(4)}
	r.m = matching.New(cfg)
	r.m.Rebuild(&catalog.Dataset{})
	lim := Limits{PerEnterprise: 1 + rng.IntN(3), PerResource: 1 + rng.IntN(4)}
	src := NewSource(r.cat, r.m, r.cat.snapshot, lim)
	// The slice is capped at the lists the engine keeps.
	r.lim = Limits{PerEnterprise: min(lim.PerEnterprise, cfg.TopPerEnterprise), PerResource: min(lim.PerResource, cfg.TopPerResource)}
	r.ix = NewIndexer(eng, src, r.ob, IndexerOptions{Batch: 1 + rng.IntN(6), ReindexBatch: 20 + rng.IntN(200), Logger: quietLogger()})
	r.logf("top %d/%d, slice %+v, batch %d", cfg.TopPerEnterprise, cfg.TopPerResource, r.lim, r.ix.opts.Batch)
	return r
}

func (r *sliceRun) logf(format string, args ...any) {
	r.log = append(r.log, fmt.Sprintf(format, args...))
}

func (r *sliceRun) fatalf(format string, args ...any) {
	r.t.Helper()
	tail := r.log[max(0, len(r.log)-30):]
	r.t.Fatalf("seed %d: %s\nlast steps (of %d):\n  %s", r.seed, fmt.Sprintf(format, args...), len(r.log), joinLines(tail))
}

func joinLines(xs []string) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += "\n  "
		}
		out += x
	}
	return out
}

func (r *sliceRun) must(err error) {
	r.t.Helper()
	if err != nil {
		r.fatalf("%v", err)
	}
}

func (r *sliceRun) name(prefix string) string {
	r.n++
	return fmt.Sprintf("%s%d号", prefix, r.n)
}

// The writes: commit (the outbox), then the read model, then the engine.

func (r *sliceRun) putEnterprise(e *catalog.Enterprise) {
	r.ob.add(store.EntityEnterprise, e.ID)
	r.cat.mu.Lock()
	r.cat.ents[e.ID] = e
	r.cat.mu.Unlock()
	r.m.UpsertEnterprise(e)
}

func (r *sliceRun) putProduct(p *catalog.FinancialProduct) {
	r.ob.add(store.EntityProduct, p.ID)
	r.cat.mu.Lock()
	r.cat.prods[p.ID] = p
	r.cat.mu.Unlock()
	r.m.UpsertProduct(p)
}

func (r *sliceRun) putIncubator(in *catalog.Incubator) {
	r.ob.add(store.EntityIncubator, in.ID)
	r.cat.mu.Lock()
	r.cat.incs[in.ID] = in
	r.cat.mu.Unlock()
	r.m.UpsertIncubator(in)
}

func (r *sliceRun) putDemand(d *catalog.SupplyChainDemand) {
	r.ob.add(store.EntityDemand, d.ID)
	r.cat.mu.Lock()
	r.cat.dems[d.ID] = d
	r.cat.mu.Unlock()
	r.m.UpsertDemand(d)
}

// update rewrites an existing entity of a random kind: another template's
// content under its id (a new name, city, track, eligibility, keywords…),
// or a small change (dishonest, an award, a vacancy count).
func (r *sliceRun) update() bool {
	rng := r.rng
	switch rng.IntN(4) {
	case 0:
		ids := sortedIDs(r.cat.ents)
		if len(ids) == 0 {
			return false
		}
		id := ids[rng.IntN(len(ids))]
		e := *r.cat.Enterprise(id)
		switch rng.IntN(3) {
		case 0:
			e = *r.pool.Enterprises[rng.IntN(len(r.pool.Enterprises))]
			e.ID, e.Name = id, r.name("更名科技有限公司")
		case 1:
			if e.CreditStatus == catalog.CreditDishonest {
				e.CreditStatus = catalog.CreditGood
			} else {
				e.CreditStatus = catalog.CreditDishonest
			}
		default:
			e.CompetitionEntries = append(slices.Clone(e.CompetitionEntries), catalog.CompetitionEntry{Year: testToday.Year(), Award: catalog.First})
		}
		r.logf("update enterprise %d", id)
		r.putEnterprise(&e)
	case 1:
		ids := sortedIDs(r.cat.prods)
		if len(ids) == 0 {
			return false
		}
		id := ids[rng.IntN(len(ids))]
		p := *r.pool.Products[rng.IntN(len(r.pool.Products))]
		p.ID, p.Name = id, r.name("更名贷款产品")
		r.logf("update product %d", id)
		r.putProduct(&p)
	case 2:
		ids := sortedIDs(r.cat.incs)
		if len(ids) == 0 {
			return false
		}
		id := ids[rng.IntN(len(ids))]
		in := *r.cat.Incubator(id)
		if rng.IntN(2) == 0 {
			in = *r.pool.Incubators[rng.IntN(len(r.pool.Incubators))]
			in.ID, in.Name = id, r.name("更名孵化器")
		} else {
			in.Vacancies = rng.IntN(3)
		}
		r.logf("update incubator %d", id)
		r.putIncubator(&in)
	default:
		ids := sortedIDs(r.cat.dems)
		if len(ids) == 0 {
			return false
		}
		id := ids[rng.IntN(len(ids))]
		d := *r.pool.Demands[rng.IntN(len(r.pool.Demands))]
		d.ID, d.Title = id, r.name("更名需求")
		r.logf("update demand %d", id)
		r.putDemand(&d)
	}
	return true
}

func sortedIDs[V any](m map[int64]V) []int64 {
	ids := make([]int64, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func (r *sliceRun) run() {
	rng := r.rng
	for _, in := range r.pool.Institutions {
		r.ob.add(store.EntityInstitution, in.ID)
		r.cat.mu.Lock()
		r.cat.insts[in.ID] = in
		r.cat.mu.Unlock()
	}
	// Every template is created once, in a random order; updates come in
	// between.
	var creates []func()
	for _, e := range r.pool.Enterprises {
		creates = append(creates, func() { c := *e; r.logf("create enterprise %d", c.ID); r.putEnterprise(&c) })
	}
	for _, p := range r.pool.Products {
		creates = append(creates, func() { c := *p; r.logf("create product %d", c.ID); r.putProduct(&c) })
	}
	for _, in := range r.pool.Incubators {
		creates = append(creates, func() { c := *in; r.logf("create incubator %d", c.ID); r.putIncubator(&c) })
	}
	for _, d := range r.pool.Demands {
		creates = append(creates, func() { c := *d; r.logf("create demand %d", c.ID); r.putDemand(&c) })
	}
	rng.Shuffle(len(creates), func(i, j int) { creates[i], creates[j] = creates[j], creates[i] })
	updates := 15 + rng.IntN(30)
	for len(creates) > 0 || updates > 0 {
		if len(creates) > 0 && (updates == 0 || rng.IntN(3) > 0) {
			creates[0]()
			creates = creates[1:]
		} else if r.update() || len(creates) == 0 {
			updates--
		}
		switch x := rng.IntN(100); {
		case x < 25: // the indexer catches up here
			r.logf("drain")
			r.must(r.ix.Drain(r.ctx))
		case x < 27:
			r.reindex(&creates)
		case x < 28: // a full rematch
			d, _ := r.cat.snapshot(r.ctx)
			r.logf("rematch")
			r.m.Rebuild(d)
		case x < 30: // a year later: ages, awards and subsidies of "this
			// year and last year" move when the engine is redated, as the
			// server's calendar does
			r.today.Add(365 * 24 * 3600)
			r.m.Redate()
			r.logf("a year later")
		}
	}
	if rng.IntN(2) == 0 {
		r.reindex(&creates) // the last writes land during a reindex
	}
	// Quiet.
	r.logf("drain (quiet)")
	r.must(r.ix.Drain(r.ctx))
	r.check()
}

// reindex runs a full reindex with whatever is pending, and writes and
// batches before it reads the engine or after (before the swap): those
// reach the new index through the replay.
func (r *sliceRun) reindex(creates *[]func()) {
	rng := r.rng
	when := []string{"documents", "commit"}[rng.IntN(2)]
	r.logf("reindex, writing at %s", when)
	during := 1 + rng.IntN(3)
	r.must(r.ix.Reindex(r.ctx, func(p Progress) {
		if p.Phase != when || during == 0 {
			return
		}
		for ; during > 0; during-- {
			if len(*creates) > 0 && rng.IntN(2) == 0 {
				(*creates)[0]()
				*creates = (*creates)[1:]
			} else {
				r.update()
			}
		}
		r.logf("drain (during the reindex)")
		r.must(r.ix.Drain(r.ctx))
	}))
}

// indexed is what the index holds of a pairing.
type indexed struct {
	centi           int
	eligible, green bool
}

func (r *sliceRun) check() {
	// The documented slice, from the engine's public reads.
	want := map[string]indexed{}
	add := func(ps []matching.Pairing) {
		for _, p := range ps {
			want[PairingDocID(p.Kind, p.EnterpriseID, p.ResourceID)] = indexed{centi(p.Score), p.Eligible, p.GreenChannel}
		}
	}
	d, _ := r.cat.snapshot(r.ctx)
	for _, e := range d.Enterprises {
		for _, k := range catalog.PairingKinds {
			add(r.m.Matches(e.ID, &k, r.lim.PerEnterprise, false))
		}
	}
	for _, p := range d.Products {
		add(r.m.Candidates(catalog.Financing, p.ID, r.lim.PerResource, false))
	}
	for _, in := range d.Incubators {
		add(r.m.Candidates(catalog.Incubation, in.ID, r.lim.PerResource, false))
	}
	for _, dm := range d.Demands {
		add(r.m.Candidates(catalog.IndustryChain, dm.ID, r.lim.PerResource, false))
	}

	// The index: every pairing with its score, then the eligible and the
	// green-channel ones.
	got := map[string]indexed{}
	for _, h := range r.walk("", PairingFilter{}) {
		got[h.ID] = indexed{centi: centi(h.Score)}
	}
	for _, h := range r.walk("", PairingFilter{EligibleOnly: true}) {
		x := got[h.ID]
		x.eligible = true
		got[h.ID] = x
	}
	for _, h := range r.walk("", PairingFilter{GreenChannelOnly: true}) {
		x := got[h.ID]
		x.green = true
		got[h.ID] = x
	}
	var diffs []string
	for id, w := range want {
		if g, ok := got[id]; !ok {
			diffs = append(diffs, fmt.Sprintf("missing %s %+v", id, w))
		} else if g != w {
			diffs = append(diffs, fmt.Sprintf("stale %s: %+v, want %+v", id, g, w))
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			diffs = append(diffs, fmt.Sprintf("extra %s", id))
		}
	}
	if len(diffs) > 0 {
		slices.Sort(diffs)
		r.fatalf("the pairings index is not the engine's slice: %d differences (%d indexed, %d in the slice):\n  %s",
			len(diffs), len(got), len(want), joinLines(diffs[:min(len(diffs), 20)]))
	}

	// One catalogue document per entity.
	st, err := r.eng.Stats(r.ctx)
	r.must(err)
	for typ, n := range map[DocType]int{TypeEnterprise: len(d.Enterprises), TypeProduct: len(d.Products),
		TypeIncubator: len(d.Incubators), TypeDemand: len(d.Demands), TypePairing: len(want)} {
		if st.Documents[typ] != n {
			r.fatalf("%d %s documents, want %d", st.Documents[typ], typ, n)
		}
	}

	// Every pairing carries its enterprise's and its resource's current
	// names.
	count := func(match func(ent int64, kind catalog.PairingKind, res int64) bool) int {
		n := 0
		for id := range want {
			kind, ent, res, _ := parsePairingID(id)
			if match(ent, kind, res) {
				n++
			}
		}
		return n
	}
	for _, e := range d.Enterprises {
		page, err := r.eng.Pairings(r.ctx, PairingQuery{Text: e.Name, Filter: PairingFilter{EnterpriseID: e.ID}})
		r.must(err)
		if n := count(func(ent int64, _ catalog.PairingKind, _ int64) bool { return ent == e.ID }); page.Total != n {
			r.fatalf("enterprise %d: %d pairings under its name %q, want %d", e.ID, page.Total, e.Name, n)
		}
	}
	resources := map[ResourceRef]string{}
	for _, p := range d.Products {
		resources[ResourceRef{catalog.Financing, p.ID}] = p.Name
	}
	for _, in := range d.Incubators {
		resources[ResourceRef{catalog.Incubation, in.ID}] = in.Name
	}
	for _, dm := range d.Demands {
		resources[ResourceRef{catalog.IndustryChain, dm.ID}] = dm.Title
	}
	for ref, name := range resources {
		page, err := r.eng.Pairings(r.ctx, PairingQuery{Text: name, Filter: PairingFilter{Resource: &ref}})
		r.must(err)
		if n := count(func(_ int64, kind catalog.PairingKind, res int64) bool { return kind == ref.Kind && res == ref.ID }); page.Total != n {
			r.fatalf("%s %d: %d pairings under its name %q, want %d", ref.Kind, ref.ID, page.Total, name, n)
		}
	}
	r.t.Logf("seed %d: %d steps; %d pairings indexed, exactly the engine's slice %+v", r.seed, len(r.log), len(want), r.lim)
}

// walk pages through the whole pairings list of a filter.
func (r *sliceRun) walk(text string, f PairingFilter) []PairingHit {
	var hits []PairingHit
	q := PairingQuery{Text: text, Filter: f, First: MaxFirst}
	for {
		page, err := r.eng.Pairings(r.ctx, q)
		r.must(err)
		hits = append(hits, page.Hits...)
		if !page.HasNextPage || len(page.Hits) == 0 {
			break
		}
		q.After = page.Hits[len(page.Hits)-1].Cursor
	}
	slices.SortFunc(hits, func(a, b PairingHit) int { return cmp.Compare(a.ID, b.ID) })
	return hits
}
