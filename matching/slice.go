package matching

import (
	"cmp"
	"slices"

	"github.com/yurong/yurong/catalog"
)

// The slice is the part of the ranked pairings a search index holds, and
// the one place that says which pairings that is (see
// docs/adr/008-indexed-pairings-slice.md). The engine keeps it exact
// incrementally: every write notes which pairings may have entered or left
// the slice or changed their score, eligibility or green channel, and the
// indexer takes those notes (TakeSliceChanges) and looks each pairing up
// again (SlicePairing).

// Slice sizes the pairings a search index holds: every enterprise's best
// PerEnterprise pairings of each kind, eligible first (the first
// PerEnterprise of Matches(enterprise, kind, …, false)), and every
// resource's best PerResource enterprises, eligible first (the first
// PerResource of Candidates(kind, resource, …, false)). A pairing in either
// list is in the slice, once.
type Slice struct {
	PerEnterprise int
	PerResource   int
}

// The default Slice: at Henan scale (60,000 enterprises, 6,100 resources)
// about 640,000 pairings.
const (
	DefaultSlicePerEnterprise = 3
	DefaultSlicePerResource   = 20
)

// withDefaults fills zero or negative sizes with the defaults and caps
// them at the lists the engine keeps.
func (s Slice) withDefaults(cfg *Config) Slice {
	if s.PerEnterprise <= 0 {
		s.PerEnterprise = DefaultSlicePerEnterprise
	}
	if s.PerResource <= 0 {
		s.PerResource = DefaultSlicePerResource
	}
	s.PerEnterprise = min(s.PerEnterprise, cfg.TopPerEnterprise)
	s.PerResource = min(s.PerResource, cfg.TopPerResource)
	return s
}

// PairingKey names one pairing.
type PairingKey struct {
	Kind         catalog.PairingKind
	EnterpriseID int64
	ResourceID   int64
}

// SliceChanges are what changed in the slice since the last
// TakeSliceChanges.
type SliceChanges struct {
	// All is set when everything may have changed: a Rebuild (an explicit
	// one, or the first write of a new day) re-evaluated every pairing.
	// The slice must then be indexed again as a whole.
	All bool
	// Pairings may have entered or left the slice, or changed their score,
	// eligibility or green channel. Look each one up with SlicePairing:
	// in the slice, index it; not, delete it. Ordered by kind, enterprise,
	// resource.
	Pairings []PairingKey
}

// sliceKey is a PairingKey by kind index.
type sliceKey struct {
	kind     int8
	ent, res int64
}

// maxSliceMarks bounds the notes nobody takes: past it they collapse into
// SliceChanges.All.
const maxSliceMarks = 1 << 22

// TrackSlice starts keeping s (its zero sizes defaulted, each capped at
// TopPerEnterprise and TopPerResource) and noting what changes in it, and
// returns the slice kept. One consumer per engine: the search indexer.
// Changes made before the call are not noted; the consumer's copy is
// assumed to match the slice as it stands (or to be rebuilt). Tracking a
// different slice than before notes All.
func (e *Engine) TrackSlice(s Slice) Slice {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.gen++
	s = s.withDefaults(&e.cfg)
	if e.slice != (Slice{}) && e.slice != s {
		e.sliceAll = true
	}
	e.slice = s
	if e.sliceMarks == nil {
		e.sliceMarks = map[sliceKey]struct{}{}
	}
	// From now on every list must be able to tell its part of the slice.
	for i := range e.rows {
		for k := range e.rows[i].lists {
			if sliceIncomplete(&e.rows[i].lists[k], s.PerEnterprise) {
				e.recomputeRow(int32(i))
				break
			}
		}
	}
	for k := range e.cols {
		for res := range e.cols[k] {
			if sliceIncomplete(&e.cols[k][res].lists, s.PerResource) {
				e.fillColumn(k, int32(res), false)
			}
		}
	}
	e.indexColumns()
	return s
}

// TakeSliceChanges returns what changed in the slice since the last call
// (or since TrackSlice) and forgets it.
func (e *Engine) TakeSliceChanges() SliceChanges {
	e.mu.Lock()
	marks, all := e.sliceMarks, e.sliceAll
	if len(marks) > 0 {
		e.sliceMarks = make(map[sliceKey]struct{}, len(marks)/2)
	} else {
		marks = nil // the engine keeps writing to its own, empty map
	}
	e.sliceAll = false
	e.mu.Unlock()
	out := SliceChanges{All: all, Pairings: make([]PairingKey, 0, len(marks))}
	for k := range marks {
		out.Pairings = append(out.Pairings, PairingKey{Kind: pairingKinds[k.kind], EnterpriseID: k.ent, ResourceID: k.res})
	}
	slices.SortFunc(out.Pairings, func(a, b PairingKey) int {
		ka, _ := kindIndex(a.Kind)
		kb, _ := kindIndex(b.Kind)
		if c := cmp.Compare(ka, kb); c != 0 {
			return c
		}
		if c := cmp.Compare(a.EnterpriseID, b.EnterpriseID); c != 0 {
			return c
		}
		return cmp.Compare(a.ResourceID, b.ResourceID)
	})
	return out
}

// SlicePairing returns a pairing and whether it is in the tracked slice.
// Unlike Pairing it never recomputes a stale enterprise: it reads the lists
// as they stand, as the slice does.
func (e *Engine) SlicePairing(key PairingKey) (Pairing, bool) {
	k, ok := kindIndex(key.Kind)
	if !ok {
		return Pairing{}, false
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	i, ok := e.entIdx[key.EnterpriseID]
	if !ok {
		return Pairing{}, false
	}
	res, ok := e.resIdx[k][key.ResourceID]
	if !ok || !e.inSlice(k, i, res) {
		return Pairing{}, false
	}
	return e.explain(k, i, res), true
}

// inSlice reports whether the pairing of enterprise i and resource res of
// a kind is in the slice. Call with the lock held.
func (e *Engine) inSlice(kind int, i, res int32) bool {
	if e.slice == (Slice{}) {
		return false
	}
	return inTop(&e.rows[i].lists[kind], e.resourceID(kind, res), e.slice.PerEnterprise) ||
		inTop(&e.cols[kind][res].lists, e.ents[i].id, e.slice.PerResource)
}

// EnterpriseSlice returns every pairing of an enterprise in the tracked
// slice: its best PerEnterprise of each kind, then those where it is among
// a resource's best PerResource (found through colIn, not a scan of every
// column); nil when the enterprise is unknown or no slice is tracked. Like
// SlicePairing it reads the lists as they stand.
func (e *Engine) EnterpriseSlice(enterpriseID int64) []Pairing {
	e.mu.RLock()
	defer e.mu.RUnlock()
	i, ok := e.entIdx[enterpriseID]
	if !ok || e.slice == (Slice{}) {
		return nil
	}
	var out []Pairing
	var own [kindCount][]int64
	for k := range kindCount {
		own[k] = topOf(&e.rows[i].lists[k], e.slice.PerEnterprise, nil)
		for _, id := range own[k] {
			out = append(out, e.explain(k, i, e.resIdx[k][id]))
		}
	}
	for _, r := range e.columnsOf(i) {
		if !slices.Contains(own[r.kind], e.resourceID(r.kind, r.res)) {
			out = append(out, e.explain(r.kind, i, r.res))
		}
	}
	return out
}

// ResourceSlice returns every pairing of a resource in the tracked slice:
// its best PerResource enterprises, then those enterprises that have it
// among their best PerEnterprise of its kind; nil when the resource is
// unknown or no slice is tracked. Like SlicePairing it reads the lists as
// they stand.
func (e *Engine) ResourceSlice(kind catalog.PairingKind, resourceID int64) []Pairing {
	k, ok := kindIndex(kind)
	if !ok {
		return nil
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	res, ok := e.resIdx[k][resourceID]
	if !ok || e.slice == (Slice{}) {
		return nil
	}
	col := &e.cols[k][res].lists
	own := topOf(col, e.slice.PerResource, nil)
	out := make([]Pairing, 0, len(own))
	for _, id := range own {
		out = append(out, e.explain(k, e.entIdx[id], res))
	}
	for i := range e.rows {
		if inTop(&e.rows[i].lists[k], resourceID, e.slice.PerEnterprise) && !slices.Contains(own, e.ents[i].id) {
			out = append(out, e.explain(k, int32(i), res))
		}
	}
	return out
}

// tracking reports whether a slice is tracked. Call with the lock held.
func (e *Engine) tracking() bool { return e.sliceMarks != nil }

// mark notes that a pairing may have changed in the slice. Call with the
// write lock held, when tracking.
func (e *Engine) mark(kind int, ent, res int64) {
	if e.sliceAll {
		return // everything is to be indexed again anyway
	}
	e.sliceMarks[sliceKey{kind: int8(kind), ent: ent, res: res}] = struct{}{}
	if len(e.sliceMarks) > maxSliceMarks {
		e.markAll()
	}
}

// markAll notes that everything changed.
func (e *Engine) markAll() {
	e.sliceAll = true
	clear(e.sliceMarks)
}

// A list pair is the eligible and the ineligible list of an enterprise's
// row for one kind, or of a resource's column. Its combined order is the
// eligible list, then the ineligible one: the order of Matches and
// Candidates with eligibleOnly false. The slice takes the best k of that
// order.

// slot is an entry with the list it is in: what the slice indexes of a
// pairing (its score and eligibility).
type slot struct {
	x        entry
	eligible bool
}

// place puts x, the fresh entry of its id, into a list pair. It returns
// the id's rank in the combined order before (-1: absent) with its entry
// then, and its rank after (-1: dropped).
func place(lists *[2]topList, x entry, eligible bool, capacity int) (before int, was slot, after int) {
	before, was = take(lists, x.id())
	after = lists[listOf(eligible)].offer(x, capacity)
	if after >= 0 && !eligible {
		after += len(lists[eligibleList].items)
	}
	return before, was, after
}

// take removes id from a list pair and returns its rank before (-1:
// absent) and its entry. An id is in one list of a pair at most.
func take(lists *[2]topList, id int64) (int, slot) {
	el, in := &lists[eligibleList], &lists[ineligibleList]
	if p := el.find(id); p >= 0 {
		was := slot{el.items[p], true}
		el.items = slices.Delete(el.items, p, p+1)
		return p, was
	}
	if p := in.find(id); p >= 0 {
		was := slot{in.items[p], false}
		in.items = slices.Delete(in.items, p, p+1)
		return len(el.items) + p, was
	}
	return -1, slot{}
}

// inTop reports whether id is among the best k of a list pair.
func inTop(lists *[2]topList, id int64, k int) bool {
	el := lists[eligibleList].items
	for _, x := range el[:min(k, len(el))] {
		if x.id() == id {
			return true
		}
	}
	if len(el) >= k {
		return false
	}
	in := lists[ineligibleList].items
	for _, x := range in[:min(k-len(el), len(in))] {
		if x.id() == id {
			return true
		}
	}
	return false
}

// topOf appends the ids of the best k of a list pair to buf.
func topOf(lists *[2]topList, k int, buf []int64) []int64 {
	el := lists[eligibleList].items
	for _, x := range el[:min(k, len(el))] {
		buf = append(buf, x.id())
	}
	if len(el) < k {
		in := lists[ineligibleList].items
		for _, x := range in[:min(k-len(el), len(in))] {
			buf = append(buf, x.id())
		}
	}
	return buf
}

// topSlots returns the best k of a list pair with their lists.
func topSlots(lists *[2]topList, k int) []slot {
	el := lists[eligibleList].items
	out := make([]slot, 0, k)
	for _, x := range el[:min(k, len(el))] {
		out = append(out, slot{x, true})
	}
	if len(el) < k {
		in := lists[ineligibleList].items
		for _, x := range in[:min(k-len(el), len(in))] {
			out = append(out, slot{x, false})
		}
	}
	return out
}

// diffSlots calls mark with the id of every entry that entered or left
// the best k between before and after, or changed its score or
// eligibility.
func diffSlots(before, after []slot, mark func(id int64)) {
	for _, b := range before {
		if !slices.Contains(after, b) {
			mark(b.x.id())
		}
	}
	for _, a := range after {
		if !slices.ContainsFunc(before, func(b slot) bool { return b.x.id() == a.x.id() }) {
			mark(a.x.id())
		}
	}
}

// entryAt returns the entry at rank r of a list pair's combined order.
func entryAt(lists *[2]topList, r int) (entry, bool) {
	el := lists[eligibleList].items
	if r < len(el) {
		return el[r], true
	}
	in := lists[ineligibleList].items
	if r -= len(el); r < len(in) {
		return in[r], true
	}
	return 0, false
}

// sliceIncomplete reports whether removals left a list pair unable to tell
// its best k: a truncated list holds fewer entries than the slice needs of
// it.
func sliceIncomplete(lists *[2]topList, k int) bool {
	el := &lists[eligibleList]
	if len(el.items) >= k {
		return false
	}
	if el.truncated {
		return true
	}
	in := &lists[ineligibleList]
	return in.truncated && len(in.items) < k-len(el.items)
}

// markRowMove notes what moving resource id in enterprise i's list pair of
// a kind, from rank before (-1: absent; was its entry then) to rank after
// (-1: absent) as x, changed in its best PerEnterprise: the pairing itself
// when it entered or left them or changed its score or eligibility among
// them, and the pairing it pushed out or let in. Only the moved entry
// changed place, so at most one other crossed the boundary. Call when
// tracking.
func (e *Engine) markRowMove(kind int, i int32, x slot, before int, was slot, after int) {
	k := e.slice.PerEnterprise
	wasIn, isIn := before >= 0 && before < k, after >= 0 && after < k
	if !wasIn && !isIn || wasIn && isIn && was == x {
		return
	}
	ent := e.ents[i].id
	e.mark(kind, ent, x.x.id())
	lists := &e.rows[i].lists[kind]
	if wasIn && !isIn {
		if y, ok := entryAt(lists, k-1); ok {
			e.mark(kind, ent, y.id()) // let in
		}
	} else if !wasIn && isIn {
		if y, ok := entryAt(lists, k); ok {
			e.mark(kind, ent, y.id()) // pushed out
		}
	}
}

// markColumnMove is markRowMove for enterprise x in resource res's column
// and its best PerResource.
func (e *Engine) markColumnMove(kind int, res int32, x slot, before int, was slot, after int) {
	k := e.slice.PerResource
	wasIn, isIn := before >= 0 && before < k, after >= 0 && after < k
	if !wasIn && !isIn || wasIn && isIn && was == x {
		return
	}
	resID := e.resourceID(kind, res)
	e.mark(kind, x.x.id(), resID)
	if wasIn == isIn {
		return
	}
	e.setColumnIn(kind, res, x.x.id(), isIn)
	lists := &e.cols[kind][res].lists
	if wasIn {
		if y, ok := entryAt(lists, k-1); ok {
			e.mark(kind, y.id(), resID) // let in
			e.setColumnIn(kind, res, y.id(), true)
		}
	} else if y, ok := entryAt(lists, k); ok {
		e.mark(kind, y.id(), resID) // pushed out
		e.setColumnIn(kind, res, y.id(), false)
	}
}

// setColumnIn records whether enterprise id is among resource res's best
// PerResource: colIn lists, per enterprise, the columns whose slice holds
// it, so its part of the slice is found without a scan of every column.
// Call with the write lock held, when tracking.
func (e *Engine) setColumnIn(kind int, res int32, id int64, in bool) {
	i, ok := e.entIdx[id]
	if !ok {
		return
	}
	if int(i) >= len(e.colIn) {
		e.colIn = append(e.colIn, make([][]resRef, int(i)+1-len(e.colIn))...)
	}
	r := resRef{kind, res}
	l := e.colIn[i]
	p := slices.Index(l, r)
	switch {
	case in && p < 0:
		e.colIn[i] = append(l, r)
	case !in && p >= 0:
		l[p] = l[len(l)-1]
		e.colIn[i] = l[:len(l)-1]
	}
}

// indexColumns builds colIn from every column. Call with the write lock
// held, when tracking.
func (e *Engine) indexColumns() {
	e.colIn = make([][]resRef, len(e.ents))
	var ids []int64
	for k := range e.cols {
		for res := range e.cols[k] {
			ids = topOf(&e.cols[k][res].lists, e.slice.PerResource, ids[:0])
			for _, id := range ids {
				if i, ok := e.entIdx[id]; ok {
					e.colIn[i] = append(e.colIn[i], resRef{k, int32(res)})
				}
			}
		}
	}
}

// columnsOf returns the columns whose slice holds enterprise i. Call with
// the lock held.
func (e *Engine) columnsOf(i int32) []resRef {
	if int(i) < len(e.colIn) {
		return e.colIn[i]
	}
	return nil
}

// rowSlots returns the best PerEnterprise of each kind of enterprise i's
// row, when tracking.
func (e *Engine) rowSlots(i int32) (out [kindCount][]slot) {
	for k := range out {
		out[k] = topSlots(&e.rows[i].lists[k], e.slice.PerEnterprise)
	}
	return out
}

// markEnterprise notes every pairing of enterprise i in the slice. Call
// with the write lock held, when tracking.
func (e *Engine) markEnterprise(i int32) {
	id := e.ents[i].id
	var own []int64
	for k := range kindCount {
		own = topOf(&e.rows[i].lists[k], e.slice.PerEnterprise, own[:0])
		for _, res := range own {
			e.mark(k, id, res)
		}
	}
	for _, r := range e.columnsOf(i) {
		e.mark(r.kind, id, e.resourceID(r.kind, r.res))
	}
}
