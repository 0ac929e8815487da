package scheduling

import "slices"

// exact is a depth-first branch and bound over the candidate pairs: each
// pair, in turn, meets in one of the slots it fits or does not meet. A
// node is cut when no completion can beat the best schedule found, by two
// bounds on the remaining pairs that still fit somewhere. The cheap one:
// all of them meeting for the requested count, and for the score the least
// of three sums (each participant's best remaining pairs up to what it can
// still take, the same for hosts, the best remaining pairs up to the
// tables the day has left). The strong one, when the cheap one does not
// cut: the aggregated relaxation solved as a flow (a maximum-weight
// b-matching under those limits, requested pairs weighing more than any
// score sum, so its optimum splits into a requested count and a score that
// no completion beats lexicographically). Used when there are few pairs;
// the search is exact when it finishes within its node budget.
type exact struct {
	in      *instance
	lex     bool // requested count first, as Solve ranks; else the score alone
	order   []int32
	rank    []int32
	byScore []int32
	s       *state
	best    value
	bestAt  []int32
	nodes   int
	budget  int
	stop    func() bool
	aborted bool

	takenP, takenH []int
	leftP, leftH   []int
	use            []bool
	weight         []float64
	g              bmatch
}

func newExact(in *instance, lex bool, budget int, stop func() bool) *exact {
	e := &exact{in: in, lex: lex, budget: budget, stop: stop, s: newState(in)}
	n := len(in.pairs)
	e.order = make([]int32, n)
	for i := range e.order {
		e.order[i] = int32(i)
	}
	e.byScore = slices.Clone(e.order)
	slices.SortStableFunc(e.byScore, func(a, b int32) int {
		sa, sb := in.pairs[a].score, in.pairs[b].score
		switch {
		case sa > sb:
			return -1
		case sa < sb:
			return 1
		}
		return 0
	})
	if !lex {
		e.order = slices.Clone(e.byScore)
	}
	e.rank = make([]int32, n)
	for k, i := range e.order {
		e.rank[i] = int32(k)
	}
	e.takenP = make([]int, in.nP)
	e.takenH = make([]int, in.nH)
	e.leftP = make([]int, in.nP)
	e.leftH = make([]int, in.nH)
	e.use = make([]bool, n)
	maxScore := 0.0
	for _, x := range in.pairs {
		maxScore = max(maxScore, x.score)
	}
	bonus := (maxScore + 1) * float64(n+1)
	e.weight = make([]float64, n)
	for i, x := range in.pairs {
		e.weight[i] = x.score
		if lex && x.req {
			e.weight[i] += bonus
		}
	}
	return e
}

func (e *exact) better(a, b value) bool {
	if e.lex {
		return a.better(b)
	}
	return a.score > b.score+eps
}

// start sets the incumbent: the search looks only for better schedules.
func (e *exact) start(v value, at []int32) {
	e.best = v
	e.bestAt = slices.Clone(at)
}

// run searches and reports whether it finished (and so proved the best).
func (e *exact) run() bool {
	e.dfs(0)
	return !e.aborted
}

func (e *exact) dfs(k int) {
	if e.aborted {
		return
	}
	e.nodes++
	if e.nodes > e.budget || e.nodes%1024 == 0 && e.stop() {
		e.aborted = true
		return
	}
	s := e.s
	if e.better(s.val, e.best) {
		e.best = s.val
		e.bestAt = append(e.bestAt[:0], s.at...)
	}
	if k == len(e.order) || !e.promising(k) {
		return
	}
	i := int(e.order[k])
	for t := range e.in.T {
		if s.fits(i, t) {
			s.place(i, t)
			e.dfs(k + 1)
			s.unplace(i)
		}
	}
	e.dfs(k + 1)
}

func (e *exact) fitsSomewhere(i int) bool {
	for t := range e.in.T {
		if e.s.fits(i, t) {
			return true
		}
	}
	return false
}

// promising reports whether some completion of the pairs from k on might
// beat the best schedule found.
func (e *exact) promising(k int) bool {
	in, s := e.in, e.s
	T := in.T
	req := s.val.req
	for i := range e.use {
		e.use[i] = int(e.rank[i]) >= k && e.fitsSomewhere(i)
		if e.use[i] && in.pairs[i].req {
			req++
		}
	}
	if e.lex {
		if req < e.best.req {
			return false
		}
	}
	for p := range in.nP {
		n := 0
		for t := range T {
			if in.pFree[p*T+t] && s.pAt[p*T+t] < 0 {
				n++
			}
		}
		e.leftP[p] = min(in.capP[p]-s.pCnt[p], n)
		e.takenP[p] = 0
	}
	for h := range in.nH {
		n := 0
		for t := range T {
			if in.hFree[h*T+t] && s.hAt[h*T+t] < 0 {
				n++
			}
		}
		e.leftH[h] = min(in.capH[h]-s.hCnt[h], n)
		e.takenH[h] = 0
	}
	total := 0
	for t := range T {
		np, nh := 0, 0
		for p := range in.nP {
			if in.pFree[p*T+t] && s.pAt[p*T+t] < 0 {
				np++
			}
		}
		for h := range in.nH {
			if in.hFree[h*T+t] && s.hAt[h*T+t] < 0 {
				nh++
			}
		}
		total += min(in.tables[t]-s.used[t], np, nh)
	}
	var sumP, sumH, sumAll float64
	n := 0
	for _, i := range e.byScore {
		if !e.use[i] {
			continue
		}
		x := in.pairs[i]
		if x.score <= 0 {
			break
		}
		if e.takenP[x.p] < e.leftP[x.p] {
			e.takenP[x.p]++
			sumP += x.score
		}
		if e.takenH[x.h] < e.leftH[x.h] {
			e.takenH[x.h]++
			sumH += x.score
		}
		if n < total {
			n++
			sumAll += x.score
		}
	}
	cheap := s.val.score + min(sumP, sumH, sumAll)
	if (!e.lex || req == e.best.req) && cheap <= e.best.score+eps {
		return false
	}

	e.g.build(in, e.weight, e.use, e.leftP, e.leftH)
	e.g.run(total, func() bool { return false })
	ub := s.val
	for a, u := range e.g.used {
		if u {
			ub = ub.plus(in.pairs[e.g.arcPair[a]].value())
		}
	}
	if e.lex {
		return ub.better(e.best)
	}
	return ub.score > e.best.score+eps
}
