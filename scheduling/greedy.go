package scheduling

// Greedy is the baseline event platforms use: after the kept meetings,
// take the best remaining allowed meeting (requested ones first, then by
// score) and put it in the earliest slot where both sides are free and a
// table is left, until nothing more fits. It is what Solve is measured
// against. Its UpperBound is only the cheap bound (per-side and per-day
// sums of the best scores). It returns nil for a problem Solve would
// reject.
func Greedy(p *Problem) *Schedule {
	in, err := newInstance(p)
	if err != nil {
		return nil
	}
	return in.schedule(greedy(in, func() bool { return false }), cheapBound(in))
}

// greedy fills a state in one pass over the pairs, best first: a pair that
// does not fit when its turn comes never fits later, since the schedule
// only fills up.
func greedy(in *instance, stop func() bool) *state {
	s := newState(in)
	for i := range in.pairs {
		if i%256 == 0 && stop() {
			break
		}
		for t := range in.T {
			if s.fits(i, t) {
				s.place(i, t)
				break
			}
		}
	}
	return s
}
