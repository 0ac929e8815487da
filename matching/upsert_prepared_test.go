package matching

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPreparedUpsertPredictsTotals: an upsert evaluated under the read
// lock predicts the totals the write gives (pointsAfter), so it applies
// its evaluation instead of evaluating again under the write lock, for
// new enterprises, updates in the same cohort and moves between cohorts.
func TestPreparedUpsertPredictsTotals(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 2))
	d := randomDataset(rng, 80, 8, 5, 8)
	e := New(testConfig())
	e.Rebuild(d)
	for step := range 200 {
		id := int64(1 + rng.IntN(len(d.Enterprises)+5))
		ent := randomEnterprise(rng, id)
		p := e.prepareEnterprise(ent)
		total, models := p.v.total, slices.Clone(p.v.modelTotals)
		gen := e.gen
		e.write(func() []Change {
			if p.gen != e.gen {
				t.Fatalf("step %d: gen moved from %d to %d with no write", step, p.gen, e.gen)
			}
			return e.upsertEnterpriseWith(ent, p)
		})
		i := e.entIdx[id]
		if v := e.ents[i]; v != p.v || v.total != total || !slices.Equal(v.modelTotals, models) {
			t.Fatalf("step %d: predicted total %d and model totals %v, the write gave %d and %v", step, total, models, v.total, v.modelTotals)
		}
		if e.gen == gen {
			t.Fatalf("step %d: a write left gen at %d", step, gen)
		}
		p.release()
		// The prediction itself, against the engine's own total.
		if got, want := e.ents[i].total, e.freshTotal(i); got != want {
			t.Fatalf("step %d: total %d, fresh %d", step, got, want)
		}
		if id > int64(len(d.Enterprises)) {
			d.Enterprises = append(d.Enterprises, ent)
		}
	}
}
