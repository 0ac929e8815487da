package matching

import (
	"strings"
	"testing"

	"github.com/yurong/yurong/catalog"
)

// yuan is a suggested amount of n whole yuan; nil means no amount.
func yuan(n int64) *catalog.Amount { return ptr(catalog.Yuan(n)) }

func amountText(a *catalog.Amount) string {
	if a == nil {
		return "null"
	}
	return a.String()
}

func TestSuggestedAmount(t *testing.T) {
	subsidy := func(amount int64, year int) []catalog.Subsidy {
		return []catalog.Subsidy{{Program: "研发补助", Amount: catalog.Yuan(amount), Year: year}}
	}
	need := func(kind catalog.ProductKind, amount int64) *catalog.FinancingNeed {
		return &catalog.FinancingNeed{Kind: kind, Amount: catalog.Yuan(amount)}
	}
	revenue := func(n int64) func(*catalog.Enterprise) {
		return func(e *catalog.Enterprise) {
			e.Reports = []catalog.AnnualReport{{Year: 2025, Revenue: catalog.Yuan(n), RDExpense: catalog.Yuan(100_000)}}
		}
	}
	noReport := func(e *catalog.Enterprise) { e.Reports = nil }
	awarded := func(e *catalog.Enterprise) {
		e.Reports = nil
		e.CompetitionEntries = []catalog.CompetitionEntry{{Year: 2025, Award: catalog.Third}}
	}
	tests := []struct {
		name      string
		program   catalog.Program
		kind      catalog.ProductKind
		requires  bool
		multiple  *float64
		max       int64
		subsidies []catalog.Subsidy
		need      *catalog.FinancingNeed
		change    func(*catalog.Enterprise) // nil: the plain enterprise, revenue 10,000,000
		base      func(int64) *catalog.Enterprise
		want      *catalog.Amount
	}{
		{name: "subsidy loan: five times the subsidy", program: catalog.SubsidyLoan, kind: catalog.Loan, max: 5_000_000,
			subsidies: subsidy(200_000, 2025), want: yuan(1_000_000)},
		{name: "subsidy loan: this year's and last year's subsidies add up", program: catalog.SubsidyLoan, kind: catalog.Loan, max: 5_000_000,
			subsidies: append(subsidy(200_000, 2025), append(subsidy(100_000, 2026), subsidy(900_000, 2024)...)...), want: yuan(1_500_000)},
		{name: "subsidy loan: capped by the product's maximum", program: catalog.SubsidyLoan, kind: catalog.Loan, max: 800_000,
			subsidies: subsidy(200_000, 2025), want: yuan(800_000)},
		{name: "subsidy loan: capped by the stated loan need", program: catalog.SubsidyLoan, kind: catalog.Loan, max: 5_000_000,
			subsidies: subsidy(200_000, 2025), need: need(catalog.Loan, 600_000), want: yuan(600_000)},
		{name: "subsidy loan: a need above the cap does not raise it", program: catalog.SubsidyLoan, kind: catalog.Loan, max: 5_000_000,
			subsidies: subsidy(200_000, 2025), need: need(catalog.Loan, 3_000_000), want: yuan(1_000_000)},
		{name: "subsidy loan: an equity need does not cap a loan", program: catalog.SubsidyLoan, kind: catalog.Loan, max: 5_000_000,
			subsidies: subsidy(200_000, 2025), need: need(catalog.Equity, 100_000), want: yuan(1_000_000)},
		{name: "subsidy loan: no revenue does not matter, the subsidies size it", program: catalog.SubsidyLoan, kind: catalog.Loan, max: 5_000_000,
			subsidies: subsidy(200_000, 2025), change: noReport, want: yuan(1_000_000)},
		{name: "subsidy loan without subsidies: no amount", program: catalog.SubsidyLoan, kind: catalog.Loan, max: 5_000_000,
			want: nil},
		{name: "requiresSubsidy makes any loan a subsidy loan", program: catalog.ScoreLoan, kind: catalog.Loan, requires: true, max: 5_000_000,
			subsidies: subsidy(100_000, 2026), want: yuan(500_000)},
		{name: "the product's own multiple", program: catalog.SubsidyLoan, kind: catalog.Loan, multiple: ptr(3.0), max: 5_000_000,
			subsidies: subsidy(100_000, 2026), want: yuan(300_000)},

		{name: "other loan without a need: the maximum within half the revenue", program: catalog.TechLoan, kind: catalog.Loan, max: 5_000_000,
			want: yuan(5_000_000)},
		{name: "other loan without a need: half the revenue below the maximum", program: catalog.TechLoan, kind: catalog.Loan, max: 10_000_000,
			want: yuan(5_000_000)},
		{name: "other loan: the smaller stated need", program: catalog.TechLoan, kind: catalog.Loan, max: 5_000_000,
			need: need(catalog.Loan, 2_000_000), want: yuan(2_000_000)},
		{name: "other loan: the maximum below the need", program: catalog.TechLoan, kind: catalog.Loan, max: 5_000_000,
			need: need(catalog.Loan, 9_000_000), want: yuan(5_000_000)},
		{name: "other loan: the credit capacity below the need and the maximum", program: catalog.TechLoan, kind: catalog.Loan, max: 5_000_000,
			need: need(catalog.Loan, 3_000_000), change: revenue(1_200_000), want: yuan(600_000)},
		{name: "other loan: no report, not listed, no award: no amount", program: catalog.TechLoan, kind: catalog.Loan, max: 10_000_000,
			change: noReport, want: nil},
		{name: "other loan: zero revenue and a loan need still gives no amount", program: catalog.TechLoan, kind: catalog.Loan, max: 10_000_000,
			need: need(catalog.Loan, 1_000_000), change: revenue(0), want: nil},
		{name: "other loan: an award this year or last lends at least 1,000,000 without revenue", program: catalog.TechLoan, kind: catalog.Loan, max: 10_000_000,
			change: awarded, want: yuan(1_000_000)},
		{name: "other loan: an early-small-hard enterprise lends at least 1,000,000 without revenue", program: catalog.TechLoan, kind: catalog.Loan, max: 10_000_000,
			base: eshEnterprise, change: revenue(0), want: yuan(1_000_000)},
		{name: "other loan: the floor never exceeds the maximum", program: catalog.TechLoan, kind: catalog.Loan, max: 500_000,
			change: awarded, want: yuan(500_000)},
		{name: "other loan: half of a large revenue beats the floor", program: catalog.TechLoan, kind: catalog.Loan, max: 10_000_000,
			base: eshEnterprise, change: revenue(3_000_000), want: yuan(1_500_000)},

		{name: "equity without a need: no amount, never the maximum", program: catalog.VentureFund, kind: catalog.Equity, max: 20_000_000,
			want: nil},
		{name: "equity: the need of another kind is ignored", program: catalog.VentureFund, kind: catalog.Equity, max: 13_000_000,
			need: need(catalog.Loan, 1_000_000), want: nil},
		{name: "equity: the stated equity need", program: catalog.VentureFund, kind: catalog.Equity, max: 20_000_000,
			need: need(catalog.Equity, 8_000_000), want: yuan(8_000_000)},
		{name: "equity: the maximum below the equity need", program: catalog.VentureFund, kind: catalog.Equity, max: 3_000_000,
			need: need(catalog.Equity, 8_000_000), want: yuan(3_000_000)},
		{name: "equity: no revenue does not matter", program: catalog.ScoreInvestment, kind: catalog.Equity, max: 20_000_000,
			need: need(catalog.Equity, 5_000_000), change: noReport, want: yuan(5_000_000)},
		{name: "insurance without a need: no amount", program: catalog.Yukebao, kind: catalog.Insurance, max: 1_000_000,
			want: nil},
		{name: "insurance: a loan need is ignored", program: catalog.Yukebao, kind: catalog.Insurance, max: 1_000_000,
			need: need(catalog.Loan, 300_000), want: nil},
		{name: "insurance: the stated insurance need", program: catalog.Yukebao, kind: catalog.Insurance, max: 1_000_000,
			need: need(catalog.Insurance, 300_000), want: yuan(300_000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := tt.base
			if base == nil {
				base = enterprise
			}
			ent := base(1)
			if tt.change != nil {
				tt.change(ent)
			}
			ent.Subsidies, ent.FinancingNeed = tt.subsidies, tt.need
			p := product(7, tt.kind)
			p.Program, p.MaxAmount = tt.program, catalog.Yuan(tt.max)
			p.Eligibility.RequiresSubsidy = tt.requires
			p.Eligibility.SubsidyMultiple = tt.multiple
			e := engineWith([]*catalog.Enterprise{ent}, []*catalog.FinancialProduct{p}, nil, nil)
			got := mustPairing(e, catalog.Financing, 1, 7)
			if amountText(got.SuggestedAmount) != amountText(tt.want) {
				t.Errorf("suggested %s, want %s", amountText(got.SuggestedAmount), amountText(tt.want))
			}
		})
	}
}

func TestCreditCapacityIsConfigurable(t *testing.T) {
	cfg := testConfig()
	cfg.CreditCapacityShare = 0.25
	cfg.CreditCapacityFloor = catalog.Yuan(2_000_000)
	ent := enterprise(1) // revenue 10,000,000
	aw := enterprise(2)
	aw.Reports = nil
	aw.CompetitionEntries = []catalog.CompetitionEntry{{Year: 2026, Award: catalog.First}}
	p := product(7, catalog.Loan)
	p.MaxAmount = catalog.Yuan(20_000_000)
	e := New(cfg)
	e.Rebuild(&catalog.Dataset{Enterprises: []*catalog.Enterprise{ent, aw}, Products: []*catalog.FinancialProduct{p}})
	if got := mustPairing(e, catalog.Financing, 1, 7).SuggestedAmount; amountText(got) != amountText(yuan(2_500_000)) {
		t.Errorf("a quarter of 10,000,000: got %s", amountText(got))
	}
	if got := mustPairing(e, catalog.Financing, 2, 7).SuggestedAmount; amountText(got) != amountText(yuan(2_000_000)) {
		t.Errorf("the floor of an award winner: got %s", amountText(got))
	}
}

func TestNoCreditCapacity(t *testing.T) {
	// The first example of issue 8: no annual report, innovation score 0,
	// a stated need of 5,000,000 of equity.
	ent := enterprise(1)
	ent.Reports = nil
	ent.FinancingNeed = &catalog.FinancingNeed{Kind: catalog.Equity, Amount: catalog.Yuan(5_000_000), Purpose: "建设中试线"}
	loan := product(7, catalog.Loan)
	loan.MaxAmount = catalog.Yuan(10_000_000)
	withNeed := enterprise(2)
	withNeed.Reports = nil
	withNeed.FinancingNeed = &catalog.FinancingNeed{Kind: catalog.Loan, Amount: catalog.Yuan(2_000_000)}
	e := engineWith([]*catalog.Enterprise{ent, withNeed}, []*catalog.FinancialProduct{loan}, nil, nil)

	for _, id := range []int64{1, 2} {
		p := mustPairing(e, catalog.Financing, id, 7)
		t.Run("no amount is suggested", func(t *testing.T) {
			if p.SuggestedAmount != nil {
				t.Errorf("enterprise %d without revenue, list or award is told to borrow %s", id, p.SuggestedAmount)
			}
		})
		t.Run("the pairing stays eligible", func(t *testing.T) {
			if !p.Eligible {
				t.Errorf("blockers %q", p.Blockers)
			}
		})
		t.Run("a reason says why no amount is suggested", func(t *testing.T) {
			var why *Reason
			for i, r := range p.Reasons {
				if r.Factor == "no_credit_capacity" {
					why = &p.Reasons[i]
				}
				if r.Factor == "amount_fit" {
					t.Errorf("an amount-fit reason without an amount: %+v", r)
				}
			}
			if why == nil {
				t.Fatalf("no reason says why: %+v", p.Reasons)
			}
			for _, w := range []string{"营业收入", "早小硬", "获奖", "不提供建议额度"} {
				if !strings.Contains(why.Message, w) {
					t.Errorf("reason %q does not mention %s", why.Message, w)
				}
			}
			if sumContributions(p) != p.Score {
				t.Errorf("score %v is not the sum of the reasons %+v", p.Score, p.Reasons)
			}
		})
	}
}

func TestOnlyFinancingSuggestsAnAmount(t *testing.T) {
	e := engineWith([]*catalog.Enterprise{enterprise(1)}, nil, []*catalog.Incubator{incubator(3)},
		[]*catalog.SupplyChainDemand{demand(4, "金刚石")})
	for _, k := range []catalog.PairingKind{catalog.Incubation, catalog.IndustryChain} {
		res := map[catalog.PairingKind]int64{catalog.Incubation: 3, catalog.IndustryChain: 4}[k]
		if p := mustPairing(e, k, 1, res); p.SuggestedAmount != nil {
			t.Errorf("%s suggests %v", k, *p.SuggestedAmount)
		}
	}
}
