package resolvers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"github.com/yurong/yurong/access"
	"github.com/yurong/yurong/auth"
	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/financing"
	"github.com/yurong/yurong/graph/model"
	"github.com/yurong/yurong/graph/relay"
	"github.com/yurong/yurong/marketplace"
	"github.com/yurong/yurong/matching"
	"github.com/yurong/yurong/store"
)

// ApplicationsTopic is the local broker topic of applicationChanged: the
// ID of each application a committed write changed, on this instance or,
// through the change feed, on another.
const ApplicationsTopic = "yurong.applications"

// EngineVerdicts adapts the matching engine to the financing workflow.
type EngineVerdicts struct{ Engine *matching.Engine }

// Verdict implements financing.Pairings.
func (v EngineVerdicts) Verdict(enterpriseID, productID int64) (financing.Verdict, bool) {
	p, ok := v.Engine.Pairing(catalog.Financing, enterpriseID, productID)
	if !ok {
		return financing.Verdict{}, false
	}
	return financing.Verdict{Eligible: p.Eligible, Blockers: p.Blockers, Score: p.Score, GreenChannel: p.GreenChannel}, true
}

// EarlySmallHard implements financing.Pairings.
func (v EngineVerdicts) EarlySmallHard(enterpriseID int64) bool {
	esh, ok := v.Engine.EarlySmallHard(enterpriseID)
	return ok && esh.Listed
}

// applicationScope is the part of the applications a viewer may see: all
// (administrators), one enterprise's (its own accounts) or one
// institution's (its accounts: the applications to its products).
type applicationScope struct {
	all           bool
	enterpriseID  int64
	institutionID int64
}

// scopeOf returns the viewer's scope, or an error for a viewer who sees
// no application.
func scopeOf(ctx context.Context) (applicationScope, error) {
	p := auth.From(ctx)
	switch {
	// SECURITY: administrators see every application; an enterprise its
	// own; an institution those to its products; nobody else any.
	case p.Role == auth.Administrator:
		return applicationScope{all: true}, nil
	case p.Role == auth.EnterpriseRole && p.OrgKind == store.OrgEnterprise && p.OrgID != 0:
		return applicationScope{enterpriseID: p.OrgID}, nil
	case p.Role == auth.InstitutionRole && p.OrgKind == store.OrgInstitution && p.OrgID != 0:
		return applicationScope{institutionID: p.OrgID}, nil
	case p.Role == auth.Anonymous:
		return applicationScope{}, auth.ErrUnauthenticated
	}
	return applicationScope{}, auth.ErrForbidden
}

func (s applicationScope) sees(a *financing.Application) bool {
	return s.all || (s.enterpriseID != 0 && a.EnterpriseID == s.enterpriseID) ||
		(s.institutionID != 0 && a.InstitutionID == s.institutionID)
}

// narrow restricts a query to the scope: a filter outside it matches
// nothing rather than widening it.
func (s applicationScope) narrow(q *store.ApplicationQuery) {
	if s.enterpriseID != 0 {
		if q.EnterpriseID != 0 && q.EnterpriseID != s.enterpriseID {
			q.EnterpriseIDs = []int64{}
		}
		q.EnterpriseID = s.enterpriseID
	}
	if s.institutionID != 0 {
		if q.InstitutionID != 0 && q.InstitutionID != s.institutionID {
			q.EnterpriseIDs = []int64{}
		}
		q.InstitutionID = s.institutionID
	}
}

// recordApplicationReads notes, for the audit log, that the viewer read
// these enterprises' applications, which carry their amounts and purposes.
func recordApplicationReads(ctx context.Context, apps []*financing.Application) {
	req := access.From(ctx)
	for _, a := range apps {
		req.Record(a.EnterpriseID, "Enterprise.applications")
	}
}

// loadEventAccounts reads, in one query, the accounts the events of apps
// name, for ApplicationEvent.by to find in the response's loader.
func (r *Resolver) loadEventAccounts(ctx context.Context, apps []*financing.Application) error {
	l := loaderFrom(ctx)
	if l == nil {
		return nil
	}
	seen := map[int64]bool{}
	var ids []int64
	for _, a := range apps {
		for _, e := range a.Events {
			if _, ok := l.account(e.AccountID); e.AccountID != 0 && !ok && !seen[e.AccountID] {
				seen[e.AccountID] = true
				ids = append(ids, e.AccountID)
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	as, err := r.Store.Accounts(ctx, ids)
	if err != nil {
		return err
	}
	l.addAccounts(as)
	return nil
}

// applicationQuery maps the API's filter onto the store's query.
func (r *Resolver) applicationQuery(f *model.ApplicationFilter) (store.ApplicationQuery, error) {
	var q store.ApplicationQuery
	if f == nil {
		return q, nil
	}
	ids := []struct {
		id  *string
		typ string
		to  *int64
	}{
		{f.EnterpriseID, "Enterprise", &q.EnterpriseID},
		{f.ProductID, "FinancialProduct", &q.ProductID},
		{f.InstitutionID, "Institution", &q.InstitutionID},
	}
	for _, v := range ids {
		if v.id == nil {
			continue
		}
		n, err := relay.ParseIntID(v.typ, *v.id)
		if err != nil {
			return q, err
		}
		*v.to = n
	}
	q.Statuses, q.Programs, q.Phases = f.Statuses, f.Programs, f.ContestPhases
	// "Only overdue ones": false, like null, does not filter.
	if deref(f.Overdue, false) {
		q.OverdueAt = r.Now()
	}
	return q, nil
}

func (r *Resolver) applicationConnection(ctx context.Context, q store.ApplicationQuery, first *int, after *string) (*model.ApplicationConnection, error) {
	n, err := relay.First(first)
	if err != nil {
		return nil, err
	}
	q.Limit = n
	if after != nil {
		q.After = *after
	}
	apps, total, hasNext, err := r.Store.Applications(ctx, q)
	if errors.Is(err, store.ErrBadCursor) {
		return nil, fmt.Errorf("%w: %v", relay.ErrInvalidPage, err)
	}
	if err != nil {
		return nil, err
	}
	recordApplicationReads(ctx, apps)
	if err := r.loadEventAccounts(ctx, apps); err != nil {
		return nil, err
	}
	c := &model.ApplicationConnection{TotalCount: total, Edges: make([]*model.ApplicationEdge, len(apps)),
		PageInfo: &model.PageInfo{HasNextPage: hasNext, HasPreviousPage: q.After != ""}}
	for i, a := range apps {
		c.Edges[i] = &model.ApplicationEdge{Node: a, Cursor: store.ApplicationCursor(a, q.Queue)}
	}
	if len(c.Edges) > 0 {
		c.PageInfo.StartCursor, c.PageInfo.EndCursor = &c.Edges[0].Cursor, &c.Edges[len(c.Edges)-1].Cursor
	}
	return c, nil
}

// visibleApplication reads an application the viewer may see: nil, nil
// when there is none; FORBIDDEN when it is someone else's.
func (r *Resolver) visibleApplication(ctx context.Context, id int64) (*financing.Application, error) {
	scope, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	a, err := r.Store.Application(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !scope.sees(a) {
		return nil, auth.ErrForbidden
	}
	recordApplicationReads(ctx, []*financing.Application{a})
	return a, nil
}

// applicationPayload maps a workflow call's outcome onto the API's payload.
func applicationPayload(a *financing.Application, p catalog.Problems, err error) (*model.ApplicationPayload, error) {
	if err != nil {
		return nil, err
	}
	if len(p) > 0 {
		return &model.ApplicationPayload{UserErrors: userErrors(p)}, nil
	}
	return &model.ApplicationPayload{Application: a, UserErrors: []*catalog.FieldError{}}, nil
}

// decidable reads the application an institution's account may decide or
// pay out: one to its own products; administrators any.
func (r *Resolver) decidable(ctx context.Context, id string) (*financing.Application, catalog.Problems, error) {
	// SECURITY: only institutions and administrators decide and pay out.
	if err := auth.Require(ctx, auth.Administrator, auth.InstitutionRole); err != nil {
		return nil, nil, err
	}
	return r.ownApplication(ctx, id, auth.InstitutionRole, store.OrgInstitution,
		func(a *financing.Application) int64 { return a.InstitutionID })
}

// ownApplication reads application id for a caller who must hold role and
// act for the organisation org(a), or be an administrator. An unknown ID
// is a userError.
func (r *Resolver) ownApplication(ctx context.Context, id string, role auth.Role, kind string, org func(*financing.Application) int64) (*financing.Application, catalog.Problems, error) {
	n, err := relay.ParseIntID("Application", id)
	if err != nil {
		return nil, invalidID("id"), nil
	}
	a, err := r.Store.Application(ctx, n)
	if errors.Is(err, store.ErrNotFound) {
		return nil, invalidID("id"), nil
	}
	if err != nil {
		return nil, nil, err
	}
	// SECURITY: the caller acts for the application's institution (to
	// decide, to pay out) or enterprise (to withdraw).
	if err := actsFor(ctx, role, kind, org(a)); err != nil {
		return nil, nil, err
	}
	return a, nil, nil
}

// stagesFromInput maps the stage dates of an input.
func stagesFromInput(in []*model.StageDatesInput) []financing.StageDates {
	out := make([]financing.StageDates, 0, len(in))
	for _, s := range in {
		if s != nil {
			out = append(out, financing.StageDates{Stage: s.Stage, StartsOn: s.StartsOn, EndsOn: s.EndsOn})
		}
	}
	return out
}

func dates(in []*time.Time) []time.Time {
	out := make([]time.Time, 0, len(in))
	for _, d := range in {
		if d != nil {
			out = append(out, *d)
		}
	}
	return out
}

// offerResource resolves the resource an offer names: a product, an
// incubator (its service package) or a demand.
func (r *Resolver) offerResource(id string) (kind string, resID int64, ok bool) {
	typ, key, err := relay.ParseID(id)
	if err != nil {
		return "", 0, false
	}
	n, err := strconv.ParseInt(key, 10, 64)
	if err != nil {
		return "", 0, false
	}
	switch {
	case typ == "FinancialProduct" && r.Market.FinancialProduct(n) != nil:
		return financing.OfferProduct, n, true
	case typ == "Incubator" && r.Market.Incubator(n) != nil:
		return financing.OfferIncubator, n, true
	case typ == "SupplyChainDemand" && r.Market.Demand(n) != nil:
		return financing.OfferDemand, n, true
	}
	return "", 0, false
}

// followUps lists the award winners of year's competition that have no
// approved or disbursed loan since the year began, best financing pairing
// first: the banks' 赛后跟踪贷 list.
func (r *Resolver) followUps(ctx context.Context, year int) ([]int64, error) {
	funded, err := r.Store.FundedEnterprises(ctx, catalog.Loan, time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		return nil, err
	}
	skip := make(map[int64]bool, len(funded))
	for _, id := range funded {
		skip[id] = true
	}
	type winner struct {
		id    int64
		score float64
	}
	var ws []winner
	for _, e := range r.Market.Winners(year) {
		if skip[e.ID] || e.CreditStatus == catalog.CreditDishonest {
			continue
		}
		kind := catalog.Financing
		best := 0.0
		if ps := r.Engine.Matches(e.ID, &kind, 1, true); len(ps) > 0 {
			best = ps[0].Score
		}
		ws = append(ws, winner{e.ID, best})
	}
	slices.SortFunc(ws, func(a, b winner) int {
		if a.score != b.score {
			if a.score > b.score {
				return -1
			}
			return 1
		}
		return int(a.id - b.id)
	})
	ids := make([]int64, len(ws))
	for i, w := range ws {
		ids[i] = w.id
	}
	return ids, nil
}

// maxEnterpriseApplications bounds Enterprise.applications, a plain list:
// an enterprise applies a few times a year.
const maxEnterpriseApplications = 200

// offerNode resolves the resource of an offer; an error when the read
// model no longer holds it.
func (r *Resolver) offerNode(o *financing.StageOffer) (relay.Node, error) {
	var n relay.Node
	switch o.ResourceKind {
	case financing.OfferProduct:
		if v := r.Market.FinancialProduct(o.ResourceID); v != nil {
			n = v
		}
	case financing.OfferIncubator:
		if v := r.Market.Incubator(o.ResourceID); v != nil {
			n = v
		}
	case financing.OfferDemand:
		if v := r.Market.Demand(o.ResourceID); v != nil {
			n = v
		}
	}
	if n == nil {
		return nil, notFoundError(o.ResourceKind, strconv.FormatInt(o.ResourceID, 10))
	}
	return n, nil
}

// applicationChanged streams the applications the subscriber may see as
// they change, narrowed to one enterprise or institution when asked. The
// application is read from the store at each event, so the subscriber
// sees its committed state, never a message's copy.
func (r *Resolver) applicationChanged(ctx context.Context, enterpriseID, institutionID *string) (<-chan *financing.Application, error) {
	scope, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	var onlyEnt, onlyInst int64
	if enterpriseID != nil {
		if onlyEnt, err = relay.ParseIntID("Enterprise", *enterpriseID); err != nil {
			return nil, err
		}
	}
	if institutionID != nil {
		if onlyInst, err = relay.ParseIntID("Institution", *institutionID); err != nil {
			return nil, err
		}
	}
	msgs, cancel := r.Applications.Subscribe(ctx, ApplicationsTopic)
	out := make(chan *financing.Application, 16)
	go func() {
		defer close(out)
		defer cancel()
		for raw := range msgs {
			id, err := strconv.ParseInt(string(raw), 10, 64)
			if err != nil {
				continue
			}
			a, err := r.Store.Application(ctx, id)
			if err != nil {
				if ctx.Err() == nil && !errors.Is(err, store.ErrNotFound) {
					slog.WarnContext(ctx, "applicationChanged: read the application", "id", id, "err", err)
				}
				continue
			}
			if !scope.sees(a) || (onlyEnt != 0 && a.EnterpriseID != onlyEnt) || (onlyInst != 0 && a.InstitutionID != onlyInst) {
				continue
			}
			select {
			case out <- a:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// PublishApplicationChanges returns a marketplace listener that publishes
// the ID of every changed application, local or another instance's, on b.
func PublishApplicationChanges(b Broker) func(marketplace.Change) {
	return func(c marketplace.Change) {
		if c.Entity != marketplace.EntityApplication {
			return
		}
		if err := b.Publish(context.Background(), ApplicationsTopic, []byte(strconv.FormatInt(c.ID, 10))); err != nil {
			slog.Warn("publish an application change", "id", c.ID, "err", err)
		}
	}
}
