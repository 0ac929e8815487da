package matching

import (
	"slices"
	"sync"

	"github.com/yurong/yurong/catalog"
)

// The Upsert methods apply one committed write: they update the engine's
// view and recompute the pairings the write affects before returning, so
// every later read reflects it. Then they tell the listeners registered with
// OnPairingsChanged which enterprises' pairings were recomputed.

// OnPairingsChanged registers f to run after every write, outside the
// engine's lock, with the enterprises whose pairings of a kind the write
// recomputed (for the pairingsChanged subscription). f must not block.
func (e *Engine) OnPairingsChanged(f func([]Change)) {
	e.listenMu.Lock()
	defer e.listenMu.Unlock()
	e.listeners = append(e.listeners, f)
}

// write runs apply under the write lock, then notifies the listeners.
// A write does not move the engine's date: only Redate does, so the one
// caller that moved it learns so and can drop what the old day computed.
func (e *Engine) write(apply func() []Change) {
	e.mu.Lock()
	changes := apply()
	e.gen++
	e.mu.Unlock()
	if len(changes) == 0 {
		return
	}
	e.listenMu.Lock()
	fs := e.listeners
	e.listenMu.Unlock()
	for _, f := range fs {
		f(changes)
	}
}

// UpsertEnterprise creates or replaces an enterprise and recomputes its
// pairings of every kind, in its row and in every resource's column. Its
// cohort's distributions change too: a small cohort has every member whose
// total moved recomputed at once, a large one lazily (see
// docs/adr/023-matching-cohort-refresh.md).
//
// Readers wait for it only while it applies: it evaluates the
// enterprise's pairings under the read lock first, beside them, and
// applies that evaluation under the write lock unless another write ran
// meanwhile, in which case it evaluates again there (docs/adr/028-read-path.md).
func (e *Engine) UpsertEnterprise(ent *catalog.Enterprise) {
	p := e.prepareEnterprise(ent)
	e.write(func() []Change { return e.upsertEnterpriseWith(ent, p) })
	p.release()
}

// preparedEnterprise is an enterprise's upsert evaluated under the read
// lock: its view with the totals it will have, and its row.
type preparedEnterprise struct {
	gen uint64 // the engine's gen when evaluated
	v   *entView
	ev  rowEval
}

// scratches are the working memory of upserts evaluated under the read
// lock, which cannot share the engine's.
var scratches = sync.Pool{New: func() any { return &scratch{} }}

// prepareEnterprise evaluates the upsert of ent under the read lock,
// against the cohort as the upsert will leave it.
func (e *Engine) prepareEnterprise(ent *catalog.Enterprise) *preparedEnterprise {
	e.mu.RLock()
	defer e.mu.RUnlock()
	v := newEntView(e.ownEnterprise(ent), &e.cfg, e.asOf, &e.rel)
	var drop *[IndicatorCount]float64
	if i, ok := e.entIdx[v.id]; ok && e.ents[i].stage == v.stage {
		drop = &e.ents[i].values
	}
	pts := e.cohorts[stageIndex(v.stage)].pointsAfter(&v.values, drop)
	v.total = weightedTotal(&pts, e.indicatorWeights(v.stage))
	v.modelTotals = e.modelTotalsOf(&pts, v.stage)
	s := scratches.Get().(*scratch)
	p := &preparedEnterprise{gen: e.gen, v: v, ev: rowEval{s: s, pairs: s.pairs[:0]}}
	e.evaluateRowOf(v, &p.ev)
	return p
}

func (p *preparedEnterprise) release() {
	p.ev.s.pairs = p.ev.pairs[:0]
	scratches.Put(p.ev.s)
	p.ev = rowEval{}
}

func (e *Engine) upsertEnterprise(ent *catalog.Enterprise) []Change {
	return e.upsertEnterpriseWith(ent, nil)
}

// upsertEnterpriseWith applies the upsert of ent, with p's evaluation when
// nothing changed since it was made and it computed the totals the write
// gives (else, or with p nil, evaluating here). The engine ends the same
// either way.
func (e *Engine) upsertEnterpriseWith(ent *catalog.Enterprise, p *preparedEnterprise) []Change {
	var v *entView
	if p != nil && p.gen == e.gen {
		v = p.v
	} else {
		p = nil
		v = newEntView(e.ownEnterprise(ent), &e.cfg, e.asOf, &e.rel)
	}
	i, exists := e.entIdx[v.id]
	stages := []catalog.GrowthStage{v.stage}
	greenMoved := false
	if exists {
		old := e.ents[i]
		greenMoved = old.green != v.green
		c := &e.cohorts[stageIndex(old.stage)]
		c.remove(&old.values)
		c.removeTotal(old.total)
		if old.text != v.text {
			e.text.remove(i, old.text)
			e.text.add(i, v.text)
		}
		if old.stage != v.stage {
			stages = append(stages, old.stage)
		}
	} else {
		i = int32(len(e.ents))
		e.entIdx[v.id] = i
		e.ents = append(e.ents, v)
		e.rows = append(e.rows, row{})
		e.text.add(i, v.text)
	}
	e.ents[i] = v
	c := &e.cohorts[stageIndex(v.stage)]
	c.add(&v.values)
	total, models := v.total, v.modelTotals
	v.total = e.freshTotal(i)
	e.refreshModelTotals(v)
	c.addTotal(v.total)
	if p != nil && total == v.total && slices.Equal(models, v.modelTotals) {
		e.applyRow(i, &p.ev)
	} else {
		e.recomputeRow(i)
	}
	if greenMoved && e.tracking() {
		e.markEnterprise(i) // green channel is on every pairing, whatever its score
	}

	changes := make([]Change, 0, kindCount)
	for _, k := range pairingKinds {
		changes = append(changes, Change{EnterpriseID: v.id, Kind: k})
	}
	for _, s := range stages {
		changes = append(changes, e.refreshCohort(s, i)...)
	}
	return changes
}

// refreshCohort refreshes the totals of a cohort's members, except skip,
// when the cohort is small enough to do so at every write, and recomputes
// the pairings of those whose total moved.
func (e *Engine) refreshCohort(stage catalog.GrowthStage, skip int32) []Change {
	if e.cohorts[stageIndex(stage)].size() > e.cfg.EagerCohortLimit {
		return nil
	}
	var changes []Change
	for j, v := range e.ents {
		if int32(j) == skip || v.stage != stage || !e.refreshTotal(int32(j)) {
			continue
		}
		e.recomputeRow(int32(j))
		for _, k := range pairingKinds {
			changes = append(changes, Change{EnterpriseID: v.id, Kind: k})
		}
	}
	return changes
}

// UpsertProduct creates or replaces a financial product and recomputes its
// column and its pairings in every enterprise's row.
func (e *Engine) UpsertProduct(p *catalog.FinancialProduct) {
	e.write(func() []Change { return e.upsertProduct(p) })
}

func (e *Engine) upsertProduct(p *catalog.FinancialProduct) []Change {
	v := newProdView(own(e, p), &e.cfg, e.asOf, &e.rel)
	i := putResource(e, kFinancing, v.id, &e.prods, v)
	return e.fillColumn(kFinancing, i, true)
}

// UpsertIncubator creates or replaces an incubator and recomputes its
// column and its pairings in every enterprise's row.
func (e *Engine) UpsertIncubator(in *catalog.Incubator) {
	e.write(func() []Change { return e.upsertIncubator(in) })
}

func (e *Engine) upsertIncubator(in *catalog.Incubator) []Change {
	v := newIncView(own(e, in))
	i := putResource(e, kIncubation, v.id, &e.incs, v)
	return e.fillColumn(kIncubation, i, true)
}

// UpsertDemand creates or replaces a supply-chain demand and recomputes its
// column and its pairings in every enterprise's row.
func (e *Engine) UpsertDemand(d *catalog.SupplyChainDemand) {
	e.write(func() []Change { return e.upsertDemand(d) })
}

func (e *Engine) upsertDemand(d *catalog.SupplyChainDemand) []Change {
	v := newDemView(own(e, d))
	if i, exists := e.resIdx[kIndustryChain][v.id]; exists {
		e.unindexDemand(i, e.dems[i]) // its keywords may have changed
	}
	i := putResource(e, kIndustryChain, v.id, &e.dems, v)
	e.indexDemand(i, v)
	return e.fillColumn(kIndustryChain, i, true)
}

// putResource stores the view of a resource of a kind in views, at its
// slot when the resource is known, else in a new slot with an empty column.
func putResource[V any](e *Engine, kind int, id int64, views *[]V, v V) int32 {
	i, exists := e.resIdx[kind][id]
	if !exists {
		i = int32(len(*views))
		e.resIdx[kind][id] = i
		*views = append(*views, v)
		e.cols[kind] = append(e.cols[kind], column{})
	}
	(*views)[i] = v
	return i
}

// dataset returns the engine's entities as a Dataset (sharing the engine's
// copies, which nothing modifies).
func (e *Engine) dataset() *catalog.Dataset {
	d := &catalog.Dataset{}
	for _, v := range e.ents {
		d.Enterprises = append(d.Enterprises, v.src)
	}
	for _, v := range e.prods {
		d.Products = append(d.Products, v.src)
	}
	for _, v := range e.incs {
		d.Incubators = append(d.Incubators, v.src)
	}
	for _, v := range e.dems {
		d.Demands = append(d.Demands, v.src)
	}
	return d
}
