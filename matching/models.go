package matching

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"

	"github.com/yurong/yurong/catalog"
)

// ScoringModel is one version of an institution's scoring model (联合建模):
// its own weights over the 18 indicators on the innovation score's base
// (the same percentile points within the growth-stage cohort). A zero
// weight ignores an indicator; a shared model has the same weights in
// every stage. Weights are scaled so each stage's sum to 10, so a model
// score is 0–1000 like the province's.
type ScoringModel struct {
	ID            int64
	InstitutionID int64
	Version       int
	Name          string
	Weights       IndicatorWeights
	// MinScore, when positive, is the least model score a product using
	// the model accepts: below it the pairing is blocked.
	MinScore int
}

// ModelMode says how a product uses its model.
type ModelMode string

const (
	// ModelReplaces: the model's score takes the place of the province's
	// in the product's pairings.
	ModelReplaces ModelMode = "REPLACE"
	// ModelAccompanies: the two scores count half each.
	ModelAccompanies ModelMode = "ACCOMPANY"
)

// ModelUse is a product's reference to a model (its latest version).
type ModelUse struct {
	ModelID int64
	Mode    ModelMode
}

// modelView is a model as the engine scores with it.
type modelView struct {
	slot     int // index of the model's totals in entView.modelTotals
	id       int64
	version  int
	name     string
	weights  [3][IndicatorCount]float64 // by stage index, each summing to 10
	minScore int
}

// ValidateModelWeights reports the first problem of a model's weights, in
// Chinese, or "": no weight negative or not finite, and each stage with a
// positive sum.
func ValidateModelWeights(w IndicatorWeights) string {
	for s, stage := range []*[IndicatorCount]float64{&w.Startup, &w.Growth, &w.Stable} {
		sum := 0.0
		for i, x := range stage {
			if x < 0 || math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Sprintf("指标「%s」的权重须为非负数", indicators[i].Name)
			}
			sum += x
		}
		if sum <= 0 {
			return fmt.Sprintf("%s阶段的权重不能全为 0", stageName(catalog.Stages[s]))
		}
	}
	return ""
}

func newModelView(m ScoringModel, slot int) *modelView {
	v := &modelView{slot: slot, id: m.ID, version: m.Version, name: m.Name, minScore: m.MinScore}
	for s, stage := range []*[IndicatorCount]float64{&m.Weights.Startup, &m.Weights.Growth, &m.Weights.Stable} {
		sum := 0.0
		for _, x := range stage {
			sum += max(x, 0)
		}
		for i, x := range stage {
			if sum > 0 {
				v.weights[s][i] = 10 * max(x, 0) / sum
			}
		}
	}
	return v
}

// modelTotal is the enterprise's score under the model in slot, as last
// computed with its province total.
func (v *entView) modelTotal(slot int) int {
	if slot < len(v.modelTotals) {
		return int(v.modelTotals[slot])
	}
	return 0
}

// refreshModelTotals computes enterprise i's score under every model from
// its points against its cohort as it is now. It runs wherever the
// province total is computed (rebuild, upsert, refresh), so the two move
// together (docs/adr/023-matching-cohort-refresh.md applies to both).
func (e *Engine) refreshModelTotals(v *entView) {
	if len(e.rel.models) == 0 {
		v.modelTotals = nil
		return
	}
	c := &e.cohorts[stageIndex(v.stage)]
	var pts [IndicatorCount]float64
	for i := range pts {
		pts[i] = c.points(i, v.values[i])
	}
	v.modelTotals = e.modelTotalsOf(&pts, v.stage)
}

// modelTotalsOf are the totals under every institution model of an
// enterprise of stage whose indicators earned pts.
func (e *Engine) modelTotalsOf(pts *[IndicatorCount]float64, stage catalog.GrowthStage) []int32 {
	if len(e.rel.models) == 0 {
		return nil
	}
	s := stageIndex(stage)
	out := make([]int32, len(e.rel.models))
	for k, m := range e.rel.models {
		sum := 0.0
		for i := range pts {
			sum += m.weights[s][i] * pts[i]
		}
		out[k] = int32(math.Round(sum))
	}
	return out
}

// SetScoringModels replaces the institutions' models (the latest version
// of each) and the products' uses of them. The products whose model,
// version or mode changed are rescored as an upsert of them would be; it
// reports whether anything changed. A Rebuild keeps them.
func (e *Engine) SetScoringModels(models []ScoringModel, uses map[int64]ModelUse) bool {
	slices.SortFunc(models, func(a, b ScoringModel) int { return cmp.Compare(a.ID, b.ID) })
	changed := false
	e.write(func() []Change {
		old := e.rel.models
		oldUses := e.rel.uses
		version := func(ms []*modelView) map[int64]int {
			out := map[int64]int{}
			for _, m := range ms {
				out[m.id] = m.version
			}
			return out
		}
		next := make([]*modelView, 0, len(models))
		idx := make(map[int64]int, len(models))
		for _, m := range models {
			idx[m.ID] = len(next)
			next = append(next, newModelView(m, len(next)))
		}
		nextUses := maps.Clone(uses)
		for id, u := range nextUses {
			if _, ok := idx[u.ModelID]; !ok || (u.Mode != ModelReplaces && u.Mode != ModelAccompanies) {
				delete(nextUses, id)
			}
		}
		oldVersions, newVersions := version(old), version(next)
		sameModels := maps.Equal(oldVersions, newVersions)
		if sameModels && maps.Equal(oldUses, nextUses) {
			return nil
		}
		changed = true
		e.rel.models, e.rel.modelIdx, e.rel.uses = next, idx, nextUses
		if !sameModels || len(old) != len(next) {
			parallel(len(e.ents), runtime.GOMAXPROCS(0), func(lo, hi int) {
				for i := lo; i < hi; i++ {
					e.refreshModelTotals(e.ents[i])
				}
			})
		}
		var changes []Change
		for _, p := range e.prods {
			before, after := oldUses[p.id], nextUses[p.id]
			if before != after || (after.ModelID != 0 && oldVersions[after.ModelID] != newVersions[after.ModelID]) {
				changes = append(changes, e.upsertProduct(p.src)...)
			}
		}
		return dedupeChanges(changes)
	})
	return changed
}

// modelOf is the model a product uses, or nil.
func (rel *relations) modelOf(productID int64) (*modelView, ModelMode) {
	u, ok := rel.uses[productID]
	if !ok {
		return nil, ""
	}
	k, ok := rel.modelIdx[u.ModelID]
	if !ok {
		return nil, ""
	}
	return rel.models[k], u.Mode
}

// scoreProductInnovation adds the innovation factor of a product pairing:
// the province's score, the product's model's score in its place
// (ModelReplaces), or both at half weight (ModelAccompanies).
func (x *evaluator) scoreProductInnovation(a *acc, e *entView, p *prodView, weight float64) {
	m := p.model
	if m == nil {
		x.scoreInnovation(a, e, weight)
		return
	}
	if p.modelMode == ModelAccompanies {
		x.scoreInnovation(a, e, weight/2)
		weight /= 2
	}
	mt := e.modelTotal(m.slot)
	if c := a.add(weight, float64(mt)/1000); a.reason("institution_model", c) {
		a.say(fmt.Sprintf("机构评分模型（第 %d 版）评分 %d 分", m.version, mt))
	}
}

// modelEligibility blocks a pairing below the least score of the
// product's model.
func modelEligibility(a *acc, e *entView, p *prodView) {
	m := p.model
	if m == nil || m.minScore <= 0 {
		return
	}
	if mt := e.modelTotal(m.slot); mt < m.minScore && a.block() {
		a.blocker(fmt.Sprintf("机构评分模型（第 %d 版）评分 %d 低于要求的 %d", m.version, mt, m.minScore))
	}
}

// ModelRef names the model a pairing was scored with.
type ModelRef struct {
	ID      int64
	Version int
	Mode    ModelMode
	Score   int // the enterprise's score under it
}

// ModelComparison compares a model's ranking of a cohort with the
// province's.
type ModelComparison struct {
	ModelID int64
	Version int
	Stage   catalog.GrowthStage
	Members int
	// Spearman is the rank correlation of the two scores over the cohort
	// (ties take their average rank); 0 when either score is constant.
	Spearman float64
	// TopOverlap is how many of the top TopN by the province's score are
	// in the top TopN by the model's (score descending, id ascending).
	TopN, TopOverlap int
}

// CompareModel compares the ranking of a cohort by a model with the
// province's; ok is false for a model the engine does not hold.
func (e *Engine) CompareModel(modelID int64, stage catalog.GrowthStage, topN int) (ModelComparison, bool) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	k, ok := e.rel.modelIdx[modelID]
	if !ok {
		return ModelComparison{}, false
	}
	m := e.rel.models[k]
	type pair struct {
		id              int64
		province, model int
	}
	var ps []pair
	for _, v := range e.ents {
		if v.stage == stage {
			ps = append(ps, pair{v.id, v.total, v.modelTotal(k)})
		}
	}
	out := ModelComparison{ModelID: m.id, Version: m.version, Stage: stage, Members: len(ps), TopN: topN}
	x, y := make([]float64, len(ps)), make([]float64, len(ps))
	for i, p := range ps {
		x[i], y[i] = float64(p.province), float64(p.model)
	}
	out.Spearman = spearman(x, y)
	top := func(score func(pair) int) map[int64]bool {
		s := slices.Clone(ps)
		slices.SortFunc(s, func(a, b pair) int {
			if c := cmp.Compare(score(b), score(a)); c != 0 {
				return c
			}
			return cmp.Compare(a.id, b.id)
		})
		set := map[int64]bool{}
		for _, p := range s[:min(topN, len(s))] {
			set[p.id] = true
		}
		return set
	}
	a, b := top(func(p pair) int { return p.province }), top(func(p pair) int { return p.model })
	for id := range a {
		if b[id] {
			out.TopOverlap++
		}
	}
	return out, true
}

// spearman is Pearson's correlation of the average ranks of x and y.
func spearman(x, y []float64) float64 {
	rx, ry := averageRanks(x), averageRanks(y)
	n := float64(len(x))
	if n < 2 {
		return 0
	}
	var mx, my float64
	for i := range rx {
		mx += rx[i]
		my += ry[i]
	}
	mx, my = mx/n, my/n
	var sxy, sxx, syy float64
	for i := range rx {
		dx, dy := rx[i]-mx, ry[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}

// averageRanks ranks xs from 1, ties sharing the average of their ranks.
func averageRanks(xs []float64) []float64 {
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(xs[a], xs[b]) })
	ranks := make([]float64, len(xs))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && xs[idx[j+1]] == xs[idx[i]] {
			j++
		}
		r := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			ranks[idx[k]] = r
		}
		i = j + 1
	}
	return ranks
}
