package demo

import (
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"time"

	"github.com/yurong/yurong/catalog"
)

// Sizes are the exact numbers of entities GenerateSizes makes.
type Sizes struct {
	Enterprises, Institutions, Products, Incubators, Demands int
}

// Minimums that keep a dataset usable: one product per programme and an
// institution of every kind to offer them.
const (
	minInstitutions = 5
	minIncubators   = 3
	minDemands      = 3
)

// SizesFor scales the resources to n enterprises the way Henan's marketplace
// is shaped: about 40 institutions, 120 products, 60 incubators and 250
// demands for 2,000 enterprises; 150, 600, 500 and 5,000 for 60,000. Counts
// grow as a power of n through those two points, with at least one product
// per catalog.Program.
func SizesFor(n int) Sizes {
	n = max(n, 0)
	return Sizes{
		Enterprises:  n,
		Institutions: max(minInstitutions, scaled(n, 40, 150)),
		Products:     max(len(catalog.Programs), scaled(n, 120, 600)),
		Incubators:   max(minIncubators, scaled(n, 60, 500)),
		Demands:      max(minDemands, scaled(n, 250, 5000)),
	}
}

// scaled interpolates on a log–log scale through (2000, at2k) and
// (60000, at60k).
func scaled(n int, at2k, at60k float64) int {
	if n <= 0 {
		return 0
	}
	k := math.Log(at60k/at2k) / math.Log(30)
	return int(math.Round(at2k * math.Pow(float64(n)/2000, k)))
}

// Generate makes a dataset of n enterprises and resources scaled to it
// (SizesFor), the same for the same seed, n and today.
func Generate(seed int64, n int, today time.Time) *catalog.Dataset {
	return GenerateSizes(seed, SizesFor(n), today)
}

// GenerateSizes makes a dataset with exactly the given numbers of entities,
// the same for the same seed, sizes and today. Negative sizes count as zero;
// when there are products, Institutions is raised to at least 5 so every
// product has a provider of a fitting kind. Fewer products than programmes
// cover the programmes in catalog.Programs order.
//
// IDs are left zero (the store assigns them in slice order, see AssignIDs);
// FinancialProduct.ProviderID is the 1-based index of the provider within
// Dataset.Institutions. CreatedAt and UpdatedAt are today.
func GenerateSizes(seed int64, s Sizes, today time.Time) *catalog.Dataset {
	s = s.normalized()
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	insts, shorts := genInstitutions(newRnd(seed, streamInstitutions), s.Institutions, today)
	return &catalog.Dataset{
		Institutions: insts,
		Enterprises:  genEnterprises(newRnd(seed, streamEnterprises), s.Enterprises, today, day),
		Products:     genProducts(newRnd(seed, streamProducts), s.Products, insts, shorts, today),
		Incubators:   genIncubators(newRnd(seed, streamIncubators), s.Incubators, today),
		Demands:      genDemands(newRnd(seed, streamDemands), s.Demands, today, day),
	}
}

func (s Sizes) normalized() Sizes {
	s.Enterprises = max(s.Enterprises, 0)
	s.Institutions = max(s.Institutions, 0)
	s.Products = max(s.Products, 0)
	s.Incubators = max(s.Incubators, 0)
	s.Demands = max(s.Demands, 0)
	if s.Products > 0 {
		s.Institutions = max(s.Institutions, minInstitutions)
	}
	return s
}

// AssignIDs sets every entity's ID to its 1-based index within its slice,
// the IDs the store would give them on a bulk insert into an empty store.
// ProviderID already follows that convention and is left as is.
func AssignIDs(d *catalog.Dataset) {
	for i, x := range d.Institutions {
		x.ID = int64(i + 1)
	}
	for i, x := range d.Enterprises {
		x.ID = int64(i + 1)
	}
	for i, x := range d.Products {
		x.ID = int64(i + 1)
	}
	for i, x := range d.Incubators {
		x.ID = int64(i + 1)
	}
	for i, x := range d.Demands {
		x.ID = int64(i + 1)
	}
}

// Each kind of entity draws from its own stream, so the enterprises of a seed
// do not change when the number of products does.
const (
	streamEnterprises uint64 = iota + 1
	streamInstitutions
	streamProducts
	streamIncubators
	streamDemands
)

// rnd is a PCG-seeded source with the draws the generators need.
type rnd struct{ *rand.Rand }

func newRnd(seed int64, stream uint64) rnd {
	return rnd{rand.New(rand.NewPCG(uint64(seed), 0x9E3779B97F4A7C15*stream))}
}

// chance is true with probability p.
func (r rnd) chance(p float64) bool { return r.Float64() < p }

// between is uniform in [lo, hi].
func (r rnd) between(lo, hi int) int { return lo + r.IntN(hi-lo+1) }

// uniform is uniform in [lo, hi).
func (r rnd) uniform(lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }

// logUniform is log-uniform in [lo, hi): small values as likely per decade as large.
func (r rnd) logUniform(lo, hi float64) float64 {
	return math.Exp(r.uniform(math.Log(lo), math.Log(hi)))
}

// lognormal has the given median and spread (sigma of the logarithm).
func (r rnd) lognormal(median, sigma float64) float64 {
	return median * math.Exp(sigma*r.NormFloat64())
}

// poissonish draws a non-negative count with the given mean and a long tail.
func (r rnd) poissonish(mean float64) int {
	if mean <= 0 {
		return 0
	}
	return int(mean * r.ExpFloat64())
}

func pick[T any](r rnd, xs []T) T { return xs[r.IntN(len(xs))] }

// sample returns k distinct elements of xs in random order (all when k ≥ len).
func sample[T any](r rnd, xs []T, k int) []T {
	k = min(k, len(xs))
	idx := r.Perm(len(xs))[:k]
	out := make([]T, k)
	for i, j := range idx {
		out[i] = xs[j]
	}
	return out
}

// chooser draws an index with probability proportional to its weight.
type chooser struct{ cum []float64 }

func newChooser(weights []float64) chooser {
	cum := make([]float64, len(weights))
	total := 0.0
	for i, w := range weights {
		total += w
		cum[i] = total
	}
	return chooser{cum}
}

func (c chooser) draw(r rnd) int {
	x := r.Float64() * c.cum[len(c.cum)-1]
	return min(sort.SearchFloat64s(c.cum, x), len(c.cum)-1)
}

// yuan rounds y to a multiple of unit yuan and returns it as an Amount.
func yuan(y float64, unit int64) catalog.Amount {
	if y <= 0 {
		return 0
	}
	return catalog.Yuan(max(int64(math.Round(y/float64(unit))), 1) * unit)
}

func ptr[T any](v T) *T { return &v }

// uniqueName returns the first candidate not yet in seen, trying try up to
// 40 times and then numbering the last candidate; it records the result.
func uniqueName(seen map[string]bool, try func() string) string {
	name := ""
	for range 40 {
		name = try()
		if !seen[name] {
			seen[name] = true
			return name
		}
	}
	for i := 2; ; i++ {
		n := name + "（" + chineseNumber(i) + "）"
		if !seen[n] {
			seen[n] = true
			return n
		}
	}
}

// chineseNumber writes 1–99 in Chinese numerals and larger numbers in digits.
func chineseNumber(n int) string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 10:
		return digits[n]
	case n < 100:
		s := "十"
		if n >= 20 {
			s = digits[n/10] + s
		}
		if n%10 != 0 {
			s += digits[n%10]
		}
		return s
	}
	return strconv.Itoa(n)
}
