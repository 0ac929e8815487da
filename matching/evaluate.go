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
// is eligible, without allocating. The explain functions return the full
// Pairing; both run the same code, so they always agree.

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

func (x *evaluator) explainProduct(e *entView, p *prodView, at time.Time) Pairing {
	a := acc{explain: true}
	productEligibility(&a, e, p, x.today)
	x.scoreProduct(&a, e, p)
	pr := a.pairing(catalog.Financing, e, p.id, at)
	amount := x.suggestedAmount(e, p)
	pr.SuggestedAmount = &amount
	return pr
}

func (x *evaluator) explainIncubator(e *entView, in *incView, at time.Time) Pairing {
	a := acc{explain: true}
	incubatorEligibility(&a, e, in)
	x.scoreIncubator(&a, e, in)
	return a.pairing(catalog.Incubation, e, in.id, at)
}

func (x *evaluator) explainDemand(e *entView, d *demView, at time.Time) Pairing {
	a := acc{explain: true}
	hits := d.hits(e)
	demandEligibility(&a, e, d, hits)
	x.scoreDemand(&a, e, d, hits)
	return a.pairing(catalog.IndustryChain, e, d.id, at)
}

// suggestedAmount is the credit line or ticket of a financing pairing.
// A subsidy loan (SUBSIDY_LOAN or requiresSubsidy) lends at most the
// product's multiple (default 5) of this year's and last year's subsidies,
// the product's maximum and the stated LOAN need; any other product offers
// its maximum, or the stated need of its own kind when that is smaller.
func (x *evaluator) suggestedAmount(e *entView, p *prodView) catalog.Amount {
	amount := p.maxAmount
	if p.subsidyLoan {
		capped := catalog.Amount(math.Round(p.multiple * float64(e.subsidies)))
		amount = min(amount, max(capped, 0))
		if e.need > 0 && e.needKind == catalog.Loan {
			amount = min(amount, e.need)
		}
		return amount
	}
	if e.need > 0 && e.needKind == p.kind {
		amount = min(amount, e.need)
	}
	return amount
}
