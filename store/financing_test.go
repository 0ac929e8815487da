package store

import (
	"cmp"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/financing"
)

// finFixture holds what applications need: two banks, three products
// (a 积分贷 loan and a 创赛贷 loan of bank1, an equity fund of bank2) and
// enterprises.
type finFixture struct {
	bank1, bank2          *catalog.Institution
	loan, contest, equity *catalog.FinancialProduct
	ents                  []*catalog.Enterprise
}

func newFinFixture(t *testing.T, s *Store, enterprises int) *finFixture {
	t.Helper()
	ctx := context.Background()
	f := &finFixture{
		bank1: &catalog.Institution{Name: "中原银行", Kind: catalog.Bank, City: catalog.Zhengzhou},
		bank2: &catalog.Institution{Name: "河南创投", Kind: catalog.VentureCapital, City: catalog.Luoyang},
	}
	for _, in := range []*catalog.Institution{f.bank1, f.bank2} {
		if err := s.CreateInstitution(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	f.loan, f.equity = fullProduct(f.bank1.ID), minimalProduct(f.bank2.ID)
	f.contest = &catalog.FinancialProduct{Name: "创赛贷", Kind: catalog.Loan, Program: catalog.ContestLoan,
		ProviderID: f.bank1.ID, MaxAmount: 3_000_000_00}
	for _, p := range []*catalog.FinancialProduct{f.loan, f.equity, f.contest} {
		if err := s.CreateFinancialProduct(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	for i := range enterprises {
		e := minimalEnterprise(1000 + i)
		if err := s.CreateEnterprise(ctx, e); err != nil {
			t.Fatal(err)
		}
		f.ents = append(f.ents, e)
	}
	return f
}

// app returns a minimal application of enterprise e to product p.
func (f *finFixture) app(e *catalog.Enterprise, p *catalog.FinancialProduct, status financing.Status) *financing.Application {
	return &financing.Application{EnterpriseID: e.ID, ProductID: p.ID, InstitutionID: p.ProviderID,
		Program: p.Program, Status: status, RequestedAmount: 1_000_000_00, Purpose: "研发"}
}

func mustCreateApp(t *testing.T, s *Store, a *financing.Application) *financing.Application {
	t.Helper()
	if err := s.CreateApplication(context.Background(), a); err != nil {
		t.Fatalf("CreateApplication: %v", err)
	}
	return a
}

func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

func TestCompetitions(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := open(t, loc)
		full := &financing.Competition{Year: 2026, Name: "第十五届河南省创新创业大赛", Stages: []financing.StageDates{
			{Stage: catalog.Preliminary, StartsOn: date(2026, 4, 1), EndsOn: date(2026, 4, 30)},
			{Stage: catalog.CitySemifinal, StartsOn: date(2026, 5, 10), EndsOn: date(2026, 5, 20)},
			{Stage: catalog.ProvincialSemifinal, StartsOn: date(2026, 6, 1), EndsOn: date(2026, 6, 5)},
			{Stage: catalog.ProvincialFinal, StartsOn: date(2026, 6, 1), EndsOn: date(2026, 6, 30)},
		}}
		bare := &financing.Competition{Year: 2025, Name: "第十四届"}

		for _, tc := range []struct {
			name string
			c    *financing.Competition
		}{{"with stages", full}, {"without stages", bare}} {
			t.Run("round trip "+tc.name, func(t *testing.T) {
				want := *tc.c
				n := outboxLen(t, s)
				if err := s.CreateCompetition(ctx, tc.c); err != nil {
					t.Fatal(err)
				}
				if tc.c.ID == 0 || tc.c.CreatedAt.IsZero() {
					t.Fatalf("ID and CreatedAt not set: %+v", tc.c)
				}
				want.ID, want.CreatedAt = tc.c.ID, tc.c.CreatedAt
				got, err := s.Competition(ctx, tc.c.ID)
				if err != nil {
					t.Fatal(err)
				}
				mustEqual(t, "Competition", got, &want)
				got, err = s.CompetitionOfYear(ctx, tc.c.Year)
				if err != nil {
					t.Fatal(err)
				}
				mustEqual(t, "CompetitionOfYear", got, &want)
				if outboxLen(t, s) != n+1 {
					t.Errorf("change log grew by %d, want 1", outboxLen(t, s)-n)
				}
			})
		}

		t.Run("stages come back by start date then stage", func(t *testing.T) {
			c := &financing.Competition{Year: 2027, Name: "乱序", Stages: []financing.StageDates{
				{Stage: catalog.National, StartsOn: date(2027, 9, 1), EndsOn: date(2027, 9, 2)},
				{Stage: catalog.ProvincialFinal, StartsOn: date(2027, 5, 1), EndsOn: date(2027, 5, 2)},
				{Stage: catalog.Preliminary, StartsOn: date(2027, 5, 1), EndsOn: date(2027, 5, 9)},
			}}
			if err := s.CreateCompetition(ctx, c); err != nil {
				t.Fatal(err)
			}
			got, err := s.Competition(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			var stages []catalog.CompetitionStage
			for _, st := range got.Stages {
				stages = append(stages, st.Stage)
			}
			mustEqual(t, "stages", stages, []catalog.CompetitionStage{catalog.Preliminary, catalog.ProvincialFinal, catalog.National})
		})

		t.Run("newest year first", func(t *testing.T) {
			all, err := s.Competitions(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var years []int
			for _, c := range all {
				years = append(years, c.Year)
			}
			mustEqual(t, "years", years, []int{2027, 2026, 2025})
			mustEqual(t, "2026", all[1], func() *financing.Competition { c, _ := s.Competition(ctx, full.ID); return c }())
		})

		t.Run("a taken year is refused and writes nothing", func(t *testing.T) {
			n := outboxLen(t, s)
			err := s.CreateCompetition(ctx, &financing.Competition{Year: 2026, Name: "重复", Stages: []financing.StageDates{
				{Stage: catalog.Preliminary, StartsOn: date(2026, 1, 1), EndsOn: date(2026, 1, 2)}}})
			if !errors.Is(err, ErrDuplicateCompetition) {
				t.Fatalf("err = %v, want ErrDuplicateCompetition", err)
			}
			if outboxLen(t, s) != n {
				t.Error("a refused competition was logged")
			}
			got, _ := s.CompetitionOfYear(ctx, 2026)
			if got.Name != full.Name {
				t.Errorf("competition of 2026 = %q", got.Name)
			}
		})

		t.Run("unknown ids and years are ErrNotFound", func(t *testing.T) {
			if _, err := s.Competition(ctx, 9999); !errors.Is(err, ErrNotFound) {
				t.Errorf("Competition: %v", err)
			}
			if _, err := s.CompetitionOfYear(ctx, 1999); !errors.Is(err, ErrNotFound) {
				t.Errorf("CompetitionOfYear: %v", err)
			}
		})
	})
}

func TestStageOffers(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := open(t, loc)
		c := &financing.Competition{Year: 2026, Name: "大赛"}
		if err := s.CreateCompetition(ctx, c); err != nil {
			t.Fatal(err)
		}
		offers := []*financing.StageOffer{
			{CompetitionID: c.ID, Stage: catalog.Preliminary, ResourceKind: financing.OfferProduct, ResourceID: 7, Note: "初赛企业专享"},
			{CompetitionID: c.ID, Stage: catalog.Preliminary, ResourceKind: financing.OfferIncubator, ResourceID: 7},
			{CompetitionID: c.ID, Stage: catalog.ProvincialFinal, ResourceKind: financing.OfferProduct, ResourceID: 7, Note: "决赛"},
			{CompetitionID: c.ID, Stage: catalog.ProvincialFinal, ResourceKind: financing.OfferDemand, ResourceID: 3},
		}
		for _, o := range offers {
			n := outboxLen(t, s)
			if err := s.AddStageOffer(ctx, o); err != nil {
				t.Fatal(err)
			}
			if o.ID == 0 {
				t.Fatal("ID not set")
			}
			if outboxLen(t, s) != n+1 {
				t.Error("an offer was not logged")
			}
		}
		evs, err := s.ChangesAfter(ctx, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if last := evs[len(evs)-1]; last.Entity != EntityCompetition || last.EntityID != c.ID {
			t.Errorf("last change = %+v, want the competition %d", last, c.ID)
		}

		t.Run("round trip, all stages and one", func(t *testing.T) {
			got, err := s.StageOffers(ctx, c.ID, nil)
			if err != nil {
				t.Fatal(err)
			}
			mustEqual(t, "all offers", got, offers)
			got, err = s.StageOffers(ctx, c.ID, ptr(catalog.ProvincialFinal))
			if err != nil {
				t.Fatal(err)
			}
			mustEqual(t, "final's offers", got, offers[2:])
			got, err = s.StageOffers(ctx, c.ID, ptr(catalog.National))
			if err != nil || len(got) != 0 {
				t.Fatalf("national's offers = %v, %v", got, err)
			}
		})

		t.Run("offering again replaces the note and keeps the id", func(t *testing.T) {
			again := &financing.StageOffer{CompetitionID: c.ID, Stage: catalog.Preliminary,
				ResourceKind: financing.OfferProduct, ResourceID: 7, Note: "改过的说明"}
			if err := s.AddStageOffer(ctx, again); err != nil {
				t.Fatal(err)
			}
			if again.ID != offers[0].ID {
				t.Errorf("ID = %d, want %d", again.ID, offers[0].ID)
			}
			got, _ := s.StageOffers(ctx, c.ID, nil)
			want := append([]*financing.StageOffer{again}, offers[1:]...)
			mustEqual(t, "offers", got, want)
		})

		t.Run("a missing competition is ErrNotFound", func(t *testing.T) {
			n := outboxLen(t, s)
			err := s.AddStageOffer(ctx, &financing.StageOffer{CompetitionID: 999, Stage: catalog.Preliminary,
				ResourceKind: financing.OfferProduct, ResourceID: 1})
			if !errors.Is(err, ErrNotFound) {
				t.Fatalf("err = %v, want ErrNotFound", err)
			}
			if outboxLen(t, s) != n {
				t.Error("a refused offer was logged")
			}
		})
	})
}

func TestApplicationRoundTrip(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := open(t, loc)
		f := newFinFixture(t, s, 2)
		full := &financing.Application{
			EnterpriseID: f.ents[0].ID, ProductID: f.contest.ID, InstitutionID: f.bank1.ID, Program: catalog.ContestLoan,
			Status: financing.Disbursed, RequestedAmount: 2_000_000_00, Purpose: "中试线；含 \"引号\"",
			ApprovedAmount: ptr(catalog.Amount(1_500_000_00)), AnnualRate: ptr(3.15), RejectionReason: "曾拒：材料不全",
			ContestPhase: ptr(financing.During), ContestYear: 2026, PairingScore: 87.25, GreenChannel: true,
			CreatedAt:   time.Date(2026, 3, 1, 8, 30, 0, 123456000, time.UTC),
			SubmittedAt: ptr(at(2026, 3, 2, 9, 0)), DecisionDue: ptr(at(2026, 3, 9, 0, 0)),
			DecidedAt: ptr(at(2026, 3, 5, 16, 45)), ClosedAt: ptr(at(2026, 3, 20, 10, 0)),
			LossCompensation: ptr(0.4), DisbursedAmount: ptr(catalog.Amount(1_400_000_00)),
			DisbursedOn: ptr(date(2026, 3, 20)), EarlySmallHard: true,
			Events: []financing.Event{
				{At: time.Date(2026, 3, 1, 8, 30, 0, 123456000, time.UTC), Status: financing.PreApplied, AccountID: 7, Note: "预申报"},
				{At: at(2026, 3, 2, 9, 0), Status: financing.Submitted},
			},
		}
		minimal := &financing.Application{EnterpriseID: f.ents[1].ID, ProductID: f.equity.ID,
			InstitutionID: f.bank2.ID, Program: catalog.VentureFund, Status: financing.PreApplied}

		for _, tc := range []struct {
			name string
			a    *financing.Application
		}{{"every optional field set", full}, {"every optional field unset", minimal}} {
			t.Run(tc.name, func(t *testing.T) {
				want := *tc.a
				n := outboxLen(t, s)
				before := now()
				if err := s.CreateApplication(ctx, tc.a); err != nil {
					t.Fatal(err)
				}
				want.ID = tc.a.ID
				if want.CreatedAt.IsZero() {
					if tc.a.CreatedAt.Before(before) {
						t.Errorf("CreatedAt = %v, want now", tc.a.CreatedAt)
					}
					want.CreatedAt = tc.a.CreatedAt
				}
				mustEqual(t, "created", tc.a, &want)
				got, err := s.Application(ctx, tc.a.ID)
				if err != nil {
					t.Fatal(err)
				}
				mustEqual(t, "read back", got, &want)
				if outboxLen(t, s) != n+1 {
					t.Error("the application was not logged")
				}
			})
		}

		t.Run("institution and programme default to the product's; untimed events get the creation time", func(t *testing.T) {
			a := &financing.Application{EnterpriseID: f.ents[1].ID, ProductID: f.loan.ID, Status: financing.Submitted,
				Events: []financing.Event{{Status: financing.Submitted, AccountID: 3}}}
			mustCreateApp(t, s, a)
			if a.InstitutionID != f.bank1.ID || a.Program != catalog.ScoreLoan || a.Events[0].At != a.CreatedAt {
				t.Fatalf("got %+v", a)
			}
			got, _ := s.Application(ctx, a.ID)
			mustEqual(t, "read back", got, a)
		})

		t.Run("a missing enterprise, product or application is ErrNotFound", func(t *testing.T) {
			n := outboxLen(t, s)
			for _, a := range []*financing.Application{
				{EnterpriseID: 9999, ProductID: f.loan.ID, Status: financing.PreApplied},
				{EnterpriseID: f.ents[0].ID, ProductID: 9999, Status: financing.PreApplied},
			} {
				if err := s.CreateApplication(ctx, a); !errors.Is(err, ErrNotFound) {
					t.Errorf("CreateApplication(%+v) = %v, want ErrNotFound", a, err)
				}
			}
			if outboxLen(t, s) != n {
				t.Error("a refused application was logged")
			}
			if _, err := s.Application(ctx, 9999); !errors.Is(err, ErrNotFound) {
				t.Errorf("Application(9999) = %v", err)
			}
		})

		t.Run("a write under an actor is audited as the application", func(t *testing.T) {
			actx := WithActor(ctx, Actor{AccountID: 1, Action: "applyForProduct"})
			a := f.app(f.ents[0], f.equity, financing.PreApplied)
			if err := s.CreateApplication(actx, a); err != nil {
				t.Fatal(err)
			}
			_, total, err := s.AuditLog(ctx, AuditFilter{SubjectType: "Application", SubjectID: a.ID}, 0, 10)
			if err != nil || total != 1 {
				t.Fatalf("audit entries = %d, %v; want 1", total, err)
			}
		})
	})
}

func TestConcurrentApplications(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := open(t, loc)
		f := newFinFixture(t, s, 1)
		n := outboxLen(t, s)

		const tries = 50
		var wg sync.WaitGroup
		errs := make([]error, tries)
		ids := make([]int64, tries)
		for i := range tries {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a := f.app(f.ents[0], f.loan, financing.PreApplied)
				a.Events = []financing.Event{{Status: financing.PreApplied}}
				errs[i] = s.CreateApplication(ctx, a)
				ids[i] = a.ID
			}()
		}
		wg.Wait()
		var created []int64
		refused := 0
		for i, err := range errs {
			switch {
			case err == nil:
				created = append(created, ids[i])
			case errors.Is(err, ErrOpenApplication):
				refused++
			default:
				t.Errorf("CreateApplication: %v", err)
			}
		}
		if len(created) != 1 || refused != tries-1 {
			t.Fatalf("%d created, %d refused; want 1 and %d", len(created), refused, tries-1)
		}
		_, total, _, err := s.Applications(ctx, ApplicationQuery{EnterpriseID: f.ents[0].ID})
		if err != nil || total != 1 {
			t.Fatalf("stored applications = %d, %v; want 1", total, err)
		}
		if got := outboxLen(t, s) - n; got != 1 {
			t.Errorf("change log grew by %d, want 1", got)
		}

		// Any open status blocks another; a withdrawn one does not.
		for _, st := range []financing.Status{financing.Submitted, financing.Approved, financing.Withdrawn} {
			if _, err := s.UpdateApplication(ctx, created[0], func(a *financing.Application) (financing.Event, error) {
				a.Status = st
				return financing.Event{Status: st}, nil
			}); err != nil {
				t.Fatal(err)
			}
			err := s.CreateApplication(ctx, f.app(f.ents[0], f.loan, financing.PreApplied))
			if open := st != financing.Withdrawn; open != errors.Is(err, ErrOpenApplication) || !open && err != nil {
				t.Fatalf("after %s: CreateApplication = %v", st, err)
			}
		}
		if err := s.CreateApplication(ctx, f.app(f.ents[0], f.loan, financing.PreApplied)); !errors.Is(err, ErrOpenApplication) {
			t.Fatalf("a second open application: %v, want ErrOpenApplication", err)
		}
	})
}

var errRefused = errors.New("test: refused")

func TestUpdateApplication(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := open(t, loc)
		f := newFinFixture(t, s, 6)
		a := f.app(f.ents[0], f.loan, financing.PreApplied)
		a.Events = []financing.Event{{Status: financing.PreApplied, AccountID: 5}}
		mustCreateApp(t, s, a)

		t.Run("fn's error rolls everything back and comes back as it is", func(t *testing.T) {
			before, _ := s.Application(ctx, a.ID)
			n := outboxLen(t, s)
			_, err := s.UpdateApplication(ctx, a.ID, func(a *financing.Application) (financing.Event, error) {
				a.Status, a.SubmittedAt, a.PairingScore = financing.Submitted, ptr(now()), 99
				return financing.Event{Status: financing.Submitted}, fmt.Errorf("wrapped: %w", errRefused)
			})
			if !errors.Is(err, errRefused) {
				t.Fatalf("err = %v, want errRefused", err)
			}
			after, _ := s.Application(ctx, a.ID)
			mustEqual(t, "application", after, before)
			if outboxLen(t, s) != n {
				t.Error("a rolled-back update was logged")
			}
		})

		t.Run("a panic in fn rolls back and goes on", func(t *testing.T) {
			func() {
				defer func() {
					if recover() == nil {
						t.Error("no panic")
					}
				}()
				s.UpdateApplication(ctx, a.ID, func(a *financing.Application) (financing.Event, error) { panic("boom") })
			}()
			// The write connection is free again.
			if _, err := s.UpdateApplication(ctx, a.ID, func(*financing.Application) (financing.Event, error) {
				return financing.Event{}, nil
			}); err != nil {
				t.Fatal(err)
			}
		})

		t.Run("a missing application is ErrNotFound and fn is not called", func(t *testing.T) {
			_, err := s.UpdateApplication(ctx, 9999, func(*financing.Application) (financing.Event, error) {
				t.Error("fn called")
				return financing.Event{}, nil
			})
			if !errors.Is(err, ErrNotFound) {
				t.Fatalf("err = %v, want ErrNotFound", err)
			}
		})

		t.Run("an update writes every mutable column, the event and the log", func(t *testing.T) {
			n := outboxLen(t, s)
			actx := WithActor(ctx, Actor{AccountID: 9, Action: "decideApplication"})
			got, err := s.UpdateApplication(actx, a.ID, func(x *financing.Application) (financing.Event, error) {
				x.Status, x.ApprovedAmount, x.AnnualRate = financing.Approved, ptr(catalog.Amount(900_000_00)), ptr(3.2)
				x.SubmittedAt, x.DecisionDue, x.DecidedAt = ptr(at(2026, 2, 1, 9, 0)), ptr(at(2026, 2, 10, 0, 0)), ptr(at(2026, 2, 3, 9, 0))
				x.LossCompensation, x.PairingScore, x.GreenChannel = ptr(0.3), 75.5, true
				x.ContestPhase, x.ContestYear, x.RejectionReason = ptr(financing.After), 2025, "无"
				x.DisbursedAmount, x.DisbursedOn, x.ClosedAt = ptr(catalog.Amount(1)), ptr(date(2026, 2, 4)), ptr(at(2026, 2, 4, 0, 0))
				x.EarlySmallHard, x.Purpose, x.RequestedAmount = true, "扩产", 2
				// Fixed columns are not written.
				x.EnterpriseID, x.InstitutionID, x.Program = f.ents[1].ID, f.bank2.ID, catalog.OtherProgram
				return financing.Event{Status: financing.Approved, AccountID: 9, Note: "同意"}, nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if got.EnterpriseID != a.EnterpriseID || got.InstitutionID != a.InstitutionID || got.Program != a.Program {
				t.Errorf("fixed columns changed: %+v", got)
			}
			if len(got.Events) != 2 || got.Events[1].Status != financing.Approved || got.Events[1].At.IsZero() {
				t.Errorf("events = %+v", got.Events)
			}
			read, _ := s.Application(ctx, a.ID)
			mustEqual(t, "read back", read, got)
			if outboxLen(t, s) != n+1 {
				t.Error("the update was not logged")
			}
			if _, total, _ := s.AuditLog(ctx, AuditFilter{AccountID: 9, SubjectType: "Application", SubjectID: a.ID}, 0, 10); total != 1 {
				t.Errorf("audit entries = %d, want 1", total)
			}
		})

		t.Run("concurrent moves of one application make one event", func(t *testing.T) {
			for round := range 5 {
				b := f.app(f.ents[1+round], f.contest, financing.PreApplied)
				b.Events = []financing.Event{{Status: financing.PreApplied}}
				mustCreateApp(t, s, b)
				const movers = 8
				var wg sync.WaitGroup
				start := make(chan struct{})
				errs := make([]error, movers)
				for i := range movers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						<-start
						_, errs[i] = s.UpdateApplication(ctx, b.ID, func(x *financing.Application) (financing.Event, error) {
							if x.Status != financing.PreApplied {
								return financing.Event{}, errRefused
							}
							x.Status, x.SubmittedAt = financing.Submitted, ptr(now())
							return financing.Event{Status: financing.Submitted}, nil
						})
					}()
				}
				close(start)
				wg.Wait()
				moved := 0
				for _, err := range errs {
					if err == nil {
						moved++
					} else if !errors.Is(err, errRefused) {
						t.Errorf("UpdateApplication: %v", err)
					}
				}
				got, _ := s.Application(ctx, b.ID)
				if moved != 1 || len(got.Events) != 2 || got.Status != financing.Submitted {
					t.Fatalf("round %d: %d moved; events %+v", round, moved, got.Events)
				}
			}
		})
	})
}

// queueCompare orders applications as the review queue does.
func queueCompare(a, b *financing.Application) int {
	green := func(x *financing.Application) int {
		if x.GreenChannel {
			return 0
		}
		return 1
	}
	opt := func(x, y *time.Time) int {
		switch {
		case x == nil && y == nil:
			return 0
		case x == nil:
			return 1
		case y == nil:
			return -1
		}
		return x.Compare(*y)
	}
	return cmp.Or(cmp.Compare(green(a), green(b)), opt(a.DecisionDue, b.DecisionDue),
		opt(a.SubmittedAt, b.SubmittedAt), cmp.Compare(a.ID, b.ID))
}

// listFixture makes 30 applications of varied fields, each of its own
// enterprise, over three products and two institutions.
func listFixture(t *testing.T, s *Store) (*finFixture, []*financing.Application) {
	f := newFinFixture(t, s, 31)
	statuses := []financing.Status{financing.PreApplied, financing.Submitted, financing.Approved,
		financing.Rejected, financing.Disbursed, financing.Withdrawn}
	phases := []financing.Phase{financing.Before, financing.During, financing.After}
	products := []*catalog.FinancialProduct{f.loan, f.contest, f.equity}
	var apps []*financing.Application
	for i := range 30 {
		p := products[i%3]
		a := f.app(f.ents[i], p, statuses[i%6])
		a.GreenChannel = i%4 == 0
		if i%3 != 0 {
			a.DecisionDue = ptr(at(2026, 3, 1+i%5, 0, 0))
		}
		if i%5 != 0 {
			a.SubmittedAt = ptr(at(2026, 2, 20, i%4, 0))
		}
		if p == f.contest {
			a.ContestPhase, a.ContestYear = ptr(phases[(i/3)%3]), 2026
		}
		a.Events = []financing.Event{{At: at(2026, 2, 1, 0, i), Status: financing.PreApplied}}
		if i%2 == 1 {
			a.Events = append(a.Events, financing.Event{At: at(2026, 2, 2, 0, i), Status: a.Status, AccountID: int64(i), Note: "n"})
		}
		apps = append(apps, mustCreateApp(t, s, a))
	}
	return f, apps
}

func ids(apps []*financing.Application) []int64 {
	out := []int64{}
	for _, a := range apps {
		out = append(out, a.ID)
	}
	return out
}

func TestApplicationPages(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := open(t, loc)
		f, apps := listFixture(t, s)

		all := slices.Clone(apps) // every application, those added during walks too
		for _, queue := range []bool{false, true} {
			for _, limit := range []int{1, 4, 7, 30, 100} {
				t.Run(fmt.Sprintf("queue=%v limit=%d", queue, limit), func(t *testing.T) {
					want := slices.Clone(all)
					if queue {
						slices.SortFunc(want, queueCompare)
					} else {
						slices.Reverse(want)
					}
					var seen []*financing.Application
					after := ""
					added := 0
					for page := 0; ; page++ {
						if page > len(want)+5 {
							t.Fatalf("%d pages for %d applications: the walk does not end", page, len(want))
						}
						q0 := s.Queries()
						got, total, hasNext, err := s.Applications(ctx, ApplicationQuery{Queue: queue, After: after, Limit: limit})
						if err != nil {
							t.Fatal(err)
						}
						if n := s.Queries() - q0; n != 3 && !(len(got) == 0 && n == 2) {
							t.Fatalf("a page of %d cost %d statements, want 3", len(got), n)
						}
						if page == 0 && total != len(want) {
							t.Errorf("total = %d, want %d", total, len(want))
						}
						if len(got) > limit || hasNext && len(got) != limit {
							t.Fatalf("page of %d for limit %d, hasNext %v", len(got), limit, hasNext)
						}
						for _, a := range got {
							full, err := s.Application(ctx, a.ID)
							if err != nil {
								t.Fatal(err)
							}
							mustEqual(t, "listed application", a, full)
						}
						seen = append(seen, got...)
						if !hasNext {
							break
						}
						after = ApplicationCursor(got[len(got)-1], queue)
						// Rows written while pages are fetched must not make
						// the walk skip or repeat the others.
						if added < 3 {
							x := f.app(f.ents[30], f.equity, financing.Withdrawn)
							x.GreenChannel, x.DecisionDue = added%2 == 0, ptr(at(2026, 3, 1+added, 0, 0))
							all = append(all, mustCreateApp(t, s, x))
							added++
						}
					}
					pos := map[int64]int{}
					for i, a := range seen {
						if _, dup := pos[a.ID]; dup {
							t.Fatalf("application %d listed twice", a.ID)
						}
						pos[a.ID] = i
					}
					last := -1
					for _, a := range want {
						i, ok := pos[a.ID]
						if !ok {
							t.Fatalf("application %d skipped", a.ID)
						}
						if i < last {
							t.Fatalf("application %d out of order", a.ID)
						}
						last = i
					}
					if queue && !slices.IsSortedFunc(seen, queueCompare) {
						t.Error("the queue is out of order")
					}
					if !queue && !slices.IsSortedFunc(seen, func(a, b *financing.Application) int { return cmp.Compare(b.ID, a.ID) }) {
						t.Error("not newest first")
					}
				})
			}
		}

		t.Run("bad cursors", func(t *testing.T) {
			a := apps[0]
			for _, tc := range []struct {
				name   string
				cursor string
				queue  bool
			}{
				{"not base64", "!!!", false},
				{"not ours", base64.RawURLEncoding.EncodeToString([]byte("hello")), false},
				{"newest-first cursor in queue order", ApplicationCursor(a, false), true},
				{"queue cursor in newest-first order", ApplicationCursor(a, true), false},
				{"bad time", base64.RawURLEncoding.EncodeToString([]byte("q,0,yesterday,,3")), true},
			} {
				t.Run(tc.name, func(t *testing.T) {
					if _, _, _, err := s.Applications(ctx, ApplicationQuery{Queue: tc.queue, After: tc.cursor, Limit: 5}); !errors.Is(err, ErrBadCursor) {
						t.Errorf("err = %v, want ErrBadCursor", err)
					}
				})
			}
		})
	})
}

func mustList(t *testing.T, s *Store, q ApplicationQuery) []*financing.Application {
	t.Helper()
	got, _, _, err := s.Applications(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestApplicationFilters(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := open(t, loc)
		f, apps := listFixture(t, s)
		overdue := at(2026, 3, 3, 0, 0)
		for _, tc := range []struct {
			name string
			q    ApplicationQuery
			keep func(a *financing.Application) bool
		}{
			{"everything", ApplicationQuery{}, func(*financing.Application) bool { return true }},
			{"enterprise", ApplicationQuery{EnterpriseID: f.ents[4].ID}, func(a *financing.Application) bool { return a.EnterpriseID == f.ents[4].ID }},
			{"product", ApplicationQuery{ProductID: f.contest.ID}, func(a *financing.Application) bool { return a.ProductID == f.contest.ID }},
			{"institution", ApplicationQuery{InstitutionID: f.bank2.ID}, func(a *financing.Application) bool { return a.InstitutionID == f.bank2.ID }},
			{"statuses", ApplicationQuery{Statuses: []financing.Status{financing.Submitted, financing.Disbursed}}, func(a *financing.Application) bool {
				return a.Status == financing.Submitted || a.Status == financing.Disbursed
			}},
			{"programmes", ApplicationQuery{Programs: []catalog.Program{catalog.ContestLoan, catalog.VentureFund}}, func(a *financing.Application) bool {
				return a.Program == catalog.ContestLoan || a.Program == catalog.VentureFund
			}},
			{"phases", ApplicationQuery{Phases: []financing.Phase{financing.During}}, func(a *financing.Application) bool {
				return a.ContestPhase != nil && *a.ContestPhase == financing.During
			}},
			{"overdue", ApplicationQuery{OverdueAt: overdue}, func(a *financing.Application) bool {
				return a.Status == financing.Submitted && a.DecisionDue != nil && a.DecisionDue.Before(overdue)
			}},
			{"enterprise ids", ApplicationQuery{EnterpriseIDs: []int64{f.ents[1].ID, f.ents[7].ID, 99999}}, func(a *financing.Application) bool {
				return a.EnterpriseID == f.ents[1].ID || a.EnterpriseID == f.ents[7].ID
			}},
			{"no enterprise ids", ApplicationQuery{EnterpriseIDs: []int64{}}, func(*financing.Application) bool { return false }},
			{"two filters", ApplicationQuery{InstitutionID: f.bank1.ID, Statuses: []financing.Status{financing.PreApplied}}, func(a *financing.Application) bool {
				return a.InstitutionID == f.bank1.ID && a.Status == financing.PreApplied
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				var want []int64
				for _, a := range slices.Backward(apps) {
					if tc.keep(a) {
						want = append(want, a.ID)
					}
				}
				if len(want) == 0 && tc.name != "no enterprise ids" {
					t.Fatal("the fixture has no match: the filter is not tested")
				}
				got, total, hasNext, err := s.Applications(ctx, tc.q)
				if err != nil {
					t.Fatal(err)
				}
				mustEqual(t, "ids", ids(got), append([]int64{}, want...))
				if total != len(want) || hasNext {
					t.Errorf("total %d, hasNext %v; want %d, false", total, hasNext, len(want))
				}
				q := tc.q
				q.Limit = 2
				_, total, hasNext, _ = s.Applications(ctx, q)
				if total != len(want) || hasNext != (len(want) > 2) {
					t.Errorf("limited: total %d, hasNext %v; want %d, %v", total, hasNext, len(want), len(want) > 2)
				}
			})
		}
	})
}

func TestSchedulerAndAccessReads(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := open(t, loc)
		f := newFinFixture(t, s, 6)
		e := f.ents

		t.Run("pre-applications fall due on the first stage's first day", func(t *testing.T) {
			c := &financing.Competition{Year: 2026, Name: "大赛", Stages: []financing.StageDates{
				{Stage: catalog.CitySemifinal, StartsOn: date(2026, 5, 1), EndsOn: date(2026, 5, 9)},
				{Stage: catalog.Preliminary, StartsOn: date(2026, 4, 1), EndsOn: date(2026, 4, 20)},
			}}
			if err := s.CreateCompetition(ctx, c); err != nil {
				t.Fatal(err)
			}
			contest := func(ent *catalog.Enterprise, status financing.Status, year int) *financing.Application {
				a := f.app(ent, f.contest, status)
				a.ContestPhase, a.ContestYear = ptr(financing.Before), year
				return mustCreateApp(t, s, a)
			}
			due := contest(e[0], financing.PreApplied, 2026)
			contest(e[1], financing.PreApplied, 2027)                      // no competition that year
			contest(e[2], financing.Submitted, 2026)                       // already moved
			mustCreateApp(t, s, f.app(e[3], f.loan, financing.PreApplied)) // not a contest loan
			for _, tc := range []struct {
				today time.Time
				want  []int64
			}{
				{time.Date(2026, 3, 31, 23, 59, 0, 0, time.UTC), nil},
				{date(2026, 4, 1), []int64{due.ID}},
				{time.Date(2026, 4, 1, 0, 30, 0, 0, time.FixedZone("CST", 8*3600)), []int64{due.ID}},
				{date(2026, 6, 1), []int64{due.ID}},
			} {
				got, err := s.PreAppliedDue(ctx, tc.today)
				if err != nil {
					t.Fatal(err)
				}
				mustEqual(t, "due on "+tc.today.String(), got, tc.want)
			}
		})

		t.Run("enterprises applied to an institution, for a year after the decision", func(t *testing.T) {
			undecided := f.app(e[0], f.equity, financing.Submitted)
			decided := f.app(e[1], f.equity, financing.Rejected)
			decided.DecidedAt = ptr(at(2025, 3, 10, 23, 0))
			withdrawn := f.app(e[2], f.equity, financing.Withdrawn)
			other := f.app(e[4], f.loan, financing.Submitted) // another institution
			for _, a := range []*financing.Application{undecided, decided, withdrawn, other} {
				mustCreateApp(t, s, a)
			}
			for _, tc := range []struct {
				today time.Time
				want  []int64
			}{
				{date(2025, 3, 10), []int64{e[0].ID, e[1].ID}},
				{date(2026, 3, 10), []int64{e[0].ID, e[1].ID}},
				{date(2026, 3, 11), []int64{e[0].ID}},
			} {
				got, err := s.AppliedEnterprises(ctx, f.bank2.ID, tc.today)
				if err != nil {
					t.Fatal(err)
				}
				mustEqual(t, "applied on "+tc.today.String(), got, tc.want)
			}
		})

		t.Run("applications of a year, decided or disbursed in it", func(t *testing.T) {
			s := open(t, loc2(t, loc))
			f := newFinFixture(t, s, 5)
			mk := func(ent *catalog.Enterprise, decided *time.Time, disbursed *time.Time) *financing.Application {
				a := f.app(ent, f.loan, financing.Disbursed)
				a.DecidedAt, a.DisbursedOn = decided, disbursed
				a.Events = []financing.Event{{Status: financing.Disbursed}}
				return mustCreateApp(t, s, a)
			}
			a := mk(f.ents[0], ptr(at(2025, 6, 1, 0, 0)), ptr(date(2025, 12, 31)))
			b := mk(f.ents[1], ptr(time.Date(2025, 12, 31, 23, 59, 59, 999999000, time.UTC)), nil)
			c := mk(f.ents[2], ptr(at(2026, 1, 1, 0, 0)), nil)
			d := mk(f.ents[3], ptr(at(2025, 11, 1, 0, 0)), ptr(date(2026, 1, 2)))
			mk(f.ents[4], nil, nil)
			for year, want := range map[int][]*financing.Application{2024: nil, 2025: {a, b, d}, 2026: {c, d}} {
				got, err := s.ApplicationsOfYear(ctx, year)
				if err != nil {
					t.Fatal(err)
				}
				var wantNoEvents []*financing.Application
				for _, x := range want {
					y := *x
					y.Events = nil
					wantNoEvents = append(wantNoEvents, &y)
				}
				mustEqual(t, fmt.Sprint("applications of ", year), got, wantNoEvents)
			}
		})

		t.Run("funded enterprises by product kind since a time", func(t *testing.T) {
			s := open(t, loc2(t, loc))
			f := newFinFixture(t, s, 6)
			since := at(2026, 1, 1, 0, 0)
			mk := func(ent *catalog.Enterprise, p *catalog.FinancialProduct, status financing.Status, decided time.Time) {
				a := f.app(ent, p, status)
				a.DecidedAt = &decided
				mustCreateApp(t, s, a)
			}
			mk(f.ents[0], f.loan, financing.Approved, since)
			mk(f.ents[1], f.contest, financing.Disbursed, at(2026, 2, 1, 0, 0))
			mk(f.ents[2], f.loan, financing.Rejected, at(2026, 2, 1, 0, 0))
			mk(f.ents[3], f.loan, financing.Approved, since.Add(-time.Microsecond))
			mk(f.ents[4], f.equity, financing.Approved, at(2026, 2, 1, 0, 0))
			mk(f.ents[5], f.loan, financing.Submitted, at(2026, 2, 1, 0, 0))
			mk(f.ents[0], f.contest, financing.Disbursed, at(2026, 2, 1, 0, 0)) // counted once
			got, err := s.FundedEnterprises(ctx, catalog.Loan, since)
			if err != nil {
				t.Fatal(err)
			}
			mustEqual(t, "loans", got, []int64{f.ents[0].ID, f.ents[1].ID})
			got, _ = s.FundedEnterprises(ctx, catalog.Equity, since)
			mustEqual(t, "equity", got, []int64{f.ents[4].ID})
		})
	})
}

// loc2 returns another fresh database of loc's backend.
func loc2(t *testing.T, loc location) location {
	if loc.url == "" {
		return location{dir: t.TempDir()}
	}
	return freshSchema(t, os.Getenv(databaseURLEnv))
}

func TestHolidays(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := open(t, loc)
		first := financing.HolidayYear{Year: 2026,
			Holidays:        []time.Time{date(2026, 1, 1), date(2026, 2, 17), date(2026, 2, 18)},
			WorkingWeekends: []time.Time{date(2026, 2, 14)}}
		second := financing.HolidayYear{Year: 2026,
			Holidays:        []time.Time{date(2026, 10, 1)},
			WorkingWeekends: []time.Time{date(2026, 9, 27), date(2026, 10, 10)}}
		empty := financing.HolidayYear{Year: 2027}

		actx := WithActor(ctx, Actor{AccountID: 1, Action: "setHolidays"})
		if err := s.SetHolidays(actx, first); err != nil {
			t.Fatal(err)
		}
		got, err := s.Holidays(ctx, 2020, 2030)
		if err != nil {
			t.Fatal(err)
		}
		mustEqual(t, "first", got, []financing.HolidayYear{first})
		if _, total, _ := s.AuditLog(ctx, AuditFilter{SubjectType: "Holidays", SubjectID: 2026}, 0, 10); total != 1 {
			t.Errorf("audit entries = %d, want 1", total)
		}

		t.Run("setting a year replaces it", func(t *testing.T) {
			if err := s.SetHolidays(ctx, second); err != nil {
				t.Fatal(err)
			}
			got, _ := s.Holidays(ctx, 2026, 2026)
			mustEqual(t, "second", got, []financing.HolidayYear{second})
		})

		t.Run("a year set to nothing differs from one never set", func(t *testing.T) {
			if got, _ := s.Holidays(ctx, 2027, 2028); len(got) != 0 {
				t.Fatalf("never set: %+v", got)
			}
			if err := s.SetHolidays(ctx, empty); err != nil {
				t.Fatal(err)
			}
			got, err := s.Holidays(ctx, 2025, 2028)
			if err != nil {
				t.Fatal(err)
			}
			mustEqual(t, "years", got, []financing.HolidayYear{second,
				{Year: 2027, Holidays: []time.Time{}, WorkingWeekends: []time.Time{}}})
			if err := s.SetHolidays(ctx, financing.HolidayYear{Year: 2026}); err != nil {
				t.Fatal(err)
			}
			got, _ = s.Holidays(ctx, 2026, 2026)
			mustEqual(t, "emptied", got, []financing.HolidayYear{{Year: 2026, Holidays: []time.Time{}, WorkingWeekends: []time.Time{}}})
		})

		t.Run("days outside the year or on both lists are refused", func(t *testing.T) {
			for _, h := range []financing.HolidayYear{
				{Year: 2028, Holidays: []time.Time{date(2029, 1, 1)}},
				{Year: 2028, Holidays: []time.Time{date(2028, 5, 1)}, WorkingWeekends: []time.Time{date(2028, 5, 1)}},
			} {
				if err := s.SetHolidays(ctx, h); err == nil {
					t.Errorf("SetHolidays(%+v) succeeded", h)
				}
			}
			if got, _ := s.Holidays(ctx, 2028, 2028); len(got) != 0 {
				t.Errorf("a refused year was set: %+v", got)
			}
		})
	})
}
