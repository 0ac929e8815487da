package financing

import (
	"cmp"
	"slices"
	"time"

	"github.com/yurong/yurong/catalog"
)

// BankPerformance is one institution's record in a year, by which the
// province ranks its partner banks: how much they lent to early-stage,
// small and hard-tech enterprises, and how fast they decided.
type BankPerformance struct {
	InstitutionID int64
	Year, Rank    int

	LoansToEarlySmallHard  int
	AmountToEarlySmallHard catalog.Amount
	EarlySmallHardShare    float64 // of AmountTotal; 0 when nothing was lent
	LoansTotal             int
	AmountTotal            catalog.Amount

	// MedianHoursToDecision is the median time from submission to decision
	// of the decisions made in the year; nil when there were none.
	MedianHoursToDecision *float64
	// OnTimeShare is the share of the year's decisions with a deadline
	// that were made by it; nil when none had a deadline.
	OnTimeShare *float64
}

// RankBanks evaluates the institutions that disbursed at least one loan in
// year (in UTC), best first: by the amount lent to early-small-hard
// enterprises, then by that amount's share of all they lent, then by
// InstitutionID so the order is stable. Ranks are positions, never shared.
//
// A loan counts in the year it was disbursed, a decision in the year it
// was made; an application may thus count in two years.
func RankBanks(year int, apps []*Application) []BankPerformance {
	type tally struct {
		perf    BankPerformance
		hours   []float64
		due     int // decisions with a deadline
		onTime  int
		lending bool
	}
	byID := map[int64]*tally{}
	get := func(id int64) *tally {
		t := byID[id]
		if t == nil {
			t = &tally{perf: BankPerformance{InstitutionID: id, Year: year}}
			byID[id] = t
		}
		return t
	}
	inYear := func(t *time.Time) bool { return t != nil && t.UTC().Year() == year }

	for _, a := range apps {
		if a == nil {
			continue
		}
		if inYear(a.DisbursedOn) && a.DisbursedAmount != nil {
			t := get(a.InstitutionID)
			t.lending = true
			t.perf.LoansTotal++
			t.perf.AmountTotal += *a.DisbursedAmount
			if a.EarlySmallHard {
				t.perf.LoansToEarlySmallHard++
				t.perf.AmountToEarlySmallHard += *a.DisbursedAmount
			}
		}
		if inYear(a.DecidedAt) && a.SubmittedAt != nil {
			t := get(a.InstitutionID)
			t.hours = append(t.hours, a.DecidedAt.Sub(*a.SubmittedAt).Hours())
			if a.DecisionDue != nil {
				t.due++
				if !a.DecidedAt.After(*a.DecisionDue) {
					t.onTime++
				}
			}
		}
	}

	var out []BankPerformance
	for _, t := range byID {
		if !t.lending {
			continue
		}
		p := t.perf
		if p.AmountTotal != 0 {
			p.EarlySmallHardShare = float64(p.AmountToEarlySmallHard) / float64(p.AmountTotal)
		}
		if len(t.hours) > 0 {
			m := median(t.hours)
			p.MedianHoursToDecision = &m
		}
		if t.due > 0 {
			s := float64(t.onTime) / float64(t.due)
			p.OnTimeShare = &s
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b BankPerformance) int {
		return cmp.Or(
			cmp.Compare(b.AmountToEarlySmallHard, a.AmountToEarlySmallHard),
			cmp.Compare(b.EarlySmallHardShare, a.EarlySmallHardShare),
			cmp.Compare(a.InstitutionID, b.InstitutionID),
		)
	})
	for i := range out {
		out[i].Rank = i + 1
	}
	return out
}

// median returns the median of xs, the mean of the middle two when their
// number is even. It sorts xs.
func median(xs []float64) float64 {
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// TopQuarter returns the institutions in the top quarter of a ranking from
// RankBanks — the first ceil(n/4) ranks of n — leaving out any that lent
// nothing to early-small-hard enterprises: a place at the top is earned by
// such lending, not by a short list.
func TopQuarter(ranked []BankPerformance) map[int64]bool {
	top := map[int64]bool{}
	limit := (len(ranked) + 3) / 4
	for _, p := range ranked {
		if p.Rank >= 1 && p.Rank <= limit && p.AmountToEarlySmallHard > 0 {
			top[p.InstitutionID] = true
		}
	}
	return top
}
