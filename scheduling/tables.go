package scheduling

import "slices"

// meetings lists the schedule's meetings, kept ones included, with their
// tables, by slot and table. Tables are numbered 0 … Tables-1 and kept
// meetings keep theirs. Hosts sit still where they can, since enterprises
// are the ones who walk: the busiest hosts first, each host takes a home
// table free in every slot it meets in (the table of one of its kept
// meetings if that works), so it never moves; a host that finds none
// takes, slot by slot, the table it sat at before if free, else the
// lowest free one. Every slot has a table for each meeting, since it holds
// no more meetings than tables.
func (in *instance) meetings(s *state) []Meeting {
	T, K := in.T, in.prob.Tables
	taken := make([]bool, T*K)
	keptTables := make([][]int, in.nH)
	for _, m := range in.keep {
		taken[m.Slot*K+m.Table] = true
		keptTables[m.Host] = append(keptTables[m.Host], m.Table)
	}
	count := make([]int, in.nH)
	for _, l := range s.bySlot {
		for _, i := range l {
			count[in.pairs[i].h]++
		}
	}
	hosts := make([]int, in.nH)
	for h := range hosts {
		hosts[h] = h
	}
	slices.SortStableFunc(hosts, func(a, b int) int { return count[b] - count[a] })
	home := make([]int, in.nH)
	for _, h := range hosts {
		home[h] = -1
		if count[h] == 0 {
			continue
		}
		free := func(table int) bool {
			for t := range T {
				if i := s.hAt[h*T+t]; i >= 0 && taken[t*K+table] {
					return false
				}
			}
			return true
		}
		for _, table := range append(slices.Clone(keptTables[h]), seq(K)...) {
			if free(table) {
				home[h] = table
				break
			}
		}
		if home[h] >= 0 {
			for t := range T {
				if s.hAt[h*T+t] >= 0 {
					taken[t*K+home[h]] = true
				}
			}
		}
	}

	out := slices.Clone(in.keep)
	last := make([]int, in.nH)
	for h := range last {
		last[h] = -1
	}
	for t := range T {
		slot := slices.Clone(s.bySlot[t])
		slices.SortFunc(slot, func(a, b int32) int { return int(in.pairs[a].h - in.pairs[b].h) })
		for _, i := range slot {
			x := in.pairs[i]
			table := home[x.h]
			if table < 0 {
				table = last[x.h]
				if table < 0 || taken[t*K+table] {
					table = slices.Index(taken[t*K:t*K+K], false)
				}
				taken[t*K+table] = true
				last[x.h] = table
			}
			out = append(out, Meeting{Participant: int(x.p), Host: int(x.h), Slot: t, Table: table, Requested: x.req, Score: x.score})
		}
	}
	slices.SortFunc(out, func(a, b Meeting) int {
		if a.Slot != b.Slot {
			return a.Slot - b.Slot
		}
		return a.Table - b.Table
	})
	return out
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}
