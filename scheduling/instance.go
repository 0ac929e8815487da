package scheduling

import (
	"errors"
	"fmt"
	"slices"
)

// instance is a Problem read once and checked: Score is called once per
// pair here and nowhere else in the solver, the kept meetings are placed,
// and what is left (capacities, free slots, tables) is what the search
// works with.
type instance struct {
	prob      *Problem
	nP, nH, T int

	// pAvail and hAvail are the stated availability by [i*T+t]; pFree and
	// hFree also leave out the slots a kept meeting holds.
	pAvail, hAvail []bool
	pFree, hFree   []bool
	capP, capH     []int // capacity left after the kept meetings
	tables         []int // tables left in each slot after the kept meetings

	// By pair p*nH+h.
	score     []float64
	allowed   []bool // Score allows it, or p asked for h
	requested []bool
	never     []bool
	kept      []bool // the pair already meets in a kept meeting

	keep      []Meeting // Keep with Score and Requested filled in
	keepValue value
	requests  [][]int // each participant's MustMeet without repeats

	// pairs are the candidate meetings: allowed, not excluded, not kept,
	// with a common free slot, worth something (or requested), best first.
	pairs []pair
}

type pair struct {
	p, h  int32
	req   bool
	score float64
}

// value is what the search maximises, lexicographically: requested
// meetings first, then the score.
type value struct {
	req   int
	score float64
}

// eps absorbs the rounding of float sums: a score change smaller than it
// is no change.
const eps = 1e-9

func (a value) better(b value) bool {
	if a.req != b.req {
		return a.req > b.req
	}
	return a.score > b.score+eps
}

func (a value) plus(b value) value  { return value{a.req + b.req, a.score + b.score} }
func (a value) minus(b value) value { return value{a.req - b.req, a.score - b.score} }

func (x pair) value() value {
	v := value{score: x.score}
	if x.req {
		v.req = 1
	}
	return v
}

// byValue orders pairs best first, then by participant and host, so every
// order in the package is total.
func byValue(a, b pair) int {
	switch {
	case a.req != b.req:
		if a.req {
			return -1
		}
		return 1
	case a.score != b.score:
		if a.score > b.score {
			return -1
		}
		return 1
	case a.p != b.p:
		return int(a.p - b.p)
	}
	return int(a.h - b.h)
}

func availability(avail []bool, slots int) ([]bool, error) {
	if avail == nil {
		out := make([]bool, slots)
		for t := range out {
			out[t] = true
		}
		return out, nil
	}
	if len(avail) != slots {
		return nil, fmt.Errorf("availability has %d slots, want %d", len(avail), slots)
	}
	return avail, nil
}

// newInstance checks the problem and reads it; kept meetings that break a
// hard constraint are an error, since they cannot be kept.
func newInstance(pr *Problem) (*instance, error) {
	if pr == nil {
		return nil, errors.New("scheduling: nil problem")
	}
	if pr.Score == nil {
		return nil, errors.New("scheduling: nil Score")
	}
	if pr.Slots < 0 || pr.Tables < 0 {
		return nil, fmt.Errorf("scheduling: %d slots and %d tables", pr.Slots, pr.Tables)
	}
	in := &instance{prob: pr, nP: len(pr.Participants), nH: len(pr.Hosts), T: pr.Slots}
	T := in.T
	in.pAvail = make([]bool, in.nP*T)
	in.hAvail = make([]bool, in.nH*T)
	in.capP = make([]int, in.nP)
	in.capH = make([]int, in.nH)
	for h, x := range pr.Hosts {
		a, err := availability(x.Available, T)
		if err != nil {
			return nil, fmt.Errorf("scheduling: host %d: %w", h, err)
		}
		if x.Capacity < 0 {
			return nil, fmt.Errorf("scheduling: host %d has capacity %d", h, x.Capacity)
		}
		copy(in.hAvail[h*T:], a)
		in.capH[h] = x.Capacity
	}
	n := in.nP * in.nH
	in.score = make([]float64, n)
	in.allowed = make([]bool, n)
	in.requested = make([]bool, n)
	in.never = make([]bool, n)
	in.kept = make([]bool, n)
	in.requests = make([][]int, in.nP)
	for p, x := range pr.Participants {
		a, err := availability(x.Available, T)
		if err != nil {
			return nil, fmt.Errorf("scheduling: participant %d: %w", p, err)
		}
		if x.Capacity < 0 {
			return nil, fmt.Errorf("scheduling: participant %d has capacity %d", p, x.Capacity)
		}
		copy(in.pAvail[p*T:], a)
		in.capP[p] = x.Capacity
		for _, h := range x.MustMeet {
			if h < 0 || h >= in.nH {
				return nil, fmt.Errorf("scheduling: participant %d must meet host %d, which does not exist", p, h)
			}
			if !in.requested[p*in.nH+h] {
				in.requested[p*in.nH+h] = true
				in.requests[p] = append(in.requests[p], h)
			}
		}
		for _, h := range x.NeverMeet {
			if h < 0 || h >= in.nH {
				return nil, fmt.Errorf("scheduling: participant %d never meets host %d, which does not exist", p, h)
			}
			in.never[p*in.nH+h] = true
		}
		for h := range in.nH {
			i := p*in.nH + h
			s, ok := pr.Score(p, h)
			in.score[i] = s
			in.allowed[i] = ok || in.requested[i]
		}
	}
	in.pFree = slices.Clone(in.pAvail)
	in.hFree = slices.Clone(in.hAvail)
	in.tables = make([]int, T)
	for t := range in.tables {
		in.tables[t] = pr.Tables
	}
	if err := in.placeKeep(); err != nil {
		return nil, err
	}
	in.findPairs()
	return in, nil
}

// placeKeep takes the kept meetings out of what is left.
func (in *instance) placeKeep() error {
	T := in.T
	tableUsed := make([]bool, T*max(in.prob.Tables, 0))
	for k, m := range in.prob.Keep {
		p, h, t := m.Participant, m.Host, m.Slot
		if p < 0 || p >= in.nP || h < 0 || h >= in.nH || t < 0 || t >= T || m.Table < 0 || m.Table >= in.prob.Tables {
			return fmt.Errorf("scheduling: kept meeting %d (participant %d, host %d, slot %d, table %d) is out of range", k, p, h, t, m.Table)
		}
		i := p*in.nH + h
		why := ""
		switch {
		case in.never[i]:
			why = "the participant never meets the host"
		case !in.allowed[i]:
			why = "the pairing is not allowed"
		case in.kept[i]:
			why = "the pair already meets"
		case !in.pAvail[p*T+t] || !in.hAvail[h*T+t]:
			why = "one side is not available in the slot"
		case !in.pFree[p*T+t] || !in.hFree[h*T+t]:
			why = "one side already meets in the slot"
		case tableUsed[t*in.prob.Tables+m.Table]:
			why = "the table is taken"
		case in.capP[p] == 0 || in.capH[h] == 0:
			why = "a capacity is exceeded"
		}
		if why != "" {
			return fmt.Errorf("scheduling: kept meeting %d (participant %d, host %d, slot %d, table %d) cannot be kept: %s", k, p, h, t, m.Table, why)
		}
		in.kept[i] = true
		in.pFree[p*T+t], in.hFree[h*T+t] = false, false
		tableUsed[t*in.prob.Tables+m.Table] = true
		in.tables[t]--
		in.capP[p]--
		in.capH[h]--
		m.Requested = in.requested[i]
		m.Score = in.score[i]
		in.keep = append(in.keep, m)
		in.keepValue = in.keepValue.plus(pair{req: m.Requested, score: m.Score}.value())
	}
	return nil
}

func (in *instance) findPairs() {
	for p := range in.nP {
		if in.capP[p] == 0 {
			continue
		}
		for h := range in.nH {
			i := p*in.nH + h
			if in.capH[h] == 0 || !in.allowed[i] || in.never[i] || in.kept[i] {
				continue
			}
			if !in.requested[i] && in.score[i] <= 0 {
				continue // worth nothing
			}
			if !in.common(p, h) {
				continue
			}
			in.pairs = append(in.pairs, pair{p: int32(p), h: int32(h), req: in.requested[i], score: in.score[i]})
		}
	}
	slices.SortFunc(in.pairs, byValue)
}

// common reports whether p and h have a free slot in common.
func (in *instance) common(p, h int) bool {
	T := in.T
	for t := range T {
		if in.pFree[p*T+t] && in.hFree[h*T+t] {
			return true
		}
	}
	return false
}

// limits are the capacities the relaxations use: capacity left, but no
// more than the free slots, and per slot no more meetings than tables,
// free participants or free hosts.
func (in *instance) limits() (capP, capH, perSlot []int) {
	T := in.T
	capP = make([]int, in.nP)
	capH = make([]int, in.nH)
	perSlot = make([]int, T)
	freeP := make([]int, T)
	freeH := make([]int, T)
	for p := range in.nP {
		n := 0
		for t := range T {
			if in.pFree[p*T+t] {
				n++
				freeP[t]++
			}
		}
		capP[p] = min(in.capP[p], n)
	}
	for h := range in.nH {
		n := 0
		for t := range T {
			if in.hFree[h*T+t] {
				n++
				freeH[t]++
			}
		}
		capH[h] = min(in.capH[h], n)
	}
	for t := range T {
		perSlot[t] = max(0, min(in.tables[t], freeP[t], freeH[t]))
	}
	return capP, capH, perSlot
}
