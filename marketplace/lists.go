package marketplace

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/yurong/yurong/catalog"
)

// The catalogue lists: their filters, their orders and their pages, each
// answered from the tables' secondary indexes (ADR 027).

type enterpriseIndexes struct {
	city          *index[catalog.Enterprise, catalog.City]
	track         *index[catalog.Enterprise, catalog.Track]
	qualification *index[catalog.Enterprise, catalog.Qualification]
	stage         *index[catalog.Enterprise, catalog.GrowthStage]
	name          *order[catalog.Enterprise]
	foundedOn     *order[catalog.Enterprise]
	updatedAt     *order[catalog.Enterprise]
}

type productIndexes struct {
	kind     *index[catalog.FinancialProduct, catalog.ProductKind]
	program  *index[catalog.FinancialProduct, catalog.Program]
	provider *index[catalog.FinancialProduct, int64]
}

type incubatorIndexes struct {
	kind  *index[catalog.Incubator, catalog.IncubatorKind]
	city  *index[catalog.Incubator, catalog.City]
	track *index[catalog.Incubator, catalog.Track]
}

type demandIndexes struct {
	kind  *index[catalog.SupplyChainDemand, catalog.DemandKind]
	track *index[catalog.SupplyChainDemand, catalog.Track]
	city  *index[catalog.SupplyChainDemand, catalog.City]
}

// newTables replaces the read model's tables with d's entities, indexed.
// The caller holds s.mu.
func (s *Service) newTables(d *catalog.Dataset) {
	s.institutions = newTable[catalog.Institution](len(d.Institutions))

	s.enterprises = newTable[catalog.Enterprise](len(d.Enterprises))
	ei := enterpriseIndexes{
		city:          newIndex(one(func(e *catalog.Enterprise) catalog.City { return e.City })),
		track:         newIndex(one(func(e *catalog.Enterprise) catalog.Track { return e.Track })),
		qualification: newIndex(func(e *catalog.Enterprise) []catalog.Qualification { return e.Qualifications }),
		stage:         newIndex(one((*catalog.Enterprise).Stage)),
	}
	for _, x := range []indexer[catalog.Enterprise]{ei.city, ei.track, ei.qualification, ei.stage} {
		s.enterprises.indexBy(x)
	}
	// The orders are kept per city too: a city is the filter front-ends
	// open with, and names begin with the city.
	city := func(e *catalog.Enterprise) any { return e.City }
	ei.name = s.enterprises.orderBy(func(e *catalog.Enterprise) sortKey { return sortKey{S: e.Name} }, city)
	ei.foundedOn = s.enterprises.orderBy(func(e *catalog.Enterprise) sortKey { return sortKey{N: e.FoundedOn.Unix()} }, city)
	ei.updatedAt = s.enterprises.orderBy(func(e *catalog.Enterprise) sortKey { return sortKey{N: e.UpdatedAt.UnixNano()} }, city)
	s.enterpriseIx = ei

	s.products = newTable[catalog.FinancialProduct](len(d.Products))
	pi := productIndexes{
		kind:     newIndex(one(func(p *catalog.FinancialProduct) catalog.ProductKind { return p.Kind })),
		program:  newIndex(one(func(p *catalog.FinancialProduct) catalog.Program { return p.Program })),
		provider: newIndex(one(func(p *catalog.FinancialProduct) int64 { return p.ProviderID })),
	}
	for _, x := range []indexer[catalog.FinancialProduct]{pi.kind, pi.program, pi.provider} {
		s.products.indexBy(x)
	}
	s.productIx = pi

	s.incubators = newTable[catalog.Incubator](len(d.Incubators))
	ii := incubatorIndexes{
		kind:  newIndex(one(func(in *catalog.Incubator) catalog.IncubatorKind { return in.Kind })),
		city:  newIndex(one(func(in *catalog.Incubator) catalog.City { return in.City })),
		track: newIndex(func(in *catalog.Incubator) []catalog.Track { return in.FocusTracks }),
	}
	for _, x := range []indexer[catalog.Incubator]{ii.kind, ii.city, ii.track} {
		s.incubators.indexBy(x)
	}
	s.incubatorIx = ii

	s.demands = newTable[catalog.SupplyChainDemand](len(d.Demands))
	di := demandIndexes{
		kind:  newIndex(one(func(d *catalog.SupplyChainDemand) catalog.DemandKind { return d.Kind })),
		track: newIndex(one(func(d *catalog.SupplyChainDemand) catalog.Track { return d.Track })),
		city:  newIndex(one(func(d *catalog.SupplyChainDemand) catalog.City { return d.City })),
	}
	for _, x := range []indexer[catalog.SupplyChainDemand]{di.kind, di.track, di.city} {
		s.demands.indexBy(x)
	}
	s.demandIx = di

	s.byProvider = map[int64][]*catalog.FinancialProduct{}
	for _, v := range d.Institutions {
		s.institutions.put(v.ID, v)
	}
	putAll(&s.enterprises, d.Enterprises, func(e *catalog.Enterprise) int64 { return e.ID })
	for _, v := range d.Products {
		s.putProduct(v)
	}
	putAll(&s.incubators, d.Incubators, func(in *catalog.Incubator) int64 { return in.ID })
	putAll(&s.demands, d.Demands, func(d *catalog.SupplyChainDemand) int64 { return d.ID })
}

// putAll puts vs in t as one batch: each order is sorted once.
func putAll[T any](t *table[T], vs []*T, id func(*T) int64) {
	ids := make([]int64, len(vs))
	for i, v := range vs {
		ids[i] = id(v)
		t.set(ids[i], v)
	}
	t.listMany(ids)
}

// ErrInvalidOrder reports an order a list does not offer, or one it
// cannot compute now.
var ErrInvalidOrder = errors.New("marketplace: invalid order")

// OrderField is what a list is sorted by; the ID breaks ties.
type OrderField int

const (
	ByID OrderField = iota
	ByName
	ByFoundedOn
	ByUpdatedAt
	ByInnovationScore
)

// Order sorts a list. Descending is the exact reverse of ascending: ties
// are broken by the ID descending too, so paging backwards through one is
// paging forwards through the other.
type Order struct {
	By   OrderField
	Desc bool
	// Scores are the engine's scores, needed to sort by ByInnovationScore.
	Scores Scores
}

// Scores are the matching engine's innovation totals as the read model
// sorts by them. The engine moves scores on writes the read model does not
// see (a cohort's percentiles shift with every member), so the read model
// keeps no order by score: it reads each candidate's total per request.
type Scores interface {
	InnovationTotal(enterpriseID int64) (int, bool)
}

// unscored is the sort key of an enterprise the engine has not scored:
// below every score, so it still counts and lists under every order.
const unscored = -1

// EnterpriseFilter selects enterprises; a nil or empty field selects all.
// Within a list any value matches (OR); the fields combine with AND.
type EnterpriseFilter struct {
	Cities         []catalog.City
	Tracks         []catalog.Track
	Qualifications []catalog.Qualification
	Stages         []catalog.GrowthStage
	NameContains   string
	// Keep, when set, is a further predicate owned by the caller, such as a
	// minimum innovation score from the matching engine. No index answers
	// it: it is tested on every enterprise the other fields select.
	Keep func(*catalog.Enterprise) bool
}

// match is the filter's meaning, one enterprise at a time; the indexes
// answer the same question for all of them at once.
func (f EnterpriseFilter) match(e *catalog.Enterprise) bool {
	if len(f.Cities) > 0 && !slices.Contains(f.Cities, e.City) {
		return false
	}
	if len(f.Tracks) > 0 && !slices.Contains(f.Tracks, e.Track) {
		return false
	}
	if len(f.Qualifications) > 0 && !slices.ContainsFunc(f.Qualifications, e.HasQualification) {
		return false
	}
	if len(f.Stages) > 0 && !slices.Contains(f.Stages, e.Stage()) {
		return false
	}
	if f.NameContains != "" && !strings.Contains(strings.ToLower(e.Name), strings.ToLower(f.NameContains)) {
		return false
	}
	return f.Keep == nil || f.Keep(e)
}

// Enterprises returns a page of enterprises in ID order after the ID after.
func (s *Service) Enterprises(f EnterpriseFilter, after int64, first int) Page[catalog.Enterprise] {
	p, _ := s.EnterprisePage(f, Order{}, PageArgs{After: afterID(after), Limit: first})
	return p
}

func afterID(id int64) *Cursor {
	if id <= 0 {
		return nil
	}
	c := IDCursor(id)
	return &c
}

// EnterprisePage returns a page of the enterprises f selects in order o.
// It costs the intersection of the indexed filters plus the page; the
// name filter and Keep are tested on each enterprise of the intersection,
// and so is the order by innovation score, which reads each one's score.
func (s *Service) EnterprisePage(f EnterpriseFilter, o Order, a PageArgs) (Page[catalog.Enterprise], error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ix := &s.enterpriseIx
	q := query[catalog.Enterprise]{desc: o.Desc, args: a}
	q.sets = appendSet(q.sets, ix.city, f.Cities)
	q.sets = appendSet(q.sets, ix.track, f.Tracks)
	q.sets = appendSet(q.sets, ix.qualification, f.Qualifications)
	q.sets = appendSet(q.sets, ix.stage, f.Stages)
	if f.NameContains != "" || f.Keep != nil {
		needle, keep := strings.ToLower(f.NameContains), f.Keep // lowercased once, not per enterprise
		q.keep = func(e *catalog.Enterprise) bool {
			return (needle == "" || strings.Contains(strings.ToLower(e.Name), needle)) && (keep == nil || keep(e))
		}
	}
	switch o.By {
	case ByID:
	case ByName:
		q.order = ix.name
	case ByFoundedOn:
		q.order = ix.foundedOn
	case ByUpdatedAt:
		q.order = ix.updatedAt
	case ByInnovationScore:
		if o.Scores == nil {
			return Page[catalog.Enterprise]{}, fmt.Errorf("%w: innovation scores are not available", ErrInvalidOrder)
		}
		q.key = func(id int64) (sortKey, bool) {
			t, ok := o.Scores.InnovationTotal(id)
			if !ok {
				t = unscored
			}
			return sortKey{N: int64(t)}, true
		}
	default:
		return Page[catalog.Enterprise]{}, fmt.Errorf("%w: enterprises cannot be sorted by %d", ErrInvalidOrder, o.By)
	}
	if q.order != nil && len(f.Cities) > 0 && !slices.ContainsFunc(f.Cities, func(c catalog.City) bool { return c != f.Cities[0] }) {
		q.part = f.Cities[0] // one city: page the order's part of it
	}
	return s.enterprises.page(q), nil
}

// appendSet adds the IDs holding any of ks to sets, when ks is not empty.
func appendSet[T any, K comparable](sets []*roaring.Bitmap, x *index[T, K], ks []K) []*roaring.Bitmap {
	if len(ks) == 0 {
		return sets
	}
	return append(sets, x.anyOf(ks))
}

// ProductFilter selects financial products.
type ProductFilter struct {
	Kinds      []catalog.ProductKind
	Programs   []catalog.Program
	ProviderID int64 // 0: any
}

func (f ProductFilter) match(p *catalog.FinancialProduct) bool {
	return (len(f.Kinds) == 0 || slices.Contains(f.Kinds, p.Kind)) &&
		(len(f.Programs) == 0 || slices.Contains(f.Programs, p.Program)) &&
		(f.ProviderID == 0 || p.ProviderID == f.ProviderID)
}

// FinancialProducts returns a page of products in ID order.
func (s *Service) FinancialProducts(f ProductFilter, after int64, first int) Page[catalog.FinancialProduct] {
	return s.FinancialProductPage(f, PageArgs{After: afterID(after), Limit: first})
}

// FinancialProductPage returns a page of the products f selects, in ID order.
func (s *Service) FinancialProductPage(f ProductFilter, a PageArgs) Page[catalog.FinancialProduct] {
	s.mu.RLock()
	defer s.mu.RUnlock()
	q := query[catalog.FinancialProduct]{args: a}
	q.sets = appendSet(q.sets, s.productIx.kind, f.Kinds)
	q.sets = appendSet(q.sets, s.productIx.program, f.Programs)
	if f.ProviderID != 0 {
		q.sets = appendSet(q.sets, s.productIx.provider, []int64{f.ProviderID})
	}
	return s.products.page(q)
}

// IncubatorFilter selects incubators; Tracks matches any focus track.
type IncubatorFilter struct {
	Kinds  []catalog.IncubatorKind
	Cities []catalog.City
	Tracks []catalog.Track
}

func (f IncubatorFilter) match(in *catalog.Incubator) bool {
	return (len(f.Kinds) == 0 || slices.Contains(f.Kinds, in.Kind)) &&
		(len(f.Cities) == 0 || slices.Contains(f.Cities, in.City)) &&
		(len(f.Tracks) == 0 || slices.ContainsFunc(f.Tracks, func(t catalog.Track) bool { return slices.Contains(in.FocusTracks, t) }))
}

// Incubators returns a page of incubators in ID order.
func (s *Service) Incubators(f IncubatorFilter, after int64, first int) Page[catalog.Incubator] {
	return s.IncubatorPage(f, PageArgs{After: afterID(after), Limit: first})
}

// IncubatorPage returns a page of the incubators f selects, in ID order.
func (s *Service) IncubatorPage(f IncubatorFilter, a PageArgs) Page[catalog.Incubator] {
	s.mu.RLock()
	defer s.mu.RUnlock()
	q := query[catalog.Incubator]{args: a}
	q.sets = appendSet(q.sets, s.incubatorIx.kind, f.Kinds)
	q.sets = appendSet(q.sets, s.incubatorIx.city, f.Cities)
	q.sets = appendSet(q.sets, s.incubatorIx.track, f.Tracks)
	return s.incubators.page(q)
}

// DemandFilter selects supply-chain demands; IndustryChain matches a
// substring of the chain's name.
type DemandFilter struct {
	Kinds         []catalog.DemandKind
	Tracks        []catalog.Track
	Cities        []catalog.City
	IndustryChain string
}

func (f DemandFilter) match(d *catalog.SupplyChainDemand) bool {
	return (len(f.Kinds) == 0 || slices.Contains(f.Kinds, d.Kind)) &&
		(len(f.Tracks) == 0 || slices.Contains(f.Tracks, d.Track)) &&
		(len(f.Cities) == 0 || slices.Contains(f.Cities, d.City)) &&
		(f.IndustryChain == "" || strings.Contains(strings.ToLower(d.IndustryChain), strings.ToLower(f.IndustryChain)))
}

// Demands returns a page of supply-chain demands in ID order.
func (s *Service) Demands(f DemandFilter, after int64, first int) Page[catalog.SupplyChainDemand] {
	return s.DemandPage(f, PageArgs{After: afterID(after), Limit: first})
}

// DemandPage returns a page of the demands f selects, in ID order. The
// industry chain, a substring, is tested on each demand the other fields
// select.
func (s *Service) DemandPage(f DemandFilter, a PageArgs) Page[catalog.SupplyChainDemand] {
	s.mu.RLock()
	defer s.mu.RUnlock()
	q := query[catalog.SupplyChainDemand]{args: a}
	q.sets = appendSet(q.sets, s.demandIx.kind, f.Kinds)
	q.sets = appendSet(q.sets, s.demandIx.track, f.Tracks)
	q.sets = appendSet(q.sets, s.demandIx.city, f.Cities)
	if f.IndustryChain != "" {
		chain := strings.ToLower(f.IndustryChain) // once, not once per demand
		q.keep = func(d *catalog.SupplyChainDemand) bool {
			return strings.Contains(strings.ToLower(d.IndustryChain), chain)
		}
	}
	return s.demands.page(q)
}
