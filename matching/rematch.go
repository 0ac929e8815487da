package matching

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/yurong/yurong/catalog"
)

// Rebuild replaces the engine's view with d and recomputes every pairing:
// the full rematch. The work is spread over runtime.GOMAXPROCS goroutines by
// enterprise (an enterprise's row is independent of every other), each
// keeping its own collectors per resource, which are merged at the end.
// Demand pairings are found through a text index instead of all pairs.
//
// Rebuild keeps the engine's date (today when it was made): only Redate
// moves it, so the caller that moved it is the one told.
func (e *Engine) Rebuild(d *catalog.Dataset) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.rebuild(d, e.asOf)
}

func (e *Engine) rebuild(d *catalog.Dataset, today time.Time) {
	e.reset(today)
	if e.tracking() {
		e.markAll() // every pairing is evaluated again, at today's date
		defer e.indexColumns()
	}
	e.prepare(d, today)
	e.match()
	e.rematchedGen = e.gen
}

// prepare is the first part of a rebuild, the cheap one: it builds the
// views of d, the cohorts, the totals and the text index, and leaves the
// rows and columns empty for match or a snapshot (snapshot.go) to fill.
func (e *Engine) prepare(d *catalog.Dataset, today time.Time) {
	workers := runtime.GOMAXPROCS(0)

	// Resources first: they are few.
	for _, p := range d.Products {
		e.resIdx[kFinancing][p.ID] = int32(len(e.prods))
		e.prods = append(e.prods, newProdView(own(e, p), &e.cfg, today, &e.rel))
	}
	for _, in := range d.Incubators {
		e.resIdx[kIncubation][in.ID] = int32(len(e.incs))
		e.incs = append(e.incs, newIncView(own(e, in)))
	}
	for _, dm := range d.Demands {
		e.resIdx[kIndustryChain][dm.ID] = int32(len(e.dems))
		v := newDemView(own(e, dm))
		e.dems = append(e.dems, v)
		e.indexDemand(int32(len(e.dems)-1), v)
	}
	e.cols[kFinancing] = make([]column, len(e.prods))
	e.cols[kIncubation] = make([]column, len(e.incs))
	e.cols[kIndustryChain] = make([]column, len(e.dems))

	// Enterprise views, in parallel; a later duplicate id wins.
	srcs := dedupeEnterprises(d.Enterprises)
	e.ents = make([]*entView, len(srcs))
	e.rows = make([]row, len(srcs))
	parallel(len(srcs), workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			e.ents[i] = newEntView(e.ownEnterprise(srcs[i]), &e.cfg, today, &e.rel)
		}
	})
	for i, v := range e.ents {
		e.entIdx[v.id] = int32(i)
	}

	// Cohorts: sort each stage's distributions once, then total everyone.
	for _, v := range e.ents {
		c := &e.cohorts[stageIndex(v.stage)]
		for k := range v.values {
			c.values[k] = append(c.values[k], stored(v.values[k]))
		}
	}
	for s := range e.cohorts {
		for k := range e.cohorts[s].values {
			slices.Sort(e.cohorts[s].values[k])
		}
	}
	parallel(len(e.ents), workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			e.ents[i].total = e.freshTotal(int32(i))
			e.refreshModelTotals(e.ents[i])
		}
	})
	for _, v := range e.ents {
		c := &e.cohorts[stageIndex(v.stage)]
		c.totals = append(c.totals, v.total)
	}
	for s := range e.cohorts {
		slices.Sort(e.cohorts[s].totals)
	}

	// The text index, which demand upserts search.
	for i, v := range e.ents {
		e.text.add(int32(i), v.text)
	}
}

// match is the second part of a rebuild: it evaluates every pair and fills
// every row and column.
func (e *Engine) match() {
	workers := runtime.GOMAXPROCS(0)
	// Per enterprise, the demand keywords its text holds.
	entKws := e.keywordsByEnterprise(workers)

	// Incubation is ranked by class (incubation.go) unless the weights
	// could clamp a score; then it is evaluated pair by pair below.
	incubation := e.planIncubation()

	// The rows, in parallel, each worker with its own column collectors.
	now := e.cfg.Today()
	colParts := make([][kindCount][][2]collector, workers)
	var next atomic.Int64
	const chunk = 64
	var wg sync.WaitGroup
	for w := range workers {
		var tops [kindCount][][2]collector
		for k := range tops {
			if k == kIncubation && incubation != nil {
				continue
			}
			tops[k] = make([][2]collector, len(e.cols[k]))
			for r := range tops[k] {
				tops[k][r][0].reset(e.colCap)
				tops[k][r][1].reset(e.colCap)
			}
		}
		colParts[w] = tops
		wg.Go(func() {
			b := newBlock(chunk, len(e.dems))
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= len(e.ents) {
					return
				}
				hi := min(lo+chunk, len(e.ents))
				e.rematchBlock(b, e.ents[lo:hi], entKws[lo:hi], tops, incubation == nil)
				for i := lo; i < hi; i++ {
					b.rows[i-lo].store(&e.rows[i])
					e.rows[i].at = now
				}
			}
		})
	}
	wg.Wait()
	if incubation != nil {
		incubation.fill(e)
	}

	// Merge the workers' column collectors.
	for k := range e.cols {
		if k == kIncubation && incubation != nil {
			continue
		}
		parallel(len(e.cols[k]), workers, func(lo, hi int) {
			parts := make([]topList, workers)
			for r := lo; r < hi; r++ {
				for j := range 2 {
					for w := range workers {
						c := &colParts[w][k][r][j]
						c.compact()
						slices.SortFunc(c.items, compareEntries)
						parts[w] = topList{items: c.items, floor: c.floor, truncated: c.truncated}
					}
					e.cols[k][r].lists[j] = mergeLists(e.colCap, parts...)
				}
				e.cols[k][r].at = now
			}
		})
	}
}

// block is a rematch worker's working memory for one block of enterprises.
type block struct {
	rows []rowCollectors
	hits []uint8 // keywords of demand d found in enterprise b, at d*size+b
	size int
}

func newBlock(size, demands int) *block {
	return &block{rows: make([]rowCollectors, size), hits: make([]uint8, size*demands), size: size}
}

// rematchBlock evaluates a block of enterprises against every resource,
// resource by resource: a resource's column collectors then stay in cache for the
// whole block instead of being fetched once per pair, and the block's rows
// are small enough to stay in cache too. Demands are evaluated only for
// their candidates (demandCandidate), the rule evaluateDemands applies to a
// single enterprise. Incubators are evaluated only when pairwise is set
// (otherwise incubationRanking.fill ranks them).
func (e *Engine) rematchBlock(b *block, ents []*entView, kws [][]int32, cols [kindCount][][2]collector, pairwise bool) {
	for i := range ents {
		b.rows[i].reset(e.rowCap)
	}
	x := &e.x
	for r, p := range e.prods {
		col := &cols[kFinancing][r]
		for i, v := range ents {
			score, ok := x.quickProduct(v, p)
			b.rows[i][kFinancing][listOf(ok)].push(newEntry(p.id, score))
			col[listOf(ok)].push(newEntry(v.id, score))
		}
	}
	for r, in := range e.incs {
		if !pairwise {
			break
		}
		col := &cols[kIncubation][r]
		for i, v := range ents {
			score, ok := x.quickIncubator(v, in)
			b.rows[i][kIncubation][listOf(ok)].push(newEntry(in.id, score))
			col[listOf(ok)].push(newEntry(v.id, score))
		}
	}

	clear(b.hits)
	for i := range ents {
		for _, kw := range kws[i] {
			for _, d := range e.kwDemands[kw] {
				b.hits[int(d)*b.size+i]++
			}
		}
	}
	for r, d := range e.dems {
		col := &cols[kIndustryChain][r]
		hits := b.hits[r*b.size : r*b.size+len(ents)]
		for i, v := range ents {
			h := int(hits[i])
			if !demandCandidate(v, d, h) {
				continue
			}
			score, ok := x.quickDemand(v, d, h)
			b.rows[i][kIndustryChain][listOf(ok)].push(newEntry(d.id, score))
			col[listOf(ok)].push(newEntry(v.id, score))
		}
	}
}

// keywordsByEnterprise lists, per enterprise, the ids of the demand keywords
// its text contains, found keyword by keyword through the text index.
func (e *Engine) keywordsByEnterprise(workers int) [][]int32 {
	found := make([][]int32, len(e.kwVocab))
	parallel(len(e.kwVocab), workers, func(lo, hi int) {
		for id := lo; id < hi; id++ {
			if len(e.kwDemands[id]) > 0 {
				found[id] = e.text.containing(e.kwVocab[id], e.entText, len(e.ents))
			}
		}
	})
	// Invert into one shared backing array (counting sort by enterprise).
	counts := make([]int, len(e.ents)+1)
	for _, ents := range found {
		for _, i := range ents {
			counts[i+1]++
		}
	}
	for i := 1; i < len(counts); i++ {
		counts[i] += counts[i-1]
	}
	flat := make([]int32, counts[len(e.ents)])
	pos := slices.Clone(counts[:len(e.ents)])
	for id, ents := range found {
		for _, i := range ents {
			flat[pos[i]] = int32(id)
			pos[i]++
		}
	}
	out := make([][]int32, len(e.ents))
	for i := range out {
		out[i] = flat[counts[i]:counts[i+1]:counts[i+1]]
	}
	return out
}

// indexDemand adds demand d to the keyword, track and chain indexes.
func (e *Engine) indexDemand(d int32, v *demView) {
	for _, kw := range v.keywords {
		id, ok := e.kwID[kw]
		if !ok {
			id = int32(len(e.kwVocab))
			e.kwID[kw] = id
			e.kwVocab = append(e.kwVocab, kw)
			e.kwDemands = append(e.kwDemands, nil)
		}
		e.kwDemands[id] = insertSorted32(e.kwDemands[id], d)
	}
	if v.track != 0 {
		e.demByTrack[v.track] = insertSorted32(e.demByTrack[v.track], d)
	}
	if v.chain != "" {
		e.demByChain[v.chain] = insertSorted32(e.demByChain[v.chain], d)
	}
}

// unindexDemand removes demand d from the indexes.
func (e *Engine) unindexDemand(d int32, v *demView) {
	del := func(s []int32) []int32 {
		if i, ok := slices.BinarySearch(s, d); ok {
			return slices.Delete(s, i, i+1)
		}
		return s
	}
	for _, kw := range v.keywords {
		id := e.kwID[kw]
		e.kwDemands[id] = del(e.kwDemands[id])
	}
	if v.track != 0 {
		e.demByTrack[v.track] = del(e.demByTrack[v.track])
	}
	if v.chain != "" {
		e.demByChain[v.chain] = del(e.demByChain[v.chain])
	}
}

// dedupeEnterprises keeps the last of enterprises sharing an id.
func dedupeEnterprises(es []*catalog.Enterprise) []*catalog.Enterprise {
	last := make(map[int64]int, len(es))
	for i, en := range es {
		last[en.ID] = i
	}
	if len(last) == len(es) {
		return es
	}
	out := make([]*catalog.Enterprise, 0, len(last))
	for i, en := range es {
		if last[en.ID] == i {
			out = append(out, en)
		}
	}
	return out
}

// parallel runs fn over [0, n) split into one range per worker.
func parallel(n, workers int, fn func(lo, hi int)) {
	if n == 0 {
		return
	}
	workers = max(1, min(workers, n))
	size := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += size {
		wg.Go(func() { fn(lo, min(lo+size, n)) })
	}
	wg.Wait()
}
