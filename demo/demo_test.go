package demo

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/yurong/yurong/catalog"
)

var today = time.Date(2026, 3, 15, 10, 30, 0, 0, time.FixedZone("CST", 8*3600))

func TestGenerateIsDeterministic(t *testing.T) {
	a := Generate(42, 500, today)
	b := Generate(42, 500, today)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed, size and day gave different datasets")
	}
	c := Generate(43, 500, today)
	if reflect.DeepEqual(a.Enterprises, c.Enterprises) || reflect.DeepEqual(a.Products, c.Products) ||
		reflect.DeepEqual(a.Incubators, c.Incubators) || reflect.DeepEqual(a.Demands, c.Demands) {
		t.Fatal("different seeds gave the same entities")
	}
}

func TestSizesFor(t *testing.T) {
	tests := []struct {
		n    int
		want Sizes
	}{
		{0, Sizes{0, 5, 12, 3, 3}},
		{10, Sizes{10, 5, 12, 3, 3}},
		{2000, Sizes{2000, 40, 120, 60, 250}},
		{60000, Sizes{60000, 150, 600, 500, 5000}},
	}
	for _, tt := range tests {
		if got := SizesFor(tt.n); got != tt.want {
			t.Errorf("SizesFor(%d) = %+v, want %+v", tt.n, got, tt.want)
		}
	}
	prev := SizesFor(1)
	for n := 2; n <= 100_000; n = n*3/2 + 1 {
		s := SizesFor(n)
		if s.Institutions < prev.Institutions || s.Products < prev.Products || s.Incubators < prev.Incubators || s.Demands < prev.Demands {
			t.Fatalf("SizesFor(%d) = %+v shrinks from %+v", n, s, prev)
		}
		if s.Products < len(catalog.Programs) {
			t.Fatalf("SizesFor(%d) has %d products, fewer than the %d programmes", n, s.Products, len(catalog.Programs))
		}
		prev = s
	}
}

func TestCountsMatchSizes(t *testing.T) {
	for _, s := range []Sizes{
		{Enterprises: 0},
		{Enterprises: 7, Institutions: 5, Products: 3, Incubators: 1, Demands: 2},
		{Enterprises: 300, Institutions: 60, Products: 80, Incubators: 70, Demands: 90},
		{Enterprises: 1000, Institutions: 400, Products: 900, Incubators: 600, Demands: 100},
	} {
		d := GenerateSizes(7, s, today)
		got := Sizes{len(d.Enterprises), len(d.Institutions), len(d.Products), len(d.Incubators), len(d.Demands)}
		if got != s.normalized() {
			t.Errorf("GenerateSizes(%+v) made %+v", s, got)
		}
	}
	d := GenerateSizes(7, Sizes{Products: 4, Institutions: 1}, today)
	if len(d.Institutions) != minInstitutions {
		t.Errorf("with products, institutions should be raised to %d, got %d", minInstitutions, len(d.Institutions))
	}
	d = Generate(7, 2000, today)
	got := Sizes{len(d.Enterprises), len(d.Institutions), len(d.Products), len(d.Incubators), len(d.Demands)}
	if got != SizesFor(2000) {
		t.Errorf("Generate(2000) made %+v, want %+v", got, SizesFor(2000))
	}
}

func TestEveryEntityPassesValidation(t *testing.T) {
	newYear := time.Date(2027, 1, 1, 0, 5, 0, 0, time.FixedZone("CST", 8*3600))
	for _, c := range []struct {
		n     int
		today time.Time
	}{{0, today}, {10, today}, {2000, today}, {3000, newYear}} {
		n, today := c.n, c.today
		d := Generate(1, n, today)
		for i, e := range d.Enterprises {
			if p := catalog.ValidateEnterprise(e, today); len(p) > 0 {
				t.Errorf("n=%d enterprise %d %s: %v", n, i, e.Name, p)
			}
		}
		for i, in := range d.Institutions {
			if p := catalog.ValidateInstitution(in); len(p) > 0 {
				t.Errorf("n=%d institution %d %s: %v", n, i, in.Name, p)
			}
		}
		for i, fp := range d.Products {
			if p := catalog.ValidateFinancialProduct(fp); len(p) > 0 {
				t.Errorf("n=%d product %d %s: %v", n, i, fp.Name, p)
			}
		}
		for i, in := range d.Incubators {
			if p := catalog.ValidateIncubator(in); len(p) > 0 {
				t.Errorf("n=%d incubator %d %s: %v", n, i, in.Name, p)
			}
		}
		for i, dm := range d.Demands {
			if p := catalog.ValidateDemand(dm, today); len(p) > 0 {
				t.Errorf("n=%d demand %d %s: %v", n, i, dm.Title, p)
			}
		}
	}
}

func TestCreditCodesAndNamesAreValidAndUnique(t *testing.T) {
	d := Generate(3, 20000, today)
	codes := map[string]bool{}
	for _, e := range d.Enterprises {
		if !catalog.ValidCreditCode(e.CreditCode) {
			t.Errorf("%s: invalid credit code %q", e.Name, e.CreditCode)
		}
		if code, ok := adminCodes[e.City]; ok && e.CreditCode[2:8] != code {
			t.Errorf("%s in %s has credit code %s, want division %s", e.Name, e.City, e.CreditCode, code)
		}
		if codes[e.CreditCode] {
			t.Errorf("duplicate credit code %s", e.CreditCode)
		}
		codes[e.CreditCode] = true
	}
	checkUnique := func(what string, names []string) {
		t.Helper()
		seen := map[string]bool{}
		for _, n := range names {
			if seen[n] {
				t.Errorf("duplicate %s name %q", what, n)
			}
			seen[n] = true
			if !hasHan(n) {
				t.Errorf("%s name %q is not Chinese", what, n)
			}
		}
	}
	checkUnique("enterprise", mapSlice(d.Enterprises, func(e *catalog.Enterprise) string { return e.Name }))
	checkUnique("institution", mapSlice(d.Institutions, func(e *catalog.Institution) string { return e.Name }))
	checkUnique("product", mapSlice(d.Products, func(e *catalog.FinancialProduct) string { return e.Name }))
	checkUnique("incubator", mapSlice(d.Incubators, func(e *catalog.Incubator) string { return e.Name }))
	for _, e := range d.Enterprises[:50] {
		if !strings.HasSuffix(e.Name, "有限公司") {
			t.Errorf("enterprise name %q is not a company name", e.Name)
		}
	}
}

func TestEnterprisesArePlausible(t *testing.T) {
	d := Generate(5, 5000, today)
	last := today.Year() - 1
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	for _, e := range d.Enterprises {
		if e.FoundedOn.After(day) || e.FoundedOn.Before(day.AddDate(-26, 0, 0)) || e.FoundedOn != e.FoundedOn.Truncate(24*time.Hour) {
			t.Errorf("%s: founded on %v", e.Name, e.FoundedOn)
		}
		if n := len(e.Keywords); n < 2 || n > 6 {
			t.Errorf("%s: %d keywords", e.Name, n)
		}
		if !hasHan(e.Description) {
			t.Errorf("%s: description %q", e.Name, e.Description)
		}
		if c := e.IndustryChain; c != nil && chainTracks[*c] != e.Track {
			t.Errorf("%s: industry chain %q is not on track %s", e.Name, *c, e.Track)
		}
		for i, r := range e.Reports {
			if want := last - (len(e.Reports) - 1 - i); r.Year != want {
				t.Errorf("%s: report %d is for %d, want %d (consecutive, ending last year)", e.Name, i, r.Year, want)
			}
			if r.Year < e.FoundedOn.Year() {
				t.Errorf("%s: report for %d before founding in %d", e.Name, r.Year, e.FoundedOn.Year())
			}
			if r.TechStaff > e.Employees || r.Postgraduates > r.TechStaff || r.HighTechProductRevenue > r.Revenue {
				t.Errorf("%s: inconsistent report %+v (employees %d)", e.Name, r, e.Employees)
			}
			if r.Revenue > 0 {
				if ratio := r.RDExpense.Float() / r.Revenue.Float(); ratio < 0.0099 || ratio > 0.2501 {
					t.Errorf("%s: R&D intensity %.3f in %d", e.Name, ratio, r.Year)
				}
			} else if r.RDExpense <= 0 {
				t.Errorf("%s: a pre-revenue start-up without R&D spending", e.Name)
			}
		}
		for _, s := range e.Subsidies {
			if s.Year > today.Year() || s.Year < e.FoundedOn.Year() || s.Amount < catalog.Yuan(100_000) || s.Amount > catalog.Yuan(2_000_000) {
				t.Errorf("%s: subsidy %+v", e.Name, s)
			}
		}
		if n := e.FinancingNeed; n != nil && (n.Amount <= 0 || !hasHan(n.Purpose)) {
			t.Errorf("%s: financing need %+v", e.Name, n)
		}
		for i, c := range e.CompetitionEntries {
			if i > 0 && c.Year <= e.CompetitionEntries[i-1].Year {
				t.Errorf("%s: entries not in year order: %+v", e.Name, e.CompetitionEntries)
			}
			if c.Award != catalog.NoAward && c.StageReached != catalog.ProvincialFinal && c.StageReached != catalog.National {
				t.Errorf("%s: award %s at stage %s", e.Name, c.Award, c.StageReached)
			}
			if c.Track != e.Track || c.Year > today.Year() {
				t.Errorf("%s (%s): entry %+v", e.Name, e.Track, c)
			}
		}
	}
}

func TestDistributions(t *testing.T) {
	d := Generate(11, 20000, today)
	n := float64(len(d.Enterprises))
	var highTech, dishonest, subsidised, needs, entrants, warrants, noReport int
	stages := map[catalog.GrowthStage]int{}
	cities := map[catalog.City]int{}
	tracks := map[catalog.Track]int{}
	var mid int
	for _, e := range d.Enterprises {
		cities[e.City]++
		tracks[e.Track]++
		if e.HasQualification(catalog.HighTech) {
			highTech++
		}
		if e.CreditStatus == catalog.CreditDishonest {
			dishonest++
		}
		if len(e.Subsidies) > 0 {
			subsidised++
		}
		if e.FinancingNeed != nil {
			needs++
		}
		if len(e.CompetitionEntries) > 0 {
			entrants++
		}
		if e.HasWarrantLoan {
			warrants++
		}
		if e.Employees >= 10 && e.Employees <= 300 {
			mid++
		}
		r := e.LatestReport()
		switch {
		case r == nil:
			noReport++
		case r.Revenue < catalog.Yuan(5_000_000):
			stages[catalog.Startup]++
		case r.Revenue < catalog.Yuan(100_000_000):
			stages[catalog.Growth]++
		default:
			stages[catalog.Stable]++
		}
	}
	share := func(name string, count int, lo, hi float64) {
		t.Helper()
		if s := float64(count) / n; s < lo || s > hi {
			t.Errorf("%s: share %.3f, want %.3f–%.3f", name, s, lo, hi)
		}
	}
	share("high-tech", highTech, 0.3, 0.5)
	share("dishonest", dishonest, 0.005, 0.02)
	share("subsidised", subsidised, 0.25, 0.35)
	share("financing need", needs, 0.55, 0.65)
	share("competition entrants", entrants, 0.1, 0.2)
	share("warrant loans", warrants, 0.02, 0.04)
	share("no report", noReport, 0.02, 0.15)
	share("10–300 employees", mid, 0.6, 1)
	for _, st := range catalog.Stages {
		share(string(st), stages[st], 0.03, 0.7)
	}
	for _, c := range catalog.Cities {
		if cities[c] == 0 || cities[c] > cities[catalog.Zhengzhou] {
			t.Errorf("%s has %d enterprises, Zhengzhou %d", c, cities[c], cities[catalog.Zhengzhou])
		}
	}
	share("OTHER city", cities[catalog.OtherCity], 0.005, 0.05)
	share("OTHER track", tracks[catalog.OtherTrack], 0.02, 0.1)
	for _, tr := range catalog.Tracks {
		share(string(tr), tracks[tr], 0.08, 0.35)
	}
}

func TestEveryRuleHasSomethingToActOn(t *testing.T) {
	for _, n := range []int{10, 50, 2000} {
		d := Generate(1, n, today)
		var dishonest, awarded, warrant bool
		for _, e := range d.Enterprises {
			dishonest = dishonest || e.CreditStatus == catalog.CreditDishonest
			warrant = warrant || e.HasWarrantLoan
			for _, c := range e.CompetitionEntries {
				awarded = awarded || (c.GreenChannel() && c.Year >= today.Year()-1)
			}
		}
		full := slices.ContainsFunc(d.Incubators, func(in *catalog.Incubator) bool { return in.Vacancies == 0 })
		if !dishonest || !awarded || !warrant || !full {
			t.Errorf("n=%d: dishonest %v, recent award %v, warrant loan %v, full incubator %v", n, dishonest, awarded, warrant, full)
		}
	}
}

func TestProducts(t *testing.T) {
	d := Generate(2, 2000, today)
	programs := map[catalog.Program]int{}
	for _, p := range d.Products {
		programs[p.Program]++
		if p.ProviderID < 1 || int(p.ProviderID) > len(d.Institutions) {
			t.Fatalf("%s: provider %d out of range 1–%d", p.Name, p.ProviderID, len(d.Institutions))
		}
		provider := d.Institutions[p.ProviderID-1]
		ok := map[catalog.ProductKind][]catalog.InstitutionKind{
			catalog.Loan:      {catalog.Bank, catalog.Guarantor},
			catalog.Equity:    {catalog.VentureCapital, catalog.GovernmentFund},
			catalog.Insurance: {catalog.Insurer},
		}[p.Kind]
		if !slices.Contains(ok, provider.Kind) {
			t.Errorf("%s (%s) is offered by %s, a %s", p.Name, p.Kind, provider.Name, provider.Kind)
		}
		if want := programSpecs[p.Program].kind; p.Program != catalog.OtherProgram && p.Kind != want {
			t.Errorf("%s: kind %s, want %s for %s", p.Name, p.Kind, want, p.Program)
		}
		if p.Program == catalog.WarrantLoan && provider.Kind != catalog.Bank {
			t.Errorf("%s: a warrant loan offered by a %s", p.Name, provider.Kind)
		}
		el := p.Eligibility
		switch p.Program {
		case catalog.ScoreLoan, catalog.ScoreInvestment, catalog.ScoreInsurance:
			if el.MinInnovationScore == nil || *el.MinInnovationScore < 300 || *el.MinInnovationScore > 700 {
				t.Errorf("%s: minimum innovation score %v", p.Name, el.MinInnovationScore)
			}
		case catalog.SubsidyLoan:
			if !el.RequiresSubsidy || el.SubsidyMultiple == nil || *el.SubsidyMultiple != 5 {
				t.Errorf("%s: subsidy rule %+v", p.Name, el)
			}
		case catalog.ContestLoan:
			if !el.RequiresCompetitionEntry {
				t.Errorf("%s: a contest loan open to non-entrants", p.Name)
			}
		case catalog.TechLoan:
			if p.MaxAmount > catalog.Yuan(10_000_000) || *p.TermMonths > 36 || *p.AnnualRatePercent < 3.2 || *p.AnnualRatePercent > 4.5 {
				t.Errorf("%s: %s, %d months, %.2f%%", p.Name, p.MaxAmount, *p.TermMonths, *p.AnnualRatePercent)
			}
		}
		if (p.Kind == catalog.Insurance) != (len(p.Coverages) > 0) {
			t.Errorf("%s (%s): coverages %v", p.Name, p.Kind, p.Coverages)
		}
		if p.Kind == catalog.Loan && (p.AnnualRatePercent == nil || p.TermMonths == nil || *p.TermMonths > 36) {
			t.Errorf("%s: loan without rate or term", p.Name)
		}
		if !hasHan(p.Description) {
			t.Errorf("%s: description %q", p.Name, p.Description)
		}
	}
	for _, prog := range catalog.Programs {
		if programs[prog] == 0 {
			t.Errorf("no product for %s", prog)
		}
	}
	for i, prog := range catalog.Programs { // the smallest dataset still covers every programme
		if p := GenerateSizes(1, Sizes{Products: len(catalog.Programs)}, today).Products[i]; p.Program != prog {
			t.Errorf("product %d is for %s, want %s", i, p.Program, prog)
		}
	}
}

func TestIncubatorsAndDemands(t *testing.T) {
	d := Generate(4, 2000, today)
	kinds := map[catalog.IncubatorKind]int{}
	for _, in := range d.Incubators {
		kinds[in.Kind]++
		if in.City == catalog.OtherCity || len(in.FocusTracks) > 3 || !hasHan(in.Description) {
			t.Errorf("incubator %+v", in)
		}
	}
	for _, k := range []catalog.IncubatorKind{catalog.SmartIsland, catalog.UniversitySciencePark, catalog.IncubatorCarrier, catalog.Makerspace, catalog.PilotBase} {
		if kinds[k] == 0 {
			t.Errorf("no incubator of kind %s among %d", k, len(d.Incubators))
		}
	}
	var budgets, deadlines int
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	for _, dm := range d.Demands {
		if n := len(dm.Keywords); n < 2 || n > 5 {
			t.Errorf("%s: %d keywords", dm.Title, n)
		}
		if !hasHan(dm.Title) || !hasHan(dm.Description) || chainTracks[dm.IndustryChain] != dm.Track || dm.OwnerName == "" {
			t.Errorf("demand %+v", dm)
		}
		if dm.Budget != nil {
			budgets++
		}
		if dm.Deadline != nil {
			deadlines++
			if !dm.Deadline.After(day) || dm.Deadline.After(day.AddDate(0, 7, 0)) {
				t.Errorf("%s: deadline %v", dm.Title, dm.Deadline)
			}
		}
	}
	if budgets == 0 || budgets == len(d.Demands) || deadlines == 0 || deadlines == len(d.Demands) {
		t.Errorf("%d of %d demands have budgets, %d deadlines: want some with and some without", budgets, len(d.Demands), deadlines)
	}
}

// The matching engine pairs a demand with an enterprise when a demand keyword
// occurs in the enterprise's keywords or description; the demo data must give
// most demands candidates without making every enterprise a candidate.
func TestDemandKeywordsOverlapEnterprises(t *testing.T) {
	d := Generate(9, 2000, today)
	withCandidates, pairs := 0, 0
	for _, dm := range d.Demands {
		n := 0
		for _, e := range d.Enterprises {
			if overlaps(dm.Keywords, e) {
				n++
			}
		}
		if n > 0 {
			withCandidates++
		}
		pairs += n
	}
	if s := float64(withCandidates) / float64(len(d.Demands)); s < 0.9 {
		t.Errorf("only %.2f of demands overlap some enterprise", s)
	}
	if s := float64(pairs) / float64(len(d.Demands)*len(d.Enterprises)); s < 0.005 || s > 0.2 {
		t.Errorf("%.4f of demand–enterprise pairs overlap, want 0.005–0.2", s)
	}
}

func overlaps(keywords []string, e *catalog.Enterprise) bool {
	for _, k := range keywords {
		if slices.Contains(e.Keywords, k) || strings.Contains(e.Description, k) {
			return true
		}
	}
	return false
}

func TestAssignIDs(t *testing.T) {
	d := Generate(1, 30, today)
	AssignIDs(d)
	for i, e := range d.Enterprises {
		if e.ID != int64(i+1) {
			t.Fatalf("enterprise %d has ID %d", i, e.ID)
		}
	}
	for i, x := range d.Institutions {
		if x.ID != int64(i+1) {
			t.Fatalf("institution %d has ID %d", i, x.ID)
		}
	}
	for i, x := range d.Products {
		if x.ID != int64(i+1) || d.Institutions[x.ProviderID-1].ID != x.ProviderID {
			t.Fatalf("product %d has ID %d, provider %d", i, x.ID, x.ProviderID)
		}
	}
	for i, x := range d.Incubators {
		if x.ID != int64(i+1) {
			t.Fatalf("incubator %d has ID %d", i, x.ID)
		}
	}
	for i, x := range d.Demands {
		if x.ID != int64(i+1) {
			t.Fatalf("demand %d has ID %d", i, x.ID)
		}
	}
}

func BenchmarkGenerate60000(b *testing.B) {
	s := Sizes{Enterprises: 60000, Institutions: 150, Products: 600, Incubators: 500, Demands: 5000}
	for b.Loop() {
		GenerateSizes(1, s, today)
	}
}

// chainTracks maps each industry chain of the vocabulary to its track.
var chainTracks = func() map[string]catalog.Track {
	m := map[string]catalog.Track{}
	for _, s := range segments {
		if s.chain != "" {
			m[s.chain] = s.track
		}
	}
	return m
}()

func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

func mapSlice[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}
