package resolvers

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/yurong/yurong/access"
	"github.com/yurong/yurong/auth"
	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/graph/model"
	"github.com/yurong/yurong/graph/relay"
	"github.com/yurong/yurong/linkage"
	"github.com/yurong/yurong/store"
)

// Types of the global IDs of package linkage's records.
const (
	IncubationRecordType = "IncubationRecord"
	AgreementType        = "Agreement"
)

// residencyScope is the part of the residencies a viewer may see: all
// (administrators), one enterprise's (its accounts) or one incubator's
// (its accounts).
type residencyScope struct {
	all          bool
	enterpriseID int64
	incubatorID  int64
}

// residencyScopeOf returns the viewer's scope, or an error for a viewer
// who sees no residency.
func residencyScopeOf(ctx context.Context) (residencyScope, error) {
	p := auth.From(ctx)
	switch {
	// SECURITY: administrators see every residency; an enterprise its
	// own; an incubator its residents'; nobody else any.
	case p.Role == auth.Administrator:
		return residencyScope{all: true}, nil
	case p.Role == auth.EnterpriseRole && p.OrgKind == store.OrgEnterprise && p.OrgID != 0:
		return residencyScope{enterpriseID: p.OrgID}, nil
	case p.Role == auth.IncubatorRole && p.OrgKind == store.OrgIncubator && p.OrgID != 0:
		return residencyScope{incubatorID: p.OrgID}, nil
	case p.Role == auth.Anonymous:
		return residencyScope{}, auth.ErrUnauthenticated
	}
	return residencyScope{}, auth.ErrForbidden
}

func (s residencyScope) sees(r *linkage.Residency) bool {
	return s.all || (s.enterpriseID != 0 && r.EnterpriseID == s.enterpriseID) ||
		(s.incubatorID != 0 && r.IncubatorID == s.incubatorID)
}

// narrow restricts a query to the scope: a filter outside it matches
// nothing rather than widening it.
func (s residencyScope) narrow(q *store.ResidencyQuery) (none bool) {
	if s.enterpriseID != 0 {
		none = q.EnterpriseID != 0 && q.EnterpriseID != s.enterpriseID
		q.EnterpriseID = s.enterpriseID
	}
	if s.incubatorID != 0 {
		none = none || (q.IncubatorID != 0 && q.IncubatorID != s.incubatorID)
		q.IncubatorID = s.incubatorID
	}
	return none
}

// recordResidencyReads notes, for the audit log, that the viewer read
// these enterprises' residencies.
func recordResidencyReads(ctx context.Context, rs []*linkage.Residency) {
	req := access.From(ctx)
	for _, r := range rs {
		req.Record(r.EnterpriseID, "Query.incubationRecords")
	}
}

// visibleResidency reads a residency the viewer may see: nil, nil when
// there is none; FORBIDDEN when it is someone else's.
func (r *Resolver) visibleResidency(ctx context.Context, id int64) (*linkage.Residency, error) {
	scope, err := residencyScopeOf(ctx)
	if err != nil {
		return nil, err
	}
	access.From(ctx).Touch()
	res, err := r.Store.Residency(ctx, id)
	if errors.Is(err, linkage.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !scope.sees(res) {
		return nil, auth.ErrForbidden
	}
	recordResidencyReads(ctx, []*linkage.Residency{res})
	return res, nil
}

func (r *Resolver) incubationRecords(ctx context.Context, first *int, after *string, f *model.IncubationRecordFilter) (*model.IncubationRecordConnection, error) {
	scope, err := residencyScopeOf(ctx)
	if err != nil {
		return nil, err
	}
	access.From(ctx).Touch()
	n, afterID, err := page(first, after)
	if err != nil {
		return nil, err
	}
	q := store.ResidencyQuery{After: afterID, Limit: n}
	if f != nil {
		if f.EnterpriseID != nil {
			if q.EnterpriseID, err = relay.ParseIntID("Enterprise", *f.EnterpriseID); err != nil {
				return nil, err
			}
		}
		if f.IncubatorID != nil {
			if q.IncubatorID, err = relay.ParseIntID("Incubator", *f.IncubatorID); err != nil {
				return nil, err
			}
		}
		q.OpenOnly = deref(f.Current, false)
	}
	var rs []*linkage.Residency
	total, hasNext := 0, false
	if none := scope.narrow(&q); !none {
		if rs, total, hasNext, err = r.Store.Residencies(ctx, q); err != nil {
			return nil, err
		}
	}
	recordResidencyReads(ctx, rs)
	c := &model.IncubationRecordConnection{TotalCount: total, Edges: make([]*model.IncubationRecordEdge, len(rs))}
	for i, res := range rs {
		c.Edges[i] = &model.IncubationRecordEdge{Node: res, Cursor: relay.Cursor(res.ID)}
	}
	var start, end int64
	if len(rs) > 0 {
		start, end = rs[0].ID, rs[len(rs)-1].ID
	}
	c.PageInfo = pageInfo(hasNext, afterID != 0, start, end, len(rs) == 0)
	return c, nil
}

func (r *Resolver) agreements(ctx context.Context, first *int, after *string, f *model.AgreementFilter) (*model.AgreementConnection, error) {
	n, afterID, err := page(first, after)
	if err != nil {
		return nil, err
	}
	q := store.AgreementQuery{After: afterID, Limit: n}
	var as []*linkage.Agreement
	total, hasNext, none := 0, false, false
	if f != nil {
		if f.Kind != nil {
			q.Kind = *f.Kind
		}
		if f.PartyID != nil {
			typ, key, err := relay.ParseID(*f.PartyID)
			if err != nil {
				return nil, err
			}
			id, err := strconv.ParseInt(key, 10, 64)
			if err != nil {
				return nil, relay.ErrInvalidID
			}
			switch in := r.Market.Institution(id); {
			case typ == "Incubator":
				none = q.Kind == linkage.LoanInvestment
				q.Kind, q.PartnerID = linkage.InvestmentIncubation, id
			case typ == "Institution" && in != nil && in.Kind == catalog.Bank:
				none = q.Kind == linkage.InvestmentIncubation
				q.Kind, q.PartnerID = linkage.LoanInvestment, id
			case typ == "Institution":
				q.FundID = id
			default:
				return nil, relay.ErrInvalidID
			}
		}
	}
	if !none {
		if as, total, hasNext, err = r.Store.Agreements(ctx, q); err != nil {
			return nil, err
		}
	}
	c := &model.AgreementConnection{TotalCount: total, Edges: make([]*model.AgreementEdge, len(as))}
	for i, a := range as {
		c.Edges[i] = &model.AgreementEdge{Node: a, Cursor: relay.Cursor(a.ID)}
	}
	var start, end int64
	if len(as) > 0 {
		start, end = as[0].ID, as[len(as)-1].ID
	}
	c.PageInfo = pageInfo(hasNext, afterID != 0, start, end, len(as) == 0)
	return c, nil
}

// agreementNode reads an agreement for node(id): public.
func (r *Resolver) agreementNode(ctx context.Context, id int64) (relay.Node, error) {
	as, _, _, err := r.Store.Agreements(ctx, store.AgreementQuery{After: id - 1, Limit: 1})
	if err != nil || len(as) == 0 || as[0].ID != id {
		return nil, err
	}
	return as[0], nil
}

// partner resolves an agreement's partner: its bank or its incubator.
func (r *Resolver) partner(a *linkage.Agreement) (relay.Node, error) {
	if a.Kind == linkage.InvestmentIncubation {
		if in := r.Market.Incubator(a.PartnerID); in != nil {
			return in, nil
		}
		return nil, notFoundError("Incubator", relay.IntID("Incubator", a.PartnerID))
	}
	if in := r.Market.Institution(a.PartnerID); in != nil {
		return in, nil
	}
	return nil, notFoundError("Institution", relay.IntID("Institution", a.PartnerID))
}

func (r *Resolver) institution(id int64) (*catalog.Institution, error) {
	if in := r.Market.Institution(id); in != nil {
		return in, nil
	}
	return nil, notFoundError("Institution", relay.IntID("Institution", id))
}

// ownFund parses a fund's ID for a write: the caller must act for it (an
// INSTITUTION account of it) or be an administrator. A malformed ID is a
// userError.
func ownFund(ctx context.Context, id string) (int64, catalog.Problems, error) {
	fundID, err := relay.ParseIntID("Institution", id)
	if err != nil {
		return 0, invalidID("fundId"), nil
	}
	// SECURITY: a fund's interest is expressed by its own institution's
	// accounts, or by administrators.
	if err := actsFor(ctx, auth.InstitutionRole, store.OrgInstitution, fundID); err != nil {
		return 0, nil, err
	}
	return fundID, nil, nil
}

func residencyPayload(res *linkage.Residency, p catalog.Problems, err error) (*model.IncubationRecordPayload, error) {
	if err != nil {
		return nil, err
	}
	if len(p) > 0 {
		return &model.IncubationRecordPayload{UserErrors: userErrors(p)}, nil
	}
	return &model.IncubationRecordPayload{IncubationRecord: res, UserErrors: []*catalog.FieldError{}}, nil
}

func interestPayload(i *linkage.Interest, p catalog.Problems, err error) (*model.FundInterestPayload, error) {
	if err != nil {
		return nil, err
	}
	if len(p) > 0 {
		return &model.FundInterestPayload{UserErrors: userErrors(p)}, nil
	}
	return &model.FundInterestPayload{Interest: i, UserErrors: []*catalog.FieldError{}}, nil
}

func dateOrZero(d *time.Time) time.Time {
	if d == nil {
		return time.Time{}
	}
	return *d
}

// maxInterests bounds Enterprise.interestedFunds, a plain list.
const maxInterests = 100

// interestParties reads the fund and the enterprise of an interest for a
// caller who may act for the fund.
func interestParties(ctx context.Context, fund, enterprise string) (fundID, entID int64, p catalog.Problems, err error) {
	// SECURITY: a fund's INSTITUTION accounts, or administrators.
	if err := auth.Require(ctx, auth.Administrator, auth.InstitutionRole); err != nil {
		return 0, 0, nil, err
	}
	if fundID, p, err = ownFund(ctx, fund); err != nil {
		return 0, 0, nil, err
	}
	if entID, err = relay.ParseIntID("Enterprise", enterprise); err != nil {
		p = append(p, invalidID("enterpriseId")...)
	}
	return fundID, entID, p, nil
}
