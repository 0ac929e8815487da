package matching

import (
	"strings"
	"testing"

	"github.com/yurong/yurong/catalog"
)

func TestPlan(t *testing.T) {
	ent := enterprise(1)
	ent.Name = "郑州金刚石科技有限公司"
	ent.Subsidies = []catalog.Subsidy{{Program: "研发补助", Amount: catalog.Yuan(300_000), Year: 2025}}

	named := func(p *catalog.FinancialProduct, name string) *catalog.FinancialProduct {
		p.Name = name
		return p
	}
	techLoan := named(product(1, catalog.Loan), "科技贷甲")
	techLoan.MaxAmount = catalog.Yuan(2_000_000)
	techLoan.Eligibility.Tracks = []catalog.Track{catalog.NewMaterials} // ranks above the subsidy loan
	subsidyLoan := named(product(2, catalog.Loan), "积分奖补贷乙")
	subsidyLoan.Program = catalog.SubsidyLoan
	closedLoan := named(product(3, catalog.Loan), "创赛贷丙")
	closedLoan.Program = catalog.ContestLoan // no entry: ineligible
	closedLoan.Eligibility.Tracks = []catalog.Track{catalog.NewMaterials}
	closedLoan.Eligibility.Stages = []catalog.GrowthStage{catalog.Growth}
	fund := named(product(4, catalog.Equity), "科创基金丁")
	fund.MaxAmount = catalog.Yuan(10_000_000)
	insurance := named(product(5, catalog.Insurance), "豫科保戊")
	insurance.Coverages = []catalog.Coverage{catalog.CoverPilotScale}
	full := incubator(6)
	full.Name, full.Vacancies = "满员孵化器", 0
	full.FocusTracks = []catalog.Track{catalog.NewMaterials}
	open := incubator(7)
	open.Name = "龙子湖智慧岛"
	dm := demand(8, "金刚石")
	dm.Title, dm.OwnerName = "金刚石线锯联合研发", "黄河旋风"
	other := demand(9, "疫苗")

	e := engineWith([]*catalog.Enterprise{ent}, []*catalog.FinancialProduct{techLoan, subsidyLoan, closedLoan, fund, insurance},
		[]*catalog.Incubator{full, open}, []*catalog.SupplyChainDemand{dm, other})

	t.Run("one item per product kind, then incubator and demand", func(t *testing.T) {
		plan, ok := e.Plan(1)
		if !ok {
			t.Fatal("no plan")
		}
		var got []string
		for _, it := range plan.Items {
			got = append(got, string(it.Kind)+":"+string(rune('0'+it.ResourceID)))
			if !it.Eligible {
				t.Errorf("ineligible item %+v", it)
			}
		}
		want := "FINANCING:1 FINANCING:4 FINANCING:5 INCUBATION:7 INDUSTRY_CHAIN:8"
		if strings.Join(got, " ") != want {
			t.Errorf("items %v, want %s", got, want)
		}
		if plan.TotalCreditLine != catalog.Yuan(2_000_000) {
			t.Errorf("total credit line %s, want the loan item's 2000000", plan.TotalCreditLine)
		}
		for _, w := range []string{"郑州金刚石科技有限公司", "成长期", "豫科积分", "科技贷甲", "科创基金丁", "豫科保戊", "龙子湖智慧岛", "金刚石线锯联合研发", "200万元"} {
			if !strings.Contains(plan.Summary, w) {
				t.Errorf("summary lacks %q: %s", w, plan.Summary)
			}
		}
	})

	t.Run("no eligible product of a kind leaves it out", func(t *testing.T) {
		ent2 := cloneEnterprise(ent)
		ent2.Track = catalog.Biomedicine
		ent2.Description, ent2.Keywords = "", nil
		e.UpsertEnterprise(ent2)
		defer e.UpsertEnterprise(ent)
		plan, _ := e.Plan(1)
		if len(plan.Items) != 4 { // loan (the subsidy loan now), equity, insurance, incubator
			t.Fatalf("got %d items: %+v", len(plan.Items), plan.Items)
		}
		if plan.Items[0].ResourceID != 2 || plan.TotalCreditLine != catalog.Yuan(1_500_000) {
			t.Errorf("loan item %d, credit line %s; want the subsidy loan at 5 × 300000", plan.Items[0].ResourceID, plan.TotalCreditLine)
		}
	})

	t.Run("a dishonest enterprise gets an empty plan saying why", func(t *testing.T) {
		bad := cloneEnterprise(ent)
		bad.CreditStatus = catalog.CreditDishonest
		e.UpsertEnterprise(bad)
		defer e.UpsertEnterprise(ent)
		plan, _ := e.Plan(1)
		if len(plan.Items) != 0 || plan.TotalCreditLine != 0 || !strings.Contains(plan.Summary, "失信") {
			t.Errorf("plan %+v", plan)
		}
	})
}

func TestPlanSumsEveryLoanItem(t *testing.T) {
	// Only one LOAN item is chosen, so the credit line is that item's amount;
	// with no eligible loan it is zero.
	ent := enterprise(1)
	loan := product(1, catalog.Loan)
	loan.Eligibility.MaxEmployees = ptr(10)
	e := engineWith([]*catalog.Enterprise{ent}, []*catalog.FinancialProduct{loan, product(2, catalog.Equity)}, nil, nil)
	plan, _ := e.Plan(1)
	if plan.TotalCreditLine != 0 || len(plan.Items) != 1 || plan.Items[0].ResourceID != 2 {
		t.Errorf("plan %+v", plan)
	}
}

// TestPlanAdviceAgreesWithTheNeed: the plan puts the stated need first,
// suggests no amount the rules leave null, and says plainly when nothing
// meets the need.
func TestPlanAdviceAgreesWithTheNeed(t *testing.T) {
	named := func(p *catalog.FinancialProduct, name string, max int64) *catalog.FinancialProduct {
		p.Name, p.MaxAmount = name, catalog.Yuan(max)
		return p
	}
	bigLoan := func() *catalog.FinancialProduct { return named(product(1, catalog.Loan), "科技贷甲", 10_000_000) }
	fund := func() *catalog.FinancialProduct {
		return named(product(2, catalog.Equity), "天使基金乙", 13_000_000)
	}
	insurance := func() *catalog.FinancialProduct {
		return named(product(3, catalog.Insurance), "豫科保丙", 2_000_000)
	}
	need := func(kind catalog.ProductKind, n int64, purpose string) *catalog.FinancingNeed {
		return &catalog.FinancingNeed{Kind: kind, Amount: catalog.Yuan(n), Purpose: purpose}
	}
	kinds := func(plan FinancingPlan, e *Engine) string {
		var out []string
		for _, it := range plan.Items {
			k := string(it.Kind)
			if it.Kind == catalog.Financing {
				k = string(e.prods[e.resIdx[kFinancing][it.ResourceID]].kind)
			}
			out = append(out, k)
		}
		return strings.Join(out, " ")
	}
	tests := []struct {
		name        string
		enterprise  func(*catalog.Enterprise)
		products    []*catalog.FinancialProduct
		kinds       string
		amounts     []*catalog.Amount // of the FINANCING items, in order
		creditLine  catalog.Amount
		opens       string
		says, never []string
	}{
		{"no report and an equity need: no loan is suggested, the equity need comes first",
			func(e *catalog.Enterprise) {
				e.Reports = nil
				e.FinancingNeed = need(catalog.Equity, 5_000_000, "建设中试线")
			},
			[]*catalog.FinancialProduct{bigLoan(), fund(), insurance()},
			"EQUITY INSURANCE", []*catalog.Amount{yuan(5_000_000), nil}, 0,
			"融资需求：股权融资 500万元，用于建设中试线。",
			[]string{"天使基金乙", "建议融资 500万元"}, []string{"1000万元", "1300万元", "科技贷甲", "授信合计"}},
		{"a loan need is not told to raise the fund's maximum",
			func(e *catalog.Enterprise) { e.FinancingNeed = need(catalog.Loan, 1_000_000, "采购设备") },
			[]*catalog.FinancialProduct{bigLoan(), fund(), insurance()},
			"LOAN EQUITY INSURANCE", []*catalog.Amount{yuan(1_000_000), nil, nil}, catalog.Yuan(1_000_000),
			"融资需求：贷款 100万元，用于采购设备。",
			[]string{"科技贷甲", "建议额度 100万元", "天使基金乙", "贷款授信合计 100万元"}, []string{"1300万元", "1000万元"}},
		{"an insurance need puts insurance first",
			func(e *catalog.Enterprise) { e.FinancingNeed = need(catalog.Insurance, 500_000, "") },
			[]*catalog.FinancialProduct{bigLoan(), fund(), insurance()},
			"INSURANCE LOAN EQUITY", []*catalog.Amount{yuan(500_000), yuan(5_000_000), nil}, catalog.Yuan(5_000_000),
			"融资需求：保险 50万元。",
			[]string{"豫科保丙", "建议保额 50万元"}, []string{"1300万元", "200万元"}},
		{"no product of the needed kind: said plainly",
			func(e *catalog.Enterprise) { e.FinancingNeed = need(catalog.Equity, 5_000_000, "研发") },
			[]*catalog.FinancialProduct{bigLoan(), insurance()},
			"LOAN INSURANCE", []*catalog.Amount{yuan(5_000_000), nil}, catalog.Yuan(5_000_000),
			"融资需求：股权融资 500万元，用于研发。",
			[]string{"暂无符合条件的股权投资产品"}, nil},
		{"a product covering part of the need says so",
			func(e *catalog.Enterprise) { e.FinancingNeed = need(catalog.Loan, 8_000_000, "扩产") },
			[]*catalog.FinancialProduct{bigLoan()},
			"LOAN", []*catalog.Amount{yuan(5_000_000)}, catalog.Yuan(5_000_000),
			"融资需求：贷款 800万元，用于扩产。",
			[]string{"建议额度 500万元", "尚有缺口 300万元"}, nil},
		{"an eligible loan without an amount is left out, a smaller one with an amount is kept",
			func(e *catalog.Enterprise) {
				e.Reports = nil
				e.Subsidies = []catalog.Subsidy{{Program: "研发补助", Amount: catalog.Yuan(100_000), Year: 2026}}
			},
			[]*catalog.FinancialProduct{bigLoan(), func() *catalog.FinancialProduct {
				p := named(product(4, catalog.Loan), "积分奖补贷丁", 3_000_000)
				p.Program = catalog.SubsidyLoan
				return p
			}()},
			"LOAN", []*catalog.Amount{yuan(500_000)}, catalog.Yuan(500_000),
			"", []string{"积分奖补贷丁", "建议额度 50万元"}, []string{"科技贷甲", "融资需求"}},
		{"no eligible loan with an amount: no loan item, no credit line",
			func(e *catalog.Enterprise) { e.Reports = nil },
			[]*catalog.FinancialProduct{bigLoan()},
			"", nil, 0,
			"", []string{"暂无"}, []string{"科技贷甲", "授信合计"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ent := enterprise(1)
			ent.Name = "郑州测试科技有限公司"
			ent.Keywords, ent.Description = nil, ""
			tt.enterprise(ent)
			e := engineWith([]*catalog.Enterprise{ent}, tt.products, nil, nil)
			plan, ok := e.Plan(1)
			if !ok {
				t.Fatal("no plan")
			}
			if got := kinds(plan, e); got != tt.kinds {
				t.Errorf("items %q, want %q", got, tt.kinds)
			}
			for i, it := range plan.Items {
				if !it.Eligible {
					t.Errorf("ineligible item %+v", it)
				}
				if i < len(tt.amounts) && amountText(it.SuggestedAmount) != amountText(tt.amounts[i]) {
					t.Errorf("item %d suggests %s, want %s", i, amountText(it.SuggestedAmount), amountText(tt.amounts[i]))
				}
			}
			if plan.TotalCreditLine != tt.creditLine {
				t.Errorf("credit line %s, want %s", plan.TotalCreditLine, tt.creditLine)
			}
			if !strings.HasPrefix(plan.Summary, tt.opens) {
				t.Errorf("summary does not open with %q: %s", tt.opens, plan.Summary)
			}
			for _, w := range tt.says {
				if !strings.Contains(plan.Summary, w) {
					t.Errorf("summary lacks %q: %s", w, plan.Summary)
				}
			}
			for _, w := range tt.never {
				if strings.Contains(plan.Summary, w) {
					t.Errorf("summary says %q: %s", w, plan.Summary)
				}
			}
		})
	}
}
