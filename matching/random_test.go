package matching

import (
	"math/rand/v2"
	"time"

	"github.com/yurong/yurong/catalog"
)

// A small random marketplace for the property tests: few distinct values,
// so ties, shared tracks and keyword hits are common.

var (
	testWords  = []string{"金刚石", "超硬材料", "功率器件", "SiC", "芯片", "疫苗", "锂电池", "传感器", "尼龙", "碳化硅", "工业软件", "AI"}
	testChains = []string{"超硬材料", "尼龙新材料", "智能传感器", "新能源汽车"}
)

func pickOf[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

func someOf[T any](rng *rand.Rand, xs []T, max int) []T {
	var out []T
	for range rng.IntN(max + 1) {
		out = append(out, pickOf(rng, xs))
	}
	return out
}

var allTracks = append(append([]catalog.Track{}, catalog.Tracks...), catalog.OtherTrack)

func randomEnterprise(rng *rand.Rand, id int64) *catalog.Enterprise {
	e := &catalog.Enterprise{
		ID: id, Name: "随机企业", City: pickOf(rng, catalog.Cities[:4]),
		FoundedOn: date(2015+rng.IntN(11), time.Month(1+rng.IntN(12)), 1+rng.IntN(28)),
		Employees: rng.IntN(400), Track: pickOf(rng, allTracks),
		Description:    "主营" + pickOf(rng, testWords) + "和" + pickOf(rng, testWords) + "的研发",
		Keywords:       someOf(rng, testWords, 2),
		Qualifications: someOf(rng, []catalog.Qualification{catalog.HighTech, catalog.TechSME, catalog.Specialized}, 2),
		CreditStatus:   catalog.CreditGood,
		HasWarrantLoan: rng.IntN(4) == 0,
	}
	if rng.IntN(10) == 0 {
		e.CreditStatus = catalog.CreditDishonest
	}
	if rng.IntN(2) == 0 {
		e.IndustryChain = ptr(pickOf(rng, testChains))
	}
	for y := 2026 - 1 - rng.IntN(3); y <= 2025; y++ {
		rev := catalog.Yuan(int64(rng.IntN(4)) * int64(pickOf(rng, []int{1_000_000, 10_000_000, 60_000_000})))
		e.Reports = append(e.Reports, catalog.AnnualReport{
			Year: y, Revenue: rev, RDExpense: catalog.Yuan(int64(rng.IntN(5)) * 200_000),
			TechStaff: rng.IntN(50), Postgraduates: rng.IntN(20), InventionPatentApplications: rng.IntN(4),
			PCTApplications: rng.IntN(2), ReturnOnEquityPercent: float64(rng.IntN(30) - 5),
			GraduatesHired: rng.IntN(10), ScienceAwards: rng.IntN(2),
		})
	}
	if rng.IntN(3) == 0 {
		e.Reports = nil
	}
	for range rng.IntN(3) {
		e.Subsidies = append(e.Subsidies, catalog.Subsidy{Program: "补助", Amount: catalog.Yuan(int64(1+rng.IntN(5)) * 50_000), Year: 2023 + rng.IntN(4)})
	}
	if rng.IntN(2) == 0 {
		e.FinancingNeed = &catalog.FinancingNeed{Kind: pickOf(rng, []catalog.ProductKind{catalog.Loan, catalog.Equity, catalog.Insurance}),
			Amount: catalog.Yuan(int64(1+rng.IntN(10)) * 500_000)}
	}
	for range rng.IntN(2) {
		e.CompetitionEntries = append(e.CompetitionEntries, catalog.CompetitionEntry{
			Year: 2023 + rng.IntN(4), Award: pickOf(rng, []catalog.Award{catalog.NoAward, catalog.NoAward, catalog.Third, catalog.First})})
	}
	return e
}

func randomProduct(rng *rand.Rand, id int64) *catalog.FinancialProduct {
	p := &catalog.FinancialProduct{
		ID: id, Name: "随机产品", Kind: pickOf(rng, []catalog.ProductKind{catalog.Loan, catalog.Equity, catalog.Insurance}),
		Program: pickOf(rng, catalog.Programs), MaxAmount: catalog.Yuan(int64(1+rng.IntN(10)) * 1_000_000),
		ProviderID: randomBanks[id%int64(len(randomBanks))], // not drawn, so the other draws stay as they were
	}
	if rng.IntN(3) == 0 {
		p.MinAmount = ptr(catalog.Yuan(500_000))
	}
	if p.Kind == catalog.Insurance {
		p.Coverages = someOf(rng, []catalog.Coverage{catalog.CoverRD, catalog.CoverPilotScale, catalog.CoverOperation, catalog.CoverProofOfConcept}, 3)
	}
	el := &p.Eligibility
	el.Tracks = someOf(rng, catalog.Tracks, 2)
	el.Cities = someOf(rng, catalog.Cities[:4], 2)
	el.Stages = someOf(rng, catalog.Stages, 2)
	if rng.IntN(4) == 0 {
		el.Qualifications = someOf(rng, []catalog.Qualification{catalog.HighTech, catalog.Specialized}, 2)
	}
	if rng.IntN(3) == 0 {
		el.MinInnovationScore = ptr(rng.IntN(600))
	}
	if rng.IntN(4) == 0 {
		el.MaxCompanyAgeYears = ptr(3 + rng.IntN(8))
	}
	if rng.IntN(4) == 0 {
		el.MaxEmployees = ptr(100 + rng.IntN(300))
	}
	el.RequiresCompetitionAward = rng.IntN(8) == 0
	return p
}

// randomBanks are the providers of the random products.
var randomBanks = []int64{100, 101, 102, 103}

// randomTopBanks draws a set of top banks for SetTopBanks, now and then
// with a bank that provides no product.
func randomTopBanks(rng *rand.Rand) map[int64]bool {
	top := map[int64]bool{}
	for id := int64(100); id <= 104; id++ {
		if rng.IntN(3) == 0 {
			top[id] = true
		}
	}
	return top
}

// randomLinks draws links among the random providers (as funds and banks),
// incubators 1–4 and enterprises 1–ents.
func randomLinks(rng *rand.Rand, ents int) Links {
	l := Links{IncubationPartners: map[int64][]int64{}, LoanPartners: map[int64][]int64{},
		Residents: map[int64]int64{}, Borrowers: map[int64][]int64{}, Interest: map[int64][]int64{}}
	for _, fund := range randomBanks {
		if rng.IntN(2) == 0 {
			l.IncubationPartners[fund] = []int64{int64(1 + rng.IntN(4))}
		}
		if rng.IntN(2) == 0 {
			l.LoanPartners[fund] = []int64{randomBanks[rng.IntN(len(randomBanks))]}
		}
	}
	for id := int64(1); id <= int64(ents); id++ {
		switch rng.IntN(4) {
		case 0:
			l.Residents[id] = int64(1 + rng.IntN(4))
		case 1:
			l.Borrowers[id] = []int64{randomBanks[rng.IntN(len(randomBanks))]}
		case 2:
			l.Interest[id] = []int64{randomBanks[rng.IntN(len(randomBanks))]}
		}
	}
	return l
}

func randomIncubator(rng *rand.Rand, id int64) *catalog.Incubator {
	in := &catalog.Incubator{
		ID: id, Name: "随机孵化器", Kind: pickOf(rng, []catalog.IncubatorKind{catalog.Makerspace, catalog.Accelerator, catalog.SmartIsland}),
		Level: pickOf(rng, []catalog.CarrierLevel{catalog.NationalLevel, catalog.MunicipalLevel}),
		City:  pickOf(rng, catalog.Cities[:4]), FocusTracks: someOf(rng, catalog.Tracks, 2), Vacancies: rng.IntN(25) - 3,
	}
	in.Vacancies = max(in.Vacancies, 0)
	if rng.IntN(2) == 0 {
		in.ServicePackage = &catalog.ServicePackage{FreeWorkstations: rng.IntN(5), Mentorship: rng.IntN(2) == 0}
	}
	return in
}

func randomDemand(rng *rand.Rand, id int64) *catalog.SupplyChainDemand {
	return &catalog.SupplyChainDemand{
		ID: id, Title: "随机需求", Kind: catalog.JointRD, IndustryChain: pickOf(rng, testChains),
		Track: pickOf(rng, catalog.Tracks), City: pickOf(rng, catalog.Cities[:4]), OwnerName: "链主",
		Keywords: someOf(rng, testWords, 3),
	}
}

func randomDataset(rng *rand.Rand, ents, prods, incs, dems int) *catalog.Dataset {
	d := &catalog.Dataset{}
	for i := range ents {
		d.Enterprises = append(d.Enterprises, randomEnterprise(rng, int64(i+1)))
	}
	for i := range prods {
		d.Products = append(d.Products, randomProduct(rng, int64(i+1)))
	}
	for i := range incs {
		d.Incubators = append(d.Incubators, randomIncubator(rng, int64(i+1)))
	}
	for i := range dems {
		d.Demands = append(d.Demands, randomDemand(rng, int64(i+1)))
	}
	return d
}
