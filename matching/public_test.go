package matching

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/yurong/yurong/catalog"
)

// The public renderings (docs/adr/010-public-texts.md): every explained
// text has a twin without the enterprise's private figures — its annual
// reports, subsidies, financing need and the suggested amount — that keeps
// the verdicts and the public thresholds.

// suffixOf is the signed contribution a reason's text ends with: " +12".
func suffixOf(s string) string { return s[strings.LastIndex(s, " "):] }

func TestEarlySmallHardPublicReasons(t *testing.T) {
	const early = "早：成立于 2023-01-10，不满 5 年（以 2026-06-15 计），符合"
	tests := []struct {
		name   string
		change func(e *catalog.Enterprise)
		public []string
		full   []string // what the full reasons still say
	}{
		{"all three met", func(*catalog.Enterprise) {}, []string{
			early,
			"小：职工 80 人（须少于 300 人），营业收入低于 2000万元，符合",
			"硬：赛道「新材料」，高新技术企业，无发明专利申请，研发投入强度不低于 5%，符合",
		}, []string{"2025 年营业收入 300万元（上限 2000万元，须低于）", "发明专利申请 0 件", "研发投入强度 10%（须不低于 5%）"}},
		{"revenue at the limit", func(e *catalog.Enterprise) {
			e.Reports[0].Revenue = catalog.Yuan(85_000_000)
			e.Reports[0].RDExpense = catalog.Yuan(5_000_000)
		}, []string{
			early,
			"小：职工 80 人（须少于 300 人），营业收入不低于 2000万元，不符合",
			"硬：赛道「新材料」，高新技术企业，无发明专利申请，研发投入强度不低于 5%，符合",
		}, []string{"2025 年营业收入 8500万元", "研发投入强度 5.9%"}},
		{"low intensity, patent applications", func(e *catalog.Enterprise) {
			e.Reports[0].RDExpense = catalog.Yuan(60_000)
			e.Reports[0].InventionPatentApplications = 3
			e.Qualifications = nil
		}, []string{
			early,
			"小：职工 80 人（须少于 300 人），营业收入低于 2000万元，符合",
			"硬：赛道「新材料」，非高新技术企业，有发明专利申请，研发投入强度低于 5%，不符合",
		}, []string{"发明专利申请 3 件", "研发投入强度 2%"}},
		{"R&D spending without revenue", func(e *catalog.Enterprise) { e.Reports[0].Revenue = 0 }, []string{
			early,
			"小：职工 80 人（须少于 300 人），营业收入低于 2000万元，符合",
			"硬：赛道「新材料」，高新技术企业，无发明专利申请，研发投入强度不低于 5%，符合",
		}, []string{"营业收入为 0，研发费用 30万元"}},
		{"neither revenue nor R&D spending", func(e *catalog.Enterprise) {
			e.Reports[0].Revenue, e.Reports[0].RDExpense = 0, 0
		}, []string{
			early,
			"小：职工 80 人（须少于 300 人），营业收入低于 2000万元，符合",
			"硬：赛道「新材料」，高新技术企业，无发明专利申请，研发投入强度低于 5%，不符合",
		}, []string{"营业收入为 0，研发费用 0元"}},
		{"no report reveals no figure", func(e *catalog.Enterprise) { e.Reports = nil }, []string{
			early,
			"小：职工 80 人（须少于 300 人），无年报，营业收入按 0 计，符合",
			"硬：赛道「新材料」，高新技术企业，无发明专利申请，无年报，无研发投入，不符合",
		}, []string{"无年报，营业收入按 0 计", "发明专利申请 0 件"}},
		{"dishonest", func(e *catalog.Enterprise) { e.CreditStatus = catalog.CreditDishonest }, []string{
			early,
			"小：职工 80 人（须少于 300 人），营业收入低于 2000万元，符合",
			"硬：赛道「新材料」，高新技术企业，无发明专利申请，研发投入强度不低于 5%，符合",
			"失信主体：列入联合惩戒名单，不列入早小硬名单",
		}, []string{"失信主体"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ent := eshEnterprise(7)
			tt.change(ent)
			e := engineWith([]*catalog.Enterprise{ent}, nil, nil, nil)
			got, _ := e.EarlySmallHard(7)
			if got.EnterpriseID != 7 {
				t.Errorf("EnterpriseID = %d, want 7", got.EnterpriseID)
			}
			if !slices.Equal(got.PublicReasons, tt.public) {
				t.Errorf("public reasons\n%q\nwant\n%q", got.PublicReasons, tt.public)
			}
			if len(got.Reasons) != len(got.PublicReasons) {
				t.Errorf("%d reasons but %d public ones", len(got.Reasons), len(got.PublicReasons))
			}
			all := strings.Join(got.Reasons, "\n")
			for _, w := range tt.full {
				if !strings.Contains(all, w) {
					t.Errorf("full reasons lack %q:\n%s", w, all)
				}
			}
		})
	}
}

func TestAmountFitPublic(t *testing.T) {
	need := func(kind catalog.ProductKind, n int64) func(*catalog.Enterprise) {
		return func(e *catalog.Enterprise) {
			e.FinancingNeed = &catalog.FinancingNeed{Kind: kind, Amount: catalog.Yuan(n)}
		}
	}
	and := func(fs ...func(*catalog.Enterprise)) func(*catalog.Enterprise) {
		return func(e *catalog.Enterprise) {
			for _, f := range fs {
				f(e)
			}
		}
	}
	revenue := func(n int64) func(*catalog.Enterprise) {
		return func(e *catalog.Enterprise) { e.Reports[len(e.Reports)-1].Revenue = catalog.Yuan(n) }
	}
	subsidy := func(e *catalog.Enterprise) {
		e.Subsidies = []catalog.Subsidy{{Program: "研发补助", Amount: catalog.Yuan(200_000), Year: 2025}}
	}
	tests := []struct {
		name    string
		base    func(int64) *catalog.Enterprise // nil: enterprise, revenue 10,000,000
		change  func(*catalog.Enterprise)
		kind    catalog.ProductKind
		program catalog.Program
		max     int64
		min     int64
		public  string // without the contribution
		private []string
	}{
		{name: "the need is covered", change: need(catalog.Loan, 2_000_000), kind: catalog.Loan, max: 5_000_000,
			public: "建议额度覆盖融资需求", private: []string{"200万元"}},
		{name: "the need is below the product's minimum", change: need(catalog.Equity, 300_000), kind: catalog.Equity, max: 5_000_000, min: 500_000,
			public: "融资需求低于产品最低额度 50万元", private: []string{"30万元"}},
		{name: "the product's maximum", change: need(catalog.Equity, 9_000_000), kind: catalog.Equity, max: 5_000_000,
			public: "建议融资受产品最高额度限制，可部分满足融资需求", private: []string{"900万元", "500万元"}},
		{name: "the subsidies", change: and(need(catalog.Loan, 3_000_000), subsidy), kind: catalog.Loan, program: catalog.SubsidyLoan, max: 5_000_000,
			public: "积分奖补贷额度受奖补金额 5 倍上限约束，可部分满足融资需求", private: []string{"300万元", "100万元", "20万元"}},
		{name: "the credit capacity", change: and(need(catalog.Loan, 3_000_000), revenue(1_200_000)), kind: catalog.Loan, max: 5_000_000,
			public: "建议额度按最近年报营业收入的 50% 测算授信能力，可部分满足融资需求", private: []string{"300万元", "60万元", "120万元"}},
		{name: "the credit capacity below the product's minimum", change: and(need(catalog.Loan, 3_000_000), revenue(1_200_000)), kind: catalog.Loan,
			max: 5_000_000, min: 1_000_000,
			public: "建议额度按最近年报营业收入的 50% 测算授信能力，低于产品最低额度 100万元", private: []string{"300万元", "60万元", "120万元"}},
		{name: "the capacity floor", base: eshEnterprise, change: and(need(catalog.Loan, 3_000_000), revenue(0)), kind: catalog.Loan, max: 10_000_000,
			public: "建议额度按早小硬企业授信下限测算，可部分满足融资需求", private: []string{"300万元", "100万元"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := tt.base
			if base == nil {
				base = enterprise
			}
			ent := base(1)
			tt.change(ent)
			p := product(7, tt.kind)
			if tt.program != "" {
				p.Program = tt.program
			}
			p.MaxAmount = catalog.Yuan(tt.max)
			if tt.min > 0 {
				p.MinAmount = ptr(catalog.Yuan(tt.min))
			}
			e := engineWith([]*catalog.Enterprise{ent}, []*catalog.FinancialProduct{p}, nil, nil)
			r := reasonOf(mustPairing(e, catalog.Financing, 1, 7), "amount_fit")
			if r == nil {
				t.Fatal("no amount-fit reason")
			}
			if want := tt.public + suffixOf(r.Message); r.Public != want {
				t.Errorf("public %q, want %q (message %q)", r.Public, want, r.Message)
			}
			for _, f := range tt.private {
				if strings.Contains(r.Public, f) {
					t.Errorf("public %q cites %s", r.Public, f)
				}
			}
			if !strings.Contains(r.Message, wan(ent.FinancingNeed.Amount)) {
				t.Errorf("message %q no longer cites the need", r.Message)
			}
		})
	}
}

func TestNoCreditCapacityPublic(t *testing.T) {
	zero := enterprise(1)
	zero.Reports[1].Revenue = 0
	none := enterprise(2)
	none.Reports = nil
	loan := product(7, catalog.Loan)
	e := engineWith([]*catalog.Enterprise{zero, none}, []*catalog.FinancialProduct{loan}, nil, nil)

	r := reasonOf(mustPairing(e, catalog.Financing, 1, 7), "no_credit_capacity")
	if r == nil {
		t.Fatal("no no_credit_capacity reason")
	}
	if !strings.Contains(r.Message, "最近年报营业收入为 0") {
		t.Errorf("message %q no longer names the revenue", r.Message)
	}
	if want := "按最近年报测算，未列入早小硬企业名单，2025–2026 年无大赛获奖，授信能力为 0，不提供建议额度 -5"; r.Public != want {
		t.Errorf("public %q, want %q", r.Public, want)
	}

	r = reasonOf(mustPairing(e, catalog.Financing, 2, 7), "no_credit_capacity")
	if r == nil {
		t.Fatal("no no_credit_capacity reason")
	}
	if r.Public != r.Message || !strings.HasPrefix(r.Public, "无年报，营业收入按 0 计，") {
		t.Errorf("without a report there is no figure to hide: public %q, message %q", r.Public, r.Message)
	}
}

func TestRevenueBlockerPublic(t *testing.T) {
	ent := enterprise(1) // revenue 10,000,000, 120 employees
	p := product(7, catalog.Loan)
	p.Eligibility.MaxEmployees = ptr(100)
	p.Eligibility.MaxRevenue = ptr(catalog.Yuan(5_000_000))
	p.Eligibility.RequiresCompetitionAward = true
	e := engineWith([]*catalog.Enterprise{ent}, []*catalog.FinancialProduct{p}, nil, nil)
	got := mustPairing(e, catalog.Financing, 1, 7)
	wantFull := []string{
		"职工 120 人，超过产品上限 100 人",
		"最近年报营业收入 10000000元（1000万元），超过产品上限 5000000元（500万元）",
		"产品要求大赛获奖：2025–2026 年未在中国创新创业大赛中获奖",
	}
	wantPublic := []string{
		"职工 120 人，超过产品上限 100 人",
		"最近年报营业收入超过产品上限 5000000元（500万元）",
		"产品要求大赛获奖：2025–2026 年未在中国创新创业大赛中获奖",
	}
	if !slices.Equal(got.Blockers, wantFull) {
		t.Errorf("blockers %q, want %q", got.Blockers, wantFull)
	}
	if !slices.Equal(got.PublicBlockers, wantPublic) {
		t.Errorf("public blockers %q, want %q", got.PublicBlockers, wantPublic)
	}
}

func TestPublicBlockersNeverNil(t *testing.T) {
	e := engineWith([]*catalog.Enterprise{enterprise(1)}, []*catalog.FinancialProduct{product(7, catalog.Loan)}, nil, nil)
	got := mustPairing(e, catalog.Financing, 1, 7)
	if !got.Eligible || got.PublicBlockers == nil || len(got.PublicBlockers) != 0 {
		t.Errorf("eligible %v, public blockers %#v: want an empty, non-nil list", got.Eligible, got.PublicBlockers)
	}
}

func TestInnovationScoreNamesItsEnterprise(t *testing.T) {
	e := engineWith([]*catalog.Enterprise{enterprise(3), enterprise(9)}, nil, nil, nil)
	for _, id := range []int64{3, 9} {
		s, _ := e.InnovationScore(id)
		if s.EnterpriseID != id {
			t.Errorf("InnovationScore(%d).EnterpriseID = %d", id, s.EnterpriseID)
		}
		for _, ind := range s.Indicators {
			if ind.EnterpriseID != id {
				t.Errorf("indicator %s of %d has EnterpriseID %d", ind.Code, id, ind.EnterpriseID)
			}
		}
	}
}

// TestQuickPathDoesNotAllocate: the quick evaluation runs for every pair of
// a rematch; computing public texts must not reach it.
func TestQuickPathDoesNotAllocate(t *testing.T) {
	ent := enterprise(1)
	ent.FinancingNeed = &catalog.FinancingNeed{Kind: catalog.Loan, Amount: catalog.Yuan(9_000_000)}
	ent.CreditStatus = catalog.CreditDishonest
	ent.Subsidies = []catalog.Subsidy{{Program: "补助", Amount: catalog.Yuan(100_000), Year: 2026}}
	p := product(7, catalog.Loan)
	p.Program = catalog.SubsidyLoan
	p.Eligibility.MaxRevenue = ptr(catalog.Yuan(1_000_000))
	p.Eligibility.MaxEmployees = ptr(10)
	zero := enterprise(2)
	zero.Reports = nil
	e := engineWith([]*catalog.Enterprise{ent, zero}, []*catalog.FinancialProduct{p, product(8, catalog.Loan)},
		[]*catalog.Incubator{incubator(3)}, []*catalog.SupplyChainDemand{demand(4, "金刚石")})
	allocs := testing.AllocsPerRun(100, func() {
		for _, v := range e.ents {
			for _, pv := range e.prods {
				e.x.quickProduct(v, pv)
			}
			e.x.quickIncubator(v, e.incs[0])
			e.x.quickDemand(v, e.dems[0], e.dems[0].hits(v))
		}
	})
	if allocs != 0 {
		t.Errorf("the quick path allocates %v times per run", allocs)
	}
}

// A figure is found in a text only as a whole number: "50万元" is not in
// "150万元" nor "2.50万元", "5%" is not in "15%" nor "0.5%". So even short
// figures ("5万元", "2%") are checked without matching by accident.
func figureIndex(text, fig string) int {
	for from := 0; ; {
		i := strings.Index(text[from:], fig)
		if i < 0 {
			return -1
		}
		i += from
		if i == 0 || !strings.ContainsRune("0123456789.-", rune(text[i-1])) {
			return i
		}
		from = i + 1
	}
}

func hasFigure(text, fig string) bool { return figureIndex(text, fig) >= 0 }

// withoutFigures replaces the public figures a text may cite (a product's
// minimum, a configured threshold) by a mark, so that a private figure that
// happens to equal one of them is still found if it is cited on its own.
func withoutFigures(text string, public []string) string {
	for _, fig := range public {
		for i := figureIndex(text, fig); i >= 0; i = figureIndex(text, fig) {
			text = text[:i] + "«公开»" + text[i+len(fig):]
		}
	}
	return text
}

// privateFigures are the enterprise's private figures as the package's
// formatters print them, by kind. Zero amounts are left out: they print as
// "0元" or "0%", and a text saying there is none ("无年报", "授信能力为 0")
// is how the public texts keep a verdict.
func privateFigures(ent *catalog.Enterprise, cfg *Config, suggested *catalog.Amount) map[string][]string {
	out := map[string][]string{}
	amount := func(kind string, a catalog.Amount) {
		if a != 0 {
			out[kind] = append(out[kind], wan(a), exactYuan(a))
		}
	}
	for _, r := range ent.Reports {
		// Every amount field of a report, so a field printed later is
		// checked too.
		v := reflect.ValueOf(r)
		for i := range v.NumField() {
			if a, ok := v.Field(i).Interface().(catalog.Amount); ok {
				amount("report", a)
			}
		}
	}
	if r := ent.LatestReport(); r != nil {
		amount("revenue", r.Revenue)
		amount("rd", r.RDExpense)
		amount("capacity", catalog.Amount(float64(r.Revenue)*cfg.CreditCapacityShare))
		if r.Revenue > 0 && r.RDExpense > 0 {
			intensity := float64(r.RDExpense) / float64(r.Revenue)
			out["percent"] = append(out["percent"], percent(intensity), percentAgainst(intensity, cfg.EarlySmallHard.MinRDIntensity))
		}
	}
	years := map[int]catalog.Amount{}
	for _, s := range ent.Subsidies {
		amount("subsidy", s.Amount)
		years[s.Year] += s.Amount
	}
	// Sums over every span of years, and those times the subsidy multiples
	// of the random products.
	for from := 2020; from <= 2026; from++ {
		var sum catalog.Amount
		for y := from; y <= 2026; y++ {
			sum += years[y]
			amount("subsidy", sum)
			amount("subsidy", catalog.Amount(math.Round(cfg.DefaultSubsidyMultiple*float64(sum))))
		}
	}
	if n := ent.FinancingNeed; n != nil {
		amount("need", n.Amount)
	}
	if suggested != nil {
		amount("suggested", *suggested)
	}
	return out
}

// privateCount matches "发明专利申请 3 件", "营业收入 850万元", "研发投入强度 6%" and
// the like: a private quantity written right after its name.
var privateCount = regexp.MustCompile(`(营业收入|研发费用|研发投入强度|发明专利申请|融资需求|建议额度|建议融资|建议保额|财政补贴) ?[0-9]`)

// TestPublicTextsHoldNoPrivateFigure checks, over random marketplaces, every
// served pairing and every early-small-hard verdict: no public text cites a
// private figure of its enterprise, the public texts parallel the full ones,
// and the full texts still cite the figures (so the check is not vacuous).
func TestPublicTextsHoldNoPrivateFigure(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 2026))
	cfg := testConfig()
	// The public figures the texts cite, which a private figure may happen
	// to equal: the early-small-hard thresholds, and the credit capacity
	// share (plus, per pairing, its product's minimum and revenue limit).
	eshThresholds := []string{wan(cfg.EarlySmallHard.MaxRevenue), percent(cfg.EarlySmallHard.MinRDIntensity)}
	seen := map[string]int{} // private figures cited by full texts, by kind

	// check looks for the private figures of one enterprise in a public text.
	check := func(where, public string, figs map[string][]string, allowed []string) {
		t.Helper()
		text := withoutFigures(public, allowed)
		for kind, fs := range figs {
			for _, f := range fs {
				if hasFigure(text, f) {
					t.Errorf("%s: public text %q cites the %s figure %s", where, public, kind, f)
				}
			}
		}
		if m := privateCount.FindString(text); m != "" {
			t.Errorf("%s: public text %q cites a private quantity (%q)", where, public, m)
		}
	}
	count := func(full string, figs map[string][]string) {
		for kind, fs := range figs {
			for _, f := range fs {
				if hasFigure(full, f) {
					seen[kind]++
				}
			}
		}
	}

	for round := range 8 {
		d := randomDataset(rng, 30, 12, 3, 4)
		for _, p := range d.Products {
			if p.Kind == catalog.Loan && rng.IntN(2) == 0 {
				p.Program = catalog.SubsidyLoan
			}
			if rng.IntN(3) == 0 {
				p.Eligibility.MaxRevenue = ptr(catalog.Yuan(pickOf(rng, []int64{2_000_000, 5_000_000, 20_000_000})))
			}
			if rng.IntN(4) == 0 {
				p.MinAmount = ptr(catalog.Yuan(pickOf(rng, []int64{500_000, 1_000_000, 3_000_000})))
			}
		}
		for _, ent := range d.Enterprises {
			for i := range ent.Reports {
				r := &ent.Reports[i]
				r.TechContractTurnover = catalog.Yuan(int64(rng.IntN(3)) * 730_000)
				r.EquityFinancing = catalog.Yuan(int64(rng.IntN(3)) * 4_100_000)
			}
		}
		prods := map[int64]*catalog.FinancialProduct{}
		for _, p := range d.Products {
			prods[p.ID] = p
		}
		e := New(cfg)
		e.Rebuild(d)
		e.SetTopBanks(randomTopBanks(rng))

		checkPairing := func(ent *catalog.Enterprise, p Pairing) {
			where := fmt.Sprintf("round %d, enterprise %d, %s %d", round, ent.ID, p.Kind, p.ResourceID)
			figs := privateFigures(ent, &cfg, p.SuggestedAmount)
			allowed := []string{percent(cfg.CreditCapacityShare)}
			if prod := prods[p.ResourceID]; p.Kind == catalog.Financing && prod != nil {
				if prod.MinAmount != nil {
					allowed = append(allowed, wan(*prod.MinAmount))
				}
				if prod.Eligibility.MaxRevenue != nil {
					allowed = append(allowed, exactYuan(*prod.Eligibility.MaxRevenue))
				}
			}
			for _, r := range p.Reasons {
				check(where+", reason "+r.Factor, r.Public, figs, allowed)
				count(r.Message, figs)
				if suffixOf(r.Public) != " "+signed(int(math.Round(r.Contribution*100))) || suffixOf(r.Public) != suffixOf(r.Message) {
					t.Errorf("%s: public %q and message %q do not end with the contribution %v", where, r.Public, r.Message, r.Contribution)
				}
				if r.Public != r.Message && r.Factor != "amount_fit" && r.Factor != "no_credit_capacity" {
					t.Errorf("%s: factor %s has a public rendering %q of %q, yet cites no private figure", where, r.Factor, r.Public, r.Message)
				}
				if r.Factor == "amount_fit" && !hasFigure(r.Message, wan(ent.FinancingNeed.Amount)) {
					t.Errorf("%s: amount-fit message %q no longer cites the need", where, r.Message)
				}
			}
			if p.PublicBlockers == nil || len(p.PublicBlockers) != len(p.Blockers) {
				t.Fatalf("%s: blockers %q, public blockers %#v", where, p.Blockers, p.PublicBlockers)
			}
			for i, b := range p.PublicBlockers {
				check(where+", blocker", b, figs, allowed)
				count(p.Blockers[i], figs)
				if strings.HasPrefix(p.Blockers[i], "最近年报营业收入 ") {
					seen["revenue blocker"]++
					if !strings.Contains(p.Blockers[i], exactYuan(ent.LatestReport().Revenue)) {
						t.Errorf("%s: blocker %q no longer cites the revenue", where, p.Blockers[i])
					}
				} else if b != p.Blockers[i] {
					t.Errorf("%s: blocker %q has a public rendering %q, yet cites no private figure", where, p.Blockers[i], b)
				}
			}
		}

		for _, ent := range d.Enterprises {
			for _, kind := range catalog.PairingKinds {
				for _, p := range e.Matches(ent.ID, &kind, math.MaxInt, false) {
					checkPairing(ent, p)
				}
			}
			for _, prod := range d.Products {
				checkPairing(ent, mustPairing(e, catalog.Financing, ent.ID, prod.ID))
			}

			where := fmt.Sprintf("round %d, early-small-hard of %d", round, ent.ID)
			f, _ := e.EarlySmallHard(ent.ID)
			if f.EnterpriseID != ent.ID || len(f.PublicReasons) != len(f.Reasons) {
				t.Fatalf("%s: enterprise %d, reasons %q, public %q", where, f.EnterpriseID, f.Reasons, f.PublicReasons)
			}
			figs := privateFigures(ent, &cfg, nil)
			for i, r := range f.PublicReasons {
				check(where, r, figs, eshThresholds)
				count(f.Reasons[i], figs)
				if regexp.MustCompile(`发明专利申请 [1-9]`).MatchString(f.Reasons[i]) {
					seen["patents"]++
				}
			}
			if latest := ent.LatestReport(); latest != nil && !strings.Contains(f.Reasons[1], wan(latest.Revenue)) {
				t.Errorf("%s: %q no longer cites the revenue", where, f.Reasons[1])
			}
		}
	}
	// The full texts do cite each kind of figure the public ones must not.
	for _, kind := range []string{"need", "suggested", "revenue", "rd", "percent", "report", "revenue blocker", "patents"} {
		if seen[kind] == 0 {
			t.Errorf("no full text cited a %s figure: the check above proves nothing for it (seen %v)", kind, seen)
		}
	}
	t.Logf("private figures cited by full texts: %v", seen)
}
