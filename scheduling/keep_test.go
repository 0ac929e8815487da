package scheduling

import (
	"context"
	"slices"
	"testing"
)

// TestChangesKeepAnnouncedMeetings re-schedules after an enterprise joins
// and after one leaves, keeping the announced meetings: they stay in their
// slots and at their tables, and the rest is optimised around them.
func TestChangesKeepAnnouncedMeetings(t *testing.T) {
	p := eventProblem(21, 12, 8, 6, 8)
	first, err := Solve(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustCheck(t, p, first)

	t.Run("an enterprise joins", func(t *testing.T) {
		q := *p
		n := len(p.Participants)
		q.Participants = append(slices.Clone(p.Participants), Participant{Capacity: 4, MustMeet: []int{0}})
		q.Score = func(pi, h int) (float64, bool) {
			if pi == n {
				return 90 - float64(h), true
			}
			return p.Score(pi, h)
		}
		q.Keep = first.Meetings
		s, err := Solve(context.Background(), &q, Options{})
		if err != nil {
			t.Fatal(err)
		}
		mustCheck(t, &q, s) // the check includes every kept meeting as it was
		if s.Objective < first.Objective-1e-9 {
			t.Fatalf("objective fell from %v to %v", first.Objective, s.Objective)
		}
		got := 0
		for _, m := range s.Meetings {
			if m.Participant == n {
				got++
			}
		}
		if got == 0 {
			t.Fatalf("the newcomer meets no host; unplaced %+v", s.Unplaced)
		}
		t.Logf("the newcomer meets %d hosts; objective %v → %v", got, first.Objective, s.Objective)
	})

	t.Run("an enterprise leaves", func(t *testing.T) {
		gone := first.Meetings[0].Participant
		q := *p
		q.Participants = slices.Delete(slices.Clone(p.Participants), gone, gone+1)
		old := func(pi int) int {
			if pi >= gone {
				return pi + 1
			}
			return pi
		}
		q.Score = func(pi, h int) (float64, bool) { return p.Score(old(pi), h) }
		var lost float64
		q.Keep = nil
		for _, m := range first.Meetings {
			switch {
			case m.Participant == gone:
				lost += m.Score
			case m.Participant > gone:
				m.Participant--
				q.Keep = append(q.Keep, m)
			default:
				q.Keep = append(q.Keep, m)
			}
		}
		s, err := Solve(context.Background(), &q, Options{})
		if err != nil {
			t.Fatal(err)
		}
		mustCheck(t, &q, s)
		if s.Objective < first.Objective-lost-1e-9 {
			t.Fatalf("objective %v, below what was kept (%v)", s.Objective, first.Objective-lost)
		}
	})
}

// TestKeptMeetingsThatCannotBeKept are errors.
func TestKeptMeetingsThatCannotBeKept(t *testing.T) {
	base := func() *Problem {
		return &Problem{Slots: 2, Tables: 1, Hosts: []Host{{Capacity: 2}, {Capacity: 1}},
			Participants: []Participant{{Capacity: 2, NeverMeet: []int{1}}, {Capacity: 1}, {Capacity: 1}},
			Score:        func(p, h int) (float64, bool) { return 1, p != 1 || h != 0 }}
	}
	for _, tc := range []struct {
		name string
		keep []Meeting
	}{
		{"two at one table", []Meeting{{Participant: 0, Host: 0, Slot: 0}, {Participant: 1, Host: 1, Slot: 0}}},
		{"a refused host", []Meeting{{Participant: 0, Host: 1, Slot: 0}}},
		{"a pairing not allowed", []Meeting{{Participant: 1, Host: 0, Slot: 0}}},
		{"the same pair twice", []Meeting{{Participant: 0, Host: 0, Slot: 0}, {Participant: 0, Host: 0, Slot: 1}}},
		{"a table that does not exist", []Meeting{{Participant: 0, Host: 0, Slot: 0, Table: 1}}},
		{"over capacity", []Meeting{{Participant: 1, Host: 1, Slot: 0}, {Participant: 2, Host: 1, Slot: 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := base()
			p.Keep = tc.keep
			if _, err := Solve(context.Background(), p, Options{}); err == nil {
				t.Fatal("Solve accepts the kept meetings")
			} else {
				t.Log(err)
			}
		})
	}
}
