package matching

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/yurong/yurong/catalog"
)

func TestDefaultWeightsLeaveRoomBelowTheClamp(t *testing.T) {
	for kind, sum := range DefaultConfig().maxSums() {
		if sum >= 100 {
			t.Errorf("%s can reach %v before clamping; strict orderings would be lost at 100", kind, sum)
		}
	}
}

// twinScores scores the pairing of an enterprise and of its twin changed by
// twist, each against the same resource, in one engine.
func twinScores(t *testing.T, base *catalog.Enterprise, twist func(*catalog.Enterprise), kind catalog.PairingKind, d *catalog.Dataset, resID int64) (plain, twin Pairing) {
	t.Helper()
	a := cloneEnterprise(base)
	a.ID = 1
	b := cloneEnterprise(base)
	b.ID = 2
	twist(b)
	d.Enterprises = []*catalog.Enterprise{a, b}
	e := New(testConfig())
	e.Rebuild(d)
	return mustPairing(e, kind, 1, resID), mustPairing(e, kind, 2, resID)
}

func award(year int, a catalog.Award) func(*catalog.Enterprise) {
	return func(e *catalog.Enterprise) {
		e.CompetitionEntries = append(e.CompetitionEntries, catalog.CompetitionEntry{Year: year, Award: a})
	}
}

func TestGreenChannel(t *testing.T) {
	tests := []struct {
		name  string
		twist func(*catalog.Enterprise)
		green bool
	}{
		{"first prize this year", award(2026, catalog.First), true},
		{"excellence award last year", award(2025, catalog.Excellence), true},
		{"an entry without an award", award(2026, catalog.NoAward), false},
		{"a first prize three years ago", award(2023, catalog.First), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &catalog.Dataset{Products: []*catalog.FinancialProduct{product(7, catalog.Loan)}, Incubators: []*catalog.Incubator{incubator(3)},
				Demands: []*catalog.SupplyChainDemand{demand(4, "金刚石")}}
			for kind, res := range map[catalog.PairingKind]int64{catalog.Financing: 7, catalog.Incubation: 3, catalog.IndustryChain: 4} {
				plain, twin := twinScores(t, enterprise(0), tt.twist, kind, d, res)
				if twin.GreenChannel != tt.green || plain.GreenChannel {
					t.Errorf("%s: greenChannel plain=%v twin=%v, want false, %v", kind, plain.GreenChannel, twin.GreenChannel, tt.green)
				}
				if tt.green && twin.Score <= plain.Score {
					t.Errorf("%s: the award winner scores %v, not above %v", kind, twin.Score, plain.Score)
				}
				if !tt.green && twin.Score != plain.Score {
					t.Errorf("%s: no green channel yet scores differ: %v vs %v", kind, twin.Score, plain.Score)
				}
			}
		})
	}
}

func TestWarrantLoanPriorityForEquity(t *testing.T) {
	for _, kind := range []catalog.ProductKind{catalog.Equity, catalog.Loan, catalog.Insurance} {
		t.Run(string(kind), func(t *testing.T) {
			d := &catalog.Dataset{Products: []*catalog.FinancialProduct{product(7, kind)}}
			plain, twin := twinScores(t, enterprise(0), func(e *catalog.Enterprise) { e.HasWarrantLoan = true }, catalog.Financing, d, 7)
			if kind == catalog.Equity && twin.Score <= plain.Score {
				t.Errorf("warrant-loan holder scores %v, not above %v", twin.Score, plain.Score)
			}
			if kind != catalog.Equity && twin.Score != plain.Score {
				t.Errorf("warrant loan changed a %s score: %v vs %v", kind, twin.Score, plain.Score)
			}
		})
	}
}

func TestIncubatorScoring(t *testing.T) {
	tests := []struct {
		name   string
		inc    func(*catalog.Incubator)
		twist  func(*catalog.Enterprise)
		higher bool // whether the twin scores strictly higher than the plain one
	}{
		{"inside the focus tracks beats outside",
			func(in *catalog.Incubator) { in.FocusTracks = []catalog.Track{catalog.NewMaterials} },
			func(e *catalog.Enterprise) { e.Track = catalog.NewMaterials }, true},
		{"outside the focus tracks scores lower",
			func(in *catalog.Incubator) { in.FocusTracks = []catalog.Track{catalog.NewMaterials} },
			func(e *catalog.Enterprise) { e.Track = catalog.Biomedicine }, false},
		{"the same city scores higher",
			func(in *catalog.Incubator) { in.City = catalog.Zhengzhou },
			func(e *catalog.Enterprise) { e.City = catalog.Zhengzhou }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := incubator(3)
			tt.inc(in)
			base := enterprise(0)
			base.Track, base.City = catalog.HighEndManufacturing, catalog.Luoyang
			if tt.name == "outside the focus tracks scores lower" {
				base.Track = catalog.NewMaterials
			}
			plain, twin := twinScores(t, base, tt.twist, catalog.Incubation, &catalog.Dataset{Incubators: []*catalog.Incubator{in}}, 3)
			if tt.higher && twin.Score <= plain.Score {
				t.Errorf("twin %v not above plain %v", twin.Score, plain.Score)
			}
			if !tt.higher && twin.Score >= plain.Score {
				t.Errorf("twin %v not below plain %v", twin.Score, plain.Score)
			}
			if !twin.Eligible || !plain.Eligible {
				t.Errorf("focus and city are no blockers: %q %q", plain.Blockers, twin.Blockers)
			}
		})
	}
}

func TestDemandScoring(t *testing.T) {
	dm := demand(4, "金刚石", "功率器件", "传感器")
	tests := []struct {
		name   string
		twist  func(*catalog.Enterprise)
		higher bool
	}{
		{"more keywords found scores higher", func(e *catalog.Enterprise) { e.Description += "，兼做功率器件" }, true},
		{"the same track adds", func(e *catalog.Enterprise) { e.Track = catalog.NewMaterials }, true},
		{"the same industry chain adds", func(e *catalog.Enterprise) { e.IndustryChain = ptr("超硬材料") }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := enterprise(0)
			base.Track, base.IndustryChain, base.City = catalog.Biomedicine, nil, catalog.Anyang
			plain, twin := twinScores(t, base, tt.twist, catalog.IndustryChain, &catalog.Dataset{Demands: []*catalog.SupplyChainDemand{dm}}, 4)
			if twin.Score <= plain.Score {
				t.Errorf("twin %v not above plain %v; reasons %+v", twin.Score, plain.Score, twin.Reasons)
			}
		})
	}
}

func TestInsuranceCoverageFitsTheStage(t *testing.T) {
	tests := []struct {
		stageRevenue int64
		fits, misfit catalog.Coverage
	}{
		{1_000_000, catalog.CoverProofOfConcept, catalog.CoverOperation},
		{50_000_000, catalog.CoverPilotScale, catalog.CoverRD},
		{500_000_000, catalog.CoverMarketPromotion, catalog.CoverProofOfConcept},
	}
	for _, tt := range tests {
		ent := enterprise(1)
		ent.Reports = []catalog.AnnualReport{{Year: 2025, Revenue: catalog.Yuan(tt.stageRevenue)}}
		t.Run(string(StageOf(ent)), func(t *testing.T) {
			good, bad := product(7, catalog.Insurance), product(8, catalog.Insurance)
			good.Coverages, bad.Coverages = []catalog.Coverage{tt.fits}, []catalog.Coverage{tt.misfit}
			e := engineWith([]*catalog.Enterprise{ent}, []*catalog.FinancialProduct{good, bad}, nil, nil)
			g, b := mustPairing(e, catalog.Financing, 1, 7), mustPairing(e, catalog.Financing, 1, 8)
			if g.Score <= b.Score {
				t.Errorf("cover %s scores %v, not above %s at %v", tt.fits, g.Score, tt.misfit, b.Score)
			}
		})
	}
}

func TestReasonsReadLikeTheExample(t *testing.T) {
	p := product(7, catalog.Loan)
	p.Eligibility.Tracks = []catalog.Track{catalog.NewMaterials}
	e := engineWith([]*catalog.Enterprise{enterprise(1)}, []*catalog.FinancialProduct{p}, nil, nil)
	got := mustPairing(e, catalog.Financing, 1, 7)
	found := false
	for _, r := range got.Reasons {
		if r.Factor == "track_fit" {
			found = true
			if r.Message != "与产品支持赛道「新材料」一致 +12" || r.Contribution != 12 {
				t.Errorf("track reason %+v", r)
			}
		}
	}
	if !found {
		t.Errorf("no track_fit reason in %+v", got.Reasons)
	}
}

// TestPairingProperties checks, over random marketplaces, every pairing the
// engine can produce: the score is the clamped sum of the reasons' rounded
// contributions, reasons are ordered by absolute contribution and say
// something, blockers are empty iff eligible, dishonest enterprises are
// never eligible, and award winners and warrant-loan holders beat their
// otherwise identical twins.
func TestPairingProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for round := range 4 {
		d := randomDataset(rng, 30, 12, 6, 10)
		// Add twins: an award winner and a warrant-loan holder of each of
		// the first enterprises, with ids far away.
		for i := range 5 {
			base := d.Enterprises[i]
			base.CompetitionEntries = nil
			base.HasWarrantLoan = false
			aw := cloneEnterprise(base)
			aw.ID = 1000 + base.ID
			aw.CompetitionEntries = []catalog.CompetitionEntry{{Year: 2026, Award: catalog.Second}}
			wl := cloneEnterprise(base)
			wl.ID = 2000 + base.ID
			wl.HasWarrantLoan = true
			d.Enterprises = append(d.Enterprises, aw, wl)
		}
		e := New(testConfig())
		e.Rebuild(d)
		resources := map[catalog.PairingKind][]int64{}
		for _, p := range d.Products {
			resources[catalog.Financing] = append(resources[catalog.Financing], p.ID)
		}
		for _, in := range d.Incubators {
			resources[catalog.Incubation] = append(resources[catalog.Incubation], in.ID)
		}
		for _, dm := range d.Demands {
			resources[catalog.IndustryChain] = append(resources[catalog.IndustryChain], dm.ID)
		}
		for _, ent := range d.Enterprises {
			for kind, ids := range resources {
				for _, res := range ids {
					p := mustPairing(e, kind, ent.ID, res)
					checkPairing(t, p, ent)
				}
			}
		}
		for i := range 5 {
			base := d.Enterprises[i]
			for kind, ids := range resources {
				for _, res := range ids {
					plain := mustPairing(e, kind, base.ID, res)
					if kind != catalog.IndustryChain {
						if aw := mustPairing(e, kind, 1000+base.ID, res); aw.Score <= plain.Score {
							t.Errorf("round %d: award winner %d scores %v <= %v for %s %d", round, aw.EnterpriseID, aw.Score, plain.Score, kind, res)
						}
					}
					if kind == catalog.Financing && d.Products[res-1].Kind == catalog.Equity {
						if wl := mustPairing(e, kind, 2000+base.ID, res); wl.Score <= plain.Score {
							t.Errorf("round %d: warrant holder scores %v <= %v for equity %d", round, wl.Score, plain.Score, res)
						}
					}
				}
			}
		}
	}
}

func checkPairing(t *testing.T, p Pairing, ent *catalog.Enterprise) {
	t.Helper()
	if math.Abs(p.Score-sumContributions(p)) > 1e-9 {
		t.Errorf("%s %d/%d: score %v but contributions sum to %v", p.Kind, p.EnterpriseID, p.ResourceID, p.Score, sumContributions(p))
	}
	if p.Score < 0 || p.Score > 100 {
		t.Errorf("score %v out of range", p.Score)
	}
	if p.Eligible != (len(p.Blockers) == 0) {
		t.Errorf("eligible=%v with blockers %q", p.Eligible, p.Blockers)
	}
	if ent.CreditStatus == catalog.CreditDishonest && (p.Eligible || !strings.Contains(strings.Join(p.Blockers, ""), "失信")) {
		t.Errorf("dishonest enterprise %d: eligible=%v blockers %q", ent.ID, p.Eligible, p.Blockers)
	}
	for i, r := range p.Reasons {
		if r.Contribution == 0 || r.Factor == "" || !strings.ContainsFunc(r.Message, func(c rune) bool { return c >= 0x4e00 && c <= 0x9fff }) {
			t.Errorf("reason %+v", r)
		}
		if i > 0 && math.Abs(r.Contribution) > math.Abs(p.Reasons[i-1].Contribution) {
			t.Errorf("reasons out of order: %+v", p.Reasons)
		}
	}
	// Only financing pairings suggest an amount, and not all of them (see
	// TestAdviceAgreesWithTheNumbers).
	if p.Kind != catalog.Financing && p.SuggestedAmount != nil {
		t.Errorf("%s suggested amount %v", p.Kind, p.SuggestedAmount)
	}
}

func reasonOf(p Pairing, factor string) *Reason {
	for i := range p.Reasons {
		if p.Reasons[i].Factor == factor {
			return &p.Reasons[i]
		}
	}
	return nil
}

// TestAmountFitReasonAgreesWithTheSuggestedAmount: the amount-fit reason
// compares the stated need with the suggested amount after every cap, never
// with the product's maximum.
func TestAmountFitReasonAgreesWithTheSuggestedAmount(t *testing.T) {
	need := func(kind catalog.ProductKind, n int64) func(*catalog.Enterprise) {
		return func(e *catalog.Enterprise) {
			e.FinancingNeed = &catalog.FinancingNeed{Kind: kind, Amount: catalog.Yuan(n)}
		}
	}
	tests := []struct {
		name         string
		kind         catalog.ProductKind
		product      func(*catalog.FinancialProduct)
		enterprise   func(*catalog.Enterprise)
		suggested    *catalog.Amount
		contribution float64
		says, never  []string
	}{
		{"a subsidy-capped amount is not said to cover the need", catalog.Loan,
			func(p *catalog.FinancialProduct) {
				p.Program, p.MaxAmount = catalog.SubsidyLoan, catalog.Yuan(3_000_000)
			},
			func(e *catalog.Enterprise) {
				need(catalog.Loan, 2_500_000)(e)
				e.Subsidies = []catalog.Subsidy{{Program: "研发补助", Amount: catalog.Yuan(200_000), Year: 2025}}
			},
			yuan(1_000_000), 6, []string{"250万元", "100万元", "财政补贴"}, []string{"300万元", "覆盖"}},
		{"the credit capacity caps a loan", catalog.Loan,
			func(p *catalog.FinancialProduct) { p.MaxAmount = catalog.Yuan(5_000_000) },
			func(e *catalog.Enterprise) {
				need(catalog.Loan, 3_000_000)(e)
				e.Reports = []catalog.AnnualReport{{Year: 2025, Revenue: catalog.Yuan(1_200_000)}}
			},
			yuan(600_000), 3, []string{"300万元", "60万元", "营业收入"}, []string{"500万元", "覆盖"}},
		{"the product's maximum caps an equity ticket", catalog.Equity,
			func(p *catalog.FinancialProduct) { p.MaxAmount = catalog.Yuan(3_000_000) },
			need(catalog.Equity, 8_000_000),
			yuan(3_000_000), 5.63, []string{"800万元", "300万元", "最高额度"}, []string{"覆盖"}},
		{"a need within every cap is covered by the suggested amount", catalog.Loan,
			func(p *catalog.FinancialProduct) { p.MaxAmount = catalog.Yuan(5_000_000) },
			need(catalog.Loan, 2_000_000),
			yuan(2_000_000), 15, []string{"200万元", "覆盖"}, []string{"500万元"}},
		{"a need below the product's minimum", catalog.Insurance,
			func(p *catalog.FinancialProduct) { p.MinAmount = ptr(catalog.Yuan(500_000)) },
			need(catalog.Insurance, 300_000),
			yuan(300_000), 9, []string{"30万元", "50万元", "最低额度"}, []string{"500万元", "覆盖"}},
		{"a need of another kind earns no amount-fit reason", catalog.Equity,
			func(p *catalog.FinancialProduct) {},
			need(catalog.Loan, 1_000_000),
			nil, 0, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ent := enterprise(1)
			tt.enterprise(ent)
			p := product(7, tt.kind)
			tt.product(p)
			e := engineWith([]*catalog.Enterprise{ent}, []*catalog.FinancialProduct{p}, nil, nil)
			got := mustPairing(e, catalog.Financing, 1, 7)
			if amountText(got.SuggestedAmount) != amountText(tt.suggested) {
				t.Fatalf("suggested %s, want %s", amountText(got.SuggestedAmount), amountText(tt.suggested))
			}
			r := reasonOf(got, "amount_fit")
			if tt.contribution == 0 {
				if r != nil {
					t.Errorf("unexpected amount-fit reason %+v", *r)
				}
				return
			}
			if r == nil {
				t.Fatalf("no amount-fit reason in %+v", got.Reasons)
			}
			if r.Contribution != tt.contribution {
				t.Errorf("contribution %v, want %v (%s)", r.Contribution, tt.contribution, r.Message)
			}
			for _, w := range tt.says {
				if !strings.Contains(r.Message, w) {
					t.Errorf("%q does not say %s", r.Message, w)
				}
			}
			for _, w := range tt.never {
				if strings.Contains(r.Message, w) {
					t.Errorf("%q says %s", r.Message, w)
				}
			}
		})
	}
}

// TestKeywordsMatchWithoutCaseAndAreQuotedAsStored: a demand's keywords
// are found whatever their case, and a reason quotes them as the demand
// stores them.
func TestKeywordsMatchWithoutCaseAndAreQuotedAsStored(t *testing.T) {
	tests := []struct {
		name        string
		keywords    []string // the demand's
		entKeywords []string
		description string
		quote       string
		never       string
		ratio       string
	}{
		{"the same spelling is quoted as written", []string{"PCD聚晶金刚石"}, []string{"PCD聚晶金刚石"}, "",
			"「PCD聚晶金刚石」", "pcd", "（1/1）"},
		{"a lower-case description matches an upper-case keyword", []string{"PCD聚晶金刚石"}, nil, "主营pcd聚晶金刚石刀具",
			"「PCD聚晶金刚石」", "pcd", "（1/1）"},
		{"an upper-case enterprise keyword matches a lower-case one", []string{"sic衬底", "金刚石"}, []string{"SIC衬底"}, "",
			"「sic衬底」", "SIC", "（1/2）"},
		{"keywords differing only in case count once", []string{"SiC", "sic", "金刚石"}, []string{"SiC"}, "",
			"「SiC」", "「sic」", "（1/2）"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ent := enterprise(1)
			ent.Keywords, ent.Description = tt.entKeywords, tt.description
			e := engineWith([]*catalog.Enterprise{ent}, nil, nil, []*catalog.SupplyChainDemand{demand(4, tt.keywords...)})
			got := mustPairing(e, catalog.IndustryChain, 1, 4)
			if !got.Eligible {
				t.Fatalf("not eligible: %q", got.Blockers)
			}
			r := reasonOf(got, "keyword_overlap")
			if r == nil {
				t.Fatalf("no keyword reason in %+v", got.Reasons)
			}
			if !strings.Contains(r.Message, tt.quote) || strings.Contains(r.Message, tt.never) || !strings.Contains(r.Message, tt.ratio) {
				t.Errorf("%q: want %s and %s, not %s", r.Message, tt.quote, tt.ratio, tt.never)
			}
		})
	}
}
