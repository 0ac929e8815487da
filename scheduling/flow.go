package scheduling

import "slices"

// bmatch solves the selection relaxation as a flow: source → participant
// (capacity capP) → host (one unit per pair, cost −weight) → sink
// (capacity capH), at most limit units in all. Successive shortest paths
// with Dijkstra on reduced costs give, after k augmentations, a
// maximum-weight selection of k meetings; the path costs only rise, so
// stopping at the first path that gains nothing, or at limit, gives the
// maximum-weight selection of at most limit meetings.
//
// The residual network is kept implicitly: a participant's unused pairs
// lead to their hosts, a host's used pairs lead back to their
// participants, and arcs into the source or out of the sink never lie on
// a shortest source–sink path, so they are not kept at all.
type bmatch struct {
	nP, nH       int
	capP, capH   []int
	flowP, flowH []int
	// Pair arcs grouped by participant: arcs start[p] … start[p+1]-1.
	start   []int32
	arcH    []int32
	arcP    []int32
	arcW    []float64
	arcPair []int32
	used    []bool
	byHost  [][]int32 // the used arcs of each host
	// pot are the node potentials (source, participants, hosts, sink):
	// reduced costs stay ≥ 0.
	pot []float64

	dist []float64 // scratch of run
	via  []int32
	heap nodeHeap
}

func (g *bmatch) source() int    { return 0 }
func (g *bmatch) sink() int      { return g.nP + g.nH + 1 }
func (g *bmatch) part(p int) int { return 1 + p }
func (g *bmatch) host(h int) int { return 1 + g.nP + h }

// build (re)makes the network, reusing g's memory.
func (g *bmatch) build(in *instance, weight []float64, use []bool, capP, capH []int) {
	g.nP, g.nH = in.nP, in.nH
	g.capP, g.capH = capP, capH
	g.flowP = grow(g.flowP, in.nP)
	g.flowH = grow(g.flowH, in.nH)
	clear(g.flowP)
	clear(g.flowH)
	g.start = grow(g.start, in.nP+1)
	clear(g.start)
	keep := func(i int) bool {
		x := in.pairs[i]
		return weight[i] > 0 && capP[x.p] > 0 && capH[x.h] > 0 && (use == nil || use[i])
	}
	m := 0
	for i, x := range in.pairs {
		if keep(i) {
			g.start[x.p+1]++
			m++
		}
	}
	for p := range in.nP {
		g.start[p+1] += g.start[p]
	}
	g.arcH, g.arcP, g.arcW, g.arcPair = grow(g.arcH, m), grow(g.arcP, m), grow(g.arcW, m), grow(g.arcPair, m)
	g.used = grow(g.used, m)
	clear(g.used)
	next := slices.Clone(g.start[:in.nP])
	for i, x := range in.pairs {
		if keep(i) {
			a := next[x.p]
			next[x.p]++
			g.arcH[a], g.arcP[a], g.arcW[a], g.arcPair[a] = x.h, x.p, weight[i], int32(i)
		}
	}
	g.byHost = grow(g.byHost, in.nH)
	for h := range g.byHost {
		g.byHost[h] = g.byHost[h][:0]
	}
	// Potentials of the acyclic network before any flow: shortest
	// distances from the source.
	n := in.nP + in.nH + 2
	g.pot = grow(g.pot, n)
	clear(g.pot)
	for a := range m {
		v := g.host(int(g.arcH[a]))
		g.pot[v] = min(g.pot[v], -g.arcW[a])
	}
	for h := range in.nH {
		g.pot[g.sink()] = min(g.pot[g.sink()], g.pot[g.host(h)])
	}
}

// solveFlow finds the maximum-weight selection of at most total meetings
// over all pairs, solving the flow on a pruned set first: the pairs among
// the 2·total heaviest, or among the 2c+2 heaviest of their participant or
// host. A pair left out whose arc would have a negative reduced cost
// under the final potentials could improve the selection, so it is added
// and the flow solved again. When no pair is left like that, the
// potentials are valid for the whole network and the stopping rule (no
// gainful path, or the limit reached) holds there too, so the selection
// is optimal.
func solveFlow(in *instance, weight []float64, capP, capH []int, total int, stop func() bool) *bmatch {
	n := len(in.pairs)
	idx := make([]int32, n)
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortStableFunc(idx, func(a, b int32) int {
		switch wa, wb := weight[a], weight[b]; {
		case wa > wb:
			return -1
		case wa < wb:
			return 1
		}
		return 0
	})
	use := make([]bool, n)
	cntP := make([]int, in.nP)
	cntH := make([]int, in.nH)
	for rank, i := range idx {
		x := in.pairs[i]
		if weight[i] <= 0 {
			break
		}
		if rank < 2*total || cntP[x.p] < 2*capP[x.p]+2 || cntH[x.h] < 2*capH[x.h]+2 {
			use[i] = true
		}
		cntP[x.p]++
		cntH[x.h]++
	}
	g := &bmatch{}
	for {
		g.build(in, weight, use, capP, capH)
		g.run(total, stop)
		if stop() {
			return g
		}
		added := false
		for i, x := range in.pairs {
			if use[i] || weight[i] <= 0 || capP[x.p] == 0 || capH[x.h] == 0 {
				continue
			}
			if weight[i] > g.pot[g.part(int(x.p))]-g.pot[g.host(int(x.h))]+eps {
				use[i] = true
				added = true
			}
		}
		if !added {
			return g
		}
	}
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// run augments up to limit units and returns the flow sent; it stops
// early when stop says so (the flow is then a feasible selection, not
// necessarily the best).
func (g *bmatch) run(limit int, stop func() bool) int {
	n := g.nP + g.nH + 2
	g.dist, g.via = grow(g.dist, n), grow(g.via, n)
	g.heap.init(n)
	dist, via, pot := g.dist, g.via, g.pot
	s, t := g.source(), g.sink()
	flow := 0
	const inf = 1e300
	for flow < limit {
		if stop() {
			break
		}
		for i := range dist {
			dist[i] = inf
		}
		relax := func(v int, d float64, from int32) {
			if d < dist[v] {
				dist[v] = d
				via[v] = from
				g.heap.update(v, d)
			}
		}
		dist[s] = 0
		done := false
		// The source's arcs.
		for p := range g.nP {
			if g.flowP[p] < g.capP[p] {
				relax(g.part(p), max(0, pot[s]-pot[g.part(p)]), -1)
			}
		}
		for g.heap.len() > 0 {
			u, du := g.heap.pop()
			if u == t {
				done = true
				break
			}
			if u <= g.nP { // a participant: its unused pairs
				p := u - 1
				for a := g.start[p]; a < g.start[p+1]; a++ {
					if g.used[a] {
						continue
					}
					v := g.host(int(g.arcH[a]))
					relax(v, du+max(0, -g.arcW[a]+pot[u]-pot[v]), a)
				}
				continue
			}
			h := u - 1 - g.nP // a host: its used pairs back, and the sink
			for _, a := range g.byHost[h] {
				v := g.part(int(g.arcP[a]))
				relax(v, du+max(0, g.arcW[a]+pot[u]-pot[v]), a)
			}
			if g.flowH[h] < g.capH[h] {
				relax(t, du+max(0, pot[u]-pot[t]), int32(h))
			}
		}
		if !done {
			// The sink is out of reach: lift every node out of reach by
			// the largest distance found, and the sink at least to the
			// source, so the potentials stay valid and price the
			// saturated cut.
			g.heap.clear()
			lift := 0.0
			for v := range n {
				if dist[v] < inf {
					lift = max(lift, dist[v])
				}
			}
			lift = max(lift, pot[s]-pot[t])
			for v := range n {
				pot[v] += min(dist[v], lift)
			}
			break
		}
		dt := dist[t]
		for v := range n {
			pot[v] += min(dist[v], dt)
		}
		g.heap.clear()
		// The path's cost in the original costs is pot[t] − pot[s].
		if pot[t]-pot[s] >= -eps {
			break
		}
		h := int(via[t])
		g.flowH[h]++
		for {
			a := via[g.host(h)]
			p := int(g.arcP[a])
			g.used[a] = true
			g.byHost[h] = append(g.byHost[h], a)
			b := via[g.part(p)]
			if b < 0 {
				g.flowP[p]++
				break
			}
			h = int(g.arcH[b])
			g.used[b] = false
			l := g.byHost[h]
			k := slices.Index(l, b)
			g.byHost[h] = append(l[:k], l[k+1:]...)
		}
		flow++
	}
	return flow
}

// chosen returns the pairs the flow selects, in pair order.
func (g *bmatch) chosen() []int32 {
	var out []int32
	for a, u := range g.used {
		if u {
			out = append(out, g.arcPair[a])
		}
	}
	slices.Sort(out)
	return out
}

// nodeHeap is an indexed binary min-heap of nodes by distance, then node,
// so ties are broken the same way every run.
type nodeHeap struct {
	item []int32
	key  []float64 // by node
	at   []int32   // by node: place in item, or -1
}

func (q *nodeHeap) init(n int) {
	q.key = grow(q.key, n)
	q.at = grow(q.at, n)
	for i := range q.at {
		q.at[i] = -1
	}
	q.item = q.item[:0]
}

func (q *nodeHeap) len() int { return len(q.item) }

func (q *nodeHeap) clear() {
	for _, v := range q.item {
		q.at[v] = -1
	}
	q.item = q.item[:0]
}

func (q *nodeHeap) less(i, j int) bool {
	a, b := q.item[i], q.item[j]
	if q.key[a] != q.key[b] {
		return q.key[a] < q.key[b]
	}
	return a < b
}

func (q *nodeHeap) swap(i, j int) {
	q.item[i], q.item[j] = q.item[j], q.item[i]
	q.at[q.item[i]] = int32(i)
	q.at[q.item[j]] = int32(j)
}

// update inserts v or lowers its key.
func (q *nodeHeap) update(v int, d float64) {
	q.key[v] = d
	i := int(q.at[v])
	if i < 0 {
		i = len(q.item)
		q.item = append(q.item, int32(v))
		q.at[v] = int32(i)
	}
	for i > 0 {
		j := (i - 1) / 2
		if !q.less(i, j) {
			break
		}
		q.swap(i, j)
		i = j
	}
}

func (q *nodeHeap) pop() (int, float64) {
	v := int(q.item[0])
	d := q.key[v]
	n := len(q.item) - 1
	q.swap(0, n)
	q.item = q.item[:n]
	q.at[v] = -1
	for i := 0; ; {
		l, m := 2*i+1, i
		if l < n && q.less(l, m) {
			m = l
		}
		if l+1 < n && q.less(l+1, m) {
			m = l + 1
		}
		if m == i {
			break
		}
		q.swap(i, m)
		i = m
	}
	return v, d
}
