package search

import (
	"context"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/matching"
)

// Source is where the indexer reads the current state of what an outbox
// event names: entities from the read model, pairings from the matching
// engine. An entity that no longer exists is (nil, nil). Implementations
// are safe for concurrent use.
//
// The pairings index holds the matching engine's slice (matching.Slice,
// docs/adr/008-indexed-pairings-slice.md): every enterprise's best
// pairings of each kind and every resource's best enterprises, eligible
// first in both; a pairing in either list is indexed once.
type Source interface {
	Enterprise(ctx context.Context, id int64) (*catalog.Enterprise, error)
	Institution(ctx context.Context, id int64) (*catalog.Institution, error)
	FinancialProduct(ctx context.Context, id int64) (*catalog.FinancialProduct, error)
	Incubator(ctx context.Context, id int64) (*catalog.Incubator, error)
	Demand(ctx context.Context, id int64) (*catalog.SupplyChainDemand, error)

	// EnterprisePairings is an enterprise's own list in the slice: its
	// best of every kind, eligible first.
	EnterprisePairings(ctx context.Context, enterpriseID int64) ([]matching.Pairing, error)
	// ResourcePairings is a resource's own list in the slice: its best
	// candidates, eligible first. The union of every enterprise's and
	// every resource's own list is the slice (what a reindex writes).
	ResourcePairings(ctx context.Context, kind catalog.PairingKind, resourceID int64) ([]matching.Pairing, error)

	// EnterpriseSlice is every pairing of an enterprise in the slice: its
	// own list and the pairings where it is in a resource's list (what
	// the index holds of it after its event).
	EnterpriseSlice(ctx context.Context, enterpriseID int64) ([]matching.Pairing, error)
	// ResourceSlice is every pairing of a resource in the slice: its own
	// list and the pairings where it is in an enterprise's list.
	ResourceSlice(ctx context.Context, kind catalog.PairingKind, resourceID int64) ([]matching.Pairing, error)
	// SlicePairing returns a pairing and whether it is in the slice.
	SlicePairing(ctx context.Context, key matching.PairingKey) (matching.Pairing, bool, error)
	// SliceChanges returns, and forgets, the pairings that may have
	// entered or left the slice or changed since the last call: a write
	// moves the pairings of other entities too (a new product pushes
	// another out of an enterprise's best three). All means everything
	// may have changed (a full rematch): the index is to be rebuilt.
	SliceChanges(ctx context.Context) (matching.SliceChanges, error)

	// Snapshot returns every entity, for a full reindex. The indexer only
	// reads it.
	Snapshot(ctx context.Context) (*catalog.Dataset, error)
}

// Syncer is implemented by a Source that may lag the outbox: the write
// path commits the entity and its outbox row, then applies the write to
// the read model and the matching engine. The indexer calls Sync before it
// reads the Source for a batch of events; Sync returns once every write
// committed before the call is visible through the Source. (The
// marketplace serialises writes with a mutex held from the commit until
// the write is applied, so locking and unlocking it is enough.)
type Syncer interface {
	Sync(ctx context.Context) error
}

// Catalog is the read model as NewSource reads it. *marketplace.Service
// has these methods; a nil result means there is no such entity.
type Catalog interface {
	Enterprise(id int64) *catalog.Enterprise
	Institution(id int64) *catalog.Institution
	FinancialProduct(id int64) *catalog.FinancialProduct
	Incubator(id int64) *catalog.Incubator
	Demand(id int64) *catalog.SupplyChainDemand
}

// Matcher is the matching engine as NewSource reads pairings;
// *matching.Engine implements it.
type Matcher interface {
	Matches(enterpriseID int64, kind *catalog.PairingKind, first int, eligibleOnly bool) []matching.Pairing
	Candidates(kind catalog.PairingKind, resourceID int64, first int, eligibleOnly bool) []matching.Pairing
	TrackSlice(s matching.Slice) matching.Slice
	TakeSliceChanges() matching.SliceChanges
	SlicePairing(key matching.PairingKey) (matching.Pairing, bool)
	EnterpriseSlice(enterpriseID int64) []matching.Pairing
	ResourceSlice(kind catalog.PairingKind, resourceID int64) []matching.Pairing
}

// Limits size the pairings index: the matching engine's slice it holds.
// Zero sizes take the defaults.
type Limits = matching.Slice

// The default Limits: at Henan scale (60,000 enterprises, 6,100
// resources) about 640,000 pairing documents (BenchmarkReindexHenan).
const (
	DefaultPerEnterprise = matching.DefaultSlicePerEnterprise
	DefaultPerResource   = matching.DefaultSlicePerResource
)

// NewSource returns the Source over a read model and a matching engine,
// and makes the engine track the slice lim (m.TrackSlice): one Source per
// engine. snapshot returns every entity for a full reindex. When cat
// implements Syncer, so does the Source.
func NewSource(cat Catalog, m Matcher, snapshot func(context.Context) (*catalog.Dataset, error), lim Limits) Source {
	s := &catalogSource{cat: cat, m: m, snapshot: snapshot, lim: m.TrackSlice(lim)}
	if sy, ok := cat.(Syncer); ok {
		return &syncingSource{catalogSource: s, sync: sy}
	}
	return s
}

// DatasetSource returns a Source over a fixed dataset and an engine
// rebuilt from it: what `reindex` uses when no server runs, and what the
// benchmarks use.
func DatasetSource(d *catalog.Dataset, m Matcher, lim Limits) Source {
	return NewSource(newDatasetCatalog(d), m, func(context.Context) (*catalog.Dataset, error) { return d, nil }, lim)
}

type catalogSource struct {
	cat      Catalog
	m        Matcher
	snapshot func(context.Context) (*catalog.Dataset, error)
	lim      Limits
}

func (s *catalogSource) Enterprise(_ context.Context, id int64) (*catalog.Enterprise, error) {
	return s.cat.Enterprise(id), nil
}

func (s *catalogSource) Institution(_ context.Context, id int64) (*catalog.Institution, error) {
	return s.cat.Institution(id), nil
}

func (s *catalogSource) FinancialProduct(_ context.Context, id int64) (*catalog.FinancialProduct, error) {
	return s.cat.FinancialProduct(id), nil
}

func (s *catalogSource) Incubator(_ context.Context, id int64) (*catalog.Incubator, error) {
	return s.cat.Incubator(id), nil
}

func (s *catalogSource) Demand(_ context.Context, id int64) (*catalog.SupplyChainDemand, error) {
	return s.cat.Demand(id), nil
}

func (s *catalogSource) EnterprisePairings(_ context.Context, id int64) ([]matching.Pairing, error) {
	var out []matching.Pairing
	for _, k := range catalog.PairingKinds {
		out = append(out, s.m.Matches(id, &k, s.lim.PerEnterprise, false)...)
	}
	return out, nil
}

func (s *catalogSource) ResourcePairings(_ context.Context, kind catalog.PairingKind, id int64) ([]matching.Pairing, error) {
	return s.m.Candidates(kind, id, s.lim.PerResource, false), nil
}

func (s *catalogSource) EnterpriseSlice(_ context.Context, id int64) ([]matching.Pairing, error) {
	return s.m.EnterpriseSlice(id), nil
}

func (s *catalogSource) ResourceSlice(_ context.Context, kind catalog.PairingKind, id int64) ([]matching.Pairing, error) {
	return s.m.ResourceSlice(kind, id), nil
}

func (s *catalogSource) SlicePairing(_ context.Context, key matching.PairingKey) (matching.Pairing, bool, error) {
	p, ok := s.m.SlicePairing(key)
	return p, ok, nil
}

func (s *catalogSource) SliceChanges(context.Context) (matching.SliceChanges, error) {
	return s.m.TakeSliceChanges(), nil
}

func (s *catalogSource) Snapshot(ctx context.Context) (*catalog.Dataset, error) {
	return s.snapshot(ctx)
}

type syncingSource struct {
	*catalogSource
	sync Syncer
}

func (s *syncingSource) Sync(ctx context.Context) error { return s.sync.Sync(ctx) }

// datasetCatalog looks entities of a dataset up by id.
type datasetCatalog struct {
	enterprises  map[int64]*catalog.Enterprise
	institutions map[int64]*catalog.Institution
	products     map[int64]*catalog.FinancialProduct
	incubators   map[int64]*catalog.Incubator
	demands      map[int64]*catalog.SupplyChainDemand
}

func newDatasetCatalog(d *catalog.Dataset) *datasetCatalog {
	c := &datasetCatalog{
		enterprises:  make(map[int64]*catalog.Enterprise, len(d.Enterprises)),
		institutions: make(map[int64]*catalog.Institution, len(d.Institutions)),
		products:     make(map[int64]*catalog.FinancialProduct, len(d.Products)),
		incubators:   make(map[int64]*catalog.Incubator, len(d.Incubators)),
		demands:      make(map[int64]*catalog.SupplyChainDemand, len(d.Demands)),
	}
	for _, e := range d.Enterprises {
		c.enterprises[e.ID] = e
	}
	for _, in := range d.Institutions {
		c.institutions[in.ID] = in
	}
	for _, p := range d.Products {
		c.products[p.ID] = p
	}
	for _, in := range d.Incubators {
		c.incubators[in.ID] = in
	}
	for _, dm := range d.Demands {
		c.demands[dm.ID] = dm
	}
	return c
}

func (c *datasetCatalog) Enterprise(id int64) *catalog.Enterprise             { return c.enterprises[id] }
func (c *datasetCatalog) Institution(id int64) *catalog.Institution           { return c.institutions[id] }
func (c *datasetCatalog) FinancialProduct(id int64) *catalog.FinancialProduct { return c.products[id] }
func (c *datasetCatalog) Incubator(id int64) *catalog.Incubator               { return c.incubators[id] }
func (c *datasetCatalog) Demand(id int64) *catalog.SupplyChainDemand          { return c.demands[id] }
