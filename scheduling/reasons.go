package scheduling

import (
	"fmt"
	"strings"
)

// Reasons a requested meeting is not in the schedule, for the organiser.
const (
	reasonNever       = "企业已声明不与该主办方会谈"
	reasonNoCommon    = "双方没有共同的空闲时段"
	reasonBothFull    = "企业和主办方的会谈次数均已满"
	reasonPartFull    = "企业的会谈次数已满"
	reasonHostFull    = "主办方的会谈次数已满"
	reasonTablesFull  = "时段内桌位已满，无法安排"
	reasonPartBusy    = "企业在双方共同的空闲时段都已有其他会谈"
	reasonHostBusy    = "主办方在双方共同的空闲时段都已有其他会谈"
	reasonOutOfTime   = "求解时间已到，未能排入"
	reasonMixedPrefix = "双方共同的空闲时段都已占用："
)

// unplaced lists the requested pairs the meetings leave out, each with the
// cause the final schedule shows: the first of a stated refusal, no common
// slot, a full capacity, then what holds each common slot.
func (in *instance) unplaced(ms []Meeting) []Unplaced {
	T := in.T
	pCnt := make([]int, in.nP)
	hCnt := make([]int, in.nH)
	pBusy := make([]bool, in.nP*T)
	hBusy := make([]bool, in.nH*T)
	used := make([]int, T)
	met := make([]bool, in.nP*in.nH)
	for _, m := range ms {
		pCnt[m.Participant]++
		hCnt[m.Host]++
		pBusy[m.Participant*T+m.Slot] = true
		hBusy[m.Host*T+m.Slot] = true
		used[m.Slot]++
		met[m.Participant*in.nH+m.Host] = true
	}
	var out []Unplaced
	for p, hs := range in.requests {
		for _, h := range hs {
			if met[p*in.nH+h] {
				continue
			}
			out = append(out, Unplaced{Participant: p, Host: h, Reason: in.reason(p, h, pCnt, hCnt, pBusy, hBusy, used)})
		}
	}
	return out
}

func (in *instance) reason(p, h int, pCnt, hCnt []int, pBusy, hBusy []bool, used []int) string {
	T := in.T
	if in.never[p*in.nH+h] {
		return reasonNever
	}
	var common []int
	for t := range T {
		if in.pAvail[p*T+t] && in.hAvail[h*T+t] {
			common = append(common, t)
		}
	}
	if len(common) == 0 {
		return reasonNoCommon
	}
	pFull := pCnt[p] >= in.prob.Participants[p].Capacity
	hFull := hCnt[h] >= in.prob.Hosts[h].Capacity
	switch {
	case pFull && hFull:
		return reasonBothFull
	case pFull:
		return reasonPartFull
	case hFull:
		return reasonHostFull
	}
	allTables, allP, allH := true, true, true
	var parts []string
	for _, t := range common {
		tables := used[t] >= in.prob.Tables
		var why []string
		if pBusy[p*T+t] {
			why = append(why, "企业已有会谈")
		}
		if hBusy[h*T+t] {
			why = append(why, "主办方已有会谈")
		}
		if tables {
			why = append(why, "桌位已满")
		}
		if len(why) == 0 {
			return reasonOutOfTime
		}
		allTables = allTables && tables
		allP = allP && pBusy[p*T+t]
		allH = allH && hBusy[h*T+t]
		parts = append(parts, fmt.Sprintf("第%d时段%s", t+1, strings.Join(why, "、")))
	}
	switch {
	case allTables:
		return reasonTablesFull
	case allP:
		return reasonPartBusy
	case allH:
		return reasonHostBusy
	}
	return reasonMixedPrefix + strings.Join(parts, "，")
}
