package matching

import (
	"math"
	"slices"

	"github.com/yurong/yurong/catalog"
)

// Counterfactual advice: the smallest changes of an enterprise's own
// figures (levers.go) that reach a target, each rescored exactly as the
// engine would score the enterprise after a write of the changed copy. The
// exact rescoring (probe.eval) uses the engine's own functions
// (indicatorValues, the cohort's points, earlySmallHard, newEntView and
// productEligibility) against the cohorts as they are now, with the
// enterprise's own values replaced by the changed ones, which is what
// UpsertEnterprise does; only the other members' totals are taken as the
// engine holds them (refreshed as a small cohort's would be, see
// docs/adr/023-matching-cohort-refresh.md).

// change is a candidate change: units of each lever, qualifications to
// obtain and whether to enter this year's competition.
type change struct {
	units [leverCount]int
	quals []catalog.Qualification
	entry bool
}

func (c *change) clone() change {
	d := *c
	d.quals = slices.Clone(c.quals)
	return d
}

func (c *change) empty() bool {
	return c.units == [leverCount]int{} && len(c.quals) == 0 && !c.entry
}

// merge is the least change doing what both a and b do.
func merge(a, b change) change {
	out := a.clone()
	for i := range out.units {
		out.units[i] = max(out.units[i], b.units[i])
	}
	for _, q := range b.quals {
		if !slices.Contains(out.quals, q) {
			out.quals = append(out.quals, q)
		}
	}
	out.entry = out.entry || b.entry
	return out
}

// effort is the change's effort in effort points (ADR 020).
func (c *change) effort() float64 {
	sum := 0.0
	for i, u := range c.units {
		if u > 0 {
			sum += stepOverhead + float64(u)*levers[i].effort
		}
	}
	for _, q := range c.quals {
		sum += qualificationEffort[q]
	}
	if c.entry {
		sum += entryEffort
	}
	return sum
}

// outcome is the engine's view of a changed enterprise.
type outcome struct {
	ent    *catalog.Enterprise // the probe's scratch copy, valid until the next eval
	values [IndicatorCount]float64
	stage  catalog.GrowthStage
	total  int
}

// probe evaluates changes of one enterprise against the engine's state.
// Call its methods with the engine's read lock held.
type probe struct {
	e    *Engine
	v    *entView
	src  *catalog.Enterprise
	ent  catalog.Enterprise      // scratch copy the changes are applied to
	reps []catalog.AnnualReport  // the scratch copy's reports
	caps [leverCount]int         // most units worth trying per lever
	base [IndicatorCount]float64 // the enterprise's values as the cohort holds them
	mem  map[[leverCount]int]int // totals of unit vectors already evaluated
	peer []int32                 // members of a small (eager) cohort, for grades
	// gauge and hint are what a climb raises and the value it aims at.
	gauge func(*outcome) int
	hint  int
}

func (e *Engine) newProbe(i int32) *probe {
	v := e.ents[i]
	p := &probe{e: e, v: v, src: v.src, base: v.values, mem: map[[leverCount]int]int{}}
	p.ent = *v.src
	p.reps = slices.Clone(v.src.Reports)
	p.ent.Reports = p.reps
	p.caps = p.leverCaps()
	return p
}

// apply sets the scratch copy to the source changed by c.
func (p *probe) apply(c *change) {
	copy(p.reps, p.src.Reports)
	if len(p.reps) > 0 {
		r := &p.reps[len(p.reps)-1]
		for i, u := range c.units {
			if u > 0 {
				levers[i].add(r, u)
			}
		}
	}
	p.ent.Qualifications = p.src.Qualifications
	if len(c.quals) > 0 {
		p.ent.Qualifications = append(slices.Clip(p.src.Qualifications), c.quals...)
	}
	p.ent.CompetitionEntries = p.src.CompetitionEntries
	if c.entry {
		p.ent.CompetitionEntries = append(slices.Clip(p.src.CompetitionEntries),
			catalog.CompetitionEntry{Year: p.e.asOf.Year(), Group: catalog.StartupGroup, Track: p.src.Track, StageReached: catalog.Preliminary, Award: catalog.NoAward})
	}
}

// eval applies c and rescores the copy exactly: its indicator values,
// its growth stage and its total against its cohort with its own old
// values replaced by the new ones.
func (p *probe) eval(c *change) outcome {
	p.apply(c)
	o := outcome{ent: &p.ent, values: indicatorValues(&p.ent), stage: StageOf(&p.ent)}
	if t, ok := p.mem[c.units]; ok && o.stage == p.v.stage {
		o.total = t
		return o
	}
	o.total = p.weighted(&o.values, o.stage, p.e.indicatorWeights(o.stage))
	if o.stage == p.v.stage {
		p.mem[c.units] = o.total
	}
	return o
}

// weighted is the total (under weights w) the engine gives values after a write moving the
// enterprise's values from p.base to them: the same sum in the same order
// as cohort.total, with the cohort's counts adjusted for the replaced
// value (same stage) or the added one (another stage).
func (p *probe) weighted(values *[IndicatorCount]float64, stage catalog.GrowthStage, w *[IndicatorCount]float64) int {
	c := &p.e.cohorts[stageIndex(stage)]
	same := stage == p.v.stage
	sum := 0.0
	for i := range values {
		v := values[i]
		n := len(c.values[i])
		if !same {
			n++
		}
		if math.IsNaN(v) || n == 0 {
			continue // points 0, as cohort.points
		}
		lower := 0
		if len(c.values[i]) > 0 {
			lower = lowerCount(c.values[i], v)
		}
		if same && stored(p.base[i]) < v {
			lower-- // the old value leaves the cohort
		}
		sum += w[i] * (100 * float64(lower) / float64(n))
	}
	return int(math.Round(sum))
}

// lowerCount is how many of the ascending xs are strictly below v.
func lowerCount(xs []float64, v float64) int {
	lo, hi := 0, len(xs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if xs[m] < v {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// gradeOf is the grade the engine reports for the changed copy with total
// t. A small cohort, refreshed at every write, has its members' totals
// recomputed against the changed distribution; a large one keeps them as
// the engine holds them.
func (p *probe) gradeOf(o *outcome) catalog.ScoreGrade {
	c := &p.e.cohorts[stageIndex(o.stage)]
	same := o.stage == p.v.stage
	if c.size() > p.e.cfg.EagerCohortLimit || !same {
		n, higher := len(c.totals), len(c.totals)-upperBound(c.totals, o.total)
		switch {
		case !same:
			n++
		case p.v.total > o.total:
			higher-- // the old total leaves the cohort
		}
		if n == 0 {
			return catalog.Leading
		}
		return gradeOf(float64(higher) / float64(n))
	}
	if p.peer == nil {
		for j, w := range p.e.ents {
			if w.stage == o.stage && w != p.v {
				p.peer = append(p.peer, int32(j))
			}
		}
	}
	w := p.e.indicatorWeights(o.stage)
	higher := 0
	for _, j := range p.peer {
		m := p.e.ents[j]
		sum := 0.0
		for i := range m.values {
			x := m.values[i]
			n := len(c.values[i])
			if math.IsNaN(x) || n == 0 {
				continue
			}
			lower := lowerCount(c.values[i], x)
			if stored(p.base[i]) < x {
				lower--
			}
			if stored(o.values[i]) < x {
				lower++
			}
			sum += w[i] * (100 * float64(lower) / float64(n))
		}
		if int(math.Round(sum)) > o.total {
			higher++
		}
	}
	return gradeOf(float64(higher) / float64(len(p.peer)+1))
}

// leverCaps finds, per lever, the fewest units past which it earns
// nothing more: every indicator it moves above its cohort's maximum,
// within what bounds the lever (the head count, the R&D expense).
func (p *probe) leverCaps() [leverCount]int {
	var caps [leverCount]int
	latest := p.src.LatestReport()
	if latest == nil {
		return caps // nothing to move without a report
	}
	c := &p.e.cohorts[stageIndex(p.v.stage)]
	for l := range levers {
		room := levers[l].room(p.src, latest)
		limit := maxLeverUnits
		if room >= 0 {
			limit = min(limit, room)
		}
		above := func(u int) bool {
			var ch change
			ch.units[l] = u
			p.apply(&ch)
			vals := indicatorValues(&p.ent)
			for _, i := range levers[l].indicators {
				n := len(c.values[i])
				if n > 0 && !(vals[i] > c.values[i][n-1]) && !math.IsNaN(vals[i]) {
					return false
				}
				if math.IsNaN(vals[i]) && n > 0 && !math.IsInf(c.values[i][n-1], -1) {
					// An absent value (a growth rate without last year's
					// report) does not move; the others still may.
					continue
				}
			}
			return true
		}
		if limit == 0 {
			continue
		}
		u := 1
		for u < limit && !above(u) {
			u *= 2
		}
		caps[l] = min(u, limit)
	}
	p.apply(&change{})
	return caps
}
