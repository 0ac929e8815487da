package scheduling

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestCheckFindsEachViolation breaks a valid schedule in each way the
// check must catch, one way at a time.
func TestCheckFindsEachViolation(t *testing.T) {
	// Three slots, two tables. Host 1 is away in slot 1 and takes one
	// meeting. Participant 0 asked for both hosts; participant 1 refuses
	// host 1; participant 2 is not allowed with host 0. A score is
	// 1 + p + 2h.
	p := &Problem{
		Slots: 3, Tables: 2,
		Hosts: []Host{{Capacity: 2}, {Capacity: 1, Available: []bool{true, false, true}}},
		Participants: []Participant{
			{Capacity: 2, MustMeet: []int{0, 1}},
			{Capacity: 1, NeverMeet: []int{1}},
			{Capacity: 1},
		},
		Score: func(p, h int) (float64, bool) { return float64(1 + p + 2*h), !(p == 2 && h == 0) },
		Keep:  []Meeting{{Participant: 0, Host: 0, Slot: 0, Table: 1}},
	}
	s, err := Solve(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustCheck(t, p, s)

	valid := &Schedule{
		Meetings: []Meeting{
			{Participant: 0, Host: 0, Slot: 0, Table: 1, Requested: true, Score: 1},
			{Participant: 2, Host: 1, Slot: 0, Table: 0, Score: 5},
			{Participant: 1, Host: 0, Slot: 1, Table: 0, Score: 2},
		},
		Objective: 8, UpperBound: 100,
		Unplaced: []Unplaced{{0, 1, reasonHostFull}},
	}
	mustCheck(t, p, valid)
	for _, tc := range []struct {
		name  string
		edit  func(s *Schedule)
		wants string
	}{
		{"a table out of range", func(s *Schedule) { s.Meetings[1].Table = 2 }, "table out of range"},
		{"two meetings at one table", func(s *Schedule) { s.Meetings[1].Table = 1 }, "table already taken"},
		{"a slot out of range", func(s *Schedule) { s.Meetings[2].Slot = 3 }, "out of range"},
		{"a host away", func(s *Schedule) { s.Meetings[1].Slot = 1; s.Meetings[1].Table = 1 }, "host not available"},
		{"a participant twice in a slot", func(s *Schedule) {
			s.Meetings[1] = Meeting{Participant: 0, Host: 1, Slot: 0, Table: 0, Requested: true, Score: 3}
			s.Objective = 6
			s.Unplaced = nil
		}, "participant meets twice in the slot"},
		{"a host twice in a slot", func(s *Schedule) {
			s.Meetings[2].Slot = 0
			s.Meetings = slices.Delete(s.Meetings, 1, 2)
			s.Objective = 3
		}, "host meets twice in the slot"},
		{"a pair meeting twice", func(s *Schedule) {
			s.Meetings[2] = Meeting{Participant: 0, Host: 0, Slot: 1, Table: 0, Requested: true, Score: 1}
			s.Objective = 7
		}, "the pair meets twice"},
		{"a refused host", func(s *Schedule) {
			s.Meetings[1] = Meeting{Participant: 1, Host: 1, Slot: 0, Table: 0, Score: 4}
			s.Meetings = s.Meetings[:2]
			s.Objective = 5
		}, "never meets"},
		{"a pairing not allowed", func(s *Schedule) {
			s.Meetings[2] = Meeting{Participant: 2, Host: 0, Slot: 1, Table: 0, Score: 3}
			s.Meetings = slices.Delete(s.Meetings, 1, 2)
			s.Objective = 4
		}, "not allowed"},
		{"a capacity exceeded", func(s *Schedule) {
			s.Meetings = append(s.Meetings, Meeting{Participant: 0, Host: 1, Slot: 2, Table: 0, Requested: true, Score: 3})
			s.Objective = 11
			s.Unplaced = nil
		}, "host 1: 2 meetings, capacity 1"},
		{"a kept meeting moved", func(s *Schedule) { s.Meetings[0].Slot = 2 }, "kept meeting 0"},
		{"a kept meeting at another table", func(s *Schedule) {
			s.Meetings[0].Table = 0
			s.Meetings[1].Table = 1
		}, "kept meeting 0"},
		{"a wrong Requested flag", func(s *Schedule) { s.Meetings[1].Requested = true }, "Requested is true"},
		{"a wrong score", func(s *Schedule) { s.Meetings[1].Score = 6; s.Objective = 9 }, "score 6, want 5"},
		{"a wrong objective", func(s *Schedule) { s.Objective = 7.5 }, "objective 7.5"},
		{"a bound below the objective", func(s *Schedule) { s.UpperBound = 7.9 }, "upper bound"},
		{"a requested pair left out and not listed", func(s *Schedule) { s.Unplaced = nil }, "listed 0 times"},
		{"an unplaced pair without a reason", func(s *Schedule) { s.Unplaced[0].Reason = "" }, "no reason"},
		{"an unplaced pair that meets", func(s *Schedule) { s.Unplaced = append(s.Unplaced, Unplaced{0, 0, "x"}) }, "the pair meets"},
		{"an unplaced pair not requested", func(s *Schedule) { s.Unplaced = append(s.Unplaced, Unplaced{1, 1, "x"}) }, "not requested"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			broken := &Schedule{Meetings: slices.Clone(valid.Meetings), Objective: valid.Objective,
				UpperBound: valid.UpperBound, Unplaced: slices.Clone(valid.Unplaced)}
			tc.edit(broken)
			err := Check(p, broken)
			if err == nil {
				t.Fatalf("Check passes %+v", broken)
			}
			if !strings.Contains(err.Error(), tc.wants) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("Check says %q, want only %q", err, tc.wants)
			}
		})
	}
}

// TestCheckAgreesWithAPlainTest draws random sets of meetings, most of
// them breaking some constraint, and compares Check's verdict with the
// tests' own plain feasibility test.
func TestCheckAgreesWithAPlainTest(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	passed := 0
	const trials = 3000
	for trial := range trials {
		p := randomProblem(rng, smallSizes)
		p.Keep = nil
		var ms []Meeting
		for range rng.IntN(6) {
			m := Meeting{Participant: rng.IntN(len(p.Participants)), Host: rng.IntN(len(p.Hosts)),
				Slot: rng.IntN(p.Slots), Table: rng.IntN(p.Tables)}
			m.Score, _ = p.Score(m.Participant, m.Host)
			m.Requested = slices.Contains(p.Participants[m.Participant].MustMeet, m.Host)
			ms = append(ms, m)
		}
		want := feasible(p, ms)
		if len(ms) > 0 && rng.IntN(4) == 0 {
			p.Keep = ms[:1+rng.IntN(len(ms))]
			if rng.IntN(3) == 0 {
				p.Keep = append(slices.Clone(p.Keep), Meeting{Participant: 0, Host: 0, Slot: 0, Table: p.Tables - 1})
				want = want && slices.ContainsFunc(ms, func(m Meeting) bool {
					return m.Participant == 0 && m.Host == 0 && m.Slot == 0 && m.Table == p.Tables-1
				})
			}
		}
		s := &Schedule{Meetings: ms, UpperBound: 1e9}
		met := map[[2]int]bool{}
		for _, m := range ms {
			s.Objective += m.Score
			met[[2]int{m.Participant, m.Host}] = true
		}
		for pi, x := range p.Participants {
			for _, h := range x.MustMeet {
				if !met[[2]int{pi, h}] && !slices.Contains(s.Unplaced, Unplaced{pi, h, "没有排入"}) {
					s.Unplaced = append(s.Unplaced, Unplaced{pi, h, "没有排入"})
				}
			}
		}
		err := Check(p, s)
		if (err == nil) != want {
			t.Fatalf("trial %d: Check says %v, the plain test %v, for %+v", trial, err, want, ms)
		}
		if want {
			passed++
		}
	}
	t.Logf("%d of %d random schedules feasible", passed, trials)
}
