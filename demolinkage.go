package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/linkage"
)

// loadDemoLinkage gives the demo the links of the action plan's tasks 6
// and 7: every fund signs 投孵联动 with two incubators and 投贷联动 with two
// banks; contest entrants take up residence in incubators with vacancies;
// funds express interest in some award winners. The records go through the
// workflow, so each obeys its rules (vacancies, entrants, funds only).
func (a *app) loadDemoLinkage(ctx context.Context, adminID int64) error {
	snap, err := a.market.Snapshot(ctx)
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(demoSeed, 12))
	today := a.now().UTC().Truncate(24 * time.Hour)
	var funds, banks []*catalog.Institution
	for _, in := range snap.Institutions {
		switch in.Kind {
		case catalog.VentureCapital, catalog.GovernmentFund:
			funds = append(funds, in)
		case catalog.Bank:
			banks = append(banks, in)
		}
	}
	incubators := slices.DeleteFunc(slices.Clone(snap.Incubators), func(in *catalog.Incubator) bool { return in.Vacancies == 0 })
	if len(funds) == 0 || len(banks) == 0 || len(incubators) == 0 {
		return nil
	}
	for _, f := range funds {
		signed := today.AddDate(0, -1-r.IntN(18), 0)
		for _, i := range r.Perm(len(incubators))[:min(2, len(incubators))] {
			_, p, err := a.linkage.SignAgreement(ctx, &linkage.Agreement{Kind: linkage.InvestmentIncubation, FundID: f.ID,
				PartnerID: incubators[i].ID, SignedOn: signed, SignedBy: adminID})
			if err := demoProblems("agreement", p, err); err != nil {
				return err
			}
		}
		for _, i := range r.Perm(len(banks))[:min(2, len(banks))] {
			_, p, err := a.linkage.SignAgreement(ctx, &linkage.Agreement{Kind: linkage.LoanInvestment, FundID: f.ID,
				PartnerID: banks[i].ID, SignedOn: signed, SignedBy: adminID})
			if err := demoProblems("agreement", p, err); err != nil {
				return err
			}
		}
	}
	// Residents: contest entrants of this year or last, one in four of
	// them, while the incubators have room.
	entrant := func(e *catalog.Enterprise) bool {
		return slices.ContainsFunc(e.CompetitionEntries, func(c catalog.CompetitionEntry) bool { return c.Year >= today.Year()-1 })
	}
	winner := func(e *catalog.Enterprise) bool {
		return slices.ContainsFunc(e.CompetitionEntries, func(c catalog.CompetitionEntry) bool {
			return c.Year >= today.Year()-1 && c.GreenChannel()
		})
	}
	residents, interests := 0, 0
	for _, e := range snap.Enterprises {
		if !entrant(e) || e.CreditStatus == catalog.CreditDishonest {
			continue
		}
		if r.IntN(4) == 0 && residents < 150 {
			in := incubators[r.IntN(len(incubators))]
			since := today.AddDate(0, 0, -r.IntN(300))
			_, p, err := a.linkage.RecordIncubation(ctx, &linkage.Residency{EnterpriseID: e.ID, IncubatorID: in.ID, Since: since, RecordedBy: adminID}, nil)
			if err != nil {
				return fmt.Errorf("demo residency: %w", err)
			}
			if len(p) == 0 {
				residents++ // a full incubator refuses: the demo moves on
			}
		}
		if winner(e) && r.IntN(3) == 0 && interests < 60 {
			f := funds[r.IntN(len(funds))]
			stage := []linkage.InterestStage{linkage.Watching, linkage.DueDiligence, linkage.TermSheet}[r.IntN(3)]
			_, p, err := a.linkage.ExpressInterest(ctx, &linkage.Interest{FundID: f.ID, EnterpriseID: e.ID, Stage: stage,
				Note: "大赛获奖项目，拟开展早期尽调", By: adminID})
			if err := demoProblems("interest", p, err); err != nil {
				return err
			}
			interests++
		}
	}
	return nil
}
