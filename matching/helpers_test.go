package matching

import (
	"time"

	"github.com/yurong/yurong/catalog"
)

// today is the fixed clock of the tests: this year is 2026, last year 2025.
var today = time.Date(2026, 6, 15, 9, 30, 0, 0, time.UTC)

func testConfig() Config {
	cfg := DefaultConfig()
	cfg.Today = func() time.Time { return today }
	return cfg
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func ptr[T any](v T) *T { return &v }

// enterprise returns a plain, honest enterprise: a growth-stage new-materials
// firm in Zhengzhou with two years of reports. Tests change what they need.
func enterprise(id int64) *catalog.Enterprise {
	return &catalog.Enterprise{
		ID:           id,
		Name:         "测试企业",
		CreditCode:   "91410100MA44XXXX0A",
		City:         catalog.Zhengzhou,
		FoundedOn:    date(2018, 3, 1),
		Employees:    120,
		Track:        catalog.NewMaterials,
		Description:  "专注于超硬材料研发",
		Keywords:     []string{"金刚石", "超硬材料"},
		CreditStatus: catalog.CreditGood,
		Reports: []catalog.AnnualReport{
			{Year: 2024, Revenue: catalog.Yuan(8_000_000), RDExpense: catalog.Yuan(600_000), TechStaff: 30},
			{Year: 2025, Revenue: catalog.Yuan(10_000_000), RDExpense: catalog.Yuan(800_000), TechStaff: 35,
				InventionPatentApplications: 2, Postgraduates: 10},
		},
	}
}

func product(id int64, kind catalog.ProductKind) *catalog.FinancialProduct {
	return &catalog.FinancialProduct{
		ID: id, Name: "测试产品", Kind: kind, Program: catalog.TechLoan, ProviderID: 1,
		MaxAmount: catalog.Yuan(5_000_000),
	}
}

func incubator(id int64) *catalog.Incubator {
	return &catalog.Incubator{
		ID: id, Name: "测试孵化器", Kind: catalog.IncubatorCarrier, Level: catalog.ProvincialLevel,
		City: catalog.Zhengzhou, Vacancies: 10,
	}
}

func demand(id int64, keywords ...string) *catalog.SupplyChainDemand {
	return &catalog.SupplyChainDemand{
		ID: id, Title: "测试需求", Kind: catalog.JointRD, IndustryChain: "超硬材料",
		Track: catalog.NewMaterials, City: catalog.Zhengzhou, OwnerName: "链主集团", Keywords: keywords,
	}
}

// engineWith builds an engine over the given entities.
func engineWith(ents []*catalog.Enterprise, prods []*catalog.FinancialProduct, incs []*catalog.Incubator, dems []*catalog.SupplyChainDemand) *Engine {
	e := New(testConfig())
	e.Rebuild(&catalog.Dataset{Enterprises: ents, Products: prods, Incubators: incs, Demands: dems})
	return e
}

// pairingOf computes one pairing and fails loudly when it cannot.
func mustPairing(e *Engine, kind catalog.PairingKind, ent, res int64) Pairing {
	p, ok := e.Pairing(kind, ent, res)
	if !ok {
		panic("no pairing")
	}
	return p
}

func sumContributions(p Pairing) float64 {
	s := 0.0
	for _, r := range p.Reasons {
		s += r.Contribution
	}
	return min(max(s, 0), 100)
}
