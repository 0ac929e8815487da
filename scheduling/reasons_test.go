package scheduling

import (
	"context"
	"testing"
)

// TestUnplacedReasons sets up each cause of a requested meeting left out
// and checks the reason given. Kept meetings pin the schedule down where a
// cause needs other meetings in the way.
func TestUnplacedReasons(t *testing.T) {
	flat := func(p, h int) (float64, bool) { return 10 - float64(h), true }
	for _, tc := range []struct {
		name string
		p    *Problem
		want Unplaced
	}{
		{
			name: "the enterprise refused the host it asked for",
			p: &Problem{Slots: 1, Tables: 1, Hosts: []Host{{Capacity: 1}},
				Participants: []Participant{{Capacity: 1, MustMeet: []int{0}, NeverMeet: []int{0}}}, Score: flat},
			want: Unplaced{0, 0, reasonNever},
		},
		{
			name: "no slot in common",
			p: &Problem{Slots: 2, Tables: 1, Hosts: []Host{{Capacity: 1, Available: []bool{false, true}}},
				Participants: []Participant{{Capacity: 1, Available: []bool{true, false}, MustMeet: []int{0}}}, Score: flat},
			want: Unplaced{0, 0, reasonNoCommon},
		},
		{
			name: "the enterprise has no meetings left",
			p: &Problem{Slots: 2, Tables: 2, Hosts: []Host{{Capacity: 2}, {Capacity: 2}},
				Participants: []Participant{{Capacity: 1, MustMeet: []int{0, 1}}}, Score: flat},
			want: Unplaced{0, 1, reasonPartFull},
		},
		{
			name: "the host has no meetings left",
			p: &Problem{Slots: 2, Tables: 2, Hosts: []Host{{Capacity: 1}},
				Participants: []Participant{{Capacity: 2, MustMeet: []int{0}}, {Capacity: 2, MustMeet: []int{0}}},
				Score:        func(p, h int) (float64, bool) { return 10 - float64(p), true }},
			want: Unplaced{1, 0, reasonHostFull},
		},
		{
			name: "neither has meetings left",
			p: &Problem{Slots: 2, Tables: 2, Hosts: []Host{{Capacity: 1}, {Capacity: 1}},
				Participants: []Participant{{Capacity: 1, MustMeet: []int{1}}, {Capacity: 1}},
				Score:        flat,
				Keep:         []Meeting{{Participant: 0, Host: 0, Slot: 0, Table: 0}, {Participant: 1, Host: 1, Slot: 1, Table: 0}}},
			want: Unplaced{0, 1, reasonBothFull},
		},
		{
			name: "every table is taken",
			p: &Problem{Slots: 1, Tables: 1, Hosts: []Host{{Capacity: 1}, {Capacity: 1}},
				Participants: []Participant{{Capacity: 1, MustMeet: []int{0}}, {Capacity: 1, MustMeet: []int{1}}}, Score: flat},
			want: Unplaced{1, 1, reasonTablesFull},
		},
		{
			name: "the enterprise is busy in every common slot",
			p: &Problem{Slots: 2, Tables: 3, Hosts: []Host{{Capacity: 2}, {Capacity: 2}, {Capacity: 2}},
				Participants: []Participant{{Capacity: 3, Available: []bool{true, false}, MustMeet: []int{0, 1}}}, Score: flat},
			want: Unplaced{0, 1, reasonPartBusy},
		},
		{
			name: "the host is busy in every common slot",
			p: &Problem{Slots: 1, Tables: 3, Hosts: []Host{{Capacity: 2}},
				Participants: []Participant{{Capacity: 1, MustMeet: []int{0}}, {Capacity: 1, MustMeet: []int{0}}},
				Score:        func(p, h int) (float64, bool) { return 10 - float64(p), true }},
			want: Unplaced{1, 0, reasonHostBusy},
		},
		{
			name: "each common slot is taken for its own cause",
			p: &Problem{Slots: 2, Tables: 2, Hosts: []Host{{Capacity: 3}, {Capacity: 3}},
				Participants: []Participant{{Capacity: 3, MustMeet: []int{0}}, {Capacity: 3}},
				Score:        flat,
				Keep:         []Meeting{{Participant: 0, Host: 1, Slot: 0, Table: 0}, {Participant: 1, Host: 0, Slot: 1, Table: 1}}},
			want: Unplaced{0, 0, reasonMixedPrefix + "第1时段企业已有会谈，第2时段主办方已有会谈"},
		},
		{
			name: "a requested pairing Score does not allow still meets",
			p: &Problem{Slots: 1, Tables: 1, Hosts: []Host{{Capacity: 1}},
				Participants: []Participant{{Capacity: 1, MustMeet: []int{0}}},
				Score:        func(p, h int) (float64, bool) { return 3, false }},
			want: Unplaced{-1, -1, ""},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Solve(context.Background(), tc.p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			mustCheck(t, tc.p, s)
			if tc.want.Participant < 0 {
				if len(s.Unplaced) != 0 || len(s.Meetings) != 1 || !s.Meetings[0].Requested || s.Meetings[0].Score != 3 {
					t.Fatalf("got %+v, want the requested meeting placed with its score", s)
				}
				return
			}
			if len(s.Unplaced) != 1 || s.Unplaced[0] != tc.want {
				t.Fatalf("unplaced %+v, want [%+v]", s.Unplaced, tc.want)
			}
		})
	}
}
