package store

import (
	"context"
	"errors"
	"testing"

	"github.com/yurong/yurong/matching"
	"github.com/yurong/yurong/models"
)

// TestScoringModelVersionsAreImmutable: a revision adds a version and
// leaves the earlier ones as they were; every write is logged.
func TestScoringModelVersionsAreImmutable(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := open(t, loc)
		f := newFinFixture(t, s, 1)
		w := matching.DefaultIndicatorWeights()
		m := &models.Model{InstitutionID: f.bank1.ID, Name: "科创贷模型", CreatedBy: 7}
		v1 := &models.Version{Shared: false, Weights: w, Ignored: []string{}, MinScore: 300, CreatedBy: 7}
		head, _ := s.LogHead(ctx)
		if err := s.CreateScoringModel(ctx, m, v1); err != nil || m.ID == 0 || v1.Version != 1 {
			t.Fatalf("create: %+v %v", m, err)
		}
		w2 := w
		w2.Growth[4] = 0
		v2 := &models.Version{ModelID: m.ID, Shared: true, Weights: w2, Ignored: []string{"invention_patent_applications"}, MinScore: 500}
		if err := s.AddScoringModelVersion(ctx, v2); err != nil || v2.Version != 2 {
			t.Fatalf("revise: %+v %v", v2, err)
		}
		vs, err := s.ScoringModelVersions(ctx, m.ID)
		if err != nil || len(vs) != 2 {
			t.Fatalf("versions: %v %v", vs, err)
		}
		if vs[0].Version != 1 || vs[0].MinScore != 300 || vs[0].Weights != w || vs[0].Shared || len(vs[0].Ignored) != 0 {
			t.Fatalf("version 1 changed: %+v", vs[0])
		}
		if vs[1].Weights != w2 || vs[1].Ignored[0] != "invention_patent_applications" || !vs[1].Shared {
			t.Fatalf("version 2: %+v", vs[1])
		}
		got, err := s.ScoringModel(ctx, m.ID)
		if err != nil || got.Latest.Version != 2 || got.Name != "科创贷模型" || got.InstitutionID != f.bank1.ID {
			t.Fatalf("model: %+v %v", got, err)
		}
		if err := s.AddScoringModelVersion(ctx, &models.Version{ModelID: 999999, Weights: w}); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("revising an unknown model: %v", err)
		}
		if err := s.SetProductScoringModel(ctx, models.Use{ProductID: f.loan.ID, ModelID: m.ID, Mode: matching.ModelReplaces}, 7); err != nil {
			t.Fatal(err)
		}
		uses, err := s.ProductScoringModels(ctx)
		if err != nil || len(uses) != 1 || uses[0].ModelID != m.ID || uses[0].Mode != matching.ModelReplaces {
			t.Fatalf("uses: %+v %v", uses, err)
		}
		if err := s.SetProductScoringModel(ctx, models.Use{ProductID: f.loan.ID}, 7); err != nil {
			t.Fatal(err)
		}
		if uses, _ := s.ProductScoringModels(ctx); len(uses) != 0 {
			t.Fatalf("use not removed: %+v", uses)
		}
		evs, _ := s.ChangesAfter(ctx, head, 10)
		if len(evs) != 4 {
			t.Fatalf("log: %+v", evs)
		}
		for _, ev := range evs {
			if ev.Entity != models.EntityScoringModel {
				t.Fatalf("log: %+v", evs)
			}
		}
		mine, _ := s.ScoringModels(ctx, f.bank1.ID)
		theirs, _ := s.ScoringModels(ctx, f.bank2.ID)
		if len(mine) != 1 || len(theirs) != 0 {
			t.Fatalf("by institution: %d, %d", len(mine), len(theirs))
		}
	})
}
