package marketplace

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
)

// The read model's secondary indexes (ADR 027). Each filterable field of a
// catalogue list keeps one compressed bitmap of IDs per value, so a filter
// is the union of its values' bitmaps and a query the intersection of its
// filters; counts come from the bitmaps' cardinalities, kept by roaring as
// values are added and removed. Each sortable field keeps the listed IDs
// sorted by (key, ID), so a page in that order starts with a binary search.

// bit is an ID as a bitmap element. IDs are the store's sequence numbers;
// 2^32 of them is far beyond any catalogue this process could hold in
// memory, so a larger ID is a broken store, not a scale to plan for.
func bit(id int64) uint32 {
	if id <= 0 || id > math.MaxUint32 {
		panic(fmt.Sprintf("marketplace: id %d outside the indexes' range 1..2^32-1", id))
	}
	return uint32(id)
}

// indexer is one secondary index as the table maintains it: told of every
// listed value, with the value it replaces (nil for a new ID).
type indexer[T any] interface {
	update(id int64, old, cur *T)
}

// index maps each value of a field to the bitmap of the IDs holding it.
// A field may hold several values (an enterprise's qualifications).
type index[T any, K comparable] struct {
	of   func(v *T) []K
	sets map[K]*roaring.Bitmap
}

func newIndex[T any, K comparable](of func(v *T) []K) *index[T, K] {
	return &index[T, K]{of: of, sets: map[K]*roaring.Bitmap{}}
}

// one adapts a single-valued field.
func one[T any, K comparable](f func(v *T) K) func(v *T) []K {
	return func(v *T) []K { return []K{f(v)} }
}

func (x *index[T, K]) update(id int64, old, cur *T) {
	var was, is []K
	if old != nil {
		was = x.of(old)
	}
	if cur != nil {
		is = x.of(cur)
	}
	b := bit(id)
	for _, k := range was {
		if !slices.Contains(is, k) {
			x.sets[k].Remove(b)
		}
	}
	for _, k := range is {
		set := x.sets[k]
		if set == nil {
			set = roaring.New()
			x.sets[k] = set
		}
		set.Add(b)
	}
}

// anyOf returns the IDs holding any of ks. The result may be an index's own
// bitmap: callers only read it, under the read lock.
func (x *index[T, K]) anyOf(ks []K) *roaring.Bitmap {
	var sets []*roaring.Bitmap
	for _, k := range ks {
		if s := x.sets[k]; s != nil && !slices.Contains(sets, s) {
			sets = append(sets, s)
		}
	}
	switch len(sets) {
	case 0:
		return roaring.New()
	case 1:
		return sets[0]
	}
	return roaring.FastOr(sets...)
}

// sortKey is what an order sorts by: a number (dates, scores), or a string
// (names) compared bytewise, as PostgreSQL's C collation does.
type sortKey struct {
	N int64
	S string
}

// Cursor is a position in an ordered list: the sort key of an item and its
// ID, which breaks ties. A page after a cursor starts with the first item
// above it, whether or not the item it was taken from still exists or has
// moved.
type Cursor struct {
	Key sortKey
	ID  int64
}

// NumberCursor and TextCursor build cursors for orders by a number or by a
// string; IDCursor for the ID order.
func NumberCursor(n, id int64) Cursor      { return Cursor{Key: sortKey{N: n}, ID: id} }
func TextCursor(s string, id int64) Cursor { return Cursor{Key: sortKey{S: s}, ID: id} }
func IDCursor(id int64) Cursor             { return Cursor{ID: id} }

// Number and Text return the key of a cursor of an order by a number or a string.
func (c Cursor) Number() int64 { return c.Key.N }
func (c Cursor) Text() string  { return c.Key.S }

func compareCursors(a, b Cursor) int {
	if c := cmp.Compare(a.Key.N, b.Key.N); c != 0 {
		return c
	}
	if c := strings.Compare(a.Key.S, b.Key.S); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// order keeps the listed IDs sorted by (key, ID) ascending, all of them
// and, when part is set, those of each value of part apart: a filter on
// a value the order correlates with (enterprises' names begin with their
// city) would otherwise walk past whole cities to fill a page.
type order[T any] struct {
	key   func(v *T) sortKey
	part  func(v *T) any
	es    []Cursor
	parts map[any][]Cursor
}

func (o *order[T]) update(id int64, old, cur *T) {
	if old != nil {
		if cur != nil && o.key(old) == o.key(cur) && (o.part == nil || o.part(old) == o.part(cur)) {
			return
		}
		c := Cursor{o.key(old), id}
		o.es = remove(o.es, c)
		if o.part != nil {
			k := o.part(old)
			o.parts[k] = remove(o.parts[k], c)
		}
	}
	if cur != nil {
		c := Cursor{o.key(cur), id}
		o.es = insert(o.es, c)
		if o.part != nil {
			k := o.part(cur)
			o.parts[k] = insert(o.parts[k], c)
		}
	}
}

func remove(es []Cursor, c Cursor) []Cursor {
	if i, found := slices.BinarySearchFunc(es, c, compareCursors); found {
		return slices.Delete(es, i, i+1)
	}
	return es
}

func insert(es []Cursor, c Cursor) []Cursor {
	i, _ := slices.BinarySearchFunc(es, c, compareCursors)
	return slices.Insert(es, i, c)
}

// rebuild sorts the listed values afresh: a bulk load or a large batch
// costs one sort instead of a shifting insert per item.
func (o *order[T]) rebuild(ids []int64, listed map[int64]*T) {
	o.es = o.es[:0]
	for _, id := range ids {
		o.es = append(o.es, Cursor{o.key(listed[id]), id})
	}
	slices.SortFunc(o.es, compareCursors)
	if o.part == nil {
		return
	}
	clear(o.parts)
	for _, c := range o.es { // in order, so each part is too
		k := o.part(listed[c.ID])
		o.parts[k] = append(o.parts[k], c)
	}
}
