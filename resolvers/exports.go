package resolvers

import (
	"context"
	"errors"
	"fmt"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/financing"
	"github.com/yurong/yurong/graph/model"
	"github.com/yurong/yurong/matching"
)

// The official lists as the API answers them, for the .xlsx exports served
// beside it: the same lists in the same order, read by the same functions,
// under the same access rule for the reports.

// EarlySmallHardList is every enterprise Query.earlySmallHardEnterprises
// pages through, in its order.
func (r *Resolver) EarlySmallHardList() []*catalog.Enterprise {
	return r.Market.EnterprisesByID(r.Engine.EarlySmallHardList())
}

// EquityProjectList is every enterprise Query.equityProjectList pages
// through, in its order.
func (r *Resolver) EquityProjectList() []*catalog.Enterprise {
	return r.Market.EnterprisesByID(r.Engine.EquityProjectList())
}

// FilteredEnterprises is what Query.enterprises(filter) pages through, in
// its order (by ID): at most limit enterprises, and how many match in all.
// A filter the query would refuse is refused with the same error.
func (r *Resolver) FilteredEnterprises(filter *model.EnterpriseFilter, limit int) ([]*catalog.Enterprise, int, error) {
	f, err := r.enterpriseFilter(filter)
	if err != nil {
		return nil, 0, err
	}
	p := r.Market.Enterprises(f, 0, limit)
	return p.Items, p.TotalCount, nil
}

// BankRanking is Query.bankPerformance(year), best first, with each bank
// as BankPerformance.institution resolves it.
func (r *Resolver) BankRanking(ctx context.Context, year int) ([]financing.BankPerformance, []*catalog.Institution, error) {
	ranked, err := r.Financing.BankPerformance(ctx, year)
	if err != nil {
		return nil, nil, err
	}
	banks := make([]*catalog.Institution, len(ranked))
	for i := range ranked {
		if banks[i], err = r.BankPerformance().Institution(ctx, &ranked[i]); err != nil {
			return nil, nil, err
		}
	}
	return ranked, banks, nil
}

// Scores are the matching engine's fields of an enterprise: its
// innovation score, its stage and whether it is on the 早小硬 list, as
// Enterprise.innovationScore, stage and earlySmallHard give them.
func (r *Resolver) Scores(e *catalog.Enterprise) (matching.InnovationScore, catalog.GrowthStage, bool, error) {
	s, ok := r.Engine.InnovationScore(e.ID)
	esh, ok2 := r.Engine.EarlySmallHard(e.ID)
	if !ok || !ok2 {
		return s, "", false, fmt.Errorf("enterprise %d is not in the matching engine", e.ID)
	}
	return s, matching.StageOf(e), esh.Listed, nil
}

// LatestReport is the enterprise's latest annual report when the viewer in
// ctx may read its reports (the read recorded as Enterprise.reports
// records it), nil when it has none; ok is false when the viewer may not
// read them.
func LatestReport(ctx context.Context, e *catalog.Enterprise) (report *catalog.AnnualReport, ok bool, err error) {
	switch err := private(ctx, e.ID, "Enterprise.reports"); {
	case errors.Is(err, ErrPrivate):
		return nil, false, nil
	case err != nil:
		return nil, false, err
	}
	return e.LatestReport(), true, nil
}
