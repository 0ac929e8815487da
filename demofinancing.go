package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/financing"
	"github.com/yurong/yurong/resolvers"
)

// The demo's financing history: last year's and this year's competitions,
// with offers, and a year and more of applications played through the
// workflow itself on a clock that walks from the oldest step to today, so
// every record obeys the rules it would have met live — eligibility, caps,
// phases, deadlines — and the queue, the overdue list, the bank evaluation
// and the follow-ups all have something to show.

// demoCalendar gives a year's stages the dates Henan's competition keeps
// (报名 in spring, 初赛 in June, 决赛 in September, 国赛 in November).
func demoCalendar(year int) []financing.StageDates {
	d := func(m time.Month, day int) time.Time { return time.Date(year, m, day, 0, 0, 0, 0, time.UTC) }
	return []financing.StageDates{
		{Stage: catalog.Preliminary, StartsOn: d(time.June, 1), EndsOn: d(time.July, 15)},
		{Stage: catalog.CitySemifinal, StartsOn: d(time.July, 20), EndsOn: d(time.August, 10)},
		{Stage: catalog.ProvincialSemifinal, StartsOn: d(time.August, 20), EndsOn: d(time.September, 5)},
		{Stage: catalog.ProvincialFinal, StartsOn: d(time.September, 20), EndsOn: d(time.September, 30)},
		{Stage: catalog.National, StartsOn: d(time.November, 10), EndsOn: d(time.November, 30)},
	}
}

// demoStep is one thing that happened at a time.
type demoStep struct {
	at time.Time
	do func(ctx context.Context) error
}

// loadDemoFinancing plays the history into the store. It runs once, after
// the demo catalogue is loaded and matched.
func (a *app) loadDemoFinancing(ctx context.Context, adminID int64) error {
	today := a.now().UTC()
	var clock atomic.Int64
	wf := financing.New(a.store, a.market, resolvers.EngineVerdicts{Engine: a.engine}, func() time.Time { return time.Unix(0, clock.Load()).UTC() })
	r := rand.New(rand.NewPCG(demoSeed, 11))

	for _, year := range []int{today.Year() - 1, today.Year()} {
		c := &financing.Competition{Year: year, Name: "第" + chineseNumber(year-2016) + "届河南省创新创业大赛", Stages: demoCalendar(year)}
		if err := a.store.CreateCompetition(ctx, c); err != nil {
			return fmt.Errorf("demo competition %d: %w", year, err)
		}
		if err := a.demoOffers(ctx, c); err != nil {
			return err
		}
	}

	// Applicants: a tenth of the enterprises, at most 400, each applying
	// for one of its three best eligible loans.
	snap, err := a.market.Snapshot(ctx)
	if err != nil {
		return err
	}
	ents := snap.Enterprises
	n := min(len(ents)/10, 400)
	var steps []demoStep
	start := time.Date(today.Year()-1, time.January, 10, 0, 0, 0, 0, time.UTC)
	span := today.Sub(start)
	loan := catalog.Financing
	for _, i := range r.Perm(len(ents))[:n] {
		e := ents[i]
		var picks []*catalog.FinancialProduct
		for _, p := range a.engine.Matches(e.ID, &loan, 3, true) {
			if prod := a.market.FinancialProduct(p.ResourceID); prod != nil && prod.Kind == catalog.Loan && p.SuggestedAmount != nil {
				picks = append(picks, prod)
			}
		}
		if len(picks) == 0 {
			continue
		}
		prod := picks[r.IntN(len(picks))]
		p, _ := a.engine.Pairing(catalog.Financing, e.ID, prod.ID)
		amount := *p.SuggestedAmount
		at := start.Add(time.Duration(r.Int64N(int64(span - 48*time.Hour)))).Truncate(time.Minute)
		steps = append(steps, a.demoApplication(wf, e, prod, amount, at, today, adminID, r)...)
	}
	// Contest loans: up to 60 entrants of this year's or last year's
	// competition apply during their entry's year — some before its first
	// stage (pre-applying), some during it, some after.
	var contestLoans []*catalog.FinancialProduct
	for _, p := range snap.Products {
		if p.Program == catalog.ContestLoan {
			contestLoans = append(contestLoans, p)
		}
	}
	entrants := 0
	for _, i := range r.Perm(len(ents)) {
		e := ents[i]
		if entrants == 60 || len(contestLoans) == 0 {
			break
		}
		year := 0
		for _, c := range e.CompetitionEntries {
			if c.Year >= today.Year()-1 {
				year = max(year, c.Year)
			}
		}
		prod := contestLoans[r.IntN(len(contestLoans))]
		p, ok := a.engine.Pairing(catalog.Financing, e.ID, prod.ID)
		if year == 0 || !ok || !p.Eligible || p.SuggestedAmount == nil {
			continue
		}
		from := time.Date(year, time.April, 1, 9, 0, 0, 0, time.UTC)
		until := time.Date(year, time.December, 1, 0, 0, 0, 0, time.UTC)
		if last := today.Add(-48 * time.Hour); last.Before(until) {
			until = last
		}
		if !until.After(from) {
			continue
		}
		at := from.Add(time.Duration(r.Int64N(int64(until.Sub(from))))).Truncate(time.Minute)
		steps = append(steps, a.demoApplication(wf, e, prod, *p.SuggestedAmount, at, today, adminID, r)...)
		entrants++
	}

	// The scheduler's turns: each competition's first day.
	for _, year := range []int{today.Year() - 1, today.Year()} {
		if first := demoCalendar(year)[0].StartsOn.Add(5 * time.Minute); first.Before(today) {
			steps = append(steps, demoStep{at: first, do: func(ctx context.Context) error {
				_, err := wf.SubmitDue(ctx)
				return err
			}})
		}
	}
	slices.SortStableFunc(steps, func(x, y demoStep) int { return x.at.Compare(y.at) })
	for _, s := range steps {
		clock.Store(s.at.UnixNano())
		if err := s.do(ctx); err != nil {
			return fmt.Errorf("demo financing history: %w", err)
		}
	}
	return nil
}

// demoOffers offers a few contest loans, incubators and demands to each
// stage of c.
func (a *app) demoOffers(ctx context.Context, c *financing.Competition) error {
	snap, err := a.market.Snapshot(ctx)
	if err != nil {
		return err
	}
	var offers []*financing.StageOffer
	for _, p := range snap.Products {
		if p.Program == catalog.ContestLoan {
			offers = append(offers, &financing.StageOffer{Stage: catalog.Preliminary, ResourceKind: financing.OfferProduct, ResourceID: p.ID,
				Note: "入围初赛即可申请，赛中 3 个工作日内答复"})
		}
	}
	for _, in := range snap.Incubators[:min(3, len(snap.Incubators))] {
		offers = append(offers, &financing.StageOffer{Stage: catalog.CitySemifinal, ResourceKind: financing.OfferIncubator, ResourceID: in.ID,
			Note: "晋级复赛的团队可免费入驻，享育新服务包"})
	}
	for _, d := range snap.Demands[:min(3, len(snap.Demands))] {
		offers = append(offers, &financing.StageOffer{Stage: catalog.ProvincialFinal, ResourceKind: financing.OfferDemand, ResourceID: d.ID,
			Note: "决赛路演现场对接链主需求"})
	}
	for _, o := range offers {
		o.CompetitionID = c.ID
		if err := a.store.AddStageOffer(ctx, o); err != nil {
			return fmt.Errorf("demo offer: %w", err)
		}
	}
	return nil
}

// demoRejections are the reasons banks give.
var demoRejections = []string{
	"经营性现金流不足以覆盖还款",
	"近两年研发投入波动较大，建议补充材料后再申请",
	"申请金额超出我行对该行业的授信政策",
	"实际控制人存在其他未结清贷款",
}

// demoApplication is one application's life: applied at at, then decided
// and paid out, or rejected, withdrawn or left waiting, as chance has it;
// nothing happens after today.
func (a *app) demoApplication(wf *financing.Service, e *catalog.Enterprise, prod *catalog.FinancialProduct, amount catalog.Amount,
	at, today time.Time, adminID int64, r *rand.Rand) []demoStep {
	var id atomic.Int64 // set once the application is made; 0 when it was refused
	contest := prod.Program == catalog.ContestLoan
	first := demoCalendar(at.Year())[0].StartsOn
	pre := contest && at.Before(first) && r.IntN(2) == 0
	steps := []demoStep{{at: at, do: func(ctx context.Context) error {
		app, p, err := wf.Apply(ctx, financing.ApplyInput{EnterpriseID: e.ID, ProductID: prod.ID, RequestedAmount: amount,
			Purpose: demoPurpose(e), PreApply: pre, By: adminID})
		if err != nil || len(p) > 0 {
			return err // a refusal (a rule of today's date) just leaves this one out
		}
		id.Store(app.ID)
		return nil
	}}}
	submitted := at
	if pre {
		submitted = first
	}
	// Decisions come after 4 hours to 3 days, one in five late (4–8 days).
	wait := time.Duration(4+r.IntN(68)) * time.Hour
	if r.IntN(5) == 0 {
		wait = time.Duration(96+r.IntN(96)) * time.Hour
	}
	decided := submitted.Add(wait)
	if !decided.Before(today) || r.IntN(12) == 0 {
		return steps // still waiting: the queue and the overdue list
	}
	act := func(do func(ctx context.Context, id int64) (*financing.Application, catalog.Problems, error)) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			if id.Load() == 0 {
				return nil
			}
			// A refusal (a rule of the day) leaves the application where
			// it stands: the history goes on.
			_, _, err := do(ctx, id.Load())
			return err
		}
	}
	switch k := r.IntN(20); {
	case k < 2:
		steps = append(steps, demoStep{at: decided, do: act(func(ctx context.Context, id int64) (*financing.Application, catalog.Problems, error) {
			return wf.Withdraw(ctx, id, adminID)
		})})
	case k < 7:
		reason := demoRejections[r.IntN(len(demoRejections))]
		steps = append(steps, demoStep{at: decided, do: act(func(ctx context.Context, id int64) (*financing.Application, catalog.Problems, error) {
			return wf.Decide(ctx, id, financing.Decision{Approve: false, Reason: reason, By: adminID})
		})})
	default:
		rate := 3.0 + float64(r.IntN(150))/100
		steps = append(steps, demoStep{at: decided, do: act(func(ctx context.Context, id int64) (*financing.Application, catalog.Problems, error) {
			return wf.Decide(ctx, id, financing.Decision{Approve: true, AnnualRate: &rate, By: adminID})
		})})
		paid := decided.Add(time.Duration(1+r.IntN(10)) * 24 * time.Hour)
		if paid.Before(today) && r.IntN(6) > 0 {
			steps = append(steps, demoStep{at: paid, do: act(func(ctx context.Context, id int64) (*financing.Application, catalog.Problems, error) {
				return wf.Disburse(ctx, id, amount, paid, adminID)
			})})
		}
	}
	return steps
}

// demoPurpose is what an enterprise says the money is for: its stated
// need's purpose, or the commonest purpose.
func demoPurpose(e *catalog.Enterprise) string {
	if e.FinancingNeed != nil && e.FinancingNeed.Purpose != "" {
		return e.FinancingNeed.Purpose
	}
	return "研发投入与设备购置"
}

// chineseNumber writes 1–99 in Chinese numerals: 9 九, 10 十, 11 十一, 21 二十一.
func chineseNumber(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n%10]
	}
	return digits[n/10] + "十" + digits[n%10]
}
