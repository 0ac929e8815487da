package matching

import (
	"cmp"
	"fmt"
	"slices"
)

// entry is one ranked pairing in a top list: the other side's id and the
// score in centi-points, packed into one word so a kept pairing costs eight
// bytes and two entries compare as integers. The score's shortfall from
// maxCenti takes the high bits and the id the low idBits, so the smaller
// word is the better entry: higher score first, then lower id, one
// deterministic order for every list.
type entry uint64

// idBits is how many bits an entry gives the id; ids are store-assigned
// sequence numbers, far below 2^50.
const idBits = 64 - 14 // 14 bits hold 0–maxCenti

const idMask = 1<<idBits - 1

// newEntry packs a pairing's id and score (0–maxCenti). It panics on an id
// outside [0, 2^50), which no store assigns.
func newEntry(id int64, score int32) entry {
	if uint64(id) > idMask {
		panic(fmt.Sprintf("matching: id %d outside [0, 2^%d)", id, idBits))
	}
	score = min(max(score, 0), maxCenti)
	return entry(uint64(maxCenti-score)<<idBits | uint64(id))
}

// id is the other side's id.
func (x entry) id() int64 { return int64(x & idMask) }

// score is the score in centi-points.
func (x entry) score() int32 { return maxCenti - int32(x>>idBits) }

// better orders entries: higher score first, then lower id.
func better(a, b entry) bool { return a < b }

func compareEntries(a, b entry) int { return cmp.Compare(a, b) }

// topList keeps the best entries of a set that changes one entry at a time,
// best first, up to a capacity somewhat above the K it serves.
//
// Invariant: items are exactly the best len(items) entries of the whole set.
// When entries had to be dropped (truncated), floor ranks at or above every
// dropped entry, and every item ranks above floor; an entry offered below
// floor is dropped too, since it might rank below an entry already dropped.
// Once removals leave fewer than K items of a truncated list, the list is
// incomplete and must be recomputed from scratch.
type topList struct {
	items     []entry
	floor     entry
	truncated bool
}

func (l *topList) find(id int64) int {
	for i, x := range l.items {
		if x.id() == id {
			return i
		}
	}
	return -1
}

// remove takes id out of the list and reports whether it was there.
func (l *topList) remove(id int64) bool {
	i := l.find(id)
	if i < 0 {
		return false
	}
	l.items = slices.Delete(l.items, i, i+1)
	return true
}

// offer adds x if it belongs among the best capacity entries, and returns
// its place in the list, or -1 when it was dropped.
func (l *topList) offer(x entry, capacity int) int {
	if l.truncated && !better(x, l.floor) {
		return -1
	}
	i, _ := slices.BinarySearch(l.items, x)
	if i >= capacity {
		l.drop(x)
		return -1
	}
	l.items = slices.Insert(l.items, i, x)
	if len(l.items) > capacity {
		l.drop(l.items[capacity])
		l.items = l.items[:capacity]
	}
	return i
}

func (l *topList) drop(x entry) {
	if !l.truncated || better(x, l.floor) {
		l.floor = x
	}
	l.truncated = true
}

// incomplete reports whether the list can no longer serve its best k.
func (l *topList) incomplete(k int) bool { return l.truncated && len(l.items) < k }

// collector gathers the best capacity entries of a stream; it builds the
// lists of a full rematch. Entries are appended to a buffer; when the buffer
// reaches one and a half times the capacity it is sorted and cut back to the
// capacity, and the best entry cut becomes the floor that later entries must
// beat. Most entries of a long stream are then rejected by one comparison,
// and no per-entry sifting is needed as in a heap.
type collector struct {
	items     []entry
	capacity  int
	floor     entry
	truncated bool
}

func (c *collector) reset(capacity int) {
	c.items = c.items[:0]
	c.capacity = capacity
	c.truncated = false
}

func (c *collector) push(x entry) {
	if c.truncated && !better(x, c.floor) {
		return
	}
	c.items = append(c.items, x)
	if len(c.items) >= c.capacity+c.capacity/2+1 {
		c.compact()
	}
}

// compact cuts the buffer back to its best capacity entries (unordered).
func (c *collector) compact() {
	if len(c.items) <= c.capacity {
		return
	}
	selectBest(c.items, c.capacity)
	cut := c.items[c.capacity]
	for _, x := range c.items[c.capacity+1:] {
		if better(x, cut) {
			cut = x
		}
	}
	if !c.truncated || better(cut, c.floor) {
		c.floor = cut
	}
	c.truncated = true
	c.items = c.items[:c.capacity]
}

// selectBest reorders s so that its best n entries come first, in no
// particular order (quickselect: linear on average, where a sort is not).
func selectBest(s []entry, n int) {
	lo, hi := 0, len(s)-1
	for lo < hi {
		// Median of three as the pivot, moved to hi.
		mid := lo + (hi-lo)/2
		if better(s[mid], s[lo]) {
			s[mid], s[lo] = s[lo], s[mid]
		}
		if better(s[hi], s[lo]) {
			s[hi], s[lo] = s[lo], s[hi]
		}
		if better(s[mid], s[hi]) {
			s[mid], s[hi] = s[hi], s[mid]
		}
		pivot := s[hi]
		p := lo
		for i := lo; i < hi; i++ {
			if better(s[i], pivot) {
				s[i], s[p] = s[p], s[i]
				p++
			}
		}
		s[p], s[hi] = s[hi], s[p]
		switch {
		case p == n:
			return
		case p < n:
			lo = p + 1
		default:
			hi = p - 1
		}
	}
}

// list returns the collected entries as a sorted topList, copied into a
// slice of exactly their size so the collector can be reused.
func (c *collector) list() topList {
	c.compact()
	slices.Sort(c.items)
	return topList{items: slices.Clone(c.items), floor: c.floor, truncated: c.truncated}
}

// mergeLists merges lists of disjoint sets into one list of the best
// capacity entries.
func mergeLists(capacity int, lists ...topList) topList {
	var out topList
	n := 0
	for _, l := range lists {
		n += len(l.items)
		if l.truncated {
			out.drop(l.floor)
		}
	}
	out.items = make([]entry, 0, min(n, capacity))
	all := make([]entry, 0, n)
	for _, l := range lists {
		all = append(all, l.items...)
	}
	slices.Sort(all)
	for _, x := range all {
		if out.truncated && !better(x, out.floor) {
			continue
		}
		if len(out.items) == capacity {
			out.drop(x)
			continue
		}
		out.items = append(out.items, x)
	}
	return out
}
