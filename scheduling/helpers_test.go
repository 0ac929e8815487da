package scheduling

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// sizes bound a random problem.
type sizes struct {
	parts, hosts, slots, tables int
	cap                         int // capacities drawn from 1 … cap, now and then 0
}

// randomProblem draws a problem of two thirds to all of sz's
// participants and hosts, and up to sz's slots and tables: capacities, availabilities
// (sometimes nil), scores on a coarse grid so ties happen, a fifth of
// the pairs not allowed, some requests (a few for disallowed pairs) and
// refusals, and sometimes kept meetings that are themselves feasible.
func randomProblem(rng *rand.Rand, sz sizes) *Problem {
	p := &Problem{
		Slots:  1 + rng.IntN(sz.slots),
		Tables: 1 + rng.IntN(sz.tables),
	}
	nP := sz.parts - rng.IntN(sz.parts/3+1)
	nH := sz.hosts - rng.IntN(sz.hosts/3+1)
	capacity := func() int {
		if rng.IntN(10) == 0 {
			return 0
		}
		return 1 + rng.IntN(sz.cap)
	}
	avail := func() []bool {
		if rng.IntN(3) == 0 {
			return nil
		}
		a := make([]bool, p.Slots)
		for t := range a {
			a[t] = rng.IntN(5) != 0
		}
		return a
	}
	for range nH {
		p.Hosts = append(p.Hosts, Host{Capacity: capacity(), Available: avail()})
	}
	for range nP {
		x := Participant{Capacity: capacity(), Available: avail()}
		if rng.IntN(3) == 0 {
			for range 1 + rng.IntN(2) {
				x.MustMeet = append(x.MustMeet, rng.IntN(nH))
			}
		}
		if rng.IntN(6) == 0 {
			x.NeverMeet = append(x.NeverMeet, rng.IntN(nH))
		}
		p.Participants = append(p.Participants, x)
	}
	score := make([]float64, nP*nH)
	allowed := make([]bool, nP*nH)
	for i := range score {
		score[i] = float64(rng.IntN(40)) / 4
		allowed[i] = rng.IntN(5) != 0
	}
	p.Score = func(pi, h int) (float64, bool) { return score[pi*nH+h], allowed[pi*nH+h] }
	if rng.IntN(4) == 0 {
		p.Keep = feasibleMeetings(rng, p, 1+rng.IntN(2))
	}
	return p
}

// feasibleMeetings draws up to n meetings that together satisfy the hard
// constraints, to be kept.
func feasibleMeetings(rng *rand.Rand, p *Problem, n int) []Meeting {
	var out []Meeting
	for range 20 * n {
		if len(out) == n {
			break
		}
		m := Meeting{Participant: rng.IntN(len(p.Participants)), Host: rng.IntN(len(p.Hosts)),
			Slot: rng.IntN(p.Slots), Table: rng.IntN(p.Tables)}
		try := append(slices.Clone(out), m)
		if feasible(p, try) {
			out = try
		}
	}
	for k := range out {
		out[k].Score, _ = p.Score(out[k].Participant, out[k].Host)
		out[k].Requested = slices.Contains(p.Participants[out[k].Participant].MustMeet, out[k].Host)
	}
	return out
}

// feasible reports whether meetings satisfy the hard constraints, tables
// included, written out plainly for the tests.
func feasible(p *Problem, ms []Meeting) bool {
	for a, m := range ms {
		x, h := p.Participants[m.Participant], p.Hosts[m.Host]
		_, ok := p.Score(m.Participant, m.Host)
		if !ok && !slices.Contains(x.MustMeet, m.Host) || slices.Contains(x.NeverMeet, m.Host) {
			return false
		}
		if x.Available != nil && !x.Available[m.Slot] || h.Available != nil && !h.Available[m.Slot] {
			return false
		}
		np, nh := 0, 0
		for b, o := range ms {
			if o.Participant == m.Participant {
				np++
			}
			if o.Host == m.Host {
				nh++
			}
			if b == a {
				continue
			}
			if o.Slot == m.Slot && (o.Participant == m.Participant || o.Host == m.Host || o.Table == m.Table) {
				return false
			}
			if o.Participant == m.Participant && o.Host == m.Host {
				return false
			}
		}
		if np > x.Capacity || nh > h.Capacity {
			return false
		}
	}
	return true
}

// bruteForce tries every way the pairs can meet (in one of their slots or
// not at all) and returns the lexicographic optimum (requested meetings,
// then score) and, separately, the greatest score of any schedule. Kept
// meetings are fixed first. The only cut: a branch is left when even the
// best remaining pairs meeting, as many as there are tables and
// capacities left, could not beat the optimum searched for.
func bruteForce(p *Problem) (bestReq int, bestScore, maxScore float64) {
	nP, nH, T := len(p.Participants), len(p.Hosts), p.Slots
	type cand struct {
		p, h  int
		req   bool
		score float64
	}
	pBusy := make([]bool, nP*T)
	hBusy := make([]bool, nH*T)
	used := make([]int, T)
	pCnt := make([]int, nP)
	hCnt := make([]int, nH)
	kept := map[[2]int]bool{}
	req0, score0 := 0, 0.0
	for _, m := range p.Keep {
		pBusy[m.Participant*T+m.Slot] = true
		hBusy[m.Host*T+m.Slot] = true
		used[m.Slot]++
		pCnt[m.Participant]++
		hCnt[m.Host]++
		kept[[2]int{m.Participant, m.Host}] = true
		if m.Requested {
			req0++
		}
		score0 += m.Score
	}
	var cands []cand
	for pi, x := range p.Participants {
		for h := range nH {
			s, ok := p.Score(pi, h)
			req := slices.Contains(x.MustMeet, h)
			if (ok || req) && !slices.Contains(x.NeverMeet, h) && !kept[[2]int{pi, h}] {
				cands = append(cands, cand{pi, h, req, s})
			}
		}
	}
	slices.SortStableFunc(cands, func(a, b cand) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	})
	// prefix sums: what the pairs k … n-1 could add at most.
	restReq := make([]int, len(cands)+1)
	prefix := make([]float64, len(cands)+1)
	for k := len(cands) - 1; k >= 0; k-- {
		restReq[k] = restReq[k+1]
		if cands[k].req {
			restReq[k]++
		}
	}
	for k, c := range cands {
		prefix[k+1] = prefix[k] + max(c.score, 0)
	}
	// Meetings left: no more than tables, nor than either side's
	// capacities.
	tablesLeft, pLeft, hLeft := p.Slots*p.Tables-len(p.Keep), 0, 0
	for pi, x := range p.Participants {
		pLeft += max(0, x.Capacity-pCnt[pi])
	}
	for h, y := range p.Hosts {
		hLeft += max(0, y.Capacity-hCnt[h])
	}
	bestReq, bestScore, maxScore = req0, score0, score0
	// One search for each optimum: lex says which.
	var dfs func(lex bool, k, req int, score float64)
	dfs = func(lex bool, k, req int, score float64) {
		if req > bestReq || req == bestReq && score > bestScore {
			bestReq, bestScore = req, score
		}
		maxScore = max(maxScore, score)
		if k == len(cands) {
			return
		}
		// At most n more meetings, so at most the next n pairs' scores
		// (they are sorted best first).
		n := min(tablesLeft, pLeft, hLeft)
		rest := prefix[min(k+n, len(cands))] - prefix[k]
		restR := min(restReq[k], n)
		if lex && (req+restR < bestReq || req+restR == bestReq && score+rest <= bestScore+1e-9) ||
			!lex && score+rest <= maxScore+1e-9 {
			return
		}
		c := cands[k]
		x, y := p.Participants[c.p], p.Hosts[c.h]
		if pCnt[c.p] < x.Capacity && hCnt[c.h] < y.Capacity {
			for t := range T {
				if x.Available != nil && !x.Available[t] || y.Available != nil && !y.Available[t] ||
					pBusy[c.p*T+t] || hBusy[c.h*T+t] || used[t] >= p.Tables {
					continue
				}
				pBusy[c.p*T+t], hBusy[c.h*T+t] = true, true
				used[t]++
				tablesLeft, pLeft, hLeft = tablesLeft-1, pLeft-1, hLeft-1
				pCnt[c.p]++
				hCnt[c.h]++
				r := req
				if c.req {
					r++
				}
				dfs(lex, k+1, r, score+c.score)
				pBusy[c.p*T+t], hBusy[c.h*T+t] = false, false
				used[t]--
				tablesLeft, pLeft, hLeft = tablesLeft+1, pLeft+1, hLeft+1
				pCnt[c.p]--
				hCnt[c.h]--
			}
		}
		dfs(lex, k+1, req, score)
	}
	dfs(true, 0, req0, score0)
	dfs(false, 0, req0, score0)
	return bestReq, bestScore, maxScore
}

// requestedCount counts a schedule's requested meetings.
func requestedCount(s *Schedule) int {
	n := 0
	for _, m := range s.Meetings {
		if m.Requested {
			n++
		}
	}
	return n
}

// eventProblem is a realistic event: hosts in eight tracks with a
// popularity, available 85–100 % of the slots with capacity 6–12;
// enterprises with a track (some with a second), available 60–100 % of
// the slots with capacity 2–5; scores 0–100 from track affinity and host
// popularity with noise; about 30 % of the pairs not allowed; one
// enterprise in ten asks for one to three of its five best-scoring hosts
// (allowed or not), one in thirty refuses a host.
func eventProblem(seed uint64, nP, nH, slots, tables int) *Problem {
	rng := rand.New(rand.NewPCG(seed, 7))
	const tracks = 8
	p := &Problem{Slots: slots, Tables: tables}
	avail := func(lo, hi float64) []bool {
		a := make([]bool, slots)
		for t := range a {
			a[t] = true
		}
		off := slots - int(math.Round((lo+(hi-lo)*rng.Float64())*float64(slots)))
		for _, t := range rng.Perm(slots)[:off] {
			a[t] = false
		}
		return a
	}
	hTrack := make([]int, nH)
	pop := make([]float64, nH)
	for h := range nH {
		hTrack[h] = rng.IntN(tracks)
		pop[h] = 0.55 + 0.45*math.Pow(rng.Float64(), 2)
		if rng.IntN(10) == 0 {
			pop[h] = 1 // a star host
		}
		p.Hosts = append(p.Hosts, Host{Capacity: 6 + rng.IntN(7), Available: avail(0.85, 1)})
	}
	score := make([]float64, nP*nH)
	allowed := make([]bool, nP*nH)
	for pi := range nP {
		track, second := rng.IntN(tracks), -1
		if rng.IntN(5) < 2 {
			second = rng.IntN(tracks)
		}
		x := Participant{Capacity: 2 + rng.IntN(4), Available: avail(0.6, 1)}
		for h := range nH {
			aff := 0.15
			switch d := (hTrack[h] - track + tracks) % tracks; {
			case d == 0:
				aff = 1
			case hTrack[h] == second:
				aff = 0.7
			case d == 1 || d == tracks-1:
				aff = 0.4
			}
			s := 100 * aff * pop[h] * (0.7 + 0.3*rng.Float64())
			score[pi*nH+h] = math.Round(s*10) / 10
			allowed[pi*nH+h] = rng.IntN(10) >= 3
		}
		if rng.IntN(10) == 0 {
			hs := make([]int, nH)
			for h := range hs {
				hs[h] = h
			}
			slices.SortStableFunc(hs, func(a, b int) int {
				switch sa, sb := score[pi*nH+a], score[pi*nH+b]; {
				case sa > sb:
					return -1
				case sa < sb:
					return 1
				}
				return 0
			})
			for range 1 + rng.IntN(3) {
				x.MustMeet = append(x.MustMeet, hs[rng.IntN(min(5, nH))])
			}
		}
		if rng.IntN(30) == 0 {
			x.NeverMeet = append(x.NeverMeet, rng.IntN(nH))
		}
		p.Participants = append(p.Participants, x)
	}
	p.Score = func(pi, h int) (float64, bool) { return score[pi*nH+h], allowed[pi*nH+h] }
	return p
}

func mustCheck(t testing.TB, p *Problem, s *Schedule) {
	t.Helper()
	if s == nil {
		t.Fatal("no schedule")
	}
	if err := Check(p, s); err != nil {
		t.Fatalf("schedule fails the check: %v", err)
	}
}
