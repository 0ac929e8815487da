package matching

import (
	"cmp"
	"container/heap"
	"runtime"
	"slices"
)

// A full rematch ranks the incubation pairings without evaluating the
// enterprises × incubators pairs one by one. An incubation score is a sum
// of rounded contributions of three kinds (scoreIncubator): the
// incubator's own (services, vacancies, carrier level), the incubator's
// with the enterprise's class — its track, city and stage (focus track,
// city, stage fit) — and the enterprise's own (innovation total, green
// channel). A pairing is eligible unless the enterprise is dishonest or the
// incubator has no vacancies. So every enterprise of a class ranks the
// incubators alike, and every incubator ranks a class's enterprises by
// their own part: a row is cut from its class's ranking, and a column is
// merged from the classes' rankings. At Henan's scale that is a few
// hundred classes against 60,000 enterprises.

// incubationClass is what an incubation score depends on of an enterprise
// besides its own part.
type incubationClass struct {
	track, city uint32
	stage       int // stageIndex
}

// incubationRanking ranks every incubation pairing of a full rematch by
// class: planIncubation works it out, fill writes the lists.
type incubationRanking struct {
	classes []*classRanking
	own     []int32 // per enterprise: its own part, in centi-points
}

// classRanking is one class: its members and the incubators' part with it.
type classRanking struct {
	rep     *entView // a member, for the class's fields
	part    []int32  // per incubator: its part with the class
	order   []int32  // incubators, best first (part descending, then id)
	honest  []int32  // members not dishonest, best own part first (then id)
	shunned []int32  // dishonest members, in the same order
}

// planIncubation works out the parts of every incubation score, or returns
// nil when a sum could leave 0–100 points (weights configured negative or
// above the sums DESIGN.md gives): the score is clamped there, which the
// ranking by sums does not reproduce, so the pairs are evaluated one by one.
func (e *Engine) planIncubation() *incubationRanking {
	if len(e.incs) == 0 || len(e.ents) == 0 {
		return nil
	}
	x := &e.x
	plan := &incubationRanking{own: make([]int32, len(e.ents))}
	index := map[incubationClass]int{}
	member := make([]int, len(e.ents))
	for i, v := range e.ents {
		var a acc
		x.scoreInnovation(&a, v, x.cfg.Weights.InnovationIncubation)
		x.scoreGreen(&a, v)
		plan.own[i] = int32(a.centi)
		c := incubationClass{track: v.track, city: v.city, stage: stageIndex(v.stage)}
		n, ok := index[c]
		if !ok {
			n = len(plan.classes)
			index[c] = n
			plan.classes = append(plan.classes, &classRanking{rep: v})
		}
		member[i] = n
	}
	lowOwn, highOwn := minMax(plan.own)
	parallel(len(plan.classes), runtime.GOMAXPROCS(0), func(lo, hi int) {
		for _, cr := range plan.classes[lo:hi] {
			probe := entView{track: cr.rep.track, city: cr.rep.city, stage: cr.rep.stage, stageBit: cr.rep.stageBit}
			cr.part = make([]int32, len(e.incs))
			for r, in := range e.incs {
				var a acc
				x.scoreIncubator(&a, &probe, in) // the probe's own part is 0
				cr.part[r] = int32(a.centi)
			}
			cr.order = make([]int32, len(e.incs))
			for r := range cr.order {
				cr.order[r] = int32(r)
			}
			slices.SortFunc(cr.order, func(a, b int32) int {
				return cmp.Or(cmp.Compare(cr.part[b], cr.part[a]), cmp.Compare(e.incs[a].id, e.incs[b].id))
			})
		}
	})
	for _, cr := range plan.classes {
		low, high := minMax(cr.part)
		if low+lowOwn < 0 || high+highOwn > maxCenti {
			return nil
		}
	}
	for i, v := range e.ents {
		cr := plan.classes[member[i]]
		if v.dishonest {
			cr.shunned = append(cr.shunned, int32(i))
		} else {
			cr.honest = append(cr.honest, int32(i))
		}
	}
	for _, cr := range plan.classes {
		for _, m := range [][]int32{cr.honest, cr.shunned} {
			slices.SortFunc(m, func(a, b int32) int {
				return cmp.Or(cmp.Compare(plan.own[b], plan.own[a]), cmp.Compare(e.ents[a].id, e.ents[b].id))
			})
		}
	}
	return plan
}

// fill writes every row's and every column's incubation lists, as the
// pairwise rematch would. Call with the write lock held.
func (plan *incubationRanking) fill(e *Engine) {
	workers := runtime.GOMAXPROCS(0)
	now := e.cfg.Today()
	open := func(r int32) bool { return e.incs[r].vacancies > 0 }
	parallel(len(plan.classes), workers, func(lo, hi int) {
		var elig, inelig, all []int32
		for _, cr := range plan.classes[lo:hi] {
			elig, inelig, all = elig[:0], inelig[:0], all[:0]
			for _, r := range cr.order {
				if open(r) {
					elig = append(elig, r)
				} else {
					inelig = append(inelig, r)
				}
				all = append(all, r)
			}
			row := func(i int32, eligible, ineligible []int32) {
				entryOf := func(r int32) entry { return newEntry(e.incs[r].id, cr.part[r]+plan.own[i]) }
				lists := &e.rows[i].lists[kIncubation]
				lists[eligibleList] = cutList(eligible, e.rowCap, entryOf)
				lists[ineligibleList] = cutList(ineligible, e.rowCap, entryOf)
			}
			for _, i := range cr.honest {
				row(i, elig, inelig)
			}
			for _, i := range cr.shunned {
				row(i, nil, all)
			}
		}
	})
	parallel(len(e.incs), workers, func(lo, hi int) {
		var m classMerge
		for r := lo; r < hi; r++ {
			col := &e.cols[kIncubation][r]
			m.reset()
			if open(int32(r)) {
				for _, cr := range plan.classes {
					m.add(cr.honest, cr.part[r])
				}
				col.lists[eligibleList] = m.take(e, plan, e.colCap)
				m.reset()
				for _, cr := range plan.classes {
					m.add(cr.shunned, cr.part[r])
				}
			} else {
				col.lists[eligibleList] = topList{}
				for _, cr := range plan.classes {
					m.add(cr.honest, cr.part[r])
					m.add(cr.shunned, cr.part[r])
				}
			}
			col.lists[ineligibleList] = m.take(e, plan, e.colCap)
			col.at = now
		}
	})
}

// cutList is the best capacity entries of ranked (best first) as a top
// list: truncated, with the first entry cut as its floor, when it is
// longer.
func cutList(ranked []int32, capacity int, entryOf func(int32) entry) topList {
	var l topList
	n := min(len(ranked), capacity)
	if n > 0 {
		l.items = make([]entry, n)
		for t := range n {
			l.items[t] = entryOf(ranked[t])
		}
	}
	if len(ranked) > capacity {
		l.truncated = true
		l.floor = entryOf(ranked[capacity])
	}
	return l
}

// classMerge merges classes' members, each class's already best first,
// into one column: a heap of each class's next member.
type classMerge struct {
	heads mergeHeads
	total int // members added
}

type mergeHead struct {
	members []int32 // the class's members not yet taken, best first
	part    int32   // the incubator's part with the class
	next    entry   // members[0]'s entry
}

type mergeHeads []mergeHead

func (h mergeHeads) Len() int           { return len(h) }
func (h mergeHeads) Less(i, j int) bool { return better(h[i].next, h[j].next) }
func (h mergeHeads) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *mergeHeads) Push(x any)        { *h = append(*h, x.(mergeHead)) }
func (h *mergeHeads) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func (m *classMerge) reset() { m.heads, m.total = m.heads[:0], 0 }

func (m *classMerge) add(members []int32, part int32) {
	if len(members) > 0 {
		m.heads = append(m.heads, mergeHead{members: members, part: part})
		m.total += len(members)
	}
}

// take returns the best capacity entries of the classes added, as a top
// list.
func (m *classMerge) take(e *Engine, plan *incubationRanking, capacity int) topList {
	entryOf := func(h *mergeHead) entry {
		i := h.members[0]
		return newEntry(e.ents[i].id, h.part+plan.own[i])
	}
	for k := range m.heads {
		m.heads[k].next = entryOf(&m.heads[k])
	}
	heap.Init(&m.heads)
	var l topList
	if n := min(m.total, capacity); n > 0 {
		l.items = make([]entry, 0, n)
	}
	for len(m.heads) > 0 {
		top := &m.heads[0]
		if len(l.items) == capacity {
			l.truncated, l.floor = true, top.next
			break
		}
		l.items = append(l.items, top.next)
		top.members = top.members[1:]
		if len(top.members) == 0 {
			heap.Pop(&m.heads)
			continue
		}
		top.next = entryOf(top)
		heap.Fix(&m.heads, 0)
	}
	return l
}

func minMax(s []int32) (low, high int32) {
	if len(s) == 0 {
		return 0, 0
	}
	return slices.Min(s), slices.Max(s)
}
