package matching

import (
	"strings"
)

// rowCollectors collect one enterprise's best pairings per kind, eligible and
// not, while its row is evaluated.
type rowCollectors [kindCount][2]collector

func (h *rowCollectors) reset(capacity int) {
	for k := range h {
		h[k][eligibleList].reset(capacity)
		h[k][ineligibleList].reset(capacity)
	}
}

// store moves the collected entries into r as sorted lists.
func (h *rowCollectors) store(r *row) {
	for k := range h {
		for j := range h[k] {
			r.lists[k][j] = h[k][j].list()
		}
	}
}

// scratch is reusable working memory for evaluating rows. Each rematch
// worker has its own; writes share the engine's under the write lock.
type scratch struct {
	tops    rowCollectors
	hits    []int32  // per demand: keywords found
	seen    []uint32 // per demand: stamp of the row that touched it
	stamp   uint32
	touched []int32 // demands touched by the current row
	kwBuf   []int32
	pairs   []evaluated // recomputeRow's rowEval
}

// emitFunc receives each evaluated pair of a row: the kind, the resource's
// index and the pair's entry for the resource's column.
type emitFunc func(kind int, res int32, x entry, eligible bool)

// evaluateRow evaluates enterprise v against every product and incubator
// and against its candidate demands, fills s.tops with the row's best
// pairings and passes every pair to emit.
func (e *Engine) evaluateRow(v *entView, kwIDs []int32, s *scratch, emit emitFunc) {
	s.tops.reset(e.rowCap)
	x := &e.x
	for i, p := range e.prods {
		score, ok := x.quickProduct(v, p)
		s.tops[kFinancing][listOf(ok)].push(newEntry(p.id, score))
		emit(kFinancing, int32(i), newEntry(v.id, score), ok)
	}
	for i, in := range e.incs {
		score, ok := x.quickIncubator(v, in)
		s.tops[kIncubation][listOf(ok)].push(newEntry(in.id, score))
		emit(kIncubation, int32(i), newEntry(v.id, score), ok)
	}
	e.evaluateDemands(v, kwIDs, s, &s.tops, emit)
}

// evaluateDemands evaluates enterprise v against its candidate demands into
// h and emit.
//
// A demand is a candidate when one of its keywords occurs in the
// enterprise's text (kwIDs lists the keywords found), or when it shares the
// enterprise's track or industry chain: those are the only demand pairings
// worth ranking, and finding them through indexes avoids blind all-pairs
// work over thousands of demands.
func (e *Engine) evaluateDemands(v *entView, kwIDs []int32, s *scratch, h *rowCollectors, emit emitFunc) {
	if len(s.hits) < len(e.dems) {
		s.hits = make([]int32, len(e.dems))
		s.seen = make([]uint32, len(e.dems))
	}
	s.stamp++
	if s.stamp == 0 { // wrapped: old stamps could match again
		clear(s.seen)
		s.stamp = 1
	}
	s.touched = s.touched[:0]
	touch := func(d int32) {
		if s.seen[d] != s.stamp {
			s.seen[d] = s.stamp
			s.hits[d] = 0
			s.touched = append(s.touched, d)
		}
	}
	for _, kw := range kwIDs {
		for _, d := range e.kwDemands[kw] {
			touch(d)
			s.hits[d]++
		}
	}
	if v.track != 0 {
		for _, d := range e.demByTrack[v.track] {
			touch(d)
		}
	}
	if v.chain != "" {
		for _, d := range e.demByChain[v.chain] {
			touch(d)
		}
	}
	for _, d := range s.touched {
		dv := e.dems[d]
		score, ok := e.x.quickDemand(v, dv, int(s.hits[d]))
		h[kIndustryChain][listOf(ok)].push(newEntry(dv.id, score))
		emit(kIndustryChain, d, newEntry(v.id, score), ok)
	}
}

// demandCandidate reports whether demand d is a candidate of enterprise v,
// the one rule of evaluateDemands and rematchBlock.
func demandCandidate(v *entView, d *demView, hits int) bool {
	return hits > 0 || (d.track != 0 && d.track == v.track) || (d.chain != "" && d.chain == v.chain)
}

// keywordsIn lists the ids of the demand keywords that occur in text.
func (e *Engine) keywordsIn(text string, buf []int32) []int32 {
	buf = buf[:0]
	for id, kw := range e.kwVocab {
		if len(e.kwDemands[id]) > 0 && strings.Contains(text, kw) {
			buf = append(buf, int32(id))
		}
	}
	return buf
}

// recomputeRow recomputes every pairing of enterprise i: its row, and its
// entries in every column. When a slice is tracked it notes the
// enterprise's pairings that entered or left the slice or changed in it,
// and the pairings of others its moves pushed out of or let into a
// column's slice, and refills a column left unable to tell its slice. Call
// with the write lock held.
func (e *Engine) recomputeRow(i int32) {
	ev := rowEval{s: e.scratch, pairs: e.scratch.pairs[:0]}
	e.evaluateRowOf(e.ents[i], &ev)
	e.applyRow(i, &ev)
	e.scratch.pairs = ev.pairs[:0]
}

// rowEval is one enterprise's row evaluated and not yet applied: the row's
// best pairings (in s.tops), every pair for the columns, and the demands
// that are no longer candidates but whose columns hold the enterprise.
// recomputeRow evaluates and applies under the write lock; an upsert
// evaluates under the read lock first (upsert.go).
type rowEval struct {
	s     *scratch
	pairs []evaluated
	gone  []int32
}

// evaluated is one pair of a row: the resource's kind and index, and the
// pair's entry for the resource's column.
type evaluated struct {
	kind     int
	res      int32
	x        entry
	eligible bool
}

// evaluateRowOf evaluates enterprise v's row into ev without changing the
// engine: call with the read lock held at least, ev.s private to the
// caller or the write lock held.
func (e *Engine) evaluateRowOf(v *entView, ev *rowEval) {
	s := ev.s
	s.kwBuf = e.keywordsIn(v.text, s.kwBuf)
	e.evaluateRow(v, s.kwBuf, s, func(kind int, res int32, x entry, eligible bool) {
		ev.pairs = append(ev.pairs, evaluated{kind, res, x, eligible})
	})
	ev.gone = ev.gone[:0]
	for d := range e.dems {
		if s.seen[d] != s.stamp {
			lists := &e.cols[kIndustryChain][d].lists
			if lists[eligibleList].find(v.id) >= 0 || lists[ineligibleList].find(v.id) >= 0 {
				ev.gone = append(ev.gone, int32(d))
			}
		}
	}
}

// applyRow stores enterprise i's evaluated row and puts its pairs into the
// columns (see recomputeRow). Call with the write lock held, ev evaluated
// from the engine as it is.
func (e *Engine) applyRow(i int32, ev *rowEval) {
	v := e.ents[i]
	track := e.tracking()
	var before [kindCount][]slot
	var refill []resRef
	if track {
		before = e.rowSlots(i)
	}
	for _, p := range ev.pairs {
		if e.updateColumn(p.kind, p.res, p.x, p.eligible) {
			refill = append(refill, resRef{p.kind, p.res})
		}
	}
	// Demands that are no longer candidates lose the enterprise.
	for _, d := range ev.gone {
		lists := &e.cols[kIndustryChain][d].lists
		if r, was := take(lists, v.id); r >= 0 && track {
			e.markColumnMove(kIndustryChain, d, was, r, was, -1)
			if sliceIncomplete(lists, e.slice.PerResource) {
				refill = append(refill, resRef{kIndustryChain, d})
			}
		}
	}
	ev.s.tops.store(&e.rows[i])
	e.rows[i].at = e.cfg.Today()
	if !track {
		return
	}
	// The row's own slice: what entered, left or changed.
	after := e.rowSlots(i)
	for k := range kindCount {
		diffSlots(before[k], after[k], func(id int64) { e.mark(k, v.id, id) })
	}
	for _, r := range refill {
		if sliceIncomplete(&e.cols[r.kind][r.res].lists, e.slice.PerResource) {
			e.fillColumn(r.kind, r.res, false)
		}
	}
}

// resRef names a resource by kind and index.
type resRef struct {
	kind int
	res  int32
}

// updateColumn puts x, the fresh pairing of one enterprise, into resource
// res's column. When a slice is tracked it notes what that changed in the
// column's slice and reports whether the column can no longer tell it.
func (e *Engine) updateColumn(kind int, res int32, x entry, eligible bool) (refill bool) {
	col := &e.cols[kind][res]
	before, was, after := place(&col.lists, x, eligible, e.colCap)
	if !e.tracking() {
		return false
	}
	e.markColumnMove(kind, res, slot{x, eligible}, before, was, after)
	return sliceIncomplete(&col.lists, e.slice.PerResource)
}

// updateRowEntry puts x, the fresh pairing of one resource of a kind, into
// enterprise i's row, and reports whether the row's lists changed. When a
// slice is tracked it notes what that changed in the row's slice.
func (e *Engine) updateRowEntry(i int32, kind int, x entry, eligible bool) bool {
	before, was, after := place(&e.rows[i].lists[kind], x, eligible, e.rowCap)
	if e.tracking() {
		e.markRowMove(kind, i, slot{x, eligible}, before, was, after)
	}
	return before >= 0 || after >= 0
}
