package marketplace

import (
	"slices"
)

// table is one entity type of the read model: values by ID plus the IDs in
// ascending order, which is also the order of every catalogue list.
type table[T any] struct {
	byID map[int64]*T
	ids  []int64
}

func newTable[T any](n int) table[T] {
	return table[T]{byID: make(map[int64]*T, n), ids: make([]int64, 0, n)}
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

// list puts the value of id, which set stored, in the lists; it is a no-op
// when it is there already.
func (t *table[T]) list(id int64) {
	i, found := slices.BinarySearch(t.ids, id)
	if !found {
		t.ids = slices.Insert(t.ids, i, id)
	}
}

// Page is one page of a list in ID order.
type Page[T any] struct {
	Items      []*T
	TotalCount int
	HasNext    bool
	HasPrev    bool
}

// page returns up to first items with an ID above after that keep accepts,
// and how many items keep accepts in all.
func (t *table[T]) page(after int64, first int, keep func(*T) bool) Page[T] {
	var p Page[T]
	start, _ := slices.BinarySearch(t.ids, after+1)
	for i, id := range t.ids {
		v := t.byID[id]
		if keep != nil && !keep(v) {
			continue
		}
		p.TotalCount++
		switch {
		case i < start:
			p.HasPrev = true
		case len(p.Items) < first:
			p.Items = append(p.Items, v)
		default:
			p.HasNext = true
		}
	}
	return p
}

func (t *table[T]) all() []*T {
	out := make([]*T, len(t.ids))
	for i, id := range t.ids {
		out[i] = t.byID[id]
	}
	return out
}
