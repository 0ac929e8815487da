package matching

import (
	"math"
	"time"

	"github.com/yurong/yurong/catalog"
)

// evaluator scores and checks pairs. It holds only read-only configuration,
// so one value serves every goroutine of a rematch.
type evaluator struct {
	cfg   *Config
	today time.Time // the date every date rule is evaluated at
	year  int       // today's year; last year is year-1
}

// The quick functions return a pair's score in centi-points and whether it
// is eligible, without allocating. The explain functions return the
// Pairing, explained to a Detail; both run the same code, so they always
// agree.

func (x *evaluator) quickProduct(e *entView, p *prodView) (int32, bool) {
	var a acc
	productEligibility(&a, e, p, x.today)
	x.scoreProduct(&a, e, p)
	return a.score(), !a.blocked
}

func (x *evaluator) quickIncubator(e *entView, in *incView) (int32, bool) {
	var a acc
	incubatorEligibility(&a, e, in)
	x.scoreIncubator(&a, e, in)
	return a.score(), !a.blocked
}

func (x *evaluator) quickDemand(e *entView, d *demView, hits int) (int32, bool) {
	var a acc
	demandEligibility(&a, e, d, hits)
	x.scoreDemand(&a, e, d, hits)
	return a.score(), !a.blocked
}

func (x *evaluator) explainProduct(e *entView, p *prodView, at time.Time, d Detail) Pairing {
	a := explaining(d)
	productEligibility(&a, e, p, x.today)
	x.scoreProduct(&a, e, p)
	pr := a.pairing(catalog.Financing, e, p.id, at)
	if amount, by := x.suggest(e, p); by != noAmount {
		pr.SuggestedAmount = &amount
	}
	if m := p.model; m != nil {
		pr.Model = &ModelRef{ID: m.id, Version: m.version, Mode: p.modelMode, Score: e.modelTotal(m.slot)}
	}
	return pr
}

func (x *evaluator) explainIncubator(e *entView, in *incView, at time.Time, d Detail) Pairing {
	a := explaining(d)
	incubatorEligibility(&a, e, in)
	x.scoreIncubator(&a, e, in)
	return a.pairing(catalog.Incubation, e, in.id, at)
}

func (x *evaluator) explainDemand(e *entView, dv *demView, at time.Time, d Detail) Pairing {
	a := explaining(d)
	hits := dv.hits(e)
	demandEligibility(&a, e, dv, hits)
	x.scoreDemand(&a, e, dv, hits)
	return a.pairing(catalog.IndustryChain, e, dv.id, at)
}

// amountLimit says which limit set a suggested amount, or that there is none.
type amountLimit uint8

const (
	noAmount    amountLimit = iota // no amount is suggested
	byNeed                         // the stated need, within every cap
	byMaximum                      // the product's maximum
	bySubsidies                    // the subsidy loan's multiple of the subsidies
	byCapacity                     // the enterprise's credit capacity
)

// subsidySized reports whether a product is sized by the subsidy loan's
// rule: a LOAN that is a subsidy loan (SUBSIDY_LOAN or requiresSubsidy).
func (p *prodView) subsidySized() bool { return p.subsidyLoan && p.kind == catalog.Loan }

// suggest is the credit line or ticket of a financing pairing, and the limit
// that set it (DESIGN.md, "Subsidy loan", "Other loans", "Equity and
// insurance"):
//   - a subsidy loan lends at most the product's multiple (default 5) of
//     this year's and last year's subsidies;
//   - any other loan lends at most the enterprise's credit capacity;
//   - equity and insurance offer an amount only for a stated need of their
//     own kind;
//
// and every product at most its maximum and the stated need of its kind.
// An amount that comes to zero is no amount (noAmount): it is never the
// product's maximum as a guess. It does not allocate.
func (x *evaluator) suggest(e *entView, p *prodView) (catalog.Amount, amountLimit) {
	amount, by := p.maxAmount, byMaximum
	hasNeed := e.need > 0 && e.needKind == p.kind
	switch {
	case p.subsidySized():
		if capped := max(catalog.Amount(math.Round(p.multiple*float64(e.subsidies))), 0); capped < amount {
			amount, by = capped, bySubsidies
		}
	case p.kind == catalog.Loan:
		if e.capacity < amount {
			amount, by = e.capacity, byCapacity
		}
	case !hasNeed:
		return 0, noAmount
	}
	if hasNeed && e.need <= amount {
		amount, by = e.need, byNeed
	}
	if amount <= 0 {
		return 0, noAmount
	}
	return amount, by
}

// creditCapacity is what a loan other than the subsidy loan lends an
// enterprise at most: a share (default 50 %) of the latest annual revenue,
// and at least a floor (default 1,000,000) for an enterprise on the
// early-small-hard list or with an award this year or last year.
func creditCapacity(revenue catalog.Amount, listed, awarded bool, cfg *Config) catalog.Amount {
	c := max(catalog.Amount(float64(revenue)*cfg.CreditCapacityShare), 0)
	if listed || awarded {
		c = max(c, cfg.CreditCapacityFloor)
	}
	return c
}
