package marketplace

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/yurong/yurong/store"
)

// Entity names of a Change: the store's change-log names.
const (
	EntityEnterprise  = store.EntityEnterprise
	EntityInstitution = store.EntityInstitution
	EntityProduct     = store.EntityProduct
	EntityIncubator   = store.EntityIncubator
	EntityDemand      = store.EntityDemand
	// Applications and competitions are kept by the store alone: the read
	// model holds nothing of them, and their changes only reach listeners.
	EntityApplication = store.EntityApplication
	EntityCompetition = store.EntityCompetition
	// Residencies, agreements and interests (package linkage) are kept by
	// the store alone too; an incubator's vacancies, which residencies
	// move, are the incubator's own change.
	EntityResidency = store.EntityResidency
	EntityAgreement = store.EntityAgreement
	EntityInterest  = store.EntityInterest
	// EntityScoringModel: an institution's scoring model or a product's
	// use of one (package models).
	EntityScoringModel = store.EntityScoringModel
)

// Refresh re-reads one entity from the store and applies it to the read
// model and the matcher, as if this instance had written it. Another
// instance's write reaches this one this way (its change feed names the
// entity); the store, not the message, holds the state, so a late or
// repeated message is harmless. Listeners are told, like after a local write.
func (s *Service) Refresh(ctx context.Context, entity string, id int64) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return s.refresh(ctx, entity, id)
}

// refresh is Refresh with the write lock held. An entity this version does
// not know is logged and skipped: retrying would not help.
func (s *Service) refresh(ctx context.Context, entity string, id int64) error {
	switch entity {
	case EntityEnterprise:
		e, err := s.store.Enterprise(ctx, id)
		if err != nil {
			return fmt.Errorf("marketplace: refresh enterprise %d: %w", id, err)
		}
		s.applyEnterprise(e, true)
	case EntityInstitution:
		in, err := s.store.Institution(ctx, id)
		if err != nil {
			return fmt.Errorf("marketplace: refresh institution %d: %w", id, err)
		}
		s.mu.Lock()
		s.institutions.put(in.ID, in)
		s.mu.Unlock()
		s.changed(EntityInstitution, id, true)
	case EntityProduct:
		p, err := s.store.FinancialProduct(ctx, id)
		if err != nil {
			return fmt.Errorf("marketplace: refresh product %d: %w", id, err)
		}
		s.applyProduct(p, true)
	case EntityIncubator:
		in, err := s.store.Incubator(ctx, id)
		if err != nil {
			return fmt.Errorf("marketplace: refresh incubator %d: %w", id, err)
		}
		s.applyIncubator(in, true)
	case EntityDemand:
		d, err := s.store.Demand(ctx, id)
		if err != nil {
			return fmt.Errorf("marketplace: refresh demand %d: %w", id, err)
		}
		s.applyDemand(d, true)
	case EntityApplication, EntityCompetition, EntityResidency, EntityAgreement, EntityInterest, EntityScoringModel:
		s.changed(entity, id, true)
	default:
		slog.Warn("marketplace: skipping a change of an unknown entity", "entity", entity, "id", id)
	}
	return nil
}

// Announce tells the listeners of a committed write of state the read model
// does not hold (an application, a competition), so they hear of it as of
// any other write: this instance's subscribers at once, the other
// instances through the change feed, which re-announces it there.
func (s *Service) Announce(entity string, id int64) {
	s.changed(entity, id, false)
}
