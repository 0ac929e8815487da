package matching

import "slices"

// entry is one ranked pairing in a top list: the other side's id and the
// score in centi-points.
type entry struct {
	id    int64
	score int32
}

// better orders entries: higher score first, then lower id, so every list
// has one deterministic order.
func better(a, b entry) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.id < b.id
}

func compareEntries(a, b entry) int {
	switch {
	case better(a, b):
		return -1
	case better(b, a):
		return 1
	}
	return 0
}

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
		if x.id == id {
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

// offer adds x if it belongs among the best capacity entries.
func (l *topList) offer(x entry, capacity int) {
	if l.truncated && !better(x, l.floor) {
		return
	}
	i, _ := slices.BinarySearchFunc(l.items, x, compareEntries)
	if i >= capacity {
		l.drop(x)
		return
	}
	l.items = slices.Insert(l.items, i, x)
	if len(l.items) > capacity {
		l.drop(l.items[capacity])
		l.items = l.items[:capacity]
	}
}

func (l *topList) drop(x entry) {
	if !l.truncated || better(x, l.floor) {
		l.floor = x
	}
	l.truncated = true
}

// incomplete reports whether the list can no longer serve its best k.
func (l *topList) incomplete(k int) bool { return l.truncated && len(l.items) < k }

// boundedHeap collects the best capacity entries of a stream: a min-heap
// whose root is the worst entry kept. It builds the lists of a full rematch.
type boundedHeap struct {
	items     []entry
	capacity  int
	floor     entry
	truncated bool
}

func (h *boundedHeap) reset(capacity int) {
	h.items = h.items[:0]
	h.capacity = capacity
	h.truncated = false
}

func (h *boundedHeap) push(x entry) {
	if len(h.items) < h.capacity {
		h.items = append(h.items, x)
		h.up(len(h.items) - 1)
		return
	}
	root := h.items[0]
	if h.capacity == 0 || !better(x, root) {
		h.dropped(x)
		return
	}
	h.dropped(root)
	h.items[0] = x
	h.down(0)
}

func (h *boundedHeap) dropped(x entry) {
	if !h.truncated || better(x, h.floor) {
		h.floor = x
	}
	h.truncated = true
}

// worse is the heap order: the worst entry at the root.
func (h *boundedHeap) worse(i, j int) bool { return better(h.items[j], h.items[i]) }

func (h *boundedHeap) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !h.worse(i, p) {
			return
		}
		h.items[i], h.items[p] = h.items[p], h.items[i]
		i = p
	}
}

func (h *boundedHeap) down(i int) {
	n := len(h.items)
	for {
		c := 2*i + 1
		if c >= n {
			return
		}
		if c+1 < n && h.worse(c+1, c) {
			c++
		}
		if !h.worse(c, i) {
			return
		}
		h.items[i], h.items[c] = h.items[c], h.items[i]
		i = c
	}
}

// list returns the heap's entries as a sorted topList, copying them into a
// slice of exactly their size so the heap can be reused.
func (h *boundedHeap) list() topList {
	items := slices.Clone(h.items)
	slices.SortFunc(items, compareEntries)
	return topList{items: items, floor: h.floor, truncated: h.truncated}
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
	slices.SortFunc(all, compareEntries)
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
