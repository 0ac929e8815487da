package scheduling

import (
	"math"
	"slices"
)

// The upper bound comes from the linear relaxation of the time-indexed
// formulation. With x[p,h,t] = 1 when p meets h in slot t (t a slot both
// have free, (p,h) a candidate pair, kept meetings fixed aside), every
// schedule satisfies
//
//	Σ_t x[p,h,t] ≤ 1                 the pair meets once        (π[p,h])
//	Σ_h,t x[p,h,t] ≤ c[p]            participant capacity        (u[p])
//	Σ_p,t x[p,h,t] ≤ c[h]            host capacity               (v[h])
//	Σ x ≤ F                          tables over the day         (ν)
//	Σ_p,h x[p,h,t] ≤ K[t]            tables in slot t            (ν[t])
//	Σ_h x[p,h,t] ≤ 1                 one meeting of p in slot t  (λ[p,t])
//	Σ_p x[p,h,t] ≤ 1                 one meeting of h in slot t  (μ[h,t])
//
// where c[p] is p's capacity left, but no more than its free slots (and
// likewise c[h]), K[t] is the tables left in slot t, but no more than the
// participants or hosts free in it, and F = Σ K[t]: each is implied by
// the hard constraints. Pairs left out of the candidates cannot meet, or
// score 0 and are not requested, so dropping them from a schedule loses
// nothing. The score of any schedule is therefore at most the kept
// meetings' score plus the LP's optimum, which by weak duality is at most
//
//	Σ c[p]u[p] + Σ c[h]v[h] + Fν + Σ K[t]ν[t] + Σ λ + Σ μ
//	  + Σ_(p,h) max(0, max_t (s[p,h] − u[p] − v[h] − ν − ν[t] − λ[p,t] − μ[h,t]))
//
// for ANY nonnegative multipliers (the last sum is the least feasible π:
// this is the Lagrangian dual with every constraint but x ≥ 0 relaxed).
// So the bound is valid whatever multipliers the search below ends with;
// the search only makes it tighter. It starts from the dual of the
// aggregated relaxation (the first four constraints, a b-matching solved
// as a min-cost flow), read off the flow's potentials, which puts the
// bound at the flow's optimum or near it; exact coordinate descent over
// u, v and ν closes what is left of that gap, and, when a schedule is
// known to score less than the bound, over the slot multipliers too,
// towards the LP optimum.
//
// Solve also has two other proven bounds and reports the least: the
// cheap one below, and, when the branch and bound finishes, the exact
// maximum score.

// cheapBound is a bound that costs a sort: each participant's best c[p]
// pairs, each host's best c[h] pairs, the best F pairs overall; any
// schedule's score is at most each of the three sums.
func cheapBound(in *instance) float64 {
	capP, capH, perSlot := in.limits()
	total := 0
	for _, k := range perSlot {
		total += k
	}
	idx := make([]int32, len(in.pairs))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(a, b int32) int {
		sa, sb := in.pairs[a].score, in.pairs[b].score
		switch {
		case sa > sb:
			return -1
		case sa < sb:
			return 1
		}
		return int(a - b)
	})
	takenP := make([]int, in.nP)
	takenH := make([]int, in.nH)
	var sumP, sumH, sumAll float64
	n := 0
	for _, i := range idx {
		x := in.pairs[i]
		if x.score <= 0 {
			break
		}
		if takenP[x.p] < capP[x.p] {
			takenP[x.p]++
			sumP += x.score
		}
		if takenH[x.h] < capH[x.h] {
			takenH[x.h]++
			sumH += x.score
		}
		if n < total {
			n++
			sumAll += x.score
		}
	}
	return in.keepValue.score + min(sumP, sumH, sumAll)
}

// dual holds the multipliers of the bound above and, for the search, each
// pair's reduced score by slot with its best two.
type dual struct {
	in                  *instance
	capP, capH, perSlot []int
	total               int
	u, v                []float64
	nu                  float64
	nuT                 []float64
	lam, mu             []float64 // by [p*T+t], [h*T+t]
	act                 []int32   // pairs of positive score
	byP, byH            [][]int32 // their indexes in act, by participant and host
	red                 []float64 // by [k*T+t]: reduced score, −Inf if t is not common
	best1, best2        []float64
	arg1                []int8
}

func newDual(in *instance) *dual {
	d := &dual{in: in}
	d.capP, d.capH, d.perSlot = in.limits()
	for _, k := range d.perSlot {
		d.total += k
	}
	T := in.T
	d.u = make([]float64, in.nP)
	d.v = make([]float64, in.nH)
	d.nuT = make([]float64, T)
	d.lam = make([]float64, in.nP*T)
	d.mu = make([]float64, in.nH*T)
	d.byP = make([][]int32, in.nP)
	d.byH = make([][]int32, in.nH)
	for i, x := range in.pairs {
		if x.score > 0 {
			k := int32(len(d.act))
			d.act = append(d.act, int32(i))
			d.byP[x.p] = append(d.byP[x.p], k)
			d.byH[x.h] = append(d.byH[x.h], k)
		}
	}
	d.red = make([]float64, len(d.act)*T)
	d.best1 = make([]float64, len(d.act))
	d.best2 = make([]float64, len(d.act))
	d.arg1 = make([]int8, len(d.act))
	return d
}

// fromFlow sets u, v and ν from the potentials of the aggregated flow:
// the price of a saturated participant, host or day is how much the
// potentials rise across its arc.
func (d *dual) fromFlow(g *bmatch) {
	s, t := g.source(), g.sink()
	for p := range d.u {
		d.u[p] = max(0, g.pot[g.part(p)]-g.pot[s])
	}
	for h := range d.v {
		d.v[h] = max(0, g.pot[t]-g.pot[g.host(h)])
	}
	d.nu = max(0, g.pot[s]-g.pot[t])
}

// refresh recomputes pair k's reduced scores from the multipliers.
func (d *dual) refresh(k int) {
	in := d.in
	T := in.T
	x := in.pairs[d.act[k]]
	p, h := int(x.p), int(x.h)
	base := x.score - d.u[p] - d.v[h] - d.nu
	r := d.red[k*T : k*T+T]
	for t := range T {
		if in.pFree[p*T+t] && in.hFree[h*T+t] {
			r[t] = base - d.nuT[t] - d.lam[p*T+t] - d.mu[h*T+t]
		} else {
			r[t] = math.Inf(-1)
		}
	}
	d.top(k)
}

func (d *dual) top(k int) {
	T := d.in.T
	r := d.red[k*T : k*T+T]
	b1, b2, a := math.Inf(-1), math.Inf(-1), -1
	for t, x := range r {
		if x > b1 {
			b1, b2, a = x, b1, t
		} else if x > b2 {
			b2 = x
		}
	}
	d.best1[k], d.best2[k], d.arg1[k] = b1, b2, int8(a)
}

// shiftSlot changes pair k's reduced score in slot t by delta.
func (d *dual) shiftSlot(k, t int, delta float64) {
	T := d.in.T
	x := d.red[k*T+t]
	if math.IsInf(x, -1) || delta == 0 {
		return
	}
	x += delta
	d.red[k*T+t] = x
	if int(d.arg1[k]) == t || x > d.best2[k] {
		d.top(k)
	}
}

// shiftAll changes every reduced score of pair k by delta.
func (d *dual) shiftAll(k int, delta float64) {
	T := d.in.T
	r := d.red[k*T : k*T+T]
	for t := range r {
		r[t] += delta
	}
	d.best1[k] += delta
	d.best2[k] += delta
}

// value is the bound at the current multipliers, computed from scratch.
func (d *dual) value() float64 {
	for k := range d.act {
		d.refresh(k)
	}
	var sum float64
	for p, c := range d.capP {
		sum += float64(c) * d.u[p]
	}
	for h, c := range d.capH {
		sum += float64(c) * d.v[h]
	}
	sum += float64(d.total) * d.nu
	for t, c := range d.perSlot {
		sum += float64(c) * d.nuT[t]
	}
	for _, x := range d.lam {
		sum += x
	}
	for _, x := range d.mu {
		sum += x
	}
	for k := range d.act {
		sum += max(0, d.best1[k])
	}
	return d.in.keepValue.score + sum
}

// argmin is a minimiser over y ≥ 0 of c·y + Σ (a_i − y)⁺: any y between
// the (c+1)-th and the c-th largest a_i; here the middle. a is reordered.
func argmin(a []float64, c int) float64 {
	n := len(a)
	if c >= n {
		return 0
	}
	slices.Sort(a)
	lo := a[n-c-1]
	if c == 0 {
		return max(0, lo)
	}
	return max(0, (lo+a[n-c])/2)
}

// descend runs rounds of exact coordinate descent and returns the best
// bound seen; withSlots adds the slot multipliers (ν[t], λ, μ) to the
// capacity ones (u, v, ν). Each block's minimiser is exact since, with the
// other multipliers fixed, the bound is c·y + Σ (a_i − y)⁺ plus a
// constant. It stops when a round gains nothing.
func (d *dual) descend(rounds int, withSlots bool, stop func() bool) float64 {
	in := d.in
	T := in.T
	best := d.value()
	var buf []float64
	gap := func(k, t int) float64 { // A − max(0, B) for pair k in slot t
		a := d.red[k*T+t]
		b := d.best1[k]
		if int(d.arg1[k]) == t {
			b = d.best2[k]
		}
		return a - max(0, b)
	}
	for range rounds {
		if stop() {
			break
		}
		for t := range T {
			if !withSlots || stop() {
				break
			}
			// ν[t]
			buf = buf[:0]
			for k := range d.act {
				if !math.IsInf(d.red[k*T+t], -1) {
					buf = append(buf, gap(k, t)+d.nuT[t])
				}
			}
			y := argmin(buf, d.perSlot[t])
			delta := d.nuT[t] - y
			d.nuT[t] = y
			for k := range d.act {
				d.shiftSlot(k, t, delta)
			}
			// λ[p,t] and μ[h,t]: one side's one-meeting-per-slot multiplier
			// m over its pairs ks, moved to its best value.
			descend := func(m *float64, ks []int32) {
				buf = buf[:0]
				for _, k := range ks {
					if !math.IsInf(d.red[int(k)*T+t], -1) {
						buf = append(buf, gap(int(k), t)+*m)
					}
				}
				y := argmin(buf, 1)
				delta := *m - y
				*m = y
				for _, k := range ks {
					d.shiftSlot(int(k), t, delta)
				}
			}
			for p := range in.nP {
				if in.pFree[p*T+t] {
					descend(&d.lam[p*T+t], d.byP[p])
				}
			}
			for h := range in.nH {
				if in.hFree[h*T+t] {
					descend(&d.mu[h*T+t], d.byH[h])
				}
			}
		}
		for p := range in.nP {
			buf = buf[:0]
			for _, k := range d.byP[p] {
				buf = append(buf, d.best1[k]+d.u[p])
			}
			y := argmin(buf, d.capP[p])
			delta := d.u[p] - y
			d.u[p] = y
			for _, k := range d.byP[p] {
				d.shiftAll(int(k), delta)
			}
		}
		for h := range in.nH {
			buf = buf[:0]
			for _, k := range d.byH[h] {
				buf = append(buf, d.best1[k]+d.v[h])
			}
			y := argmin(buf, d.capH[h])
			delta := d.v[h] - y
			d.v[h] = y
			for _, k := range d.byH[h] {
				d.shiftAll(int(k), delta)
			}
		}
		buf = buf[:0]
		for k := range d.act {
			buf = append(buf, d.best1[k]+d.nu)
		}
		y := argmin(buf, d.total)
		delta := d.nu - y
		d.nu = y
		for k := range d.act {
			d.shiftAll(k, delta)
		}
		v := d.value()
		gain := best - v
		best = min(best, v)
		if gain <= 1e-9*max(1, math.Abs(best)) {
			break
		}
	}
	return best
}
