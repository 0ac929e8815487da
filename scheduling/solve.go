package scheduling

import (
	"context"
	"errors"
	"time"
)

const (
	// exactPairs is the most candidate pairs for which Solve runs the
	// exact branch and bound; exactNodes is its budget, counted in nodes
	// so that whether it finishes does not depend on the machine.
	exactPairs = 40
	exactNodes = 300_000
	// maxPasses bounds the improvement passes of the local search; it
	// usually stops earlier, when a pass changes nothing.
	maxPasses = 8
	// dualRounds bounds the coordinate descent on the bound's multipliers.
	dualRounds = 12
)

// Solve computes the schedule of an event.
//
// A schedule satisfies every hard constraint: each side's capacity; both
// sides available in the meeting's slot; one meeting per host and per
// participant per slot; at most Tables meetings per slot, each at its own
// table; a pair meets at most once; never a pair in NeverMeet; never a
// pair Score does not allow unless the participant asked for the host in
// MustMeet (a requested pair is allowed, with the score Score gives it).
// The Keep meetings are kept exactly, slot and table; Solve reports an
// error when they cannot be. Among such schedules Solve looks for one that
// places as many requested meetings as possible and, among those, has the
// greatest sum of scores (lexicographic: requested count, then score).
// Objective is that sum, kept meetings included.
//
// UpperBound is proven: no schedule satisfying the hard constraints (the
// requested-count priority aside, which can only lower the score) scores
// more. It is the least of a Lagrangian (LP dual) bound of the
// time-indexed formulation (see bound.go) and, when the instance is small
// enough for the exact search to finish, the exact maximum score. Each
// unplaced requested meeting is listed in Unplaced with its cause, in
// Chinese.
//
// On small instances (few candidate pairs) the result is optimal: a branch
// and bound proves it. Otherwise the selection is a maximum-weight
// b-matching (min-cost flow; requested pairs weigh more than any score
// sum), its meetings are given slots like the edges of a bipartite graph
// are coloured (most constrained first, moving others out of the way),
// and a local search inserts, moves and replaces meetings while it raises
// the value. The schedule of a greedy pass is the starting incumbent, so
// Solve never does worse than Greedy.
//
// The result depends only on the problem, not on timing, unless the time
// limit (Options.TimeLimit, or ctx's deadline if earlier) stops the search:
// then the best schedule found so far is returned. A cancelled ctx returns
// its error. To re-optimise after participants join or leave without
// moving announced meetings, pass those meetings as Keep.
func Solve(ctx context.Context, p *Problem, opts Options) (*Schedule, error) {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	start := now()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	in, err := newInstance(p)
	if err != nil {
		return nil, err
	}
	limit := opts.TimeLimit
	if limit <= 0 {
		limit = 2 * time.Second
	}
	deadline := start.Add(limit)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	stop := func() bool { return ctx.Err() != nil || !now().Before(deadline) }
	best, ub := solve(in, stop)
	if errors.Is(ctx.Err(), context.Canceled) {
		return nil, ctx.Err()
	}
	s := in.schedule(best, ub)
	s.Elapsed = now().Sub(start)
	return s, nil
}

// solve returns the best state found and the upper bound.
func solve(in *instance, stop func() bool) (*state, float64) {
	best := greedy(in, stop)
	ub := cheapBound(in)
	if len(in.pairs) == 0 || stop() {
		return best, ub
	}

	// The bound: the aggregated flow, then its dual refined.
	capP, capH, perSlot := in.limits()
	total := 0
	for _, k := range perSlot {
		total += k
	}
	scores := make([]float64, len(in.pairs))
	anyReq := false
	for i, x := range in.pairs {
		scores[i] = x.score
		anyReq = anyReq || x.req
	}
	g := solveFlow(in, scores, capP, capH, total, stop)
	var d *dual
	if !stop() {
		d = newDual(in)
		d.fromFlow(g)
		ub = min(ub, d.descend(dualRounds, false, stop))
	}

	// The selection: the same flow unless requests weigh in.
	sel := g
	if anyReq && !stop() {
		maxScore := 0.0
		for _, x := range in.pairs {
			maxScore = max(maxScore, x.score)
		}
		bonus := (maxScore + 1) * float64(total+1)
		w := make([]float64, len(in.pairs))
		for i, x := range in.pairs {
			w[i] = x.score
			if x.req {
				w[i] += bonus
			}
		}
		sel = solveFlow(in, w, capP, capH, total, stop)
	}
	if !stop() {
		st := newState(in)
		ls := newSearch(st, stop)
		ls.colour(sel.chosen())
		ls.improve(maxPasses)
		ls.fill()
		if st.val.better(best.val) {
			best = st
		}
	}
	// The best score known of a schedule, to tell whether the bound can
	// still come down.
	lower := best.val.score
	if anyReq && !stop() {
		st := newState(in)
		newSearch(st, stop).colour(g.chosen())
		lower = max(lower, st.val.score)
	}

	// Small instances: prove the optimum, and the best score for the bound.
	if len(in.pairs) <= exactPairs && !stop() {
		e := newExact(in, true, exactNodes, stop)
		e.start(best.val, best.at)
		done := e.run()
		if e.best.better(best.val) {
			best = stateOf(in, e.bestAt)
		}
		lower = max(lower, best.val.score)
		if done {
			if anyReq {
				e = newExact(in, false, exactNodes, stop)
				e.start(value{score: lower}, nil)
				if e.run() {
					lower = e.best.score
					ub = min(ub, in.keepValue.score+lower)
				}
			} else {
				ub = min(ub, in.keepValue.score+lower)
			}
		}
	}
	if d != nil && ub > in.keepValue.score+lower+1e-9*max(1, ub) && !stop() {
		ub = min(ub, d.descend(dualRounds, true, stop))
	}
	return best, ub
}

// stateOf builds the state of pair slots at.
func stateOf(in *instance, at []int32) *state {
	s := newState(in)
	for i, t := range at {
		if t >= 0 {
			s.place(i, int(t))
		}
	}
	return s
}

// schedule turns a state into the answer.
func (in *instance) schedule(s *state, ub float64) *Schedule {
	out := &Schedule{Meetings: in.meetings(s)}
	for _, m := range out.Meetings {
		out.Objective += m.Score
	}
	// The bound is proven on exact numbers; only rounding can put it a
	// hair below a schedule that reaches it.
	if ub < out.Objective && ub >= out.Objective-1e-7*max(1, out.Objective) {
		ub = out.Objective
	}
	out.UpperBound = ub
	out.Unplaced = in.unplaced(out.Meetings)
	return out
}
