package resolvers

import (
	"context"
	"errors"

	"github.com/yurong/yurong/access"
	"github.com/yurong/yurong/auth"
	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/clinics"
	"github.com/yurong/yurong/graph/model"
	"github.com/yurong/yurong/graph/relay"
	"github.com/yurong/yurong/store"
)

// Types of the global IDs of package clinics' records.
const (
	ClinicType    = "Clinic"
	DiagnosisType = "Diagnosis"
)

// mayReadDiagnosis returns nil when the viewer may read the clinic's
// diagnosis of the enterprise, else FORBIDDEN (errDiagnosisPrivate).
func mayReadDiagnosis(ctx context.Context, c *clinics.Clinic, enterpriseID int64) error {
	p := auth.From(ctx)
	switch {
	// SECURITY: a diagnosis is private to the enterprise (its accounts),
	// the clinic's experts and administrators.
	case p.Role == auth.Administrator:
	case p.Role == auth.ExpertRole && c.HasExpert(p.AccountID):
	case p.Role == auth.EnterpriseRole && p.ActsFor(store.OrgEnterprise, enterpriseID):
	default:
		return errDiagnosisPrivate
	}
	return nil
}

// visibleDiagnoses returns the clinic's diagnoses the viewer may read,
// recording the reads: all of them for administrators and the clinic's
// experts, its own for an enterprise; FORBIDDEN for anyone else.
func (r *Resolver) visibleDiagnoses(ctx context.Context, c *clinics.Clinic) ([]*clinics.Diagnosis, error) {
	req := access.From(ctx)
	req.Touch()
	p := auth.From(ctx)
	var own int64
	switch {
	// SECURITY: see mayReadDiagnosis; an enterprise sees its own only.
	case p.Role == auth.Administrator, p.Role == auth.ExpertRole && c.HasExpert(p.AccountID):
	case p.Role == auth.EnterpriseRole && p.OrgKind == store.OrgEnterprise && p.OrgID != 0:
		own = p.OrgID
	default:
		return nil, errDiagnosisPrivate
	}
	ds, err := r.Store.Diagnoses(ctx, c.ID, own)
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		req.Record(d.EnterpriseID, "Clinic.diagnoses")
	}
	return ds, nil
}

// visibleDiagnosis reads a diagnosis for node(id): nil, nil when there is
// none; FORBIDDEN when the viewer may not read it.
func (r *Resolver) visibleDiagnosis(ctx context.Context, id int64) (*clinics.Diagnosis, error) {
	access.From(ctx).Touch()
	d, err := r.Store.Diagnosis(ctx, id)
	if errors.Is(err, clinics.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	c, err := r.Store.Clinic(ctx, d.ClinicID)
	if err != nil {
		return nil, err
	}
	if err := mayReadDiagnosis(ctx, c, d.EnterpriseID); err != nil {
		return nil, err
	}
	access.From(ctx).Record(d.EnterpriseID, "node(Diagnosis)")
	return d, nil
}

// clinicNode reads a clinic for node(id): public.
func (r *Resolver) clinicNode(ctx context.Context, id int64) (relay.Node, error) {
	access.From(ctx).Touch() // not in the change log: never cached
	c, err := r.Store.Clinic(ctx, id)
	if errors.Is(err, clinics.ErrNotFound) {
		return nil, nil
	}
	return c, err
}

func (r *Resolver) clinics(ctx context.Context, first *int, after *string, f *model.ClinicFilter) (*model.ClinicConnection, error) {
	access.From(ctx).Touch() // not in the change log: never cached
	n, afterID, err := page(first, after)
	if err != nil {
		return nil, err
	}
	q := store.ClinicQuery{After: afterID, Limit: n}
	if f != nil && f.City != nil {
		q.City = *f.City
	}
	cs, total, hasNext, err := r.Store.Clinics(ctx, q)
	if err != nil {
		return nil, err
	}
	c := &model.ClinicConnection{TotalCount: total, Edges: make([]*model.ClinicEdge, len(cs))}
	for i, cl := range cs {
		c.Edges[i] = &model.ClinicEdge{Node: cl, Cursor: relay.Cursor(cl.ID)}
	}
	var start, end int64
	if len(cs) > 0 {
		start, end = cs[0].ID, cs[len(cs)-1].ID
	}
	c.PageInfo = pageInfo(hasNext, afterID != 0, start, end, len(cs) == 0)
	return c, nil
}

// experts resolves accounts as experts with their specialities.
func (r *Resolver) experts(ctx context.Context, ids []int64) ([]*model.Expert, error) {
	as, err := r.Store.Accounts(ctx, ids)
	if err != nil {
		return nil, err
	}
	sp, err := r.Store.Specialities(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*store.Account{}
	for _, a := range as {
		byID[a.ID] = a
	}
	out := []*model.Expert{}
	for _, id := range ids {
		a := byID[id]
		if a == nil {
			continue
		}
		s := sp[id]
		if s == nil {
			s = []clinics.Speciality{}
		}
		out = append(out, &model.Expert{ID: relay.IntID("Account", id), Name: a.Name, Specialities: s})
	}
	return out, nil
}

func clinicPayload(c *clinics.Clinic, p catalog.Problems, err error) (*model.ClinicPayload, error) {
	if err != nil {
		return nil, err
	}
	if len(p) > 0 {
		return &model.ClinicPayload{UserErrors: userErrors(p)}, nil
	}
	return &model.ClinicPayload{Clinic: c, UserErrors: []*catalog.FieldError{}}, nil
}

func diagnosisPayload(d *clinics.Diagnosis, p catalog.Problems, err error) (*model.DiagnosisPayload, error) {
	if err != nil {
		return nil, err
	}
	if len(p) > 0 {
		return &model.DiagnosisPayload{UserErrors: userErrors(p)}, nil
	}
	return &model.DiagnosisPayload{Diagnosis: d, UserErrors: []*catalog.FieldError{}}, nil
}
