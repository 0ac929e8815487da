package scheduling

import "slices"

// search builds and improves a schedule by moves on a state. Its moves:
//
//   - insert a pair in a slot where it fits;
//   - insert it after moving the meetings in its way to other slots
//     (ejection chains of bounded depth: a moved meeting may move others);
//   - replace: insert it, removing the meetings in its way (the side's
//     meeting in the slot, the cheapest meeting of a side at capacity, the
//     cheapest of a full slot), then put back what fits elsewhere, kept
//     when the schedule's value rises.
//
// Values compare lexicographically (requested meetings, then score), so no
// move trades a requested meeting for score.
type search struct {
	in   *instance
	s    *state
	stop func() bool
	buf  [][]int32 // scratch by depth
	rm   []int32
}

func newSearch(s *state, stop func() bool) *search {
	return &search{in: s.in, s: s, stop: stop, buf: make([][]int32, 4)}
}

func (ls *search) scratch(depth int) []int32 {
	for len(ls.buf) <= depth {
		ls.buf = append(ls.buf, nil)
	}
	return ls.buf[depth][:0]
}

// insertFree places pair j in a slot other than avoid without removing
// any meeting, moving up to depth levels of meetings out of its way. On
// failure the state is as it was.
func (ls *search) insertFree(j, depth, avoid int) bool {
	s, in := ls.s, ls.in
	T := in.T
	for t := range T {
		if t != avoid && s.fits(j, t) {
			s.place(j, t)
			return true
		}
	}
	x := in.pairs[j]
	p, h := int(x.p), int(x.h)
	if depth == 0 || s.pCnt[p] >= in.capP[p] || s.hCnt[h] >= in.capH[h] {
		return false
	}
	for t := range T {
		if t == avoid || !s.open(j, t) {
			continue
		}
		m := s.mark()
		ok := true
		if a := s.pAt[p*T+t]; a >= 0 {
			ok = ls.relocate(int(a), depth-1)
		}
		if b := s.hAt[h*T+t]; ok && b >= 0 {
			ok = ls.relocate(int(b), depth-1)
		}
		if ok && s.used[t] >= in.tables[t] {
			// Only a slot with a table left can take a meeting of t.
			ok = false
			if s.slack == 0 {
				s.undo(m)
				continue
			}
			cand := append(ls.scratch(depth), s.bySlot[t]...)
			for _, q := range cand {
				if ls.relocate(int(q), 0) {
					ok = true
					break
				}
			}
			ls.buf[depth] = cand
		}
		if ok && s.fits(j, t) {
			s.place(j, t)
			return true
		}
		s.undo(m)
	}
	return false
}

// relocate moves placed pair k to another slot, as insertFree does.
func (ls *search) relocate(k, depth int) bool {
	s := ls.s
	from := int(s.at[k])
	m := s.mark()
	s.unplace(k)
	if ls.insertFree(k, depth, from) {
		return true
	}
	s.undo(m)
	return false
}

// cheapest returns the least valuable of the pairs in l (-1 entries are
// skipped), or -1; ties go to the later pair, the worse in pair order.
func (ls *search) cheapest(l []int32) int32 {
	best := int32(-1)
	var bv value
	for _, k := range l {
		if k < 0 {
			continue
		}
		v := ls.in.pairs[k].value()
		if best < 0 || bv.better(v) || !v.better(bv) && k > best {
			best, bv = k, v
		}
	}
	return best
}

// replace puts pair i in slot t, removing what is in its way, then puts
// back elsewhere what it can. It reports false when the pair cannot go
// there at all; either way the caller measures the change and undoes it
// or commits it.
func (ls *search) replace(i, t int) bool {
	s, in := ls.s, ls.in
	T := in.T
	x := in.pairs[i]
	p, h := int(x.p), int(x.h)
	if !s.open(i, t) {
		return false
	}
	rm := ls.rm[:0]
	if a := s.pAt[p*T+t]; a >= 0 {
		rm = append(rm, a)
		s.unplace(int(a))
	}
	if b := s.hAt[h*T+t]; b >= 0 {
		rm = append(rm, b)
		s.unplace(int(b))
	}
	if s.pCnt[p] >= in.capP[p] {
		if k := ls.cheapest(s.pAt[p*T : p*T+T]); k >= 0 {
			rm = append(rm, k)
			s.unplace(int(k))
		}
	}
	if s.hCnt[h] >= in.capH[h] {
		if k := ls.cheapest(s.hAt[h*T : h*T+T]); k >= 0 {
			rm = append(rm, k)
			s.unplace(int(k))
		}
	}
	if s.used[t] >= in.tables[t] {
		// Rather move a meeting of the slot elsewhere than drop one.
		moved := false
		if s.slack > 0 {
			cand := append(ls.scratch(0), s.bySlot[t]...)
			for _, q := range cand {
				if ls.relocate(int(q), 0) {
					moved = true
					break
				}
			}
			ls.buf[0] = cand
		}
		if !moved {
			if k := ls.cheapest(s.bySlot[t]); k >= 0 {
				rm = append(rm, k)
				s.unplace(int(k))
			}
		}
	}
	if !s.fits(i, t) {
		ls.rm = rm
		return false // the caller undoes
	}
	s.place(i, t)
	for _, k := range rm {
		ls.insertFree(int(k), 1, -1)
	}
	ls.rm = rm
	return true
}

// lowerLoss is a lower bound on what inserting pair i must remove, from
// the capacities: a side at capacity loses a meeting for good. (tryInsert
// adds the slots' part: a full slot loses one when no table is free
// anywhere.) It reports false when a side has no capacity at all.
func (ls *search) lowerLoss(i int) (value, bool) {
	s, in := ls.s, ls.in
	T := in.T
	x := in.pairs[i]
	p, h := int(x.p), int(x.h)
	var lb value
	if s.pCnt[p] >= in.capP[p] {
		k := ls.cheapest(s.pAt[p*T : p*T+T])
		if k < 0 {
			return lb, false // capacity 0
		}
		lb = in.pairs[k].value()
	}
	if s.hCnt[h] >= in.capH[h] {
		k := ls.cheapest(s.hAt[h*T : h*T+T])
		if k < 0 {
			return lb, false
		}
		if v := in.pairs[k].value(); v.better(lb) {
			lb = v
		}
	}
	return lb, true
}

// tryInsert puts unplaced pair i in the schedule by the best of the moves
// above, if that raises the schedule's value.
func (ls *search) tryInsert(i int, slotMin []value, full bool) bool {
	s, in := ls.s, ls.in
	if ls.insertFree(i, 1, -1) {
		return true
	}
	v := in.pairs[i].value()
	lb, ok := ls.lowerLoss(i)
	if !ok || !v.better(lb) {
		return false
	}
	before := s.val
	bestT, bestGain := -1, value{}
	for t := range in.T {
		if !s.open(i, t) {
			continue
		}
		if full && s.used[t] >= in.tables[t] && !v.better(slotMin[t]) {
			continue
		}
		m := s.mark()
		if ls.replace(i, t) {
			if g := s.val.minus(before); g.better(bestGain) {
				bestT, bestGain = t, g
			}
		}
		s.undo(m)
	}
	if bestT < 0 {
		return false
	}
	m := s.mark()
	ls.replace(i, bestT)
	if !s.val.minus(before).better(value{}) {
		s.undo(m) // cannot happen: the move is the one just measured
		return false
	}
	s.commit()
	return true
}

// improve runs passes of tryInsert over the unplaced pairs, best first,
// until a pass changes nothing or the search must stop.
func (ls *search) improve(maxPasses int) {
	s, in := ls.s, ls.in
	slotMin := make([]value, in.T)
	for range maxPasses {
		changed := false
		dirty := true
		full := false
		for i := range in.pairs {
			if s.at[i] >= 0 {
				continue
			}
			if i%64 == 0 && ls.stop() {
				return
			}
			if dirty {
				full = true
				for t := range in.T {
					if s.used[t] < in.tables[t] {
						full = false
					}
					slotMin[t] = value{req: 1 << 30}
					if k := ls.cheapest(s.bySlot[t]); k >= 0 {
						slotMin[t] = in.pairs[k].value()
					}
				}
				dirty = false
			}
			if ls.tryInsert(i, slotMin, full) {
				changed, dirty = true, true
			}
			s.commit()
		}
		s.commit()
		if !changed {
			return
		}
	}
}

// fill puts every unplaced pair that fits somewhere into the schedule,
// best first, so that a requested pair left out always has a cause.
func (ls *search) fill() {
	s := ls.s
	for i := range ls.in.pairs {
		if s.at[i] >= 0 {
			continue
		}
		for t := range ls.in.T {
			if s.fits(i, t) {
				s.place(i, t)
				break
			}
		}
	}
}

// colour places the selected pairs, the most constrained first, each in
// a slot where it fits, moving others out of its way if need be.
func (ls *search) colour(sel []int32) {
	s, in := ls.s, ls.in
	T := in.T
	open := func(i int32) int {
		n := 0
		for t := range T {
			if s.open(int(i), t) {
				n++
			}
		}
		return n
	}
	order := slices.Clone(sel)
	deg := make([]int, len(in.pairs))
	for _, i := range order {
		deg[i] = open(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int {
		if deg[a] != deg[b] {
			return deg[a] - deg[b]
		}
		return int(a - b)
	})
	for k, i := range order {
		if k%64 == 0 && ls.stop() {
			break
		}
		ls.insertFree(int(i), 2, -1)
		s.commit()
	}
	s.commit()
}
