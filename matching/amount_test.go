package matching

import (
	"testing"

	"github.com/yurong/yurong/catalog"
)

func TestSuggestedAmount(t *testing.T) {
	subsidy := func(amount int64, year int) []catalog.Subsidy {
		return []catalog.Subsidy{{Program: "研发补助", Amount: catalog.Yuan(amount), Year: year}}
	}
	need := func(kind catalog.ProductKind, amount int64) *catalog.FinancingNeed {
		return &catalog.FinancingNeed{Kind: kind, Amount: catalog.Yuan(amount)}
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
		want      int64
	}{
		{"subsidy loan: five times the subsidy", catalog.SubsidyLoan, catalog.Loan, false, nil, 5_000_000,
			subsidy(200_000, 2025), nil, 1_000_000},
		{"subsidy loan: this year's and last year's subsidies add up", catalog.SubsidyLoan, catalog.Loan, false, nil, 5_000_000,
			append(subsidy(200_000, 2025), append(subsidy(100_000, 2026), subsidy(900_000, 2024)...)...), nil, 1_500_000},
		{"subsidy loan: capped by the product's maximum", catalog.SubsidyLoan, catalog.Loan, false, nil, 800_000,
			subsidy(200_000, 2025), nil, 800_000},
		{"subsidy loan: capped by the stated loan need", catalog.SubsidyLoan, catalog.Loan, false, nil, 5_000_000,
			subsidy(200_000, 2025), need(catalog.Loan, 600_000), 600_000},
		{"subsidy loan: a need above the cap does not raise it", catalog.SubsidyLoan, catalog.Loan, false, nil, 5_000_000,
			subsidy(200_000, 2025), need(catalog.Loan, 3_000_000), 1_000_000},
		{"subsidy loan: an equity need does not cap a loan", catalog.SubsidyLoan, catalog.Loan, false, nil, 5_000_000,
			subsidy(200_000, 2025), need(catalog.Equity, 100_000), 1_000_000},
		{"requiresSubsidy makes any loan a subsidy loan", catalog.ScoreLoan, catalog.Loan, true, nil, 5_000_000,
			subsidy(100_000, 2026), nil, 500_000},
		{"the product's own multiple", catalog.SubsidyLoan, catalog.Loan, false, ptr(3.0), 5_000_000,
			subsidy(100_000, 2026), nil, 300_000},
		{"other loan without a need: the maximum", catalog.TechLoan, catalog.Loan, false, nil, 5_000_000,
			nil, nil, 5_000_000},
		{"other loan: the smaller stated need", catalog.TechLoan, catalog.Loan, false, nil, 5_000_000,
			nil, need(catalog.Loan, 2_000_000), 2_000_000},
		{"other loan: the maximum below the need", catalog.TechLoan, catalog.Loan, false, nil, 5_000_000,
			nil, need(catalog.Loan, 9_000_000), 5_000_000},
		{"equity: the need of another kind is ignored", catalog.VentureFund, catalog.Equity, false, nil, 20_000_000,
			nil, need(catalog.Loan, 2_000_000), 20_000_000},
		{"equity: the stated equity need", catalog.VentureFund, catalog.Equity, false, nil, 20_000_000,
			nil, need(catalog.Equity, 8_000_000), 8_000_000},
		{"insurance: the stated insurance need", catalog.Yukebao, catalog.Insurance, false, nil, 1_000_000,
			nil, need(catalog.Insurance, 300_000), 300_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ent := enterprise(1)
			ent.Subsidies, ent.FinancingNeed = tt.subsidies, tt.need
			p := product(7, tt.kind)
			p.Program, p.MaxAmount = tt.program, catalog.Yuan(tt.max)
			p.Eligibility.RequiresSubsidy = tt.requires
			p.Eligibility.SubsidyMultiple = tt.multiple
			e := engineWith([]*catalog.Enterprise{ent}, []*catalog.FinancialProduct{p}, nil, nil)
			got := mustPairing(e, catalog.Financing, 1, 7)
			if got.SuggestedAmount == nil || *got.SuggestedAmount != catalog.Yuan(tt.want) {
				t.Errorf("suggested %v, want %s", got.SuggestedAmount, catalog.Yuan(tt.want))
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
