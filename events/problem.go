package events

import (
	"math"
	"slices"
	"time"

	"github.com/yurong/yurong/scheduling"
)

// value is what a meeting of one enterprise with one host is worth: the
// best pairing of the enterprise with the host's resources.
type value struct {
	// score is the best eligible pairing's score, or, for a requested
	// meeting without an eligible pairing, the best pairing's.
	score float64
	// allowed: there is an eligible pairing, or the enterprise asked for
	// the host; never when it asked never to meet it, or the host is its
	// own.
	allowed bool
	// resource is the resource of that pairing.
	resource Resource
}

// built is an event's scheduling problem and the way back from its
// indexes to the event.
type built struct {
	event   *Event
	problem *scheduling.Problem
	values  [][]value // [participant][host]
}

// Problem is ev's scheduling problem as Schedule builds it from scratch
// (no meeting kept): hosts and participants in the event's order, slots
// from 0.
func (s *Service) Problem(ev *Event) *scheduling.Problem { return s.build(ev, false).problem }

// build makes ev's scheduling problem. With keep, the meetings of the
// current schedule whose enterprise and host still take part are kept in
// their slot and table.
//
// A meeting's score is the best score over the host's resources of the
// engine's pairing of the enterprise with that resource (FINANCING with a
// product, INCUBATION with an incubator, INDUSTRY_CHAIN with a demand),
// counting eligible pairings only; the meeting is allowed iff one is
// eligible. A meeting the enterprise asked for (mustMeet) is allowed
// anyway, scored by its best pairing when none is eligible. neverMeet, and
// a host that is the enterprise's own, exclude the meeting. Every pair is
// computed once, here, so the scheduler's Score is a lookup.
func (s *Service) build(ev *Event, keep bool) *built {
	b := &built{event: ev, problem: &scheduling.Problem{Slots: ev.Slots, Tables: ev.Tables}}
	hostIdx := make(map[int64]int, len(ev.Hosts))
	owners := make([]map[string]bool, len(ev.Hosts))
	for i, h := range ev.Hosts {
		hostIdx[h.ID] = i
		owners[i] = s.owners(h)
		b.problem.Hosts = append(b.problem.Hosts, scheduling.Host{Capacity: h.Capacity, Available: availability(h.AvailableSlots, ev.Slots)})
	}
	partIdx := make(map[int64]int, len(ev.Participants))
	b.values = make([][]value, len(ev.Participants))
	for pi, part := range ev.Participants {
		partIdx[part.EnterpriseID] = pi
		sp := scheduling.Participant{Capacity: part.Capacity, Available: availability(part.AvailableSlots, ev.Slots)}
		for _, id := range part.MustMeet {
			if hi, ok := hostIdx[id]; ok {
				sp.MustMeet = append(sp.MustMeet, hi)
			}
		}
		for _, id := range part.NeverMeet {
			if hi, ok := hostIdx[id]; ok {
				sp.NeverMeet = append(sp.NeverMeet, hi)
			}
		}
		e := s.catalog.Enterprise(part.EnterpriseID)
		row := make([]value, len(ev.Hosts))
		for hi, h := range ev.Hosts {
			own := e != nil && owners[hi][e.Name]
			if own && !slices.Contains(sp.NeverMeet, hi) {
				sp.NeverMeet = append(sp.NeverMeet, hi)
			}
			if e == nil || own || slices.Contains(sp.NeverMeet, hi) {
				continue
			}
			row[hi] = s.value(part.EnterpriseID, h, slices.Contains(sp.MustMeet, hi))
		}
		b.values[pi] = row
		b.problem.Participants = append(b.problem.Participants, sp)
	}
	b.problem.Score = func(p, h int) (float64, bool) {
		v := b.values[p][h]
		return v.score, v.allowed
	}
	if keep && ev.Schedule != nil {
		for _, m := range ev.Schedule.Meetings {
			pi, okP := partIdx[m.EnterpriseID]
			hi, okH := hostIdx[m.HostID]
			if !okP || !okH || m.Slot < 1 || m.Slot > ev.Slots || m.Table < 1 || m.Table > ev.Tables ||
				slices.Contains(b.problem.Participants[pi].NeverMeet, hi) {
				continue // no longer a meeting the event can hold
			}
			// An announced meeting stays even if its pairing is no longer
			// eligible: scored by its best pairing, or as it was scored.
			if !b.values[pi][hi].allowed {
				v := s.value(m.EnterpriseID, ev.Hosts[hi], true)
				if !v.allowed {
					v = value{score: m.Score, allowed: true, resource: m.Resource}
				}
				b.values[pi][hi] = v
			}
			b.problem.Keep = append(b.problem.Keep, scheduling.Meeting{Participant: pi, Host: hi, Slot: m.Slot - 1, Table: m.Table - 1,
				Requested: slices.Contains(b.problem.Participants[pi].MustMeet, hi), Score: b.values[pi][hi].score})
		}
	}
	return b
}

// value is the worth of a meeting of the enterprise with the host.
func (s *Service) value(enterpriseID int64, h *Host, requested bool) value {
	var best, any value
	found, foundAny := false, false
	for _, r := range h.Resources {
		pr, ok := s.pairings.Pairing(r.Kind.PairingKind(), enterpriseID, r.ID)
		if !ok {
			continue
		}
		if !foundAny || pr.Score > any.score {
			any, foundAny = value{score: pr.Score, resource: r}, true
		}
		if pr.Eligible && (!found || pr.Score > best.score) {
			best, found = value{score: pr.Score, allowed: true, resource: r}, true
		}
	}
	switch {
	case found:
		return best
	case requested && foundAny:
		any.allowed = true
		return any
	}
	return value{}
}

// availability turns 1-based slot numbers into the scheduler's by-slot
// flags; nil when every slot is available.
func availability(slots []int, n int) []bool {
	if len(slots) >= n {
		return nil
	}
	out := make([]bool, n)
	for _, s := range slots {
		if s >= 1 && s <= n {
			out[s-1] = true
		}
	}
	return out
}

// schedule turns the scheduler's answer into the event's schedule: slots
// and tables from 1, each meeting with the resource that scored it.
func (b *built) schedule(sched *scheduling.Schedule, at time.Time) *Schedule {
	ev := b.event
	// Scores are in hundredths: the objective is rounded to them, the bound
	// up to them (so it stays a bound, and not below the objective).
	objective := math.Round(sched.Objective*100) / 100
	bound := max(math.Ceil(sched.UpperBound*100-1e-6)/100, objective)
	out := &Schedule{Objective: objective, UpperBound: bound, ComputedAt: at,
		ElapsedMs: int(sched.Elapsed.Milliseconds()), Meetings: make([]Meeting, 0, len(sched.Meetings))}
	for _, m := range sched.Meetings {
		r := b.values[m.Participant][m.Host].resource
		out.Meetings = append(out.Meetings, Meeting{
			Slot: m.Slot + 1, Table: m.Table + 1,
			HostID: ev.Hosts[m.Host].ID, EnterpriseID: ev.Participants[m.Participant].EnterpriseID,
			Score: m.Score, Requested: m.Requested, Resource: r,
		})
	}
	SortMeetings(out.Meetings)
	for _, u := range sched.Unplaced {
		out.Unplaced = append(out.Unplaced, Unplaced{EnterpriseID: ev.Participants[u.Participant].EnterpriseID,
			HostID: ev.Hosts[u.Host].ID, Reason: u.Reason})
	}
	return out
}

// SortMeetings orders meetings by slot, then table.
func SortMeetings(ms []Meeting) {
	slices.SortFunc(ms, func(a, b Meeting) int {
		if a.Slot != b.Slot {
			return a.Slot - b.Slot
		}
		return a.Table - b.Table
	})
}
