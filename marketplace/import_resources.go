package marketplace

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/yurong/yurong/catalog"
)

// Imports of products, incubators and demands.
//
// They have no credit code: each is found by a natural key of its own
// fields (ProductKey, IncubatorKey, DemandKey). A batch is validated with
// the validators of the create mutations, written in one transaction, then
// applied one entity at a time: there are few of them, and ranking one
// product or incubator is the matcher's ordinary upsert.

// The natural keys are catalog's.
type (
	ProductKey   = catalog.ProductKey
	IncubatorKey = catalog.IncubatorKey
	DemandKey    = catalog.DemandKey
)

// A KeyedUpsert is one product, incubator or demand of an import.
type KeyedUpsert[K comparable, T any] struct {
	Key K
	// Merge returns the entity to store given a copy of the stored one
	// (nil when the key is new), which it may modify.
	Merge func(cur *T) *T
}

// KeyedResult is the outcome of one KeyedUpsert.
type KeyedResult[T any] struct {
	Outcome  Outcome
	Value    *T // as stored; nil when refused
	Problems catalog.Problems
}

// ImportProducts validates and writes a batch of products, each of the
// institution its key names (an unknown name is NOT_FOUND at providerId,
// as createFinancialProduct says of an unknown id). With allOrNothing, one
// refused upsert leaves the batch unwritten.
func (s *Service) ImportProducts(ctx context.Context, batch []KeyedUpsert[ProductKey, catalog.FinancialProduct], allOrNothing bool) ([]KeyedResult[catalog.FinancialProduct], error) {
	return importKeyed(ctx, s, batch, allOrNothing, false, s.productKind())
}

// CheckProducts is ImportProducts without writing: each result is what
// importing the batch now would do.
func (s *Service) CheckProducts(batch []KeyedUpsert[ProductKey, catalog.FinancialProduct]) []KeyedResult[catalog.FinancialProduct] {
	res, _ := importKeyed(context.Background(), s, batch, false, true, s.productKind())
	return res
}

// ImportIncubators validates and writes a batch of incubators.
func (s *Service) ImportIncubators(ctx context.Context, batch []KeyedUpsert[IncubatorKey, catalog.Incubator], allOrNothing bool) ([]KeyedResult[catalog.Incubator], error) {
	return importKeyed(ctx, s, batch, allOrNothing, false, s.incubatorKind())
}

// CheckIncubators is ImportIncubators without writing.
func (s *Service) CheckIncubators(batch []KeyedUpsert[IncubatorKey, catalog.Incubator]) []KeyedResult[catalog.Incubator] {
	res, _ := importKeyed(context.Background(), s, batch, false, true, s.incubatorKind())
	return res
}

// ImportDemands validates and writes a batch of supply-chain demands.
func (s *Service) ImportDemands(ctx context.Context, batch []KeyedUpsert[DemandKey, catalog.SupplyChainDemand], allOrNothing bool) ([]KeyedResult[catalog.SupplyChainDemand], error) {
	return importKeyed(ctx, s, batch, allOrNothing, false, s.demandKind())
}

// CheckDemands is ImportDemands without writing.
func (s *Service) CheckDemands(batch []KeyedUpsert[DemandKey, catalog.SupplyChainDemand]) []KeyedResult[catalog.SupplyChainDemand] {
	res, _ := importKeyed(context.Background(), s, batch, false, true, s.demandKind())
	return res
}

func (s *Service) productKind() keyedKind[ProductKey, catalog.FinancialProduct] {
	return keyedKind[ProductKey, catalog.FinancialProduct]{
		what: "金融产品", field: "name",
		table: func() *table[catalog.FinancialProduct] { return &s.products },
		keyOf: func(p *catalog.FinancialProduct) (ProductKey, bool) {
			in := s.institutions.get(p.ProviderID)
			if in == nil {
				return ProductKey{}, false
			}
			return ProductKey{Institution: in.Name, Name: p.Name}, true
		},
		resolver: func() func(ProductKey, *catalog.Problems) (func(*catalog.FinancialProduct), bool) {
			byName := map[string][]int64{} // read with s.mu held
			for _, in := range s.institutions.byID {
				byName[in.Name] = append(byName[in.Name], in.ID)
			}
			return func(k ProductKey, p *catalog.Problems) (func(*catalog.FinancialProduct), bool) {
				ids := byName[k.Institution]
				switch len(ids) {
				case 0:
					p.Add(catalog.CodeNotFound, "金融机构不存在", "providerId")
					return nil, false
				case 1:
					return func(fp *catalog.FinancialProduct) { fp.ProviderID = ids[0] }, true
				}
				p.Add(catalog.CodeDuplicate, fmt.Sprintf("名为「%s」的金融机构有 %d 家，无法确定是哪一家", k.Institution, len(ids)), "providerId")
				return nil, false
			}
		},
		clone:    (*catalog.FinancialProduct).Clone,
		validate: func(p *catalog.FinancialProduct) catalog.Problems { return catalog.ValidateFinancialProduct(p) },
		norm:     normProduct,
		meta:     func(p *catalog.FinancialProduct) (*int64, *time.Time) { return &p.ID, &p.CreatedAt },
		save: func(ctx context.Context, ps []*catalog.FinancialProduct) error {
			return s.store.SaveFinancialProducts(ctx, ps)
		},
		apply: func(p *catalog.FinancialProduct) { s.applyProduct(p, false) },
	}
}

func (s *Service) incubatorKind() keyedKind[IncubatorKey, catalog.Incubator] {
	return keyedKind[IncubatorKey, catalog.Incubator]{
		what: "孵化载体", field: "name",
		table: func() *table[catalog.Incubator] { return &s.incubators },
		keyOf: func(in *catalog.Incubator) (IncubatorKey, bool) { return in.Key(), true },
		clone: (*catalog.Incubator).Clone,
		validate: func(in *catalog.Incubator) catalog.Problems {
			return catalog.ValidateIncubator(in)
		},
		norm: normIncubator,
		meta: func(in *catalog.Incubator) (*int64, *time.Time) { return &in.ID, &in.CreatedAt },
		save: func(ctx context.Context, ins []*catalog.Incubator) error {
			return s.store.SaveIncubators(ctx, ins)
		},
		apply: func(in *catalog.Incubator) { s.applyIncubator(in, false) },
	}
}

func (s *Service) demandKind() keyedKind[DemandKey, catalog.SupplyChainDemand] {
	return keyedKind[DemandKey, catalog.SupplyChainDemand]{
		what: "产业链需求", field: "title",
		table: func() *table[catalog.SupplyChainDemand] { return &s.demands },
		keyOf: func(d *catalog.SupplyChainDemand) (DemandKey, bool) { return d.Key(), true },
		clone: (*catalog.SupplyChainDemand).Clone,
		validate: func(d *catalog.SupplyChainDemand) catalog.Problems {
			return catalog.ValidateDemand(d, s.now())
		},
		norm: normDemand,
		meta: func(d *catalog.SupplyChainDemand) (*int64, *time.Time) { return &d.ID, &d.CreatedAt },
		save: func(ctx context.Context, ds []*catalog.SupplyChainDemand) error {
			return s.store.SaveDemands(ctx, ds)
		},
		apply: func(d *catalog.SupplyChainDemand) { s.applyDemand(d, false) },
	}
}

// keyedKind is what importKeyed needs to know of one kind of entity.
type keyedKind[K comparable, T any] struct {
	what  string // its Chinese name, for messages
	field string // the input field a duplicate key is reported at
	table func() *table[T]
	keyOf func(*T) (K, bool) // the key of a stored entity, read with s.mu held; false when it has none
	// resolver, when set, is called with s.mu held and returns resolve,
	// which checks what a key names outside the entity (a product's
	// institution) and returns what to set on the merged entity.
	resolver func() func(K, *catalog.Problems) (func(*T), bool)
	clone    func(*T) *T
	validate func(*T) catalog.Problems
	norm     func(*T) *T // a copy with ID, CreatedAt and empty lists zeroed, for comparing
	meta     func(*T) (id *int64, createdAt *time.Time)
	save     func(context.Context, []*T) error
	apply    func(*T)
}

// importKeyed is ImportProducts, ImportIncubators and ImportDemands (and
// with check, their Check… twins, which stop before writing): as
// ImportEnterprises, with a natural key for the credit code.
func importKeyed[K comparable, T any](ctx context.Context, s *Service, batch []KeyedUpsert[K, T], allOrNothing, check bool, k keyedKind[K, T]) ([]KeyedResult[T], error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.mu.RLock()
	byKey := map[K][]*T{}
	t := k.table()
	for _, id := range t.ids {
		v := t.byID[id]
		if key, ok := k.keyOf(v); ok {
			byKey[key] = append(byKey[key], v)
		}
	}
	var resolve func(K, *catalog.Problems) (func(*T), bool)
	if k.resolver != nil {
		resolve = k.resolver()
	}
	s.mu.RUnlock()

	results := make([]KeyedResult[T], len(batch))
	seen := make(map[K]bool, len(batch))
	var writes []*T
	var written []int // the index in batch of each write
	for i, u := range batch {
		r := &results[i]
		if seen[u.Key] {
			r.Problems.Add(catalog.CodeDuplicate, fmt.Sprintf("%s在本批中重复", k.what), k.field)
			continue
		}
		seen[u.Key] = true
		var set func(*T)
		if resolve != nil {
			var ok bool
			if set, ok = resolve(u.Key, &r.Problems); !ok {
				continue
			}
		}
		stored := byKey[u.Key]
		if len(stored) > 1 {
			r.Problems.Add(catalog.CodeDuplicate, fmt.Sprintf("已有 %d 条相同的%s，无法确定更新哪一条", len(stored), k.what), k.field)
			continue
		}
		var cur, v *T
		if len(stored) == 1 {
			cur = stored[0]
			v = u.Merge(k.clone(cur))
			id, created := k.meta(v)
			curID, curCreated := k.meta(cur)
			*id, *created = *curID, *curCreated
		} else {
			v = u.Merge(nil)
			id, _ := k.meta(v)
			*id = 0
		}
		if set != nil {
			set(v)
		}
		if r.Problems = k.validate(v); len(r.Problems) > 0 {
			continue
		}
		if cur != nil && reflect.DeepEqual(k.norm(cur), k.norm(v)) {
			r.Outcome, r.Value = Unchanged, cur
			continue
		}
		writes, written = append(writes, v), append(written, i)
	}
	if check {
		for j, v := range writes {
			r := &results[written[j]]
			r.Value, r.Outcome = v, Updated
			if id, _ := k.meta(v); *id == 0 {
				r.Outcome = Created
			}
		}
		return results, nil
	}
	if allOrNothing && len(writes) > 0 && slices.ContainsFunc(results, func(r KeyedResult[T]) bool { return len(r.Problems) > 0 }) {
		for _, i := range written {
			results[i] = KeyedResult[T]{Outcome: Refused}
		}
		return results, nil
	}
	if len(writes) == 0 {
		return results, nil
	}
	created := make([]bool, len(writes))
	for j, v := range writes {
		id, _ := k.meta(v)
		created[j] = *id == 0
	}
	if err := k.save(ctx, writes); err != nil {
		// Nothing was written (store.ErrProviderNotFound or ErrNotFound
		// when another instance changed what this one read: a retry, once
		// this one follows the log, may pass).
		return nil, fmt.Errorf("marketplace: import %s: %w", k.what, err)
	}
	for j, v := range writes {
		r := &results[written[j]]
		r.Value, r.Outcome = v, Updated
		if created[j] {
			r.Outcome = Created
		}
		k.apply(v)
	}
	return results, nil
}

func normProduct(p *catalog.FinancialProduct) *catalog.FinancialProduct {
	c := p.Clone()
	c.ID, c.CreatedAt = 0, time.Time{}
	c.Coverages = nilIfEmpty(c.Coverages)
	el := &c.Eligibility
	el.Tracks, el.Cities = nilIfEmpty(el.Tracks), nilIfEmpty(el.Cities)
	el.Stages, el.Qualifications = nilIfEmpty(el.Stages), nilIfEmpty(el.Qualifications)
	return c
}

func normIncubator(in *catalog.Incubator) *catalog.Incubator {
	c := in.Clone()
	c.ID, c.CreatedAt = 0, time.Time{}
	c.FocusTracks = nilIfEmpty(c.FocusTracks)
	return c
}

func normDemand(d *catalog.SupplyChainDemand) *catalog.SupplyChainDemand {
	c := d.Clone()
	c.ID, c.CreatedAt = 0, time.Time{}
	c.Keywords = nilIfEmpty(c.Keywords)
	if c.Deadline != nil { // a date: compared as a calendar day, whatever its location
		y, m, day := c.Deadline.Date()
		t := time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
		c.Deadline = &t
	}
	return c
}
