package scheduling

import (
	"errors"
	"fmt"
	"math"
)

// Check verifies a schedule against its problem, independently of how it
// was made: every hard constraint, the kept meetings kept exactly, each
// meeting's Score and Requested as the problem gives them, tables in range
// and not shared within a slot, Objective the sum of the scores,
// UpperBound not below Objective, and Unplaced naming, with a reason, each
// requested pair that does not meet and no other. It returns the first
// violations found (up to ten).
func Check(p *Problem, s *Schedule) error {
	if p == nil || s == nil {
		return errors.New("nil problem or schedule")
	}
	var errs []error
	fail := func(format string, args ...any) {
		if len(errs) < 10 {
			errs = append(errs, fmt.Errorf(format, args...))
		}
	}
	nP, nH, T, K := len(p.Participants), len(p.Hosts), p.Slots, p.Tables
	avail := func(a []bool, t int) bool { return a == nil || t < len(a) && a[t] }
	requested := func(pi, h int) bool {
		for _, x := range p.Participants[pi].MustMeet {
			if x == h {
				return true
			}
		}
		return false
	}
	never := func(pi, h int) bool {
		for _, x := range p.Participants[pi].NeverMeet {
			if x == h {
				return true
			}
		}
		return false
	}
	type key struct{ a, b int }
	pSlot := map[key]bool{}
	hSlot := map[key]bool{}
	table := map[key]bool{}
	met := map[key]bool{}
	pCnt := make([]int, nP)
	hCnt := make([]int, nH)
	var sum float64
	for k, m := range s.Meetings {
		pi, h, t := m.Participant, m.Host, m.Slot
		sum += m.Score
		if pi < 0 || pi >= nP || h < 0 || h >= nH || t < 0 || t >= T {
			fail("meeting %d %+v: out of range", k, m)
			continue
		}
		if m.Table < 0 || m.Table >= K {
			fail("meeting %d %+v: table out of range", k, m)
		}
		if !avail(p.Participants[pi].Available, t) {
			fail("meeting %d %+v: participant not available", k, m)
		}
		if !avail(p.Hosts[h].Available, t) {
			fail("meeting %d %+v: host not available", k, m)
		}
		if never(pi, h) {
			fail("meeting %d %+v: participant never meets the host", k, m)
		}
		score, ok := p.Score(pi, h)
		req := requested(pi, h)
		if !ok && !req {
			fail("meeting %d %+v: pairing not allowed", k, m)
		}
		if m.Requested != req {
			fail("meeting %d %+v: Requested is %v, want %v", k, m, m.Requested, req)
		}
		if math.Abs(m.Score-score) > 1e-9 {
			fail("meeting %d %+v: score %v, want %v", k, m, m.Score, score)
		}
		if pSlot[key{pi, t}] {
			fail("meeting %d %+v: participant meets twice in the slot", k, m)
		}
		if hSlot[key{h, t}] {
			fail("meeting %d %+v: host meets twice in the slot", k, m)
		}
		if table[key{t, m.Table}] {
			fail("meeting %d %+v: table already taken in the slot", k, m)
		}
		if met[key{pi, h}] {
			fail("meeting %d %+v: the pair meets twice", k, m)
		}
		pSlot[key{pi, t}], hSlot[key{h, t}], table[key{t, m.Table}], met[key{pi, h}] = true, true, true, true
		pCnt[pi]++
		hCnt[h]++
	}
	for pi, x := range p.Participants {
		if pCnt[pi] > x.Capacity {
			fail("participant %d: %d meetings, capacity %d", pi, pCnt[pi], x.Capacity)
		}
	}
	for h, x := range p.Hosts {
		if hCnt[h] > x.Capacity {
			fail("host %d: %d meetings, capacity %d", h, hCnt[h], x.Capacity)
		}
	}
	for k, want := range p.Keep {
		found := false
		for _, m := range s.Meetings {
			if m.Participant == want.Participant && m.Host == want.Host && m.Slot == want.Slot && m.Table == want.Table {
				found = true
				break
			}
		}
		if !found {
			fail("kept meeting %d %+v is missing", k, want)
		}
	}
	tol := 1e-9 * max(1, math.Abs(sum))
	if math.Abs(s.Objective-sum) > tol {
		fail("objective %v, the meetings sum to %v", s.Objective, sum)
	}
	if s.UpperBound < s.Objective-tol {
		fail("upper bound %v below the objective %v", s.UpperBound, s.Objective)
	}
	listed := map[key]int{}
	for _, u := range s.Unplaced {
		if u.Participant < 0 || u.Participant >= nP || u.Host < 0 || u.Host >= nH {
			fail("unplaced %+v: out of range", u)
			continue
		}
		listed[key{u.Participant, u.Host}]++
		switch {
		case !requested(u.Participant, u.Host):
			fail("unplaced %+v: not requested", u)
		case met[key{u.Participant, u.Host}]:
			fail("unplaced %+v: the pair meets", u)
		case u.Reason == "":
			fail("unplaced %+v: no reason", u)
		}
	}
	for pi, x := range p.Participants {
		for _, h := range x.MustMeet {
			if h < 0 || h >= nH || met[key{pi, h}] {
				continue
			}
			if n := listed[key{pi, h}]; n != 1 {
				fail("requested pair (%d, %d) does not meet and is listed %d times in Unplaced", pi, h, n)
			}
		}
	}
	return errors.Join(errs...)
}
