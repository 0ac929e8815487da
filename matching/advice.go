package matching

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/yurong/yurong/catalog"
)

// AdviceKind names what an Advice aims at.
type AdviceKind string

// The targets of advice.
const (
	// TargetScore: an innovation total of at least AdviceTarget.Score.
	TargetScore AdviceKind = "SCORE"
	// TargetGrade: a grade of at least AdviceTarget.Grade.
	TargetGrade AdviceKind = "GRADE"
	// TargetEarlySmallHard: the early-small-hard list.
	TargetEarlySmallHard AdviceKind = "EARLY_SMALL_HARD"
	// TargetProduct: eligibility for the product AdviceTarget.ProductID.
	TargetProduct AdviceKind = "PRODUCT"
)

// AdviceTarget is what an enterprise wants to reach.
type AdviceTarget struct {
	Kind      AdviceKind
	Score     int
	Grade     catalog.ScoreGrade
	ProductID int64
}

// Advice says how an enterprise reaches a target by changing its own
// figures: the alternative paths, cheapest first by effort (ADR 020). Every
// path was rescored exactly by the engine and reaches the target; none of
// its steps can be made smaller with the others kept and still reach it.
// Its texts cite the enterprise's figures: it is private like them.
type Advice struct {
	EnterpriseID int64
	Target       AdviceTarget
	// Reached: the enterprise meets the target already.
	Reached bool
	// Reachable: at least one path reaches it. False with Blockers that no
	// own figure can lift (the founding date, the track, the city…).
	Reachable bool
	// Blockers that no change of the enterprise's own figures can lift.
	Blockers []string
	// ScoreBefore is the innovation total now; ScoreNeeded the least total
	// the target asks for, 0 when it asks for none.
	ScoreBefore, ScoreNeeded int
	Paths                    []AdvicePath
	Summary                  string // Chinese: the best path, or why there is none
	ModelVersion             string
}

// AdvicePath is one way to the target.
type AdvicePath struct {
	Steps []AdviceStep
	// Effort is the sum of the steps' efforts, in effort points.
	Effort float64
	// ScoreAfter is the innovation total after every step, rescored
	// exactly; GradeAfter its grade.
	ScoreAfter int
	GradeAfter catalog.ScoreGrade
	Summary    string // Chinese, with the numbers
}

// AdviceStep is one change of one figure, or one qualification or entry
// to obtain.
type AdviceStep struct {
	// Lever is the figure's code (an indicator's, e.g.
	// "invention_patent_applications"), "qualification" or
	// "competition_entry".
	Lever string
	Name  string // Chinese
	// From and To are the figure before and after (a count, or yuan for
	// amounts); Increase is To − From. Zero for a qualification or an entry.
	From, To, Increase float64
	Unit               string
	// Qualification obtained, for Lever "qualification".
	Qualification catalog.Qualification
	// Points is what this step alone adds to the innovation total,
	// rescored exactly; the steps' points need not add up to the path's
	// gain (percentile points are not additive), hence "约" in Text.
	Points int
	Effort float64
	Text   string // Chinese
}

// MaxAdvicePaths is how many alternative paths an Advice holds at most.
const MaxAdvicePaths = 3

// Advise computes the advice for an enterprise and a target; ok is false
// for an unknown enterprise or product, or an unknown target kind.
func (e *Engine) Advise(enterpriseID int64, t AdviceTarget) (Advice, bool) {
	i, ok := e.lookup(enterpriseID)
	if !ok {
		return Advice{}, false
	}
	defer e.mu.RUnlock()
	return e.advise(e.newProbe(i), t)
}

// HowToQualify is the advice that makes a pairing eligible: for a
// FINANCING pairing, eligibility for the product; for the other kinds, the
// blockers, which no own figure lifts.
func (e *Engine) HowToQualify(kind catalog.PairingKind, enterpriseID, resourceID int64) (Advice, bool) {
	k, ok := kindIndex(kind)
	if !ok {
		return Advice{}, false
	}
	i, ok := e.lookup(enterpriseID)
	if !ok {
		return Advice{}, false
	}
	defer e.mu.RUnlock()
	res, ok := e.resIdx[k][resourceID]
	if !ok {
		return Advice{}, false
	}
	if k == kFinancing {
		return e.advise(e.newProbe(i), AdviceTarget{Kind: TargetProduct, ProductID: resourceID})
	}
	pr := e.explain(k, i, res)
	a := Advice{EnterpriseID: enterpriseID, Target: AdviceTarget{Kind: AdviceKind(kind)}, ScoreBefore: e.ents[i].total,
		Reached: pr.Eligible, Reachable: pr.Eligible, Blockers: pr.Blockers, Paths: []AdvicePath{}, ModelVersion: e.modelVersion}
	if a.Reached {
		a.Summary = "已符合配对条件"
	} else {
		a.Summary = "无法通过调整自身指标满足：" + strings.Join(pr.Blockers, "；")
	}
	return a, true
}

// AdviseBlocked is the advice for every ineligible FINANCING pairing of an
// enterprise, by product id ascending: how to qualify for each product it
// does not qualify for. Products asking the same of it share one search.
func (e *Engine) AdviseBlocked(enterpriseID int64) []Advice {
	i, ok := e.lookup(enterpriseID)
	if !ok {
		return nil
	}
	defer e.mu.RUnlock()
	return e.adviseBlocked(e.newProbe(i), func(*prodView) bool { return true })
}

// adviseBlocked advises on the ineligible products keep accepts. Call with
// the read lock held.
func (e *Engine) adviseBlocked(p *probe, keep func(*prodView) bool) []Advice {
	v := p.v
	type sig struct {
		score        int
		quals        uint32
		entry        bool
		unactionable string
	}
	cache := map[sig]Advice{}
	var out []Advice
	ids := make([]int64, 0, len(e.prods))
	for _, pv := range e.prods {
		if _, ok := e.x.quickProduct(v, pv); !ok && keep(pv) {
			ids = append(ids, pv.id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		pv := e.prods[e.resIdx[kFinancing][id]]
		r := e.productRequirements(p, pv)
		if r.modelMin > 0 || pv.model != nil {
			a, _ := e.advise(p, AdviceTarget{Kind: TargetProduct, ProductID: id})
			out = append(out, a)
			continue
		}
		s := sig{score: r.score, quals: pv.quals, entry: r.entry, unactionable: strings.Join(r.unactionable, "|")}
		a, seen := cache[s]
		if !seen {
			a, _ = e.advise(p, AdviceTarget{Kind: TargetProduct, ProductID: id})
			cache[s] = a
		} else {
			old := a.prefix(e)
			a.Target.ProductID = id
			a.Summary = a.prefix(e) + strings.TrimPrefix(a.Summary, old)
		}
		out = append(out, a)
	}
	return out
}

// requirements are what a target asks that the enterprise lacks, split by
// how it can be met.
type requirements struct {
	score     int // least innovation total, 0 for none
	grade     catalog.ScoreGrade
	hasGrade  bool
	quals     []catalog.Qualification // obtain one of these
	entry     bool                    // enter this year's competition
	intensity bool                    // raise R&D to the early-small-hard intensity
	tech      bool                    // a patent application or the HIGH_TECH qualification
	// modelMin is the least score of the product's institution model; the
	// search climbs the model's score toward it (probe.gauge).
	modelMin     int
	model        *modelView
	unactionable []string
}

// productRequirements analyses a product's rules for the enterprise.
func (e *Engine) productRequirements(p *probe, pv *prodView) requirements {
	v := p.v
	var r requirements
	a := explaining(Explained)
	// The rules no own change lifts are those still failing for the
	// enterprise with every liftable requirement met: the highest score
	// under both models, every qualification, this year's entry.
	lifted := *v
	lifted.total, lifted.quals, lifted.entered = 1000, ^uint32(0), true
	lifted.modelTotals = make([]int32, len(v.modelTotals))
	for k := range lifted.modelTotals {
		lifted.modelTotals[k] = 1000
	}
	productEligibility(&a, &lifted, pv, e.asOf)
	r.unactionable = a.blockers
	el := &pv.src.Eligibility
	if pv.minScore >= 0 && v.total < pv.minScore {
		r.score = pv.minScore
	}
	if pv.quals != 0 && pv.quals&v.quals == 0 {
		r.quals = slices.Clone(el.Qualifications)
	}
	if pv.needEntry && !v.entered {
		r.entry = true
	}
	if m := pv.model; m != nil && m.minScore > 0 && v.modelTotal(m.slot) < m.minScore {
		r.modelMin, r.model = m.minScore, m
	}
	return r
}

// advise computes the advice of target t with probe p.
func (e *Engine) advise(p *probe, t AdviceTarget) (Advice, bool) {
	v := p.v
	a := Advice{EnterpriseID: v.id, Target: t, ScoreBefore: v.total, Paths: []AdvicePath{}, Blockers: []string{}, ModelVersion: e.modelVersion}
	var r requirements
	var reached func(o *outcome) bool
	switch t.Kind {
	case TargetScore:
		if t.Score < 0 || t.Score > 1000 {
			return Advice{}, false
		}
		r.score = t.Score
		reached = func(o *outcome) bool { return o.total >= t.Score }
	case TargetGrade:
		if gradeRank(t.Grade) < 0 {
			return Advice{}, false
		}
		r.hasGrade, r.grade = true, t.Grade
		r.score = p.gradeScore(t.Grade)
		reached = func(o *outcome) bool { return gradeRank(p.gradeOf(o)) >= gradeRank(t.Grade) }
	case TargetEarlySmallHard:
		r = e.eshRequirements(p)
		reached = func(o *outcome) bool { return earlySmallHard(o.ent, e.cfg.EarlySmallHard, e.asOf, false).Listed }
	case TargetProduct:
		res, ok := e.resIdx[kFinancing][t.ProductID]
		if !ok {
			return Advice{}, false
		}
		pv := e.prods[res]
		r = e.productRequirements(p, pv)
		reached = func(o *outcome) bool { return e.eligibleAfter(p, o, pv) }
	default:
		return Advice{}, false
	}
	a.ScoreNeeded = r.score
	if r.score > 1000 {
		r.unactionable = append(r.unactionable, fmt.Sprintf("豫科积分满分 1000 分，无法达到 %d 分", r.score))
	}
	o0 := p.eval(&change{})
	if reached(&o0) {
		a.Reached, a.Reachable = true, true
		a.ScoreNeeded = 0
		a.Summary = a.prefix(e) + "已达到，无需调整"
		return a, true
	}
	if p.src.LatestReport() == nil && (r.score > 0 || r.intensity || r.modelMin > 0) {
		r.unactionable = append(r.unactionable, "无年报：请先填报最近一年的年报，再据以测算")
	}
	if len(r.unactionable) > 0 {
		a.Blockers = r.unactionable
		a.Summary = a.prefix(e) + "无法通过调整自身指标达到：" + strings.Join(r.unactionable, "；")
		return a, true
	}
	paths := e.searchPaths(p, r, reached)
	for _, c := range paths {
		a.Paths = append(a.Paths, e.describe(p, c, r))
	}
	a.Reachable = len(a.Paths) > 0
	if !a.Reachable {
		a.Blockers = []string{"在可调整指标的合理范围内无法达到"}
		a.Summary = a.prefix(e) + "在可调整指标的合理范围内无法达到"
		return a, true
	}
	a.Summary = a.prefix(e) + a.Paths[0].Summary
	return a, true
}

// prefix opens an advice's summary with its target.
func (a *Advice) prefix(e *Engine) string {
	switch a.Target.Kind {
	case TargetScore:
		return fmt.Sprintf("目标豫科积分 %d 分：", a.Target.Score)
	case TargetGrade:
		return fmt.Sprintf("目标等级「%s」：", gradeNames[a.Target.Grade])
	case TargetEarlySmallHard:
		return "列入早小硬企业名单："
	case TargetProduct:
		if res, ok := e.resIdx[kFinancing][a.Target.ProductID]; ok {
			return e.productSummaryPrefix(e.prods[res])
		}
	}
	return ""
}

func (e *Engine) productSummaryPrefix(pv *prodView) string {
	return fmt.Sprintf("符合「%s」的申请条件：", pv.src.Name)
}

// eligibleAfter reports whether the changed copy is eligible for the
// product, through the engine's own view and eligibility rules.
func (e *Engine) eligibleAfter(p *probe, o *outcome, pv *prodView) bool {
	w := deriveEntView(o.ent, &e.cfg, e.asOf, &e.rel, p.v.text)
	w.total = o.total
	if m := pv.model; m != nil {
		w.modelTotals = slices.Clone(p.v.modelTotals)
		w.modelTotals[m.slot] = int32(p.weighted(&o.values, o.stage, &m.weights[stageIndex(o.stage)]))
	}
	var a acc
	productEligibility(&a, w, pv, e.asOf)
	return !a.blocked
}

// eshRequirements analyses the early-small-hard rule for the enterprise.
func (e *Engine) eshRequirements(p *probe) requirements {
	var r requirements
	src := p.src
	f := earlySmallHard(src, e.cfg.EarlySmallHard, e.asOf, true)
	if !f.Early {
		r.unactionable = append(r.unactionable, f.Reasons[0])
	}
	if !f.Small {
		r.unactionable = append(r.unactionable, f.Reasons[1])
	}
	if src.Track == catalog.OtherTrack || src.Track == "" {
		r.unactionable = append(r.unactionable, fmt.Sprintf("硬：赛道「%s」不属于硬科技赛道", trackName(src.Track)))
	}
	if src.CreditStatus == catalog.CreditDishonest {
		r.unactionable = append(r.unactionable, dishonestBlocker)
	}
	latest := src.LatestReport()
	if latest == nil {
		r.unactionable = append(r.unactionable, "无年报：请先填报最近一年的年报，再据以测算")
		return r
	}
	if !src.HasQualification(catalog.HighTech) && latest.InventionPatentApplications == 0 {
		r.tech = true
	}
	if latest.Revenue > 0 && float64(latest.RDExpense)/float64(latest.Revenue) < e.cfg.EarlySmallHard.MinRDIntensity || latest.Revenue <= 0 && latest.RDExpense <= 0 {
		r.intensity = true
	}
	return r
}

// gradeScore is the least total that would earn grade g with the cohort's
// totals as they are (the search then checks the grade exactly).
func (p *probe) gradeScore(g catalog.ScoreGrade) int {
	for t := p.v.total; t <= 1000; t++ {
		o := outcome{stage: p.v.stage, total: t}
		if gradeRank(p.gradeOfTotal(&o)) >= gradeRank(g) {
			return t
		}
	}
	return 1001
}

// gradeOfTotal is gradeOf with the other members' totals as the engine
// holds them, for the estimate only.
func (p *probe) gradeOfTotal(o *outcome) catalog.ScoreGrade {
	c := &p.e.cohorts[stageIndex(o.stage)]
	n, higher := len(c.totals), len(c.totals)-upperBound(c.totals, o.total)
	if p.v.total > o.total {
		higher--
	}
	if n == 0 {
		return catalog.Leading
	}
	return gradeOf(float64(higher) / float64(n))
}

// gradeRank orders grades, BASELINE lowest; -1 for an unknown grade.
func gradeRank(g catalog.ScoreGrade) int {
	switch g {
	case catalog.Baseline:
		return 0
	case catalog.Advancing:
		return 1
	case catalog.Racing:
		return 2
	case catalog.Leading:
		return 3
	}
	return -1
}

// searchPaths finds up to MaxAdvicePaths changes reaching the target,
// cheapest first: the alternatives of each requirement are combined,
// checked with the full predicate, completed by climbing the score when
// the combination falls short, and minimised step by step.
func (e *Engine) searchPaths(p *probe, r requirements, reached func(*outcome) bool) []change {
	alts := [][]change{}
	province := func(o *outcome) int { return o.total }
	if r.score > 0 {
		alts = append(alts, p.scoreAlternatives(r.score, province))
	}
	var model func(o *outcome) int
	if r.modelMin > 0 {
		w := &r.model.weights
		model = func(o *outcome) int { return p.weighted(&o.values, o.stage, &w[stageIndex(o.stage)]) }
		alts = append(alts, p.scoreAlternatives(r.modelMin, model))
	}
	// A combination falling short climbs the score the target asks most of.
	p.gauge, p.hint = province, r.score
	if model != nil {
		p.gauge, p.hint = model, r.modelMin
	}
	if len(r.quals) > 0 {
		var qs []change
		for _, q := range r.quals {
			qs = append(qs, change{quals: []catalog.Qualification{q}})
		}
		slices.SortFunc(qs, func(a, b change) int { return cmp.Compare(a.effort(), b.effort()) })
		alts = append(alts, qs[:min(len(qs), MaxAdvicePaths)])
	}
	if r.entry {
		alts = append(alts, []change{{entry: true}})
	}
	if r.tech {
		var pat change
		pat.units[leverPatents] = 1
		alts = append(alts, []change{pat, {quals: []catalog.Qualification{catalog.HighTech}}})
	}
	if r.intensity {
		alts = append(alts, []change{p.intensityChange()})
	}
	combos := []change{{}}
	for _, as := range alts {
		if len(as) == 0 {
			return nil // a requirement no change meets
		}
		var next []change
		for _, c := range combos {
			for _, x := range as {
				next = append(next, merge(c, x))
			}
		}
		combos = next
	}
	var found []change
	for _, c := range combos {
		o := p.eval(&c)
		if !reached(&o) {
			var ok bool
			if c, ok = p.climb(c, reached, -1); !ok {
				continue
			}
		}
		c = p.minimise(c, reached)
		if !slices.ContainsFunc(found, func(f change) bool { return sameChange(f, c) }) {
			found = append(found, c)
		}
	}
	slices.SortStableFunc(found, func(a, b change) int { return cmp.Compare(a.effort(), b.effort()) })
	return found[:min(len(found), MaxAdvicePaths)]
}

func sameChange(a, b change) bool {
	return a.units == b.units && a.entry == b.entry && slices.Equal(slices.Sorted(slices.Values(a.quals)), slices.Sorted(slices.Values(b.quals)))
}

// scoreAlternatives are changes of the levers alone reaching a total of
// need: each lever alone, and two mixes climbed greedily (the second
// without the first's main lever).
func (p *probe) scoreAlternatives(need int, gauge func(*outcome) int) []change {
	reach := func(o *outcome) bool { return gauge(o) >= need }
	p.gauge, p.hint = gauge, need
	var out []change
	mix, ok := p.climb(change{}, reach, -1)
	if ok {
		mix = p.minimise(mix, reach)
		out = append(out, mix)
		main, most := -1, 0.0
		for l, u := range mix.units {
			if f := float64(u) * levers[l].effort; f > most {
				main, most = l, f
			}
		}
		if alt, ok := p.climb(change{}, reach, main); ok {
			out = append(out, p.minimise(alt, reach))
		}
	}
	for l := range levers {
		if p.caps[l] == 0 {
			continue
		}
		var c change
		c.units[l] = p.caps[l]
		if o := p.eval(&c); !reach(&o) {
			continue
		}
		c.units[l] = p.leastUnits(c, l, 1, p.caps[l], reach)
		out = append(out, c)
	}
	slices.SortStableFunc(out, func(a, b change) int { return cmp.Compare(a.effort(), b.effort()) })
	var dedup []change
	for _, c := range out {
		if !slices.ContainsFunc(dedup, func(f change) bool { return sameChange(f, c) }) {
			dedup = append(dedup, c)
		}
	}
	return dedup[:min(len(dedup), MaxAdvicePaths)]
}

// leastUnits is the fewest units of lever l in [lo, hi] with which c
// (its other levers kept) is reached; reached must hold at hi. Every
// predicate here is monotone in every lever, so a binary search finds it.
func (p *probe) leastUnits(c change, l, lo, hi int, reached func(*outcome) bool) int {
	for lo < hi {
		m := lo + (hi-lo)/2
		c.units[l] = m
		if o := p.eval(&c); reached(&o) {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return hi
}

// climb raises the gauge (a total) from c until reached holds, each round taking
// the lever step with the most points per effort point among the least
// steps of each lever that gain a third of the remaining gap (or all the
// lever has). exclude (-1 for none) is a lever not to use. It reports
// false when the levers run out first.
func (p *probe) climb(c change, reached func(*outcome) bool, exclude int) (change, bool) {
	for range 64 {
		o := p.eval(&c)
		if reached(&o) {
			return c, true
		}
		now := p.gauge(&o)
		target := now + 1
		if need := p.hint; need > now {
			target = now + max(1, (need-now+2)/3)
		}
		best, bestUnits, bestRatio := -1, 0, 0.0
		for l := range levers {
			room := p.caps[l] - c.units[l]
			if l == exclude || room <= 0 {
				continue
			}
			d := c
			d.units[l] = p.caps[l]
			top := p.eval(&d)
			topGauge := p.gauge(&top)
			if topGauge <= now {
				continue
			}
			u := p.caps[l]
			if topGauge >= target {
				u = p.leastUnits(c, l, c.units[l]+1, p.caps[l], func(x *outcome) bool { return p.gauge(x) >= target })
			}
			d.units[l] = u
			at := p.eval(&d)
			gain := float64(p.gauge(&at) - now)
			cost := float64(u-c.units[l]) * levers[l].effort
			if c.units[l] == 0 {
				cost += stepOverhead // a lever not yet in the path
			}
			if ratio := gain / cost; best < 0 || ratio > bestRatio {
				best, bestUnits, bestRatio = l, u, ratio
			}
		}
		if best < 0 {
			// No lever raises the total: what is left of the target is
			// not the score's (or cannot be reached).
			return c, false
		}
		c.units[best] = bestUnits
	}
	return c, false
}

// minimise lowers each lever of c, then drops each qualification and the
// entry, as far as reached still holds: afterwards no single step can be
// made smaller, and (every predicate being monotone) no smaller change
// along the same path reaches the target.
func (p *probe) minimise(c change, reached func(*outcome) bool) change {
	for l := range c.units {
		if c.units[l] > 0 {
			c.units[l] = p.leastUnits(c, l, 0, c.units[l], reached)
		}
	}
	for i := 0; i < len(c.quals); {
		d := c.clone()
		d.quals = slices.Delete(d.quals, i, i+1)
		if o := p.eval(&d); reached(&o) {
			c = d
			continue
		}
		i++
	}
	if c.entry {
		d := c.clone()
		d.entry = false
		if o := p.eval(&d); reached(&o) {
			c = d
		}
	}
	return c
}

// intensityChange is the least R&D expense reaching the early-small-hard
// R&D intensity, in whole 万元.
func (p *probe) intensityChange() change {
	var c change
	latest := p.src.LatestReport()
	if latest == nil {
		return c
	}
	least := p.e.cfg.EarlySmallHard.MinRDIntensity
	ok := func(o *outcome) bool {
		r := o.ent.LatestReport()
		if r.Revenue > 0 {
			return float64(r.RDExpense)/float64(r.Revenue) >= least
		}
		return r.RDExpense > 0
	}
	hi := 1
	for {
		c.units[leverRD] = hi
		if o := p.eval(&c); ok(&o) || hi >= maxLeverUnits {
			break
		}
		hi *= 2
	}
	c.units[leverRD] = p.leastUnits(c, leverRD, 1, hi, ok)
	return c
}

// describe writes a change as an AdvicePath with its numbers.
func (e *Engine) describe(p *probe, c change, r requirements) AdvicePath {
	o := p.eval(&c)
	path := AdvicePath{Effort: math.Round(c.effort()*100) / 100, ScoreAfter: o.total, GradeAfter: p.gradeOf(&o)}
	latest := p.src.LatestReport()
	var parts []string
	for l, u := range c.units {
		if u == 0 {
			continue
		}
		lv := &levers[l]
		var one change
		one.units[l] = u
		points := p.eval(&one).total - p.v.total
		from := float64(lv.get(latest))
		step := AdviceStep{Lever: lv.code, Name: lv.name, Unit: lv.unit, Points: points, Effort: stepOverhead + float64(u)*lv.effort}
		var text string
		if lv.amount {
			inc := catalog.Amount(u) * wanUnit
			step.From, step.Increase = from/100, inc.Float()
			step.To = step.From + step.Increase
			text = fmt.Sprintf("%s增加 %s（%s → %s）", lv.name, wan(inc), wan(catalog.Amount(from)), wan(catalog.Amount(from)+inc))
			if l == leverRD && latest.Revenue > 0 {
				text = fmt.Sprintf("研发费用增加 %s（研发费用占比提高到 %s）", wan(inc), percent(float64(catalog.Amount(from)+inc)/float64(latest.Revenue)))
			}
		} else {
			step.From, step.Increase = from, float64(u)
			step.To = from + float64(u)
			text = fmt.Sprintf("%s再增加 %d %s（%d → %d %s）", lv.name, u, lv.unit, int(from), int(from)+u, lv.unit)
			if (lv.code == "tech_staff" || lv.code == "postgraduates") && p.src.Employees > 0 {
				text += fmt.Sprintf("，占职工比重提高到 %s", percent((from+float64(u))/float64(p.src.Employees)))
			}
		}
		if points > 0 && (r.score > 0 || r.hasGrade) {
			if !strings.HasSuffix(text, "）") {
				text += "，"
			}
			text += fmt.Sprintf("可加约 %d 分", points)
		}
		step.Text = text
		step.Effort = math.Round(step.Effort*100) / 100
		path.Steps = append(path.Steps, step)
	}
	for _, q := range c.quals {
		one := change{quals: []catalog.Qualification{q}}
		step := AdviceStep{Lever: "qualification", Name: qualificationName(q), Qualification: q, Effort: qualificationEffort[q],
			Points: p.eval(&one).total - p.v.total, Text: fmt.Sprintf("取得「%s」资质", qualificationName(q))}
		path.Steps = append(path.Steps, step)
	}
	if c.entry {
		path.Steps = append(path.Steps, AdviceStep{Lever: "competition_entry", Name: "中国创新创业大赛参赛", Effort: entryEffort,
			Text: fmt.Sprintf("报名参加 %d 年中国创新创业大赛", e.asOf.Year())})
	}
	// Steps with the most points first, as the example reads.
	slices.SortStableFunc(path.Steps, func(a, b AdviceStep) int { return cmp.Compare(b.Points, a.Points) })
	for _, s := range path.Steps {
		parts = append(parts, s.Text)
	}
	var b strings.Builder
	switch need := max(r.score, 0); {
	case r.hasGrade:
		// The grade's threshold is an estimate: the other members'
		// totals move with the change in a small cohort.
		fmt.Fprintf(&b, "豫科积分等级需达到「%s」（现 %d 分，按当前队列约需 %d 分）", gradeNames[r.grade], p.v.total, need)
	case need > p.v.total:
		fmt.Fprintf(&b, "豫科积分需再提高 %d 分（现 %d 分，需 %d 分）", need-p.v.total, p.v.total, need)
	}
	modelAfter := 0
	if m := r.model; r.modelMin > 0 {
		now := p.v.modelTotal(m.slot)
		modelAfter = p.weighted(&o.values, o.stage, &m.weights[stageIndex(o.stage)])
		if b.Len() > 0 {
			b.WriteString("，")
		}
		fmt.Fprintf(&b, "机构评分模型（第 %d 版）评分需再提高 %d 分（现 %d 分，需 %d 分）", m.version, r.modelMin-now, now, r.modelMin)
	}
	if b.Len() > 0 {
		b.WriteString("：")
	}
	b.WriteString(strings.Join(parts, "，"))
	fmt.Fprintf(&b, "；调整后豫科积分按当前队列精确重算为 %d 分（%s）", o.total, gradeNames[path.GradeAfter])
	if r.modelMin > 0 {
		fmt.Fprintf(&b, "，机构评分模型评分 %d 分", modelAfter)
	}
	fmt.Fprintf(&b, "，工作量约 %s 点", trimNumber(path.Effort, 2))
	path.Summary = b.String()
	return path
}
