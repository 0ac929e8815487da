package matching

import (
	"cmp"
	"slices"
	"time"

	"github.com/yurong/yurong/catalog"
)

// InnovationScore returns an enterprise's innovation score against its
// cohort as it is now.
func (e *Engine) InnovationScore(enterpriseID int64) (InnovationScore, bool) {
	i, ok := e.lookup(enterpriseID)
	if !ok {
		return InnovationScore{}, false
	}
	defer e.mu.RUnlock()
	v := e.ents[i]
	c := &e.cohorts[stageIndex(v.stage)]
	return c.scoreOf(v.id, &v.values, v.stage, e.indicatorWeights(v.stage), e.modelVersion), true
}

// InnovationTotal returns an enterprise's total as last computed (exact
// after every write to a small cohort; see the cohort-refresh ADR). It is
// cheap enough to filter thousands of enterprises with.
func (e *Engine) InnovationTotal(enterpriseID int64) (int, bool) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	i, ok := e.entIdx[enterpriseID]
	if !ok {
		return 0, false
	}
	return e.ents[i].total, true
}

// ScoreAtLeast reports whether an enterprise's innovation total is at
// least min; unknown enterprises are not.
func (e *Engine) ScoreAtLeast(enterpriseID int64, min int) bool {
	t, ok := e.InnovationTotal(enterpriseID)
	return ok && t >= min
}

// EarlySmallHard returns an enterprise's early-small-hard flags with their
// reasons.
func (e *Engine) EarlySmallHard(enterpriseID int64) (EarlySmallHard, bool) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	i, ok := e.entIdx[enterpriseID]
	if !ok {
		return EarlySmallHard{}, false
	}
	f := earlySmallHard(e.ents[i].src, e.cfg.EarlySmallHard, e.asOf, true)
	f.EnterpriseID = enterpriseID
	return f, true
}

// EarlySmallHardList lists the enterprises on the early-small-hard list
// (never a DISHONEST one), best innovation score first, ties by id.
func (e *Engine) EarlySmallHardList() []int64 {
	return e.rankedEnterprises(func(v *entView) bool { return v.listed })
}

// EquityProjectList lists the warrant-loan holders that are not DISHONEST:
// the equity-financing project list, best innovation score first, ties by
// id.
func (e *Engine) EquityProjectList() []int64 {
	return e.rankedEnterprises(func(v *entView) bool { return v.warrant && !v.dishonest })
}

func (e *Engine) rankedEnterprises(keep func(*entView) bool) []int64 {
	e.mu.RLock()
	defer e.mu.RUnlock()
	var vs []*entView
	for _, v := range e.ents {
		if keep(v) {
			vs = append(vs, v)
		}
	}
	slices.SortFunc(vs, func(a, b *entView) int {
		if c := cmp.Compare(b.total, a.total); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	ids := make([]int64, len(vs))
	for i, v := range vs {
		ids[i] = v.id
	}
	return ids
}

// ranked is an entry of a top list with what is needed to merge lists.
type ranked struct {
	entry
	kind     int
	eligible bool
}

func compareRanked(a, b ranked) int {
	if a.eligible != b.eligible {
		if a.eligible {
			return -1
		}
		return 1
	}
	if c := compareEntries(a.entry, b.entry); c != 0 {
		return c
	}
	return cmp.Compare(a.kind, b.kind)
}

// Matches returns an enterprise's best pairings of a kind (all kinds merged
// by score when kind is nil), at most first of them and at most
// TopPerEnterprise per kind. With eligibleOnly false, ineligible pairings
// follow the eligible ones. Order: eligible first, then score descending,
// then resource id ascending.
func (e *Engine) Matches(enterpriseID int64, kind *catalog.PairingKind, first int, eligibleOnly bool) []Pairing {
	return e.MatchesTo(enterpriseID, kind, first, eligibleOnly, Explained)
}

// MatchesTo is Matches with the pairings explained only to d: a reader
// that shows no reasons or blockers does not pay for their words.
func (e *Engine) MatchesTo(enterpriseID int64, kind *catalog.PairingKind, first int, eligibleOnly bool, d Detail) []Pairing {
	all := [kindCount]int{kFinancing, kIncubation, kIndustryChain}
	kinds := all[:]
	if kind != nil {
		k, ok := kindIndex(*kind)
		if !ok {
			return []Pairing{}
		}
		kinds = all[k : k+1]
	}
	i, ok := e.lookup(enterpriseID)
	if !ok {
		return []Pairing{}
	}
	defer e.mu.RUnlock()
	r := &e.rows[i]
	var buf [2 * kindCount * 20]ranked // TopPerEnterprise's default
	ranks := buf[:0]
	for _, k := range kinds {
		for j, l := range r.lists[k] {
			if j == ineligibleList && eligibleOnly {
				continue
			}
			for _, x := range l.items[:min(len(l.items), e.cfg.TopPerEnterprise)] {
				ranks = append(ranks, ranked{entry: x, kind: k, eligible: j == eligibleList})
			}
		}
	}
	slices.SortFunc(ranks, compareRanked)
	ranks = ranks[:max(0, min(first, len(ranks)))]
	out := make([]Pairing, len(ranks))
	for n, x := range ranks {
		out[n] = e.explainTo(x.kind, i, e.resIdx[x.kind][x.id()], d)
	}
	return out
}

// Candidates returns a resource's best enterprises, at most first and at
// most TopPerResource. With eligibleOnly false, ineligible pairings follow
// the eligible ones.
func (e *Engine) Candidates(kind catalog.PairingKind, resourceID int64, first int, eligibleOnly bool) []Pairing {
	return e.CandidatesTo(kind, resourceID, first, eligibleOnly, Explained)
}

// CandidatesTo is Candidates with the pairings explained only to d.
func (e *Engine) CandidatesTo(kind catalog.PairingKind, resourceID int64, first int, eligibleOnly bool, d Detail) []Pairing {
	k, ok := kindIndex(kind)
	if !ok {
		return []Pairing{}
	}
	e.mu.RLock()
	res, ok := e.resIdx[k][resourceID]
	if !ok {
		e.mu.RUnlock()
		return []Pairing{}
	}
	if e.columnIncomplete(&e.cols[k][res]) {
		e.mu.RUnlock()
		e.mu.Lock()
		if e.columnIncomplete(&e.cols[k][res]) {
			e.fillColumn(k, res, false)
			e.gen++
		}
		e.mu.Unlock()
		e.mu.RLock()
	}
	defer e.mu.RUnlock()
	col := &e.cols[k][res]
	limit := min(first, e.cfg.TopPerResource)
	out := []Pairing{}
	for j, l := range col.lists {
		if j == ineligibleList && eligibleOnly {
			break
		}
		for _, x := range l.items {
			if len(out) >= limit {
				return out
			}
			out = append(out, e.explainTo(k, e.entIdx[x.id()], res, d))
		}
	}
	return out
}

// Pairing computes one pairing on demand, whether or not it is in a top
// list.
func (e *Engine) Pairing(kind catalog.PairingKind, enterpriseID, resourceID int64) (Pairing, bool) {
	k, ok := kindIndex(kind)
	if !ok {
		return Pairing{}, false
	}
	i, ok := e.lookup(enterpriseID)
	if !ok {
		return Pairing{}, false
	}
	defer e.mu.RUnlock()
	res, ok := e.resIdx[k][resourceID]
	if !ok {
		return Pairing{}, false
	}
	return e.explain(k, i, res), true
}

// explain builds the fully explained pairing of enterprise i and resource
// res. Call with the lock held.
func (e *Engine) explain(kind int, i, res int32) Pairing {
	return e.explainTo(kind, i, res, Explained)
}

// explainTo builds the pairing of enterprise i and resource res explained
// to d. Call with the lock held.
func (e *Engine) explainTo(kind int, i, res int32, d Detail) Pairing {
	v := e.ents[i]
	at := laterOf(e.rows[i].at, e.cols[kind][res].at)
	switch kind {
	case kFinancing:
		return e.x.explainProduct(v, e.prods[res], at, d)
	case kIncubation:
		return e.x.explainIncubator(v, e.incs[res], at, d)
	}
	return e.x.explainDemand(v, e.dems[res], at, d)
}

func laterOf(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
