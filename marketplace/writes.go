package marketplace

import (
	"context"
	"errors"
	"fmt"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/store"
)

// Every write returns (entity, problems, err): problems are the user's to
// fix and nothing was written; err is an internal failure and nothing was
// written either.

// CreateInstitution validates and commits a new institution.
func (s *Service) CreateInstitution(ctx context.Context, in *catalog.Institution) (*catalog.Institution, catalog.Problems, error) {
	if p := catalog.ValidateInstitution(in); len(p) > 0 {
		return nil, p, nil
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.store.CreateInstitution(ctx, in); err != nil {
		return nil, nil, fmt.Errorf("marketplace: create institution: %w", err)
	}
	s.mu.Lock()
	s.institutions.put(in.ID, in)
	s.mu.Unlock()
	s.changed(EntityInstitution, in.ID, false)
	return in, nil, nil
}

// CreateEnterprise validates and commits a new enterprise, then ranks its
// pairings before returning.
func (s *Service) CreateEnterprise(ctx context.Context, e *catalog.Enterprise) (*catalog.Enterprise, catalog.Problems, error) {
	if p := catalog.ValidateEnterprise(e, s.now()); len(p) > 0 {
		return nil, p, nil
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	err := s.store.CreateEnterprise(ctx, e)
	if errors.Is(err, store.ErrDuplicateCreditCode) {
		var p catalog.Problems
		p.Add(catalog.CodeDuplicate, fmt.Sprintf("统一社会信用代码 %s 已被其他企业使用", e.CreditCode), "creditCode")
		return nil, p, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("marketplace: create enterprise: %w", err)
	}
	s.applyEnterprise(e, false)
	return e, nil, nil
}

// UpdateEnterprise applies patch to a copy of the stored enterprise,
// validates the result and commits it.
func (s *Service) UpdateEnterprise(ctx context.Context, id int64, patch func(*catalog.Enterprise)) (*catalog.Enterprise, catalog.Problems, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	cur := s.Enterprise(id)
	if cur == nil {
		return nil, notFound("id", "企业"), nil
	}
	e := cur.Clone()
	patch(e)
	if p := catalog.ValidateEnterprise(e, s.now()); len(p) > 0 {
		return nil, p, nil
	}
	err := s.store.UpdateEnterprise(ctx, e)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("id", "企业"), nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("marketplace: update enterprise %d: %w", id, err)
	}
	s.applyEnterprise(e, false)
	return e, nil, nil
}

// RecordCompetitionEntry records an enterprise's competition entry; an
// entry for a year replaces that year's earlier entry.
func (s *Service) RecordCompetitionEntry(ctx context.Context, enterpriseID int64, c catalog.CompetitionEntry) (*catalog.Enterprise, catalog.Problems, error) {
	if p := catalog.ValidateCompetitionEntry(c, s.now()); len(p) > 0 {
		return nil, p, nil
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	e, err := s.store.AddCompetitionEntry(ctx, enterpriseID, c)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("enterpriseId", "企业"), nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("marketplace: record competition entry: %w", err)
	}
	s.applyEnterprise(e, false)
	return e, nil, nil
}

func (s *Service) applyEnterprise(e *catalog.Enterprise, remote bool) {
	s.apply(EntityEnterprise, e.ID, remote, func() { s.enterprises.set(e.ID, e) }, func() { s.enterprises.list(e.ID) },
		func(m Matcher) { m.UpsertEnterprise(e) })
}

// CreateFinancialProduct validates and commits a new product of an existing
// institution, then ranks its candidates.
func (s *Service) CreateFinancialProduct(ctx context.Context, fp *catalog.FinancialProduct) (*catalog.FinancialProduct, catalog.Problems, error) {
	if p := catalog.ValidateFinancialProduct(fp); len(p) > 0 {
		return nil, p, nil
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	err := s.store.CreateFinancialProduct(ctx, fp)
	if errors.Is(err, store.ErrProviderNotFound) {
		return nil, notFound("providerId", "金融机构"), nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("marketplace: create financial product: %w", err)
	}
	s.applyProduct(fp, false)
	return fp, nil, nil
}

// CreateIncubator validates and commits a new incubator.
func (s *Service) CreateIncubator(ctx context.Context, in *catalog.Incubator) (*catalog.Incubator, catalog.Problems, error) {
	if p := catalog.ValidateIncubator(in); len(p) > 0 {
		return nil, p, nil
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.store.CreateIncubator(ctx, in); err != nil {
		return nil, nil, fmt.Errorf("marketplace: create incubator: %w", err)
	}
	s.applyIncubator(in, false)
	return in, nil, nil
}

// CommitIncubator runs commit — a store transaction that changes an
// incubator with other records (a residency takes or gives back one of
// its vacancies) and returns the incubator as committed — under the write
// lock, then applies the incubator to the read model and the matcher like
// any write of it. commit's error is returned as is, and nothing applied.
func (s *Service) CommitIncubator(ctx context.Context, commit func(ctx context.Context) (*catalog.Incubator, error)) (*catalog.Incubator, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	in, err := commit(ctx)
	if err != nil {
		return nil, err
	}
	s.applyIncubator(in, false)
	return in, nil
}

// CreateDemand validates and commits a new supply-chain demand.
func (s *Service) CreateDemand(ctx context.Context, d *catalog.SupplyChainDemand) (*catalog.SupplyChainDemand, catalog.Problems, error) {
	if p := catalog.ValidateDemand(d, s.now()); len(p) > 0 {
		return nil, p, nil
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.store.CreateDemand(ctx, d); err != nil {
		return nil, nil, fmt.Errorf("marketplace: create demand: %w", err)
	}
	s.applyDemand(d, false)
	return d, nil, nil
}

func (s *Service) applyProduct(p *catalog.FinancialProduct, remote bool) {
	s.apply(EntityProduct, p.ID, remote, func() { s.products.set(p.ID, p) }, func() { s.listProduct(p) },
		func(m Matcher) { m.UpsertProduct(p) })
}

func (s *Service) applyIncubator(in *catalog.Incubator, remote bool) {
	s.apply(EntityIncubator, in.ID, remote, func() { s.incubators.set(in.ID, in) }, func() { s.incubators.list(in.ID) },
		func(m Matcher) { m.UpsertIncubator(in) })
}

func (s *Service) applyDemand(d *catalog.SupplyChainDemand, remote bool) {
	s.apply(EntityDemand, d.ID, remote, func() { s.demands.set(d.ID, d) }, func() { s.demands.list(d.ID) },
		func(m Matcher) { m.UpsertDemand(d) })
}

// apply makes a committed write visible in three steps, so that no reader
// ever meets one half of it without the other:
//  1. the read model finds the entity by ID (set), so a pairing the engine
//     is about to rank with it resolves;
//  2. the matcher ranks it;
//  3. lists show it (list), now that its score and pairings exist;
//
// then the listeners hear of it. An update is replaced by ID in step 1:
// a reader between steps 1 and 3 sees the new entity with its previous
// scores, never an entity without any.
func (s *Service) apply(entity string, id int64, remote bool, set, list func(), upsert func(Matcher)) {
	s.mu.Lock()
	set()
	s.mu.Unlock()
	if s.matcher != nil {
		upsert(s.matcher)
	}
	s.mu.Lock()
	list()
	s.mu.Unlock()
	s.changed(entity, id, remote)
}

func (s *Service) changed(entity string, id int64, remote bool) {
	s.mu.RLock()
	ls := s.listeners
	s.mu.RUnlock()
	c := Change{Entity: entity, ID: id, At: s.now(), Remote: remote}
	for _, f := range ls {
		f(c)
	}
}

func notFound(field, what string) catalog.Problems {
	var p catalog.Problems
	p.Add(catalog.CodeNotFound, fmt.Sprintf("%s不存在", what), field)
	return p
}
