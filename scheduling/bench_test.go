package scheduling

import (
	"context"
	"slices"
	"testing"
)

// BenchmarkScheduleEvent schedules an event of 500 enterprises, 100
// hosts, 12 slots and 60 tables (see eventProblem) and reports:
//
//   - quality: objective / upper bound, the schedule's proven quality;
//
//   - gain: objective / the greedy baseline's objective;
//
//   - greedy-quality: the baseline's objective / the same upper bound;
//
//   - quality-given-requests: objective / the best score of the
//     aggregated relaxation among selections with as many requested
//     meetings as the schedule (the bound ignores requests, so part of
//     the gap to it is the price of honouring them; this shows the rest);
//
//   - requested, unplaced: requested meetings placed and left out;
//
//   - hosts-moving: hosts that change tables during the day.
//
//     go test -run '^$' -bench BenchmarkScheduleEvent -benchtime 3x ./scheduling
func BenchmarkScheduleEvent(b *testing.B) {
	p := eventProblem(1, 500, 100, 12, 60)
	g := Greedy(p)
	mustCheck(b, p, g)
	var s *Schedule
	for b.Loop() {
		var err error
		s, err = Solve(context.Background(), p, Options{})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	mustCheck(b, p, s)
	b.ReportMetric(s.Objective/s.UpperBound, "quality")
	b.ReportMetric(s.Objective/g.Objective, "gain")
	b.ReportMetric(g.Objective/s.UpperBound, "greedy-quality")
	if req, score := requestsBound(p); req == requestedCount(s) {
		b.ReportMetric(s.Objective/score, "quality-given-requests")
	}
	b.ReportMetric(float64(requestedCount(s)), "requested")
	b.ReportMetric(float64(len(s.Unplaced)), "unplaced")
	b.ReportMetric(float64(hostsMoving(s)), "hosts-moving")
}

// requestsBound solves the aggregated relaxation with requested pairs
// weighing more than any score sum: the most requested meetings any
// schedule can hold, and the best score a schedule holding that many can
// reach.
func requestsBound(p *Problem) (int, float64) {
	in, err := newInstance(p)
	if err != nil {
		panic(err)
	}
	capP, capH, perSlot := in.limits()
	total := 0
	for _, k := range perSlot {
		total += k
	}
	w := make([]float64, len(in.pairs))
	for i, x := range in.pairs {
		w[i] = x.score
		if x.req {
			w[i] += 1e7
		}
	}
	g := solveFlow(in, w, capP, capH, total, func() bool { return false })
	v := in.keepValue
	for _, i := range g.chosen() {
		v = v.plus(in.pairs[i].value())
	}
	return v.req, v.score
}

// hostsMoving counts the hosts seated at more than one table.
func hostsMoving(s *Schedule) int {
	tables := map[int][]int{}
	for _, m := range s.Meetings {
		if !slices.Contains(tables[m.Host], m.Table) {
			tables[m.Host] = append(tables[m.Host], m.Table)
		}
	}
	n := 0
	for _, l := range tables {
		if len(l) > 1 {
			n++
		}
	}
	return n
}
