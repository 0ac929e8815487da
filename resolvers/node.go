package resolvers

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/yurong/yurong/access"
	"github.com/yurong/yurong/auth"
	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/events"
	"github.com/yurong/yurong/graph/model"
	"github.com/yurong/yurong/graph/relay"
	"github.com/yurong/yurong/marketplace"
	"github.com/yurong/yurong/store"
)

// node resolves a global ID; an ID of a missing object is null, an ID this
// API never issued is an error.
func (r *Resolver) node(ctx context.Context, id string) (relay.Node, error) {
	typ, key, err := relay.ParseID(id)
	if err != nil {
		return nil, err
	}
	if typ == "Pairing" {
		return r.pairingNode(key)
	}
	n, err := strconv.ParseInt(key, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("%w: %q", relay.ErrInvalidID, id)
	}
	switch typ {
	case "Enterprise":
		if v := r.Market.Enterprise(n); v != nil {
			return v, nil
		}
	case "Institution":
		if v := r.Market.Institution(n); v != nil {
			return v, nil
		}
	case "FinancialProduct":
		if v := r.Market.FinancialProduct(n); v != nil {
			return v, nil
		}
	case "Incubator":
		if v := r.Market.Incubator(n); v != nil {
			return v, nil
		}
	case "SupplyChainDemand":
		if v := r.Market.Demand(n); v != nil {
			return v, nil
		}
	case "Account", "Consent", "AuditEntry":
		return r.privateNode(ctx, typ, n)
	case "Application":
		if a, err := r.visibleApplication(ctx, n); a != nil || err != nil {
			return a, err
		}
	case "Competition":
		c, err := r.Store.Competition(ctx, n)
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil
		}
		return c, err
	case IncubationRecordType:
		if res, err := r.visibleResidency(ctx, n); res != nil || err != nil {
			return res, err
		}
	case AgreementType:
		return r.agreementNode(ctx, n)
	case ClinicType:
		return r.clinicNode(ctx, n)
	case TrainingSessionType:
		return r.trainingSessionNode(ctx, n)
	case DiagnosisType:
		if d, err := r.visibleDiagnosis(ctx, n); d != nil || err != nil {
			return d, err
		}
	case EventType:
		ev, err := r.Events.Event(ctx, n)
		if errors.Is(err, events.ErrNoEvent) {
			return nil, nil
		}
		return ev, err
	default:
		return nil, fmt.Errorf("%w: unknown type in %q", relay.ErrInvalidID, id)
	}
	return nil, nil
}

func (r *Resolver) enterpriseFilter(f *model.EnterpriseFilter) (marketplace.EnterpriseFilter, error) {
	if f == nil {
		return marketplace.EnterpriseFilter{}, nil
	}
	if err := boundText("nameContains", deref(f.NameContains, ""), maxNameContains); err != nil {
		return marketplace.EnterpriseFilter{}, err
	}
	return marketplace.EnterpriseFilter{Cities: f.Cities, Tracks: f.Tracks, Qualifications: f.Qualifications,
		Stages: f.Stages, NameContains: deref(f.NameContains, ""), Keep: r.scoreFilter(f)}, nil
}

func invalidID(field string) catalog.Problems {
	var p catalog.Problems
	p.Add(catalog.CodeNotFound, "ID 无效或不存在", field)
	return p
}

// privateNode resolves the nodes only some viewers may address: an account
// (administrators and the account itself), a consent (administrators and
// its enterprise) and an audit entry (administrators).
func (r *Resolver) privateNode(ctx context.Context, typ string, id int64) (relay.Node, error) {
	p := auth.From(ctx)
	if p.Role == auth.Anonymous {
		return nil, auth.ErrUnauthenticated
	}
	admin := p.Role == auth.Administrator
	switch typ {
	case "Account":
		// SECURITY: an account is seen by administrators and by itself.
		if !admin && p.AccountID != id {
			return nil, auth.ErrForbidden
		}
		return r.account(ctx, id)
	case "Consent":
		c, err := r.Store.Consent(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		// SECURITY: a consent is seen by administrators and its enterprise.
		if !admin && !access.From(ctx).Own(c.EnterpriseID) {
			return nil, auth.ErrForbidden
		}
		return c, nil
	}
	// SECURITY: audit entries are for administrators.
	if !admin {
		return nil, auth.ErrForbidden
	}
	es, _, err := r.Store.AuditLog(ctx, store.AuditFilter{}, id+1, 1)
	if err != nil || len(es) == 0 || es[0].ID != id {
		return nil, err
	}
	return es[0], nil
}
