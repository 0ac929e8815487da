package matching

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/yurong/yurong/catalog"
)

func TestIndicatorWeightsSumToTen(t *testing.T) {
	w := DefaultIndicatorWeights()
	for _, s := range catalog.Stages {
		sum := 0.0
		for _, x := range w.For(s) {
			sum += x
		}
		if math.Abs(sum-10) > 1e-9 {
			t.Errorf("%s weights sum to %v, want 10", s, sum)
		}
	}
}

func TestModelVersionFollowsWeights(t *testing.T) {
	a := DefaultConfig()
	b := DefaultConfig()
	if a.ModelVersion() != b.ModelVersion() {
		t.Fatal("equal weights give different versions")
	}
	b.IndicatorWeights.Growth[0] += 0.1
	if a.ModelVersion() == b.ModelVersion() {
		t.Error("a change of indicator weights kept the version")
	}
	c := DefaultConfig()
	c.Weights.GreenChannel++
	if a.ModelVersion() == c.ModelVersion() {
		t.Error("a change of pairing weights kept the version")
	}
}

// cohortEnterprise is a growth-stage enterprise whose indicators all rise
// with level.
func cohortEnterprise(id int64, level int) *catalog.Enterprise {
	e := enterprise(id)
	l := catalog.Amount(level)
	e.Employees = 100
	e.Reports = []catalog.AnnualReport{
		{Year: 2024, Revenue: catalog.Yuan(10_000_000), RDExpense: catalog.Yuan(500_000)},
		{Year: 2025, Revenue: catalog.Yuan(10_000_000) + l*catalog.Yuan(100_000), RDExpense: catalog.Yuan(500_000) + l*catalog.Yuan(50_000),
			TechStaff: 10 + level, Postgraduates: level, InventionPatentApplications: level, PCTApplications: level,
			TechContractTurnover: l * catalog.Yuan(10_000), HighTechProductRevenue: l * catalog.Yuan(100_000),
			RDTaxDeduction: l * catalog.Yuan(1_000), ReturnOnEquityPercent: float64(level), GraduatesHired: level,
			InnovationPlatforms: level, ScienceAwards: level, EquityFinancing: l * catalog.Yuan(10_000), SciencePlanProjects: level},
	}
	return e
}

func TestInnovationScore(t *testing.T) {
	var ents []*catalog.Enterprise
	for i := range 20 {
		ents = append(ents, cohortEnterprise(int64(i+1), i))
	}
	e := engineWith(ents, nil, nil, nil)

	t.Run("the lowest enterprise scores zero", func(t *testing.T) {
		s, _ := e.InnovationScore(1)
		if s.Total != 0 || s.Percentile != 0 || s.Grade != catalog.Baseline {
			t.Errorf("got total %d percentile %v grade %s", s.Total, s.Percentile, s.Grade)
		}
	})
	t.Run("points are the share of the cohort strictly below", func(t *testing.T) {
		s, _ := e.InnovationScore(11) // level 10: ten of twenty below
		for _, ind := range s.Indicators {
			if ind.Code == "rd_expense_growth" || ind.Code == "revenue_growth" || ind.Code == "rd_intensity" || ind.Code == "tech_staff_share" || ind.Code == "postgraduate_share" || ind.Code == "return_on_equity" {
				continue
			}
			if ind.Points != 50 {
				t.Errorf("%s: points %v, want 50", ind.Code, ind.Points)
			}
		}
		if s.Total != 500 {
			t.Errorf("total %d, want 500", s.Total)
		}
		if s.Percentile != 50 {
			t.Errorf("percentile %v, want 50", s.Percentile)
		}
	})
	t.Run("the best of twenty leads, the next one races", func(t *testing.T) {
		for id, want := range map[int64]catalog.ScoreGrade{20: catalog.Leading, 19: catalog.Racing, 18: catalog.Advancing, 17: catalog.Advancing, 16: catalog.Baseline} {
			s, _ := e.InnovationScore(id)
			if s.Grade != want {
				t.Errorf("enterprise %d (total %d): grade %s, want %s", id, s.Total, s.Grade, want)
			}
		}
	})
	t.Run("all eighteen indicators are listed with the stage weights", func(t *testing.T) {
		s, _ := e.InnovationScore(5)
		if len(s.Indicators) != IndicatorCount {
			t.Fatalf("%d indicators", len(s.Indicators))
		}
		w := DefaultIndicatorWeights()
		sum := 0.0
		for i, ind := range s.Indicators {
			if ind.Code != indicators[i].Code || ind.Name == "" || ind.Weight != w.Growth[i] {
				t.Errorf("indicator %d: %+v", i, ind)
			}
			sum += ind.Points * ind.Weight
		}
		if int(math.Round(sum)) != s.Total {
			t.Errorf("weighted points %v do not make the total %d", sum, s.Total)
		}
		if s.Cohort != catalog.Growth || s.ModelVersion != DefaultConfig().ModelVersion() {
			t.Errorf("cohort %s model %s", s.Cohort, s.ModelVersion)
		}
	})
}

func TestIndicatorValues(t *testing.T) {
	tests := []struct {
		name  string
		ent   func() *catalog.Enterprise
		code  string
		want  float64
		isNil bool
	}{
		{"R&D growth from the two latest reports", func() *catalog.Enterprise { return enterprise(1) }, "rd_expense_growth", 800.0/600 - 1, false},
		{"revenue growth from the two latest reports", func() *catalog.Enterprise { return enterprise(1) }, "revenue_growth", 0.25, false},
		{"tech staff share over employees", func() *catalog.Enterprise { return enterprise(1) }, "tech_staff_share", 35.0 / 120, false},
		{"R&D intensity", func() *catalog.Enterprise { return enterprise(1) }, "rd_intensity", 0.08, false},
		{"no previous year means no growth", func() *catalog.Enterprise {
			e := enterprise(1)
			e.Reports = e.Reports[1:]
			return e
		}, "revenue_growth", 0, true},
		{"a gap year means no growth", func() *catalog.Enterprise {
			e := enterprise(1)
			e.Reports[0].Year = 2023
			return e
		}, "rd_expense_growth", 0, true},
		{"no employees means no share", func() *catalog.Enterprise {
			e := enterprise(1)
			e.Employees = 0
			return e
		}, "postgraduate_share", 0, true},
		{"no report means no value", func() *catalog.Enterprise {
			e := enterprise(1)
			e.Reports = nil
			return e
		}, "rd_expense", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := engineWith([]*catalog.Enterprise{tt.ent()}, nil, nil, nil)
			s, _ := e.InnovationScore(1)
			for _, ind := range s.Indicators {
				if ind.Code != tt.code {
					continue
				}
				switch {
				case tt.isNil && ind.Value != nil:
					t.Errorf("value %v, want nil", *ind.Value)
				case tt.isNil && ind.Points != 0:
					t.Errorf("a missing value earned %v points", ind.Points)
				case !tt.isNil && (ind.Value == nil || math.Abs(*ind.Value-tt.want) > 1e-9):
					t.Errorf("value %v, want %v", ind.Value, tt.want)
				}
				return
			}
			t.Fatalf("no indicator %s", tt.code)
		})
	}
}

// TestScoreMonotoneInEveryIndicator raises one indicator of one member of
// random cohorts and checks the member's total never falls.
func TestScoreMonotoneInEveryIndicator(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	w := DefaultIndicatorWeights()
	for trial := range 300 {
		var c cohort
		members := make([][IndicatorCount]float64, 2+rng.IntN(40))
		for m := range members {
			for i := range members[m] {
				if rng.IntN(6) == 0 {
					members[m][i] = absent
				} else {
					members[m][i] = float64(rng.IntN(10))
				}
			}
			c.add(&members[m])
		}
		me := &members[rng.IntN(len(members))]
		before := c.total(me, &w.Stable)
		i := trial % IndicatorCount
		raised := *me
		if math.IsNaN(raised[i]) {
			raised[i] = float64(rng.IntN(10) - 5)
		} else {
			raised[i] += float64(rng.IntN(4))
		}
		c.remove(me)
		c.add(&raised)
		if after := c.total(&raised, &w.Stable); after < before {
			t.Fatalf("trial %d: raising %s from %v to %v lowered the total from %d to %d",
				trial, indicators[i].Code, me[i], raised[i], before, after)
		}
	}
}

// TestScoreMonotoneThroughTheEngine raises raw report fields that feed only
// rising indicators and checks the engine's total never falls.
func TestScoreMonotoneThroughTheEngine(t *testing.T) {
	raise := map[string]func(r *catalog.AnnualReport){
		"R&D expense":          func(r *catalog.AnnualReport) { r.RDExpense += catalog.Yuan(40_000) },
		"tech staff":           func(r *catalog.AnnualReport) { r.TechStaff += 3 },
		"patent applications":  func(r *catalog.AnnualReport) { r.InventionPatentApplications += 2 },
		"PCT applications":     func(r *catalog.AnnualReport) { r.PCTApplications++ },
		"tech contracts":       func(r *catalog.AnnualReport) { r.TechContractTurnover += catalog.Yuan(30_000) },
		"high-tech revenue":    func(r *catalog.AnnualReport) { r.HighTechProductRevenue += catalog.Yuan(300_000) },
		"postgraduates":        func(r *catalog.AnnualReport) { r.Postgraduates += 2 },
		"R&D tax deduction":    func(r *catalog.AnnualReport) { r.RDTaxDeduction += catalog.Yuan(5_000) },
		"return on equity":     func(r *catalog.AnnualReport) { r.ReturnOnEquityPercent += 2.5 },
		"graduates hired":      func(r *catalog.AnnualReport) { r.GraduatesHired += 2 },
		"innovation platforms": func(r *catalog.AnnualReport) { r.InnovationPlatforms++ },
		"science awards":       func(r *catalog.AnnualReport) { r.ScienceAwards++ },
		"equity financing":     func(r *catalog.AnnualReport) { r.EquityFinancing += catalog.Yuan(20_000) },
		"science plan":         func(r *catalog.AnnualReport) { r.SciencePlanProjects++ },
	}
	rng := rand.New(rand.NewPCG(3, 4))
	var ents []*catalog.Enterprise
	for i := range 60 {
		ents = append(ents, cohortEnterprise(int64(i+1), rng.IntN(15)))
	}
	e := engineWith(ents, nil, nil, nil)
	for name, f := range raise {
		t.Run("raising "+name, func(t *testing.T) {
			for range 5 {
				id := int64(1 + rng.IntN(len(ents)))
				before, _ := e.InnovationScore(id)
				ent := cloneEnterprise(ents[id-1])
				f(&ent.Reports[len(ent.Reports)-1])
				e.UpsertEnterprise(ent)
				after, _ := e.InnovationScore(id)
				if after.Total < before.Total {
					t.Fatalf("enterprise %d: total fell from %d to %d", id, before.Total, after.Total)
				}
				ents[id-1] = ent
			}
		})
	}
}

func TestZeroConfigIsTheDefault(t *testing.T) {
	e := New(Config{Today: testConfig().Today})
	want := New(testConfig())
	if e.ModelVersion() != want.ModelVersion() || e.cfg.EarlySmallHard != want.cfg.EarlySmallHard ||
		e.cfg.EagerCohortLimit != want.cfg.EagerCohortLimit || e.cfg.TopPerResource != want.cfg.TopPerResource {
		t.Errorf("zero config: %+v", e.cfg)
	}
}
