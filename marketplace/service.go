package marketplace

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/store"
)

// Store is the system of record as the marketplace uses it. Every write
// commits the entity and an outbox row in one transaction.
type Store interface {
	Load(ctx context.Context) (*catalog.Dataset, error)
	CreateInstitution(ctx context.Context, in *catalog.Institution) error
	CreateEnterprise(ctx context.Context, e *catalog.Enterprise) error
	UpdateEnterprise(ctx context.Context, e *catalog.Enterprise) error
	SaveEnterprises(ctx context.Context, es []*catalog.Enterprise) error
	AddCompetitionEntry(ctx context.Context, enterpriseID int64, c catalog.CompetitionEntry) (*catalog.Enterprise, error)
	CreateFinancialProduct(ctx context.Context, p *catalog.FinancialProduct) error
	CreateIncubator(ctx context.Context, in *catalog.Incubator) error
	CreateDemand(ctx context.Context, d *catalog.SupplyChainDemand) error
	SaveFinancialProducts(ctx context.Context, ps []*catalog.FinancialProduct) error
	SaveIncubators(ctx context.Context, ins []*catalog.Incubator) error
	SaveDemands(ctx context.Context, ds []*catalog.SupplyChainDemand) error

	// The change log, which the read model follows.
	OnCommit(f func(seq int64))
	LogHead(ctx context.Context) (int64, error)
	LogHorizon(ctx context.Context) (int64, error)
	ChangesAfter(ctx context.Context, after int64, limit int) ([]store.OutboxEvent, error)

	Enterprise(ctx context.Context, id int64) (*catalog.Enterprise, error)
	Institution(ctx context.Context, id int64) (*catalog.Institution, error)
	FinancialProduct(ctx context.Context, id int64) (*catalog.FinancialProduct, error)
	Incubator(ctx context.Context, id int64) (*catalog.Incubator, error)
	Demand(ctx context.Context, id int64) (*catalog.SupplyChainDemand, error)
}

// Matcher is the matching engine as the write path drives it: a full
// rebuild at start, then one upsert per committed write.
type Matcher interface {
	Rebuild(d *catalog.Dataset)
	UpsertEnterprise(e *catalog.Enterprise)
	// UpsertEnterprises applies a batch, such as an import; a later
	// duplicate of an id wins.
	UpsertEnterprises(es []*catalog.Enterprise)
	UpsertProduct(p *catalog.FinancialProduct)
	UpsertIncubator(in *catalog.Incubator)
	UpsertDemand(d *catalog.SupplyChainDemand)
}

// Service is the marketplace: its read model and its write path. It is safe
// for concurrent use.
type Service struct {
	store   Store
	matcher Matcher
	now     func() time.Time

	writeMu sync.Mutex // serialises writes so the read model applies them in commit order

	applied atomic.Int64 // the change-log position the read model reflects
	ownMu   sync.Mutex
	own     map[int64]bool // positions of this instance's writes, not yet passed by applied

	mu           sync.RWMutex
	institutions table[catalog.Institution]
	enterprises  table[catalog.Enterprise]
	products     table[catalog.FinancialProduct]
	incubators   table[catalog.Incubator]
	demands      table[catalog.SupplyChainDemand]
	byProvider   map[int64][]*catalog.FinancialProduct
	listeners    []func(Change)

	// The secondary indexes and orders of the catalogue lists (lists.go).
	enterpriseIx enterpriseIndexes
	productIx    productIndexes
	incubatorIx  incubatorIndexes
	demandIx     demandIndexes
}

// Change tells listeners what a committed write touched.
type Change struct {
	Entity string // EntityEnterprise, EntityInstitution, …
	ID     int64
	At     time.Time
	// Remote is set when the write was another instance's, applied here by
	// Refresh; such changes are not fed back to the other instances.
	Remote bool
}

// New returns a marketplace over st. matcher may be nil (no matching); now
// is the clock ("today" of every date rule).
func New(st Store, matcher Matcher, now func() time.Time) *Service {
	s := &Service{store: st, matcher: matcher, now: now, own: map[int64]bool{}}
	s.newTables(&catalog.Dataset{})
	st.OnCommit(s.ownCommit)
	return s
}

// OnChange registers f to run after every committed write, once the read
// model and the matcher reflect it. f must not block.
func (s *Service) OnChange(f func(Change)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.listeners = append(s.listeners, f)
}

// Load fills the read model from the store and rebuilds the matcher.
func (s *Service) Load(ctx context.Context) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return s.load(ctx)
}

// load is Load with the write lock held. The log's head is read first: the
// data loaded after it reflects every change up to it (and maybe later
// ones, which following the log applies again, harmlessly).
func (s *Service) load(ctx context.Context) error {
	head, err := s.store.LogHead(ctx)
	if err != nil {
		return fmt.Errorf("marketplace: load: %w", err)
	}
	d, err := s.store.Load(ctx)
	if err != nil {
		return fmt.Errorf("marketplace: load: %w", err)
	}
	s.mu.Lock()
	s.newTables(d)
	s.mu.Unlock()
	if s.matcher != nil {
		s.matcher.Rebuild(d)
	}
	s.ownMu.Lock()
	clear(s.own)
	s.ownMu.Unlock()
	s.applied.Store(head)
	return nil
}

func (s *Service) putProduct(p *catalog.FinancialProduct) {
	s.products.set(p.ID, p)
	s.listProduct(p)
}

// listProduct shows a product set before in the lists, its provider's
// included.
func (s *Service) listProduct(p *catalog.FinancialProduct) {
	s.products.list(p.ID)
	list := s.byProvider[p.ProviderID]
	i := slices.IndexFunc(list, func(q *catalog.FinancialProduct) bool { return q.ID == p.ID })
	if i >= 0 {
		list[i] = p
	} else {
		list = append(list, p)
	}
	s.byProvider[p.ProviderID] = list
}

// Counts returns how many entities of each type the read model holds.
func (s *Service) Counts() map[string]int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return map[string]int{
		"institution": s.institutions.len(), "enterprise": s.enterprises.len(),
		"product": s.products.len(), "incubator": s.incubators.len(), "demand": s.demands.len(),
	}
}

// Institution returns an institution, or nil.
func (s *Service) Institution(id int64) *catalog.Institution { return lookup(s, &s.institutions, id) }

// Enterprise returns an enterprise, or nil.
func (s *Service) Enterprise(id int64) *catalog.Enterprise { return lookup(s, &s.enterprises, id) }

// FinancialProduct returns a product, or nil.
func (s *Service) FinancialProduct(id int64) *catalog.FinancialProduct {
	return lookup(s, &s.products, id)
}

// Incubator returns an incubator, or nil.
func (s *Service) Incubator(id int64) *catalog.Incubator { return lookup(s, &s.incubators, id) }

// Demand returns a supply-chain demand, or nil.
func (s *Service) Demand(id int64) *catalog.SupplyChainDemand { return lookup(s, &s.demands, id) }

func lookup[T any](s *Service, t *table[T], id int64) *T {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return t.get(id)
}

// EnterprisesByID returns the enterprises with the given IDs in that order,
// skipping unknown IDs.
func (s *Service) EnterprisesByID(ids []int64) []*catalog.Enterprise {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]*catalog.Enterprise, 0, len(ids))
	for _, id := range ids {
		if e := s.enterprises.get(id); e != nil {
			out = append(out, e)
		}
	}
	return out
}

// Institutions returns every institution in ID order.
func (s *Service) Institutions() []*catalog.Institution {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.institutions.all()
}

// ProductsOf returns the products of an institution in ID order.
func (s *Service) ProductsOf(institutionID int64) []*catalog.FinancialProduct {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.byProvider[institutionID])
}

// Rematch rebuilds the matcher from the read model: every score and every
// pairing, as at start. Writes wait until it is done.
func (s *Service) Rematch() {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.matcher != nil {
		s.matcher.Rebuild(s.dataset())
	}
}

// Snapshot returns every entity of the read model; the values are shared
// and must not be modified.
func (s *Service) Snapshot(context.Context) (*catalog.Dataset, error) {
	return s.dataset(), nil
}

func (s *Service) dataset() *catalog.Dataset {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return &catalog.Dataset{
		Institutions: s.institutions.all(), Enterprises: s.enterprises.all(),
		Products: s.products.all(), Incubators: s.incubators.all(), Demands: s.demands.all(),
	}
}

// Winners returns the enterprises awarded above NONE in year's competition,
// in ID order.
func (s *Service) Winners(year int) []*catalog.Enterprise {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []*catalog.Enterprise
	for _, id := range s.enterprises.ids {
		e := s.enterprises.byID[id]
		for _, c := range e.CompetitionEntries {
			if c.Year == year && c.GreenChannel() {
				out = append(out, e)
				break
			}
		}
	}
	return out
}
