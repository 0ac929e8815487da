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
