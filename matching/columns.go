package matching

import "slices"

// evaluateColumn evaluates resource res of a kind against every enterprise
// (for a demand: against its candidates) and passes each pair to fn.
func (e *Engine) evaluateColumn(kind int, res int32, fn func(i int32, x entry, eligible bool)) {
	x := &e.x
	switch kind {
	case kFinancing:
		p := e.prods[res]
		for i, v := range e.ents {
			score, ok := x.quickProduct(v, p)
			fn(int32(i), newEntry(p.id, score), ok)
		}
	case kIncubation:
		in := e.incs[res]
		for i, v := range e.ents {
			score, ok := x.quickIncubator(v, in)
			fn(int32(i), newEntry(in.id, score), ok)
		}
	case kIndustryChain:
		d := e.dems[res]
		hits := make(map[int32]int)
		for _, kw := range d.keywords {
			for _, i := range e.text.containing(kw, e.entText, len(e.ents)) {
				hits[i]++
			}
		}
		for i, v := range e.ents {
			h := hits[int32(i)]
			if !demandCandidate(v, d, h) {
				continue
			}
			score, ok := x.quickDemand(v, d, h)
			fn(int32(i), newEntry(d.id, score), ok)
		}
	}
}

func (e *Engine) entText(i int32) string { return e.ents[i].text }

// fillColumn recomputes a column from scratch and, when updateRows is set,
// puts the fresh pairings into the enterprises' rows (after the resource
// itself changed). It returns the enterprises whose rows changed. When a
// slice is tracked it notes what entered, left or changed in the column's
// slice and what the rows' moves changed in the rows' slices, and
// recomputes a row left unable to tell its slice. Call with the write
// lock held.
func (e *Engine) fillColumn(kind int, res int32, updateRows bool) []Change {
	var tops [2]collector
	tops[eligibleList].reset(e.colCap)
	tops[ineligibleList].reset(e.colCap)
	var changes []Change
	resID := e.resourceID(kind, res)
	col := &e.cols[kind][res]
	track := e.tracking()
	var before []slot
	var recompute []int32
	if track {
		before = topSlots(&col.lists, e.slice.PerResource)
	}
	if updateRows && kind == kIndustryChain {
		// Enterprises that stop being candidates lose the demand.
		for i := range e.rows {
			lists := &e.rows[i].lists[kind]
			r, was := take(lists, resID)
			if r < 0 {
				continue
			}
			changes = append(changes, Change{EnterpriseID: e.ents[i].id, Kind: pairingKinds[kind]})
			if track {
				e.markRowMove(kind, int32(i), was, r, was, -1)
				if sliceIncomplete(lists, e.slice.PerEnterprise) {
					recompute = append(recompute, int32(i))
				}
			}
		}
	}
	e.evaluateColumn(kind, res, func(i int32, x entry, ok bool) {
		tops[listOf(ok)].push(newEntry(e.ents[i].id, x.score()))
		if updateRows && e.updateRowEntry(i, kind, x, ok) {
			changes = append(changes, Change{EnterpriseID: e.ents[i].id, Kind: pairingKinds[kind]})
			if track && sliceIncomplete(&e.rows[i].lists[kind], e.slice.PerEnterprise) {
				recompute = append(recompute, i)
			}
		}
	})
	col.lists[eligibleList] = tops[eligibleList].list()
	col.lists[ineligibleList] = tops[ineligibleList].list()
	if updateRows {
		col.at = e.cfg.Today()
	}
	if track {
		after := topSlots(&col.lists, e.slice.PerResource)
		diffSlots(before, after, func(id int64) { e.mark(kind, id, resID) })
		for _, b := range before {
			if !slices.ContainsFunc(after, func(a slot) bool { return a.x.id() == b.x.id() }) {
				e.setColumnIn(kind, res, b.x.id(), false)
			}
		}
		for _, a := range after {
			e.setColumnIn(kind, res, a.x.id(), true)
		}
		for _, i := range recompute {
			if sliceIncomplete(&e.rows[i].lists[kind], e.slice.PerEnterprise) {
				e.recomputeRow(i)
				for _, k := range pairingKinds {
					changes = append(changes, Change{EnterpriseID: e.ents[i].id, Kind: k})
				}
			}
		}
	}
	return dedupeChanges(changes)
}

func (e *Engine) resourceID(kind int, res int32) int64 {
	switch kind {
	case kFinancing:
		return e.prods[res].id
	case kIncubation:
		return e.incs[res].id
	}
	return e.dems[res].id
}

func dedupeChanges(cs []Change) []Change {
	seen := make(map[Change]bool, len(cs))
	out := cs[:0]
	for _, c := range cs {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

// columnIncomplete reports whether removals left a column unable to serve
// its top K.
func (e *Engine) columnIncomplete(col *column) bool {
	k := e.cfg.TopPerResource
	return col.lists[eligibleList].incomplete(k) || col.lists[ineligibleList].incomplete(k)
}
