package matching

import (
	"math"
	"slices"
	"sort"

	"github.com/yurong/yurong/catalog"
)

// InnovationScore is an enterprise's 豫科积分. The total, grade and
// percentile are public; the indicators' values are the enterprise's
// private figures (docs/adr/010-public-texts.md).
type InnovationScore struct {
	EnterpriseID int64
	Total        int                // 0–1000
	Grade        catalog.ScoreGrade // band of Percentile
	Percentile   float64            // 100 × share of the cohort with a strictly lower total
	Cohort       catalog.GrowthStage
	Indicators   []IndicatorScore // all 18, in the order of Indicators
	ModelVersion string
}

// IndicatorScore is one indicator's value and what it earned. Value is
// derived from the enterprise's annual reports, so it is private:
// EnterpriseID lets the API layer decide whether a reader may see it.
type IndicatorScore struct {
	EnterpriseID int64
	Code         string
	Name         string   // Chinese
	Value        *float64 // nil when the indicator has no value
	Points       float64  // 0–100: 100 × share of the cohort with a strictly lower value
	Weight       float64  // the stage's weight; the indicator adds Points × Weight
}

// cohort holds, for one growth stage, the sorted distribution of each
// indicator over its members and their sorted totals. Distributions are
// updated on every write, so a member's points are always exact against the
// current cohort; totals are cached per member (see Engine).
type cohort struct {
	values [IndicatorCount][]float64 // ascending; absent values as -Inf
	totals []int                     // ascending cached totals of members
}

func (c *cohort) size() int { return len(c.values[0]) }

// stored maps an indicator value to the form kept in the distribution:
// absent values sort below every present one.
func stored(v float64) float64 {
	if math.IsNaN(v) {
		return math.Inf(-1)
	}
	return v
}

func (c *cohort) add(v *[IndicatorCount]float64) {
	for i := range v {
		c.values[i] = insertSorted(c.values[i], stored(v[i]))
	}
}

func (c *cohort) remove(v *[IndicatorCount]float64) {
	for i := range v {
		c.values[i] = removeSorted(c.values[i], stored(v[i]))
	}
}

func (c *cohort) addTotal(t int)    { c.totals = insertSorted(c.totals, t) }
func (c *cohort) removeTotal(t int) { c.totals = removeSorted(c.totals, t) }

// points is 100 × the share of the cohort whose value of indicator i is
// strictly lower than v; an absent v earns nothing. Raising v never lowers
// it, which makes the total monotone in every indicator.
func (c *cohort) points(i int, v float64) float64 {
	n := len(c.values[i])
	if math.IsNaN(v) || n == 0 {
		return 0
	}
	lower := sort.SearchFloat64s(c.values[i], v)
	return 100 * float64(lower) / float64(n)
}

// pointsAfter is what points(i, v[i]) will be for each indicator once v
// is added to the cohort and drop, when not nil, removed from it, without
// changing the cohort: an upsert evaluates under the read lock what it
// then applies (upsert.go).
func (c *cohort) pointsAfter(v, drop *[IndicatorCount]float64) [IndicatorCount]float64 {
	var pts [IndicatorCount]float64
	for i := range v {
		n := len(c.values[i]) + 1
		if drop != nil {
			n--
		}
		if math.IsNaN(v[i]) {
			continue
		}
		lower := sort.SearchFloat64s(c.values[i], v[i])
		if drop != nil && stored(drop[i]) < v[i] {
			lower--
		}
		pts[i] = 100 * float64(lower) / float64(n)
	}
	return pts
}

// weightedTotal is the weighted sum of pts rounded to an integer, as total
// sums it.
func weightedTotal(pts, w *[IndicatorCount]float64) int {
	sum := 0.0
	for i := range pts {
		sum += w[i] * pts[i]
	}
	return int(math.Round(sum))
}

// total is the weighted sum of the points of v, rounded to an integer.
func (c *cohort) total(v *[IndicatorCount]float64, w *[IndicatorCount]float64) int {
	sum := 0.0
	for i := range v {
		sum += w[i] * c.points(i, v[i])
	}
	return int(math.Round(sum))
}

// rank places total among the cohort's cached totals: the percentile is 100 ×
// the share strictly lower, the grade comes from the share strictly higher
// (top 5 % LEADING, 5–10 % RACING, 10–20 % ADVANCING, the rest BASELINE).
func (c *cohort) rank(total int) (float64, catalog.ScoreGrade) {
	n := len(c.totals)
	if n == 0 {
		return 0, catalog.Leading
	}
	lower, _ := slices.BinarySearch(c.totals, total)
	higher := n - upperBound(c.totals, total)
	return 100 * float64(lower) / float64(n), gradeOf(float64(higher) / float64(n))
}

// gradeOf bands the share of the cohort scoring strictly higher.
func gradeOf(higherShare float64) catalog.ScoreGrade {
	switch {
	case higherShare < 0.05:
		return catalog.Leading
	case higherShare < 0.10:
		return catalog.Racing
	case higherShare < 0.20:
		return catalog.Advancing
	}
	return catalog.Baseline
}

// upperBound is the index of the first element greater than x.
func upperBound[T int | float64](s []T, x T) int {
	return sort.Search(len(s), func(i int) bool { return s[i] > x })
}

func insertSorted[T int | float64](s []T, x T) []T {
	i, _ := slices.BinarySearch(s, x)
	return slices.Insert(s, i, x)
}

func removeSorted[T int | float64](s []T, x T) []T {
	i, found := slices.BinarySearch(s, x)
	if !found {
		return s
	}
	return slices.Delete(s, i, i+1)
}

// scoreOf builds the full InnovationScore of enterprise id, a member of c.
func (c *cohort) scoreOf(id int64, v *[IndicatorCount]float64, stage catalog.GrowthStage, w *[IndicatorCount]float64, modelVersion string) InnovationScore {
	s := InnovationScore{
		EnterpriseID: id,
		Total:        c.total(v, w),
		Cohort:       stage,
		Indicators:   make([]IndicatorScore, IndicatorCount),
		ModelVersion: modelVersion,
	}
	for i, ind := range indicators {
		is := IndicatorScore{EnterpriseID: id, Code: ind.Code, Name: ind.Name, Points: c.points(i, v[i]), Weight: w[i]}
		if !math.IsNaN(v[i]) {
			val := v[i]
			is.Value = &val
		}
		s.Indicators[i] = is
	}
	s.Percentile, s.Grade = c.rank(s.Total)
	return s
}
