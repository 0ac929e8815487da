package matching

import (
	"math/rand/v2"
	"testing"

	"github.com/yurong/yurong/catalog"
)

// patentsOnly is a shared model weighing invention patents alone.
func patentsOnly(id int64, version int) ScoringModel {
	var w [IndicatorCount]float64
	w[4] = 1
	return ScoringModel{ID: id, InstitutionID: 1, Version: version, Name: "专利模型",
		Weights: IndicatorWeights{Startup: w, Growth: w, Stable: w}}
}

func TestAProductRanksByItsInstitutionsModel(t *testing.T) {
	// Two growth enterprises: a spends on R&D, b files patents.
	a, b := enterprise(1), enterprise(2)
	a.Reports[1].RDExpense, a.Reports[1].InventionPatentApplications = catalog.Yuan(5_000_000), 0
	b.Reports[1].RDExpense, b.Reports[1].InventionPatentApplications = catalog.Yuan(100_000), 9
	rng := rand.New(rand.NewPCG(3, 3))
	ents := []*catalog.Enterprise{a, b}
	for i := range 30 {
		ents = append(ents, randomEnterprise(rng, int64(i+10)))
	}
	e := engineWith(ents, []*catalog.FinancialProduct{product(1, catalog.Loan)}, nil, nil)
	innovation := func(id int64) float64 {
		p := mustPairing(e, catalog.Financing, id, 1)
		for _, r := range p.Reasons {
			if r.Factor == "institution_model" || r.Factor == "innovation_score" {
				return r.Contribution
			}
		}
		return 0
	}
	if innovation(1) <= innovation(2) {
		t.Fatalf("the province's score should favour the R&D spender: %v vs %v", innovation(1), innovation(2))
	}
	if !e.SetScoringModels([]ScoringModel{patentsOnly(7, 1)}, map[int64]ModelUse{1: {ModelID: 7, Mode: ModelReplaces}}) {
		t.Fatal("setting a model changed nothing")
	}
	pa, pb := mustPairing(e, catalog.Financing, 1, 1), mustPairing(e, catalog.Financing, 2, 1)
	if pb.Score <= pa.Score {
		t.Fatalf("the patents model should rank b first: a %v b %v", pa.Score, pb.Score)
	}
	if pb.Model == nil || pb.Model.ID != 7 || pb.Model.Version != 1 || pb.Model.Mode != ModelReplaces {
		t.Fatalf("pairing's model %+v", pb.Model)
	}
	found := false
	for _, r := range pb.Reasons {
		if r.Factor == "institution_model" {
			found = true
		}
		if r.Factor == "innovation_score" {
			t.Errorf("a replacing model leaves the province's factor: %+v", r)
		}
	}
	if !found {
		t.Fatalf("no institution_model reason: %+v", pb.Reasons)
	}
	// The candidates of the product follow the model.
	cs := e.Candidates(catalog.Financing, 1, 50, false)
	pos := map[int64]int{}
	for i, c := range cs {
		pos[c.EnterpriseID] = i
	}
	if pos[2] > pos[1] {
		t.Fatalf("candidates not ranked by the model: %v", pos)
	}

	// A new version with a threshold: the pairing records it and blocks.
	v2 := patentsOnly(7, 2)
	v2.MinScore = 999
	e.SetScoringModels([]ScoringModel{v2}, map[int64]ModelUse{1: {ModelID: 7, Mode: ModelAccompanies}})
	pb = mustPairing(e, catalog.Financing, 2, 1)
	if pb.Model.Version != 2 || pb.Eligible || len(pb.Blockers) == 0 {
		t.Fatalf("version 2 not applied: %+v", pb)
	}
	adv, _ := e.Advise(2, AdviceTarget{Kind: TargetProduct, ProductID: 1})
	if adv.Reached {
		t.Fatalf("advice says reached: %+v", adv)
	}
	// Same models again: nothing to do.
	if e.SetScoringModels([]ScoringModel{v2}, map[int64]ModelUse{1: {ModelID: 7, Mode: ModelAccompanies}}) {
		t.Fatal("the same models reported a change")
	}
	cmp, ok := e.CompareModel(7, catalog.Growth, 100)
	if !ok || cmp.Members == 0 || cmp.Spearman < -1 || cmp.Spearman > 1 || cmp.TopOverlap > cmp.Members {
		t.Fatalf("comparison %+v", cmp)
	}
}

func TestSpearman(t *testing.T) {
	for _, c := range []struct {
		name string
		x, y []float64
		want float64
	}{
		{"same order", []float64{1, 2, 3, 4}, []float64{10, 20, 30, 40}, 1},
		{"reversed", []float64{1, 2, 3, 4}, []float64{4, 3, 2, 1}, -1},
		{"ties share their rank", []float64{1, 1, 2}, []float64{1, 1, 2}, 1},
		{"constant", []float64{1, 1, 1}, []float64{1, 2, 3}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := spearman(c.x, c.y); got < c.want-1e-9 || got > c.want+1e-9 {
				t.Fatalf("spearman %v, want %v", got, c.want)
			}
		})
	}
}
