package store

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/yurong/yurong/financing"
	"github.com/yurong/yurong/linkage"
)

func TestResidenciesTakeVacancies(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := open(t, loc)
		f := newFinFixture(t, s, 3)
		inc := fullIncubator()
		inc.Vacancies = 2
		if err := s.CreateIncubator(ctx, inc); err != nil {
			t.Fatal(err)
		}
		head, _ := s.LogHead(ctx)
		r := &linkage.Residency{EnterpriseID: f.ents[0].ID, IncubatorID: inc.ID, Since: date(2026, 3, 1),
			Package: *inc.ServicePackage, RecordedBy: 0, CreatedAt: at(2026, 3, 1, 9, 0)}
		got, err := s.CreateResidency(ctx, r)
		if err != nil || got.Vacancies != 1 || r.ID == 0 {
			t.Fatalf("CreateResidency: %+v, %v", got, err)
		}
		// Both the residency and the incubator are logged.
		evs, _ := s.ChangesAfter(ctx, head, 10)
		if len(evs) != 2 || evs[0].Entity != EntityResidency || evs[1].Entity != EntityIncubator || evs[1].EntityID != inc.ID {
			t.Fatalf("log: %+v", evs)
		}
		back, err := s.Residency(ctx, r.ID)
		if err != nil || back.Package != *inc.ServicePackage || !back.Since.Equal(date(2026, 3, 1)) || back.Until != nil {
			t.Fatalf("Residency: %+v, %v", back, err)
		}
		// A second open residency of the same enterprise.
		if _, err := s.CreateResidency(ctx, &linkage.Residency{EnterpriseID: f.ents[0].ID, IncubatorID: inc.ID, Since: date(2026, 3, 2)}); !errors.Is(err, linkage.ErrResident) {
			t.Fatalf("second residency: %v", err)
		}
		stored, _ := s.Incubator(ctx, inc.ID)
		if stored.Vacancies != 1 {
			t.Fatalf("a refused residency took a vacancy: %d", stored.Vacancies)
		}
		if _, err := s.CreateResidency(ctx, &linkage.Residency{EnterpriseID: f.ents[1].ID, IncubatorID: inc.ID, Since: date(2026, 3, 2)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateResidency(ctx, &linkage.Residency{EnterpriseID: f.ents[2].ID, IncubatorID: inc.ID, Since: date(2026, 3, 2)}); !errors.Is(err, linkage.ErrNoVacancy) {
			t.Fatalf("full incubator: %v", err)
		}
		// Ending gives the vacancy back, once.
		ended, in, err := s.EndResidency(ctx, r.ID, date(2026, 6, 30))
		if err != nil || in.Vacancies != 1 || ended.Until == nil || !ended.Until.Equal(date(2026, 6, 30)) {
			t.Fatalf("EndResidency: %+v %+v %v", ended, in, err)
		}
		if _, _, err := s.EndResidency(ctx, r.ID, date(2026, 7, 1)); !errors.Is(err, linkage.ErrEnded) {
			t.Fatalf("ended twice: %v", err)
		}
		if _, _, err := s.EndResidency(ctx, 999, date(2026, 7, 1)); !errors.Is(err, linkage.ErrNotFound) {
			t.Fatalf("unknown residency: %v", err)
		}
		// The enterprise may move in again.
		if _, err := s.CreateResidency(ctx, &linkage.Residency{EnterpriseID: f.ents[0].ID, IncubatorID: inc.ID, Since: date(2026, 7, 1)}); err != nil {
			t.Fatal(err)
		}
		rs, total, next, err := s.Residencies(ctx, ResidencyQuery{IncubatorID: inc.ID, Limit: 2})
		if err != nil || total != 3 || !next || len(rs) != 2 {
			t.Fatalf("Residencies: %d %d %v %v", len(rs), total, next, err)
		}
		rs, total, _, _ = s.Residencies(ctx, ResidencyQuery{EnterpriseID: f.ents[0].ID, OpenOnly: true, Limit: 10})
		if total != 1 || len(rs) != 1 || !rs[0].Open() {
			t.Fatalf("open residencies of one enterprise: %+v", rs)
		}
		between, err := s.ResidenciesBetween(ctx, date(2026, 6, 1), date(2026, 6, 30))
		if err != nil || len(between) != 2 {
			t.Fatalf("ResidenciesBetween: %d, %v", len(between), err)
		}
		if between, _ = s.ResidenciesBetween(ctx, date(2027, 1, 1), date(2027, 12, 31)); len(between) != 2 {
			t.Fatalf("open residencies run on: %d", len(between))
		}
	})
}

func TestConcurrentResidenciesNeverOverbook(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := open(t, loc)
		f := newFinFixture(t, s, 12)
		inc := minimalIncubator()
		inc.Vacancies = 3
		if err := s.CreateIncubator(ctx, inc); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok, full := 0, 0
		for _, e := range f.ents {
			wg.Go(func() {
				_, err := s.CreateResidency(ctx, &linkage.Residency{EnterpriseID: e.ID, IncubatorID: inc.ID, Since: date(2026, 3, 1)})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case errors.Is(err, linkage.ErrNoVacancy):
					full++
				default:
					t.Error(err)
				}
			})
		}
		wg.Wait()
		stored, _ := s.Incubator(ctx, inc.ID)
		if ok != 3 || full != 9 || stored.Vacancies != 0 {
			t.Fatalf("%d residencies, %d refused, %d vacancies left", ok, full, stored.Vacancies)
		}
	})
}

func TestAgreementsAndInterests(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := open(t, loc)
		f := newFinFixture(t, s, 2)
		inc := minimalIncubator()
		if err := s.CreateIncubator(ctx, inc); err != nil {
			t.Fatal(err)
		}
		fund, bank := f.bank2.ID, f.bank1.ID
		a := &linkage.Agreement{Kind: linkage.LoanInvestment, FundID: fund, PartnerID: bank, SignedOn: date(2026, 1, 5),
			ValidUntil: ptr(date(2028, 1, 4)), SignedBy: 3, CreatedAt: at(2026, 1, 5, 10, 0)}
		if err := s.CreateAgreement(ctx, a); err != nil || a.ID == 0 {
			t.Fatalf("CreateAgreement: %v", err)
		}
		dup := *a
		if err := s.CreateAgreement(ctx, &dup); !errors.Is(err, linkage.ErrDuplicate) {
			t.Fatalf("duplicate: %v", err)
		}
		b := &linkage.Agreement{Kind: linkage.InvestmentIncubation, FundID: fund, PartnerID: inc.ID, SignedOn: date(2026, 2, 1), CreatedAt: at(2026, 2, 1, 0, 0)}
		if err := s.CreateAgreement(ctx, b); err != nil {
			t.Fatal(err)
		}
		as, total, _, err := s.Agreements(ctx, AgreementQuery{Kind: linkage.InvestmentIncubation, Limit: 10})
		if err != nil || total != 1 || as[0].PartnerID != inc.ID || as[0].ValidUntil != nil {
			t.Fatalf("Agreements: %+v %d %v", as, total, err)
		}
		if as, _, _, _ = s.Agreements(ctx, AgreementQuery{FundID: fund, Limit: 10}); len(as) != 2 || !as[0].ValidUntil.Equal(date(2028, 1, 4)) || as[0].SignedBy != 3 {
			t.Fatalf("Agreements of the fund: %+v", as)
		}

		i := &linkage.Interest{FundID: fund, EnterpriseID: f.ents[0].ID, Stage: linkage.Watching, Note: "路演印象好", At: at(2026, 4, 1, 8, 0), By: 5}
		if err := s.ExpressInterest(ctx, i); err != nil {
			t.Fatal(err)
		}
		first := i.ID
		i2 := &linkage.Interest{FundID: fund, EnterpriseID: f.ents[0].ID, Stage: linkage.DueDiligence, At: at(2026, 4, 8, 8, 0), By: 5}
		if err := s.ExpressInterest(ctx, i2); err != nil || i2.ID != first {
			t.Fatalf("moving the open interest: id %d (want %d), %v", i2.ID, first, err)
		}
		open, err := s.OpenInterests(ctx, f.ents[0].ID, 0)
		if err != nil || len(open) != 1 || open[0].Stage != linkage.DueDiligence || open[0].Note != "" {
			t.Fatalf("OpenInterests: %+v %v", open, err)
		}

		// A disbursed bank loan, a disbursed fund investment (not a loan)
		// and an approved loan: only the first is a link.
		loan := f.app(f.ents[1], f.loan, financing.Disbursed)
		mustCreateApp(t, s, loan)
		mustCreateApp(t, s, f.app(f.ents[0], f.equity, financing.Disbursed))
		mustCreateApp(t, s, f.app(f.ents[0], f.contest, financing.Approved))
		if _, err := s.CreateResidency(ctx, &linkage.Residency{EnterpriseID: f.ents[1].ID, IncubatorID: inc.ID, Since: date(2026, 3, 1)}); !errors.Is(err, linkage.ErrNoVacancy) {
			t.Fatalf("an incubator without vacancies: %v", err)
		}
		recs, err := s.LinkRecords(ctx)
		if err != nil || len(recs.Agreements) != 2 || len(recs.Interests) != 1 || len(recs.Residencies) != 0 ||
			len(recs.Loans) != 1 || recs.Loans[0] != (linkage.Loan{EnterpriseID: f.ents[1].ID, BankID: bank}) {
			t.Fatalf("LinkRecords: %+v %v", recs, err)
		}

		w, err := s.WithdrawInterest(ctx, fund, f.ents[0].ID, at(2026, 5, 1, 0, 0))
		if err != nil || w.WithdrawnAt == nil || w.ID != first {
			t.Fatalf("WithdrawInterest: %+v %v", w, err)
		}
		if _, err := s.WithdrawInterest(ctx, fund, f.ents[0].ID, at(2026, 5, 2, 0, 0)); !errors.Is(err, linkage.ErrNotFound) {
			t.Fatalf("withdrawn twice: %v", err)
		}
		if open, _ = s.OpenInterests(ctx, f.ents[0].ID, fund); len(open) != 0 {
			t.Fatalf("a withdrawn interest is open: %+v", open)
		}
		// Expressing it again opens a new one.
		if err := s.ExpressInterest(ctx, &linkage.Interest{FundID: fund, EnterpriseID: f.ents[0].ID, Stage: linkage.TermSheet, At: at(2026, 6, 1, 0, 0)}); err != nil {
			t.Fatal(err)
		}
		if open, _ = s.OpenInterests(ctx, f.ents[0].ID, fund); len(open) != 1 || open[0].ID == first {
			t.Fatalf("re-expressed: %+v", open)
		}
	})
}
