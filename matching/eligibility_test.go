package matching

import (
	"strings"
	"testing"

	"github.com/yurong/yurong/catalog"
)

func TestProductEligibility(t *testing.T) {
	tests := []struct {
		name    string
		ent     func(e *catalog.Enterprise)
		product func(p *catalog.FinancialProduct)
		// want lists substrings of the one expected blocker; nil means eligible.
		want []string
	}{
		{"no rules: eligible", nil, nil, nil},
		{"innovation score below the minimum", nil,
			func(p *catalog.FinancialProduct) { p.Eligibility.MinInnovationScore = ptr(500) },
			[]string{"豫科积分 0 低于要求的 500"}},
		{"innovation score meeting the minimum", nil,
			func(p *catalog.FinancialProduct) { p.Eligibility.MinInnovationScore = ptr(0) }, nil},
		{"track outside the product's tracks", nil,
			func(p *catalog.FinancialProduct) { p.Eligibility.Tracks = []catalog.Track{catalog.Biomedicine} },
			[]string{"赛道", "新材料", "生物医药"}},
		{"track among the product's tracks", nil,
			func(p *catalog.FinancialProduct) {
				p.Eligibility.Tracks = []catalog.Track{catalog.Biomedicine, catalog.NewMaterials}
			}, nil},
		{"city outside the product's cities", nil,
			func(p *catalog.FinancialProduct) { p.Eligibility.Cities = []catalog.City{catalog.Luoyang} },
			[]string{"城市", "郑州", "洛阳"}},
		{"stage outside the product's stages", nil,
			func(p *catalog.FinancialProduct) { p.Eligibility.Stages = []catalog.GrowthStage{catalog.Startup} },
			[]string{"成长期", "初创期"}},
		{"no required qualification held", nil,
			func(p *catalog.FinancialProduct) {
				p.Eligibility.Qualifications = []catalog.Qualification{catalog.HighTech, catalog.Specialized}
			},
			[]string{"资质", "高新技术企业", "专精特新"}},
		{"one of the required qualifications is enough",
			func(e *catalog.Enterprise) { e.Qualifications = []catalog.Qualification{catalog.Specialized} },
			func(p *catalog.FinancialProduct) {
				p.Eligibility.Qualifications = []catalog.Qualification{catalog.HighTech, catalog.Specialized}
			}, nil},
		{"older than the maximum age", nil,
			func(p *catalog.FinancialProduct) { p.Eligibility.MaxCompanyAgeYears = ptr(5) },
			[]string{"2018-03-01", "已满 8 年", "上限 5 年"}},
		{"exactly the maximum age is allowed",
			func(e *catalog.Enterprise) { e.FoundedOn = date(2021, 6, 15) },
			func(p *catalog.FinancialProduct) { p.Eligibility.MaxCompanyAgeYears = ptr(5) }, nil},
		{"more employees than allowed", nil,
			func(p *catalog.FinancialProduct) { p.Eligibility.MaxEmployees = ptr(100) },
			[]string{"职工 120 人", "上限 100 人"}},
		{"exactly the maximum employees is allowed", nil,
			func(p *catalog.FinancialProduct) { p.Eligibility.MaxEmployees = ptr(120) }, nil},
		{"more revenue than allowed", nil,
			func(p *catalog.FinancialProduct) { p.Eligibility.MaxRevenue = ptr(catalog.Yuan(5_000_000)) },
			[]string{"10000000", "1000万元", "5000000", "500万元"}},
		{"competition entry required, none at all", nil,
			func(p *catalog.FinancialProduct) { p.Eligibility.RequiresCompetitionEntry = true },
			[]string{"参赛", "2025–2026", "从未参赛"}},
		{"competition entry required, only an old one",
			func(e *catalog.Enterprise) {
				e.CompetitionEntries = []catalog.CompetitionEntry{{Year: 2023, Award: catalog.First}}
			},
			func(p *catalog.FinancialProduct) { p.Eligibility.RequiresCompetitionEntry = true },
			[]string{"参赛", "2023"}},
		{"competition entry last year",
			func(e *catalog.Enterprise) { e.CompetitionEntries = []catalog.CompetitionEntry{{Year: 2025}} },
			func(p *catalog.FinancialProduct) { p.Eligibility.RequiresCompetitionEntry = true }, nil},
		{"contest loan without an entry",
			nil,
			func(p *catalog.FinancialProduct) { p.Program = catalog.ContestLoan },
			[]string{"创赛贷", "参赛"}},
		{"contest loan with an entry this year",
			func(e *catalog.Enterprise) { e.CompetitionEntries = []catalog.CompetitionEntry{{Year: 2026}} },
			func(p *catalog.FinancialProduct) { p.Program = catalog.ContestLoan }, nil},
		{"award required, entry without one",
			func(e *catalog.Enterprise) {
				e.CompetitionEntries = []catalog.CompetitionEntry{{Year: 2026, Award: catalog.NoAward}}
			},
			func(p *catalog.FinancialProduct) { p.Eligibility.RequiresCompetitionAward = true },
			[]string{"获奖", "2025–2026"}},
		{"award required, award two years ago",
			func(e *catalog.Enterprise) {
				e.CompetitionEntries = []catalog.CompetitionEntry{{Year: 2024, Award: catalog.First}}
			},
			func(p *catalog.FinancialProduct) { p.Eligibility.RequiresCompetitionAward = true },
			[]string{"获奖"}},
		{"award required, excellence award last year",
			func(e *catalog.Enterprise) {
				e.CompetitionEntries = []catalog.CompetitionEntry{{Year: 2025, Award: catalog.Excellence}}
			},
			func(p *catalog.FinancialProduct) { p.Eligibility.RequiresCompetitionAward = true }, nil},
		{"subsidy required, none", nil,
			func(p *catalog.FinancialProduct) { p.Eligibility.RequiresSubsidy = true },
			[]string{"补贴", "2025–2026"}},
		{"subsidy loan, subsidy three years ago",
			func(e *catalog.Enterprise) {
				e.Subsidies = []catalog.Subsidy{{Program: "研发补助", Amount: catalog.Yuan(100_000), Year: 2023}}
			},
			func(p *catalog.FinancialProduct) { p.Program = catalog.SubsidyLoan },
			[]string{"补贴"}},
		{"subsidy loan, subsidy last year",
			func(e *catalog.Enterprise) {
				e.Subsidies = []catalog.Subsidy{{Program: "研发补助", Amount: catalog.Yuan(100_000), Year: 2025}}
			},
			func(p *catalog.FinancialProduct) { p.Program = catalog.SubsidyLoan }, nil},
		{"dishonest enterprise",
			func(e *catalog.Enterprise) { e.CreditStatus = catalog.CreditDishonest },
			nil, []string{"失信"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ent := enterprise(1)
			if tt.ent != nil {
				tt.ent(ent)
			}
			p := product(7, catalog.Loan)
			if tt.product != nil {
				tt.product(p)
			}
			e := engineWith([]*catalog.Enterprise{ent}, []*catalog.FinancialProduct{p}, nil, nil)
			got := mustPairing(e, catalog.Financing, 1, 7)
			if got.Eligible != (len(got.Blockers) == 0) {
				t.Errorf("eligible=%v with blockers %q", got.Eligible, got.Blockers)
			}
			if tt.want == nil {
				if !got.Eligible {
					t.Errorf("want eligible, blockers %q", got.Blockers)
				}
				return
			}
			if len(got.Blockers) != 1 {
				t.Fatalf("want one blocker, got %q", got.Blockers)
			}
			for _, w := range tt.want {
				if !strings.Contains(got.Blockers[0], w) {
					t.Errorf("blocker %q lacks %q", got.Blockers[0], w)
				}
			}
		})
	}
}

func TestEveryFailedRuleIsOneBlocker(t *testing.T) {
	ent := enterprise(1)
	p := product(7, catalog.Loan)
	p.Program = catalog.SubsidyLoan
	p.Eligibility = catalog.Eligibility{
		MinInnovationScore: ptr(900), Tracks: []catalog.Track{catalog.Biomedicine}, Cities: []catalog.City{catalog.Anyang},
		Stages: []catalog.GrowthStage{catalog.Stable}, Qualifications: []catalog.Qualification{catalog.Unicorn},
		MaxCompanyAgeYears: ptr(1), MaxEmployees: ptr(10), MaxRevenue: ptr(catalog.Yuan(1)),
		RequiresCompetitionEntry: true, RequiresCompetitionAward: true,
	}
	e := engineWith([]*catalog.Enterprise{ent}, []*catalog.FinancialProduct{p}, nil, nil)
	got := mustPairing(e, catalog.Financing, 1, 7)
	if len(got.Blockers) != 11 || got.Eligible {
		t.Errorf("want 11 blockers, got %d: %q", len(got.Blockers), got.Blockers)
	}
}

func TestIncubatorEligibility(t *testing.T) {
	in := incubator(3)
	in.Vacancies = 0
	e := engineWith([]*catalog.Enterprise{enterprise(1)}, nil, []*catalog.Incubator{in}, nil)
	got := mustPairing(e, catalog.Incubation, 1, 3)
	if got.Eligible || len(got.Blockers) != 1 || !strings.Contains(got.Blockers[0], "空位 0") {
		t.Errorf("no vacancies: eligible=%v blockers %q", got.Eligible, got.Blockers)
	}
}

func TestDemandKeywords(t *testing.T) {
	tests := []struct {
		name        string
		description string
		keywords    []string
		demand      []string
		eligible    bool
	}{
		{"a Chinese keyword inside compound text without spaces", "专注于SiC功率器件研发", nil, []string{"功率器件"}, true},
		{"a Latin keyword matches case-insensitively", "专注于SiC功率器件研发", nil, []string{"sic"}, true},
		{"a keyword found among the enterprise's keywords", "", []string{"碳化硅衬底"}, []string{"碳化硅"}, true},
		{"a one-character keyword", "专注于SiC功率器件研发", nil, []string{"硅", "钢"}, false},
		{"no keyword found", "专注于SiC功率器件研发", []string{"芯片"}, []string{"生物制药", "疫苗"}, false},
		{"a keyword split across two of the enterprise's keywords does not count", "", []string{"功率", "器件"}, []string{"功率器件"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ent := enterprise(1)
			ent.Description, ent.Keywords = tt.description, tt.keywords
			e := engineWith([]*catalog.Enterprise{ent}, nil, nil, []*catalog.SupplyChainDemand{demand(4, tt.demand...)})
			got := mustPairing(e, catalog.IndustryChain, 1, 4)
			if got.Eligible != tt.eligible {
				t.Errorf("eligible=%v, want %v; blockers %q", got.Eligible, tt.eligible, got.Blockers)
			}
			if !tt.eligible && (len(got.Blockers) != 1 || !strings.Contains(got.Blockers[0], tt.demand[0])) {
				t.Errorf("blockers %q should name the demand's keywords", got.Blockers)
			}
			// The precomputed lists agree with the on-demand pairing.
			ms := e.Matches(1, ptr(catalog.IndustryChain), 10, true)
			if (len(ms) == 1) != tt.eligible {
				t.Errorf("Matches = %d eligible pairings, want eligible=%v", len(ms), tt.eligible)
			}
		})
	}
}
