package scheduling

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"
)

// smallSizes are small enough for the brute force.
var smallSizes = sizes{parts: 6, hosts: 4, slots: 3, tables: 4, cap: 3}

// TestSolveMatchesBruteForce compares Solve with an exhaustive search on
// random small instances: the same lexicographic optimum (requested
// meetings, then score), an upper bound no lower than the best score of
// any schedule, and a schedule that passes the check. It also counts the
// instances where Greedy falls short, to show they are not all easy.
func TestSolveMatchesBruteForce(t *testing.T) {
	for _, tc := range []struct {
		name   string
		sz     sizes
		trials int
	}{
		{"up to 6 enterprises, 4 hosts, 3 slots", smallSizes, 1000},
		{"up to 7 enterprises, 5 hosts, 4 slots", sizes{parts: 7, hosts: 5, slots: 4, tables: 3, cap: 3}, 300},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(tc.trials)))
			tight, greedyShort, meetings := 0, 0, 0
			for trial := range tc.trials {
				p := randomProblem(rng, tc.sz)
				s, err := Solve(context.Background(), p, Options{})
				if err != nil {
					t.Fatalf("trial %d: %v", trial, err)
				}
				mustCheck(t, p, s)
				req, score, maxScore := bruteForce(p)
				if got := requestedCount(s); got != req || s.Objective < score-1e-6 || s.Objective > score+1e-6 {
					t.Fatalf("trial %d: Solve places %d requested meetings scoring %v, brute force %d scoring %v",
						trial, got, s.Objective, req, score)
				}
				if s.UpperBound < maxScore-1e-6 {
					t.Fatalf("trial %d: upper bound %v below the best score %v", trial, s.UpperBound, maxScore)
				}
				if s.UpperBound <= maxScore+1e-6 {
					tight++
				}
				g := Greedy(p)
				mustCheck(t, p, g)
				if requestedCount(g) < req || g.Objective < score-1e-6 {
					greedyShort++
				}
				meetings += len(s.Meetings)
			}
			t.Logf("%d trials (%.1f meetings on average): upper bound tight in %d, Greedy short of the optimum in %d",
				tc.trials, float64(meetings)/float64(tc.trials), tight, greedyShort)
		})
	}
}

// TestSchedulesPassTheCheck runs Solve and Greedy on random medium
// instances and on realistic events: both pass the check, and Solve is
// never worse than Greedy (requested meetings, then score).
func TestSchedulesPassTheCheck(t *testing.T) {
	medium := sizes{parts: 40, hosts: 12, slots: 8, tables: 10, cap: 6}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct {
		name   string
		trials int
		p      func(trial int) *Problem
	}{
		{"random instances of up to 40 enterprises", 150, func(int) *Problem { return randomProblem(rng, medium) }},
		{"events of 120 enterprises and 25 hosts", 10, func(trial int) *Problem { return eventProblem(uint64(100+trial), 120, 25, 8, 15) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var gain float64
			moreReq := 0
			for trial := range tc.trials {
				p := tc.p(trial)
				s, err := Solve(context.Background(), p, Options{})
				if err != nil {
					t.Fatalf("trial %d: %v", trial, err)
				}
				mustCheck(t, p, s)
				g := Greedy(p)
				mustCheck(t, p, g)
				rs, rg := requestedCount(s), requestedCount(g)
				if rs < rg || rs == rg && s.Objective < g.Objective-1e-9 {
					t.Fatalf("trial %d: Solve %d requested scoring %v, Greedy %d scoring %v", trial, rs, s.Objective, rg, g.Objective)
				}
				if g.Objective > 0 {
					gain += s.Objective / g.Objective
				}
				moreReq += rs - rg
			}
			t.Logf("objective Solve / Greedy %.4f on average; Solve places %d more requested meetings in all",
				gain/float64(tc.trials), moreReq)
		})
	}
}

// TestSolveIsDeterministic solves the same problems twice.
func TestSolveIsDeterministic(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    func() *Problem
	}{
		{"a small instance", func() *Problem { return randomProblem(rand.New(rand.NewPCG(5, 6)), smallSizes) }},
		{"a medium instance", func() *Problem {
			return randomProblem(rand.New(rand.NewPCG(7, 8)), sizes{parts: 40, hosts: 12, slots: 8, tables: 10, cap: 6})
		}},
		{"an event of 60 enterprises", func() *Problem { return eventProblem(9, 60, 12, 6, 8) }},
		{"an event of 500 enterprises", func() *Problem { return eventProblem(10, 500, 100, 12, 60) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.p()
			// A limit that never bites, so timing cannot differ.
			opts := Options{TimeLimit: time.Minute}
			a, err := Solve(context.Background(), p, opts)
			if err != nil {
				t.Fatal(err)
			}
			b, err := Solve(context.Background(), p, opts)
			if err != nil {
				t.Fatal(err)
			}
			a.Elapsed, b.Elapsed = 0, 0
			if !equalSchedules(a, b) {
				t.Fatalf("two runs differ:\n%+v\n%+v", a, b)
			}
		})
	}
}

func equalSchedules(a, b *Schedule) bool {
	if len(a.Meetings) != len(b.Meetings) || len(a.Unplaced) != len(b.Unplaced) ||
		a.Objective != b.Objective || a.UpperBound != b.UpperBound {
		return false
	}
	for i := range a.Meetings {
		if a.Meetings[i] != b.Meetings[i] {
			return false
		}
	}
	for i := range a.Unplaced {
		if a.Unplaced[i] != b.Unplaced[i] {
			return false
		}
	}
	return true
}

// TestTimeLimitIsHonoured gives a large event very little time: Solve
// returns a checked schedule as soon as the limit passes. Its clock moves a
// millisecond at each reading, so the test counts the search's checks of
// the limit rather than wall time, which a loaded machine stretches.
func TestTimeLimitIsHonoured(t *testing.T) {
	p := eventProblem(11, 500, 100, 12, 60)
	const limit, tick = 100 * time.Millisecond, time.Millisecond
	clock := time.Date(2026, 6, 15, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { clock = clock.Add(tick); return clock }
	s, err := Solve(context.Background(), p, Options{TimeLimit: limit, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	mustCheck(t, p, s)
	// The event is too large to finish within 100 checks: the limit is
	// what stopped it, and only a few checks came after it.
	if s.Elapsed < limit {
		t.Fatalf("the search finished after %v of its %v: the event is too small to test the limit", s.Elapsed, limit)
	}
	if s.Elapsed > limit+10*tick {
		t.Fatalf("the search read the clock %d times after its limit", (s.Elapsed-limit)/tick)
	}
	t.Logf("%v: %d meetings, objective %.1f, bound %.1f", s.Elapsed, len(s.Meetings), s.Objective, s.UpperBound)
}

// TestSolveBeatsGreedyWhereTheBestFirstBlocks: the best meeting (0,0)
// takes the host and the participant that two slightly lesser meetings
// need; Greedy takes it, Solve takes the two others.
func TestSolveBeatsGreedyWhereTheBestFirstBlocks(t *testing.T) {
	score := [2][2]float64{{10, 9}, {9, 0}}
	p := &Problem{Slots: 1, Tables: 2, Hosts: []Host{{Capacity: 1}, {Capacity: 1}},
		Participants: []Participant{{Capacity: 1}, {Capacity: 1}},
		Score:        func(p, h int) (float64, bool) { return score[p][h], score[p][h] > 0 }}
	g := Greedy(p)
	mustCheck(t, p, g)
	s, err := Solve(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustCheck(t, p, s)
	if g.Objective != 10 || s.Objective != 18 || s.UpperBound != 18 {
		t.Fatalf("greedy %v, Solve %v (bound %v); want 10, 18 (18)", g.Objective, s.Objective, s.UpperBound)
	}
}

// TestDegenerateProblems: nothing to schedule is not an error.
func TestDegenerateProblems(t *testing.T) {
	one := func(p, h int) (float64, bool) { return 1, true }
	for _, tc := range []struct {
		name   string
		p      *Problem
		reason string
	}{
		{"no participants", &Problem{Slots: 2, Tables: 2, Hosts: []Host{{Capacity: 1}}, Score: one}, ""},
		{"no hosts", &Problem{Slots: 2, Tables: 2, Participants: []Participant{{Capacity: 1}}, Score: one}, ""},
		{"no slots", &Problem{Tables: 2, Hosts: []Host{{Capacity: 1}},
			Participants: []Participant{{Capacity: 1, MustMeet: []int{0}}}, Score: one}, reasonNoCommon},
		{"no tables", &Problem{Slots: 2, Hosts: []Host{{Capacity: 1}},
			Participants: []Participant{{Capacity: 1, MustMeet: []int{0}}}, Score: one}, reasonTablesFull},
		{"no capacity", &Problem{Slots: 2, Tables: 2, Hosts: []Host{{}},
			Participants: []Participant{{Capacity: 1, MustMeet: []int{0}}}, Score: one}, reasonHostFull},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Solve(context.Background(), tc.p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			mustCheck(t, tc.p, s)
			if len(s.Meetings) != 0 || s.Objective != 0 || s.UpperBound != 0 {
				t.Fatalf("got %+v", s)
			}
			if tc.reason != "" && (len(s.Unplaced) != 1 || s.Unplaced[0].Reason != tc.reason) {
				t.Fatalf("unplaced %+v, want the reason %q", s.Unplaced, tc.reason)
			}
		})
	}
}

// TestCancelledContext returns the context's error.
func TestCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Solve(ctx, eventProblem(1, 20, 4, 4, 4), Options{}); err == nil {
		t.Fatal("no error")
	}
}
