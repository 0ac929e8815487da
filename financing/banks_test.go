package financing

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/yurong/yurong/catalog"
)

// loan is an application of institution inst disbursed on day, for yuan.
func loan(t *testing.T, inst int64, yuan int64, earlySmallHard bool, day string) *Application {
	t.Helper()
	amount := catalog.Yuan(yuan)
	on := date(t, day)
	return &Application{InstitutionID: inst, Status: Disbursed, DisbursedAmount: &amount, DisbursedOn: &on, EarlySmallHard: earlySmallHard}
}

// decision is an application of institution inst decided at decided;
// submitted and due may be empty.
func decision(t *testing.T, inst int64, submitted, decided, due string) *Application {
	t.Helper()
	a := &Application{InstitutionID: inst, Status: Approved}
	at := instant(t, decided)
	a.DecidedAt = &at
	if submitted != "" {
		s := instant(t, submitted)
		a.SubmittedAt = &s
	}
	if due != "" {
		d := instant(t, due)
		a.DecisionDue = &d
	}
	return a
}

// describe renders a performance for comparison, the pointers followed.
func describe(p BankPerformance) string {
	opt := func(f *float64) string {
		if f == nil {
			return "nil"
		}
		return fmt.Sprint(*f)
	}
	return fmt.Sprintf("#%d bank %d in %d: early-small-hard %d loans %s (share %v) of %d loans %s; median %sh, on time %s",
		p.Rank, p.InstitutionID, p.Year, p.LoansToEarlySmallHard, p.AmountToEarlySmallHard, p.EarlySmallHardShare,
		p.LoansTotal, p.AmountTotal, opt(p.MedianHoursToDecision), opt(p.OnTimeShare))
}

func checkRanking(t *testing.T, got []BankPerformance, want []string) {
	t.Helper()
	var g []string
	for _, p := range got {
		g = append(g, describe(p))
	}
	if !slices.Equal(g, want) {
		t.Errorf("RankBanks =\n\t%s\nwant\n\t%s", strings.Join(g, "\n\t"), strings.Join(want, "\n\t"))
	}
}

func TestRankBanksLending(t *testing.T) {
	apps := []*Application{
		// Bank 1: 300 of 1000 to early-small-hard enterprises.
		loan(t, 1, 300, true, "2026-03-01"),
		loan(t, 1, 700, false, "2026-12-31"),
		// Bank 2: 300 of 300.
		loan(t, 2, 300, true, "2026-01-01"),
		// Bank 3: 500 of 1000, in two loans.
		loan(t, 3, 200, true, "2026-06-01"),
		loan(t, 3, 300, true, "2026-06-02"),
		loan(t, 3, 500, false, "2026-06-03"),
		// Bank 4: nothing of 200 this year; its loans of other years do not count.
		loan(t, 4, 200, false, "2026-05-01"),
		loan(t, 4, 10_000, true, "2025-12-31"),
		loan(t, 4, 10_000, true, "2027-01-01"),
		// Bank 5: the same as bank 1.
		loan(t, 5, 700, false, "2026-02-01"),
		loan(t, 5, 300, true, "2026-02-02"),
		// Bank 6 decided but lent nothing.
		decision(t, 6, "2026-03-02T08:00:00Z", "2026-03-02T10:00:00Z", ""),
		// Bank 7 has a disbursement date without an amount, bank 8 the reverse.
		{InstitutionID: 7, DisbursedOn: new(date(t, "2026-03-01")), EarlySmallHard: true},
		{InstitutionID: 8, DisbursedAmount: new(catalog.Yuan(1000)), EarlySmallHard: true},
		nil,
	}
	checkRanking(t, RankBanks(2026, apps), []string{
		"#1 bank 3 in 2026: early-small-hard 2 loans 500.00 (share 0.5) of 3 loans 1000.00; median nilh, on time nil",
		"#2 bank 2 in 2026: early-small-hard 1 loans 300.00 (share 1) of 1 loans 300.00; median nilh, on time nil",
		"#3 bank 1 in 2026: early-small-hard 1 loans 300.00 (share 0.3) of 2 loans 1000.00; median nilh, on time nil",
		"#4 bank 5 in 2026: early-small-hard 1 loans 300.00 (share 0.3) of 2 loans 1000.00; median nilh, on time nil",
		"#5 bank 4 in 2026: early-small-hard 0 loans 0.00 (share 0) of 1 loans 200.00; median nilh, on time nil",
	})
}

func TestRankBanksDecisions(t *testing.T) {
	// Bank 10 decided in 2, 10 and 5 hours: median 5. Two decisions had a
	// deadline, the first met exactly on it, the second missed by a second:
	// on time 1 of 2.
	onTime := decision(t, 10, "2026-03-02T08:00:00Z", "2026-03-02T10:00:00Z", "2026-03-02T10:00:00Z")
	amount, on := catalog.Yuan(100), date(t, "2026-03-10")
	onTime.DisbursedAmount, onTime.DisbursedOn, onTime.EarlySmallHard = &amount, &on, true
	apps := []*Application{
		onTime,
		decision(t, 10, "2026-03-03T00:00:00Z", "2026-03-03T10:00:00Z", "2026-03-03T09:59:59Z"),
		decision(t, 10, "2026-03-04T00:00:00Z", "2026-03-04T05:00:00Z", ""),
		// Decided in 2025 (in UTC): not counted.
		decision(t, 10, "2025-12-27T19:00:00Z", "2025-12-31T23:00:00Z", "2025-12-30T23:59:59Z"),
		decision(t, 10, "2025-12-31T20:00:00Z", "2026-01-01T05:00:00+08:00", "2025-12-31T20:00:00Z"),

		// Bank 11 decided in 4, 1, 3 and 8 hours, without deadlines:
		// median (3+4)/2.
		loan(t, 11, 100, false, "2026-04-01"),
		decision(t, 11, "2026-04-01T00:00:00Z", "2026-04-01T04:00:00Z", ""),
		decision(t, 11, "2026-04-02T00:00:00Z", "2026-04-02T01:00:00Z", ""),
		decision(t, 11, "2026-04-03T00:00:00Z", "2026-04-03T03:00:00Z", ""),
		// Submitted in 2025, decided in 2026: counted.
		decision(t, 11, "2025-12-31T20:00:00Z", "2026-01-01T04:00:00Z", ""),
		// Never submitted: not a decision to time.
		decision(t, 11, "", "2026-04-04T00:00:00Z", "2026-04-05T00:00:00Z"),

		// Bank 12 lent but decided nothing this year.
		loan(t, 12, 50, true, "2026-05-01"),

		// Bank 13 decided but lent nothing.
		decision(t, 13, "2026-03-02T08:00:00Z", "2026-03-02T09:00:00Z", "2026-03-03T00:00:00Z"),
	}
	checkRanking(t, RankBanks(2026, apps), []string{
		"#1 bank 10 in 2026: early-small-hard 1 loans 100.00 (share 1) of 1 loans 100.00; median 5h, on time 0.5",
		"#2 bank 12 in 2026: early-small-hard 1 loans 50.00 (share 1) of 1 loans 50.00; median nilh, on time nil",
		"#3 bank 11 in 2026: early-small-hard 0 loans 0.00 (share 0) of 1 loans 100.00; median 3.5h, on time nil",
	})
}

func TestRankBanksNothing(t *testing.T) {
	if got := RankBanks(2026, nil); len(got) != 0 {
		t.Errorf("RankBanks(no applications) = %v, want none", got)
	}
}

func TestTopQuarter(t *testing.T) {
	// ranking builds a ranking whose entries lent the given amounts to
	// early-small-hard enterprises, best first.
	ranking := func(amounts ...int64) []BankPerformance {
		var out []BankPerformance
		for i, a := range amounts {
			out = append(out, BankPerformance{InstitutionID: int64(100 + i), Rank: i + 1, AmountToEarlySmallHard: catalog.Yuan(a)})
		}
		return out
	}
	tests := []struct {
		name   string
		ranked []BankPerformance
		want   []int64
	}{
		{"no banks", nil, nil},
		{"one bank", ranking(10), []int64{100}},
		{"one bank that lent nothing to early-small-hard", ranking(0), nil},
		{"four banks: one", ranking(40, 30, 20, 10), []int64{100}},
		{"five banks: two", ranking(50, 40, 30, 20, 10), []int64{100, 101}},
		{"eight banks: two", ranking(80, 70, 60, 50, 40, 30, 20, 10), []int64{100, 101}},
		{"nine banks: three", ranking(90, 80, 70, 60, 50, 40, 30, 20, 10), []int64{100, 101, 102}},
		{"five banks, the second lent nothing to early-small-hard", ranking(50, 0, 0, 0, 0), []int64{100}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := slices.Sorted(maps.Keys(TopQuarter(tt.ranked)))
			if !slices.Equal(got, tt.want) {
				t.Errorf("TopQuarter = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTopQuarterOfRankBanks(t *testing.T) {
	// Five banks: the top quarter is the first two.
	apps := []*Application{
		loan(t, 1, 100, true, "2026-01-05"),
		loan(t, 2, 500, true, "2026-01-05"),
		loan(t, 3, 300, true, "2026-01-05"),
		loan(t, 4, 200, true, "2026-01-05"),
		loan(t, 5, 900, false, "2026-01-05"),
	}
	got := TopQuarter(RankBanks(2026, apps))
	if want := map[int64]bool{2: true, 3: true}; !maps.Equal(got, want) {
		t.Errorf("TopQuarter = %v, want %v", got, want)
	}
}
