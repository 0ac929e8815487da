// Package scheduling computes the day of a matchmaking event (产业链专场对接会):
// which enterprise meets which host, in which slot, at which table, so that
// the sum of the meetings' scores is as large as it can be, with a proven
// upper bound on what any schedule could reach. It is pure Go and knows
// nothing of the API, the store or the matching engine: the caller gives
// the scores.
//
// It owns the optimisation: the problem, the solver, its bound and Check. It
// must not import any project package, directly or indirectly
// (internal/layers checks its whole dependency closure).
package scheduling

import "time"

// Problem is one event's scheduling problem. Hosts and participants are
// referred to by their index in Hosts and Participants; slots are numbered
// 0 … Slots-1 here (the API numbers them from 1).
type Problem struct {
	Slots  int
	Tables int // meetings at most per slot
	Hosts  []Host
	// Participants are the enterprises.
	Participants []Participant
	// Score is the value of a meeting of participant p with host h, and
	// whether the meeting is allowed at all (an ineligible pairing is not,
	// unless p asked for h in MustMeet). It is read once per pair; scores
	// are ≥ 0.
	Score func(p, h int) (score float64, allowed bool)
	// Keep are meetings already announced: the schedule keeps them in
	// their slot (and table) as they are, and schedules around them.
	Keep []Meeting
}

// Host sits at a table and receives participants.
type Host struct {
	Capacity  int    // meetings in the whole event
	Available []bool // by slot; nil is every slot
}

// Participant is an enterprise taking part.
type Participant struct {
	Capacity  int
	Available []bool // by slot; nil is every slot
	MustMeet  []int  // hosts to meet whenever feasible
	NeverMeet []int  // hosts never to meet
}

// Meeting is one meeting of the schedule.
type Meeting struct {
	Participant, Host int
	Slot, Table       int
	// Requested: the participant asked for the host (MustMeet).
	Requested bool
	Score     float64
}

// Unplaced is a requested meeting the schedule could not hold, and why
// (Chinese, for the organiser).
type Unplaced struct {
	Participant, Host int
	Reason            string
}

// Schedule is the scheduler's answer.
type Schedule struct {
	Meetings  []Meeting
	Objective float64 // the sum of the meetings' scores
	// UpperBound is proven: no schedule that satisfies the constraints
	// (requested meetings aside) scores more; Objective/UpperBound is the
	// schedule's proven quality.
	UpperBound float64
	Unplaced   []Unplaced
	Elapsed    time.Duration
}

// Options bound the search.
type Options struct {
	// TimeLimit stops the search and keeps the best schedule found so far;
	// zero is 2 s.
	TimeLimit time.Duration
	// Now is the clock the limit is measured on; nil is time.Now.
	Now func() time.Time
}
