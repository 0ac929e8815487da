package marketplace

import (
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
)

// table is one entity type of the read model: values by ID, the IDs in
// ascending order (the default order of every catalogue list), and the
// secondary indexes and orders of the lists' filters and sort fields.
type table[T any] struct {
	byID  map[int64]*T
	ids   []int64
	idset *roaring.Bitmap // ids, as a bitmap

	// listed is each listed ID's value as the indexes and orders hold it;
	// set changes byID first, and list moves the ID in the indexes from
	// this value to the new one.
	listed  map[int64]*T
	indexes []indexer[T]
	orders  []*order[T]
}

func newTable[T any](n int) table[T] {
	return table[T]{byID: make(map[int64]*T, n), ids: make([]int64, 0, n), idset: roaring.New(),
		listed: make(map[int64]*T, n)}
}

// indexBy adds a secondary index; call it before the table holds values.
func (t *table[T]) indexBy(x indexer[T]) { t.indexes = append(t.indexes, x) }

// orderBy adds an order by key, kept apart for each value of part too
// when part is not nil; call it before the table holds values.
func (t *table[T]) orderBy(key func(v *T) sortKey, part func(v *T) any) *order[T] {
	o := &order[T]{key: key, part: part, parts: map[any][]Cursor{}}
	t.orders = append(t.orders, o)
	return o
}

func (t *table[T]) get(id int64) *T { return t.byID[id] }

func (t *table[T]) len() int { return len(t.ids) }

// put inserts or replaces v, found by ID and in lists. Values are never
// mutated after put: an update puts a fresh copy, so readers may keep the
// pointers they got.
func (t *table[T]) put(id int64, v *T) {
	t.set(id, v)
	t.list(id)
}

// set inserts or replaces v, found by ID but not yet in lists (put it in
// them with list).
func (t *table[T]) set(id int64, v *T) { t.byID[id] = v }

// list puts the value of id, which set stored, in the lists and indexes,
// moving it from the values it was listed under; it is a no-op when that
// value is listed already.
func (t *table[T]) list(id int64) {
	cur, old := t.byID[id], t.listed[id]
	if cur == old {
		return
	}
	if old == nil {
		t.add(id)
	}
	for _, x := range t.indexes {
		x.update(id, old, cur)
	}
	for _, o := range t.orders {
		o.update(id, old, cur)
	}
	t.listed[id] = cur
}

func (t *table[T]) add(id int64) {
	t.idset.Add(bit(id))
	if n := len(t.ids); n == 0 || t.ids[n-1] < id {
		t.ids = append(t.ids, id) // IDs mostly arrive in ascending order
		return
	}
	i, _ := slices.BinarySearch(t.ids, id)
	t.ids = slices.Insert(t.ids, i, id)
}

// bulkListThreshold is the batch size above which listMany sorts each
// order afresh instead of inserting into it item by item: an insert shifts
// the order's tail, so a batch of k items costs k·n against n·log n.
const bulkListThreshold = 256

// listMany lists the values of ids, which set stored.
func (t *table[T]) listMany(ids []int64) {
	if len(ids) < bulkListThreshold || len(t.orders) == 0 {
		for _, id := range ids {
			t.list(id)
		}
		return
	}
	for _, id := range ids {
		cur, old := t.byID[id], t.listed[id]
		if cur == old {
			continue
		}
		if old == nil {
			t.add(id)
		}
		for _, x := range t.indexes {
			x.update(id, old, cur)
		}
		t.listed[id] = cur
	}
	for _, o := range t.orders {
		o.rebuild(t.ids, t.listed)
	}
}

// Page is one page of a list.
type Page[T any] struct {
	Items []*T
	// Cursors holds the position of each item in the list's order.
	Cursors    []Cursor
	TotalCount int
	HasNext    bool
	HasPrev    bool
}

// PageArgs selects a page the way Relay's arguments do: of the items
// strictly between After and Before (nil: unbounded), the first Limit, or
// with FromEnd the last Limit.
type PageArgs struct {
	After, Before *Cursor
	Limit         int
	FromEnd       bool
}

// query is one page request against a table.
type query[T any] struct {
	// sets are the filters the indexes answer: the candidates are the
	// intersection of all of them; no sets means every listed ID.
	sets []*roaring.Bitmap
	// keep, when set, is a predicate no index answers: it is tested on
	// every candidate (a scan of the intersection).
	keep func(*T) bool
	// order is a maintained order; nil with key nil is the ID order.
	order *order[T]
	// part, when not nil, is the order's part that holds every candidate:
	// the value of the order's part function one of sets requires.
	part any
	// key computes the sort key of a candidate at read time, for an order
	// the table does not maintain (innovation scores, which the engine
	// moves without telling the read model). It reports false for an item
	// to leave out.
	key  func(id int64) (sortKey, bool)
	desc bool
	args PageArgs
}

// span is a page as positions in a candidate list sorted ascending:
// [start, end) out of n, the list cut to (lo, hi) by the cursors.
// When the cursors cross, the empty page sits at the one it starts from.
func span(lo, hi, n, limit int, fromEnd bool) (start, end int) {
	if fromEnd {
		lo = min(lo, hi)
		return max(hi-limit, lo), hi
	}
	hi = max(hi, lo)
	return lo, min(lo+limit, hi)
}

// page answers q. Its cost is that of the intersection (computed by
// roaring, counted by its cardinality) plus the page, except where q
// needs a scan: a keep predicate, a computed key, or a maintained order
// under a filter so selective that sorting its few items beats walking
// the order.
func (t *table[T]) page(q query[T]) Page[T] {
	cands := t.idset
	switch len(q.sets) {
	case 0:
	case 1:
		cands = q.sets[0]
	default:
		cands = roaring.FastAnd(q.sets...)
	}
	// A descending list is the ascending one reversed: its After bounds
	// the ascending list from above, and its first items are the
	// ascending list's last.
	lo, hi, fromEnd := q.args.After, q.args.Before, q.args.FromEnd
	if q.desc {
		lo, hi, fromEnd = hi, lo, !fromEnd
	}
	var p Page[T]
	switch {
	case q.keep != nil || q.key != nil:
		p = t.scanned(q, cands, lo, hi, fromEnd)
	case q.order == nil:
		p = t.byIDs(cands, lo, hi, q.args.Limit, fromEnd)
	case len(q.sets) == 0:
		p = t.positional(q.order.es, lo, hi, q.args.Limit, fromEnd)
	case q.part != nil && len(q.sets) == 1:
		p = t.positional(q.order.parts[q.part], lo, hi, q.args.Limit, fromEnd)
	case q.part != nil:
		p = t.ordered(q.order, q.order.parts[q.part], cands, lo, hi, q.args.Limit, fromEnd)
	default:
		p = t.ordered(q.order, q.order.es, cands, lo, hi, q.args.Limit, fromEnd)
	}
	if q.desc {
		slices.Reverse(p.Items)
		slices.Reverse(p.Cursors)
		p.HasNext, p.HasPrev = p.HasPrev, p.HasNext
	}
	return p
}

// byIDs pages cands in ID order: ranks and selects on the bitmap.
func (t *table[T]) byIDs(cands *roaring.Bitmap, lo, hi *Cursor, limit int, fromEnd bool) Page[T] {
	n := int(cands.GetCardinality())
	l, h := 0, n
	if lo != nil && lo.ID > 0 {
		l = int(cands.Rank(uint32(min(lo.ID, 1<<32-1))))
	}
	if hi != nil {
		h = 0
		if hi.ID > 1 {
			h = int(cands.Rank(uint32(min(hi.ID-1, 1<<32-1))))
		}
	}
	start, end := span(l, h, n, limit, fromEnd)
	p := Page[T]{TotalCount: n, HasPrev: start > 0, HasNext: end < n}
	if start >= end {
		return p
	}
	first, _ := cands.Select(uint32(start))
	it := cands.Iterator()
	it.AdvanceIfNeeded(first)
	for i := start; i < end && it.HasNext(); i++ {
		id := int64(it.Next())
		p.Items = append(p.Items, t.byID[id])
		p.Cursors = append(p.Cursors, IDCursor(id))
	}
	return p
}

// positional pages a sorted list of every candidate.
func (t *table[T]) positional(es []Cursor, lo, hi *Cursor, limit int, fromEnd bool) Page[T] {
	n := len(es)
	l, h := 0, n
	if lo != nil {
		l, _ = slices.BinarySearchFunc(es, *lo, compareCursors)
		if l < n && compareCursors(es[l], *lo) == 0 {
			l++
		}
	}
	if hi != nil {
		h, _ = slices.BinarySearchFunc(es, *hi, compareCursors)
	}
	start, end := span(l, h, n, limit, fromEnd)
	p := Page[T]{TotalCount: n, HasPrev: start > 0, HasNext: end < n}
	for _, c := range es[start:end] {
		p.Items = append(p.Items, t.byID[c.ID])
		p.Cursors = append(p.Cursors, c)
	}
	return p
}

// ordered pages the candidates in a maintained order, es (all of it, or
// the part that holds every candidate). It walks es from the cursor,
// testing each ID against the candidates, when that is expected to be
// cheaper than sorting the candidates, and sorts them otherwise — also
// when the walk turns out to cost much more than expected, as it does
// when the filter correlates with the order.
func (t *table[T]) ordered(o *order[T], es []Cursor, cands *roaring.Bitmap, lo, hi *Cursor, limit int, fromEnd bool) Page[T] {
	n, all := int(cands.GetCardinality()), len(es)
	if n == 0 {
		return Page[T]{}
	}
	sorted := func() Page[T] {
		es := make([]Cursor, 0, n)
		it := cands.Iterator()
		for it.HasNext() {
			id := int64(it.Next())
			es = append(es, Cursor{o.key(t.listed[id]), id})
		}
		slices.SortFunc(es, compareCursors)
		return t.positional(es, lo, hi, limit, fromEnd)
	}
	// A walk tests about all/n IDs per item it keeps, for the page and
	// one more item on each side; a sort looks up and sorts n items.
	walk := (limit + 2) * all / n
	sort := n * (4 + bitsLen(n))
	if sort < walk {
		return sorted()
	}
	budget := 4*walk + 256
	l, h := 0, all
	if lo != nil {
		l, _ = slices.BinarySearchFunc(es, *lo, compareCursors)
		if l < all && compareCursors(es[l], *lo) == 0 {
			l++
		}
	}
	if hi != nil {
		h, _ = slices.BinarySearchFunc(es, *hi, compareCursors)
	}
	in := func(i int) bool { return cands.Contains(uint32(es[i].ID)) }
	p := Page[T]{TotalCount: n}
	var taken []int
	steps := 0
	if fromEnd {
		for i := h - 1; i >= l && len(taken) < limit; i-- {
			if steps++; steps > budget && sort < steps*4 {
				return sorted()
			}
			if in(i) {
				taken = append(taken, i)
			}
		}
		slices.Reverse(taken)
	} else {
		for i := l; i < h && len(taken) < limit; i++ {
			if steps++; steps > budget && sort < steps*4 {
				return sorted()
			}
			if in(i) {
				taken = append(taken, i)
			}
		}
	}
	// Where to look for items outside the page: next to it, or next to
	// the cursor an empty page sits at.
	below, above := l-1, l
	if fromEnd {
		below, above = h-1, h
	}
	if len(taken) > 0 {
		below, above = taken[0]-1, taken[len(taken)-1]+1
	}
	for i := below; i >= 0 && !p.HasPrev; i-- {
		p.HasPrev = in(i)
	}
	for i := above; i < all && !p.HasNext; i++ {
		p.HasNext = in(i)
	}
	for _, i := range taken {
		p.Items = append(p.Items, t.byID[es[i].ID])
		p.Cursors = append(p.Cursors, es[i])
	}
	return p
}

func bitsLen(n int) int {
	b := 0
	for ; n > 0; n >>= 1 {
		b++
	}
	return b
}

// scanned pages the candidates that keep accepts, sorted by a key
// computed now: one pass over the candidates, then a sort of the page's
// neighbourhood only.
func (t *table[T]) scanned(q query[T], cands *roaring.Bitmap, lo, hi *Cursor, fromEnd bool) Page[T] {
	key := q.key
	if key == nil {
		key = func(id int64) (sortKey, bool) {
			if q.order == nil {
				return sortKey{}, true
			}
			return q.order.key(t.listed[id]), true
		}
	}
	var p Page[T]
	// The page is the limit smallest (or, from the end, largest) of the
	// candidates between the cursors: kept in a bounded heap as the scan
	// goes, never all of them at once.
	limit := q.args.Limit
	better := compareCursors
	if fromEnd {
		better = func(a, b Cursor) int { return compareCursors(b, a) }
	}
	h := heap{cmp: better, es: make([]Cursor, 0, limit)}
	below, above, over := 0, 0, 0
	it := cands.Iterator()
	for it.HasNext() {
		id := int64(it.Next())
		if q.keep != nil && !q.keep(t.byID[id]) {
			continue
		}
		k, ok := key(id)
		if !ok {
			continue
		}
		c := Cursor{k, id}
		p.TotalCount++
		// When the cursors cross, an item past both counts on the side
		// of the cursor the page starts from.
		isBelow := lo != nil && compareCursors(c, *lo) <= 0
		isAbove := hi != nil && compareCursors(c, *hi) >= 0
		switch {
		case isBelow && isAbove:
			if fromEnd {
				above++
			} else {
				below++
			}
		case isBelow:
			below++
		case isAbove:
			above++
		case len(h.es) < limit:
			h.push(c)
		default:
			over++
			if limit > 0 && better(c, h.es[0]) < 0 {
				h.es[0] = c
				h.down(0)
			}
		}
	}
	if fromEnd {
		below += over
	} else {
		above += over
	}
	mid := h.es
	slices.SortFunc(mid, compareCursors)
	p.HasPrev, p.HasNext = below > 0, above > 0
	for _, c := range mid {
		p.Items = append(p.Items, t.byID[c.ID])
		p.Cursors = append(p.Cursors, c)
	}
	return p
}

// heap is a max-heap by cmp: its root is the worst item it keeps.
type heap struct {
	cmp func(a, b Cursor) int
	es  []Cursor
}

func (h *heap) push(c Cursor) {
	h.es = append(h.es, c)
	for i := len(h.es) - 1; i > 0; {
		up := (i - 1) / 2
		if h.cmp(h.es[i], h.es[up]) <= 0 {
			return
		}
		h.es[i], h.es[up] = h.es[up], h.es[i]
		i = up
	}
}

func (h *heap) down(i int) {
	for n := len(h.es); ; {
		l := 2*i + 1
		if l >= n {
			return
		}
		if r := l + 1; r < n && h.cmp(h.es[r], h.es[l]) > 0 {
			l = r
		}
		if h.cmp(h.es[l], h.es[i]) <= 0 {
			return
		}
		h.es[i], h.es[l] = h.es[l], h.es[i]
		i = l
	}
}

func (t *table[T]) all() []*T {
	out := make([]*T, len(t.ids))
	for i, id := range t.ids {
		out[i] = t.byID[id]
	}
	return out
}
